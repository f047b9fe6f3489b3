//! Spec folders the command tests build and edit: one provider, `acme`,
//! as (file name, text) pairs.

// Each test binary compiles its own copy and uses part of it.
#![allow(dead_code)]

use std::path::Path;

pub type Files = Vec<(&'static str, String)>;

/// Writes `files` as the provider folder `acme` under `root`.
pub fn write_specs(root: &Path, files: &[(&str, String)]) {
    let dir = root.join("acme");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// Replaces `old` by `new` in `file`, insisting that `old` is there once.
pub fn edit(files: &mut [(&'static str, String)], file: &str, old: &str, new: &str) {
    let entry = files.iter_mut().find(|(n, _)| *n == file).unwrap();
    assert_eq!(entry.1.matches(old).count(), 1, "`{old}` in {file}");
    entry.1 = entry.1.replace(old, new);
}

/// Writes `text` unless the file already holds it, so cargo rechecks only
/// what changed (the scratch crates of `semver_proof` and `feature_gates`).
pub fn write_if_changed(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap();
    }
}
