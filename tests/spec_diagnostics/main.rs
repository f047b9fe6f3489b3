//! What the diagnostics fixtures cannot say.
//!
//! Each located diagnostic of a broken spec is a fixture folder under
//! `codegen/tests/diagnostics/` (one runner, `LOGINSPEC_BLESS=1` to update).
//! Left here: no input panics (thousands of mutations of the real specs),
//! the nesting limits on generated inputs 100 000 levels deep, and what the
//! accepted specs emit (the modules: answers, client, derived, request, v2,
//! and the sessions below).

mod answers;
mod client;
mod common_errors;
mod derived;
mod request;
mod v2;

use loginspec_codegen::load_and_check;
use loginspec_tests::diagnostics::*;
use loginspec_tests::specs::{real_specs, sorted_entries};
use std::path::Path;

// ---------------------------------------------------------------------------
// Baseline specs
// ---------------------------------------------------------------------------

/// A valid provider: JSON, method name in the path, integer error codes.
/// Lines: 1 provider, 2 title, 3 base_url, 4 protocol, 5 encodings,
/// 6 method_name, 7 path, 8 error, 9 code, 10 code_type.
const PROVIDER: &str = "\
provider: acme
title: Acme
base_url: https://api.acme.test/
protocol:
  encodings: [json]
  method_name:
    path: true
  error:
    code: /code
    code_type: int
";

/// A valid method. Lines: 1 method, 2 doc, 3 params, 4 `- name: user`,
/// 5 type, 6 doc, 7 response, 8 fields, 9 `- name: token`, 10 type, 11 doc.
const METHOD: &str = "\
method: login
doc: Logs in.
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

/// A method whose single parameter `user` has the given body; the body's
/// first line is line 5.
fn method_with_param(body: &str) -> String {
    format!(
        "method: login\ndoc: Logs in.\nparams:\n  - name: user\n{body}response:\n  fields:\n    - name: token\n      type: string\n      doc: Token.\n"
    )
}

// ---------------------------------------------------------------------------
// No input panics
// ---------------------------------------------------------------------------

/// Variants of `text`: truncated after every line, and with small
/// corruptions applied to each line.
fn mutations(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = Vec::new();
    let join = |ls: &[String]| ls.concat();
    for n in 0..=lines.len() {
        out.push((format!("truncated to {n} lines"), lines[..n].concat()));
    }
    for i in 0..lines.len() {
        let owned: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let line = lines[i];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(c) = line.find(':') {
            let mut v = owned.clone();
            v[i] = format!("{}{}", &line[..c], &line[c + 1..]);
            out.push((format!("line {}: colon deleted", i + 1), join(&v)));
        }
        let mut v = owned.clone();
        v[i] = format!("\t{line}");
        out.push((format!("line {}: tab inserted", i + 1), join(&v)));
        if indent > 0 {
            let mut v = owned.clone();
            v[i] = line[1..].to_string();
            out.push((format!("line {}: dedented by one", i + 1), join(&v)));
        }
        let mut v = owned.clone();
        v[i] = format!("  {line}");
        out.push((format!("line {}: indented by two", i + 1), join(&v)));
        if i + 1 < lines.len() {
            let next = lines[i + 1];
            let next_indent = next.len() - next.trim_start_matches(' ').len();
            if next_indent != indent {
                let mut v = owned.clone();
                v[i] = format!("{}{}", &next[..next_indent], &line[indent..]);
                v[i + 1] = format!("{}{}", &line[..indent], &next[next_indent..]);
                out.push((
                    format!("lines {}-{}: indentation swapped", i + 1, i + 2),
                    join(&v),
                ));
            }
        }
        let mut v = owned.clone();
        v[i] = format!("{}\"{}", &line[..indent], &line[indent..]);
        out.push((format!("line {}: stray quote", i + 1), join(&v)));
        let mut v = owned;
        v.insert(i, line.to_string());
        out.push((format!("line {}: duplicated", i + 1), join(&v)));
    }
    out
}

#[test]
fn no_input_panics() {
    let specs = real_specs();
    let providers = sorted_entries(&specs, Path::is_dir);
    assert!(
        providers.len() >= 4,
        "real specs not found in {}",
        specs.display()
    );

    let failures = std::sync::Mutex::new(Vec::<String>::new());
    let runs = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for provider in &providers {
            let files = sorted_entries(provider, |p| p.extension().is_some_and(|e| e == "yaml"));
            for file in files {
                let provider = provider.clone();
                let failures = &failures;
                let runs = &runs;
                scope.spawn(move || {
                    let name = provider.file_name().unwrap().to_string_lossy().into_owned();
                    let tmp = tempfile::tempdir().unwrap();
                    let copy = tmp.path().join("specs").join(&name);
                    std::fs::create_dir_all(&copy).unwrap();
                    for entry in std::fs::read_dir(&provider).unwrap() {
                        let p = entry.unwrap().path();
                        std::fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
                    }
                    let target = copy.join(file.file_name().unwrap());
                    let original = std::fs::read_to_string(&file).unwrap();
                    let label = format!("{name}/{}", file.file_name().unwrap().to_string_lossy());
                    let specs_copy = tmp.path().join("specs");
                    for (what, text) in mutations(&original) {
                        std::fs::write(&target, &text).unwrap();
                        runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let outcome = std::panic::catch_unwind(|| match load_and_check(&specs_copy) {
                            Ok(_) => Vec::new(),
                            Err(diags) => {
                                // Rendering must not panic either, and must not be empty.
                                let rendered = diags.to_string();
                                assert!(!rendered.is_empty());
                                diags.0
                            }
                        });
                        match outcome {
                            Err(panic) => {
                                let msg = panic
                                    .downcast_ref::<String>()
                                    .cloned()
                                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                                    .unwrap_or_default();
                                failures.lock().unwrap().push(format!("{label} ({what}): panicked: {msg}"));
                            }
                            Ok(diags) => {
                                for d in diags {
                                    // A position must point into the file it names.
                                    if let Some(pos) = d.pos {
                                        let src = if d.file.ends_with(&*label) { text.as_str() } else { "" };
                                        if d.file.ends_with(&*label) {
                                            let lines = src.lines().count().max(1);
                                            if pos.line == 0 || pos.col == 0 || pos.line > lines + 1 {
                                                failures.lock().unwrap().push(format!(
                                                    "{label} ({what}): position {}:{} outside the file: {}",
                                                    pos.line, pos.col, d.message
                                                ));
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    std::fs::write(&target, &original).unwrap();
                    // The unmodified copy is still accepted.
                    if let Err(diags) = load_and_check(&specs_copy) {
                        failures.lock().unwrap().push(format!("{label}: pristine copy rejected:\n{diags}"));
                    }
                });
            }
        }
    });
    let failures = failures.into_inner().unwrap();
    let runs = runs.into_inner();
    assert!(runs > 500, "only {runs} mutations were tried");
    assert!(
        failures.is_empty(),
        "{} of {runs} mutated inputs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

/// The provider with a `session:` section: `session:` is line 11, the
/// block's first line is line 12.
fn session_provider(block: &str) -> String {
    format!("{PROVIDER}session:\n{block}")
}

/// A valid session block. Lines: 12 login, 13 key, 14 carry, 15 field.
/// (Not a `\`-continued literal: that would strip the indentation.)
const SESSION: &str = concat!(
    "  login: login\n",
    "  key: token\n",
    "  carry:\n",
    "    field: sid\n",
);

/// A method that carries the session key. Lines: 1 method, 2 doc,
/// 3 session, 4 response, 5 fields.
const DATA: &str = "\
method: data
doc: Reads data.
session: use
response:
  fields: []
";

/// A session key must be secret: marks the login's string `token` field so,
/// below everything the session tests point at.
fn secret_token(login: &str) -> String {
    login.replacen(
        "    - name: token\n      type: string\n",
        "    - name: token\n      type: string\n      secret: true\n",
        1,
    )
}

/// A login method with a second parameter `version` and an error code 7.
/// Lines: 3 params, 4 `- name: user`, 7 `- name: version`, 10 response,
/// 11 fields, 12 `- name: token`, 15 errors, 16 `- code: 7`.
const REFRESH_LOGIN: &str = "\
method: login
doc: Logs in.
params:
  - name: user
    type: string
    doc: User name.
  - name: version
    type: i64
    doc: Version key.
response:
  fields:
    - name: token
      type: string
      doc: Token.
errors:
  - code: 7
    name: StaleVersion
    doc: The version key is stale.
";

/// A method that works without a session and returns a fresh `version`.
const STATUS: &str = "\
method: status
doc: Reads the version key.
params:
  - name: sysvar
    type: i32
    doc: Component.
  - name: user
    type: string
    doc: User name.
response:
  fields:
    - name: verKey
      type: i64
      doc: Version key.
";

/// A valid session block with `refresh_param`. Lines: 12 login, 13 key,
/// 14 carry, 15 field, 16 refresh_param, 17 param, 18 on, 19 method,
/// 20 field, 21 args, 22 sysvar, 23 user, 24 param.
const REFRESH_SESSION: &str = concat!(
    "  login: login\n",
    "  key: token\n",
    "  carry:\n",
    "    field: sid\n",
    "  refresh_param:\n",
    "    param: version\n",
    "    on: 7\n",
    "    method: status\n",
    "    field: verKey\n",
    "    args:\n",
    "      sysvar: 1\n",
    "      user:\n",
    "        param: user\n",
);

#[test]
fn session_valid_specs_are_accepted_and_generate_a_session() {
    let lifetimes = [
        "",
        "  lifetime:\n    seconds: 300\n    sliding: true\n  refresh_margin: 10\n",
        "  lifetime:\n    from_param: ttl\n",
        "  lifetime:\n    from_response: ttl\n",
    ];
    // `ttl` is both an optional login parameter and a response field.
    let login = edit(
        &edit(
            METHOD,
            "response:\n",
            "  - name: ttl\n    type: u32\n    required: false\n    doc: Lifetime.\nresponse:\n",
        ),
        "      doc: Token.\n",
        "      doc: Token.\n    - name: ttl\n      type: i64\n      doc: Lifetime.\n",
    );
    let cases: Vec<(String, Vec<(&str, String)>)> = lifetimes
        .iter()
        .map(|extra| {
            (
                session_provider(&format!("{SESSION}{extra}")),
                vec![
                    ("login.yaml", login.clone()),
                    ("data.yaml", DATA.to_string()),
                ],
            )
        })
        .chain([
            // The key carried in the query, and a method that ends the session.
            (
                session_provider(&edit(SESSION, "field: sid", "query: sid")),
                vec![
                    ("login.yaml", METHOD.to_string()),
                    (
                        "logout.yaml",
                        edit(DATA, "method: data\n", "method: logout\n")
                            .replace("session: use", "session: end"),
                    ),
                ],
            ),
            // The login method may have a parameter named like the carried key:
            // it is sent without the session.
            (
                session_provider(SESSION),
                vec![
                    ("login.yaml", edit(METHOD, "name: user", "name: sid")),
                    ("data.yaml", DATA.to_string()),
                ],
            ),
            (
                session_provider(REFRESH_SESSION),
                vec![
                    ("data.yaml", DATA.to_string()),
                    ("login.yaml", REFRESH_LOGIN.to_string()),
                    ("status.yaml", STATUS.to_string()),
                ],
            ),
        ])
        .collect();
    for (provider, methods) in &cases {
        let methods: Vec<(&str, String)> =
            methods.iter().map(|(n, t)| (*n, secret_token(t))).collect();
        let files: Vec<(&str, &str)> = methods.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let (_tmp, specs) = write_specs("acme", provider, &files);
        let output = match loginspec_codegen::Config::new(&specs).generate() {
            Ok(output) => output,
            Err(diags) => panic!("valid session rejected:\n{diags}\n--- provider\n{provider}"),
        };
        let code = &output.providers[0].code;
        for needle in [
            "pub struct Session",
            "pub async fn ensure_login(",
            "pub fn login_count(",
            "session_key: &rt::Secret",
        ] {
            assert!(code.contains(needle), "no `{needle}` in:\n{code}");
        }
    }
}

#[test]
fn session_provider_without_session_generates_no_session() {
    let (_tmp, specs) = write_specs("acme", PROVIDER, &[("login.yaml", METHOD)]);
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    assert!(!output.providers[0].code.contains("struct Session"));
}

// ---------------------------------------------------------------------------
// Nesting limits: deep input is refused quickly, never a crash or a hang
// ---------------------------------------------------------------------------

#[test]
fn type_nested_too_deep() {
    // 5000 levels used to overflow the stack and abort the checker.
    let ty = format!("{}string{}", "list<".repeat(5000), ">".repeat(5000));
    let diags = run(
        PROVIDER,
        &method_with_param(&format!("    type: {ty}\n    doc: A.\n")),
    );
    expect_only(
        &diags,
        Want {
            message: "the type nests lists and maps more than 32 deep",
            location: &at(LOGIN_FILE, 5, 11),
            path: "params[0].type",
            hint: Some("give an inner level a named type"),
        },
    );
}

#[test]
fn yaml_flow_nested_where_a_string_belongs() {
    // 100 000 levels used to keep the parser busy for minutes. A body is a
    // string, so the first `[` is already wrong: the parser reads no further.
    let method = format!(
        "{METHOD}examples:\n  - name: deep\n    body: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "invalid type: sequence, expected a string",
            location: &at(LOGIN_FILE, 14, 11),
            path: "examples[0].body",
            hint: Some("wrong YAML type"),
        },
    );
}

#[test]
fn yaml_block_nested_where_a_map_belongs() {
    let method = format!("{METHOD}examples:\n  {}x\n", "- ".repeat(50_000));
    let diags = run(PROVIDER, &method);
    // An example is a map; the second `-` starts a list instead.
    expect_only(
        &diags,
        Want {
            message: "invalid type: sequence, expected a map",
            location: &at(LOGIN_FILE, 13, 5),
            path: "examples[0]",
            hint: Some("wrong YAML type"),
        },
    );
}

/// A constant's value takes any YAML, so only the depth limit stops it.
fn method_with_constant(value: &str) -> String {
    edit(
        METHOD,
        "params:\n",
        &format!("constants:\n  X: {value}\nparams:\n"),
    )
}

#[test]
fn yaml_flow_nested_too_deep() {
    let method = method_with_constant(&format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)));
    let diags = run(PROVIDER, &method);
    // Line 4, the value starts at column 6. The parser allows 64 open
    // `[`/`{` (block levels aside), so the 65th `[` is refused.
    expect_only(
        &diags,
        Want {
            message: "the YAML nests deeper than 64 levels here",
            location: &at(LOGIN_FILE, 4, 6 + 64),
            path: "constants.X",
            hint: Some("as a quoted string or a `|` block"),
        },
    );
}

#[test]
fn yaml_block_nested_too_deep() {
    let method = method_with_constant(&format!("\n    {}x", "- ".repeat(100_000)));
    let diags = run(PROVIDER, &method);
    // Line 5 from column 5; the 63rd `- ` (column 5 + 2 * 62) is level 65.
    expect_only(
        &diags,
        Want {
            message: "the YAML nests deeper than 64 levels here",
            location: &at(LOGIN_FILE, 5, 5 + 2 * 62),
            path: &format!("constants.X{}", "[0]".repeat(61)),
            hint: Some("a spec needs a few levels"),
        },
    );
}
