//! `loginspec diff` on binding changes (spec format v2): each is an edit of
//! a small base spec, classified through `--format json`. Changes of the
//! request's shape are breaking (a server that understood the old calls
//! cannot understand the new ones); names, paths and answer reading are
//! patches.

use std::process::Command;

mod support;
use support::{edit, write_specs, Files};

const PROVIDER: &str = r#"provider: acme
title: Acme API
base_url: https://api.acme.test/v1/
request:
  encodings: [json]
  method_name: {in: body, at: /method}
  params_at: /params
response:
  error_rules:
    - when: {present: /error}
      code: /error/code
      code_type: int
session:
  login: login
  key: token
  carry: {in: header, name: Authorization, template: "Bearer {value}"}
"#;

const LOGIN: &str = r#"method: login
doc: Logs in.
params:
  - name: user
    type: string
    doc: The user name.
  - name: password
    type: string
    secret: true
    in: none
    doc: The password.
  - name: hash
    type: string
    derived: [{param: password}, sha256, hex]
    doc: The password's hash.
response:
  doc: The session.
  fields:
    - name: token
      type: string
      secret: true
      doc: Session token.
"#;

const SEARCH: &str = r#"method: search
doc: Searches.
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
"#;

fn base() -> Files {
    vec![
        ("provider.yaml", PROVIDER.to_string()),
        ("login.yaml", LOGIN.to_string()),
        ("search.yaml", SEARCH.to_string()),
    ]
}

/// (bump, [(class, kind, method or "")], messages) from the base to the edited specs.
fn diff(change: impl FnOnce(&mut Files)) -> (String, Vec<(String, String, String)>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old/specs");
    let new = tmp.path().join("new/specs");
    write_specs(&old, &base());
    let mut files = base();
    change(&mut files);
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
    let changes = report["changes"].as_array().unwrap();
    let kinds = changes
        .iter()
        .map(|c| {
            (
                c["class"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["method"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let messages = changes
        .iter()
        .map(|c| c["message"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    (
        report["bump"].as_str().unwrap().to_string(),
        kinds,
        messages,
    )
}

fn expect(change: impl FnOnce(&mut Files), bump: &str, want: &[(&str, &str, &str)]) -> String {
    let (got_bump, got, messages) = diff(change);
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want, "{messages}");
    assert_eq!(got_bump, bump, "{messages}");
    messages
}

#[test]
fn unchanged() {
    expect(|_| {}, "none", &[]);
}

#[test]
fn a_derived_pipeline_change_is_breaking() {
    // A server checks the value the old way: every login fails.
    let messages = expect(
        |f| edit(f, "login.yaml", "sha256, hex]", "sha256, base64]"),
        "major",
        &[("breaking", "derived_changed", "login")],
    );
    assert!(messages.contains("derived value `hash` is computed differently"));
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "[{param: password}, sha256, hex]",
                "[{param: password}, {nonce: {len: 16}}, sha256, hex]",
            )
        },
        "major",
        &[("breaking", "derived_changed", "login")],
    );
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "[{param: password}, sha256, hex]",
                "[{param: user}, {hmac: {hash: sha256, key: {param: password}}}, hex]",
            )
        },
        "major",
        &[("breaking", "derived_changed", "login")],
    );
}

#[test]
fn a_parameter_no_longer_sent_or_newly_sent_is_breaking() {
    expect(
        |f| {
            edit(
                f,
                "search.yaml",
                "    doc: What to look for.\n",
                "    doc: What to look for.\n    in: none\n  - name: digest\n    type: string\n    derived: [{param: q}, md5, hex]\n    doc: Its digest.\n",
            )
        },
        "major",
        &[
            ("breaking", "param_no_longer_sent", "search"),
            ("breaking", "derived_added", "search"),
        ],
    );
    // The password itself sent (it was only hashed): breaking, and worth a look.
    let messages = expect(
        |f| edit(f, "login.yaml", "    in: none\n", ""),
        "major",
        &[("breaking", "param_now_sent", "login")],
    );
    assert!(
        messages.contains("parameter `password`, an input only before (`in: none`), is now sent")
    );
}

#[test]
fn a_parameter_becoming_derived_is_breaking() {
    expect(
        |f| {
            edit(
                f,
                "login.yaml",
                "  - name: user\n    type: string\n    doc: The user name.\n",
                "  - name: user\n    type: string\n    derived: [{text: admin}]\n    doc: The user name.\n",
            )
        },
        "major",
        &[("breaking", "param_became_derived", "login")],
    );
}

#[test]
fn the_http_method_is_breaking_and_reported_once_when_provider_wide() {
    expect(
        |f| {
            edit(
                f,
                "search.yaml",
                "session: use\n",
                "session: use\nhttp: PUT\n",
            )
        },
        "major",
        &[("breaking", "verb_changed", "search")],
    );
    let messages = expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  encodings: [json]\n",
                "  encodings: [json]\n  http: PUT\n",
            )
        },
        "major",
        &[("breaking", "verb_changed", "")],
    );
    assert_eq!(
        messages,
        "HTTP method changed from POST to PUT: on one path they are different operations"
    );
}

#[test]
fn a_path_template_change_is_a_patch() {
    // Like a wire name: the same operation under its corrected address.
    expect(
        |f| {
            edit(
                f,
                "search.yaml",
                "session: use\n",
                "session: use\npath: v2/search\n",
            )
        },
        "patch",
        &[("patch", "method_path_changed", "search")],
    );
}

#[test]
fn body_encodings() {
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  encodings: [json]\n",
                "  encodings: [xml, json]\n  xml_root: Request\n",
            )
        },
        "major",
        &[
            ("patch", "protocol_changed", ""),
            ("breaking", "encoding_changed", ""),
            ("additive", "encoding_added", ""),
        ],
    );
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  encodings: [json]\n",
                "  encodings: [json, xml]\n  xml_root: Request\n",
            )
        },
        "minor",
        &[
            ("patch", "protocol_changed", ""),
            ("additive", "encoding_added", ""),
        ],
    );
}

#[test]
fn the_parameter_layout_is_breaking() {
    // Named members become positions: each value moves, and the container changes.
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  params_at: /params\n",
                "  params_at: /params\n  positional: true\n",
            )
        },
        "major",
        &[
            ("breaking", "params_layout_changed", ""),
            ("breaking", "param_location_changed", "login"),
            ("breaking", "param_location_changed", "login"),
            ("breaking", "param_location_changed", "search"),
        ],
    );
    let messages = expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  params_at: /params\n",
                "  params_at: /args\n",
            )
        },
        "major",
        &[
            ("breaking", "params_layout_changed", ""),
            ("breaking", "param_location_changed", "login"),
            ("breaking", "param_location_changed", "login"),
            ("breaking", "param_location_changed", "search"),
        ],
    );
    assert!(messages.contains(
        "the parameters' container changed from named members at `/params` to named members at `/args`"
    ));
    assert!(messages
        .contains("parameter `q` moved from the body at `/params/q` to the body at `/args/q`"));
}

#[test]
fn json_text_members_are_breaking() {
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  params_at: /params\n",
                "  params_at: /params\n  json_string: [/params]\n",
            )
        },
        "major",
        &[("breaking", "json_string_changed", "")],
    );
}

#[test]
fn request_ids() {
    // A counter where there was none: servers echo or ignore it.
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "  params_at: /params\n",
                "  params_at: /params\n  request_id: {at: /id}\n",
            )
        },
        "patch",
        &[("patch", "request_id_added", "")],
    );
    let with_id = |f: &mut Files| {
        edit(
            f,
            "provider.yaml",
            "  params_at: /params\n",
            "  params_at: /params\n  request_id: {at: /id, check: /id}\n",
        )
    };
    // The other way, a JSON-RPC 2.0 server would take calls for notifications.
    let (bump, got, _) = diff_between(with_id, |f| *f = base());
    assert_eq!(bump, "major");
    assert_eq!(
        got,
        [
            (
                "patch".into(),
                "request_id_check_changed".into(),
                String::new()
            ),
            (
                "breaking".into(),
                "request_id_removed".into(),
                String::new()
            )
        ]
    );
    let (bump, got, _) = diff_between(with_id, |f| {
        edit(
            f,
            "provider.yaml",
            "{at: /id, check: /id}",
            "{in: header, name: X-Id, check: /id}",
        )
    });
    assert_eq!(bump, "major");
    assert_eq!(
        got,
        [(
            "breaking".into(),
            "request_id_location_changed".into(),
            String::new()
        )]
    );
    let (bump, got, _) = diff_between(with_id, |f| {
        edit(f, "provider.yaml", "{at: /id, check: /id}", "{at: /id}")
    });
    assert_eq!(bump, "patch");
    assert_eq!(
        got,
        [(
            "patch".into(),
            "request_id_check_changed".into(),
            String::new()
        )]
    );
}

#[test]
fn the_handshake() {
    let add = |f: &mut Files| {
        edit(
            f,
            "provider.yaml",
            "  params_at: /params\n",
            "  params_at: /params\n  handshake: {status: 409, header: X-Session-Id}\n",
        )
    };
    expect(add, "patch", &[("patch", "handshake_added", "")]);
    let (bump, got, _) = diff_between(add, |f| *f = base());
    assert_eq!(
        (bump.as_str(), got),
        (
            "major",
            vec![("breaking".into(), "handshake_removed".into(), String::new())]
        )
    );
    let (bump, got, _) = diff_between(add, |f| edit(f, "provider.yaml", "X-Session-Id", "X-Csrf"));
    assert_eq!(
        (bump.as_str(), got),
        (
            "major",
            vec![("breaking".into(), "handshake_changed".into(), String::new())]
        )
    );
}

#[test]
fn the_session_carry_is_breaking_other_session_rules_are_patches() {
    let messages = expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "{in: header, name: Authorization, template: \"Bearer {value}\"}",
                "{in: cookie, name: sid}",
            )
        },
        "major",
        &[("breaking", "session_carry_changed", "")],
    );
    assert!(messages.contains(
        "the session key moved from the header `Authorization: Bearer {value}` to the cookie `sid`"
    ));
    expect(
        |f| {
            edit(
                f,
                "provider.yaml",
                "session:\n",
                "session:\n  lifetime: {seconds: 60}\n",
            )
        },
        "patch",
        &[("patch", "session_rules_changed", "")],
    );
}

#[test]
fn a_variable_moving_is_breaking_once() {
    let var = "request:\n";
    let (bump, got, _) = diff_between(
        |f| {
            edit(
                f,
                "provider.yaml",
                var,
                "variables:\n  - {name: app, doc: App name., in: query}\nrequest:\n",
            )
        },
        |f| edit(f, "provider.yaml", "in: query}", "in: header}"),
    );
    assert_eq!(bump, "major");
    assert_eq!(
        got,
        [(
            "breaking".into(),
            "variable_location_changed".into(),
            String::new()
        )]
    );
}

#[test]
fn the_response_type_is_breaking() {
    let messages = expect(
        |f| {
            edit(
                f,
                "search.yaml",
                "  fields:\n    - name: hits\n      type: i64\n      doc: How many.\n",
                "  type: i64\n",
            )
        },
        "major",
        &[("breaking", "response_type_changed", "search")],
    );
    assert!(messages.contains("the response changed from a struct to `type: i64`"));
}

/// Like [`diff`], between two edits of the base.
fn diff_between(
    first: impl Fn(&mut Files),
    then: impl FnOnce(&mut Files),
) -> (String, Vec<(String, String, String)>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old/specs");
    let new = tmp.path().join("new/specs");
    let mut start = base();
    first(&mut start);
    write_specs(&old, &start);
    then(&mut start);
    write_specs(&new, &start);
    let out = Command::new(env!("CARGO_BIN_EXE_loginspec"))
        .args(["diff", "--format", "json"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["class"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["method"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (
        report["bump"].as_str().unwrap().to_string(),
        kinds,
        String::new(),
    )
}
