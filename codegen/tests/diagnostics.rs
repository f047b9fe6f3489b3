//! The spec diagnostics, one fixture folder per case.
//!
//! A case is any folder under `tests/diagnostics/` that holds an
//! `expected.txt` or a `specs`. Its `specs` is a specs folder as
//! `loginspec check --specs` takes it (missing, or a plain file, in the
//! cases about those). The generator's outcome on it must equal
//! `expected.txt` byte for byte: the diagnostics exactly as `loginspec check`
//! prints them (message, `file:line:col`, the source line with the span
//! underlined, YAML path, hint, then the count), or `specs are valid`.
//! `about.txt`, where present, says what the case is about.
//!
//! Every case runs; the failure lists each mismatch as a diff. To accept the
//! current output (then review `git diff`):
//! `LOGINSPEC_BLESS=1 cargo test -p loginspec-codegen --test diagnostics`

use loginspec_codegen::Config;
use similar::TextDiff;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const EXPECTED: &str = "expected.txt";

/// Every case folder below `dir`, in name order: one with an `expected.txt`
/// or a `specs` (a new case without `expected.txt` fails until blessed).
fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.join(EXPECTED).is_file() || dir.join("specs").symlink_metadata().is_ok() {
        out.push(dir.to_path_buf());
        return;
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        cases(&sub, out);
    }
}

/// What the generator says about the case's specs. The case's own path
/// (in messages about the specs folder itself) reads `$CASE`.
fn outcome(case: &Path) -> String {
    let text = match Config::new(case.join("specs")).generate() {
        Ok(_) => "specs are valid\n".to_string(),
        Err(diagnostics) => format!("{diagnostics}\n"),
    };
    text.replace(&case.display().to_string(), "$CASE")
}

/// Runs one case; a mismatch comes back as a diff (or, blessing, is written).
fn run_case(root: &Path, case: &Path, bless: bool) -> Option<String> {
    let name = case.strip_prefix(root).unwrap().display().to_string();
    let Ok(actual) = std::panic::catch_unwind(|| outcome(case)) else {
        return Some(format!("{name}: the generator panicked\n"));
    };
    let path = case.join(EXPECTED);
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if actual == expected {
        return None;
    }
    if bless {
        std::fs::write(&path, &actual)
            .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
        eprintln!("blessed {name}");
        return None;
    }
    let diff = TextDiff::from_lines(&expected, &actual)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{name}/{EXPECTED}"), &format!("{name} (actual)"))
        .to_string();
    Some(diff)
}

#[test]
fn diagnostics_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics");
    let bless = std::env::var_os("LOGINSPEC_BLESS").is_some_and(|v| v == "1");
    let mut all = Vec::new();
    cases(&root, &mut all);
    assert!(!all.is_empty(), "no cases under {}", root.display());

    // Cases are independent: run them on every core, report in name order.
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Option<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..std::thread::available_parallelism().map_or(1, |n| n.get()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(case) = all.get(i) else { break done };
                        done.push((i, run_case(&root, case, bless)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    let failures: Vec<String> = results.into_iter().filter_map(|(_, f)| f).collect();
    assert!(
        failures.is_empty(),
        "{} of {} diagnostics cases differ:\n\n{}\n\
         If the new output is right: LOGINSPEC_BLESS=1 cargo test -p loginspec-codegen --test diagnostics",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
    eprintln!("{} diagnostics cases", all.len());
}
