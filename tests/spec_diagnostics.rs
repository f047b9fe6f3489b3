//! Broken specs must fail with a precise, located, helpful diagnostic.
//!
//! Every case writes a tiny provider folder (`specs/acme/`) into a temporary
//! directory: a minimal valid `provider.yaml` and `login.yaml`, then one
//! deliberate defect. The texts are kept small so that the expected
//! `line:col` of each diagnostic can be read off the text itself.

use loginspec_codegen::{load_and_check, Diagnostic};
use loginspec_tests::diagnostics::*;
use loginspec_tests::specs::{real_specs, sorted_entries};
use std::path::Path;

// ---------------------------------------------------------------------------
// Baseline specs
// ---------------------------------------------------------------------------

/// A valid provider: JSON, method name in the path, integer error codes.
/// Lines: 1 provider, 2 title, 3 base_url, 4 protocol, 5 encodings,
/// 6 method_name, 7 path, 8 error, 9 code, 10 code_type.
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
";

/// A valid SOAP provider (string error codes).
const SOAP_PROVIDER: &str = "\
provider: acme
title: Acme
base_url: https://api.acme.test/
protocol:
  encodings: [soap11]
  method_name:
    soap_action: true
  soap_namespace: urn:acme
  error:
    code_type: string
";

/// A valid method. Lines: 1 method, 2 doc, 3 params, 4 `- name: user`,
/// 5 type, 6 doc, 7 response, 8 fields, 9 `- name: token`, 10 type, 11 doc.
const METHOD: &str = "\
method: login
doc: Logs in.
params:
  - name: user
    type: string
    doc: User name.
response:
  fields:
    - name: token
      type: string
      doc: Token.
";

/// The provider with an `errors:` block appended: `errors:` is line 11,
/// the block's first line is line 12.
fn provider_with_errors(block: &str) -> String {
    format!("{PROVIDER}errors:\n{block}")
}

/// A method whose single parameter `user` has the given body; the body's
/// first line is line 5.
fn method_with_param(body: &str) -> String {
    format!(
        "method: login\ndoc: Logs in.\nparams:\n  - name: user\n{body}response:\n  fields:\n    - name: token\n      type: string\n      doc: Token.\n"
    )
}

// ---------------------------------------------------------------------------
// Running the checker
// ---------------------------------------------------------------------------

/// Runs the checker on the provider with `block` as its `errors:` list (the
/// block's first line is line 12) and the baseline method.
fn run_with_errors(block: &str) -> Vec<Diagnostic> {
    run(&provider_with_errors(block), METHOD)
}

// ---------------------------------------------------------------------------
// Baselines are valid
// ---------------------------------------------------------------------------

#[test]
fn baselines_are_valid() {
    for (provider, method) in [
        (PROVIDER.to_string(), METHOD.to_string()),
        (PROVIDER.to_string(), method_with_param("    type: string\n    doc: A.\n")),
        (provider_with_errors("  - code: 1\n    name: Bad\n    doc: Bad.\n"), METHOD.to_string()),
        (
            SOAP_PROVIDER.to_string(),
            format!("{METHOD}soap:\n  action: \"#login\"\n  request_element: LoginRequest\n  response_element: LoginResponse\n"),
        ),
    ] {
        let (_tmp, specs) = write_specs("acme", &provider, &[("login.yaml", &method)]);
        if let Err(diags) = load_and_check(&specs) {
            panic!("baseline rejected:\n{diags}\n--- provider\n{provider}--- method\n{method}");
        }
    }
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

#[test]
fn unknown_type() {
    let diags = run(
        PROVIDER,
        &edit(
            METHOD,
            "    type: string\n    doc: User",
            "    type: strng\n    doc: User",
        ),
    );
    expect_only(
        &diags,
        Want {
            message: "unknown type `strng`",
            location: &at(LOGIN_FILE, 5, 11),
            path: "params[0].type",
            hint: Some("built-in types are string, bool"),
        },
    );
}

#[test]
fn unknown_type_inside_list() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: list<strng>\n    doc: A.\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "unknown type `strng`",
            location: &at(LOGIN_FILE, 5, 11),
            path: "params[0].type",
            hint: Some("list<T> and map<T>"),
        },
    );
}

#[test]
fn unknown_type_inside_map_in_response() {
    let method = edit(METHOD, "      type: string", "      type: map<Tokn>");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "unknown type `Tokn`",
            location: &at(LOGIN_FILE, 10, 13),
            path: "response.fields[0].type",
            hint: Some("built-in types"),
        },
    );
}

#[test]
fn generic_type_without_closing_bracket() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: list<string\n    doc: A.\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "type `list<string` is missing its closing `>`",
            location: &at(LOGIN_FILE, 5, 11),
            path: "params[0].type",
            hint: Some("list<string>"),
        },
    );
}

#[test]
fn unknown_type_hint_lists_provider_types() {
    let provider = format!("{PROVIDER}types:\n  Account:\n    fields: []\n");
    let diags = run(
        &provider,
        &method_with_param("    type: Acount\n    doc: A.\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "unknown type `Acount`",
            location: &at(LOGIN_FILE, 5, 11),
            path: "params[0].type",
            hint: Some("this provider defines Account"),
        },
    );
}

#[test]
fn duplicate_type_name_in_types_map() {
    // Lines 11 types, 12 Thing, 13 fields, 14 Thing (again), 15 fields.
    let provider =
        format!("{PROVIDER}types:\n  Thing:\n    fields: []\n  Thing:\n    fields: []\n");
    let diags = run(&provider, METHOD);
    // The diagnostic must point at the second definition, not the first.
    expect(
        &diags,
        Want {
            message: "type `Thing` is defined twice",
            location: &at(PROVIDER_FILE, 15, 5),
            path: "types.Thing",
            hint: Some("rename or remove"),
        },
    );
}

#[test]
fn type_name_not_upper_camel_case() {
    let provider = format!("{PROVIDER}types:\n  user_info:\n    fields: []\n");
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "type name `user_info` is not UpperCamelCase",
            location: &at(PROVIDER_FILE, 13, 5),
            path: "types.user_info",
            hint: Some("use `UserInfo`"),
        },
    );
}

#[test]
fn reserved_type_name() {
    let provider = format!("{PROVIDER}types:\n  Client:\n    fields: []\n");
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "type name `Client` is reserved for the generated code",
            location: &at(PROVIDER_FILE, 13, 5),
            path: "types.Client",
            hint: Some(""),
        },
    );
}

#[test]
fn extends_unknown_type() {
    let method = "method: login\ndoc: Logs in.\nresponse:\n  extends: Base\n";
    let diags = run(PROVIDER, method);
    expect_only(
        &diags,
        Want {
            message: "`extends` names unknown type `Base`",
            location: &at(LOGIN_FILE, 4, 12),
            path: "response.extends",
            hint: Some("built-in types"),
        },
    );
}

#[test]
fn extends_cycle() {
    // Lines 11 types, 12 A, 13 extends: B, 14 B, 15 extends: A.
    let provider = format!("{PROVIDER}types:\n  A:\n    extends: B\n  B:\n    extends: A\n");
    let diags = run(&provider, METHOD);
    assert_eq!(diags.len(), 2, "{}", dump(&diags));
    expect(
        &diags,
        Want {
            message: "~type `A` extends itself",
            location: &at(PROVIDER_FILE, 13, 14),
            path: "types.A.extends",
            hint: Some("break the cycle"),
        },
    );
    expect(
        &diags,
        Want {
            message: "~type `B` extends itself",
            location: &at(PROVIDER_FILE, 15, 14),
            path: "types.B.extends",
            hint: Some("break the cycle"),
        },
    );
    // The message should name the other member of the cycle, not repeat the type itself.
    let a = diags
        .iter()
        .find(|d| d.message.contains("type `A`"))
        .unwrap();
    assert!(
        a.message.contains("`B`"),
        "cycle message does not name the path: {:?}",
        a.message
    );
}

#[test]
fn extends_non_struct() {
    let provider = format!(
        "{PROVIDER}types:\n  Kind:\n    enum:\n      - name: One\n        value: 1\n        doc: One.\n"
    );
    let method = "method: login\ndoc: Logs in.\nresponse:\n  extends: Kind\n";
    let diags = run(&provider, method);
    expect_only(
        &diags,
        Want {
            message: "`Kind` is not a struct type",
            location: &at(LOGIN_FILE, 4, 12),
            path: "response.extends",
            hint: Some("only types with `fields`"),
        },
    );
}

#[test]
fn type_mixing_fields_and_enum() {
    let provider = format!(
        "{PROVIDER}types:\n  Kind:\n    fields: []\n    enum:\n      - name: One\n        value: 1\n        doc: One.\n"
    );
    let diags = run(&provider, METHOD);
    expect(
        &diags,
        Want {
            message: "type `Kind` mixes `fields`, `enum` and `flags`",
            location: &at(PROVIDER_FILE, 13, 5),
            path: "types.Kind",
            hint: Some("exactly one"),
        },
    );
}

#[test]
fn enum_mixing_int_and_string_values() {
    // 11 types, 12 Kind, 13 enum, 14 - name: One, 15 value: 1, 16 doc,
    // 17 - name: Two, 18 value: two, 19 doc.
    let provider = format!(
        "{PROVIDER}types:\n  Kind:\n    enum:\n      - name: One\n        value: 1\n        doc: One.\n      - name: Two\n        value: two\n        doc: Two.\n"
    );
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "enum mixes integer and string values",
            location: &at(PROVIDER_FILE, 18, 16),
            path: "types.Kind.enum[1].value",
            hint: Some("integers or all strings"),
        },
    );
}

#[test]
fn flag_with_value_zero() {
    let provider = format!(
        "{PROVIDER}types:\n  Perm:\n    flags:\n      - name: READ\n        value: 0\n        doc: Read.\n"
    );
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "a flag cannot be 0",
            location: &at(PROVIDER_FILE, 15, 16),
            path: "types.Perm.flags[0].value",
            hint: Some("0x4"),
        },
    );
}

#[test]
fn response_must_be_a_struct() {
    let method = "method: login\ndoc: Logs in.\nresponse:\n  enum:\n    - name: One\n      value: 1\n      doc: One.\n";
    let diags = run(PROVIDER, method);
    expect_only(
        &diags,
        Want {
            message: "a response must be a struct, a `type`, or a `kind`",
            location: &at(LOGIN_FILE, 4, 3),
            path: "response",
            hint: Some("`fields` or `extends`"),
        },
    );
}

#[test]
fn struct_type_containing_itself() {
    // 11 types, 12 Node, 13 fields, 14 - name: child, 15 type: Node,
    // 16 required, 17 doc.
    let provider = format!(
        "{PROVIDER}types:\n  Node:\n    fields:\n      - name: child\n        type: Node\n        required: false\n        doc: Child.\n"
    );
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "type `Node` contains itself, so it would have infinite size",
            // A map value is located at its first key.
            location: &at(PROVIDER_FILE, 13, 5),
            path: "types.Node",
            hint: Some("list<...>"),
        },
    );
}

#[test]
fn struct_type_holding_a_list_of_itself_is_accepted() {
    let provider = format!(
        "{PROVIDER}types:\n  Node:\n    fields:\n      - name: children\n        type: list<Node>\n        doc: Children.\n"
    );
    let (_tmp, specs) = write_specs("acme", &provider, &[("login.yaml", METHOD)]);
    if let Err(diags) = load_and_check(&specs) {
        panic!("a list of the type itself was rejected:\n{diags}");
    }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[test]
fn duplicate_error_code() {
    // 12 code: 1, 13 name, 14 doc, 15 code: 1, 16 name, 17 doc.
    let diags = run_with_errors(
        "  - code: 1\n    name: Bad\n    doc: Bad.\n  - code: 1\n    name: Worse\n    doc: Worse.\n",
    );
    expect_only(
        &diags,
        Want {
            message: "error code `1` is listed twice",
            location: &at(PROVIDER_FILE, 15, 11),
            path: "errors[1].code",
            hint: Some("merge"),
        },
    );
}

#[test]
fn duplicate_error_variant_name() {
    let diags = run_with_errors(
        "  - code: 1\n    name: Bad\n    doc: Bad.\n  - code: 2\n    name: Bad\n    doc: Worse.\n",
    );
    expect_only(
        &diags,
        Want {
            message: "error name `Bad` is used twice",
            location: &at(PROVIDER_FILE, 16, 11),
            path: "errors[1].name",
            hint: Some("own variant name"),
        },
    );
}

#[test]
fn method_error_reusing_provider_error_name() {
    let provider = provider_with_errors("  - code: 1\n    name: Bad\n    doc: Bad.\n");
    // Method lines 12 errors, 13 code: 2, 14 name: Bad, 15 doc.
    let method = format!("{METHOD}errors:\n  - code: 2\n    name: Bad\n    doc: Other.\n");
    let diags = run(&provider, &method);
    expect_only(
        &diags,
        Want {
            message: "error name `Bad` is also a provider-wide error with another code",
            location: &at(LOGIN_FILE, 14, 11),
            path: "errors[0].name",
            hint: Some("rename"),
        },
    );
}

#[test]
fn error_name_not_upper_camel_case() {
    let diags = run_with_errors("  - code: 1\n    name: bad_login\n    doc: Bad.\n");
    expect_only(
        &diags,
        Want {
            message: "error name `bad_login` is not UpperCamelCase",
            location: &at(PROVIDER_FILE, 13, 11),
            path: "errors[0].name",
            hint: Some("use `BadLogin`"),
        },
    );
}

#[test]
fn unknown_error_class() {
    // 12 code, 13 name, 14 doc, 15 class.
    let diags = run_with_errors("  - code: 1\n    name: Bad\n    doc: Bad.\n    class: fatal\n");
    expect_only(
        &diags,
        Want {
            message: "unknown error class `fatal`",
            location: &at(PROVIDER_FILE, 15, 12),
            path: "errors[0].class",
            hint: Some("use one of: bad_credentials, session_expired"),
        },
    );
}

#[test]
fn cooldown_on_a_class_that_does_not_wait() {
    // 12 code, 13 name, 14 doc, 15 class, 16 cooldown.
    let diags = run_with_errors(
        "  - code: 1\n    name: Bad\n    doc: Bad.\n    class: server\n    cooldown: 60\n",
    );
    expect_only(
        &diags,
        Want {
            message: "error `Bad` has a cooldown but is not locked or rate_limited",
            location: &at(PROVIDER_FILE, 16, 15),
            path: "errors[0].cooldown",
            hint: Some("`locked` or `rate_limited`"),
        },
    );
}

#[test]
fn cooldown_out_of_range() {
    let diags = run_with_errors(
        "  - code: 1\n    name: Bad\n    doc: Bad.\n    class: locked\n    cooldown: 0\n",
    );
    expect_only(
        &diags,
        Want {
            message: "cooldown 0 is outside 1..=86400 seconds",
            location: &at(PROVIDER_FILE, 16, 15),
            path: "errors[0].cooldown",
            hint: Some("leave `cooldown` out"),
        },
    );
}

#[test]
fn locked_and_rate_limited_with_cooldowns_are_valid() {
    let provider = provider_with_errors(
        "  - code: 1\n    name: Blocked\n    doc: Blocked.\n    class: locked\n    cooldown: 600\n  - code: 2\n    name: Slow\n    doc: Slow.\n    class: rate_limited\n    cooldown: 86400\n",
    );
    let (_tmp, specs) = write_specs("acme", &provider, &[("login.yaml", METHOD)]);
    if let Err(diags) = load_and_check(&specs) {
        panic!("expected valid specs:\n{}", dump(&diags.0));
    }
}

#[test]
fn code_optional_without_a_code_path() {
    // Line 9 is `code: /code` in the baseline.
    let provider = edit(PROVIDER, "    code: /code\n", "    code_optional: true\n");
    expect_only(
        &run(&provider, METHOD),
        Want {
            message: "`code_optional` needs a `code` path",
            location: &at(PROVIDER_FILE, 9, 20),
            path: "protocol.error.code_optional",
            hint: Some("add `code`"),
        },
    );
    let soap = edit(
        SOAP_PROVIDER,
        "    code_type: string\n",
        "    code_type: string\n    code_optional: true\n",
    );
    let method = format!("{METHOD}soap:\n  action: \"#login\"\n  request_element: LoginRequest\n  response_element: LoginResponse\n");
    expect_only(
        &run(&soap, &method),
        Want {
            message: "`code_optional` needs a `code` path",
            location: &at(PROVIDER_FILE, 11, 20),
            path: "protocol.error.code_optional",
            hint: Some("soap11 reads the code from the Fault"),
        },
    );
}

#[test]
fn error_without_code_or_http_status() {
    let diags = run_with_errors("  - name: Bad\n    doc: Bad.\n");
    expect_only(
        &diags,
        Want {
            message: "error `Bad` has neither `code` nor `http_status`",
            location: &at(PROVIDER_FILE, 12, 5),
            path: "errors[0]",
            hint: Some("HTTP status"),
        },
    );
}

#[test]
fn http_status_out_of_range() {
    let diags = run_with_errors("  - name: Bad\n    doc: Bad.\n    http_status: 700\n");
    expect_only(
        &diags,
        Want {
            message: "700 is not an HTTP status",
            location: &at(PROVIDER_FILE, 14, 18),
            path: "errors[0].http_status",
            hint: Some("between 100 and 599"),
        },
    );
}

#[test]
fn string_error_code_in_int_coded_provider() {
    let diags = run_with_errors("  - code: abc\n    name: Bad\n    doc: Bad.\n");
    expect_only(
        &diags,
        Want {
            message: "error code `abc` should be an integer, as the error rules' `code_type` says",
            location: &at(PROVIDER_FILE, 12, 11),
            path: "errors[0].code",
            hint: Some("code_type"),
        },
    );
}

#[test]
fn string_for_integer_http_status() {
    let diags = run_with_errors("  - name: Bad\n    doc: Bad.\n    http_status: teapot\n");
    expect_only(
        &diags,
        Want {
            message: "invalid type: string \"teapot\", expected u16",
            location: &at(PROVIDER_FILE, 14, 18),
            path: "errors[0].http_status",
            hint: Some("wrong YAML type"),
        },
    );
}

#[test]
fn example_naming_unknown_error_variant() {
    let provider = provider_with_errors("  - code: 1\n    name: Bad\n    doc: Bad.\n");
    // 12 examples, 13 - name, 14 body, 15 error.
    let method =
        format!("{METHOD}examples:\n  - name: fail\n    body: \"{{}}\"\n    error: Nope\n");
    let diags = run(&provider, &method);
    expect_only(
        &diags,
        Want {
            message: "example expects unknown error `Nope`",
            location: &at(LOGIN_FILE, 15, 12),
            path: "examples[0].error",
            hint: Some("this method's errors are: Bad"),
        },
    );
}

#[test]
fn example_naming_an_error_of_a_method_without_errors() {
    let method =
        format!("{METHOD}examples:\n  - name: fail\n    body: \"{{}}\"\n    error: Nope\n");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "example expects unknown error `Nope`",
            location: &at(LOGIN_FILE, 15, 12),
            path: "examples[0].error",
            hint: Some("this method declares no errors; remove `error` for a success sample"),
        },
    );
}

#[test]
fn example_listed_twice() {
    // 12 examples, 13 - name: ok, 14 body, 15 - name: ok, 16 body.
    let method = format!(
        "{METHOD}examples:\n  - name: ok\n    body: \"{{}}\"\n  - name: ok\n    body: \"{{}}\"\n"
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "example `ok` is listed twice",
            location: &at(LOGIN_FILE, 15, 11),
            path: "examples[1].name",
            hint: Some(""),
        },
    );
}

#[test]
fn example_test_names_colliding_across_methods() {
    // Method `a` with example "b c" and method `a_b` with example "c" both
    // make the test `example_a_b_c`. In a_b.yaml: 12 examples, 13 - name: c.
    let first = format!(
        "{}examples:\n  - name: b c\n    body: \"{{}}\"\n",
        edit(METHOD, "method: login\n", "method: a\n")
    );
    let second = format!(
        "{}examples:\n  - name: c\n    body: \"{{}}\"\n",
        edit(METHOD, "method: login\n", "method: a_b\n")
    );
    let diags = run_files(
        "acme",
        PROVIDER,
        &[("a.yaml", &first), ("a_b.yaml", &second)],
    );
    expect_only(
        &diags,
        Want {
            message: "example test `example_a_b_c` is also made from specs/acme/a.yaml",
            location: "specs/acme/a_b.yaml:13:11",
            path: "examples[0].name",
            hint: Some("rename one of the examples"),
        },
    );
}

// ---------------------------------------------------------------------------
// Fields and names
// ---------------------------------------------------------------------------

#[test]
fn duplicate_field_wire_name() {
    let method = edit(
        METHOD,
        "    doc: User name.\n",
        "    doc: User name.\n  - name: user\n    type: string\n    doc: Again.\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "field `user` is defined twice",
            location: &at(LOGIN_FILE, 7, 11),
            path: "params[1].name",
            hint: Some("remove one"),
        },
    );
}

#[test]
fn duplicate_response_field_wire_name() {
    let method = format!("{METHOD}    - name: token\n      type: i32\n      doc: Again.\n");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "field `token` is defined twice",
            location: &at(LOGIN_FILE, 12, 13),
            path: "response.fields[1].name",
            hint: Some(""),
        },
    );
}

#[test]
fn names_equal_after_snake_case() {
    let method = edit(
        METHOD,
        "  - name: user\n    type: string\n    doc: User name.\n",
        "  - name: userId\n    type: string\n    doc: A.\n  - name: user_id\n    type: string\n    doc: B.\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "fields `userId` and `user_id` both become `user_id` in Rust",
            location: &at(LOGIN_FILE, 7, 11),
            path: "params[1].name",
            hint: Some("set `rust_name` on one of them"),
        },
    );
}

#[test]
fn rust_keywords_as_field_names() {
    for keyword in ["type", "fn", "self", "match", "Self"] {
        let snake = if keyword == "Self" { "self" } else { keyword };
        let method = edit(
            METHOD,
            "  - name: user\n",
            &format!("  - name: {keyword}\n"),
        );
        let diags = run(PROVIDER, &method);
        expect_only(
            &diags,
            Want {
                message: &format!("`{snake}` is a Rust keyword"),
                location: &at(LOGIN_FILE, 4, 11),
                path: "params[0].name",
                hint: Some(&format!(
                    "set `rust_name` for `{keyword}`, e.g. `{snake}_value`"
                )),
            },
        );
    }
}

#[test]
fn rust_keyword_as_response_field_name() {
    let method = edit(METHOD, "    - name: token\n", "    - name: fn\n");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "`fn` is a Rust keyword",
            location: &at(LOGIN_FILE, 9, 13),
            path: "response.fields[0].name",
            hint: Some("rust_name"),
        },
    );
}

#[test]
fn rust_keyword_as_explicit_rust_name() {
    let diags = run(
        PROVIDER,
        &method_with_param("    rust_name: type\n    type: string\n    doc: A.\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "`type` is a Rust keyword",
            location: &at(LOGIN_FILE, 5, 16),
            path: "params[0].rust_name",
            hint: Some("rust_name"),
        },
    );
}

#[test]
fn invalid_rust_name() {
    let diags = run(
        PROVIDER,
        &method_with_param("    rust_name: User-Name\n    type: string\n    doc: A.\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "`User-Name` is not a snake_case Rust identifier",
            location: &at(LOGIN_FILE, 5, 16),
            path: "params[0].rust_name",
            hint: Some("set `rust_name` for `user`"),
        },
    );
}

#[test]
fn invalid_method_rust_name() {
    let method = edit(
        METHOD,
        "doc: Logs in.\n",
        "rust_name: LogIn\ndoc: Logs in.\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "method name `LogIn` is not a usable snake_case Rust name",
            location: &at(LOGIN_FILE, 2, 12),
            path: "rust_name",
            hint: Some("snake_case"),
        },
    );
}

#[test]
fn two_methods_with_same_rust_name() {
    let other = edit(METHOD, "method: login\n", "method: Login\n");
    let diags = run_files("acme", PROVIDER, &[("a.yaml", METHOD), ("b.yaml", &other)]);
    expect_only(
        &diags,
        Want {
            message: "method name `login` is also used by specs/acme/a.yaml",
            // `rust_name` is absent, so the position falls back to the file's root.
            location: "specs/acme/b.yaml:1:1",
            path: "rust_name",
            hint: Some("different `rust_name`"),
        },
    );
}

#[test]
fn duplicate_constant() {
    // 1 method, 2 doc, 3 constants, 4 user: 1, 5 params, 6 - name: user.
    // Constants come before parameters on the wire, so the parameter is the second.
    let method = edit(METHOD, "params:\n", "constants:\n  user: 1\nparams:\n");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "parameter `user` goes to body `/user`, where a constant already goes (body `/user`)",
            location: &at(LOGIN_FILE, 6, 5),
            path: "params[0]",
            hint: Some("its own place"),
        },
    );
}

// ---------------------------------------------------------------------------
// Field attributes
// ---------------------------------------------------------------------------

#[test]
fn timestamp_without_format() {
    let method = edit(METHOD, "      type: string", "      type: timestamp");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "a timestamp needs a `format`",
            location: &at(LOGIN_FILE, 10, 13),
            path: "response.fields[0].type",
            hint: Some("unix_seconds, unix_millis, dotnet_date"),
        },
    );
}

#[test]
fn unknown_timestamp_format() {
    let method = edit(
        METHOD,
        "      type: string\n",
        "      type: timestamp\n      format: rfc2822\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "unknown timestamp format `rfc2822`",
            // Reported on `type`, the value that cannot be built.
            location: &at(LOGIN_FILE, 10, 13),
            path: "response.fields[0].type",
            hint: Some("unix_seconds"),
        },
    );
}

#[test]
fn format_on_non_timestamp() {
    let method = edit(
        METHOD,
        "      type: string\n",
        "      type: string\n      format: unix_seconds\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "`format` applies only to `timestamp` fields",
            location: &at(LOGIN_FILE, 11, 15),
            path: "response.fields[0].format",
            hint: Some(""),
        },
    );
}

#[test]
fn unknown_transform() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: string\n    doc: A.\n    transform: md5\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "unknown transform `md5`",
            location: &at(LOGIN_FILE, 7, 16),
            path: "params[0].transform",
            hint: Some("use one of: sha256_base64"),
        },
    );
}

#[test]
fn secret_on_non_string() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: i32\n    doc: A.\n    secret: true\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "only `string` fields can be secret",
            location: &at(LOGIN_FILE, 7, 13),
            path: "params[0].secret",
            hint: Some("string"),
        },
    );
}

#[test]
fn default_that_does_not_fit_the_type() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: u8\n    doc: A.\n    default: 300\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "default does not fit type `u8`",
            location: &at(LOGIN_FILE, 7, 14),
            path: "params[0].default",
            hint: Some(""),
        },
    );
}

#[test]
fn default_too_large_for_f32() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: f32\n    doc: A.\n    default: 1.0e39\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "default does not fit type `f32`",
            location: &at(LOGIN_FILE, 7, 14),
            path: "params[0].default",
            hint: Some("plain value"),
        },
    );
}

#[test]
fn timestamp_parameter() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: timestamp\n    format: unix_seconds\n    doc: A.\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "timestamp parameters are not supported",
            location: &at(LOGIN_FILE, 5, 11),
            path: "params[0].type",
            hint: Some(""),
        },
    );
}

#[test]
fn lenient_on_parameter() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: i32\n    doc: A.\n    lenient: true\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "`lenient` applies only to number, bool and timestamp response fields",
            location: &at(LOGIN_FILE, 7, 14),
            path: "params[0].lenient",
            hint: Some("remove it"),
        },
    );
}

// ---------------------------------------------------------------------------
// Constraints
// ---------------------------------------------------------------------------

#[test]
fn impossible_length_bounds() {
    // 5 type, 6 doc, 7 constraints, 8 length, 9 min, 10 max.
    let diags = run(
        PROVIDER,
        &method_with_param("    type: string\n    doc: A.\n    constraints:\n      length:\n        min: 10\n        max: 5\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "impossible bounds: min 10 is greater than max 5",
            location: &at(LOGIN_FILE, 9, 14),
            path: "params[0].constraints.length.min",
            hint: Some("swap them"),
        },
    );
}

#[test]
fn impossible_range_bounds() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: i32\n    doc: A.\n    constraints:\n      range:\n        min: 7\n        max: -7\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "impossible bounds: min 7 is greater than max -7",
            location: &at(LOGIN_FILE, 9, 14),
            path: "params[0].constraints.range.min",
            hint: Some("swap them"),
        },
    );
}

#[test]
fn range_bound_outside_the_type() {
    let diags = run(
        PROVIDER,
        &method_with_param(
            "    type: u8\n    doc: A.\n    constraints:\n      range:\n        max: 300\n",
        ),
    );
    expect_only(
        &diags,
        Want {
            message: "max 300 is outside what the type can hold (0..=255)",
            location: &at(LOGIN_FILE, 9, 14),
            path: "params[0].constraints.range.max",
            hint: Some("wider type"),
        },
    );
}

#[test]
fn negative_length() {
    let diags = run(
        PROVIDER,
        &method_with_param(
            "    type: string\n    doc: A.\n    constraints:\n      length:\n        min: -1\n",
        ),
    );
    expect_only(
        &diags,
        Want {
            message: "~min -1 is outside what the type can hold (0..=",
            location: &at(LOGIN_FILE, 9, 14),
            path: "params[0].constraints.length.min",
            hint: Some(""),
        },
    );
}

#[test]
fn bounds_without_min_or_max() {
    // `range: {clamp: true}`: the value of `range` is a flow mapping at 8:14.
    let diags = run(
        PROVIDER,
        &method_with_param(
            "    type: i32\n    doc: A.\n    constraints:\n      range: {clamp: true}\n",
        ),
    );
    expect_only(
        &diags,
        Want {
            message: "bounds need `min`, `max` or both",
            location: &at(LOGIN_FILE, 8, 14),
            path: "params[0].constraints.range",
            hint: Some(""),
        },
    );
}

#[test]
fn length_on_non_string() {
    // The value of `length` is the block mapping starting at `min` (9:9).
    let diags = run(
        PROVIDER,
        &method_with_param(
            "    type: i32\n    doc: A.\n    constraints:\n      length:\n        min: 1\n",
        ),
    );
    expect_only(
        &diags,
        Want {
            message: "`length` applies only to strings",
            location: &at(LOGIN_FILE, 9, 9),
            path: "params[0].constraints.length",
            hint: Some("use `range` for numbers"),
        },
    );
}

#[test]
fn range_on_string() {
    let diags = run(
        PROVIDER,
        &method_with_param(
            "    type: string\n    doc: A.\n    constraints:\n      range: {max: 3}\n",
        ),
    );
    expect_only(
        &diags,
        Want {
            message: "`range` applies only to integers",
            location: &at(LOGIN_FILE, 8, 14),
            path: "params[0].constraints.range",
            hint: Some("use `length` for strings"),
        },
    );
}

#[test]
fn bad_regex_pattern() {
    let diags = run(
        PROVIDER,
        &method_with_param(
            "    type: string\n    doc: A.\n    constraints:\n      pattern: \"[a-\"\n",
        ),
    );
    expect_only(
        &diags,
        Want {
            message: "~pattern does not compile: ",
            location: &at(LOGIN_FILE, 8, 16),
            path: "params[0].constraints.pattern",
            hint: Some("regex-lite"),
        },
    );
}

#[test]
fn hex_bytes_zero() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: string\n    doc: A.\n    constraints:\n      hex_bytes: 0\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "`hex_bytes` must be at least 1",
            location: &at(LOGIN_FILE, 8, 18),
            path: "params[0].constraints.hex_bytes",
            hint: Some("number of bytes"),
        },
    );
}

#[test]
fn constraints_on_response_field() {
    let method = edit(
        METHOD,
        "      doc: Token.\n",
        "      doc: Token.\n      constraints:\n        hex_bytes: 4\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "constraints apply only to parameters",
            location: &at(LOGIN_FILE, 13, 9),
            path: "response.fields[0].constraints",
            hint: Some(""),
        },
    );
}

// ---------------------------------------------------------------------------
// Protocol
// ---------------------------------------------------------------------------

#[test]
fn unknown_protocol_encoding() {
    let diags = run(&edit(PROVIDER, "[json]", "[jsn]"), METHOD);
    expect_only(
        &diags,
        Want {
            message: "unknown encoding `jsn`",
            location: &at(PROVIDER_FILE, 5, 15),
            path: "protocol.encodings[0]",
            hint: Some("use one of: form, query, json, xml, soap11"),
        },
    );
}

#[test]
fn duplicate_encoding() {
    let diags = run(&edit(PROVIDER, "[json]", "[json, json]"), METHOD);
    expect_only(
        &diags,
        Want {
            message: "encoding `json` is listed twice",
            location: &at(PROVIDER_FILE, 5, 21),
            path: "protocol.encodings[1]",
            hint: Some("remove one"),
        },
    );
}

#[test]
fn no_encodings() {
    let diags = run(&edit(PROVIDER, "[json]", "[]"), METHOD);
    expect_only(
        &diags,
        Want {
            message: "no encodings listed",
            location: &at(PROVIDER_FILE, 5, 14),
            path: "protocol.encodings",
            hint: Some("at least one"),
        },
    );
}

#[test]
fn method_name_with_two_keys() {
    let provider = edit(
        PROVIDER,
        "    path: true\n",
        "    path: true\n    field: request\n",
    );
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "method_name must have exactly one of `path`, `field`, `soap_action`",
            location: &at(PROVIDER_FILE, 7, 5),
            path: "protocol.method_name",
            hint: Some("method_name: {path: true}"),
        },
    );
}

#[test]
fn method_name_switched_off() {
    let diags = run(
        &edit(PROVIDER, "    path: true\n", "    path: false\n"),
        METHOD,
    );
    expect_only(
        &diags,
        Want {
            message: "method_name is switched off or empty",
            location: &at(PROVIDER_FILE, 7, 5),
            path: "protocol.method_name",
            hint: Some(""),
        },
    );
}

#[test]
fn soap_action_without_soap11() {
    let provider = edit(PROVIDER, "    path: true\n", "    soap_action: true\n");
    let diags = run(&provider, METHOD);
    expect(
        &diags,
        Want {
            message: "`soap_action` goes together with the `soap11` encoding, and only with it",
            location: &at(PROVIDER_FILE, 7, 5),
            path: "protocol.method_name",
            hint: Some("encodings: [soap11]"),
        },
    );
}

#[test]
fn soap11_without_namespace() {
    let provider = edit(SOAP_PROVIDER, "  soap_namespace: urn:acme\n", "");
    let method = format!("{METHOD}soap:\n  action: \"#login\"\n  request_element: LoginRequest\n  response_element: LoginResponse\n");
    let diags = run(&provider, &method);
    expect_only(
        &diags,
        Want {
            message: "a SOAP protocol needs `soap_namespace`",
            // Missing key: falls back to the `protocol` mapping (5:3).
            location: &at(PROVIDER_FILE, 5, 3),
            path: "protocol.soap_namespace",
            hint: Some("WSDL"),
        },
    );
}

#[test]
fn xml_encoding_without_xml_root() {
    let diags = run(&edit(PROVIDER, "[json]", "[xml]"), METHOD);
    expect_only(
        &diags,
        Want {
            message: "the `xml` encoding needs `xml_root`",
            location: &at(PROVIDER_FILE, 5, 3),
            path: "protocol.xml_root",
            hint: Some("root element"),
        },
    );
}

#[test]
fn pack_params_with_json() {
    let provider = edit(
        PROVIDER,
        "  encodings: [json]\n",
        "  encodings: [json]\n  pack_params: params\n",
    );
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "`pack_params` only works with the `form` and `query` encodings",
            location: &at(PROVIDER_FILE, 6, 16),
            path: "protocol.pack_params",
            hint: Some("encodings: [form]"),
        },
    );
}

#[test]
fn payload_path_without_slash() {
    let provider = edit(
        PROVIDER,
        "  encodings: [json]\n",
        "  encodings: [json]\n  payload: records/0\n",
    );
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "payload path `records/0` does not start with `/`",
            location: &at(PROVIDER_FILE, 6, 12),
            path: "protocol.payload",
            hint: Some("/records/0"),
        },
    );
}

#[test]
fn unknown_code_type() {
    let diags = run(
        &edit(PROVIDER, "code_type: int", "code_type: number"),
        METHOD,
    );
    expect_only(
        &diags,
        Want {
            message: "unknown code_type `number`",
            location: &at(PROVIDER_FILE, 10, 16),
            path: "protocol.error.code_type",
            hint: Some("`int` or `string`"),
        },
    );
}

#[test]
fn path_on_method_of_field_named_protocol() {
    let provider = edit(PROVIDER, "    path: true\n", "    field: request\n");
    let method = edit(METHOD, "doc: Logs in.\n", "doc: Logs in.\npath: login\n");
    let diags = run(&provider, &method);
    expect_only(
        &diags,
        Want {
            message: "`path` has no effect: the protocol does not put the method name in the URL",
            location: &at(LOGIN_FILE, 3, 7),
            path: "path",
            hint: Some("remove `path`"),
        },
    );
}

#[test]
fn method_path_with_leading_slash() {
    let method = edit(METHOD, "doc: Logs in.\n", "doc: Logs in.\npath: /login\n");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "path `/login` starts with `/`",
            location: &at(LOGIN_FILE, 3, 7),
            path: "path",
            hint: Some("leading `/`"),
        },
    );
}

#[test]
fn method_missing_soap_section_in_soap_provider() {
    let diags = run(SOAP_PROVIDER, METHOD);
    expect_only(
        &diags,
        Want {
            message: "a SOAP method needs a `soap` section",
            location: &at(LOGIN_FILE, 1, 1),
            path: "",
            hint: Some("soap: {action, request_element, response_element}"),
        },
    );
}

#[test]
fn soap_section_in_non_soap_provider() {
    let method = format!(
        "{METHOD}soap:\n  action: \"#login\"\n  request_element: A\n  response_element: B\n"
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "`soap` has no effect: the provider does not use soap11",
            location: &at(LOGIN_FILE, 13, 3),
            path: "soap",
            hint: Some("remove `soap`"),
        },
    );
}

/// The provider sending the method name as the form field `request`.
fn form_provider() -> String {
    edit(
        &edit(PROVIDER, "[json]", "[form]"),
        "    path: true\n",
        "    field: request\n",
    )
}

#[test]
fn constant_named_like_the_method_name_field() {
    // 3 constants, 4 request: x.
    let method = edit(METHOD, "params:\n", "constants:\n  request: x\nparams:\n");
    let diags = run(&form_provider(), &method);
    expect_only(
        &diags,
        Want {
            message:
                "a constant goes to body `/request`, where the method name already goes (body `/request`)",
            location: &at(LOGIN_FILE, 4, 12),
            path: "constants.request",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn parameter_named_like_a_variable_sent_as_field() {
    // 11 variables, 12 - name: clientCode, 13 doc, 14 send_as_field.
    let provider = format!(
        "{}variables:\n  - name: clientCode\n    doc: Account.\n    send_as_field: true\n",
        form_provider()
    );
    let method = edit(METHOD, "  - name: user\n", "  - name: clientCode\n");
    let diags = run(&provider, &method);
    expect_only(
        &diags,
        Want {
            message: "parameter `clientCode` goes to body `/clientCode`, where variable `clientCode` already goes (body `/clientCode`)",
            location: &at(LOGIN_FILE, 4, 5),
            path: "params[0]",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn packed_parameter_named_like_the_method_name_field_is_accepted() {
    let provider = edit(
        &form_provider(),
        "  encodings: [form]\n",
        "  encodings: [form]\n  pack_params: params\n",
    );
    let method = edit(METHOD, "  - name: user\n", "  - name: request\n");
    let (_tmp, specs) = write_specs("acme", &provider, &[("login.yaml", &method)]);
    if let Err(diags) = load_and_check(&specs) {
        panic!("a packed parameter cannot overwrite a form field, yet:\n{diags}");
    }
}

// ---------------------------------------------------------------------------
// Provider and base URL
// ---------------------------------------------------------------------------

#[test]
fn provider_name_not_matching_folder() {
    let diags = run(&edit(PROVIDER, "provider: acme", "provider: other"), METHOD);
    expect_only(
        &diags,
        Want {
            message: "provider `other` lives in folder `acme`",
            location: &at(PROVIDER_FILE, 1, 11),
            path: "provider",
            hint: Some("rename the folder to `other` or set `provider: acme`"),
        },
    );
}

#[test]
fn provider_name_not_snake_case() {
    let diags = run_files(
        "Acme",
        &edit(PROVIDER, "provider: acme", "provider: Acme"),
        &[("login.yaml", METHOD)],
    );
    expect_only(
        &diags,
        Want {
            message: "provider name `Acme` is not a snake_case Rust identifier",
            location: "specs/Acme/provider.yaml:1:11",
            path: "provider",
            hint: Some("lowercase"),
        },
    );
}

#[test]
fn base_url_placeholder_naming_no_variable() {
    let diags = run(
        &edit(
            PROVIDER,
            "https://api.acme.test/",
            "https://{host}.acme.test/",
        ),
        METHOD,
    );
    expect_only(
        &diags,
        Want {
            message: "base URL placeholder `{host}` names no variable",
            location: &at(PROVIDER_FILE, 3, 11),
            path: "base_url",
            hint: Some("declare it under `variables:` (name: host)"),
        },
    );
}

#[test]
fn base_url_unbalanced_open_brace() {
    let diags = run(
        &edit(
            PROVIDER,
            "https://api.acme.test/",
            "https://{host.acme.test/",
        ),
        METHOD,
    );
    expect_only(
        &diags,
        Want {
            message: "base URL has a `{` without a matching `}`",
            location: &at(PROVIDER_FILE, 3, 11),
            path: "base_url",
            hint: Some("{clientCode}"),
        },
    );
}

#[test]
fn base_url_unbalanced_close_brace() {
    let diags = run(
        &edit(
            PROVIDER,
            "https://api.acme.test/",
            "https://host}.acme.test/",
        ),
        METHOD,
    );
    expect_only(
        &diags,
        Want {
            message: "base URL has a `}` without a matching `{`",
            location: &at(PROVIDER_FILE, 3, 11),
            path: "base_url",
            hint: Some("{clientCode}"),
        },
    );
}

#[test]
fn base_url_not_http() {
    let diags = run(
        &edit(PROVIDER, "https://api.acme.test/", "ftp://api.acme.test/"),
        METHOD,
    );
    expect_only(
        &diags,
        Want {
            message: "base URL `ftp://api.acme.test/` does not start with http:// or https://",
            location: &at(PROVIDER_FILE, 3, 11),
            path: "base_url",
            hint: Some("full URL"),
        },
    );
}

#[test]
fn unused_variable() {
    // 11 variables, 12 - name: account, 13 doc.
    let provider = format!("{PROVIDER}variables:\n  - name: account\n    doc: Account.\n");
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "variable `account` is neither used in the base URL nor sent with calls",
            location: &at(PROVIDER_FILE, 3, 11),
            path: "base_url",
            hint: Some("`in: body`"),
        },
    );
}

#[test]
fn variable_declared_twice() {
    let provider = format!(
        "{}variables:\n  - name: host\n    doc: Host.\n  - name: host\n    doc: Again.\n",
        edit(
            PROVIDER,
            "https://api.acme.test/",
            "https://{host}.acme.test/"
        )
    );
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "variable `host` is declared twice",
            location: &at(PROVIDER_FILE, 14, 11),
            path: "variables[1].name",
            hint: Some("remove one"),
        },
    );
}

/// The provider with `{host}` in its base URL and `block` as its
/// `variables:` list (`variables:` is line 11, the block starts on line 12).
fn provider_with_variables(base_url: &str, block: &str) -> String {
    format!(
        "{}variables:\n{block}",
        edit(PROVIDER, "https://api.acme.test/", base_url)
    )
}

#[test]
fn variable_named_options() {
    // 12 - name: options, 13 doc.
    let provider = provider_with_variables(
        "https://{options}.acme.test/",
        "  - name: options\n    doc: Host.\n",
    );
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "variable `options` becomes the argument `options`, which is already taken",
            location: &at(PROVIDER_FILE, 12, 11),
            path: "variables[0].name",
            hint: Some("different `rust_name`"),
        },
    );
}

#[test]
fn variable_with_rust_name_options() {
    // 12 - name: host, 13 rust_name: options, 14 doc.
    let provider = provider_with_variables(
        "https://{host}.acme.test/",
        "  - name: host\n    rust_name: options\n    doc: Host.\n",
    );
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "variable `host` becomes the argument `options`, which is already taken",
            // The clash comes from `rust_name: options`, so that is where it points.
            location: &at(PROVIDER_FILE, 13, 16),
            path: "variables[0].rust_name",
            hint: Some("different `rust_name`"),
        },
    );
}

#[test]
fn two_variables_with_the_same_rust_name() {
    // 12 - name: clientCode, 13 doc, 14 - name: client_code, 15 doc.
    let provider = provider_with_variables(
        "https://{clientCode}.acme.test/{client_code}/",
        "  - name: clientCode\n    doc: Account.\n  - name: client_code\n    doc: Again.\n",
    );
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message:
                "variable `client_code` becomes the argument `client_code`, which is already taken",
            location: &at(PROVIDER_FILE, 14, 11),
            path: "variables[1].name",
            hint: Some("different `rust_name`"),
        },
    );
}

#[test]
fn provider_without_method_files() {
    let diags = run_files("acme", PROVIDER, &[]);
    expect_only(
        &diags,
        Want {
            message: "the provider has no method files",
            location: &at(PROVIDER_FILE, 1, 1),
            path: "",
            hint: Some("one YAML file per method"),
        },
    );
}

// ---------------------------------------------------------------------------
// YAML-level problems (reported by the parser)
// ---------------------------------------------------------------------------

#[test]
fn missing_required_key_doc() {
    let method = edit(METHOD, "    doc: User name.\n", "");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "missing field `doc`",
            // The key is missing, so the position is its parent mapping (4:5).
            location: &at(LOGIN_FILE, 4, 5),
            path: "params[0]",
            hint: Some("add the key"),
        },
    );
}

#[test]
fn missing_required_top_level_key() {
    let provider = edit(PROVIDER, "title: Acme\n", "");
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "missing field `title`",
            location: &at(PROVIDER_FILE, 1, 1),
            path: "",
            hint: Some("add the key"),
        },
    );
}

#[test]
fn unknown_key_typo() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: string\n    requird: false\n    doc: A.\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "~unknown field `requird`, expected one of `name`",
            location: &at(LOGIN_FILE, 6, 5),
            path: "params[0]",
            hint: Some("check the spelling"),
        },
    );
}

#[test]
fn unknown_top_level_key_in_provider() {
    let provider = edit(PROVIDER, "title: Acme\n", "title: Acme\nbase_ulr: x\n");
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "~unknown field `base_ulr`, expected one of",
            location: &at(PROVIDER_FILE, 3, 1),
            path: "",
            hint: Some("check the spelling"),
        },
    );
}

#[test]
fn string_where_bool_expected() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: string\n    required: \"yes\"\n    doc: A.\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "invalid type: string \"yes\", expected a boolean",
            location: &at(LOGIN_FILE, 6, 15),
            path: "params[0].required",
            hint: Some("wrong YAML type"),
        },
    );
}

#[test]
fn string_where_int_expected() {
    let diags = run(
        PROVIDER,
        &method_with_param(
            "    type: string\n    doc: A.\n    constraints:\n      hex_bytes: many\n",
        ),
    );
    expect_only(
        &diags,
        Want {
            message: "invalid type: string \"many\", expected u32",
            location: &at(LOGIN_FILE, 8, 18),
            path: "params[0].constraints.hex_bytes",
            hint: Some("wrong YAML type"),
        },
    );
}

#[test]
fn list_where_string_expected() {
    let diags = run(PROVIDER, &edit(METHOD, "doc: Logs in.", "doc: [Logs, in]"));
    expect_only(
        &diags,
        Want {
            message: "~invalid type: sequence, expected a string",
            location: &at(LOGIN_FILE, 2, 6),
            path: "doc",
            hint: Some("wrong YAML type"),
        },
    );
}

#[test]
fn yaml_syntax_error_unclosed_quote() {
    let diags = run(PROVIDER, &edit(METHOD, "doc: Logs in.", "doc: \"Logs in."));
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    let d = &diags[0];
    assert_eq!(d.file, LOGIN_FILE);
    assert_eq!(d.message, "unclosed quote", "{}", dump(&diags));
    // The quote that is never closed opens at 2:6.
    assert_eq!(d.location(), at(LOGIN_FILE, 2, 6), "{}", dump(&diags));
}

#[test]
fn yaml_syntax_error_bad_indentation() {
    // Line 6 is indented by 6 instead of 4, so it continues the scalar of line 5.
    let method = edit(METHOD, "    doc: User name.", "      doc: User name.");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "mapping values are not allowed in this context",
            location: &at(LOGIN_FILE, 6, 10),
            path: "params[0]",
            hint: None,
        },
    );
}

#[test]
fn yaml_syntax_error_mapping_in_scalar_context() {
    let method = edit(METHOD, "doc: Logs in.\n", "doc: Logs in.\n  extra: oops\n");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "mapping values are not allowed in this context",
            location: &at(LOGIN_FILE, 3, 8),
            path: "",
            hint: None,
        },
    );
}

#[test]
fn duplicate_yaml_key_in_struct() {
    let method = edit(METHOD, "doc: Logs in.\n", "doc: Logs in.\ndoc: Again.\n");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "duplicate field `doc`",
            // serde_yaml's own position: the mapping holding the duplicate.
            location: &at(LOGIN_FILE, 1, 1),
            path: "",
            hint: Some("only once"),
        },
    );
}

#[test]
fn duplicate_yaml_key_in_nested_struct() {
    let method = edit(
        METHOD,
        "    doc: User name.\n",
        "    doc: User name.\n    type: i32\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "duplicate field `type`",
            location: &at(LOGIN_FILE, 4, 5),
            path: "params[0]",
            hint: Some("only once"),
        },
    );
}

#[test]
fn duplicate_constant_key() {
    // 3 constants, 4 X: 1, 5 X: 2 -- the second `X` is the duplicate.
    let method = edit(METHOD, "params:\n", "constants:\n  X: 1\n  X: 2\nparams:\n");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "a constant goes to body `/X`, where a constant already goes (body `/X`)",
            location: &at(LOGIN_FILE, 5, 6),
            path: "constants.X",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn constant_that_is_not_a_finite_number() {
    // JSON cannot carry infinity, so the constant could never be sent.
    let method = edit(METHOD, "params:\n", "constants:\n  X: .inf\nparams:\n");
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "constant `X` is not a finite number",
            location: &at(LOGIN_FILE, 4, 6),
            path: "constants.X",
            hint: Some("plain number"),
        },
    );
}

#[test]
fn method_named_like_a_client_method() {
    let method = edit(
        METHOD,
        "method: login\n",
        "method: login\nrust_name: base_url\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "method name `base_url` is taken by the generated `Client` or `Session`",
            location: &at(LOGIN_FILE, 2, 12),
            path: "rust_name",
            hint: Some("base_url_call"),
        },
    );
}

#[test]
fn method_named_protocol() {
    let method = edit(
        METHOD,
        "method: login\n",
        "method: login\nrust_name: protocol\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "method name `protocol` is taken by the generated `Client` or `Session`",
            location: &at(LOGIN_FILE, 2, 12),
            path: "rust_name",
            hint: Some("protocol_call"),
        },
    );
}

#[test]
fn optional_parameter_named_new() {
    let method = edit(
        METHOD,
        "  - name: user\n",
        "  - name: new\n    required: false\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "~cannot be called `new` in Rust",
            location: &at(LOGIN_FILE, 4, 11),
            path: "params[0].name",
            hint: Some("new_value"),
        },
    );
}

#[test]
fn type_named_like_a_prelude_type() {
    // Generated code writes `String` and `Option`; a shared type must not shadow them.
    let provider = format!("{PROVIDER}types:\n  String:\n    fields: []\n");
    let diags = run(&provider, METHOD);
    expect(
        &diags,
        Want {
            message: "type name `String` is reserved for the generated code",
            // A map value is located at its first key.
            location: &at(PROVIDER_FILE, 13, 5),
            path: "types.String",
            hint: Some("pick another name"),
        },
    );
}

#[test]
fn tab_indentation() {
    let method = edit(
        METHOD,
        "    type: string\n    doc: User",
        "\ttype: string\n    doc: User",
    );
    let diags = run(PROVIDER, &method);
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    assert_eq!(
        diags[0].location(),
        at(LOGIN_FILE, 5, 1),
        "{}",
        dump(&diags)
    );
    assert!(
        diags[0].message.contains("tab character"),
        "{}",
        dump(&diags)
    );
    // The position is shown once, by the location line, not again inside the message.
    assert!(!diags[0].message.contains(" at line "), "{}", dump(&diags));
}

#[test]
fn empty_method_file() {
    let diags = run(PROVIDER, "");
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    assert_eq!(diags[0].file, LOGIN_FILE);
}

// ---------------------------------------------------------------------------
// Folders
// ---------------------------------------------------------------------------

#[test]
fn empty_provider_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let specs = tmp.path().join("specs");
    std::fs::create_dir_all(specs.join("acme")).unwrap();
    let diags = diagnostics_of(&specs);
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    let d = &diags[0];
    assert!(d.message.starts_with("cannot read "), "{}", dump(&diags));
    assert!(d.message.contains("provider.yaml"), "{}", dump(&diags));
    assert_eq!(d.location(), PROVIDER_FILE);
    assert_eq!(d.yaml_path(), "");
    assert_eq!(
        d.hint.as_deref(),
        Some("every provider folder needs a provider.yaml")
    );
    // Renders without a snippet.
    let rendered = d.to_string();
    assert!(
        rendered.contains(&format!("--> {PROVIDER_FILE}\n")),
        "{rendered}"
    );
}

#[test]
fn missing_specs_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let specs = tmp.path().join("specs");
    let diags = diagnostics_of(&specs);
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    let d = &diags[0];
    assert!(
        d.message.starts_with("cannot read the specs folder "),
        "{}",
        dump(&diags)
    );
    assert_eq!(d.location(), "specs");
    assert_eq!(d.yaml_path(), "");
}

#[test]
fn specs_path_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let specs = tmp.path().join("specs");
    std::fs::write(&specs, "not a folder").unwrap();
    let diags = diagnostics_of(&specs);
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    assert!(
        diags[0]
            .message
            .starts_with("cannot read the specs folder "),
        "{}",
        dump(&diags)
    );
}

#[test]
fn empty_specs_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let specs = tmp.path().join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    let diags = diagnostics_of(&specs);
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    let d = &diags[0];
    assert!(
        d.message.starts_with("no provider folders in "),
        "{}",
        dump(&diags)
    );
    assert_eq!(d.location(), "specs");
    assert!(d.hint.is_some());
}

#[test]
fn method_file_that_is_not_utf8() {
    let (_tmp, specs) = write_specs("acme", PROVIDER, &[]);
    std::fs::write(specs.join("acme/login.yaml"), b"method: \xff\xfe\n").unwrap();
    let diags = diagnostics_of(&specs);
    let d = diags
        .iter()
        .find(|d| d.message.starts_with("cannot read "))
        .unwrap_or_else(|| panic!("{}", dump(&diags)));
    assert_eq!(d.location(), LOGIN_FILE);
}

// ---------------------------------------------------------------------------
// Many problems at once
// ---------------------------------------------------------------------------

#[test]
fn five_independent_problems_in_two_files_are_all_reported() {
    let provider =
        provider_with_errors("  - code: 1\n    name: Bad\n    doc: Bad.\n    class: fatal\n");
    let provider = edit(&provider, "https://api.acme.test/", "ftp://api.acme.test/");
    let method = "\
method: login
doc: Logs in.
params:
  - name: user
    type: strng
    doc: A.
  - name: count
    type: i32
    doc: B.
    secret: true
response:
  fields:
    - name: token
      type: timestamp
      doc: Token.
";
    let diags = run(&provider, method);
    assert_eq!(diags.len(), 5, "{}", dump(&diags));
    let located: Vec<(String, String)> = diags
        .iter()
        .map(|d| (d.location(), d.yaml_path()))
        .collect();
    let want = [
        (at(PROVIDER_FILE, 3, 11), "base_url"),
        (at(PROVIDER_FILE, 15, 12), "errors[0].class"),
        (at(LOGIN_FILE, 5, 11), "params[0].type"),
        (at(LOGIN_FILE, 10, 13), "params[1].secret"),
        (at(LOGIN_FILE, 14, 13), "response.fields[0].type"),
    ];
    for (loc, path) in &want {
        assert!(
            located.iter().any(|(l, p)| l == loc && p == path),
            "missing {loc} ({path}) in:\n{}",
            dump(&diags)
        );
    }
    // Reported file by file, top to bottom.
    let order: Vec<(String, usize)> = diags
        .iter()
        .map(|d| (d.file.clone(), d.pos.map_or(0, |p| p.line)))
        .collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|(file, line)| (file != PROVIDER_FILE, *line));
    assert_eq!(
        order,
        sorted,
        "diagnostics are not in file order:\n{}",
        dump(&diags)
    );
    // And the whole report counts them.
    let report = loginspec_codegen::diag::Diagnostics(diags).to_string();
    assert!(report.ends_with("5 errors in the specs"), "{report}");
}

#[test]
fn parse_errors_in_several_files_are_all_reported() {
    let bad_provider = edit(PROVIDER, "title: Acme\n", "title: Acme\ntitel: Acme\n");
    let bad_a = edit(METHOD, "doc: Logs in.\n", "");
    let bad_b = edit(METHOD, "doc: Logs in.", "doc: [x");
    let diags = run_files(
        "acme",
        &bad_provider,
        &[("a.yaml", &bad_a), ("b.yaml", &bad_b)],
    );
    let files: Vec<&str> = diags.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(
        files,
        [PROVIDER_FILE, "specs/acme/a.yaml", "specs/acme/b.yaml"],
        "{}",
        dump(&diags)
    );
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

#[test]
fn rendered_diagnostic_shows_location_snippet_caret_and_hint() {
    let diags = run(
        PROVIDER,
        &edit(
            METHOD,
            "    type: string\n    doc: User",
            "    type: strng\n    doc: User",
        ),
    );
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    let rendered = diags[0].to_string();
    let expected_head = format!(
        "error: unknown type `strng`\n --> {LOGIN_FILE}:5:11\n  |\n5 |     type: strng\n  |           ^^^^^\n  |\n  = at: params[0].type\n  = help: "
    );
    assert!(
        rendered.starts_with(&expected_head),
        "got:\n{rendered}\nwanted to start with:\n{expected_head}"
    );
    assert!(rendered.contains(&format!("{LOGIN_FILE}:5:11")));
    assert!(rendered.contains("    type: strng"));
    assert!(rendered.contains('^'));
    assert!(rendered.contains("= help:"));
    // The caret sits under the offending value.
    let lines: Vec<&str> = rendered.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.ends_with("type: strng"))
        .unwrap();
    let caret_line = lines[source + 1];
    let src_col = lines[source].find("strng").unwrap();
    assert_eq!(caret_line.find('^'), Some(src_col), "{rendered}");
}

#[test]
fn rendered_parse_error_has_snippet_and_hint() {
    let diags = run(
        PROVIDER,
        &method_with_param("    type: string\n    requird: false\n    doc: A.\n"),
    );
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    let rendered = diags[0].to_string();
    assert!(rendered.contains(&format!("{LOGIN_FILE}:")), "{rendered}");
    assert!(rendered.contains("requird: false"), "{rendered}");
    assert!(rendered.contains('^'), "{rendered}");
    assert!(rendered.contains("= help:"), "{rendered}");
}

// ---------------------------------------------------------------------------
// No input panics
// ---------------------------------------------------------------------------

/// Variants of `text`: truncated after every line, and with small
/// corruptions applied to each line.
fn mutations(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = Vec::new();
    let join = |ls: &[String]| ls.concat();
    for n in 0..=lines.len() {
        out.push((format!("truncated to {n} lines"), lines[..n].concat()));
    }
    for i in 0..lines.len() {
        let owned: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let line = lines[i];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(c) = line.find(':') {
            let mut v = owned.clone();
            v[i] = format!("{}{}", &line[..c], &line[c + 1..]);
            out.push((format!("line {}: colon deleted", i + 1), join(&v)));
        }
        let mut v = owned.clone();
        v[i] = format!("\t{line}");
        out.push((format!("line {}: tab inserted", i + 1), join(&v)));
        if indent > 0 {
            let mut v = owned.clone();
            v[i] = line[1..].to_string();
            out.push((format!("line {}: dedented by one", i + 1), join(&v)));
        }
        let mut v = owned.clone();
        v[i] = format!("  {line}");
        out.push((format!("line {}: indented by two", i + 1), join(&v)));
        if i + 1 < lines.len() {
            let next = lines[i + 1];
            let next_indent = next.len() - next.trim_start_matches(' ').len();
            if next_indent != indent {
                let mut v = owned.clone();
                v[i] = format!("{}{}", &next[..next_indent], &line[indent..]);
                v[i + 1] = format!("{}{}", &line[..indent], &next[next_indent..]);
                out.push((
                    format!("lines {}-{}: indentation swapped", i + 1, i + 2),
                    join(&v),
                ));
            }
        }
        let mut v = owned.clone();
        v[i] = format!("{}\"{}", &line[..indent], &line[indent..]);
        out.push((format!("line {}: stray quote", i + 1), join(&v)));
        let mut v = owned;
        v.insert(i, line.to_string());
        out.push((format!("line {}: duplicated", i + 1), join(&v)));
    }
    out
}

#[test]
fn no_input_panics() {
    let specs = real_specs();
    let providers = sorted_entries(&specs, Path::is_dir);
    assert!(
        providers.len() >= 4,
        "real specs not found in {}",
        specs.display()
    );

    let failures = std::sync::Mutex::new(Vec::<String>::new());
    let runs = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for provider in &providers {
            let files = sorted_entries(provider, |p| p.extension().is_some_and(|e| e == "yaml"));
            for file in files {
                let provider = provider.clone();
                let failures = &failures;
                let runs = &runs;
                scope.spawn(move || {
                    let name = provider.file_name().unwrap().to_string_lossy().into_owned();
                    let tmp = tempfile::tempdir().unwrap();
                    let copy = tmp.path().join("specs").join(&name);
                    std::fs::create_dir_all(&copy).unwrap();
                    for entry in std::fs::read_dir(&provider).unwrap() {
                        let p = entry.unwrap().path();
                        std::fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
                    }
                    let target = copy.join(file.file_name().unwrap());
                    let original = std::fs::read_to_string(&file).unwrap();
                    let label = format!("{name}/{}", file.file_name().unwrap().to_string_lossy());
                    let specs_copy = tmp.path().join("specs");
                    for (what, text) in mutations(&original) {
                        std::fs::write(&target, &text).unwrap();
                        runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let outcome = std::panic::catch_unwind(|| match load_and_check(&specs_copy) {
                            Ok(_) => Vec::new(),
                            Err(diags) => {
                                // Rendering must not panic either, and must not be empty.
                                let rendered = diags.to_string();
                                assert!(!rendered.is_empty());
                                diags.0
                            }
                        });
                        match outcome {
                            Err(panic) => {
                                let msg = panic
                                    .downcast_ref::<String>()
                                    .cloned()
                                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                                    .unwrap_or_default();
                                failures.lock().unwrap().push(format!("{label} ({what}): panicked: {msg}"));
                            }
                            Ok(diags) => {
                                for d in diags {
                                    // A position must point into the file it names.
                                    if let Some(pos) = d.pos {
                                        let src = if d.file.ends_with(&*label) { text.as_str() } else { "" };
                                        if d.file.ends_with(&*label) {
                                            let lines = src.lines().count().max(1);
                                            if pos.line == 0 || pos.col == 0 || pos.line > lines + 1 {
                                                failures.lock().unwrap().push(format!(
                                                    "{label} ({what}): position {}:{} outside the file: {}",
                                                    pos.line, pos.col, d.message
                                                ));
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    std::fs::write(&target, &original).unwrap();
                    // The unmodified copy is still accepted.
                    if let Err(diags) = load_and_check(&specs_copy) {
                        failures.lock().unwrap().push(format!("{label}: pristine copy rejected:\n{diags}"));
                    }
                });
            }
        }
    });
    let failures = failures.into_inner().unwrap();
    let runs = runs.into_inner();
    assert!(runs > 500, "only {runs} mutations were tried");
    assert!(
        failures.is_empty(),
        "{} of {runs} mutated inputs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn generated_type_name_clashing_with_shared_type() {
    let provider = format!("{PROVIDER}types:\n  LoginResponse:\n    fields: []\n");
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message:
                "the generated type `LoginResponse` clashes with a shared type of the same name",
            location: &at(LOGIN_FILE, 1, 9),
            path: "method",
            hint: Some("rust_name"),
        },
    );
}

#[test]
fn rendered_caret_after_non_ascii_text() {
    // Columns count characters: `strng` starts at character 37 of line 4,
    // after the two-byte `ü`.
    let method = edit(
        METHOD,
        "  - name: user\n    type: string\n    doc: User name.\n",
        "  - {name: \"ü\", rust_name: u, type: strng, doc: A.}\n",
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "unknown type `strng`",
            location: &at(LOGIN_FILE, 4, 37),
            path: "params[0].type",
            hint: Some(""),
        },
    );
    let rendered = diags[0].to_string();
    let caret = rendered
        .lines()
        .find(|l| l.contains('^'))
        .unwrap_or_else(|| panic!("no caret:\n{rendered}"));
    // The carets start under `s` and cover the whole word.
    let expected = format!("  | {}^^^^^", " ".repeat(36));
    assert!(
        caret.starts_with(&expected),
        "the caret must underline `strng`:\n{rendered}"
    );
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

/// The provider with a `session:` section: `session:` is line 11, the
/// block's first line is line 12.
fn session_provider(block: &str) -> String {
    format!("{PROVIDER}session:\n{block}")
}

/// A valid session block. Lines: 12 login, 13 key, 14 carry, 15 field.
/// (Not a `\`-continued literal: that would strip the indentation.)
const SESSION: &str = concat!(
    "  login: login\n",
    "  key: token\n",
    "  carry:\n",
    "    field: sid\n",
);

/// A method that carries the session key. Lines: 1 method, 2 doc,
/// 3 session, 4 response, 5 fields.
const DATA: &str = "\
method: data
doc: Reads data.
session: use
response:
  fields: []
";

const DATA_FILE: &str = "specs/acme/data.yaml";

/// Runs the checker on `specs/acme/` with `login.yaml` and `data.yaml`
/// (read in name order: `data`, then `login`).
fn run_session(provider: &str, login: &str, data: &str) -> Vec<Diagnostic> {
    run_files(
        "acme",
        provider,
        &[("login.yaml", &secret_token(login)), ("data.yaml", data)],
    )
}

/// A session key must be secret: marks the login's string `token` field so,
/// below everything the session tests point at.
fn secret_token(login: &str) -> String {
    login.replacen(
        "    - name: token\n      type: string\n",
        "    - name: token\n      type: string\n      secret: true\n",
        1,
    )
}

/// A login method with a second parameter `version` and an error code 7.
/// Lines: 3 params, 4 `- name: user`, 7 `- name: version`, 10 response,
/// 11 fields, 12 `- name: token`, 15 errors, 16 `- code: 7`.
const REFRESH_LOGIN: &str = "\
method: login
doc: Logs in.
params:
  - name: user
    type: string
    doc: User name.
  - name: version
    type: i64
    doc: Version key.
response:
  fields:
    - name: token
      type: string
      doc: Token.
errors:
  - code: 7
    name: StaleVersion
    doc: The version key is stale.
";

/// A method that works without a session and returns a fresh `version`.
const STATUS: &str = "\
method: status
doc: Reads the version key.
params:
  - name: sysvar
    type: i32
    doc: Component.
  - name: user
    type: string
    doc: User name.
response:
  fields:
    - name: verKey
      type: i64
      doc: Version key.
";

/// A valid session block with `refresh_param`. Lines: 12 login, 13 key,
/// 14 carry, 15 field, 16 refresh_param, 17 param, 18 on, 19 method,
/// 20 field, 21 args, 22 sysvar, 23 user, 24 param.
const REFRESH_SESSION: &str = concat!(
    "  login: login\n",
    "  key: token\n",
    "  carry:\n",
    "    field: sid\n",
    "  refresh_param:\n",
    "    param: version\n",
    "    on: 7\n",
    "    method: status\n",
    "    field: verKey\n",
    "    args:\n",
    "      sysvar: 1\n",
    "      user:\n",
    "        param: user\n",
);

/// Runs the checker on `data.yaml`, `login.yaml` (`login`) and `status.yaml`
/// with the provider's session block `block`.
fn run_refresh(block: &str, login: &str, status: &str) -> Vec<Diagnostic> {
    run_files(
        "acme",
        &session_provider(block),
        &[
            ("data.yaml", DATA),
            ("login.yaml", &secret_token(login)),
            ("status.yaml", status),
        ],
    )
}

#[test]
fn session_valid_specs_are_accepted_and_generate_a_session() {
    let lifetimes = [
        "",
        "  lifetime:\n    seconds: 300\n    sliding: true\n  refresh_margin: 10\n",
        "  lifetime:\n    from_param: ttl\n",
        "  lifetime:\n    from_response: ttl\n",
    ];
    // `ttl` is both an optional login parameter and a response field.
    let login = edit(
        &edit(
            METHOD,
            "response:\n",
            "  - name: ttl\n    type: u32\n    required: false\n    doc: Lifetime.\nresponse:\n",
        ),
        "      doc: Token.\n",
        "      doc: Token.\n    - name: ttl\n      type: i64\n      doc: Lifetime.\n",
    );
    let cases: Vec<(String, Vec<(&str, String)>)> = lifetimes
        .iter()
        .map(|extra| {
            (
                session_provider(&format!("{SESSION}{extra}")),
                vec![
                    ("login.yaml", login.clone()),
                    ("data.yaml", DATA.to_string()),
                ],
            )
        })
        .chain([
            // The key carried in the query, and a method that ends the session.
            (
                session_provider(&edit(SESSION, "field: sid", "query: sid")),
                vec![
                    ("login.yaml", METHOD.to_string()),
                    (
                        "logout.yaml",
                        edit(DATA, "method: data\n", "method: logout\n")
                            .replace("session: use", "session: end"),
                    ),
                ],
            ),
            // The login method may have a parameter named like the carried key:
            // it is sent without the session.
            (
                session_provider(SESSION),
                vec![
                    ("login.yaml", edit(METHOD, "name: user", "name: sid")),
                    ("data.yaml", DATA.to_string()),
                ],
            ),
            (
                session_provider(REFRESH_SESSION),
                vec![
                    ("data.yaml", DATA.to_string()),
                    ("login.yaml", REFRESH_LOGIN.to_string()),
                    ("status.yaml", STATUS.to_string()),
                ],
            ),
        ])
        .collect();
    for (provider, methods) in &cases {
        let methods: Vec<(&str, String)> =
            methods.iter().map(|(n, t)| (*n, secret_token(t))).collect();
        let files: Vec<(&str, &str)> = methods.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let (_tmp, specs) = write_specs("acme", provider, &files);
        let output = match loginspec_codegen::Config::new(&specs).generate() {
            Ok(output) => output,
            Err(diags) => panic!("valid session rejected:\n{diags}\n--- provider\n{provider}"),
        };
        let code = &output.providers[0].code;
        for needle in [
            "pub struct Session",
            "pub async fn ensure_login(",
            "pub fn login_count(",
            "session_key: &rt::Secret",
        ] {
            assert!(code.contains(needle), "no `{needle}` in:\n{code}");
        }
    }
}

#[test]
fn session_provider_without_session_generates_no_session() {
    let (_tmp, specs) = write_specs("acme", PROVIDER, &[("login.yaml", METHOD)]);
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    assert!(!output.providers[0].code.contains("struct Session"));
}

#[test]
fn session_login_names_unknown_method() {
    let provider = session_provider(&edit(SESSION, "login: login", "login: logon"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "no method `logon` in this provider",
            location: &at(PROVIDER_FILE, 12, 10),
            path: "session.login",
            hint: Some("its methods are: data, login"),
        },
    );
}

#[test]
fn session_key_not_marked_secret() {
    let diags = run_files(
        "acme",
        &session_provider(SESSION),
        &[("login.yaml", METHOD), ("data.yaml", DATA)],
    );
    expect_only(
        &diags,
        Want {
            message: "session key `token` is not marked secret",
            location: &at(PROVIDER_FILE, 13, 8),
            path: "session.key",
            hint: Some("add `secret: true` to the field"),
        },
    );
}

#[test]
fn session_login_method_uses_the_session_itself() {
    for value in ["use", "end"] {
        let login = secret_token(&format!("{METHOD}session: {value}\n"));
        let diags = run(&session_provider(SESSION), &login);
        expect_only(
            &diags,
            Want {
                message: "login method `login` cannot itself use the session",
                location: &at(PROVIDER_FILE, 12, 10),
                path: "session.login",
                hint: Some("remove `session` from the file of `login`"),
            },
        );
    }
}

#[test]
fn session_key_not_a_login_response_field() {
    let provider = session_provider(&edit(SESSION, "key: token", "key: tokn"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "no response field `tokn`",
            location: &at(PROVIDER_FILE, 13, 8),
            path: "session.key",
            hint: Some("the response fields are: token"),
        },
    );
}

#[test]
fn session_key_not_a_required_string() {
    for (from, to) in [
        (
            "      doc: Token.\n",
            "      required: false\n      doc: Token.\n",
        ),
        ("      type: string\n", "      type: i64\n"),
    ] {
        let login = edit(METHOD, from, to);
        let diags = run_session(&session_provider(SESSION), &login, DATA);
        expect_only(
            &diags,
            Want {
                message: "session key `token` is not a required string field",
                location: &at(PROVIDER_FILE, 13, 8),
                path: "session.key",
                hint: Some("a `type: string` field that every successful login returns"),
            },
        );
    }
}

#[test]
fn session_carry_with_both_field_and_query() {
    let provider = session_provider(&format!("{SESSION}    query: sid\n"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "`carry` needs a location (`in`, `at`, `name`, `template`), or exactly one of v1's `field` and `query`",
            // A map value is located at its first key.
            location: &at(PROVIDER_FILE, 15, 5),
            path: "session.carry",
            hint: Some("`carry: {in: body, name: sessionKey}`"),
        },
    );
}

#[test]
fn session_carry_with_neither_field_nor_query() {
    let provider = session_provider(&edit(
        SESSION,
        "  carry:\n    field: sid\n",
        "  carry: {}\n",
    ));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "`carry` needs a location (`in`, `at`, `name`, `template`), or exactly one of v1's `field` and `query`",
            location: &at(PROVIDER_FILE, 14, 10),
            path: "session.carry",
            hint: Some("`carry: {in: query, name: Token}`"),
        },
    );
}

#[test]
fn session_carry_name_empty() {
    for (carry, path) in [
        ("field: \"\"", "session.carry.field"),
        ("query: \" \"", "session.carry.query"),
    ] {
        let provider = session_provider(&edit(SESSION, "field: sid", carry));
        let diags = run_session(&provider, METHOD, DATA);
        expect_only(
            &diags,
            Want {
                message: "the session key's name is empty",
                location: &at(PROVIDER_FILE, 15, 12),
                path,
                hint: Some("write its wire name"),
            },
        );
    }
}

#[test]
fn session_carry_field_already_sent_by_the_protocol() {
    // The form provider sends the method name as the field `request`.
    let provider = format!(
        "{}session:\n{}",
        form_provider(),
        edit(SESSION, "field: sid", "field: request")
    );
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "the session key goes to body `/request`, where the method name already goes (body `/request`)",
            location: &at(PROVIDER_FILE, 15, 12),
            path: "session.carry.field",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn session_carry_named_like_a_parameter_of_a_session_method() {
    let data = edit(
        DATA,
        "response:\n",
        "params:\n  - name: sid\n    type: string\n    doc: Session.\nresponse:\n",
    );
    // The JSON provider has no query encoding, so only a body member clashes.
    let provider = session_provider(SESSION);
    let diags = run_session(&provider, METHOD, &data);
    expect_only(
        &diags,
        Want {
            message: "the session key goes to body `/sid`, where parameter `sid` already goes (body `/sid`)",
            location: &at(PROVIDER_FILE, 15, 12),
            path: "session.carry.field",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn session_lifetime_with_two_sources() {
    // 16 lifetime, 17 seconds, 18 from_response.
    let provider = session_provider(&format!(
        "{SESSION}  lifetime:\n    seconds: 60\n    from_response: token\n"
    ));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "a lifetime has at most one of `seconds`, `from_response` and `from_param`",
            location: &at(PROVIDER_FILE, 17, 5),
            path: "session.lifetime",
            hint: Some("keep the one the vendor documents"),
        },
    );
}

#[test]
fn session_lifetime_of_zero_seconds() {
    let provider = session_provider(&format!("{SESSION}  lifetime:\n    seconds: 0\n"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "a lifetime of 0 seconds would log in before every call",
            location: &at(PROVIDER_FILE, 17, 14),
            path: "session.lifetime.seconds",
            hint: Some("e.g. 3600"),
        },
    );
}

#[test]
fn session_lifetime_from_response_field_not_an_integer() {
    let provider = session_provider(&format!("{SESSION}  lifetime:\n    from_response: token\n"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "lifetime field `token` is not an integer",
            location: &at(PROVIDER_FILE, 17, 20),
            path: "session.lifetime.from_response",
            hint: Some("an `i*` or `u*` type"),
        },
    );
}

#[test]
fn session_lifetime_from_parameter_not_an_integer() {
    let provider = session_provider(&format!("{SESSION}  lifetime:\n    from_param: user\n"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "lifetime field `user` is not an integer",
            location: &at(PROVIDER_FILE, 17, 17),
            path: "session.lifetime.from_param",
            hint: Some("a whole number of seconds"),
        },
    );
}

#[test]
fn session_lifetime_from_unknown_response_field() {
    let provider = session_provider(&format!("{SESSION}  lifetime:\n    from_response: ttl\n"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "no response field `ttl`",
            location: &at(PROVIDER_FILE, 17, 20),
            path: "session.lifetime.from_response",
            hint: Some("the response fields are: token"),
        },
    );
}

#[test]
fn session_lifetime_from_unknown_parameter() {
    let provider = session_provider(&format!("{SESSION}  lifetime:\n    from_param: ttl\n"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "no parameter `ttl`",
            location: &at(PROVIDER_FILE, 17, 17),
            path: "session.lifetime.from_param",
            hint: Some("the parameters are: user"),
        },
    );
}

#[test]
fn session_sliding_without_lifetime() {
    let provider = session_provider(&format!("{SESSION}  lifetime:\n    sliding: true\n"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "a sliding session needs a lifetime",
            location: &at(PROVIDER_FILE, 17, 14),
            path: "session.lifetime.sliding",
            hint: Some("add `seconds`, `from_response` or `from_param`"),
        },
    );
}

#[test]
fn session_unknown_value_on_method() {
    let data = edit(DATA, "session: use", "session: maybe");
    let diags = run_session(&session_provider(SESSION), METHOD, &data);
    expect_only(
        &diags,
        Want {
            message: "unknown session use `maybe`",
            location: &at(DATA_FILE, 3, 10),
            path: "session",
            hint: Some("write `use` (the call carries the session key) or `end`"),
        },
    );
}

#[test]
fn session_method_uses_session_the_provider_does_not_declare() {
    for value in ["use", "end"] {
        let data = edit(DATA, "session: use", &format!("session: {value}"));
        let diags = run_session(PROVIDER, METHOD, &data);
        expect_only(
            &diags,
            Want {
                message: "the method uses a session, but provider.yaml declares none",
                location: &at(DATA_FILE, 3, 10),
                path: "session",
                hint: Some("add a `session` section to provider.yaml"),
            },
        );
    }
}

#[test]
fn session_refresh_param_names_unknown_login_parameter() {
    let block = edit(REFRESH_SESSION, "param: version", "param: versin");
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "no parameter `versin`",
            location: &at(PROVIDER_FILE, 17, 12),
            path: "session.refresh_param.param",
            hint: Some("the parameters are: user, version"),
        },
    );
}

#[test]
fn session_refresh_param_on_unknown_login_error_code() {
    let block = edit(REFRESH_SESSION, "on: 7", "on: 8");
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "`8` is not an error code of `login`",
            location: &at(PROVIDER_FILE, 18, 9),
            path: "session.refresh_param.on",
            hint: Some("its codes are: 7"),
        },
    );
}

#[test]
fn session_refresh_param_method_that_needs_a_session() {
    // `data` carries the session key.
    let block = edit(REFRESH_SESSION, "method: status", "method: data");
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "`data` cannot refresh a login parameter: it needs a session itself",
            location: &at(PROVIDER_FILE, 19, 13),
            path: "session.refresh_param.method",
            hint: Some("a method that works without logging in"),
        },
    );
}

#[test]
fn session_refresh_param_method_that_is_the_login_itself() {
    let block = edit(REFRESH_SESSION, "method: status", "method: login");
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "the login method cannot fetch its own parameter",
            location: &at(PROVIDER_FILE, 19, 13),
            path: "session.refresh_param.method",
            hint: Some("name the method that returns the fresh value"),
        },
    );
}

#[test]
fn session_refresh_param_names_unknown_method() {
    let block = edit(REFRESH_SESSION, "method: status", "method: stat");
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "no method `stat` in this provider",
            location: &at(PROVIDER_FILE, 19, 13),
            path: "session.refresh_param.method",
            hint: Some("its methods are: data, login, status"),
        },
    );
}

#[test]
fn session_refresh_param_field_type_mismatch() {
    for (from, to) in [
        ("      type: i64\n", "      type: string\n"),
        (
            "      doc: Version key.\n",
            "      required: false\n      doc: Version key.\n",
        ),
    ] {
        let status = edit(STATUS, from, to);
        let diags = run_refresh(REFRESH_SESSION, REFRESH_LOGIN, &status);
        expect_only(
            &diags,
            Want {
                message: "`verKey` of `status` cannot fill login parameter `version`",
                location: &at(PROVIDER_FILE, 20, 12),
                path: "session.refresh_param.field",
                hint: Some("the field must be required, have the parameter's type"),
            },
        );
    }
}

#[test]
fn session_refresh_param_missing_required_argument() {
    // Without `sysvar`: 21 args, 22 user.
    let block = edit(REFRESH_SESSION, "      sysvar: 1\n", "");
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "required parameter `sysvar` of `status` has no argument",
            // A map value is located at its first key.
            location: &at(PROVIDER_FILE, 22, 7),
            path: "session.refresh_param.args",
            hint: Some("add `sysvar: <value>` or `sysvar: {param: <login parameter>}`"),
        },
    );
}

#[test]
fn session_refresh_param_argument_of_the_wrong_literal_type() {
    let block = edit(REFRESH_SESSION, "sysvar: 1", "sysvar: one");
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "value for `sysvar` does not fit its type",
            location: &at(PROVIDER_FILE, 22, 15),
            path: "session.refresh_param.args.sysvar",
            hint: Some("a literal of the parameter's type"),
        },
    );
}

#[test]
fn session_refresh_param_argument_from_unknown_login_parameter() {
    let block = edit(
        REFRESH_SESSION,
        "        param: user\n",
        "        param: usr\n",
    );
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "no parameter `usr`",
            location: &at(PROVIDER_FILE, 24, 16),
            path: "session.refresh_param.args.user.param",
            hint: Some("the parameters are: user, version"),
        },
    );
}

#[test]
fn session_refresh_param_argument_from_login_parameter_of_another_type() {
    let block = edit(
        REFRESH_SESSION,
        "        param: user\n",
        "        param: version\n",
    );
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "login parameter `version` cannot fill `user`",
            location: &at(PROVIDER_FILE, 24, 16),
            path: "session.refresh_param.args.user.param",
            hint: Some("a required login parameter of the same type (and secret exactly when this one is), or a literal"),
        },
    );
}

#[test]
fn session_refresh_param_argument_for_unknown_parameter() {
    let block = edit(REFRESH_SESSION, "sysvar: 1", "sysvr: 1");
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "no parameter `sysvr`",
            location: &at(PROVIDER_FILE, 22, 14),
            path: "session.refresh_param.args.sysvr",
            hint: Some("the parameters are: sysvar, user"),
        },
    );
}

#[test]
fn session_refresh_param_duplicate_argument() {
    // 22 sysvar: 1, 23 sysvar: 2.
    let block = edit(
        REFRESH_SESSION,
        "      sysvar: 1\n",
        "      sysvar: 1\n      sysvar: 2\n",
    );
    let diags = run_refresh(&block, REFRESH_LOGIN, STATUS);
    expect_only(
        &diags,
        Want {
            message: "argument `sysvar` is given twice",
            // The second entry, not the first.
            location: &at(PROVIDER_FILE, 23, 15),
            path: "session.refresh_param.args.sysvar",
            hint: Some("keep one"),
        },
    );
}

#[test]
fn session_reserved_type_name() {
    // 11 types, 12 the name, 13 fields.
    for name in ["Session", "SessionInner"] {
        let provider = format!("{PROVIDER}types:\n  {name}:\n    fields: []\n");
        let diags = run(&provider, METHOD);
        expect_only(
            &diags,
            Want {
                message: &format!("type name `{name}` is reserved for the generated code"),
                location: &at(PROVIDER_FILE, 13, 5),
                path: &format!("types.{name}"),
                hint: Some("pick another name"),
            },
        );
    }
}

#[test]
fn session_carry_field_named_like_a_constant_of_a_session_method() {
    let data = edit(
        DATA,
        "session: use\n",
        "session: use\nconstants:\n  sid: 1\n",
    );
    let diags = run_session(&session_provider(SESSION), METHOD, &data);
    expect_only(
        &diags,
        Want {
            message:
                "the session key goes to body `/sid`, where a constant already goes (body `/sid`)",
            location: &at(PROVIDER_FILE, 15, 12),
            path: "session.carry.field",
            hint: Some("its own place"),
        },
    );
}

#[test]
fn session_refresh_margin_without_lifetime() {
    let provider = session_provider(&format!("{SESSION}  refresh_margin: 10\n"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "a refresh margin needs a lifetime to count back from",
            location: &at(PROVIDER_FILE, 16, 19),
            path: "session.refresh_margin",
            hint: Some("add a `lifetime`, or remove `refresh_margin`"),
        },
    );
}

#[test]
fn session_refresh_param_argument_secret_on_one_side_only() {
    // `user` of status is secret; the login's `user` is not.
    let status = edit(
        STATUS,
        "    type: string\n    doc: User name.\n",
        "    type: string\n    secret: true\n    doc: User name.\n",
    );
    let diags = run_refresh(REFRESH_SESSION, REFRESH_LOGIN, &status);
    expect_only(
        &diags,
        Want {
            message: "login parameter `user` cannot fill `user`",
            location: &at(PROVIDER_FILE, 24, 16),
            path: "session.refresh_param.args.user.param",
            hint: Some("secret exactly when this one is"),
        },
    );
}

#[test]
fn session_refresh_param_on_a_login_without_error_codes() {
    let login = edit(
        REFRESH_LOGIN,
        "errors:\n  - code: 7\n    name: StaleVersion\n    doc: The version key is stale.\n",
        "",
    );
    let diags = run_refresh(REFRESH_SESSION, &login, STATUS);
    expect_only(
        &diags,
        Want {
            message: "`7` is not an error code of `login`",
            location: &at(PROVIDER_FILE, 18, 9),
            path: "session.refresh_param.on",
            hint: Some("`login` declares no error codes"),
        },
    );
}

#[test]
fn session_reserved_method_names() {
    for name in [
        "session",
        "with_clock",
        "client",
        "ensure_login",
        "login_count",
        "set_credentials",
        "with_key",
        "with_store",
    ] {
        let method = edit(
            METHOD,
            "method: login\n",
            &format!("method: login\nrust_name: {name}\n"),
        );
        let diags = run(PROVIDER, &method);
        expect_only(
            &diags,
            Want {
                message: &format!(
                    "method name `{name}` is taken by the generated `Client` or `Session`"
                ),
                location: &at(LOGIN_FILE, 2, 12),
                path: "rust_name",
                hint: Some(&format!("e.g. `{name}_call`")),
            },
        );
    }
}

#[test]
fn session_method_named_ensure_login_by_its_wire_name() {
    // Without `rust_name` the diagnostic points at `method`.
    let data = edit(DATA, "method: data", "method: ensureLogin");
    let diags = run_session(&session_provider(SESSION), METHOD, &data);
    expect_only(
        &diags,
        Want {
            message: "method name `ensure_login` is taken by the generated `Client` or `Session`",
            location: &at(DATA_FILE, 1, 9),
            path: "method",
            hint: Some("set `rust_name`, e.g. `ensure_login_call`"),
        },
    );
}

// ---------------------------------------------------------------------------
// Nesting limits: deep input is refused quickly, never a crash or a hang
// ---------------------------------------------------------------------------

#[test]
fn type_nested_too_deep() {
    // 5000 levels used to overflow the stack and abort the checker.
    let ty = format!("{}string{}", "list<".repeat(5000), ">".repeat(5000));
    let diags = run(
        PROVIDER,
        &method_with_param(&format!("    type: {ty}\n    doc: A.\n")),
    );
    expect_only(
        &diags,
        Want {
            message: "the type nests lists and maps more than 32 deep",
            location: &at(LOGIN_FILE, 5, 11),
            path: "params[0].type",
            hint: Some("give an inner level a named type"),
        },
    );
}

#[test]
fn type_nested_to_the_limit_is_accepted() {
    let ty = format!("{}map<u8>{}", "list<".repeat(31), ">".repeat(31));
    let method = method_with_param(&format!("    type: {ty}\n    doc: A.\n"));
    let (_tmp, specs) = write_specs("acme", PROVIDER, &[("login.yaml", &method)]);
    if let Err(diags) = load_and_check(&specs) {
        panic!("32 levels must be accepted:\n{diags}");
    }
}

#[test]
fn yaml_flow_nested_where_a_string_belongs() {
    // 100 000 levels used to keep the parser busy for minutes. A body is a
    // string, so the first `[` is already wrong: the parser reads no further.
    let method = format!(
        "{METHOD}examples:\n  - name: deep\n    body: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let diags = run(PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "invalid type: sequence, expected a string",
            location: &at(LOGIN_FILE, 14, 11),
            path: "examples[0].body",
            hint: Some("wrong YAML type"),
        },
    );
}

#[test]
fn yaml_block_nested_where_a_map_belongs() {
    let method = format!("{METHOD}examples:\n  {}x\n", "- ".repeat(50_000));
    let diags = run(PROVIDER, &method);
    // An example is a map; the second `-` starts a list instead.
    expect_only(
        &diags,
        Want {
            message: "invalid type: sequence, expected a map",
            location: &at(LOGIN_FILE, 13, 5),
            path: "examples[0]",
            hint: Some("wrong YAML type"),
        },
    );
}

/// A constant's value takes any YAML, so only the depth limit stops it.
fn method_with_constant(value: &str) -> String {
    edit(
        METHOD,
        "params:\n",
        &format!("constants:\n  X: {value}\nparams:\n"),
    )
}

#[test]
fn yaml_flow_nested_too_deep() {
    let method = method_with_constant(&format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)));
    let diags = run(PROVIDER, &method);
    // Line 4, the value starts at column 6. The parser allows 64 open
    // `[`/`{` (block levels aside), so the 65th `[` is refused.
    expect_only(
        &diags,
        Want {
            message: "the YAML nests deeper than 64 levels here",
            location: &at(LOGIN_FILE, 4, 6 + 64),
            path: "constants.X",
            hint: Some("as a quoted string or a `|` block"),
        },
    );
}

#[test]
fn yaml_block_nested_too_deep() {
    let method = method_with_constant(&format!("\n    {}x", "- ".repeat(100_000)));
    let diags = run(PROVIDER, &method);
    // Line 5 from column 5; the 63rd `- ` (column 5 + 2 * 62) is level 65.
    expect_only(
        &diags,
        Want {
            message: "the YAML nests deeper than 64 levels here",
            location: &at(LOGIN_FILE, 5, 5 + 2 * 62),
            path: &format!("constants.X{}", "[0]".repeat(61)),
            hint: Some("a spec needs a few levels"),
        },
    );
}

#[test]
fn yaml_alias_bomb_is_refused() {
    // Ten levels of ten aliases: 10^10 values once expanded.
    let mut levels = vec!["&a0 [x, x, x, x, x, x, x, x, x, x]".to_string()];
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        levels.push(format!("&a{i} [{refs}]"));
    }
    let value = format!("[{}]", levels.join(", "));
    let diags = run(PROVIDER, &method_with_constant(&value));
    assert_eq!(diags.len(), 1, "{}", dump(&diags));
    let d = &diags[0];
    assert!(d.message.contains("aliases expand"), "{}", dump(&diags));
    // Somewhere in the value on line 4, past its first anchor.
    assert!(
        d.pos.is_some_and(|p| p.line == 4 && p.col > 6),
        "{}",
        dump(&diags)
    );
    assert!(d
        .hint
        .as_deref()
        .is_some_and(|h| h.contains("without aliases")));
}

#[test]
fn brackets_inside_strings_do_not_count_as_nesting() {
    let deep = "[".repeat(1000);
    let method = edit(
        METHOD,
        "doc: Logs in.",
        &format!("doc: \"{deep}\"\nrust_name: login # {deep}"),
    );
    let method = format!("{method}examples:\n  - name: text\n    body: |\n      {deep}\n");
    let (_tmp, specs) = write_specs("acme", PROVIDER, &[("login.yaml", &method)]);
    match load_and_check(&specs) {
        Ok(_) => {}
        Err(diags) => assert!(
            !diags.to_string().contains("nests deeper"),
            "brackets in strings were counted:\n{diags}"
        ),
    }
}

// ---------------------------------------------------------------------------
// Accepted before, broken after: names, wire text and planned keys
// ---------------------------------------------------------------------------

#[test]
fn methods_whose_type_names_collide_after_case_conversion() {
    // Two Rust names, one UpperCamelCase form: both would define `Get2faRequest`.
    let a = edit(METHOD, "method: login", "method: get2fa");
    let b = edit(METHOD, "method: login", "method: get_2fa");
    let diags = run_files("acme", PROVIDER, &[("a.yaml", &a), ("b.yaml", &b)]);
    expect_only(
        &diags,
        Want {
            message: "methods `get2fa` (specs/acme/a.yaml) and `get_2fa` both make the types `Get2faRequest`, `Get2faResponse` and `Get2faError`",
            location: &at("specs/acme/b.yaml", 1, 9),
            path: "method",
            hint: Some("set `rust_name` on one of them"),
        },
    );
}

#[test]
fn method_table_collides_with_a_flags_type() {
    let provider = format!(
        "{PROVIDER}types:\n  X1:\n    flags:\n      - name: A\n        value: 1\n        doc: A.\n"
    );
    let diags = run(&provider, &edit(METHOD, "method: login", "method: x1"));
    expect_only(
        &diags,
        Want {
            message: "the method's wire table `static X1` clashes with the flags type `X1`",
            location: &at(LOGIN_FILE, 1, 9),
            path: "method",
            hint: Some("rename the flags type"),
        },
    );
}

#[test]
fn provider_named_after_a_crate_the_generated_code_uses() {
    for name in ["std", "serde", "loginspec_runtime", "rt"] {
        let provider = edit(PROVIDER, "provider: acme", &format!("provider: {name}"));
        let diags = run_files(name, &provider, &[("login.yaml", METHOD)]);
        expect_only(
            &diags,
            Want {
                message: &format!("provider name `{name}` is taken by the generated crate"),
                location: &at(&format!("specs/{name}/provider.yaml"), 1, 11),
                path: "provider",
                hint: Some("pick another name"),
            },
        );
    }
}

#[test]
fn pattern_whose_comment_swallows_the_anchor() {
    // `(?x)` comments run to the end of the line: `^(?:[a-z]+ # letters)$` loses its `)$`.
    let diags = run(
        PROVIDER,
        &method_with_param(
            "    type: string\n    doc: A.\n    constraints:\n      pattern: \"(?x)[a-z]+ # letters\"\n",
        ),
    );
    expect_only(
        &diags,
        Want {
            message: "pattern does not compile once anchored as `^(?:pattern)$`",
            location: &at(LOGIN_FILE, 8, 16),
            path: "params[0].constraints.pattern",
            hint: Some("swallows the anchor"),
        },
    );
}

#[test]
fn invalid_json_pointers() {
    let provider = edit(PROVIDER, "  error:\n", "  payload: /records/~2\n  error:\n");
    let provider = edit(&provider, "code: /code", "code: /status/");
    let diags = run(&provider, METHOD);
    assert_eq!(diags.len(), 2, "{}", dump(&diags));
    expect(
        &diags,
        Want {
            message: "JSON pointer `/records/~2` has `~2`; `~` must be followed by 0 or 1",
            location: &at(PROVIDER_FILE, 8, 12),
            path: "protocol.payload",
            hint: Some("`~1` stands for `/`"),
        },
    );
    expect(
        &diags,
        Want {
            message:
                "JSON pointer `/status/` ends with `/`, which names a member with an empty name",
            location: &at(PROVIDER_FILE, 10, 11),
            path: "protocol.error.code",
            hint: Some("write it like `/records/0`"),
        },
    );
}

#[test]
fn xml_names_with_spaces_or_markup() {
    let provider = edit(PROVIDER, "[json]", "[xml]\n  xml_root: Login Request");
    let diags = run(&provider, METHOD);
    expect_only(
        &diags,
        Want {
            message: "xml_root `Login Request` is not a valid XML element name",
            location: &at(PROVIDER_FILE, 6, 13),
            path: "protocol.xml_root",
            hint: Some("no spaces, `:` or markup"),
        },
    );
    let method = format!(
        "{METHOD}soap:\n  action: \"#login\"\n  request_element: \"<x>LoginRequest\"\n  response_element: LoginResponse\n"
    );
    let diags = run(SOAP_PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "request element `<x>LoginRequest` is not a valid XML element name",
            location: &at(LOGIN_FILE, 14, 20),
            path: "soap.request_element",
            hint: Some("XML names start with a letter"),
        },
    );
}

#[test]
fn soap_action_with_a_line_break() {
    let method = format!(
        "{METHOD}soap:\n  action: \"login\\r\\nX-Injected: 1\"\n  request_element: LoginRequest\n  response_element: LoginResponse\n"
    );
    let diags = run(SOAP_PROVIDER, &method);
    expect_only(
        &diags,
        Want {
            message: "the `SOAPAction` header value holds `\\r`, which cannot be sent in an HTTP header as written",
            location: &at(LOGIN_FILE, 13, 11),
            path: "soap.action",
            hint: Some("remove line breaks"),
        },
    );
}

#[test]
fn paths_that_leave_the_base_url() {
    for (path, message) in [
        (
            "../admin",
            "path `../admin` has a `.` or `..` step, which would leave the base URL",
        ),
        (
            "a/%2E%2e/b",
            "path `a/%2E%2e/b` has a `.` or `..` step, which would leave the base URL",
        ),
        ("login?admin=1", "path `login?admin=1` contains `?`"),
        ("login#x", "path `login#x` contains `#`"),
        ("a//b", "path `a//b` has an empty step (`//`)"),
        (
            "users/{id}",
            "path placeholder `{id}` is filled by no parameter",
        ),
        (
            "users/{id",
            "path `users/{id` has a `{` without a matching `}`",
        ),
    ] {
        let method = edit(
            METHOD,
            "doc: Logs in.",
            &format!("doc: Logs in.\npath: \"{path}\""),
        );
        let diags = run(PROVIDER, &method);
        expect_only(
            &diags,
            Want {
                message,
                location: &at(LOGIN_FILE, 3, 7),
                path: "path",
                hint: Some(""),
            },
        );
    }
}

#[test]
fn method_name_used_as_path_is_checked_too() {
    let diags = run(PROVIDER, &edit(METHOD, "method: login", "method: ../login"));
    expect_only(
        &diags,
        Want {
            message: "path `../login` has a `.` or `..` step, which would leave the base URL",
            location: &at(LOGIN_FILE, 1, 9),
            path: "method",
            hint: Some("without dot steps"),
        },
    );
}

#[test]
fn base_url_with_credentials_or_a_query_before_paths() {
    let provider = edit(
        PROVIDER,
        "https://api.acme.test/",
        "https://user:pass@api.acme.test/",
    );
    expect_only(
        &run(&provider, METHOD),
        Want {
            message: "base URL holds credentials (`user:password@`)",
            location: &at(PROVIDER_FILE, 3, 11),
            path: "base_url",
            hint: Some("secrets never belong in a spec"),
        },
    );
    let provider = edit(
        PROVIDER,
        "https://api.acme.test/",
        "https://api.acme.test/?v=2",
    );
    expect_only(
        &run(&provider, METHOD),
        Want {
            message: "base URL has a query, and each method's path would be appended after it",
            location: &at(PROVIDER_FILE, 3, 11),
            path: "base_url",
            hint: Some("`in: query`"),
        },
    );
}

#[test]
fn planned_capability_is_not_reported_as_a_typo() {
    // A capability spelt the v1 way is pointed at its v2 spelling.
    let provider = session_provider(&edit(SESSION, "    field: sid\n", "    cookie: sid\n"));
    let diags = run_session(&provider, METHOD, DATA);
    expect_only(
        &diags,
        Want {
            message: "`cookie` is not a key here",
            location: &at(PROVIDER_FILE, 15, 5),
            path: "session.carry.cookie",
            hint: Some("a value sent in a cookie is a location: `in: cookie` (with `name`)"),
        },
    );
    // A provider-wide capability written inside `session` is pointed at its place.
    let provider = session_provider(&format!("{SESSION}  credentials: []\n"));
    let diags = run_session(&provider, METHOD, DATA);
    let found = diags
        .iter()
        .find(|d| d.message.contains("`credentials`"))
        .unwrap_or_else(|| panic!("no diagnostic for `credentials`:\n{}", dump(&diags)));
    assert_eq!(
        found.message,
        "`credentials` is not a key here",
        "{}",
        dump(&diags)
    );
    assert!(
        found
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("provider.yaml")),
        "{}",
        dump(&diags)
    );
    // A capability that exists elsewhere is pointed at its place, not called planned.
    let diags = run(&format!("{PROVIDER}refresh: {{}}\n"), METHOD);
    let refresh = diags
        .iter()
        .find(|d| d.message.contains("`refresh`"))
        .unwrap_or_else(|| panic!("no diagnostic for `refresh`:\n{}", dump(&diags)));
    assert_eq!(
        refresh.message,
        "`refresh` is not a key here",
        "{}",
        dump(&diags)
    );
    assert!(
        refresh
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("session: {refresh:")),
        "{}",
        dump(&diags)
    );
    let diags = run(
        PROVIDER,
        &method_with_param("    type: string\n    location: header\n    doc: A.\n"),
    );
    expect_only(
        &diags,
        Want {
            message: "`location` is not a key here",
            location: &at(LOGIN_FILE, 6, 5),
            path: "params[0].location",
            hint: Some("a location is written with `in`"),
        },
    );
}
