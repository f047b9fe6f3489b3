//! Derived parameters (`derived: [...]`): what accepted specs emit as
//! `rt::Source::Derived`. Their diagnostics are the fixtures in
//! `codegen/tests/diagnostics/derived/`.

use loginspec_tests::diagnostics::*;

/// Lines: 1 provider, 2 title, 3 base_url, 4 request, 5 encodings,
/// 6 response, 7 error_rules, 8 `- code`, 9 code_type.
const PROVIDER: &str = "\
provider: acme
title: Acme
base_url: https://api.acme.test/
request:
  encodings: [none]
response:
  error_rules:
    - code: /code
      code_type: int
";

/// Subsonic's signed query. Lines: 6 `- name: u`, 10 `- name: p`,
/// 15 `- name: s` (18 its `derived`), 20 `- name: t` (23 its `derived`).
const METHOD: &str = "\
method: ping
doc: Checks the credentials.
path: rest/ping.view
http: GET
params:
  - name: u
    type: string
    in: query
    doc: User.
  - name: p
    type: string
    secret: true
    in: none
    doc: Password.
  - name: s
    type: string
    in: query
    derived: [{nonce: {len: 6}}]
    doc: Salt.
  - name: t
    type: string
    in: query
    derived: [{param: p}, {param: s}, md5, hex]
    doc: Token.
response:
  fields:
    - name: status
      type: string
      doc: Status.
";

fn generated(method: &str) -> String {
    let (_tmp, specs) = write_specs("acme", PROVIDER, &[("login.yaml", method)]);
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    output.providers[0].code.clone()
}

fn squeeze(code: &str) -> String {
    code.split_whitespace().collect()
}

#[test]
fn signed_query_is_emitted_as_derived_bindings() {
    let code = squeeze(&generated(METHOD));
    assert!(
        code.contains("rt::Source::Derived{name:\"t\",pipeline:&rt::derive::Derived{parts:&[rt::derive::Part::Value(\"p\"),rt::derive::Part::Value(\"s\"),],steps:&[rt::derive::Step::Hash(rt::derive::Hash::Md5),rt::derive::Step::Hex,],},},location:rt::Location::Query(\"t\")"),
        "{code}"
    );
    // `t` is computed from the secret `p`, so it is secret too; `s` is not.
    assert!(code.contains("secret_fields:&[\"p\",\"t\"]"), "{code}");
    // `p` is a constructor argument but has no binding; `s` and `t` are not arguments.
    assert!(
        code.contains("pubfnnew(u:implInto<String>,p:implInto<rt::Secret>)"),
        "{code}"
    );
    assert!(!code.contains("rt::Source::Param(\"p\")"), "{code}");
}
