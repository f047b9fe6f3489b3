//! Answer-side keys of issue 10: error entries refined by `match`, custom
//! timestamp formats, alternative credential groups. Every misuse has a
//! located diagnostic; what is accepted is emitted. Same harness as
//! `spec_diagnostics_v2.rs`.

use loginspec_tests::diagnostics::*;

fn accepted(provider: &str, methods: &[(&str, &str)]) -> String {
    let (_tmp, specs) = write_specs("acme", provider, methods);
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    output.providers[0].code.clone()
}

// ---------------------------------------------------------------------------
// Error entries refined by `match`
// ---------------------------------------------------------------------------

/// The method with errors from line 13 on: 13 `errors:`, 14 `- code: 1`,
/// 15 name, 16 doc, then `entry` (first line 17), then a fallback of code 1.
fn refined(entry: &str) -> String {
    format!(
        "{V2_METHOD}errors:\n  - code: 1\n    name: Expired\n    doc: Expired.\n{entry}  - code: 1\n    name: Other\n    doc: Other.\n"
    )
}

#[test]
fn one_code_with_a_match_and_a_fallback_is_emitted() {
    let method = refined(
        "    class: session_expired\n    match:\n      message: {contains: \"re-login\"}\n      header: {name: WWW-Authenticate, matches: \"Bearer .*\"}\n",
    );
    let code = accepted(V2_PROVIDER, &[("login.yaml", &method)]);
    assert!(code.contains("rt::ErrorMatch"), "{code}");
    assert!(
        code.contains("rt::TextTest::Contains(\"re-login\")"),
        "{code}"
    );
    assert!(code.contains("\"WWW-Authenticate\""), "{code}");
    assert!(code.contains("fn from_answer"), "{code}");
}

#[test]
fn a_match_that_tests_nothing() {
    expect_only(
        &run(V2_PROVIDER, &refined("    match: {}\n")),
        Want {
            message: "`match` tests nothing",
            location: &at(LOGIN_FILE, 17, 12),
            path: "errors[0].match",
            hint: Some("message: {contains: TEXT}"),
        },
    );
}

#[test]
fn a_text_test_needs_exactly_one_of_contains_and_matches() {
    expect_only(
        &run(
            V2_PROVIDER,
            &refined("    match:\n      message: {contains: a, matches: b}\n"),
        ),
        Want {
            message: "a test of the message needs exactly one of `contains` and `matches`",
            location: &at(LOGIN_FILE, 18, 16),
            path: "errors[0].match.message",
            hint: Some("`contains: TEXT`"),
        },
    );
    expect_only(
        &run(
            V2_PROVIDER,
            &refined("    match:\n      header: {name: WWW-Authenticate}\n"),
        ),
        Want {
            message: "a test of the header value needs exactly one of `contains` and `matches`",
            location: &at(LOGIN_FILE, 18, 15),
            path: "errors[0].match.header",
            hint: Some("`matches: REGEX`"),
        },
    );
}

#[test]
fn an_empty_contains_always_holds() {
    expect_only(
        &run(
            V2_PROVIDER,
            &refined("    match:\n      message: {contains: \"\"}\n"),
        ),
        Want {
            message: "`contains` is empty, so it always holds",
            location: &at(LOGIN_FILE, 18, 27),
            path: "errors[0].match.message.contains",
            hint: Some("tells this error apart"),
        },
    );
}

#[test]
fn a_match_regex_must_compile_alone_and_anchored() {
    expect_only(
        &run(
            V2_PROVIDER,
            &refined("    match:\n      message: {matches: \"(unclosed\"}\n"),
        ),
        Want {
            message: "~pattern does not compile:",
            location: &at(LOGIN_FILE, 18, 26),
            path: "errors[0].match.message.matches",
            hint: Some("the whole message"),
        },
    );
    expect_only(
        &run(
            V2_PROVIDER,
            &refined("    match:\n      message: {matches: \"(?x)a # note\"}\n"),
        ),
        Want {
            message: "pattern does not compile once anchored as `^(?:pattern)$`",
            location: &at(LOGIN_FILE, 18, 26),
            path: "errors[0].match.message.matches",
            hint: Some("swallows the anchor"),
        },
    );
}

#[test]
fn a_match_header_name_is_an_http_token() {
    expect_only(
        &run(
            V2_PROVIDER,
            &refined("    match:\n      header: {name: \"WWW Authenticate\", contains: x}\n"),
        ),
        Want {
            message: "header name `WWW Authenticate` is not an HTTP token",
            location: &at(LOGIN_FILE, 18, 22),
            path: "errors[0].match.header.name",
            hint: Some("no spaces"),
        },
    );
}

#[test]
fn one_code_twice_with_the_same_match_or_without_any() {
    let same = "    match:\n      message: {contains: x}\n";
    let method = format!(
        "{V2_METHOD}errors:\n  - code: 1\n    name: A\n    doc: A.\n{same}  - code: 1\n    name: B\n    doc: B.\n{same}"
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "error code `1` is listed twice",
            location: &at(LOGIN_FILE, 19, 11),
            path: "errors[1].code",
            hint: Some("merge"),
        },
    );
    let method = format!(
        "{V2_METHOD}errors:\n  - code: 1\n    name: A\n    doc: A.\n  - code: 1\n    name: B\n    doc: B.\n"
    );
    expect_only(
        &run(V2_PROVIDER, &method),
        Want {
            message: "error code `1` is listed twice",
            location: &at(LOGIN_FILE, 17, 11),
            path: "errors[1].code",
            hint: Some("merge"),
        },
    );
}

// ---------------------------------------------------------------------------
// Timestamp formats
// ---------------------------------------------------------------------------

/// The method with a response field `at` of type timestamp and `format`
/// (line 13, the field from line 10 on: 10 name, 11 type, 12 doc... the
/// field `at` is lines 13 to 16, `format` on 16).
fn timestamp(format: &str) -> String {
    edit(
        V2_METHOD,
        "      doc: Token.\n",
        &format!("      doc: Token.\n    - name: at\n      type: timestamp\n      doc: When.\n      format: {format}\n"),
    )
}

#[test]
fn named_and_custom_formats_are_accepted() {
    for format in ["rfc3339", "iso8601", "{pattern: \"[year]-[month]-[day]\"}"] {
        let code = accepted(V2_PROVIDER, &[("login.yaml", &timestamp(format))]);
        assert!(code.contains("adapt::"), "{format}: {code}");
    }
    let code = accepted(
        V2_PROVIDER,
        &[(
            "login.yaml",
            &timestamp("{pattern: \"[year]-[month]-[day]\"}"),
        )],
    );
    assert!(code.contains("mod time_formats"), "{code}");
    assert!(code.contains("\"[year]-[month]-[day]\""), "{code}");
}

#[test]
fn an_unknown_named_format() {
    expect_only(
        &run(V2_PROVIDER, &timestamp("rfc2822")),
        Want {
            message: "unknown timestamp format `rfc2822`",
            location: &at(LOGIN_FILE, 14, 13),
            path: "response.fields[1].type",
            hint: Some("rfc3339, iso8601, or a custom `{pattern:"),
        },
    );
}

#[test]
fn a_custom_format_that_does_not_parse() {
    expect_only(
        &run(V2_PROVIDER, &timestamp("{pattern: \"[year]-[mnth]\"}")),
        Want {
            message: "~the timestamp format does not parse:",
            location: &at(LOGIN_FILE, 16, 25),
            path: "response.fields[1].format.pattern",
            hint: Some("format description of the `time` crate"),
        },
    );
}

#[test]
fn a_custom_format_without_a_whole_date() {
    expect_only(
        &run(V2_PROVIDER, &timestamp("{pattern: \"[hour]:[minute]\"}")),
        Want {
            message: "the timestamp format cannot be read back into a date and time",
            location: &at(LOGIN_FILE, 16, 25),
            path: "response.fields[1].format.pattern",
            hint: Some("a whole date"),
        },
    );
}

// ---------------------------------------------------------------------------
// Alternative credential groups
// ---------------------------------------------------------------------------

/// V2_PROVIDER with two variables (lines 10 to 12) and a group `user` of
/// `u` (lines 13 to 16); `extra` follows from line 17.
fn groups(extra: &str) -> String {
    format!(
        "{V2_PROVIDER}variables:\n  - {{name: u, in: query, doc: U.}}\n  - {{name: k, in: header, secret: true, doc: K.}}\ncredentials:\n  - name: user\n    doc: User.\n    variables: [u]\n{extra}"
    )
}

#[test]
fn credential_groups_make_an_enum_the_client_is_built_from() {
    let code = accepted(
        &groups("  - name: api_key\n    doc: Key.\n    variables: [k]\n"),
        &[("login.yaml", V2_METHOD)],
    );
    assert!(code.contains("pub enum Credentials"), "{code}");
    assert!(code.contains("ApiKey"), "{code}");
    assert!(code.contains("rt::Variable::unset(\"u\")"), "{code}");
    assert!(code.contains("credentials: Credentials"), "{code}");
}

#[test]
fn a_group_names_an_unknown_variable() {
    expect_only(
        &run(
            &groups("  - name: other\n    doc: Other.\n    variables: [kk]\n"),
            V2_METHOD,
        ),
        Want {
            message: "`kk` is not a variable of the provider",
            location: &at(PROVIDER_FILE, 19, 17),
            path: "credentials[1].variables[0]",
            hint: Some("the variables are: u, k"),
        },
    );
}

#[test]
fn an_empty_group() {
    expect_only(
        &run(
            &groups("  - name: nothing\n    doc: None.\n    variables: []\n"),
            V2_METHOD,
        ),
        Want {
            message: "credential group `nothing` has no variables",
            location: &at(PROVIDER_FILE, 19, 16),
            path: "credentials[1].variables",
            hint: Some("list the variables"),
        },
    );
}

#[test]
fn two_groups_that_send_the_same_variables() {
    expect_only(
        &run(
            &groups("  - name: again\n    doc: Again.\n    variables: [u]\n"),
            V2_METHOD,
        ),
        Want {
            message: "credential groups `user` and `again` send the same variables",
            location: &at(PROVIDER_FILE, 19, 16),
            path: "credentials[1].variables",
            hint: Some("merge"),
        },
    );
}

#[test]
fn a_group_name_twice_or_not_snake_case() {
    expect_only(
        &run(
            &groups("  - name: user\n    doc: Again.\n    variables: [k]\n"),
            V2_METHOD,
        ),
        Want {
            message: "credential group `user` is declared twice",
            location: &at(PROVIDER_FILE, 17, 11),
            path: "credentials[1].name",
            hint: Some("its own name"),
        },
    );
    expect_only(
        &run(
            &groups("  - name: ApiKey\n    doc: Key.\n    variables: [k]\n"),
            V2_METHOD,
        ),
        Want {
            message: "credential group name `ApiKey` is not snake_case",
            location: &at(PROVIDER_FILE, 17, 11),
            path: "credentials[1].name",
            hint: Some("snake_case"),
        },
    );
}

#[test]
fn a_group_variable_that_is_not_sent() {
    let provider = edit(
        &groups("  - name: host\n    doc: Host.\n    variables: [h]\n"),
        "variables:\n",
        "variables:\n  - {name: h, doc: H.}\n",
    )
    .replace(
        "base_url: https://api.acme.test/",
        "base_url: https://{h}.acme.test/",
    );
    expect_only(
        &run(&provider, V2_METHOD),
        Want {
            message: "variable `h` is not sent, so choosing its group changes nothing",
            location: &at(PROVIDER_FILE, 20, 17),
            path: "credentials[1].variables[0]",
            hint: Some("give it a location"),
        },
    );
}

#[test]
fn credentials_in_a_method_file_points_at_the_provider() {
    let method = format!("{V2_METHOD}credentials: []\n");
    expect(
        &run(V2_PROVIDER, &method),
        Want {
            message: "~`credentials`",
            location: &at(LOGIN_FILE, 13, 1),
            path: "credentials",
            hint: Some("provider-wide"),
        },
    );
}
