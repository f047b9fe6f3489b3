//! The generated `Session` of a provider with `session.refresh` (the Matrix
//! spec in tests/peers/specs/synapse) against a fake homeserver on
//! 127.0.0.1: the refresh request's exact bytes, rotation, the fallback to a
//! login, and a refresh token that never shows in an error. Wire facts are
//! those of docs/peers/synapse.md (f). Time comes from a `ManualClock`.

use loginspec::runtime::{ClientOptions, ErrorClass, ManualClock, SessionError};
use serde_json::json;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod peers {
    loginspec::client!("peers/specs/synapse");
}
use peers::synapse;

/// How the fake answers refreshes.
#[derive(Clone, Copy, Default, PartialEq)]
enum RefreshAnswer {
    /// A new access token and a new refresh token.
    #[default]
    Rotate,
    /// 403 M_FORBIDDEN, as for a superseded token.
    Forbidden,
    /// 200 with a body that is not JSON and repeats the token it was sent.
    Garbage,
}

#[derive(Default)]
struct Home {
    logins: u32,
    refreshes: u32,
    valid: HashSet<String>,
    /// Each refresh request: its body and whether it had an Authorization header.
    refresh_requests: Vec<(String, bool)>,
    login_bodies: Vec<serde_json::Value>,
    answer: RefreshAnswer,
}

#[derive(Clone, Default)]
struct Fake(Arc<Mutex<Home>>);

impl Fake {
    fn with<T>(&self, f: impl FnOnce(&mut Home) -> T) -> T {
        f(&mut self.0.lock().unwrap())
    }
}

impl Respond for Fake {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let body = String::from_utf8_lossy(&request.body).to_string();
        self.with(|h| match path {
            "/_matrix/client/v3/login" => {
                h.logins += 1;
                h.login_bodies.push(serde_json::from_str(&body).unwrap());
                let access = format!("syt_login_{}", h.logins);
                h.valid.insert(access.clone());
                ResponseTemplate::new(200).set_body_json(json!({
                    "user_id": "@bob:localhost", "access_token": access,
                    "home_server": "localhost", "device_id": "KOUAOUTVLV",
                    "expires_in_ms": 10000,
                    "refresh_token": format!("syr_login_{}", h.logins),
                }))
            }
            "/_matrix/client/v3/refresh" => {
                h.refreshes += 1;
                let authorized = request.headers.contains_key("authorization");
                h.refresh_requests.push((body.clone(), authorized));
                match h.answer {
                    RefreshAnswer::Rotate => {
                        let access = format!("syt_refresh_{}", h.refreshes);
                        h.valid.insert(access.clone());
                        ResponseTemplate::new(200).set_body_json(json!({
                            "access_token": access,
                            "refresh_token": format!("syr_rotated_{}", h.refreshes),
                            "expires_in_ms": 10000,
                        }))
                    }
                    RefreshAnswer::Forbidden => ResponseTemplate::new(403).set_body_json(
                        json!({"errcode": "M_FORBIDDEN", "error": "refresh token isn't valid anymore"}),
                    ),
                    RefreshAnswer::Garbage => {
                        ResponseTemplate::new(200).set_body_string(format!("oops {body}"))
                    }
                }
            }
            "/_matrix/client/v3/account/whoami" => {
                let token = request
                    .headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .unwrap_or_default();
                if h.valid.contains(token) {
                    ResponseTemplate::new(200).set_body_json(
                        json!({"user_id": "@bob:localhost", "device_id": "KOUAOUTVLV"}),
                    )
                } else {
                    ResponseTemplate::new(401).set_body_json(json!({
                        "errcode": "M_UNKNOWN_TOKEN", "error": "Access token has expired",
                        "soft_logout": true,
                    }))
                }
            }
            _ => ResponseTemplate::new(404),
        })
    }
}

async fn start() -> (MockServer, Fake, synapse::Session, Arc<ManualClock>) {
    let server = MockServer::start().await;
    let fake = Fake::default();
    Mock::given(wiremock::matchers::any())
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let client = synapse::Client::with_options(
        ClientOptions::default().base_url(format!("{}/", server.uri())),
    )
    .unwrap();
    let clock = Arc::new(ManualClock::new());
    let session = synapse::Session::with_clock(
        client,
        synapse::LoginRequest::new("bob", "bob-pw-2"),
        clock.clone(),
    );
    (server, fake, session, clock)
}

async fn whoami(session: &synapse::Session) {
    let me = session.whoami(synapse::WhoamiRequest::new()).await.unwrap();
    assert_eq!(me.user_id, "@bob:localhost");
}

#[tokio::test]
async fn a_due_token_is_refreshed_with_the_logins_refresh_token() {
    let (_server, fake, session, clock) = start().await;
    whoami(&session).await;
    // The login asked for a refresh token (the spec's default).
    fake.with(|h| assert_eq!(h.login_bodies[0]["refresh_token"], json!(true)));
    // 10 s lifetime, margin capped at half: due after 5 s.
    clock.advance(Duration::from_secs(5));
    whoami(&session).await;
    fake.with(|h| {
        assert_eq!(
            h.refresh_requests,
            [(r#"{"refresh_token":"syr_login_1"}"#.to_string(), false)]
        );
    });
    assert_eq!((session.login_count(), session.refresh_count()), (1, 1));
}

#[tokio::test]
async fn an_expired_token_is_refreshed_and_each_refresh_sends_the_rotated_token() {
    let (_server, fake, session, _clock) = start().await;
    whoami(&session).await;
    for _ in 0..2 {
        // The server forgets every access token: the next call gets 401.
        fake.with(|h| h.valid.clear());
        whoami(&session).await;
    }
    fake.with(|h| {
        let bodies: Vec<&str> = h.refresh_requests.iter().map(|(b, _)| b.as_str()).collect();
        assert_eq!(
            bodies,
            [
                r#"{"refresh_token":"syr_login_1"}"#,
                r#"{"refresh_token":"syr_rotated_1"}"#
            ]
        );
    });
    assert_eq!((session.login_count(), session.refresh_count()), (1, 2));
}

#[tokio::test]
async fn a_refused_refresh_falls_back_to_one_login() {
    let (_server, fake, session, _clock) = start().await;
    whoami(&session).await;
    fake.with(|h| {
        h.valid.clear();
        h.answer = RefreshAnswer::Forbidden;
    });
    whoami(&session).await;
    fake.with(|h| assert_eq!((h.logins, h.refreshes), (2, 1)));
    assert_eq!((session.login_count(), session.refresh_count()), (2, 0));
}

#[tokio::test]
async fn a_refresh_that_fails_to_decode_never_shows_its_token() {
    let (_server, fake, session, _clock) = start().await;
    whoami(&session).await;
    fake.with(|h| {
        h.valid.clear();
        h.answer = RefreshAnswer::Garbage;
    });
    let error = session
        .whoami(synapse::WhoamiRequest::new())
        .await
        .unwrap_err();
    assert!(matches!(error, SessionError::Login(_)), "{error:?}");
    assert_eq!(error.class(), None::<ErrorClass>);
    let shown = format!("{error} {error:?} {session:?}");
    assert!(shown.contains("oops"), "{shown}");
    assert!(!shown.contains("syr_login_1"), "{shown}");
    // No login in between: the next call refreshes with the same token.
    fake.with(|h| h.answer = RefreshAnswer::Rotate);
    whoami(&session).await;
    fake.with(|h| {
        assert_eq!(h.logins, 1);
        assert_eq!(
            h.refresh_requests[1].0,
            r#"{"refresh_token":"syr_login_1"}"#
        );
    });
}
