//! Spec format v2, what a client sends without a login (secret variables,
//! the session-id handshake, request ids): what accepted specs emit as the
//! runtime tables. Their diagnostics are the fixtures in
//! `codegen/tests/diagnostics/client/`.

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
