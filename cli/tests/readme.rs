//! The README's walkthroughs, followed literally: the commands, the spec
//! edit, the placeholder table, the program and the expected outputs are all
//! read from README.md, so the document and the tool cannot drift apart.
//!
//! The two full runs build a copy of the workspace, which takes minutes, so
//! they are `#[ignore]`d in `cargo test --workspace` and run by `.ci/run`:
//! `cargo test -p loginspec-cli --test readme -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One piece of a walkthrough, in reading order.
#[derive(Debug, PartialEq)]
enum Step {
    /// A ```sh block: one command a line.
    Commands(Vec<String>),
    /// A ```text block: the standard output of the command before it.
    Output(String),
    /// A ```diff block: the edit to make.
    Patch(String),
    /// A fenced block whose info string names a file: save it there. (The
    /// program is tagged `rust,ignore`: tests/support compiles the README's
    /// Rust blocks as doctests, and `acme` does not exist there.)
    File(String, String),
    /// The `| `TODO_…` | `value` |` rows of a table.
    Fill(Vec<(String, String)>),
}

/// The steps of the README section headed `## {title}`.
fn section(title: &str) -> Vec<Step> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("README has no section `{title}`"));
    let body = &readme[start + 1..];
    let end = body[3..].find("\n## ").map_or(body.len(), |e| e + 3);
    let mut steps = Vec::new();
    let mut lines = body[..end].lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let mut block = String::new();
            for inner in lines.by_ref() {
                if inner == "```" {
                    break;
                }
                block.push_str(inner);
                block.push('\n');
            }
            let mut words = info.split_whitespace();
            let lang = words.next().unwrap_or_default();
            steps.push(match (lang, words.next()) {
                (_, Some(file)) => Step::File(file.to_string(), block),
                ("sh", None) => Step::Commands(block.lines().map(str::to_string).collect()),
                ("text", None) => Step::Output(block),
                ("diff", None) => Step::Patch(block),
                other => panic!("unexpected block {other:?} in `{title}`"),
            });
        } else if let Some(row) = line.strip_prefix("| `TODO_") {
            let cells: Vec<&str> = row.split(" | ").collect();
            let value = cells[1].trim_end_matches(" |").trim();
            let pair = (
                format!("TODO_{}", cells[0].trim_end_matches('`')),
                value
                    .strip_prefix('`')
                    .and_then(|v| v.strip_suffix('`'))
                    .unwrap()
                    .to_string(),
            );
            match steps.last_mut() {
                Some(Step::Fill(rows)) => rows.push(pair),
                _ => steps.push(Step::Fill(vec![pair])),
            }
        }
    }
    steps
}

/// Copies the repository (sources only) and makes it a git repository with
/// one commit, as a fresh clone would be.
fn fresh_clone(into: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if name == "target" || name == ".git" {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                copy(&path, &to.join(&name));
            } else {
                std::fs::copy(&path, to.join(&name)).unwrap();
            }
        }
    }
    copy(&repo(), into);
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &["commit", "-qm", "clone"],
    ] {
        let status = Command::new("git")
            .args(args)
            .current_dir(into)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }
}

/// Runs the steps in a fresh copy of the repository, with the `loginspec`
/// under test on PATH where the README has `cargo install` put it.
fn follow(steps: &[Step]) {
    let tmp = tempfile::tempdir().unwrap();
    let clone = tmp.path().join("loginspec");
    fresh_clone(&clone);
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_loginspec"), bin.join("loginspec")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // A target folder of its own (the running `cargo test` holds the
    // workspace's), kept between runs so a second run is quick.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
        .join("readme-walkthrough");

    let mut last_stdout: Option<String> = None;
    for step in steps {
        match step {
            Step::Commands(lines) => {
                for line in lines.iter().filter(|l| !l.trim().is_empty()) {
                    if line.starts_with("cargo install --path cli") {
                        continue; // replaced by the binary under test on PATH
                    }
                    let out = Command::new("sh")
                        .args(["-c", line])
                        .current_dir(&clone)
                        .env("PATH", &path)
                        .env("CARGO_TARGET_DIR", &target)
                        .env("CARGO_NET_OFFLINE", "true")
                        .env("CARGO_TERM_COLOR", "never")
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "`{line}` failed:\n{}\n{}",
                        String::from_utf8_lossy(&out.stdout),
                        String::from_utf8_lossy(&out.stderr)
                    );
                    last_stdout = Some(String::from_utf8(out.stdout).unwrap());
                }
            }
            Step::Output(expected) => {
                let got = last_stdout
                    .take()
                    .expect("an output block follows a command");
                assert_eq!(&got, expected);
            }
            Step::Patch(patch) => {
                let file = tmp.path().join("edit.diff");
                std::fs::write(&file, patch).unwrap();
                let out = Command::new("git")
                    .arg("apply")
                    .arg(&file)
                    .current_dir(&clone)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            Step::File(name, content) => {
                let file = clone.join(name);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(file, content).unwrap();
            }
            Step::Fill(rows) => fill(&clone.join("specs"), rows),
        }
    }
}

/// Replaces placeholders in every spec file that has one, in table order.
fn fill(specs: &Path, rows: &[(String, String)]) {
    for dir in std::fs::read_dir(specs).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let file = file.unwrap().path();
            let mut text = std::fs::read_to_string(&file).unwrap();
            if !text.contains("TODO_") {
                continue;
            }
            for (todo, value) in rows {
                text = text.replace(todo, value);
            }
            assert!(
                !text.contains("TODO_"),
                "{} still has a TODO_",
                file.display()
            );
            std::fs::write(&file, text).unwrap();
        }
    }
}

#[test]
fn walkthroughs_have_the_expected_shape() {
    let vendor = section("When the vendor docs change");
    let kinds: Vec<&str> = vendor
        .iter()
        .map(|s| match s {
            Step::Commands(_) => "sh",
            Step::Output(_) => "text",
            Step::Patch(_) => "diff",
            Step::File(..) => "file",
            Step::Fill(_) => "fill",
        })
        .collect();
    assert_eq!(kinds, ["sh", "diff", "sh", "text", "sh"]);
    assert_eq!(
        vendor[0],
        Step::Commands(vec!["cargo install --path cli --locked".into()])
    );

    let provider = section("Walkthrough: add a provider");
    let Step::Fill(rows) = &provider[1] else {
        panic!("the placeholder table follows `loginspec new`: {provider:?}")
    };
    // Every placeholder the scaffold writes is in the table.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("specs")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_loginspec"))
        .args(["new", "acme", "login"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut scaffold = String::new();
    for file in ["provider.yaml", "login.yaml"] {
        scaffold
            .push_str(&std::fs::read_to_string(tmp.path().join("specs/acme").join(file)).unwrap());
    }
    let mut placeholders: Vec<&str> = scaffold
        .match_indices("TODO_")
        .map(|(i, _)| {
            let rest = &scaffold[i..];
            &rest[..rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len())]
        })
        .collect();
    placeholders.sort();
    placeholders.dedup();
    let mut in_table: Vec<&str> = rows.iter().map(|(t, _)| t.as_str()).collect();
    in_table.sort();
    assert_eq!(placeholders, in_table);
    fill(&tmp.path().join("specs"), rows);
    let check = Command::new(env!("CARGO_BIN_EXE_loginspec"))
        .arg("check")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
#[ignore = "builds a copy of the workspace; .ci/run runs it"]
fn when_the_vendor_docs_change() {
    follow(&section("When the vendor docs change"));
}

#[test]
#[ignore = "builds a copy of the workspace; .ci/run runs it"]
fn add_a_provider() {
    follow(&section("Walkthrough: add a provider"));
}
