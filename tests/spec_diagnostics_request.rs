//! Request-side keys of spec format v2 added for the real servers
//! (tests/peers/README.md, "What cannot be said yet"): one value in several
//! places (`also`). Each misuse has a located diagnostic, and what is
//! accepted is emitted as bindings. Same harness as `spec_diagnostics_v2.rs`.

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
fn also_where_the_value_already_goes() {
    expect_only(
        &run(V2_PROVIDER, &param("    also:\n      - in: body\n")),
        Want {
            message: "parameter `user` goes to body `/user`, where parameter `user` already goes (body `/user`)",
            location: &at(LOGIN_FILE, 9, 9),
            path: "params[0].also[0]",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn also_with_an_unknown_location() {
    expect_only(
        &run(V2_PROVIDER, &param("    also:\n      - in: nowhere\n")),
        Want {
            message: "unknown location `in: nowhere`",
            location: &at(LOGIN_FILE, 9, 13),
            path: "params[0].also[0].in",
            hint: Some("basic_user"),
        },
    );
}

#[test]
fn also_into_a_path_without_the_placeholder() {
    expect_only(
        &run(V2_PROVIDER, &param("    also:\n      - in: path\n")),
        Want {
            message: "parameter `user` goes to the path placeholder `{user}`, which the method's path lacks",
            location: &at(LOGIN_FILE, 9, 9),
            path: "params[0].also[0]",
            hint: Some("`{user}`"),
        },
    );
}

#[test]
fn also_with_one_half_of_basic() {
    expect_only(
        &run(V2_PROVIDER, &param("    also:\n      - in: basic_user\n")),
        Want {
            message: "HTTP Basic needs both halves, and only one is given",
            location: &at(LOGIN_FILE, 9, 9),
            path: "params[0].also[0]",
            hint: Some("basic_password"),
        },
    );
}

#[test]
fn also_on_a_response_field() {
    let method = edit(
        V2_METHOD,
        "      doc: Token.\n",
        "      doc: Token.\n      also: [{in: query}]\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "`also` applies only to parameters",
            location: &at(LOGIN_FILE, 13, 13),
            path: "response.fields[0].also",
            hint: Some("from: {header: NAME}"),
        },
    );
}

#[test]
fn also_on_an_input_that_is_never_sent() {
    let method = param("    in: none\n    also: [{in: query}]\n");
    expect(
        &run(V2_PROVIDER, &method),
        Want {
            message: "`also` places a value, but this one goes `in: none`",
            location: &at(LOGIN_FILE, 9, 11),
            path: "params[0].also",
            hint: Some("in: none"),
        },
    );
}

#[test]
fn also_by_name_among_positional_parameters() {
    let method = edit(
        &param("    also: [{in: body, name: login}]\n"),
        "path: login\n",
        "path: login\nparams_at: /params\npositional: true\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "~a place of `also` needs `at` or another `in`",
            location: &at(LOGIN_FILE, 10, 12),
            path: "params[0].also[0]",
            hint: Some("at: /name"),
        },
    );
}

#[test]
fn constant_also_where_a_parameter_goes() {
    let method = edit(
        V2_METHOD,
        "params:\n",
        "constants:\n  kind: {value: x, in: query, also: [{in: body, at: /user}]}\nparams:\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "parameter `user` goes to body `/user`, where a constant already goes (body `/user`)",
            location: &at(LOGIN_FILE, 7, 5),
            path: "params[0]",
            hint: Some("its own place"),
        },
    );
}

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

fn run_session(provider: &str, method: &str) -> Vec<loginspec_codegen::Diagnostic> {
    let login = login_with_secret_key();
    run_files(
        "acme",
        provider,
        &[("login.yaml", &login), ("logout.yaml", method)],
    )
}

const LOGOUT_FILE: &str = "specs/acme/logout.yaml";

#[test]
fn method_carry_without_the_session() {
    let method = logout("out", "carry: {also: [{in: query, name: t}]}\n");
    let method = edit(&method, "session: end\n", "");
    let diags = run_session(&session_provider(""), &method);
    expect_only(
        &diags,
        Want {
            message:
                "`carry` says where the session key goes, but the method does not use the session",
            location: &at(LOGOUT_FILE, 6, 8),
            path: "carry",
            hint: Some("session: use"),
        },
    );
}

#[test]
fn method_carry_without_a_place() {
    let method = logout("out", "carry: {}\n");
    expect_only(
        &run_session(&session_provider(""), &method),
        Want {
            message: "~a method's `carry` needs a location",
            location: &at(LOGOUT_FILE, 7, 8),
            path: "carry",
            hint: Some("also: [{in: path, name: token}]"),
        },
    );
}

#[test]
fn method_carry_also_where_the_provider_sends_the_key() {
    let method = logout(
        "out",
        "carry:\n  also:\n    - in: header\n      name: authorization\n",
    );
    expect_only(
        &run_session(&session_provider(""), &method),
        Want {
            message: "the session key goes to header `authorization`, where the session key already goes (header `Authorization`)",
            location: &at(LOGOUT_FILE, 9, 7),
            path: "carry.also[0]",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn method_carry_also_into_a_path_without_the_placeholder() {
    let method = logout(
        "out",
        "carry:\n  also:\n    - in: path\n      name: token\n",
    );
    expect_only(
        &run_session(&session_provider(""), &method),
        Want {
            message: "the session key goes to the path placeholder `{token}`, which the method's path lacks",
            location: &at(LOGOUT_FILE, 9, 7),
            path: "carry.also[0]",
            hint: Some("`{token}`"),
        },
    );
}

#[test]
fn provider_carry_also_where_a_method_sends_a_parameter() {
    let provider = session_provider("    also: [{in: query, name: token}]\n");
    let method = edit(
        &logout("out", ""),
        "session: end\n",
        "session: end\nparams:\n  - {name: token, in: query, type: string, doc: T.}\n",
    );
    expect_only(
        &run_session(&provider, &method),
        Want {
            message: "the session key goes to query parameter `token`, where parameter `token` already goes (query parameter `token`)",
            location: &at(PROVIDER_FILE, 17, 12),
            path: "session.carry.also[0]",
            hint: Some("its own place"),
        },
    );
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

/// The method with its own `encoding` at line 4.
fn with_encoding(encoding: &str) -> String {
    edit(
        V2_METHOD,
        "path: login\n",
        &format!("path: login\nencoding: {encoding}\n"),
    )
}

#[test]
fn method_encoding_that_is_unknown_or_soap() {
    for bad in ["yaml", "soap11"] {
        expect_only(
            &run(V2_PROVIDER, &with_encoding(bad)),
            Want {
                message: &format!("unknown encoding `{bad}`"),
                location: &at(LOGIN_FILE, 4, 11),
                path: "encoding",
                hint: Some("form, query, json, xml, none"),
            },
        );
    }
}

#[test]
fn method_encoding_of_a_soap_provider() {
    let provider = edit(
        V2_PROVIDER,
        "  encodings: [json]\n",
        "  encodings: [soap11]\n  soap_namespace: urn:acme\n",
    );
    let diags = run(&provider, &with_encoding("json"));
    expect(
        &diags,
        Want {
            message: "a method of a SOAP provider cannot have its own encoding",
            location: &at(LOGIN_FILE, 4, 11),
            path: "encoding",
            hint: Some("remove `encoding`"),
        },
    );
}

#[test]
fn method_encoding_xml_without_a_root() {
    expect_only(
        &run(V2_PROVIDER, &with_encoding("xml")),
        Want {
            message: "the `xml` encoding needs `xml_root`, which provider.yaml lacks",
            location: &at(LOGIN_FILE, 4, 11),
            path: "encoding",
            hint: Some("request.xml_root"),
        },
    );
}

#[test]
fn method_encoding_none_with_body_values() {
    expect_only(
        &run(V2_PROVIDER, &with_encoding("none")),
        Want {
            message: "parameter `user` goes into the body, but the encodings include `none`",
            location: &at(LOGIN_FILE, 6, 5),
            path: "params[0]",
            hint: Some("in: query"),
        },
    );
}

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

/// The method with `from` on its response field `token` (line 13).
fn token_from(from: &str) -> String {
    edit(
        V2_METHOD,
        "      doc: Token.\n",
        &format!("      doc: Token.\n      from: {from}\n"),
    )
}

#[test]
fn from_at_that_is_not_absolute() {
    expect_only(
        &run(V2_PROVIDER, &token_from("{at: result}")),
        Want {
            message: "`from: {at: result}` is not an absolute pointer",
            location: &at(LOGIN_FILE, 13, 18),
            path: "response.fields[0].from.at",
            hint: Some("`/result`"),
        },
    );
}

#[test]
fn from_at_with_a_header_too() {
    expect_only(
        &run(V2_PROVIDER, &token_from("{header: X-Token, at: /token}")),
        Want {
            message: "`from` needs exactly one of `header`, `cookie` and `at`",
            location: &at(LOGIN_FILE, 13, 13),
            path: "response.fields[0].from",
            hint: Some("from: {at: /result}"),
        },
    );
}

#[test]
fn from_at_with_a_bad_escape() {
    let diags = run(V2_PROVIDER, &token_from("{at: /a~2}"));
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    assert_eq!(diags[0].yaml_path(), "response.fields[0].from.at");
    assert_eq!(diags[0].location(), at(LOGIN_FILE, 13, 18));
}

#[test]
fn from_at_on_a_parameter() {
    expect_only(
        &run(V2_PROVIDER, &param("    from: {at: /user}\n")),
        Want {
            message: "`from` has no effect here",
            location: &at(LOGIN_FILE, 8, 11),
            path: "params[0].from",
            hint: Some("parameters are sent"),
        },
    );
}

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
