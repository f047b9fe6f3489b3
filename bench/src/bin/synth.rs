//! Writes synthetic specs for N methods, and optionally the code generated from them.
//!
//! ```text
//! synth <N> <SPECS_DIR> [GENERATED_RS [CALLER_RS]]
//! ```
//!
//! `CALLER_RS` gets a `main` that calls every method once
//! ([`loginspec_bench::synth::caller`]).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, specs, generated, caller) = match args.as_slice() {
        [n, specs] => (n, PathBuf::from(specs), None, None),
        [n, specs, out] => (n, PathBuf::from(specs), Some(PathBuf::from(out)), None),
        [n, specs, out, caller] => (
            n,
            PathBuf::from(specs),
            Some(PathBuf::from(out)),
            Some(PathBuf::from(caller)),
        ),
        _ => {
            eprintln!("usage: synth <N> <SPECS_DIR> [GENERATED_RS [CALLER_RS]]");
            return ExitCode::from(2);
        }
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N must be a number of methods, got {n:?}");
        return ExitCode::from(2);
    };
    if let Err(err) = loginspec_bench::synth::write_specs(&specs, n) {
        eprintln!("cannot write specs to {}: {err}", specs.display());
        return ExitCode::FAILURE;
    }
    if let Some(out) = generated {
        // Example tests are only compiled under cfg(test); keep them, as a user's build would.
        match loginspec_codegen::Config::new(&specs).write_to(&out) {
            Ok(output) => eprintln!(
                "{n} methods in {} providers -> {}",
                output.providers.len(),
                out.display()
            ),
            Err(err) => {
                eprintln!("generation failed:\n{err}");
                return ExitCode::FAILURE;
            }
        }
    }
    if let Some(caller) = caller {
        let code = loginspec_bench::synth::caller(n);
        if let Err(err) = std::fs::write(&caller, code) {
            eprintln!("cannot write {}: {err}", caller.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
