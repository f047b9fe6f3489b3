//! A login of several calls (`session.steps`), generated from
//! tests/steps/kratos: Ory Kratos's login for API clients opens a flow
//! (`GET /self-service/login/api` → `id`) and submits the password to it
//! (`POST /self-service/login?flow=<id>` → `session_token`). A fake on
//! 127.0.0.1 answers with the bytes of the vendor's docs
//! (https://www.ory.sh/docs/kratos/self-service/flows/user-login): the flow,
//! the session token, the 400 with message 4000006 for a wrong password, and
//! the 401 generic error of `sessions/whoami`.
//!
//! Why no real server: Kratos ships as a Go binary (not in apt, PyPI or npm),
//! and Synapse's two-call registration (user-interactive auth) cannot log in
//! twice (a second registration of the same user fails).

use loginspec::runtime::{ClientOptions, Error, ErrorClass, ManualClock, SessionError};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod steps {
    loginspec::client!("steps/kratos");
}
mod lenient {
    loginspec::client!("steps/kratos_optional_id");
}
use lenient::kratos_optional_id;
use steps::kratos;

const USER: &str = "api@user.org";
const PASSWORD: &str = "iohuasf0897zAJHf";
/// The flow id and the token of the docs' examples; later logins get others.
const DOCS_FLOW: &str = "9d17f37b-b60b-44f5-9812-4829a89810f7";
const DOCS_TOKEN: &str = "oFZzgLpsacUpUy2cvQPtrGa2046WcXCR";

#[derive(Default)]
struct Kratos {
    /// Flows opened, in order.
    flows: Vec<String>,
    /// Each submit: the `flow` query parameter and the JSON body.
    submits: Vec<(Option<String>, Value)>,
    /// Each whoami: its Authorization header.
    whoamis: Vec<Option<String>>,
    valid: HashSet<String>,
    /// The flow answer leaves out `id`.
    flow_without_id: bool,
}

#[derive(Clone, Default)]
struct Fake(Arc<Mutex<Kratos>>);

impl Fake {
    fn with<T>(&self, f: impl FnOnce(&mut Kratos) -> T) -> T {
        f(&mut self.0.lock().unwrap())
    }
}

fn flow_answer(id: &str, with_id: bool) -> Value {
    let mut flow = json!({
        "id": id,
        "type": "api",
        "expires_at": "2021-07-09T11:26:04.019418543Z",
        "issued_at": "2021-07-09T10:26:04.019418543Z",
        "request_url": "http://playground.projects.oryapis.com/self-service/login/api",
        "ui": {
            "action": format!("https://playground.projects.oryapis.com/self-service/login?flow={id}"),
            "method": "POST",
            "nodes": []
        }
    });
    if !with_id {
        flow.as_object_mut().unwrap().remove("id");
    }
    flow
}

impl Respond for Fake {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().to_string();
        let method = request.method.to_string();
        self.with(|k| match (method.as_str(), path.as_str()) {
            ("GET", "/self-service/login/api") => {
                let id = match k.flows.len() {
                    0 => DOCS_FLOW.to_string(),
                    n => format!("flow-{}", n + 1),
                };
                k.flows.push(id.clone());
                ResponseTemplate::new(200).set_body_json(flow_answer(&id, !k.flow_without_id))
            }
            ("POST", "/self-service/login") => {
                let flow = request
                    .url
                    .query_pairs()
                    .find(|(name, _)| name == "flow")
                    .map(|(_, value)| value.into_owned());
                let body: Value = serde_json::from_slice(&request.body).unwrap();
                k.submits.push((flow.clone(), body.clone()));
                if body["password"] != json!(PASSWORD) {
                    let id = flow.unwrap_or_default();
                    return ResponseTemplate::new(400).set_body_json(json!({
                        "id": id, "type": "api",
                        "ui": {
                            "action": format!("https://playground.projects.oryapis.com/self-service/login?flow={id}"),
                            "method": "POST", "nodes": [],
                            "messages": [{
                                "id": 4000006,
                                "text": "The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.",
                                "type": "error", "context": {}
                            }]
                        }
                    }));
                }
                let token = match k.submits.len() {
                    1 => DOCS_TOKEN.to_string(),
                    n => format!("token-{n}"),
                };
                k.valid.insert(token.clone());
                ResponseTemplate::new(200).set_body_json(json!({
                    "session_token": token,
                    "session": {
                        "id": "8f660ce3-69ec-4aeb-9fda-f9230dc3243f",
                        "active": true,
                        "identity": {"id": "bf32596a-f853-47c4-91e6-a3f41cf4949d"}
                    }
                }))
            }
            ("GET", "/sessions/whoami") => {
                let auth = request
                    .headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                k.whoamis.push(auth.clone());
                let token = auth.as_deref().and_then(|a| a.strip_prefix("Bearer "));
                if token.is_some_and(|t| k.valid.contains(t)) {
                    ResponseTemplate::new(200).set_body_json(json!({
                        "id": "d09fc470-9e11-4e70-855f-0dc1aee7e501",
                        "active": true,
                        "identity": {"id": "9ee8fb81-9d5c-47a7-9cee-28a0f64dccbb"}
                    }))
                } else {
                    ResponseTemplate::new(401).set_body_json(json!({"error": {
                        "code": 401, "status": "Unauthorized",
                        "reason": "No valid session credentials found in the request.",
                        "message": "The request could not be authorized"
                    }}))
                }
            }
            _ => ResponseTemplate::new(404),
        })
    }
}

async fn start(password: &str) -> (MockServer, Fake, kratos::Session) {
    let server = MockServer::start().await;
    let fake = Fake::default();
    Mock::given(wiremock::matchers::any())
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let client = kratos::Client::with_options(
        ClientOptions::default().base_url(format!("{}/", server.uri())),
    )
    .unwrap();
    let session = kratos::Session::with_clock(
        client,
        kratos::LoginCredentials::new(USER, password),
        Arc::new(ManualClock::new()),
    );
    (server, fake, session)
}

type WhoamiResult = Result<
    kratos::SessionsWhoamiResponse,
    SessionError<kratos::SessionsWhoamiError, kratos::LoginStepFailure>,
>;

async fn whoami(session: &kratos::Session) -> WhoamiResult {
    session
        .sessions_whoami(kratos::SessionsWhoamiRequest::new())
        .await
}

/// The submit the docs show: the flow id from the first answer in the
/// query, the identifier and password in a JSON body.
fn submitted(flow: &str) -> (Option<String>, Value) {
    (
        Some(flow.to_string()),
        json!({"identifier": USER, "password": PASSWORD, "method": "password"}),
    )
}

#[tokio::test]
async fn the_login_runs_its_steps_in_turn_and_later_calls_carry_the_token() {
    let (_server, fake, session) = start(PASSWORD).await;
    let me = whoami(&session).await.unwrap();
    assert!(me.active);
    fake.with(|k| {
        assert_eq!(k.flows, [DOCS_FLOW]);
        assert_eq!(k.submits, [submitted(DOCS_FLOW)]);
        assert_eq!(k.whoamis, [Some(format!("Bearer {DOCS_TOKEN}"))]);
    });
    // The next call reuses the token: no second login.
    whoami(&session).await.unwrap();
    fake.with(|k| assert_eq!((k.flows.len(), k.submits.len(), k.whoamis.len()), (1, 1, 2)));
    assert_eq!(session.login_count(), 1);
}

#[tokio::test]
async fn a_wrong_password_is_bad_credentials_of_the_step_that_refused_it() {
    let wrong = "not-the-password-7f3a";
    let (_server, fake, session) = start(wrong).await;
    let error = whoami(&session).await.unwrap_err();
    assert_eq!(error.class(), Some(ErrorClass::BadCredentials));
    let SessionError::Login(login) = &error else {
        panic!("not a login failure: {error}");
    };
    let Error::Api {
        method, error: api, ..
    } = &**login
    else {
        panic!("not an API error: {login}");
    };
    assert_eq!(*method, "self-service/login");
    assert_eq!(api.status, 400);
    assert_eq!(
        api.kind,
        kratos::LoginStepFailure::SelfServiceLogin(
            kratos::SelfServiceLoginError::InvalidCredentials
        )
    );
    assert_eq!(api.kind.step(), "self-service/login");
    // The step is named in the API error, at the end of the source chain.
    let text = loginspec_tests::errors::report(&error);
    assert!(text.contains("login step `self-service/login`"), "{text}");
    for shown in [text, format!("{error:?}"), format!("{session:?}")] {
        assert!(!shown.contains(wrong), "the password shows: {shown}");
    }
    // Bad credentials hold logins back: no flow is opened again.
    assert_eq!(
        whoami(&session).await.unwrap_err().class(),
        Some(ErrorClass::BadCredentials)
    );
    fake.with(|k| {
        assert_eq!((k.flows.len(), k.submits.len()), (1, 1));
        assert!(k.whoamis.is_empty());
    });
}

#[tokio::test]
async fn a_first_answer_without_the_flow_id_is_an_undecodable_login() {
    let (_server, fake, session) = start(PASSWORD).await;
    fake.with(|k| k.flow_without_id = true);
    let error = whoami(&session).await.unwrap_err();
    let SessionError::Login(login) = &error else {
        panic!("not a login failure: {error}");
    };
    let Error::Decode { status, reason, .. } = &**login else {
        panic!("not undecodable: {login}");
    };
    assert_eq!(*status, 200);
    assert!(
        reason.contains("login step `self-service/login/api`"),
        "{reason}"
    );
    assert!(reason.contains("`id`"), "{reason}");
    // The second step was never sent.
    fake.with(|k| assert!(k.submits.is_empty() && k.whoamis.is_empty()));
}

#[tokio::test]
async fn a_missing_flow_id_declared_optional_is_checked_before_the_next_step() {
    let (server, fake, _) = start(PASSWORD).await;
    fake.with(|k| k.flow_without_id = true);
    let client = kratos_optional_id::Client::with_options(
        ClientOptions::default().base_url(format!("{}/", server.uri())),
    )
    .unwrap();
    let session = kratos_optional_id::Session::new(
        client,
        kratos_optional_id::LoginCredentials::new(USER, PASSWORD),
    );
    let error = session
        .sessions_whoami(kratos_optional_id::SessionsWhoamiRequest::new())
        .await
        .unwrap_err();
    let SessionError::Login(login) = &error else {
        panic!("not a login failure: {error}");
    };
    let Error::Decode { status, reason, .. } = &**login else {
        panic!("not undecodable: {login}");
    };
    assert_eq!(*status, 200);
    assert_eq!(
        reason,
        "the answer of login step `self-service/login/api` has no `id`, which a later step needs"
    );
    fake.with(|k| assert!(k.submits.is_empty() && k.whoamis.is_empty()));
}

#[tokio::test]
async fn concurrent_calls_share_one_login_through_all_steps() {
    let (_server, fake, session) = start(PASSWORD).await;
    let calls = (0..6).map(|_| whoami(&session));
    for result in futures_join(calls).await {
        result.unwrap();
    }
    fake.with(|k| {
        assert_eq!(k.flows, [DOCS_FLOW]);
        assert_eq!(k.submits, [submitted(DOCS_FLOW)]);
        assert_eq!(k.whoamis.len(), 6);
    });
    assert_eq!(session.login_count(), 1);
}

#[tokio::test]
async fn an_expired_token_logs_in_again_through_every_step() {
    let (_server, fake, session) = start(PASSWORD).await;
    whoami(&session).await.unwrap();
    // The server ends the session: the next call gets the 401 generic error.
    fake.with(|k| k.valid.clear());
    whoami(&session).await.unwrap();
    fake.with(|k| {
        // A new flow, and the submit went to it.
        assert_eq!(k.flows, [DOCS_FLOW, "flow-2"]);
        assert_eq!(k.submits, [submitted(DOCS_FLOW), submitted("flow-2")]);
        assert_eq!(
            k.whoamis,
            [
                Some(format!("Bearer {DOCS_TOKEN}")),
                Some(format!("Bearer {DOCS_TOKEN}")),
                Some("Bearer token-2".to_string()),
            ]
        );
    });
    assert_eq!(session.login_count(), 2);
}

/// Polls every call at once on this task, so they overlap at their first
/// await (the login in flight) without threads or timing.
async fn futures_join<F: std::future::Future>(calls: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut pending: Vec<_> = calls.map(Box::pin).collect();
    let mut done: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (call, slot) in pending.iter_mut().zip(done.iter_mut()) {
            if slot.is_none() {
                match call.as_mut().poll(cx) {
                    std::task::Poll::Ready(out) => *slot = Some(out),
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    done.into_iter()
        .map(|o| o.expect("every call finished"))
        .collect()
}
