//! A provider that exists only in this crate's own spec folder compiles
//! through `loginspec::client!` and makes real calls to a loopback server.

use loginspec::runtime::{ClientOptions, Error, ErrorClass, ErrorCode};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

loginspec::client!("specs/pass/acme");

async fn server_answering(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/session/sign-in"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer) -> acme::Client {
    acme::Client::with_options(ClientOptions::default().base_url(format!("{}/v2/", server.uri())))
        .expect("a client for the loopback server")
}

async fn only_request_body(server: &MockServer) -> String {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.headers.get("content-type").map(|v| v.to_str().unwrap()),
        Some("application/json")
    );
    String::from_utf8(request.body.clone()).expect("a UTF-8 body")
}

async fn success() {
    let server = server_answering(200, r#"{"accessToken":"tok-9f2","userId":4711,"expiresIn":3600}"#).await;
    let response = client_for(&server)
        .sign_in(acme::SignInRequest::new("jane", "pa55word").remember_me(true))
        .await
        .expect("a successful sign-in");
    assert_eq!(
        only_request_body(&server).await,
        r#"{"login":"jane","password":"pa55word","rememberMe":true}"#
    );
    assert_eq!(response.access_token.expose(), "tok-9f2");
    assert_eq!(response.user_id, 4711);
    assert_eq!(response.expires_in, Some(3600));
    // The token is a secret: Debug must not show it.
    let debug = format!("{response:?}");
    assert!(!debug.contains("tok-9f2"), "{debug}");
}

async fn wrong_password() {
    let server = server_answering(401, r#"{"error":{"code":40,"message":"bad login"}}"#).await;
    let err = client_for(&server)
        .sign_in(acme::SignInRequest::new("jane", "wrong"))
        .await
        .expect_err("an API error");
    assert_eq!(
        only_request_body(&server).await,
        r#"{"login":"jane","password":"wrong","rememberMe":false}"#
    );
    assert_eq!(err.class(), Some(ErrorClass::BadCredentials));
    match err {
        Error::Api { error, .. } => {
            assert_eq!(error.kind, acme::SignInError::WrongPassword);
            assert_eq!(error.status, 401);
            assert_eq!(error.message.as_deref(), Some("bad login"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

async fn provider_wide_and_unknown_codes() {
    let server = server_answering(200, r#"{"error":{"code":503,"message":"later"}}"#).await;
    let err = client_for(&server)
        .sign_in(acme::SignInRequest::new("jane", "pa55word"))
        .await
        .expect_err("an API error");
    assert_eq!(err.class(), Some(ErrorClass::Server));
    let server = server_answering(200, r#"{"error":{"code":99}}"#).await;
    match client_for(&server)
        .sign_in(acme::SignInRequest::new("jane", "pa55word"))
        .await
    {
        Err(Error::Api { error, .. }) => assert_eq!(
            error.kind,
            acme::SignInError::Unknown { code: ErrorCode::Int(99), message: None }
        ),
        other => panic!("expected an unknown API error, got {other:?}"),
    }
}

#[tokio::main]
async fn main() {
    success().await;
    wrong_password().await;
    provider_wide_and_unknown_codes().await;
}
