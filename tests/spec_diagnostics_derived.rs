//! Derived parameters (`derived: [...]`) and inputs that are never sent
//! (`in: none`): what is accepted is emitted as `rt::Source::Derived`, and
//! every broken pipeline has a located diagnostic. Same harness as
//! `spec_diagnostics.rs`.

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

/// The method with `t`'s pipeline replaced (line 23, column 14 opens the list).
fn token(pipeline: &str) -> String {
    edit(
        METHOD,
        "derived: [{param: p}, {param: s}, md5, hex]",
        &format!("derived: {pipeline}"),
    )
}

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

#[test]
fn unknown_parameter_in_a_part() {
    expect_only(
        &run(PROVIDER, &token("[{param: q}, {param: p}, md5, hex]")),
        Want {
            message: "`q` is not a parameter of this method",
            location: &at(LOGIN_FILE, 23, 23),
            path: "params[3].derived[0].param",
            hint: Some("parameters here: u, p, s"),
        },
    );
}

#[test]
fn derived_from_itself() {
    expect_only(
        &run(PROVIDER, &token("[{param: t}, {param: p}, md5, hex]")),
        Want {
            message: "`t` is derived from itself",
            location: &at(LOGIN_FILE, 23, 23),
            path: "params[3].derived[0].param",
            hint: Some("another parameter"),
        },
    );
}

#[test]
fn a_cycle_through_two_derived_values() {
    let method = edit(
        METHOD,
        "derived: [{nonce: {len: 6}}]",
        "derived: [{param: t}]",
    );
    let diags = run(PROVIDER, &method);
    assert_eq!(diags.len(), 2, "{}", dump(&diags));
    for (line, name) in [(18, "s"), (23, "t")] {
        let d = diags
            .iter()
            .find(|d| d.message.starts_with(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("{}", dump(&diags)));
        assert_eq!(
            d.message,
            format!("`{name}` is derived, through its parts, from itself")
        );
        assert_eq!(d.location(), at(LOGIN_FILE, line, 14));
        assert_eq!(
            d.yaml_path(),
            format!("params[{}].derived", if name == "s" { 2 } else { 3 })
        );
    }
}

#[test]
fn a_pipeline_ending_in_raw_bytes() {
    expect_only(
        &run(PROVIDER, &token("[{param: p}, {param: s}, md5]")),
        Want {
            message:
                "the pipeline ends in raw bytes (a hash or HMAC), which cannot be sent as text",
            location: &at(LOGIN_FILE, 23, 14),
            path: "params[3].derived",
            hint: Some("end it with `hex`, `base64` or `base64url`"),
        },
    );
}

#[test]
fn an_hmac_key_that_is_not_a_parameter() {
    expect_only(
        &run(
            PROVIDER,
            &token("[{param: p}, {hmac: {hash: sha256, key: {text: k}}}, hex]"),
        ),
        Want {
            message: "an HMAC key must be a parameter",
            location: &at(LOGIN_FILE, 23, 54),
            path: "params[3].derived[1].hmac.key",
            hint: Some("key: {param: NAME}"),
        },
    );
}

#[test]
fn nonce_lengths_out_of_range() {
    for len in ["0", "1025"] {
        let method = edit(
            METHOD,
            "{nonce: {len: 6}}",
            &format!("{{nonce: {{len: {len}}}}}"),
        );
        expect_only(
            &run(PROVIDER, &method),
            Want {
                message: &format!("a nonce of {len} characters"),
                location: &at(LOGIN_FILE, 18, 29),
                path: "params[2].derived[0].nonce.len",
                hint: Some("from 1 to 1024"),
            },
        );
    }
}

#[test]
fn derived_with_a_default() {
    let method = edit(
        METHOD,
        "    doc: Token.\n",
        "    doc: Token.\n    default: x\n",
    );
    expect_only(
        &run(PROVIDER, &method),
        Want {
            message: "a derived parameter cannot have `default` here",
            location: &at(LOGIN_FILE, 25, 14),
            path: "params[3].default",
            hint: Some("computed on every call"),
        },
    );
}

#[test]
fn a_part_after_a_step() {
    expect_only(
        &run(PROVIDER, &token("[{param: p}, md5, {param: s}, hex]")),
        Want {
            message: "~a part after a step",
            location: &at(LOGIN_FILE, 23, 32),
            path: "params[3].derived[2]",
            hint: Some("before the first hash"),
        },
    );
}

#[test]
fn unknown_word_in_a_pipeline() {
    expect_only(
        &run(PROVIDER, &token("[{param: p}, {param: s}, md4, hex]")),
        Want {
            message: "unknown derived item `md4`",
            location: &at(LOGIN_FILE, 23, 39),
            path: "params[3].derived[2]",
            hint: Some("md5, sha1, sha256, sha512"),
        },
    );
}

#[test]
fn an_optional_input() {
    let method = edit(
        METHOD,
        "    in: none\n",
        "    in: none\n    required: false\n",
    );
    expect_only(
        &run(PROVIDER, &method),
        Want {
            message: "`p` is optional, so a call may lack it",
            location: &at(LOGIN_FILE, 24, 23),
            path: "params[3].derived[0].param",
            hint: Some("make it required"),
        },
    );
}

#[test]
fn an_input_that_is_not_sent_has_no_place() {
    let method = edit(
        METHOD,
        "    in: none\n",
        "    in: none\n    at: /password\n",
    );
    expect_only(
        &run(PROVIDER, &method),
        Want {
            message: "`at` places a value, but this one goes `in: none`",
            location: &at(LOGIN_FILE, 14, 9),
            path: "params[1].at",
            hint: Some("only read by derived values"),
        },
    );
}

#[test]
fn derived_and_not_sent() {
    let method = edit(
        METHOD,
        "    in: query\n    derived: [{param: p}",
        "    in: none\n    derived: [{param: p}",
    );
    expect_only(
        &run(PROVIDER, &method),
        Want {
            message: "a derived parameter cannot have `in` here",
            location: &at(LOGIN_FILE, 22, 9),
            path: "params[3].in",
            hint: Some("exists to be sent"),
        },
    );
}

#[test]
fn unknown_nonce_alphabet() {
    let method = edit(
        METHOD,
        "{nonce: {len: 6}}",
        "{nonce: {len: 6, alphabet: base32}}",
    );
    expect_only(
        &run(PROVIDER, &method),
        Want {
            message: "unknown nonce alphabet `base32`",
            location: &at(LOGIN_FILE, 18, 42),
            path: "params[2].derived[0].nonce.alphabet",
            hint: Some("hex, alnum, digits"),
        },
    );
}

#[test]
fn the_v1_key_names_point_at_derived() {
    let method = edit(METHOD, "    in: none\n", "    in: none\n    hash: md5\n");
    expect_only(
        &run(PROVIDER, &method),
        Want {
            message: "`hash` is not a key here",
            location: &at(LOGIN_FILE, 14, 5),
            path: "params[1].hash",
            hint: Some("a hash is a step of a parameter's `derived` list"),
        },
    );
}

#[test]
fn an_input_that_nothing_reads() {
    let method = token("[{param: s}, md5, hex]");
    expect_only(
        &run(PROVIDER, &method),
        Want {
            message: "`p` goes `in: none`, and no derived value reads it",
            location: &at(LOGIN_FILE, 13, 9),
            path: "params[1].in",
            hint: Some("give it a location"),
        },
    );
}
