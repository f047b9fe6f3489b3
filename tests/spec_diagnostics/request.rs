//! Request-side keys of spec format v2 added for the real servers (`also`,
//! a method's `carry` and `encoding`, `from: {at}`): what accepted specs emit
//! as bindings. Their diagnostics are the fixtures in
//! `codegen/tests/diagnostics/request/`.

use loginspec_tests::diagnostics::*;

/// The method with `extra` added to its parameter `user` (from line 8 on).
fn param(extra: &str) -> String {
    edit(
        V2_METHOD,
        "    doc: User name.\n",
        &format!("    doc: User name.\n{extra}"),
    )
}

fn accepted(provider: &str, methods: &[(&str, &str)]) -> String {
    let (_tmp, specs) = write_specs("acme", provider, methods);
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    let code = &output.providers[0].code;
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------
// `also`: one value in several places
// ---------------------------------------------------------------------------

#[test]
fn also_is_emitted_as_more_bindings_of_the_same_value() {
    let method = edit(
        &param("    also:\n      - in: path\n        name: who\n      - in: basic_user\n"),
        "path: login\n",
        "path: \"users/{who}\"\nconstants:\n  v: {value: 2, in: query, also: [{in: header, name: X-V}]}\n",
    );
    let method = edit(
        &method,
        "response:\n",
        "  - name: password\n    type: string\n    secret: true\n    doc: P.\n    also: [{in: basic_password}]\nresponse:\n",
    );
    let code = accepted(V2_PROVIDER, &[("login.yaml", &method)]);
    let want = "bindings: &[ \
rt::Binding { source: rt::Source::Constant(rt::Constant::Int(2)), location: rt::Location::Query(\"v\"), }, \
rt::Binding { source: rt::Source::Constant(rt::Constant::Int(2)), location: rt::Location::Header { name: \"X-V\", template: \"{value}\", }, }, \
rt::Binding { source: rt::Source::Param(\"user\"), location: rt::Location::Body(\"/user\"), }, \
rt::Binding { source: rt::Source::Param(\"user\"), location: rt::Location::Path(\"who\"), }, \
rt::Binding { source: rt::Source::Param(\"user\"), location: rt::Location::BasicUser, }, \
rt::Binding { source: rt::Source::Param(\"password\"), location: rt::Location::Body(\"/password\"), }, \
rt::Binding { source: rt::Source::Param(\"password\"), location: rt::Location::BasicPassword, }, ]";
    assert!(code.contains(want), "missing {want}\nin:\n{code}");
}

// ---------------------------------------------------------------------------
// The session key in several places, per method (`carry` with `also`)
// ---------------------------------------------------------------------------

/// The provider with a Bearer session. Lines: 10 session, 11 login, 12 key,
/// 13 carry, 14 in, 15 name, 16 template, then `extra` from 17.
fn session_provider(extra: &str) -> String {
    format!(
        "{V2_PROVIDER}session:\n  login: login\n  key: token\n  carry:\n    in: header\n    name: Authorization\n    template: \"Bearer {{value}}\"\n{extra}"
    )
}

/// A session method. Lines: 1 method, 2 doc, 3 path, 4 session, 5 response,
/// 6 fields, then `extra` from 7.
fn logout(path: &str, extra: &str) -> String {
    format!("method: logout\ndoc: Logs out.\npath: \"{path}\"\nsession: end\nresponse:\n  fields: []\n{extra}")
}

fn login_with_secret_key() -> String {
    edit(
        V2_METHOD,
        "      type: string\n      doc: Token.\n",
        "      type: string\n      secret: true\n      doc: Token.\n",
    )
}

#[test]
fn method_carry_is_emitted_after_or_instead_of_the_providers() {
    let provider = session_provider("");
    let added = logout(
        "token/{token}",
        "carry: {also: [{in: path, name: token}]}\n",
    );
    let replaced = edit(
        &logout(
            "out",
            "carry: {in: query, name: sid, also: [{in: body, name: sid}]}\n",
        ),
        "method: logout",
        "method: out",
    );
    let code = accepted(
        &provider,
        &[
            ("login.yaml", &login_with_secret_key()),
            ("logout.yaml", &added),
            ("out.yaml", &replaced),
        ],
    );
    let bearer = "rt::Binding { source: rt::Source::SessionKey, location: rt::Location::Header { name: \"Authorization\", template: \"Bearer {value}\", }, }";
    for want in [
        format!("path: \"token/{{token}}\", bindings: &[ {bearer}, rt::Binding {{ source: rt::Source::SessionKey, location: rt::Location::Path(\"token\"), }}, ]"),
        "path: \"out\", bindings: &[ rt::Binding { source: rt::Source::SessionKey, location: rt::Location::Query(\"sid\"), }, rt::Binding { source: rt::Source::SessionKey, location: rt::Location::Body(\"/sid\"), }, ]".to_string(),
    ] {
        assert!(code.contains(&want), "missing {want}\nin:\n{code}");
    }
}

// ---------------------------------------------------------------------------
// A method's own body encoding (`encoding`)
// ---------------------------------------------------------------------------

#[test]
fn method_encoding_is_emitted_on_its_table() {
    let provider = edit(
        V2_PROVIDER,
        "  encodings: [json]\n",
        "  encodings: [form]\n",
    );
    let data = "method: data\ndoc: D.\npath: data\nencoding: json\nresponse:\n  fields: []\n";
    let code = accepted(&provider, &[("login.yaml", V2_METHOD), ("data.yaml", data)]);
    for want in [
        "encoding: Some(rt::Encoding::Json), };",
        "encoding: None, };",
        "encodings: &[rt::Encoding::Form]",
    ] {
        assert!(code.contains(want), "missing {want}\nin:\n{code}");
    }
}

// ---------------------------------------------------------------------------
// A response field read at a pointer of the document (`from: {at}`)
// ---------------------------------------------------------------------------

#[test]
fn from_at_is_emitted_beside_a_cookie() {
    let method = edit(
        V2_METHOD,
        "    - name: token\n      type: string\n      doc: Token.\n",
        "    - {name: ok, type: bool, from: {at: /result}, doc: R.}\n    - {name: sid, type: string, secret: true, from: {cookie: SID}, doc: S.}\n",
    );
    let provider = edit(
        V2_PROVIDER,
        "response:\n",
        "response:\n  payload: /result\n",
    );
    let code = accepted(&provider, &[("login.yaml", &method)]);
    for want in [
        "payload: \"/result\", payload_kind: rt::PayloadKind::Empty, header_fields: &[ (\"ok\", rt::HeaderSource::Document(\"/result\")), (\"sid\", rt::HeaderSource::Cookie(\"SID\")), ]",
        "pub ok: bool,",
    ] {
        assert!(code.contains(want), "missing {want}\nin:\n{code}");
    }
}
