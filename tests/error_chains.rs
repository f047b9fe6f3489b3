//! Every error kind's `source()` chain: each level says something its
//! cause does not repeat (so `anyhow`/`eyre` reports print each text once),
//! and the root cause is reachable by downcasting.

use loginspec_client::erply;
use loginspec_runtime::{
    ApiError, ClientOptions, Error, ErrorClass, KeyError, ManualClock, SessionError,
};
use serde_json::json;
use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "erply-pa55word";

/// The chain's Display texts, after checking that no level repeats the
/// next one's text.
fn chain(error: &(dyn StdError + 'static)) -> Vec<String> {
    let mut texts = vec![error.to_string()];
    let mut level = error;
    while let Some(source) = level.source() {
        let (outer, inner) = (level.to_string(), source.to_string());
        assert!(
            !inner.is_empty() && !outer.contains(&inner),
            "{outer:?} repeats its source {inner:?}"
        );
        texts.push(inner);
        level = source;
    }
    // An `anyhow`-style report: every text once, none a secret.
    let report = texts.join(": ");
    assert!(!report.contains(PASSWORD), "{report}");
    texts
}

/// The first level of the chain that is a `T`.
fn find<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut level = Some(error);
    while let Some(current) = level {
        if let Some(found) = current.downcast_ref::<T>() {
            return Some(found);
        }
        level = current.source();
    }
    None
}

fn envelope(code: i64, records: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "status": {"request": "verifyUser", "requestUnixTime": 1370604415,
                   "responseStatus": if code == 0 { "ok" } else { "error" },
                   "errorCode": code, "errorField": null, "generationTime": 0.01},
        "records": records,
    }))
}

async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

fn client(base: &str) -> erply::Client {
    let options = ClientOptions::default()
        .base_url(format!("{base}/api/"))
        .timeout(Duration::from_secs(10));
    erply::Client::with_options("123456", options).expect("client")
}

fn session(base: &str) -> erply::Session {
    erply::Session::with_clock(
        client(base),
        erply::VerifyUserRequest::new("demo", PASSWORD),
        Arc::new(ManualClock::new()),
    )
}

#[tokio::test]
async fn transport_error_has_the_http_error_as_source() {
    // A port nothing listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        listener.local_addr().expect("address").port()
    };
    let error = client(&format!("http://127.0.0.1:{port}"))
        .verify_user(erply::VerifyUserRequest::new("demo", PASSWORD))
        .await
        .expect_err("nobody listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let texts = chain(&error);
    assert_eq!(texts[0], "could not reach the server");
    assert!(texts.len() >= 2, "{texts:?}");
    assert!(find::<reqwest::Error>(&error).is_some());
}

#[tokio::test]
async fn api_error_has_the_api_error_as_source() {
    let server = answering(envelope(1051, json!(null))).await;
    let error = client(&server.uri())
        .verify_user(erply::VerifyUserRequest::new("demo", PASSWORD))
        .await
        .expect_err("refused");
    let texts = chain(&error);
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert_eq!(texts[0], "erply rejected verifyUser");
    assert!(texts[1].ends_with("(code 1051, HTTP 200)"), "{texts:?}");
    let api = find::<ApiError<erply::VerifyUserError>>(&error).expect("the API error");
    assert_eq!(api.status, 200);
    // The generated error enum is an error of its own too.
    let kind: &dyn StdError = &api.kind;
    assert!(!kind.to_string().is_empty());
    assert!(kind.source().is_none());
}

#[tokio::test]
async fn decode_error_is_one_level() {
    let server = answering(ResponseTemplate::new(200).set_body_string("<html>")).await;
    let error = client(&server.uri())
        .verify_user(erply::VerifyUserRequest::new("demo", PASSWORD))
        .await
        .expect_err("not JSON");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(chain(&error).len(), 1);
}

#[tokio::test]
async fn refused_login_has_the_login_error_as_source() {
    let server = answering(envelope(1051, json!(null))).await;
    let session = session(&server.uri());
    let error = session
        .get_session_key_info(erply::GetSessionKeyInfoRequest::new())
        .await
        .expect_err("the login is refused");
    assert!(matches!(error, SessionError::Login(_)), "{error:?}");
    let texts = chain(&error);
    assert_eq!(
        texts[..2],
        ["could not log in", "erply rejected verifyUser"]
    );
    assert_eq!(texts.len(), 3, "{texts:?}");
    let login = find::<Error<erply::VerifyUserError>>(&error).expect("the login error");
    assert!(login.api().is_some());
    assert!(find::<ApiError<erply::VerifyUserError>>(&error).is_some());
    assert_eq!(error.class(), Some(ErrorClass::BadCredentials));
    // ensure_login reports the same way.
    let ensure = session.ensure_login().await.expect_err("still refused");
    assert_eq!(chain(&ensure), texts);
    assert!(ensure.login().and_then(Error::api).is_some());
}

#[tokio::test]
async fn failed_call_is_transparent_over_its_error() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::body_string_contains(
        "request=verifyUser",
    ))
    .respond_with(envelope(
        0,
        json!([{"userID": "5", "userName": "demo", "sessionKey": "k-1",
                    "sessionLength": 3600}]),
    ))
    .mount(&server)
    .await;
    Mock::given(method("POST"))
        .respond_with(envelope(1002, json!(null)))
        .mount(&server)
        .await;
    let error = session(&server.uri())
        .get_session_key_info(erply::GetSessionKeyInfoRequest::new())
        .await
        .expect_err("the call fails");
    assert!(matches!(error, SessionError::Call(_)), "{error:?}");
    let texts = chain(&error);
    assert_eq!(texts[0], "erply rejected getSessionKeyInfo");
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(error.api().is_some());
    assert!(find::<ApiError<erply::GetSessionKeyInfoError>>(&error).is_some());
}

#[tokio::test]
async fn key_refused_twice_is_one_level() {
    let server = answering(envelope(
        0,
        json!([{"userID": "5", "userName": "demo", "sessionKey": "k-1",
                "sessionLength": 3600}]),
    ))
    .await;
    let error = session(&server.uri())
        .with_key(|_key| async { Err::<(), KeyError<()>>(KeyError::Refused) })
        .await
        .expect_err("refused twice");
    assert_eq!(chain(&error).len(), 1);
    assert_eq!(error.class(), Some(ErrorClass::SessionExpired));
}
