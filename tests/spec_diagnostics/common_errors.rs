//! Provider-wide errors: one `ProviderError` per provider, one name per
//! error code across provider.yaml and every method file. Same harness as
//! `spec_diagnostics.rs`.

use loginspec_tests::diagnostics::*;

/// A valid provider with integer codes and one provider-wide error, code 1
/// `Bad`. Lines: 11 errors, 12 `- code: 1`, 13 name, 14 doc.
const PROVIDER: &str = "\
provider: acme
title: Acme
base_url: https://api.acme.test/
protocol:
  encodings: [json]
  method_name:
    path: true
  error:
    code: /code
    code_type: int
errors:
  - code: 1
    name: Bad
    doc: Bad.
    class: session_expired
";

/// A valid method named `wire`; its `errors:` block (appended) starts at
/// line 12, its first entry's name is on line 14.
fn method(wire: &str, errors: &str) -> String {
    format!(
        "method: {wire}\ndoc: Calls.\nparams:\n  - name: user\n    type: string\n    doc: User name.\nresponse:\n  fields:\n    - name: token\n      type: string\n      doc: Token.\nerrors:\n{errors}"
    )
}

fn generated(provider: &str, methods: &[(&str, &str)]) -> String {
    let (_tmp, specs) = write_specs("acme", provider, methods);
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    output.providers[0].code.clone()
}

#[test]
fn a_provider_wide_code_under_another_name_is_refused() {
    let login = method("login", "  - code: 1\n    name: Other\n    doc: Other.\n");
    expect_only(
        &run(PROVIDER, &login),
        Want {
            message: "error code `1` is the provider-wide error `Bad`; a method may document it again only under that name",
            location: &at(LOGIN_FILE, 14, 11),
            path: "errors[0].name",
            hint: Some("rename `Other` to `Bad` and say in `doc` what it means for this method"),
        },
    );
}

#[test]
fn a_method_code_has_one_name_in_every_method() {
    let login = method("login", "  - code: 7\n    name: Locked\n    doc: Locked.\n");
    let logout = method(
        "logout",
        "  - code: 7\n    name: Blocked\n    doc: Blocked.\n",
    );
    expect_only(
        &run_files(
            "acme",
            PROVIDER,
            &[("login.yaml", &login), ("logout.yaml", &logout)],
        ),
        Want {
            message: "error code `7` is named `Locked` in specs/acme/login.yaml; one error has one name in every method",
            location: &at("specs/acme/logout.yaml", 14, 11),
            path: "errors[0].name",
            hint: Some("rename `Blocked` to `Locked`"),
        },
    );
}

#[test]
fn provider_is_a_reserved_error_name() {
    let login = method(
        "login",
        "  - code: 2\n    name: Provider\n    doc: Other.\n",
    );
    expect_only(
        &run(PROVIDER, &login),
        Want {
            message:
                "`Provider` is reserved: it is the variant that wraps the provider-wide errors",
            location: &at(LOGIN_FILE, 14, 11),
            path: "errors[0].name",
            hint: Some("pick a more specific name"),
        },
    );
}

#[test]
fn provider_error_is_a_reserved_type_name() {
    let provider = PROVIDER.replace(
        "errors:\n",
        "types:\n  ProviderError:\n    fields: []\nerrors:\n",
    );
    expect(
        &run(
            &provider,
            &method("login", "  - code: 2\n    name: Two\n    doc: Two.\n"),
        ),
        Want {
            message: "type name `ProviderError` is reserved for the generated code",
            location: &at(PROVIDER_FILE, 13, 5),
            path: "types.ProviderError",
            hint: Some("pick another name"),
        },
    );
}

#[test]
fn a_method_named_provider_needs_a_rust_name() {
    let m = method("provider", "  - code: 2\n    name: Two\n    doc: Two.\n");
    expect_only(
        &run_files("acme", PROVIDER, &[("provider_call.yaml", &m)]),
        Want {
            message: "the method's error enum would be `ProviderError`, the name of the provider-wide errors",
            location: &at("specs/acme/provider_call.yaml", 1, 9),
            path: "method",
            hint: Some("set `rust_name`"),
        },
    );
}

#[test]
fn a_re_documented_provider_code_stays_the_provider_variant_with_the_method_class() {
    let login = method(
        "login",
        "  - code: 1\n    name: Bad\n    doc: Bad here.\n    class: server\n  - code: 2\n    name: Two\n    doc: Two.\n",
    );
    let code = generated(PROVIDER, &[("login.yaml", &login)]);
    // Once, as the provider's enum; the method's enum wraps it.
    assert_eq!(code.matches("pub enum ProviderError").count(), 1, "{code}");
    assert!(code.contains("Provider(ProviderError),"), "{code}");
    assert!(
        code.contains("0 => LoginError::Provider(ProviderError::Bad),"),
        "{code}"
    );
    assert!(code.contains("1 => LoginError::Two,"), "{code}");
    // The method's row says what the method's spec says.
    assert!(code.contains("class: rt::ErrorClass::Server"), "{code}");
    assert!(
        code.contains("class: rt::ErrorClass::SessionExpired"),
        "{code}"
    );
}

#[test]
fn another_match_on_a_provider_code_is_another_error_with_its_own_name() {
    let login = method(
        "login",
        "  - code: 1\n    name: Gone\n    doc: Gone.\n    match:\n      message: {contains: gone}\n",
    );
    let code = generated(PROVIDER, &[("login.yaml", &login)]);
    assert!(
        code.contains("    Gone,") || code.contains("Gone,\n"),
        "{code}"
    );
}
