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
