//! The harness of the spec tests that build specs in Rust (spec_refresh,
//! spec_steps, session_answer_key, spec_diagnostics; most diagnostics are
//! fixtures in `codegen/tests/diagnostics/`):
//! write a tiny provider folder into a temporary directory, run the
//! checker, and compare each diagnostic's message, location, YAML path and
//! hint.

use loginspec_codegen::{load_and_check, Diagnostic};
use std::path::{Path, PathBuf};

/// `text` with `from` replaced by `to`, which must occur exactly once.
pub fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur exactly once in:\n{text}"
    );
    text.replace(from, to)
}

/// Writes `specs/<folder>/provider.yaml` and the method files into a fresh
/// temporary directory and returns it with the specs path.
pub fn write_specs(
    folder: &str,
    provider: &str,
    methods: &[(&str, &str)],
) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let specs = tmp.path().join("specs");
    let dir = specs.join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("provider.yaml"), provider).unwrap();
    for (name, text) in methods {
        std::fs::write(dir.join(name), text).unwrap();
    }
    (tmp, specs)
}

pub fn diagnostics_of(specs: &Path) -> Vec<Diagnostic> {
    match load_and_check(specs) {
        Ok(_) => panic!(
            "expected diagnostics for {}, but the specs were accepted",
            specs.display()
        ),
        Err(diags) => diags.0,
    }
}

/// Runs the checker on `specs/acme/` with one method file `login.yaml`.
pub fn run(provider: &str, method: &str) -> Vec<Diagnostic> {
    run_files("acme", provider, &[("login.yaml", method)])
}

pub fn run_files(folder: &str, provider: &str, methods: &[(&str, &str)]) -> Vec<Diagnostic> {
    let (_tmp, specs) = write_specs(folder, provider, methods);
    diagnostics_of(&specs)
}

pub fn dump(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| {
            format!(
                "{d}[location {} | path `{}`]\n",
                d.location(),
                d.yaml_path()
            )
        })
        .collect()
}

/// What one diagnostic must look like.
pub struct Want<'a> {
    /// The exact message, or with `~` in front a substring of it.
    pub message: &'a str,
    pub location: &'a str,
    pub path: &'a str,
    /// `None`: no hint; `Some(s)`: a hint containing `s` (`""` for any hint).
    pub hint: Option<&'a str>,
}

pub fn message_matches(message: &str, want: &str) -> bool {
    match want.strip_prefix('~') {
        Some(sub) => message.contains(sub),
        None => message == want,
    }
}

/// Finds the one diagnostic whose message matches and checks the rest.
#[track_caller]
pub fn expect(diags: &[Diagnostic], want: Want) {
    let found: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| message_matches(&d.message, want.message))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one diagnostic with message {:?}; got:\n{}",
        want.message,
        dump(diags)
    );
    let d = found[0];
    assert_eq!(
        d.location(),
        want.location,
        "location of {:?}\n{}",
        d.message,
        dump(diags)
    );
    assert_eq!(
        d.yaml_path(),
        want.path,
        "YAML path of {:?}\n{}",
        d.message,
        dump(diags)
    );
    match want.hint {
        None => assert!(
            d.hint.is_none(),
            "unexpected hint on {:?}: {:?}",
            d.message,
            d.hint
        ),
        Some(sub) => {
            let hint = d
                .hint
                .as_deref()
                .unwrap_or_else(|| panic!("no hint on {:?}\n{}", d.message, dump(diags)));
            assert!(hint.contains(sub), "hint {hint:?} lacks {sub:?}");
        }
    }
    if d.pos.is_some() {
        assert!(
            d.line_text.is_some(),
            "a located diagnostic carries its source line: {d:?}"
        );
    }
}

/// Like [`expect`], and the diagnostic is the only one.
#[track_caller]
pub fn expect_only(diags: &[Diagnostic], want: Want) {
    assert_eq!(
        diags.len(),
        1,
        "expected exactly one diagnostic; got:\n{}",
        dump(diags)
    );
    expect(diags, want);
}

pub const PROVIDER_FILE: &str = "specs/acme/provider.yaml";
pub const LOGIN_FILE: &str = "specs/acme/login.yaml";

pub fn at(file: &str, line: usize, col: usize) -> String {
    format!("{file}:{line}:{col}")
}

/// A valid v2 provider. Lines: 1 provider, 2 title, 3 base_url, 4 request,
/// 5 encodings, 6 response, 7 error_rules, 8 `- code`, 9 code_type.
pub const V2_PROVIDER: &str = "\
provider: acme
title: Acme
base_url: https://api.acme.test/
request:
  encodings: [json]
response:
  error_rules:
    - code: /code
      code_type: int
";

/// A valid v2 method. Lines: 1 method, 2 doc, 3 path, 4 params,
/// 5 `- name: user`, 6 type, 7 doc, 8 response, 9 fields, 10 `- name: token`,
/// 11 type, 12 doc.
pub const V2_METHOD: &str = "\
method: login
doc: Logs in.
path: login
params:
  - name: user
    type: string
    doc: User name.
response:
  fields:
    - name: token
      type: string
      doc: Token.
";
