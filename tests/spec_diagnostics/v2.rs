//! Spec format v2 (request/response bindings): what accepted specs emit as
//! the runtime tables. Their diagnostics are the fixtures in
//! `codegen/tests/diagnostics/v2/`.

use loginspec_tests::diagnostics::*;

fn accepted(provider: &str, methods: &[(&str, &str)]) -> String {
    let (_tmp, specs) = write_specs("acme", provider, methods);
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    output.providers[0].code.clone()
}

// ---------------------------------------------------------------------------
// What v2 can say is accepted and emitted
// ---------------------------------------------------------------------------

#[test]
fn v2_bindings_are_emitted_in_wire_order() {
    let provider = "\
provider: acme
title: Acme
base_url: https://api.acme.test/v1/
variables:
  - name: apiKey
    rust_name: api_key
    doc: Key.
    in: header
    template: \"Key {value}\"
request:
  encodings: [json]
  http: GET
  method_name: {in: body, at: /method}
  params_at: /params
  positional: true
  constants:
    jsonrpc: \"2.0\"
response:
  payload: /result
  error_rules:
    - when: {present: /error}
      code: /error/code
      code_type: int
      message: [/error/message, /error/data]
      retry_after: {at: /error/retry_ms, unit: ms}
    - when: {status: [401, \"500-599\"]}
session:
  login: auth.login
  key: sid
  carry: {in: cookie, name: SID}
";
    let login = "\
method: auth.login
rust_name: login
doc: Logs in.
http: POST
params:
  - name: user
    type: string
    doc: User.
  - name: password
    type: string
    secret: true
    doc: Password.
response:
  fields:
    - name: sid
      type: string
      secret: true
      from: {cookie: SID}
      doc: Session.
";
    let check = "\
method: auth.check
rust_name: check
doc: Checks.
path: \"users/{id}\"
params:
  - name: id
    in: path
    type: string
    doc: Who.
response:
  type: bool
";
    let logout = "\
method: auth.logout
rust_name: logout
doc: Logs out.
http: DELETE
session: end
response:
  kind: none
";
    let code = accepted(
        provider,
        &[
            ("check.yaml", check),
            ("login.yaml", login),
            ("logout.yaml", logout),
        ],
    );
    // Doc lines are wrapped: `///` between words is layout, not text.
    let flat: String = code
        .split_whitespace()
        .filter(|word| *word != "///")
        .collect::<Vec<_>>()
        .join(" ");
    for want in [
        // method name, variable, provider constant, container, parameters by position
        "name: \"auth.login\", verb: rt::Verb::Post, path: \"\", bindings: &[ rt::Binding { source: rt::Source::MethodName, location: rt::Location::Body(\"/method\"), }, rt::Binding { source: rt::Source::Variable(\"apiKey\"), location: rt::Location::Header { name: \"apiKey\", template: \"Key {value}\", }, }, rt::Binding { source: rt::Source::Constant(rt::Constant::Str(\"2.0\")), location: rt::Location::Body(\"/jsonrpc\"), }, rt::Binding { source: rt::Source::Constant(rt::Constant::EmptyArray), location: rt::Location::Body(\"/params\"), }, rt::Binding { source: rt::Source::Param(\"user\"), location: rt::Location::Body(\"/params/0\"), }, rt::Binding { source: rt::Source::Param(\"password\"), location: rt::Location::Body(\"/params/1\"), }, ]",
        "header_fields: &[(\"sid\", rt::HeaderSource::Cookie(\"SID\"))]",
        "rt::Source::Param(\"id\"), location: rt::Location::Path(\"id\"), }",
        "pub type CheckResponse = bool;",
        "pub type LogoutResponse = ();",
        "verb: rt::Verb::Delete",
        "rt::Source::SessionKey, location: rt::Location::Cookie(\"SID\"), }, ]",
        "message: &[\"/error/message\", \"/error/data\"], retry_after: Some((\"/error/retry_ms\", true)),",
        "status: &[(401, 401), (500, 599)]",
        "the cookie `SID`",
    ] {
        assert!(flat.contains(want), "missing {want}\nin:\n{code}");
    }
}
