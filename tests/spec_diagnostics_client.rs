//! Spec format v2, what a client sends without a login: secret variables
//! (client credentials), the session-id handshake and request ids. Every
//! rejection has a located diagnostic; what is accepted is emitted as the
//! runtime tables. Same harness as `spec_diagnostics_v2.rs`.

use loginspec_tests::diagnostics::*;

/// The provider with Basic credentials as variables (lines 4 to 11) and
/// `extra` under `request:` (from line 14 on).
fn with_credentials(password: &str, extra: &str) -> String {
    let provider = edit(
        V2_PROVIDER,
        "base_url: https://api.acme.test/\n",
        &format!(
            "base_url: https://api.acme.test/\nvariables:\n  - name: user\n    doc: User.\n    in: basic_user\n  - name: password\n    doc: Password.\n{password}"
        ),
    );
    edit(
        &provider,
        "  encodings: [json]\n",
        &format!("  encodings: [json]\n{extra}"),
    )
}

const SECRET_PASSWORD: &str = "    in: basic_password\n    secret: true\n";

fn accepted(provider: &str) -> String {
    let (_tmp, specs) = write_specs("acme", provider, &[("login.yaml", V2_METHOD)]);
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    output.providers[0].code.clone()
}

fn flat(code: &str) -> String {
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn basic_credentials_handshake_and_request_id_are_emitted() {
    let extra =
        "  handshake: {status: 409, header: X-Session-Id}\n  request_id: {at: /id, check: /id}\n";
    let code = flat(&accepted(&with_credentials(SECRET_PASSWORD, extra)));
    for want in [
        "pub fn new( user: impl Into<String>, password: impl Into<rt::Secret>, )",
        "rt::Variable::plain(\"user\", user)",
        "rt::Variable::secret(\"password\", password)",
        "secret_fields: &[\"password\"]",
        "handshake: Some(rt::Handshake { status: 409, header: \"X-Session-Id\", }),",
        "request_id_check: Some(\"/id\")",
        "rt::Binding { source: rt::Source::Variable(\"user\"), location: rt::Location::BasicUser, }, rt::Binding { source: rt::Source::Variable(\"password\"), location: rt::Location::BasicPassword, }, rt::Binding { source: rt::Source::RequestId, location: rt::Location::Body(\"/id\"), },",
    ] {
        assert!(code.contains(want), "missing {want}\nin:\n{code}");
    }
    // No session, no `Session`.
    assert!(!code.contains("pub struct Session"), "{code}");
}

#[test]
fn one_basic_half_alone() {
    let provider = edit(
        &with_credentials(SECRET_PASSWORD, ""),
        "  - name: password\n    doc: Password.\n    in: basic_password\n",
        "  - name: X-Password\n    rust_name: password\n    doc: Password.\n    in: header\n",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "HTTP Basic needs both halves, and only one is given",
            location: &at(PROVIDER_FILE, 5, 5),
            path: "variables[0]",
            hint: Some("in: basic_password"),
        },
    );
}

#[test]
fn a_secret_variable_in_the_base_url() {
    let provider = edit(
        &with_credentials("    secret: true\n", ""),
        "base_url: https://api.acme.test/\n",
        "base_url: https://api.acme.test/{password}/\n",
    );
    expect(
        &run(&provider, V2_METHOD),
        Want {
            message: "~secret variable `password` fills a `{password}` placeholder of the base URL",
            location: &at(PROVIDER_FILE, 10, 13),
            path: "variables[1].secret",
            hint: Some("in: basic_password"),
        },
    );
}

#[test]
fn a_secret_variable_sent_nowhere() {
    let provider = with_credentials("    secret: true\n", "");
    expect(
        &run(&provider, V2_METHOD),
        Want {
            message: "secret variable `password` is sent nowhere",
            location: &at(PROVIDER_FILE, 10, 13),
            path: "variables[1].secret",
            hint: Some("in: basic_user"),
        },
    );
}

#[test]
fn a_secret_variable_with_a_pattern() {
    let password =
        "    in: basic_password\n    secret: true\n    constraints:\n      pattern: \"[a-z]+\"\n";
    expect_only(
        &run(&with_credentials(password, ""), V2_METHOD),
        Want {
            message: "secret variable `password` cannot have a `pattern`",
            location: &at(PROVIDER_FILE, 13, 16),
            path: "variables[1].constraints.pattern",
            hint: Some("length only"),
        },
    );
}

#[test]
fn a_handshake_status_that_is_not_a_client_error() {
    let provider = with_credentials(
        SECRET_PASSWORD,
        "  handshake: {status: 200, header: X-Id}\n",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "handshake status 200 is not a client error (400-499)",
            location: &at(PROVIDER_FILE, 14, 23),
            path: "request.handshake.status",
            hint: Some("409"),
        },
    );
}

#[test]
fn a_handshake_header_the_client_writes_itself() {
    let provider = with_credentials(
        SECRET_PASSWORD,
        "  handshake: {status: 409, header: Authorization}\n",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "~the handshake header cannot be `Authorization`",
            location: &at(PROVIDER_FILE, 14, 36),
            path: "request.handshake.header",
            hint: Some("X-Transmission-Session-Id"),
        },
    );
}

#[test]
fn a_handshake_header_that_is_not_a_token() {
    let provider = with_credentials(
        SECRET_PASSWORD,
        "  handshake: {status: 409, header: \"X Id\"}\n",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "header name `X Id` is not an HTTP token",
            location: &at(PROVIDER_FILE, 14, 36),
            path: "request.handshake.header",
            hint: Some("no spaces"),
        },
    );
}

#[test]
fn a_value_in_the_handshake_header() {
    let provider = edit(
        &with_credentials(SECRET_PASSWORD, "  handshake: {status: 409, header: X-Id}\n"),
        "  - name: user\n    doc: User.\n    in: basic_user\n",
        "  - name: user\n    doc: User.\n    in: basic_user\n  - name: x-id\n    rust_name: id\n    doc: Id.\n    in: header\n",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "this value goes in the header `X-Id`, which the handshake sends",
            location: &at(PROVIDER_FILE, 8, 5),
            path: "variables[1]",
            hint: Some("drop `request.handshake`"),
        },
    );
}

#[test]
fn a_request_id_in_the_path() {
    let provider = with_credentials(SECRET_PASSWORD, "  request_id: {in: path, name: id}\n");
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "a request id cannot go `in: path`",
            location: &at(PROVIDER_FILE, 14, 20),
            path: "request.request_id.in",
            hint: Some("at: /id"),
        },
    );
}

#[test]
fn a_request_id_check_that_is_not_a_pointer() {
    let provider = with_credentials(SECRET_PASSWORD, "  request_id: {at: /id, check: id}\n");
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "pointer `id` does not start with `/`",
            location: &at(PROVIDER_FILE, 14, 32),
            path: "request.request_id.check",
            hint: Some("/params"),
        },
    );
}

#[test]
fn a_request_id_where_a_constant_is() {
    let provider = with_credentials(
        SECRET_PASSWORD,
        "  constants:\n    id: 1\n  request_id: {at: /id}\n",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "~the request id goes to body `/id`",
            location: &at(PROVIDER_FILE, 16, 15),
            path: "request.request_id",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn handshake_outside_request_is_told_where_it_goes() {
    let provider = format!("{V2_PROVIDER}handshake: {{status: 409, header: X-Id}}\n");
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "`handshake` is not a key here",
            location: &at(PROVIDER_FILE, 10, 1),
            path: "handshake",
            hint: Some("request: {handshake:"),
        },
    );
}
