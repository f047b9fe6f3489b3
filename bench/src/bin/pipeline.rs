//! Runs the generation pipeline once over a specs folder, stage by stage,
//! and prints each stage's wall time. Meant to run under `/usr/bin/time -v`
//! (peak RSS) or `valgrind --tool=callgrind` (instruction counts, which do
//! not depend on what else the machine is doing).
//!
//! ```text
//! pipeline <SPECS_DIR> [--plain] [--stop-after load|check|emit] [--out FILE]
//! ```
//!
//! `--plain` prints the code as build scripts do (`Config::pretty(false)`);
//! `--stop-after` ends the run early, so instruction counts of successive
//! runs give the cost of each stage.

use loginspec_codegen::diag::Ctxt;
use loginspec_codegen::{check, emit, load, EmitOptions};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!(
            "usage: pipeline <SPECS_DIR> [--plain] [--stop-after load|check|emit] [--out FILE]"
        );
        return ExitCode::from(2);
    };
    let format = !args.iter().any(|a| a == "--plain");
    let stop_after = args
        .iter()
        .position(|a| a == "--stop-after")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let start = Instant::now();
    let mut cx = Ctxt::default();
    let files = load::load_dir(std::path::Path::new(dir), &mut cx);
    let loaded = Instant::now();
    if stop_after == Some("load") {
        return ExitCode::SUCCESS;
    }
    let model = check::check(&files, &mut cx);
    let checked = Instant::now();
    if cx.has_errors() {
        eprintln!("{}", cx.finish(&[]));
        return ExitCode::FAILURE;
    }
    if stop_after == Some("check") {
        return ExitCode::SUCCESS;
    }
    let options = EmitOptions::default();
    let tokens: Vec<_> = model
        .providers
        .iter()
        .map(|p| emit::provider(p, &options))
        .collect();
    let emitted = Instant::now();
    if stop_after == Some("emit") {
        return ExitCode::SUCCESS;
    }
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1));
    let mut all = String::new();
    let mut bytes = 0;
    // Formatting is the generator's own pass (`loginspec_codegen::format`:
    // syn parses the tokens, long literals and `bitflags!` bodies are laid
    // out, prettyplease prints), timed as a whole.
    for t in tokens {
        let code = if format {
            match loginspec_codegen::format(t) {
                Ok(code) => code,
                Err(err) => {
                    eprintln!("generated code does not parse: {err}");
                    return ExitCode::FAILURE;
                }
            }
        } else {
            loginspec_codegen::plain(t)
        };
        bytes += code.len();
        if out.is_some() {
            all.push_str(&code);
        }
    }
    if let Some(out) = out {
        if let Err(err) = std::fs::write(out, &all) {
            eprintln!("cannot write {out}: {err}");
            return ExitCode::FAILURE;
        }
    }
    let done = Instant::now();
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
    let methods: usize = model.providers.iter().map(|p| p.methods.len()).sum();
    println!(
        "methods {methods}  load {:.1} ms  check {:.1} ms  emit {:.1} ms  {} {:.1} ms  total {:.1} ms  ({:.3} ms/method, {bytes} bytes of code)",
        ms(start, loaded),
        ms(loaded, checked),
        ms(checked, emitted),
        if format { "format" } else { "plain" },
        ms(emitted, done),
        ms(start, done),
        ms(start, done) / methods.max(1) as f64,
    );
    ExitCode::SUCCESS
}
