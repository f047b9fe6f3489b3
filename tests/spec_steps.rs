//! `session.steps`: every misuse has a located diagnostic, and a valid
//! login of several calls is accepted and generated. Same harness as
//! `spec_diagnostics.rs`.

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
  steps:
    - method: start
    - method: login
      take: {flow: flow_id}
";

const START: &str = "\
method: start
doc: Opens a login flow.
path: start
params:
  - name: client_id
    type: string
    doc: The client.
response:
  fields:
    - name: flow_id
      type: string
      doc: The flow.
    - name: nonce
      type: string
      secret: true
      doc: A challenge.
    - name: count
      type: i64
      doc: A number.
";

const LOGIN: &str = "\
method: login
doc: Logs in.
path: login
params:
  - name: flow
    type: string
    in: query
    doc: The flow.
  - name: client_id
    type: string
    doc: The client.
  - name: password
    type: string
    secret: true
    doc: The password.
response:
  fields:
    - name: token
      type: string
      secret: true
      doc: The key.
";

const DATA: &str = "\
method: data
doc: Reads data.
path: data
session: use
response:
  fields: []
";

fn files(provider: &str, start: &str, login: &str) -> Vec<loginspec_codegen::Diagnostic> {
    run_files(
        "acme",
        provider,
        &[
            ("start.yaml", start),
            ("login.yaml", login),
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

/// The provider with its `steps` replaced by `steps` (lines of the list).
fn provider_with(steps: &str) -> String {
    let start = PROVIDER.find("  steps:\n").unwrap();
    format!("{}  steps:\n{steps}", &PROVIDER[..start])
}

/// One diagnostic, located at `needle` in provider.yaml.
fn expect_steps(steps: &str, needle: &str, message: &str, path: &str, hint: &str) {
    let provider = provider_with(steps);
    expect_only(
        &files(&provider, START, LOGIN),
        Want {
            message,
            location: &locate(PROVIDER_FILE, &provider, needle),
            path,
            hint: Some(hint),
        },
    );
}

#[test]
fn a_login_of_two_calls_is_accepted_and_generated() {
    let (_tmp, specs) = write_specs(
        "acme",
        PROVIDER,
        &[
            ("start.yaml", START),
            ("login.yaml", LOGIN),
            ("data.yaml", DATA),
        ],
    );
    let output = loginspec_codegen::Config::new(&specs)
        .generate()
        .unwrap_or_else(|diags| panic!("{diags}"));
    let code = output.providers[0].code.replace([' ', '\n'], "");
    // One credential per wire name: `client_id` once, `flow` not at all.
    assert!(
        code.contains("pubstructLoginCredentials{///Theclient.pubclient_id:String,///Thepassword.pubpassword:rt::Secret,}"),
        "{code}"
    );
    assert!(code.contains("pubenumLoginStepFailure{"), "{code}");
    assert!(code.contains("flow:taken_0"), "{code}");
    assert!(
        code.contains("rt::step_failed(error,\"start\",LoginStepFailure::Start,)"),
        "{code}"
    );
}

#[test]
fn unknown_step_method() {
    expect_steps(
        "    - method: strat\n    - method: login\n",
        "strat",
        "no method `strat` in this provider",
        "session.steps[0].method",
        "its methods are: data, login, start",
    );
}

#[test]
fn a_taken_field_the_earlier_answer_lacks() {
    expect_steps(
        "    - method: start\n    - method: login\n      take: {flow: flow}\n",
        "flow}",
        "`start` answers no field `flow`",
        "session.steps[1].take.flow",
        "its response fields are: flow_id, nonce, count",
    );
}

#[test]
fn a_taken_field_of_another_type() {
    expect_steps(
        "    - method: start\n    - method: login\n      take: {flow: count}\n",
        "count}",
        "`count` of `start` does not fit parameter `flow` of `login`",
        "session.steps[1].take.flow",
        "same type",
    );
}

#[test]
fn a_secret_answer_into_a_parameter_that_is_not_secret() {
    expect_steps(
        "    - method: start\n    - method: login\n      take: {flow: nonce}\n",
        "nonce}",
        "the secret `nonce` of `start` would go into parameter `flow`, which is not secret",
        "session.steps[1].take.flow",
        "add `secret: true` to parameter `flow` of `login`",
    );
}

#[test]
fn a_take_of_a_parameter_the_step_lacks() {
    expect_steps(
        "    - method: start\n    - method: login\n      take: {flow_id: flow_id}\n",
        "flow_id}",
        "no parameter `flow_id`",
        "session.steps[1].take.flow_id",
        "the parameters are: flow, client_id, password",
    );
}

#[test]
fn a_parameter_given_by_nobody_conflicts_with_another_steps() {
    // `client_id` is a credential of both steps: one value for both, so
    // the two declarations must agree.
    let login = edit(
        LOGIN,
        "  - name: client_id\n    type: string\n",
        "  - name: client_id\n    type: i64\n",
    );
    let provider = PROVIDER.to_string();
    expect_only(
        &files(&provider, START, &login),
        Want {
            message: "parameter `client_id` of `login` and `client_id` of `start` would be one credential, and differ",
            location: &locate(PROVIDER_FILE, &provider, "login\n      take"),
            path: "session.steps[1].method",
            hint: Some("or `take` one of them"),
        },
    );
}

#[test]
fn a_step_that_needs_the_session_it_opens() {
    expect_steps(
        "    - method: data\n    - method: login\n      take: {flow: flow_id}\n",
        "data",
        "step `data` uses the session it is logging in to",
        "session.steps[0].method",
        "remove `session`",
    );
}

#[test]
fn the_same_step_twice() {
    expect_steps(
        "    - method: start\n    - method: start\n    - method: login\n",
        "start\n    - method: login",
        "`start` is a step twice",
        "session.steps[1].method",
        "write a second method file",
    );
}

#[test]
fn a_value_from_a_later_step_or_the_step_itself() {
    expect_steps(
        "    - method: start\n    - method: login\n      take: {flow: {step: login, field: token}}\n",
        "login, field",
        "step `login` is this step: its answer is not there yet",
        "session.steps[1].take.flow.step",
        "only from steps listed before",
    );
    let login_first = "    - method: start\n      take: {client_id: {step: login, field: token}}\n    - method: login\n";
    expect_steps(
        login_first,
        "login, field",
        "step `login` runs after this step: its answer is not there yet",
        "session.steps[0].take.client_id.step",
        "only from steps listed before",
    );
}

#[test]
fn the_first_step_takes_from_nothing() {
    expect_steps(
        "    - method: start\n      take: {client_id: flow_id}\n    - method: login\n",
        "flow_id}",
        "the first step has no earlier answer to take from",
        "session.steps[0].take.client_id",
        "remove `take`",
    );
}

#[test]
fn the_login_must_be_the_last_step() {
    let provider = provider_with("    - method: login\n    - method: start\n");
    let diags = files(&provider, START, LOGIN);
    expect(
        &diags,
        Want {
            message: "the login method `login` is not the last step",
            location: &locate(PROVIDER_FILE, &provider, "login\n    - method: start"),
            path: "session.steps[0].method",
            hint: Some("comes last"),
        },
    );
    expect(
        &diags,
        Want {
            message: "the last step is `start`, not the login method `login`",
            location: &locate(PROVIDER_FILE, &provider, "start\n"),
            path: "session.steps[1].method",
            hint: Some("end the list with `login`'s method"),
        },
    );
}

#[test]
fn no_steps_at_all() {
    expect_steps(
        "    []\n",
        "[]",
        "a login of several calls needs at least two steps",
        "session.steps",
        "needs no `steps`",
    );
}

#[test]
fn one_step_is_no_login_of_several_calls() {
    expect_steps(
        "    - method: login\n",
        "- method: login",
        "a login of several calls needs at least two steps",
        "session.steps",
        "needs no `steps`",
    );
}
