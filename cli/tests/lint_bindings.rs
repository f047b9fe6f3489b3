//! `loginspec lint`'s rules on bindings: for each, a small spec that
//! triggers it (with the location reported) and one that does not, and
//! the waivers that silence it.

use std::path::Path;
use std::process::Command;

mod support;
use support::{edit, Files};

/// A clean base: HTTPS, a session in a header, a login with a
/// `bad_credentials` error, a POST call with a JSON body.
const PROVIDER: &str = r#"provider: acme
title: Acme API
base_url: https://api.acme.test/v1/
request:
  encodings: [json]
response:
  error_rules:
    - when: {status: ["400-599"]}
      code: /error
      code_type: string
session:
  login: login
  key: token
  carry: {in: header, name: Authorization, template: "Bearer {value}"}
"#;

const LOGIN: &str = r#"method: login
doc: Logs in.
path: login
params:
  - name: user
    type: string
    doc: The user name.
  - name: password
    type: string
    secret: true
    doc: The password.
response:
  doc: The session.
  fields:
    - name: token
      type: string
      secret: true
      doc: Session token.
errors:
  - code: wrong_password
    name: WrongPassword
    doc: Wrong user name or password.
    class: bad_credentials
examples:
  - name: success
    body: '{"token": "t"}'
"#;

const SEARCH: &str = r#"method: search
doc: Searches.
path: search
session: use
params:
  - name: q
    type: string
    doc: What to look for.
response:
  doc: The hits.
  fields:
    - name: hits
      type: i64
      doc: How many.
examples:
  - name: success
    body: '{"hits": 1}'
"#;

fn base() -> Files {
    vec![
        ("provider.yaml", PROVIDER.to_string()),
        ("login.yaml", LOGIN.to_string()),
        ("search.yaml", SEARCH.to_string()),
    ]
}

/// Lints the base after `change`: the warnings' (rule, location, path) and the whole report.
fn lint(change: impl FnOnce(&mut Files)) -> (Vec<(String, String, String)>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("specs/acme");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = base();
    change(&mut files);
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_loginspec"))
        .args(["lint", "--specs"])
        .arg(tmp.path().join("specs"))
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{err}");
    let mut found = Vec::new();
    let lines: Vec<&str> = err.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix("warning: ") else {
            continue;
        };
        let rule = rest.rsplit_once(" [").map(|(_, r)| r.trim_end_matches(']'));
        let location = lines[i + 1].trim().trim_start_matches("--> ");
        let path = lines[i + 1..]
            .iter()
            .find_map(|l| l.trim().strip_prefix("= at: "))
            .unwrap_or("");
        found.push((
            rule.unwrap_or("").to_string(),
            location.to_string(),
            path.to_string(),
        ));
    }
    (found, err)
}

fn expect(change: impl FnOnce(&mut Files), want: &[(&str, &str, &str)]) -> String {
    let (got, report) = lint(change);
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want, "{report}");
    report
}

#[test]
fn the_base_is_clean() {
    expect(|_| {}, &[]);
}

#[test]
fn a_body_on_get_or_delete() {
    let report = expect(
        |f| {
            edit(
                f,
                "search.yaml",
                "path: search\n",
                "path: search\nhttp: GET\n",
            )
        },
        &[("body-on-get", "specs/acme/search.yaml:4:7", "http")],
    );
    assert!(report.contains("this GET call sends a body (parameter `q`)"));
    // The verb from the provider is reported at the method.
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  encodings: [json]\n",
                "  encodings: [json]\n  http: DELETE\n",
            );
            edit(
                f,
                "login.yaml",
                "path: login\n",
                "path: login\nhttp: POST\n",
            );
        },
        &[("body-on-get", "specs/acme/search.yaml:1:9", "method")],
    );
    // In the query or the path, a GET has no body.
    expect(
        |f| {
            edit(
                f,
                "search.yaml",
                "path: search\n",
                "path: search\nhttp: GET\n",
            );
            edit(
                f,
                "search.yaml",
                "    doc: What to look for.\n",
                "    doc: What to look for.\n    in: query\n",
            );
        },
        &[],
    );
    // The `query` encoding puts body members in the query string.
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  encodings: [json]\n",
                "  encodings: [query]\n",
            );
            edit(
                f,
                "search.yaml",
                "path: search\n",
                "path: search\nhttp: GET\n",
            );
        },
        // (and so the password, which is another rule)
        &[(
            "secret-in-url",
            "specs/acme/login.yaml:8:11",
            "params[1].name",
        )],
    );
}

#[test]
fn a_secret_in_the_url() {
    let report = expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "    secret: true\n    doc: The password.\n",
                "    secret: true\n    doc: The password.\n    in: query\n",
            )
        },
        &[(
            "secret-in-url",
            "specs/acme/login.yaml:12:9",
            "params[1].in",
        )],
    );
    assert!(report.contains("secret parameter `password` is sent in the query string"));
    // The session key, reported once where the carry is written.
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "{in: header, name: Authorization, template: \"Bearer {value}\"}",
                "{in: query, name: token}",
            )
        },
        &[(
            "secret-in-url",
            "specs/acme/provider.yaml:14:10",
            "session.carry",
        )],
    );
    // A secret variable sent with every call.
    expect(
        |f| {
            edit(f, "provider.yaml", "request:\n", "variables:\n  - {name: key, doc: The API key., in: query, secret: true}\nrequest:\n")
        },
        &[(
            "secret-in-url",
            "specs/acme/provider.yaml:5:40",
            "variables[0].in",
        )],
    );
    // A value derived from a secret is secret; the body is not the URL.
    expect(
        |f| {
            edit(f, "login.yaml", "path: login\n", "path: login/{hash}\n");
            edit(f, "login.yaml", "    doc: The password.\n", "    doc: The password.\n    in: none\n  - name: hash\n    type: string\n    in: path\n    derived: [{param: password}, sha256, hex]\n    doc: Its hash.\n")
        },
        &[(
            "secret-in-url",
            "specs/acme/login.yaml:15:9",
            "params[2].in",
        )],
    );
    expect(
        |f| {
            edit(f, "login.yaml", "    doc: The password.\n", "    doc: The password.\n    in: none\n  - name: hash\n    type: string\n    derived: [{param: password}, sha256, hex]\n    doc: Its hash.\n")
        },
        &[],
    );
    // The `query` encoding sends body members, secrets too, in the URL.
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  encodings: [json]\n",
                "  encodings: [query]\n",
            )
        },
        &[(
            "secret-in-url",
            "specs/acme/login.yaml:8:11",
            "params[1].name",
        )],
    );
    // Not secret: not reported.
    expect(
        |f| {
            edit(
                f,
                "search.yaml",
                "    doc: What to look for.\n",
                "    doc: What to look for.\n    in: query\n",
            )
        },
        &[],
    );
}

#[test]
fn a_credential_over_plain_http() {
    let report = expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "https://api.acme.test/v1/",
                "http://api.acme.test/v1/",
            )
        },
        &[(
            "plaintext-credential",
            "specs/acme/provider.yaml:3:11",
            "base_url",
        )],
    );
    assert!(report.contains("credentials go over plain HTTP to `api.acme.test` (parameter `password` of `login`, among others)"), "{report}");
    for loopback in [
        "http://127.0.0.1:8080/",
        "http://localhost/",
        "http://[::1]:9091/",
    ] {
        expect(
            |f| edit(f, "provider.yaml", "https://api.acme.test/v1/", loopback),
            &[],
        );
    }
    // No credential at all: nothing to protect.
    let (got, _) = lint(|f| {
        edit(
            f,
            "provider.yaml",
            "https://api.acme.test/v1/",
            "http://api.acme.test/v1/",
        );
        let session = "session:\n  login: login\n  key: token\n  carry: {in: header, name: Authorization, template: \"Bearer {value}\"}\n";
        edit(f, "provider.yaml", session, "");
        edit(
            f,
            "login.yaml",
            "    secret: true\n    doc: The password.\n",
            "    doc: The password (not secret here).\n",
        );
        edit(f, "search.yaml", "session: use\n", "");
    });
    assert!(
        !got.iter().any(|(rule, ..)| rule == "plaintext-credential"),
        "{got:?}"
    );
}

#[test]
fn a_login_without_bad_credentials() {
    let report = expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "class: bad_credentials",
                "class: access_denied",
            )
        },
        &[(
            "login-bad-credentials",
            "specs/acme/login.yaml:20:3",
            "errors",
        )],
    );
    assert!(report.contains("the session's login `login` has no error of class `bad_credentials`"));
    // A provider-wide error counts.
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "class: bad_credentials",
                "class: access_denied",
            );
            edit(f, "provider.yaml", "session:\n", "errors:\n  - code: bad_auth\n    name: BadAuth\n    doc: Bad credentials.\n    class: bad_credentials\nsession:\n");
        },
        &[],
    );
    // Without a session, a method named login is not the session's.
    let (got, _) = lint(|f| {
        edit(
            f,
            "login.yaml",
            "class: bad_credentials",
            "class: access_denied",
        );
        let session = "session:\n  login: login\n  key: token\n  carry: {in: header, name: Authorization, template: \"Bearer {value}\"}\n";
        edit(f, "provider.yaml", session, "");
        edit(f, "search.yaml", "session: use\n", "");
    });
    assert_eq!(got, []);
}

#[test]
fn a_request_id_without_check() {
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  encodings: [json]\n",
                "  encodings: [json]\n  request_id: {at: /id}\n",
            )
        },
        &[(
            "request-id-unchecked",
            "specs/acme/provider.yaml:6:15",
            "request.request_id",
        )],
    );
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  encodings: [json]\n",
                "  encodings: [json]\n  request_id: {at: /id, check: /id}\n",
            )
        },
        &[],
    );
}

#[test]
fn a_weak_nonce() {
    let nonce = |len: &str, alphabet: &str| {
        format!("    doc: The password.\n  - name: salt\n    type: string\n    derived: [{{nonce: {{len: {len}, alphabet: {alphabet}}}}}]\n    doc: Salt.\n")
    };
    let report = expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "    doc: The password.\n",
                &nonce("6", "hex"),
            )
        },
        &[(
            "weak-nonce",
            "specs/acme/login.yaml:14:29",
            "params[2].derived[0].nonce.len",
        )],
    );
    assert!(
        report.contains("a nonce of 6 Hex characters has 24 random bits"),
        "{report}"
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "    doc: The password.\n",
                &nonce("9", "digits"),
            )
        },
        &[(
            "weak-nonce",
            "specs/acme/login.yaml:14:29",
            "params[2].derived[0].nonce.len",
        )],
    );
    // 32 bits and more: 8 hex, 6 alnum, 10 digits.
    for (len, alphabet) in [("8", "hex"), ("6", "alnum"), ("10", "digits")] {
        expect(
            |f| {
                edit(
                    f,
                    "login.yaml",
                    "    doc: The password.\n",
                    &nonce(len, alphabet),
                )
            },
            &[],
        );
    }
}

#[test]
fn waivers_in_the_file_where_the_finding_is() {
    let carry = "{in: header, name: Authorization, template: \"Bearer {value}\"}";
    // A provider finding is waived in provider.yaml, a method finding in its file.
    expect(
        |f| {
            edit(f, "provider.yaml", carry, "{in: query, name: token}");
            f[0].1.push_str(
                "lint_allow:\n  secret-in-url: the vendor takes the token only in the query\n",
            );
            edit(
                f,
                "search.yaml",
                "path: search\n",
                "path: search\nhttp: GET\n",
            );
            f[2].1
                .push_str("lint_allow:\n  body-on-get: the vendor reads the body of this GET\n");
        },
        &[],
    );
    // A waiver in another file does not count; one without a reason waives nothing.
    let report = expect(
        |f| {
            edit(f, "provider.yaml", carry, "{in: query, name: token}");
            f[2].1
                .push_str("lint_allow:\n  secret-in-url: wrong file\n");
            f[0].1.push_str("lint_allow:\n  body-on-get: \"\"\n");
        },
        &[
            (
                "lint-allow",
                "specs/acme/provider.yaml:16:16",
                "lint_allow.body-on-get",
            ),
            (
                "secret-in-url",
                "specs/acme/provider.yaml:14:10",
                "session.carry",
            ),
        ],
    );
    assert!(report.contains("the waiver of `body-on-get` gives no reason"));
}

/// The repository's own spec folders lint clean (their waivers give reasons).
#[test]
fn the_repository_specs_lint_clean_of_binding_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for dir in ["specs", "tests/peers/specs", "tests/corpus"] {
        let out = Command::new(env!("CARGO_BIN_EXE_loginspec"))
            .args(["lint", "--specs"])
            .arg(root.join(dir))
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        for rule in [
            "body-on-get",
            "secret-in-url",
            "plaintext-credential",
            "login-bad-credentials",
            "request-id-unchecked",
            "weak-nonce",
            "lint-allow",
        ] {
            assert!(!err.contains(&format!("[{rule}]")), "{dir}: {err}");
        }
    }
}
