//! `loginspec diff` classifies each kind of spec change: one case per kind,
//! each an edit of a small base spec, checked through `--format json`.

use std::process::Command;

mod support;
use support::{edit, write_specs};

const PROVIDER: &str = r#"provider: acme
title: Acme API
base_url: https://api.acme.test/v1/
protocol:
  encodings: [json]
  method_name:
    path: true
  payload: ""
  error:
    code: /error/code
    message: /error/message
    code_type: int
types:
  Profile:
    doc: The user's profile.
    fields:
      - name: displayName
        type: string
        doc: Name shown to others.
  Role:
    doc: What the user may do.
    enum:
      - name: Reader
        value: 1
        doc: Reads only.
      - name: Admin
        value: 2
        doc: Everything.
  Scopes:
    doc: Granted scopes.
    flags:
      - name: READ
        value: 1
        doc: Read access.
errors:
  - code: 500
    name: ServerFault
    doc: Something broke on the server.
    class: server
"#;

const LOGIN: &str = r#"method: auth/login
rust_name: login
doc: Logs in.
params:
  - name: userName
    type: string
    doc: The user name.
  - name: password
    type: string
    secret: true
    doc: The password.
  - name: ttl
    type: u32
    required: false
    doc: Session lifetime in seconds.
  - name: lang
    type: string
    default: en
    doc: Language of messages.
response:
  doc: The session.
  fields:
    - name: token
      type: string
      secret: true
      doc: Session token.
    - name: expiresIn
      type: i64
      doc: Seconds until the token expires.
    - name: role
      type: Role
      required: false
      doc: The user's role.
errors:
  - code: 401
    name: WrongPassword
    doc: Wrong user name or password.
    class: bad_credentials
examples:
  - name: success
    body: '{"token": "t", "expiresIn": 60}'
"#;

const LOGOUT: &str = r#"method: auth/logout
rust_name: logout
doc: Logs out.
params:
  - name: token
    type: string
    secret: true
    doc: Session token.
response:
  doc: Nothing.
  fields: []
"#;

fn base() -> Vec<(&'static str, String)> {
    vec![
        ("provider.yaml", PROVIDER.to_string()),
        ("login.yaml", LOGIN.to_string()),
        ("logout.yaml", LOGOUT.to_string()),
    ]
}

/// Runs `loginspec diff` from the base to the edited specs: (bump, [(class, kind)]).
fn diff(change: impl FnOnce(&mut Vec<(&'static str, String)>)) -> (String, Vec<(String, String)>) {
    diff_from(base(), change)
}

/// Like [`diff`], from `start` instead of the base.
fn diff_from(
    start: Vec<(&'static str, String)>,
    change: impl FnOnce(&mut Vec<(&'static str, String)>),
) -> (String, Vec<(String, String)>) {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old/specs");
    let new = tmp.path().join("new/specs");
    write_specs(&old, &start);
    let mut files = start;
    change(&mut files);
    files.retain(|(_, text)| !text.is_empty());
    write_specs(&new, &files);
    let out = Command::new(env!("CARGO_BIN_EXE_loginspec"))
        .args(["diff", "--format", "json"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "diff failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["class"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (report["bump"].as_str().unwrap().to_string(), changes)
}

fn expect(
    change: impl FnOnce(&mut Vec<(&'static str, String)>),
    bump: &str,
    want: &[(&str, &str)],
) {
    let (got_bump, got) = diff(change);
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(c, k)| (c.to_string(), k.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(got_bump, bump);
}

#[test]
fn unchanged_specs_report_nothing() {
    expect(|_| {}, "none", &[]);
}

#[test]
fn method_removed_is_breaking() {
    expect(
        |f| f.retain(|(n, _)| *n != "logout.yaml"),
        "major",
        &[("breaking", "method_removed")],
    );
}

#[test]
fn method_added_is_additive() {
    expect(
        |f| {
            f.push((
                "refresh.yaml",
                LOGOUT
                    .replace("auth/logout", "auth/refresh")
                    .replace("logout", "refresh"),
            ))
        },
        "minor",
        &[("additive", "method_added")],
    );
}

#[test]
fn method_renamed_is_breaking_but_wire_rename_is_patch() {
    expect(
        |f| edit(f, "login.yaml", "rust_name: login", "rust_name: sign_in"),
        "major",
        &[("breaking", "method_renamed")],
    );
    expect(
        |f| edit(f, "login.yaml", "method: auth/login", "method: auth/signin"),
        "patch",
        &[("patch", "method_wire_renamed")],
    );
}

#[test]
fn new_required_param_is_breaking() {
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "params:\n",
                "params:\n  - name: otp\n    type: string\n    doc: One-time code.\n",
            )
        },
        "major",
        &[("breaking", "param_added_required")],
    );
}

#[test]
fn new_optional_param_is_additive() {
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "params:\n",
                "params:\n  - name: otp\n    type: string\n    required: false\n    doc: One-time code.\n",
            )
        },
        "minor",
        &[("additive", "param_added_optional")],
    );
}

#[test]
fn param_removed_is_breaking() {
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "  - name: ttl\n    type: u32\n    required: false\n    doc: Session lifetime in seconds.\n",
                "",
            )
        },
        "major",
        &[("breaking", "param_removed")],
    );
}

#[test]
fn param_renamed_is_breaking_wire_rename_is_patch() {
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "  - name: ttl\n",
                "  - name: ttl\n    rust_name: lifetime\n",
            )
        },
        "major",
        &[("breaking", "param_renamed")],
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "  - name: userName\n",
                "  - name: login\n    rust_name: user_name\n",
            )
        },
        "patch",
        &[("patch", "param_wire_renamed")],
    );
}

#[test]
fn requiredness_of_params_is_breaking_both_ways() {
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "    type: u32\n    required: false\n",
                "    type: u32\n",
            )
        },
        "major",
        &[("breaking", "param_became_required")],
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "    type: string\n    doc: The user name.",
                "    type: string\n    required: false\n    doc: The user name.",
            )
        },
        "major",
        &[("breaking", "param_became_optional")],
    );
}

#[test]
fn param_type_change_is_breaking() {
    expect(
        |f| edit(f, "login.yaml", "type: u32", "type: u64"),
        "major",
        &[("breaking", "param_type_changed")],
    );
}

#[test]
fn param_default_change_is_patch() {
    expect(
        |f| edit(f, "login.yaml", "default: en", "default: de"),
        "patch",
        &[("patch", "param_default_changed")],
    );
}

#[test]
fn secret_flag_change_is_breaking() {
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "    type: string\n    secret: true\n    doc: The password.",
                "    type: string\n    doc: The password.",
            )
        },
        "major",
        &[("breaking", "param_secret_changed")],
    );
}

#[test]
fn response_fields_added_removed_renamed() {
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "  fields:\n",
                "  fields:\n    - name: userId\n      type: i64\n      doc: The user's id.\n",
            )
        },
        "minor",
        &[("additive", "field_added")],
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "    - name: expiresIn\n      type: i64\n      doc: Seconds until the token expires.\n",
                "",
            )
        },
        "major",
        &[("breaking", "field_removed")],
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "    - name: expiresIn\n",
                "    - name: expiresIn\n      rust_name: ttl\n",
            )
        },
        "major",
        &[("breaking", "field_renamed")],
    );
}

#[test]
fn response_field_requiredness_and_type() {
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "      type: i64\n      doc: Seconds",
                "      type: i64\n      required: false\n      doc: Seconds",
            )
        },
        "major",
        &[("breaking", "field_became_optional")],
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "      type: Role\n      required: false\n",
                "      type: Role\n",
            )
        },
        "major",
        &[("breaking", "field_became_required")],
    );
    expect(
        |f| edit(f, "login.yaml", "      type: i64\n", "      type: string\n"),
        "major",
        &[("breaking", "field_type_changed")],
    );
}

#[test]
fn error_codes() {
    // Error enums are #[non_exhaustive]: a new variant breaks no match.
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "errors:\n",
                "errors:\n  - code: 423\n    name: Locked\n    doc: Locked out.\n    class: access_denied\n",
            )
        },
        "minor",
        &[("additive", "error_added")],
    );
    expect(
        |f| {
            // `errors:` with nothing under it is null, not an empty list.
            edit(f, "provider.yaml", "errors:\n  - code: 500\n    name: ServerFault\n    doc: Something broke on the server.\n    class: server\n", "")
        },
        "major",
        // The provider-wide error is one variant of `ProviderError`: one report.
        &[("breaking", "error_removed")],
    );
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "errors:\n",
                "errors:\n  - code: 429\n    name: TooMany\n    doc: Too many.\n    class: rate_limited\n",
            )
        },
        "minor",
        // Once for the provider, not once per method.
        &[("additive", "error_added")],
    );
    expect(
        |f| {
            // The login's own `WrongPassword` becomes provider-wide: the login
            // re-documents it, and callers match `Provider(ProviderError::WrongPassword)`.
            edit(
                f,
                "provider.yaml",
                "errors:\n",
                "errors:\n  - code: 401\n    name: WrongPassword\n    doc: Wrong user name or password.\n    class: bad_credentials\n",
            )
        },
        "major",
        &[("additive", "error_added"), ("breaking", "error_moved")],
    );
    expect(
        |f| {
            // A method that gives a provider-wide code its own class.
            edit(
                f,
                "login.yaml",
                "errors:\n",
                "errors:\n  - code: 500\n    name: ServerFault\n    doc: Broke while logging in.\n    class: other\n",
            )
        },
        "patch",
        &[("patch", "error_class_changed")],
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "name: WrongPassword",
                "name: BadCredentials",
            )
        },
        "major",
        &[("breaking", "error_renamed")],
    );
    expect(
        |f| edit(f, "login.yaml", "code: 401", "code: 403"),
        "patch",
        &[("patch", "error_code_changed")],
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "class: bad_credentials",
                "class: access_denied",
            )
        },
        "patch",
        &[("patch", "error_class_changed")],
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "class: bad_credentials",
                "class: locked\n    cooldown: 600",
            )
        },
        "patch",
        &[
            ("patch", "error_class_changed"),
            ("patch", "error_cooldown_changed"),
        ],
    );
}

#[test]
fn shared_types() {
    // Enums are #[non_exhaustive] with `Unknown(raw)`: a new value breaks no match.
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "        doc: Everything.\n",
                "        doc: Everything.\n      - name: Owner\n        value: 3\n        doc: Owns it.\n",
            )
        },
        "minor",
        &[("additive", "enum_value_added")],
    );
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "        doc: Read access.\n",
                "        doc: Read access.\n      - name: WRITE\n        value: 2\n        doc: Write access.\n",
            )
        },
        "minor",
        &[("additive", "flag_added")],
    );
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  Profile:\n    doc: The user's profile.\n    fields:\n      - name: displayName\n        type: string\n        doc: Name shown to others.\n",
                "",
            )
        },
        "major",
        &[("breaking", "type_removed")],
    );
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "        doc: Name shown to others.\n",
                "        doc: Name shown to others.\n      - name: avatar\n        type: string\n        required: false\n        doc: Picture URL.\n",
            )
        },
        "minor",
        &[("additive", "field_added")],
    );
}

#[test]
fn provider_level_changes() {
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "base_url: https://api.acme.test/v1/",
                "base_url: https://api.acme.test/v2/",
            )
        },
        "patch",
        &[("patch", "base_url_changed")],
    );
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "base_url: https://api.acme.test/v1/\n",
                "base_url: https://{tenant}.acme.test/v1/\nvariables:\n  - name: tenant\n    doc: Tenant id.\n",
            )
        },
        "major",
        // `Client::new` takes the new variable as an argument.
        &[
            ("patch", "base_url_changed"),
            ("breaking", "client_arguments_changed"),
        ],
    );
}

#[test]
fn a_parameter_moving_to_another_location_is_breaking() {
    // A server reads the value where the spec said; elsewhere it finds nothing.
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "    doc: Session lifetime in seconds.\n",
                "    doc: Session lifetime in seconds.\n    in: query\n",
            )
        },
        "major",
        &[("breaking", "param_location_changed")],
    );
}

#[test]
fn wire_and_behaviour_changes_are_patches() {
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  payload: \"\"\n",
                "  payload: /data\n",
            )
        },
        "patch",
        &[("patch", "protocol_changed")],
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "    doc: Session lifetime in seconds.\n",
                "    doc: Session lifetime in seconds.\n    constraints:\n      range:\n        max: 86400\n",
            )
        },
        "patch",
        &[("patch", "param_constraints_changed")],
    );
    expect(
        |f| {
            edit(
                f,
                "logout.yaml",
                "doc: Logs out.\n",
                "doc: Logs out.\nconstants:\n  all: true\n",
            )
        },
        "patch",
        &[("patch", "constants_changed")],
    );
}

#[test]
fn several_changes_take_the_largest_bump_and_print_a_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old/specs");
    let new = tmp.path().join("new/specs");
    write_specs(&old, &base());
    let mut files = base();
    edit(&mut files, "login.yaml", "default: en", "default: de");
    edit(
        &mut files,
        "login.yaml",
        "name: WrongPassword",
        "name: BadCredentials",
    );
    files.retain(|(n, _)| *n != "logout.yaml");
    write_specs(&new, &files);
    let out = Command::new(env!("CARGO_BIN_EXE_loginspec"))
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "breaking  acme::logout: method `logout` (`auth/logout`) removed\n\
         patch     acme::login: parameter `lang`: default changed from \"en\" to \"de\"\n\
         breaking  acme::login: error `WrongPassword` renamed to `BadCredentials` (code 401)\n\
         \n\
         3 changes: 2 breaking, 0 additive, 1 patch\n\
         suggested version bump: major\n\
         (for a 0.x crate, breaking changes bump the minor version)\n"
    );
}

/// The base with a session: `auth/login` opens it, `auth/logout` carries it
/// (as `sid`, so its own `token` parameter goes).
fn with_session() -> Vec<(&'static str, String)> {
    let mut files = base();
    add_session(&mut files);
    files
}

fn add_session(f: &mut [(&'static str, String)]) {
    edit(
        f,
        "provider.yaml",
        "errors:\n",
        "session:\n  login: auth/login\n  key: token\n  carry:\n    field: sid\n  lifetime:\n    from_response: expiresIn\nerrors:\n",
    );
    edit(
        f,
        "logout.yaml",
        "params:\n  - name: token\n    type: string\n    secret: true\n    doc: Session token.\n",
        "session: end\n",
    );
}

#[test]
fn sessions() {
    // A new session is a new `Session` type; the logout call now takes the
    // key as an argument on `Client` instead of its `token` parameter.
    let (bump, got) = diff(|f| add_session(f));
    assert_eq!(
        got,
        [
            ("additive".to_string(), "session_added".to_string()),
            ("breaking".to_string(), "method_session_added".to_string()),
            ("breaking".to_string(), "param_removed".to_string()),
        ]
    );
    assert_eq!(bump, "major");

    // Rules only change behaviour.
    let (bump, got) = diff_from(with_session(), |f| {
        edit(
            f,
            "provider.yaml",
            "    from_response: expiresIn\n",
            "    seconds: 600\n    sliding: true\n",
        )
    });
    assert_eq!(
        got,
        [("patch".to_string(), "session_rules_changed".to_string())]
    );
    assert_eq!(bump, "patch");

    // `end` to `use` changes behaviour, not signatures.
    let (_, got) = diff_from(with_session(), |f| {
        edit(f, "logout.yaml", "session: end\n", "session: use\n")
    });
    assert_eq!(
        got,
        [("patch".to_string(), "method_session_changed".to_string())]
    );

    // Dropping the session removes `Session` and changes the logout signature.
    let (bump, got) = diff_from(with_session(), |f| {
        edit(
            f,
            "provider.yaml",
            "session:\n  login: auth/login\n  key: token\n  carry:\n    field: sid\n  lifetime:\n    from_response: expiresIn\n",
            "",
        );
        edit(f, "logout.yaml", "session: end\n", "");
    });
    assert_eq!(
        got,
        [
            ("breaking".to_string(), "session_removed".to_string()),
            ("breaking".to_string(), "method_session_removed".to_string()),
        ]
    );
    assert_eq!(bump, "major");
}
