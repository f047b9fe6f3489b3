//! Spec format v2 (request/response bindings): every rejection has a
//! located diagnostic, and what v2 can say is accepted and emitted as the
//! runtime tables. Same harness as `spec_diagnostics.rs`.

use loginspec_tests::diagnostics::*;

/// The method with `extra` added to its parameter `user` (from line 8 on).
fn param(extra: &str) -> String {
    edit(
        V2_METHOD,
        "    doc: User name.\n",
        &format!("    doc: User name.\n{extra}"),
    )
}

/// The method with a second parameter (lines 8 to 10, plus `extra` from 11).
fn second_param(name: &str, ty: &str, extra: &str) -> String {
    edit(
        V2_METHOD,
        "    doc: User name.\n",
        &format!("    doc: User name.\n  - name: {name}\n    type: {ty}\n    doc: Two.\n{extra}"),
    )
}

fn accepted(provider: &str, methods: &[(&str, &str)]) -> String {
    let (_tmp, specs) = write_specs("acme", provider, methods);
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    output.providers[0].code.clone()
}

#[test]
fn baseline_is_valid() {
    accepted(V2_PROVIDER, &[("login.yaml", V2_METHOD)]);
}

// ---------------------------------------------------------------------------
// The provider's wire format
// ---------------------------------------------------------------------------

#[test]
fn protocol_and_request_together() {
    let provider =
        format!("{V2_PROVIDER}protocol:\n  encodings: [json]\n  method_name:\n    path: true\n");
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "a provider has either the v1 `protocol` or the v2 `request`, not both",
            location: &at(PROVIDER_FILE, 11, 3),
            path: "protocol",
            hint: Some("remove `protocol`"),
        },
    );
}

#[test]
fn neither_protocol_nor_request() {
    let provider = "provider: acme\ntitle: Acme\nbase_url: https://api.acme.test/\n";
    expect_only(
        &run(provider, V2_METHOD),
        Want {
            message: "the provider says nothing about its wire format",
            location: &at(PROVIDER_FILE, 1, 1),
            path: "",
            hint: Some("request: {encodings: [json]}"),
        },
    );
}

#[test]
fn unknown_http_method() {
    let method = edit(V2_METHOD, "path: login\n", "path: login\nhttp: FETCH\n");
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "unknown HTTP method `FETCH`",
            location: &at(LOGIN_FILE, 4, 7),
            path: "http",
            hint: Some("GET, POST, PUT, PATCH, DELETE"),
        },
    );
}

#[test]
fn params_at_that_is_not_a_pointer() {
    let provider = edit(
        V2_PROVIDER,
        "  encodings: [json]\n",
        "  encodings: [json]\n  params_at: params\n",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "pointer `params` does not start with `/`",
            location: &at(PROVIDER_FILE, 6, 14),
            path: "request.params_at",
            hint: Some("/params"),
        },
    );
}

// ---------------------------------------------------------------------------
// Locations
// ---------------------------------------------------------------------------

#[test]
fn method_named_like_the_provider_error_rules() {
    let method = edit(
        V2_METHOD,
        "method: login\n",
        "method: login\nrust_name: provider_error_rules\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message:
                "method name `provider_error_rules` is taken by the generated `Client` or `Session`",
            location: &at(LOGIN_FILE, 2, 12),
            path: "rust_name",
            hint: Some("provider_error_rules_call"),
        },
    );
}

#[test]
fn variable_in_a_path() {
    // 4 variables, 5 - name: v, 6 doc, 7 in: path.
    let provider = edit(
        V2_PROVIDER,
        "request:\n",
        "variables:\n  - name: v\n    doc: V.\n    in: path\nrequest:\n",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "variable `v` cannot go `in: path`",
            location: &at(PROVIDER_FILE, 7, 9),
            path: "variables[0].in",
            hint: Some("`{v}` in `base_url`"),
        },
    );
}

#[test]
fn unknown_location() {
    expect_only(
        &run(V2_PROVIDER, &param("    in: form\n")),
        Want {
            message: "unknown location `in: form`",
            location: &at(LOGIN_FILE, 8, 9),
            path: "params[0].in",
            hint: Some("body, query, path, header, cookie, basic_user, basic_password"),
        },
    );
}

#[test]
fn at_that_is_not_a_valid_pointer() {
    expect_only(
        &run(V2_PROVIDER, &param("    at: identifier/user\n")),
        Want {
            message: "body pointer `identifier/user` does not start with `/`",
            location: &at(LOGIN_FILE, 8, 9),
            path: "params[0].at",
            hint: Some("absolute JSON pointer"),
        },
    );
    expect_only(
        &run(V2_PROVIDER, &param("    at: /identifier/~2\n")),
        Want {
            message: "~`~2`",
            location: &at(LOGIN_FILE, 8, 9),
            path: "params[0].at",
            hint: Some("`~1` stands for `/`"),
        },
    );
}

#[test]
fn at_outside_the_body() {
    expect_only(
        &run(V2_PROVIDER, &param("    in: query\n    at: /user\n")),
        Want {
            message: "`at` places a value in the body, but this one goes `in: query`",
            location: &at(LOGIN_FILE, 9, 9),
            path: "params[0].at",
            hint: Some("remove `at`"),
        },
    );
}

#[test]
fn header_templates() {
    for (template, message) in [
        (
            "Bearer",
            "header template `Bearer` must hold `{value}` exactly once",
        ),
        (
            "\"{value} {value}\"",
            "header template `{value} {value}` must hold `{value}` exactly once",
        ),
        (
            "\"Bearer {value}\\r\\nX: 1\"",
            "header template holds `\\r`",
        ),
    ] {
        let extra = format!("    in: header\n    template: {template}\n");
        expect_only(
            &run(V2_PROVIDER, &param(&extra)),
            Want {
                message,
                location: &at(LOGIN_FILE, 9, 15),
                path: "params[0].template",
                hint: Some(""),
            },
        );
    }
    expect_only(
        &run(
            V2_PROVIDER,
            &param("    in: query\n    template: \"x {value}\"\n"),
        ),
        Want {
            message: "`template` applies to headers, but this value goes `in: query`",
            location: &at(LOGIN_FILE, 9, 15),
            path: "params[0].template",
            hint: Some("in: header"),
        },
    );
}

#[test]
fn header_name_that_is_not_a_token() {
    let method = edit(
        &param("    in: header\n"),
        "- name: user",
        "- name: \"X Api Key\"",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "header name `X Api Key` is not an HTTP token",
            location: &at(LOGIN_FILE, 5, 11),
            path: "params[0].name",
            hint: Some("no spaces"),
        },
    );
}

#[test]
fn two_values_in_one_place() {
    expect_only(
        &run(V2_PROVIDER, &second_param("login", "string", "    at: /user\n")),
        Want {
            message: "parameter `login` goes to body `/user`, where parameter `user` already goes (body `/user`)",
            location: &at(LOGIN_FILE, 8, 5),
            path: "params[1]",
            hint: Some("its own place"),
        },
    );
    // Inside a value that is not a container.
    expect_only(
        &run(V2_PROVIDER, &second_param("inner", "string", "    at: /user/inner\n")),
        Want {
            message: "parameter `inner` goes to body `/user/inner`, where parameter `user` already goes (body `/user`)",
            location: &at(LOGIN_FILE, 8, 5),
            path: "params[1]",
            hint: Some("its own place"),
        },
    );
    // Header names are case-insensitive.
    let method = second_param("b", "string", "    in: header\n    name: x-key\n");
    let method = edit(&method, "- name: b", "- name: X-Key");
    let method = edit(&method, "    name: x-key\n", "");
    let method = edit(
        &method,
        "    doc: User name.\n",
        "    doc: User name.\n    in: header\n    template: \"{value}\"\n",
    );
    let method = edit(
        &method,
        "- name: user",
        "- name: x-key\n    rust_name: lower",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "parameter `X-Key` goes to header `X-Key`, where parameter `x-key` already goes (header `x-key`)",
            location: &at(LOGIN_FILE, 11, 5),
            path: "params[1]",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn path_placeholders_and_path_parameters_match() {
    expect_only(
        &run(V2_PROVIDER, &param("    in: path\n")),
        Want {
            message: "parameter `user` goes to the path placeholder `{user}`, which the method's path lacks",
            location: &at(LOGIN_FILE, 5, 5),
            path: "params[0]",
            hint: Some("`{user}`"),
        },
    );
    let method = edit(V2_METHOD, "path: login", "path: \"users/{id}/login\"");
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "path placeholder `{id}` is filled by no parameter",
            location: &at(LOGIN_FILE, 3, 7),
            path: "path",
            hint: Some("`in: path`"),
        },
    );
    let method = edit(
        &param("    in: path\n"),
        "path: login",
        "path: \"users/{user}\"",
    );
    accepted(V2_PROVIDER, &[("login.yaml", &method)]);
}

#[test]
fn body_values_without_a_body() {
    let provider = edit(V2_PROVIDER, "[json]", "[none]");
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "parameter `user` goes into the body, but the encodings include `none`",
            location: &at(LOGIN_FILE, 5, 5),
            path: "params[0]",
            hint: Some("in: query"),
        },
    );
    accepted(&provider, &[("login.yaml", &param("    in: query\n"))]);
}

#[test]
fn basic_needs_both_halves_of_text() {
    expect_only(
        &run(V2_PROVIDER, &param("    in: basic_user\n")),
        Want {
            message: "HTTP Basic needs both halves, and only one is given",
            location: &at(LOGIN_FILE, 5, 5),
            path: "params[0]",
            hint: Some("`in: basic_password`"),
        },
    );
    let method = second_param("pin", "i32", "    in: basic_password\n");
    let method = edit(
        &method,
        "    doc: User name.\n",
        "    doc: User name.\n    in: basic_user\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "parameter `pin` is not text, so it cannot be a Basic credential",
            location: &at(LOGIN_FILE, 9, 5),
            path: "params[1]",
            hint: Some("strings"),
        },
    );
}

#[test]
fn positional_parameter_with_at() {
    let method = edit(
        &param("    at: /params/user\n"),
        "path: login\n",
        "path: login\npositional: true\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "a positional parameter's place is its position, so it cannot have `at`",
            location: &at(LOGIN_FILE, 9, 9),
            path: "params[0].at",
            hint: Some("positional: false"),
        },
    );
}

#[test]
fn named_member_among_positional_parameters() {
    // 3 path, 4 positional, 5 params_at, 6 constants, 7 v: 1.
    let method = edit(
        V2_METHOD,
        "path: login\n",
        "path: login\npositional: true\nparams_at: /params\nconstants:\n  v: 1\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "a constant goes to body `/params/v`, where the parameters' container already goes (body `/params`)",
            location: &at(LOGIN_FILE, 7, 6),
            path: "constants.v",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn constant_with_a_location() {
    // 4 constants, 5 `X-Version:`, 6 value, 7 in, 8 template.
    let method = edit(
        V2_METHOD,
        "path: login\n",
        "path: login\nconstants:\n  X-Version:\n    value: \"3\\n\"\n    in: header\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "the `X-Version` header value holds `\\n`, which cannot be sent in an HTTP header as written",
            location: &at(LOGIN_FILE, 6, 5),
            path: "constants.X-Version",
            hint: Some("one line"),
        },
    );
    let method = edit(
        V2_METHOD,
        "path: login\n",
        "path: login\nconstants:\n  v: {value: 3, in: body, where: x}\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message:
                "~a literal (null, bool, number, string) or a map `{value, in, at, name, template}`",
            // The value that fits neither form (it was the map holding it).
            location: &at(LOGIN_FILE, 5, 6),
            path: "constants.v",
            hint: None,
        },
    );
}

#[test]
fn location_keys_on_a_response_field() {
    let method = edit(
        V2_METHOD,
        "      doc: Token.\n",
        "      doc: Token.\n      in: header\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "`in` applies only to parameters",
            location: &at(LOGIN_FILE, 13, 11),
            path: "response.fields[0].in",
            hint: Some("from: {header: NAME}"),
        },
    );
}

#[test]
fn moved_capability_points_at_its_v2_spelling() {
    let method = edit(V2_METHOD, "path: login\n", "path: login\nverb: GET\n");
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "`verb` is not a key here",
            location: &at(LOGIN_FILE, 4, 1),
            path: "verb",
            hint: Some("`http: GET`"),
        },
    );
}

// ---------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------

#[test]
fn error_rule_code_needs_a_type() {
    let provider = edit(
        V2_PROVIDER,
        "      code_type: int\n",
        "      message: /msg\n",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "a code read at a pointer needs `code_type`",
            location: &at(PROVIDER_FILE, 8, 13),
            path: "response.error_rules[0].code",
            hint: Some("code_type: int"),
        },
    );
}

#[test]
fn error_rule_with_code_and_code_value() {
    let provider = format!("{V2_PROVIDER}      code_value: 7\n");
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "a rule reads its code at `code` or fixes it with `code_value`, not both",
            location: &at(PROVIDER_FILE, 10, 19),
            path: "response.error_rules[0].code_value",
            hint: Some("keep one"),
        },
    );
}

#[test]
fn error_rule_status_out_of_range() {
    let provider = format!("{V2_PROVIDER}      when:\n        status: [401, \"600-700\"]\n");
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "`600-700` is not an HTTP status or range",
            location: &at(PROVIDER_FILE, 11, 23),
            path: "response.error_rules[0].when.status[1]",
            hint: Some("\"500-599\""),
        },
    );
}

#[test]
fn error_rule_optional_code_without_a_code() {
    let provider = edit(
        V2_PROVIDER,
        "    - code: /code\n      code_type: int\n",
        "    - code_value: 1\n      code_optional: true\n",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "`code_optional` needs a `code` pointer",
            location: &at(PROVIDER_FILE, 9, 22),
            path: "response.error_rules[0].code_optional",
            hint: Some("add `code`"),
        },
    );
}

#[test]
fn error_rule_retry_after_unit() {
    let provider = format!("{V2_PROVIDER}      retry_after: {{at: /retry, unit: minutes}}\n");
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "unknown unit `minutes`",
            location: &at(PROVIDER_FILE, 10, 39),
            path: "response.error_rules[0].retry_after.unit",
            hint: Some("`ms`"),
        },
    );
}

#[test]
fn response_with_type_and_fields() {
    let method = edit(V2_METHOD, "response:\n", "response:\n  type: bool\n");
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "a response is one of: a struct (`fields`/`extends`), a `type`, or a `kind`",
            location: &at(LOGIN_FILE, 9, 9),
            path: "response.type",
            hint: Some("keep one"),
        },
    );
}

#[test]
fn unknown_response_kind() {
    let method = edit(
        V2_METHOD,
        "  fields:\n    - name: token\n      type: string\n      doc: Token.\n",
        "  kind: html\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "unknown response kind `html`",
            location: &at(LOGIN_FILE, 9, 9),
            path: "response.kind",
            hint: Some("`text`"),
        },
    );
}

#[test]
fn field_from_a_header_must_be_a_string() {
    let method = edit(
        V2_METHOD,
        "      type: string\n      doc: Token.\n",
        "      type: i64\n      doc: Token.\n      from: {header: X-Token}\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "a field read from a header or cookie must be a `string`",
            location: &at(LOGIN_FILE, 11, 13),
            path: "response.fields[0].type",
            hint: Some("type: string"),
        },
    );
    let method = edit(
        V2_METHOD,
        "    doc: User name.\n",
        "    doc: User name.\n    from: {cookie: SID}\n",
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "`from` has no effect here",
            location: &at(LOGIN_FILE, 8, 11),
            path: "params[0].from",
            hint: Some("parameters are sent"),
        },
    );
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

/// The session block. Lines: 10 session, 11 login, 12 key, 13 carry, 14.. location.
fn session_provider(carry: &str) -> String {
    format!("{V2_PROVIDER}session:\n  login: login\n  key: token\n  carry:\n{carry}")
}

const DATA: &str = "\
method: data
doc: Reads data.
path: data
session: use
response:
  fields: []
";

fn run_session(provider: &str, data: &str) -> Vec<loginspec_codegen::Diagnostic> {
    let login = edit(
        V2_METHOD,
        "      type: string\n      doc: Token.\n",
        "      type: string\n      secret: true\n      doc: Token.\n",
    );
    run_files(
        "acme",
        provider,
        &[("login.yaml", &login), ("data.yaml", data)],
    )
}

#[test]
fn carry_in_a_header_needs_a_template_with_the_value() {
    let provider =
        session_provider("    in: header\n    name: Authorization\n    template: Bearer\n");
    expect_only(
        &run_session(&provider, DATA),
        Want {
            message: "header template `Bearer` must hold `{value}` exactly once",
            location: &at(PROVIDER_FILE, 16, 15),
            path: "session.carry.template",
            hint: Some("Bearer {value}"),
        },
    );
}

#[test]
fn carry_with_v1_and_v2_keys() {
    let provider = session_provider("    field: sid\n    in: query\n");
    expect_only(
        &run_session(&provider, DATA),
        Want {
            message: "~`carry` needs a location",
            location: &at(PROVIDER_FILE, 14, 5),
            path: "session.carry",
            hint: Some("Bearer {value}"),
        },
    );
}

#[test]
fn carry_where_a_session_method_already_sends_something() {
    let provider = session_provider("    in: query\n    name: token\n");
    let data = edit(
        DATA,
        "session: use\n",
        "session: use\nparams:\n  - name: token\n    in: query\n    type: string\n    doc: T.\n",
    );
    expect_only(
        &run_session(&provider, &data),
        Want {
            message: "the session key goes to query parameter `token`, where parameter `token` already goes (query parameter `token`)",
            location: &at(PROVIDER_FILE, 15, 11),
            path: "session.carry.name",
            hint: Some("its own place"),
        },
    );
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
