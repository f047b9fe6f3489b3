//! `session.refresh` and lifetime units: every misuse has a located
//! diagnostic, and a valid refresh method is accepted and wired into the
//! generated `Session`. Same harness as `spec_diagnostics.rs`.

use loginspec_tests::diagnostics::*;

const PROVIDER: &str = "\
provider: acme
title: Acme
base_url: https://api.acme.test/
request:
  encodings: [json]
response:
  error_rules:
    - code: /code
      code_type: int
session:
  login: login
  key: token
  carry: {in: header, name: Authorization, template: \"Bearer {value}\"}
  lifetime: {from_response: expires_in_ms, unit: ms}
  refresh: {method: refresh, token: refresh_token, param: token}
";

/// The response fields a login and a refresh share.
const FIELDS: &str = "\
response:
  fields:
    - name: token
      type: string
      secret: true
      doc: Token.
    - name: refresh_token
      type: string
      secret: true
      required: false
      doc: Refresh token.
    - name: expires_in_ms
      type: i64
      required: false
      doc: Lifetime.
";

const LOGIN: &str = "\
method: login
doc: Logs in.
path: login
params:
  - name: user
    type: string
    doc: User name.
";

const REFRESH: &str = "\
method: refresh
doc: Refreshes.
path: refresh
params:
  - name: token
    type: string
    secret: true
    doc: The refresh token.
";

const DATA: &str = "\
method: data
doc: Reads data.
path: data
session: use
response:
  fields: []
";

fn files(provider: &str, login: &str, refresh: &str) -> Vec<loginspec_codegen::Diagnostic> {
    run_files(
        "acme",
        provider,
        &[
            ("login.yaml", &format!("{login}{FIELDS}")),
            ("refresh.yaml", refresh),
            ("data.yaml", DATA),
        ],
    )
}

/// `file:line:col` of the first occurrence of `needle` in `text`.
fn locate(file: &str, text: &str, needle: &str) -> String {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in:\n{text}"));
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let col = start - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    at(file, line, col)
}

/// The provider with its `refresh` line replaced by `refresh`.
fn provider_with(refresh: &str) -> String {
    edit(
        PROVIDER,
        "  refresh: {method: refresh, token: refresh_token, param: token}\n",
        refresh,
    )
}

fn expect_refresh(refresh_line: &str, needle: &str, message: &str, path: &str, hint: &str) {
    let provider = provider_with(refresh_line);
    expect_only(
        &files(&provider, LOGIN, &format!("{REFRESH}{FIELDS}")),
        Want {
            message,
            location: &locate(PROVIDER_FILE, &provider, needle),
            path,
            hint: Some(hint),
        },
    );
}

#[test]
fn a_refresh_method_is_accepted_and_used_by_the_session() {
    let (_tmp, specs) = write_specs(
        "acme",
        PROVIDER,
        &[
            ("login.yaml", &format!("{LOGIN}{FIELDS}")),
            ("refresh.yaml", &format!("{REFRESH}{FIELDS}")),
            ("data.yaml", DATA),
        ],
    );
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    let code = output.providers[0].code.replace(' ', "");
    assert!(code.contains("call_refreshing("), "{code}");
    assert!(code.contains("pubfnrefresh_count("), "{code}");
    assert!(code.contains("rt::milliseconds"), "{code}");
}

#[test]
fn unknown_refresh_method() {
    expect_refresh(
        "  refresh: {method: renew, token: refresh_token, param: token}\n",
        "renew",
        "no method `renew` in this provider",
        "session.refresh.method",
        "its methods are: data, login, refresh",
    );
}

#[test]
fn the_login_cannot_be_its_own_refresh() {
    expect_refresh(
        "  refresh: {method: login, token: refresh_token, param: token}\n",
        "login, token",
        "the refresh method `login` is the login method",
        "session.refresh.method",
        "without one, leave `refresh` out",
    );
}

#[test]
fn a_refresh_method_that_uses_the_session() {
    let refresh = edit(REFRESH, "path: refresh\n", "path: refresh\nsession: use\n");
    expect_only(
        &files(PROVIDER, LOGIN, &format!("{refresh}{FIELDS}")),
        Want {
            message: "the refresh method `refresh` uses the session itself",
            location: &locate(PROVIDER_FILE, PROVIDER, "refresh, token"),
            path: "session.refresh.method",
            hint: Some("its credential is the refresh token"),
        },
    );
}

#[test]
fn unknown_refresh_token_field() {
    expect_refresh(
        "  refresh: {method: refresh, token: renewal, param: token}\n",
        "renewal",
        "no response field `renewal`",
        "session.refresh.token",
        "the response fields are: token, refresh_token, expires_in_ms",
    );
}

#[test]
fn the_refresh_token_is_not_the_key() {
    expect_refresh(
        "  refresh: {method: refresh, token: token, param: token}\n",
        "token, param",
        "the refresh token field `token` is the session key",
        "session.refresh.token",
        "not the key",
    );
}

#[test]
fn a_refresh_token_field_that_is_not_secret() {
    let login = format!("{LOGIN}{FIELDS}").replacen(
        "      secret: true\n      required: false\n",
        "      required: false\n",
        1,
    );
    let provider = PROVIDER;
    expect_only(
        &run_files(
            "acme",
            provider,
            &[
                ("login.yaml", &login),
                ("refresh.yaml", &format!("{REFRESH}{FIELDS}")),
                ("data.yaml", DATA),
            ],
        ),
        Want {
            message: "refresh token field `refresh_token` is not a secret string",
            location: &locate(PROVIDER_FILE, provider, "refresh_token, param"),
            path: "session.refresh.token",
            hint: Some("`secret: true`"),
        },
    );
}

#[test]
fn unknown_refresh_param() {
    expect_refresh(
        "  refresh: {method: refresh, token: refresh_token, param: refresh_token}\n",
        "refresh_token}",
        "no parameter `refresh_token`",
        "session.refresh.param",
        "the parameters are: token",
    );
}

#[test]
fn a_refresh_param_that_is_not_a_string() {
    let refresh = edit(
        REFRESH,
        "    type: string\n    secret: true\n",
        "    type: i64\n",
    );
    expect_only(
        &files(PROVIDER, LOGIN, &format!("{refresh}{FIELDS}")),
        Want {
            message: "refresh token parameter `token` is not a secret string",
            location: &locate(PROVIDER_FILE, PROVIDER, "token}"),
            path: "session.refresh.param",
            hint: Some("a refresh token is a credential"),
        },
    );
}

#[test]
fn a_refresh_method_with_another_required_param() {
    let refresh = format!("{REFRESH}  - name: client\n    type: string\n    doc: C.\n");
    expect_only(
        &files(PROVIDER, LOGIN, &format!("{refresh}{FIELDS}")),
        Want {
            message: "required parameter `client` of `refresh` would have no value",
            location: &locate(PROVIDER_FILE, PROVIDER, "token}"),
            path: "session.refresh.param",
            hint: Some("`default`"),
        },
    );
}

#[test]
fn a_refresh_answer_without_the_key() {
    let fields = edit(
        FIELDS,
        "    - name: token\n      type: string\n      secret: true\n      doc: Token.\n",
        "",
    );
    expect_only(
        &files(PROVIDER, LOGIN, &format!("{REFRESH}{fields}")),
        Want {
            message: "the session key field `token` of the refresh answer is missing",
            location: &locate(PROVIDER_FILE, PROVIDER, "refresh, token"),
            path: "session.refresh.method",
            hint: Some("needs a required `type: string`, `secret: true` field `token`"),
        },
    );
}

#[test]
fn a_rotated_token_that_is_not_secret() {
    let fields = FIELDS.replacen(
        "      secret: true\n      required: false\n",
        "      required: false\n",
        1,
    );
    expect_only(
        &files(PROVIDER, LOGIN, &format!("{REFRESH}{fields}")),
        Want {
            message: "the refresh answer's `refresh_token` is not a secret string",
            location: &locate(PROVIDER_FILE, PROVIDER, "refresh_token, param"),
            path: "session.refresh.token",
            hint: Some("`secret: true`"),
        },
    );
}

#[test]
fn unknown_lifetime_unit() {
    let provider = edit(PROVIDER, "unit: ms}", "unit: min}");
    expect_only(
        &files(&provider, LOGIN, &format!("{REFRESH}{FIELDS}")),
        Want {
            message: "unknown unit `min`",
            location: &locate(PROVIDER_FILE, &provider, "min}"),
            path: "session.lifetime.unit",
            hint: Some("`ms` (milliseconds)"),
        },
    );
}

#[test]
fn a_unit_on_a_fixed_lifetime() {
    let provider = edit(
        PROVIDER,
        "{from_response: expires_in_ms, unit: ms}",
        "{seconds: 60, unit: ms}",
    );
    expect_only(
        &files(&provider, LOGIN, &format!("{REFRESH}{FIELDS}")),
        Want {
            message: "a unit applies to `from_response` or `from_param`",
            location: &locate(PROVIDER_FILE, &provider, "ms}"),
            path: "session.lifetime.unit",
            hint: Some("remove `unit`"),
        },
    );
}
