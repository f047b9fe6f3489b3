//! Answer-side keys of issue 10 (error entries refined by `match`, custom
//! timestamp formats, credential groups): what accepted specs emit. Their
//! diagnostics are the fixtures in `codegen/tests/diagnostics/answers/`.

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
