//! `loginspec diff`'s classes, held to the compiler: a small user program
//! written against the crate generated from a base spec must still compile
//! against the crate generated from each edited spec exactly when `diff`
//! finds no breaking change, and must not compile when it does.
//!
//! One scratch cargo workspace under `target/semver-proof` holds it all:
//! `old` (the base's generated code), `new` (one module per case), `users`
//! (the program against `old` as its library, and against each case as one
//! binary). One `cargo check --keep-going` checks everything, so the
//! runtime is checked once, and once per machine: the target folder stays.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::{edit, write_if_changed as write, write_specs, Files};

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
    doc: The user's profile, only read.
    fields:
      - name: displayName
        type: string
        doc: Name shown to others.
  Filter:
    doc: A filter that requests hold, so users build it with a literal.
    fields:
      - name: prefix
        type: string
        doc: Names start with this.
  Role:
    doc: What the user may do.
    enum:
      - name: Reader
        value: 1
        doc: Reads only.
      - name: Admin
        value: 2
        doc: Everything.
  Channel:
    doc: Where codes go, sent in requests.
    enum:
      - name: Email
        value: email
        doc: By e-mail.
      - name: Sms
        value: sms
        doc: By SMS.
  Scopes:
    doc: Granted scopes.
    flags:
      - name: READ
        value: 1
        doc: Read access.
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
  - name: channel
    type: Channel
    required: false
    doc: Where to send a code.
  - name: filter
    type: Filter
    required: false
    doc: Which accounts.
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
errors:
  - code: 401
    name: WrongPassword
    doc: Wrong user name or password.
    class: bad_credentials
  - code: 423
    name: Locked
    doc: Locked after too many attempts.
    class: locked
"#;

const WHOAMI: &str = r#"method: auth/whoami
rust_name: whoami
doc: Who is logged in.
params:
  - name: userId
    type: i64
    doc: The user.
response:
  doc: The user.
  fields:
    - name: id
      type: i64
      doc: The user's id.
    - name: role
      type: Role
      doc: The user's role.
    - name: profile
      type: Profile
      doc: The profile.
    - name: scopes
      type: Scopes
      doc: Granted scopes.
"#;

const BOOK: &str = r#"method: rooms/book
rust_name: book
doc: Books a room; two integers, so `new` takes them by name.
params:
  - name: room
    type: u32
    doc: Room number.
  - name: nights
    type: u16
    doc: How many nights.
response:
  doc: The booking.
  fields:
    - name: bookingId
      type: i64
      doc: The booking.
"#;

/// Uses every part of the base's generated API the way users may: `api` is
/// the generated provider module.
const USER: &str = r#"
pub fn requests() {
    let login = api::LoginRequest::new("jane", "pa55word")
        .ttl(60)
        .channel(api::Channel::Sms)
        .filter(api::Filter { prefix: "j".into() });
    let _: &String = &login.user_name;
    let _: Option<u32> = login.ttl;
    let whoami = api::WhoamiRequest::new(7);
    assert!(whoami == api::WhoamiRequest::new(7));
    let _ = api::BookRequest::new(api::BookArgs { room: 12, nights: 3 });
    let _ = api::Channel::Email;
    let _ = api::Channel::from(String::from("email"));
}

pub fn responses(login: &api::LoginResponse, me: &api::WhoamiResponse, booking: &api::BookResponse) {
    let _: &loginspec_runtime::Secret = &login.token;
    let _: i64 = login.expires_in + me.id + booking.booking_id;
    let _: &String = &me.profile.display_name;
    fn eq<T: Eq>(a: &T, b: &T) -> bool {
        a == b
    }
    assert!(eq(me, me) && eq(&me.profile, &me.profile) && eq(booking, booking));
    match me.role {
        api::Role::Reader => {}
        api::Role::Admin => {}
        api::Role::Unknown(raw) => {
            let _: i64 = raw;
        }
        _ => {}
    }
    let _ = i64::from(me.role);
    let _ = me.scopes.contains(api::Scopes::READ);
}

pub fn errors(error: &api::LoginError) {
    match error {
        api::LoginError::WrongPassword => {}
        api::LoginError::Locked => {}
        _ => {}
    }
}

pub async fn calls(client: &api::Client) {
    let _ = client.login(api::LoginRequest::new("jane", "pa55word")).await;
    let _ = client.whoami(api::WhoamiRequest::new(7)).await;
    let _ = client.book(api::BookRequest::new(api::BookArgs { room: 1, nights: 1 })).await;
    let _ = api::Client::new();
}
"#;

fn base() -> Files {
    vec![
        ("provider.yaml", PROVIDER.to_string()),
        ("login.yaml", LOGIN.to_string()),
        ("whoami.yaml", WHOAMI.to_string()),
        ("book.yaml", BOOK.to_string()),
    ]
}

/// One edit of the base: its name, the class `diff` must give it, and the edit.
type Case = (&'static str, &'static str, fn(&mut Files));

fn cases() -> Vec<Case> {
    vec![
        ("response_field_added", "additive", |f| {
            let field = "    - name: scopes\n      type: Scopes\n      doc: Granted scopes.\n";
            edit(f, "whoami.yaml", field, &format!("{field}    - name: email\n      type: string\n      required: false\n      doc: E-mail.\n"));
        }),
        ("response_field_added_required", "additive", |f| {
            edit(f, "book.yaml", "      doc: The booking.\n", "      doc: The booking.\n    - name: nightsLeft\n      type: u16\n      doc: Nights left.\n");
        }),
        ("shared_read_only_field_added", "additive", |f| {
            edit(f, "provider.yaml", "        doc: Name shown to others.\n", "        doc: Name shown to others.\n      - name: avatar\n        type: string\n        required: false\n        doc: Picture URL.\n");
        }),
        ("optional_param_added", "additive", |f| {
            edit(f, "book.yaml", "    doc: How many nights.\n", "    doc: How many nights.\n  - name: note\n    type: string\n    required: false\n    doc: A note.\n");
        }),
        ("param_with_default_added", "additive", |f| {
            edit(f, "whoami.yaml", "    doc: The user.\nresponse:", "    doc: The user.\n  - name: lang\n    type: string\n    default: en\n    doc: Language.\nresponse:");
        }),
        ("response_enum_value_added", "additive", |f| {
            edit(f, "provider.yaml", "        doc: Everything.\n", "        doc: Everything.\n      - name: Owner\n        value: 3\n        doc: Owns it.\n");
        }),
        ("request_enum_value_added", "additive", |f| {
            edit(f, "provider.yaml", "        doc: By SMS.\n", "        doc: By SMS.\n      - name: Push\n        value: push\n        doc: By push message.\n");
        }),
        ("flag_added", "additive", |f| {
            edit(f, "provider.yaml", "        doc: Read access.\n", "        doc: Read access.\n      - name: WRITE\n        value: 2\n        doc: Write access.\n");
        }),
        ("error_added", "additive", |f| {
            edit(f, "login.yaml", "    class: locked\n", "    class: locked\n  - code: 403\n    name: Disabled\n    doc: Disabled.\n    class: access_denied\n");
        }),
        ("method_added", "additive", |f| {
            f.push((
                "ping.yaml",
                "method: ping\ndoc: Pings.\nresponse:\n  doc: Nothing.\n  fields: []\n".into(),
            ));
        }),
        ("wire_name_changed", "patch", |f| {
            edit(
                f,
                "login.yaml",
                "  - name: userName\n",
                "  - name: login\n    rust_name: user_name\n",
            );
        }),
        ("required_param_added", "breaking", |f| {
            edit(
                f,
                "whoami.yaml",
                "    doc: The user.\nresponse:",
                "    doc: The user.\n  - name: realm\n    type: string\n    doc: Realm.\nresponse:",
            );
        }),
        ("required_param_added_by_name", "breaking", |f| {
            edit(
                f,
                "book.yaml",
                "    doc: How many nights.\n",
                "    doc: How many nights.\n  - name: guests\n    type: u8\n    doc: Guests.\n",
            );
        }),
        ("request_shared_field_added", "breaking", |f| {
            edit(f, "provider.yaml", "        doc: Names start with this.\n", "        doc: Names start with this.\n      - name: limit\n        type: u32\n        required: false\n        doc: At most this many.\n");
        }),
        ("response_field_removed", "breaking", |f| {
            edit(f, "login.yaml", "    - name: expiresIn\n      type: i64\n      doc: Seconds until the token expires.\n", "");
        }),
        ("optional_param_removed", "breaking", |f| {
            edit(f, "login.yaml", "  - name: ttl\n    type: u32\n    required: false\n    doc: Session lifetime in seconds.\n", "");
        }),
        ("enum_value_removed", "breaking", |f| {
            edit(
                f,
                "provider.yaml",
                "      - name: Admin\n        value: 2\n        doc: Everything.\n",
                "",
            );
        }),
        ("error_removed", "breaking", |f| {
            edit(f, "login.yaml", "  - code: 423\n    name: Locked\n    doc: Locked after too many attempts.\n    class: locked\n", "");
        }),
        ("method_removed", "breaking", |f| {
            f.retain(|(n, _)| *n != "book.yaml")
        }),
        ("response_field_became_optional", "breaking", |f| {
            edit(
                f,
                "whoami.yaml",
                "      doc: The user's id.\n",
                "      required: false\n      doc: The user's id.\n",
            );
        }),
        ("secret_field_drops_partial_eq", "breaking", |f| {
            edit(f, "book.yaml", "      doc: The booking.\n", "      doc: The booking.\n    - name: pin\n      type: string\n      secret: true\n      required: false\n      doc: Door code.\n");
        }),
        ("float_field_drops_eq", "breaking", |f| {
            edit(f, "book.yaml", "      doc: The booking.\n", "      doc: The booking.\n    - name: price\n      type: f64\n      required: false\n      doc: Price.\n");
        }),
    ]
}

#[test]
fn diff_classes_agree_with_the_compiler() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let root = workspace.join("target/semver-proof");
    let project = root.join("project");
    let specs = root.join("specs");
    let _ = std::fs::remove_dir_all(&specs);
    write_specs(&specs.join("old"), &base());
    let cases = cases();
    let mut new_modules = String::new();
    for (name, class, change) in &cases {
        let mut files = base();
        change(&mut files);
        let dir = specs.join(name);
        write_specs(&dir, &files);
        assert_eq!(
            diff_class(&specs.join("old"), &dir),
            *class,
            "`loginspec diff` on {name}"
        );
        write(&project.join(format!("new/src/{name}.rs")), &generate(&dir));
        new_modules.push_str(&format!("pub mod {name} {{ include!(\"{name}.rs\"); }}\n"));
        write(
            &project.join(format!("users/src/bin/{name}.rs")),
            &format!("use new::{name}::acme as api;\ninclude!(\"../user.rs\");\nfn main() {{}}\n"),
        );
    }
    write(
        &project.join("old/src/code.rs"),
        &generate(&specs.join("old")),
    );
    write(&project.join("old/src/lib.rs"), "include!(\"code.rs\");\n");
    write(&project.join("new/src/lib.rs"), &new_modules);
    write(&project.join("users/src/user.rs"), USER);
    write(
        &project.join("users/src/lib.rs"),
        "use old::acme as api;\ninclude!(\"user.rs\");\n",
    );
    write_manifests(workspace, &project, &cases);

    let failed = check(&project, &root.join("target"));
    let failed_old = failed.iter().any(|(target, _)| target == "users");
    assert!(
        !failed_old,
        "the user program does not compile against the base: {failed:#?}"
    );
    let mut wrong = Vec::new();
    for (name, class, _) in &cases {
        let errors: Vec<&String> = failed
            .iter()
            .filter(|(t, _)| t == name)
            .map(|(_, e)| e)
            .collect();
        let breaking = *class == "breaking";
        if breaking == errors.is_empty() {
            wrong.push(format!("{name} ({class}): compiler errors {errors:#?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "classes the compiler disagrees with:\n{}",
        wrong.join("\n")
    );
}

/// `loginspec diff` between two folders: `breaking`, `additive` or `patch`.
fn diff_class(old: &Path, new: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_loginspec"))
        .args(["diff", "--format", "json"])
        .arg(old)
        .arg(new)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    match report["bump"].as_str().unwrap() {
        "major" => "breaking",
        "minor" => "additive",
        _ => "patch",
    }
    .to_string()
}

fn generate(specs: &Path) -> String {
    loginspec_codegen::Config::new(specs)
        .example_tests(false)
        .pretty(false)
        .generate()
        .unwrap_or_else(|d| panic!("{d}"))
        .combined()
}

fn write_manifests(workspace: &Path, project: &Path, cases: &[Case]) {
    let runtime = workspace.join("runtime");
    write(
        &project.join("Cargo.toml"),
        "[workspace]\nmembers = [\"old\", \"new\", \"users\"]\nresolver = \"2\"\n",
    );
    // The workspace's lock file: the same dependency versions, no network.
    let lock = std::fs::read_to_string(workspace.join("Cargo.lock")).unwrap();
    write(&project.join("Cargo.lock"), &lock);
    let lib = |name: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nloginspec-runtime = {{ path = {runtime:?} }}\n"
        )
    };
    write(&project.join("old/Cargo.toml"), &lib("old"));
    write(&project.join("new/Cargo.toml"), &lib("new"));
    let mut users = lib("users");
    users.push_str("old = { path = \"../old\" }\nnew = { path = \"../new\" }\n");
    for (name, _, _) in cases {
        users.push_str(&format!(
            "\n[[bin]]\nname = \"{name}\"\npath = \"src/bin/{name}.rs\"\n"
        ));
    }
    write(&project.join("users/Cargo.toml"), &users);
}

/// Checks the scratch workspace; returns (target, rendered error) for
/// every compiler error.
fn check(project: &Path, target: &PathBuf) -> Vec<(String, String)> {
    let out = Command::new(env!("CARGO"))
        .args([
            "check",
            "--offline",
            "--keep-going",
            "--message-format=json",
        ])
        .args(["-p", "users", "--lib", "--bins"])
        .current_dir(project)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let mut errors = Vec::new();
    for line in out.stdout.split(|&b| b == b'\n') {
        let Ok(message) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        let target = message["target"]["name"].as_str().unwrap_or("").to_string();
        let text = message["message"]["rendered"]
            .as_str()
            .unwrap_or("")
            .to_string();
        errors.push((target, text));
    }
    // Cargo itself failing (not the checked code) is no answer at all.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() || !errors.is_empty(),
        "cargo check failed without compiler errors:\n{stderr}"
    );
    errors
}

/// `Unknown` is the catch-all variant of every generated enum, so a spec
/// cannot name a value so.
#[test]
fn an_enum_value_may_not_be_called_unknown() {
    let mut files = base();
    edit(
        &mut files,
        "provider.yaml",
        "      - name: Admin\n",
        "      - name: Unknown\n",
    );
    let tmp = tempfile::tempdir().unwrap();
    write_specs(tmp.path(), &files);
    let Err(error) = loginspec_codegen::load_and_check(tmp.path()) else {
        panic!("the spec is refused");
    };
    let error = error.to_string();
    assert!(
        error.contains(
            "enum value name `Unknown` is taken by the variant that keeps unlisted values"
        ),
        "{error}"
    );
}
