//! Property tests: no spec text makes the generator panic. The seed specs,
//! cut short, with lines dropped, repeated or spliced with YAML oddities,
//! and text assembled from YAML pieces go through the loader, the checker,
//! the rendering of diagnostics and, for specs that pass, the emitter.

use loginspec_codegen::diag::{Ctxt, Source};
use loginspec_codegen::load::ProviderFiles;
use loginspec_codegen::{check, emit, plain, EmitOptions};
use loginspec_tests::specs::{real_specs, sorted_entries};
use proptest::prelude::*;
use std::sync::OnceLock;

/// A seed provider: its folder name, provider.yaml and method files.
type Seed = (String, String, Vec<String>);

fn seeds() -> &'static Vec<Seed> {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        sorted_entries(&real_specs(), |p| p.is_dir())
            .into_iter()
            .map(|dir| {
                let provider = std::fs::read_to_string(dir.join("provider.yaml")).expect("seed");
                let methods = sorted_entries(&dir, |p| {
                    p.extension().is_some_and(|e| e == "yaml")
                        && p.file_name().is_some_and(|n| n != "provider.yaml")
                })
                .into_iter()
                .map(|p| std::fs::read_to_string(p).expect("seed"))
                .collect();
                let name = dir
                    .file_name()
                    .expect("a folder")
                    .to_string_lossy()
                    .into_owned();
                (name, provider, methods)
            })
            .collect()
    })
}

/// Loads, checks and reports; emits what passes. Only a panic fails.
fn run(dir_name: &str, provider: String, methods: Vec<String>) {
    let files = ProviderFiles {
        dir_name: dir_name.to_string(),
        provider: Source {
            file: format!("specs/{dir_name}/provider.yaml"),
            text: provider,
        },
        methods: methods
            .into_iter()
            .enumerate()
            .map(|(i, text)| Source {
                file: format!("specs/{dir_name}/m{i}.yaml"),
                text,
            })
            .collect(),
        paths: Vec::new(),
    };
    let mut cx = Ctxt::default();
    let model = check::check(std::slice::from_ref(&files), &mut cx);
    if cx.has_errors() {
        let sources: Vec<Source> = std::iter::once(files.provider.clone())
            .chain(files.methods.iter().cloned())
            .collect();
        let _ = cx.finish(&sources).to_string();
    } else {
        for provider in &model.providers {
            let _ = plain(emit::provider(provider, &EmitOptions::default()));
        }
    }
}

const YAML_PIECES: &[&str] = &[
    "\n",
    "  ",
    "- ",
    ": ",
    "provider: erply",
    "title: T",
    "base_url: https://x/",
    "protocol:",
    "encodings: [form]",
    "encodings: [soap11]",
    "method_name:",
    "field: request",
    "path: true",
    "error:",
    "code: /status/errorCode",
    "code_optional: true",
    "code_type: int",
    "success: [0]",
    "errors:",
    "code: 1052",
    "name: UserBlocked",
    "doc: d",
    "class: locked",
    "cooldown: 600",
    "cooldown: -1",
    "cooldown: 99999999999999999999",
    "class: nope",
    "http_status: 401",
    "session:",
    "login: verifyUser",
    "key: sessionKey",
    "carry:",
    "lifetime:",
    "seconds: 0",
    "method: verifyUser",
    "params:",
    "type: string",
    "type: list<map<any>>",
    "secret: true",
    "response:",
    "fields:",
    "examples:",
    "body: '{}'",
    "&a ",
    "*a",
    "!!binary ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "'",
    "\"",
    "|-",
    ">-",
    "~",
    "null",
    "\t",
    "# c",
    "---",
    "...",
    "\u{feff}",
    "é",
    "? ",
    "<<: *a",
];

/// A seed file changed in one place.
fn mutated(text: &str, how: u8, at: usize, piece: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let line = if lines.is_empty() {
        0
    } else {
        at % lines.len()
    };
    match how % 4 {
        // Cut short, at a character boundary.
        0 => text.chars().take(at % (text.chars().count() + 1)).collect(),
        // One line dropped.
        1 => lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != line)
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n"),
        // One line repeated (a duplicate key, list entry or block).
        2 => {
            let mut out: Vec<&str> = lines.clone();
            if let Some(l) = lines.get(line) {
                out.insert(line, l);
            }
            out.join("\n")
        }
        // A piece put in the middle of a line.
        _ => {
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            if let Some(l) = out.get_mut(line) {
                let cut = l
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(at % (l.chars().count() + 1))
                    .unwrap_or(l.len());
                l.insert_str(cut, piece);
            }
            out.join("\n")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn mutated_seed_specs_never_panic(
        seed in any::<prop::sample::Index>(),
        file in any::<prop::sample::Index>(),
        how in any::<u8>(),
        at in any::<usize>(),
        piece in prop::sample::select(YAML_PIECES),
    ) {
        let (name, provider, methods) = seed.get(seeds()).clone();
        // Index 0 is provider.yaml, the rest are the method files.
        let target = file.index(methods.len() + 1);
        let (provider, methods) = if target == 0 {
            (mutated(&provider, how, at, piece), methods)
        } else {
            let mut methods = methods;
            methods[target - 1] = mutated(&methods[target - 1], how, at, piece);
            (provider, methods)
        };
        run(&name, provider, methods);
    }

    #[test]
    fn assembled_yaml_never_panics(
        provider in prop::collection::vec(prop::sample::select(YAML_PIECES), 0..40),
        method in prop::collection::vec(prop::sample::select(YAML_PIECES), 0..40),
    ) {
        run("erply", provider.concat(), vec![method.concat()]);
    }
}
