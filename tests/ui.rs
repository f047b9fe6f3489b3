//! UI tests of `loginspec::client!`, driven by trybuild.
//!
//! `ui/fail/*.rs` must fail to compile with exactly the diagnostics in the
//! `.stderr` file next to each; `ui/pass/*.rs` must compile and run.
//!
//! The macro resolves its path against `CARGO_MANIFEST_DIR`, and trybuild
//! builds the cases as a crate of its own under
//! `<target>/tests/trybuild/loginspec-tests/`. So before the run, `ui/specs`
//! is copied into that crate as its `specs/` folder: the cases then name
//! `specs/<case>/acme` exactly as a user names a folder next to their
//! Cargo.toml, and every message shows that relative path.
//!
//! `TRYBUILD=overwrite cargo test -p loginspec-tests --test ui` rewrites the
//! snapshots; review every changed `.stderr` before committing it.

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn ui() {
    let project = trybuild_project_dir();
    let specs = project.join("specs");
    if specs.exists() {
        // Stale cases from an earlier run must not linger.
        std::fs::remove_dir_all(&specs).expect("remove the old copy of ui/specs");
    }
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/specs"),
        &specs,
    );

    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/fail/*.rs");
    cases.pass("ui/pass/*.rs");
    // The cases run when `cases` is dropped.
}

/// The folder trybuild builds its crate in: `<target>/tests/trybuild/<crate>`,
/// with the target folder found the way trybuild finds it.
fn trybuild_project_dir() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version=1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(output.status.success(), "cargo metadata failed: {output:?}");
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let target = metadata["target_directory"]
        .as_str()
        .expect("cargo metadata names the target directory");
    Path::new(target)
        .join("tests/trybuild")
        .join(env!("CARGO_PKG_NAME"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("list {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}
