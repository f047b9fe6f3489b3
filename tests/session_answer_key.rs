//! A login whose answer is itself the session key (`session.key` left out,
//! `response: {type: string, secret: true}`): JSON-RPC 2.0 as Zabbix's API
//! manual shows it, against a loopback server. The login's request and
//! answer, and the authenticated `host.get`, are the manual's examples.

mod from_macro {
    loginspec::client!("corpus/zabbix");
}

use from_macro::zabbix::{Client, HostGetRequest, Session, UserLoginRequest};
use loginspec_runtime::{ClientOptions, ErrorClass};
use loginspec_tests::mock::json_answer;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request};

const TOKEN: &str = "0424bd59b807674191e7d77572075f33";

/// The manual's host.get answer (its example is id 2), with the id the
/// request carries, as a JSON-RPC 2.0 server echoes it.
fn hosts_answer(request: &Request) -> wiremock::ResponseTemplate {
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON");
    let id = body["id"].as_u64().expect("a numeric request id");
    json_answer(&format!(
        r#"{{"jsonrpc":"2.0","result":[{{"hostid":"10084","host":"Zabbix server"}}],"id":{id}}}"#
    ))
}

/// `answer` (the manual's bytes) with the id of the request it answers, as a
/// JSON-RPC 2.0 server echoes it.
fn echoing(answer: impl Into<String>) -> impl Fn(&Request) -> wiremock::ResponseTemplate {
    let answer: String = answer.into();
    move |request: &Request| {
        let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON");
        let mut body: serde_json::Value = serde_json::from_str(&answer).expect("a JSON answer");
        body["id"] = sent["id"].clone();
        json_answer(&body.to_string())
    }
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    // The manual's login answer, id 1: only a client's first call gets it right.
    Mock::given(method("POST"))
        .and(path("/api_jsonrpc.php"))
        .and(body_partial_json(json!({"method": "user.login"})))
        .respond_with(json_answer(
            r#"{"jsonrpc":"2.0","result":"0424bd59b807674191e7d77572075f33","id":1}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api_jsonrpc.php"))
        .and(body_partial_json(json!({"method": "host.get"})))
        .respond_with(hosts_answer)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::with_options(
        ClientOptions::default().base_url(format!("{}/api_jsonrpc.php", server.uri())),
    )
    .expect("client")
}

/// The bodies the server received, in order.
async fn bodies(server: &MockServer) -> Vec<serde_json::Value> {
    let requests = server.received_requests().await.expect("recorded");
    requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON"))
        .collect()
}

#[tokio::test]
async fn the_answer_is_the_key_and_goes_in_the_bearer_header() {
    let server = server().await;
    let session = Session::new(client(&server), UserLoginRequest::new("Admin", "zabbix"));
    let hosts = session
        .host_get(HostGetRequest::new(vec!["hostid".into(), "host".into()]))
        .await
        .expect("hosts");
    assert_eq!(
        hosts,
        vec![json!({"hostid": "10084", "host": "Zabbix server"})]
    );
    assert_eq!(session.login_count(), 1);

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert!(requests[0].headers.get("authorization").is_none());
    assert_eq!(
        requests[1]
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    // The manual's two requests, ids 1 and 2.
    assert_eq!(
        bodies(&server).await,
        [
            json!({"jsonrpc": "2.0", "method": "user.login",
                   "params": {"username": "Admin", "password": "zabbix"}, "id": 1}),
            json!({"jsonrpc": "2.0", "method": "host.get",
                   "params": {"output": ["hostid", "host"]}, "id": 2}),
        ]
    );
}

#[tokio::test]
async fn each_call_sends_the_next_id_and_the_answer_must_echo_it() {
    let server = server().await;
    let client = client(&server);
    let session = Session::new(client.clone(), UserLoginRequest::new("Admin", "zabbix"));
    for _ in 0..2 {
        session
            .host_get(HostGetRequest::new(vec!["host".into()]))
            .await
            .expect("hosts");
    }
    let ids: Vec<_> = bodies(&server)
        .await
        .iter()
        .map(|b| b["id"].clone())
        .collect();
    assert_eq!(ids, [json!(1), json!(2), json!(3)]);

    // A login answered with the manual's id 1 on the client's fourth call
    // is an answer to another request: refused, naming both ids.
    let err = client
        .user_login(UserLoginRequest::new("Admin", "zabbix"))
        .await
        .expect_err("a stale id");
    let text = err.to_string();
    assert!(
        text.contains("the answer's request id at `/id` is 1, the request's id is 4"),
        "{text}"
    );
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn the_login_answer_is_a_secret() {
    let server = server().await;
    let token = client(&server)
        .user_login(UserLoginRequest::new("Admin", "zabbix"))
        .await
        .expect("token");
    assert_eq!(token.expose(), TOKEN);
    assert!(!format!("{token:?}").contains(TOKEN));
}

/// Zabbix answers `-32602` for a dead session and for wrong parameters
/// alike; the session tells them apart by the message (`match`), logs in
/// again on the first and repeats the call once.
#[tokio::test]
async fn a_terminated_session_logs_in_again_by_its_message() {
    let server = MockServer::start().await;
    let login = |token: &str| {
        Mock::given(method("POST"))
            .and(path("/api_jsonrpc.php"))
            .and(body_partial_json(json!({"method": "user.login"})))
            .respond_with(echoing(format!(
                r#"{{"jsonrpc":"2.0","result":"{token}","id":1}}"#
            )))
    };
    login("old0old0old0old0old0old0old0old0")
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    login(TOKEN).with_priority(2).mount(&server).await;
    let host_get = |token: &str, answer: &'static str| {
        Mock::given(method("POST"))
            .and(path("/api_jsonrpc.php"))
            .and(body_partial_json(json!({"method": "host.get"})))
            .and(header("authorization", format!("Bearer {token}").as_str()))
            .respond_with(echoing(answer))
    };
    host_get(
        "old0old0old0old0old0old0old0old0",
        r#"{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params.","data":"Session terminated, re-login, please."},"id":1}"#,
    )
    .mount(&server)
    .await;
    host_get(
        TOKEN,
        r#"{"jsonrpc":"2.0","result":[{"hostid":"10084","host":"Zabbix server"}],"id":1}"#,
    )
    .mount(&server)
    .await;
    let session = Session::new(client(&server), UserLoginRequest::new("Admin", "zabbix"));
    let hosts = session
        .host_get(HostGetRequest::new(vec!["hostid".into(), "host".into()]))
        .await
        .expect("hosts after a re-login");
    assert_eq!(hosts.len(), 1);
    assert_eq!(session.login_count(), 2);
}

/// The same code with another message is no reason to log in again: it is
/// the fallback entry, of class `invalid_input`.
#[tokio::test]
async fn the_same_code_with_another_message_is_invalid_params() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"method": "user.login"})))
        .respond_with(echoing(
            r#"{"jsonrpc":"2.0","result":"0424bd59b807674191e7d77572075f33","id":1}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"method": "host.get"})))
        .respond_with(echoing(
            r#"{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params.","data":"No groups for host \"Linux server\"."},"id":7}"#,
        ))
        .mount(&server)
        .await;
    let session = Session::new(client(&server), UserLoginRequest::new("Admin", "zabbix"));
    let err = session
        .host_get(HostGetRequest::new(vec!["hostid".into()]))
        .await
        .expect_err("invalid params");
    assert_eq!(err.class(), Some(ErrorClass::InvalidInput));
    assert_eq!(session.login_count(), 1);
    let wrong = Mock::given(method("POST"))
        .and(body_partial_json(json!({"method": "user.login", "params": {"password": "wrong"}})))
        .respond_with(echoing(
            r#"{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params.","data":"Incorrect user name or password or account is temporarily blocked."},"id":1}"#,
        ))
        .with_priority(1);
    wrong.mount(&server).await;
    let err = client(&server)
        .user_login(UserLoginRequest::new("Admin", "wrong"))
        .await
        .expect_err("wrong password");
    assert_eq!(err.class(), Some(ErrorClass::BadCredentials));
}

mod check {
    use loginspec_tests::diagnostics::*;

    /// Lines: 6 session, 7 login, 8 carry.
    const PROVIDER: &str = "\
provider: acme
title: Acme
base_url: https://api.acme.test/
request:
  encodings: [json]
session:
  login: login
  carry: {in: header, name: Authorization, template: \"Bearer {value}\"}
";

    fn login(response: &str) -> String {
        format!("method: login\ndoc: Logs in.\npath: login\nresponse:\n{response}")
    }

    #[test]
    fn a_plain_string_answer_must_be_secret_to_be_the_key() {
        expect_only(
            &run(PROVIDER, &login("  type: string\n")),
            Want {
                message: "the answer of `login` is the session key, and is not secret",
                location: &at(PROVIDER_FILE, 7, 10),
                path: "session.login",
                hint: Some("add `secret: true` under `response`"),
            },
        );
    }

    #[test]
    fn an_object_answer_needs_a_key() {
        let response = "  fields:\n    - name: token\n      type: string\n      secret: true\n      doc: Token.\n";
        expect_only(
            &run(PROVIDER, &login(response)),
            Want {
                message: "the session has no `key`",
                location: &at(PROVIDER_FILE, 7, 3),
                path: "session",
                hint: Some("write `key: FIELD`"),
            },
        );
    }

    #[test]
    fn only_a_string_answer_is_secret() {
        expect_only(
            &run(PROVIDER, &login("  type: i64\n  secret: true\n")),
            Want {
                message: "only a `string` answer can be secret",
                location: &at(LOGIN_FILE, 6, 11),
                path: "response.secret",
                hint: Some("type: string"),
            },
        );
    }
}
