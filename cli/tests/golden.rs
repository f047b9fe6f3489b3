//! Golden files: what `loginspec generate` writes for the repository's specs
//! (`specs/`) and the peer specs (`tests/peers/specs/`), one snapshot per
//! provider under `cli/tests/golden/`, so a review sees every change to the
//! generated code as a diff.
//!
//! After a change to the generator, rewrite them and review the diff:
//! `INSTA_UPDATE=always cargo test -p loginspec-cli --test golden`
//! (or `cargo insta test -p loginspec-cli --test golden --review` with
//! cargo-insta installed).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the built `loginspec generate` on `specs` (relative to the
/// repository, as a user would type it) and snapshots each file it writes.
fn snapshot_generated(specs: &str, snapshots: &str) {
    let out = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_loginspec"))
        .args(["generate", "--specs", specs, "--out"])
        .arg(out.path())
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "loginspec generate --specs {specs} failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no files generated from {specs}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new("golden").join(snapshots));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for file in &files {
            let name = file.file_stem().unwrap().to_string_lossy().into_owned();
            let code = std::fs::read_to_string(file).unwrap();
            insta::assert_snapshot!(name, code);
        }
    });
}

#[test]
fn seed_specs() {
    snapshot_generated("specs", "specs");
}

#[test]
fn peer_specs() {
    snapshot_generated("tests/peers/specs", "peers");
}
