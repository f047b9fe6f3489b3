//! A stand-in Matrix homeserver (the wire of tests/peers/specs/synapse, as
//! the Matrix client-server API documents it) that counts logins and keeps
//! at most 10 sessions per user, closing the oldest when an 11th opens (as
//! Aukro does). It can forget every key (an expiry on the server's side) and
//! hold the next login answer back (a login that never ends).

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Sessions per user the stand-in keeps.
pub const CAP: usize = 10;

#[derive(Default)]
pub struct Counts {
    /// Login requests received, whatever their outcome.
    pub login_requests: u32,
    /// Logins that opened a session.
    pub logins: u32,
    /// Sessions closed because an 11th opened.
    pub evictions: u32,
    /// Calls answered with success.
    pub calls_ok: u32,
    /// Calls refused as an unknown token.
    pub calls_refused: u32,
}

#[derive(Default)]
struct State {
    counts: Counts,
    password: String,
    live: VecDeque<String>,
    /// The next login waits this long and then fails (its holder is killed).
    hang_next: Option<Duration>,
}

#[derive(Clone)]
pub struct StandIn {
    state: Arc<Mutex<State>>,
    pub server: Arc<MockServer>,
}

impl StandIn {
    pub async fn start(password: &str) -> StandIn {
        let state = Arc::new(Mutex::new(State {
            password: password.into(),
            ..State::default()
        }));
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/_matrix/client/v3/login"))
            .respond_with(Login(Arc::clone(&state)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/_matrix/client/v3/account/whoami"))
            .respond_with(Whoami(Arc::clone(&state)))
            .mount(&server)
            .await;
        StandIn {
            state,
            server: Arc::new(server),
        }
    }

    pub fn url(&self) -> String {
        format!("{}/", self.server.uri())
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().expect("stand-in state"))
    }

    pub fn counts(&self) -> (u32, u32, u32, u32, u32) {
        self.with(|s| {
            let c = &s.counts;
            (
                c.login_requests,
                c.logins,
                c.evictions,
                c.calls_ok,
                c.calls_refused,
            )
        })
    }

    /// The server forgets every key: the next call with one is refused.
    pub fn expire_all(&self) {
        self.with(|s| s.live.clear());
    }

    pub fn hang_next_login(&self, wait: Duration) {
        self.with(|s| s.hang_next = Some(wait));
    }

    pub fn login_requests(&self) -> u32 {
        self.with(|s| s.counts.login_requests)
    }
}

struct Login(Arc<Mutex<State>>);

impl Respond for Login {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let mut s = self.0.lock().expect("stand-in state");
        s.counts.login_requests += 1;
        if let Some(wait) = s.hang_next.take() {
            return ResponseTemplate::new(503).set_delay(wait);
        }
        if body["password"].as_str() != Some(s.password.as_str())
            || body["identifier"]["user"] != "fleet"
        {
            // The spec's refusal: 403 M_FORBIDDEN (login.yaml).
            return ResponseTemplate::new(403).set_body_json(
                json!({"errcode": "M_FORBIDDEN", "error": "Invalid username or password"}),
            );
        }
        s.counts.logins += 1;
        let token = format!("syt_ZmxlZXQ_{:06}", s.counts.logins);
        s.live.push_back(token.clone());
        while s.live.len() > CAP {
            s.live.pop_front();
            s.counts.evictions += 1;
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "user_id": "@fleet:localhost",
            "access_token": token,
            "device_id": format!("DEV{}", s.counts.logins),
            "home_server": "localhost",
            // Long enough that no key is renewed by time during a test: the
            // expiries the tests count are the server's (`expire_all`).
            "expires_in_ms": 60_000
        }))
    }
}

struct Whoami(Arc<Mutex<State>>);

impl Respond for Whoami {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default()
            .to_owned();
        let mut s = self.0.lock().expect("stand-in state");
        if s.live.contains(&token) {
            s.counts.calls_ok += 1;
            ResponseTemplate::new(200)
                .set_body_json(json!({"user_id": "@fleet:localhost", "is_guest": false}))
        } else {
            s.counts.calls_refused += 1;
            ResponseTemplate::new(401).set_body_json(json!({
                "errcode": "M_UNKNOWN_TOKEN",
                "error": "Invalid access token passed.",
                "soft_logout": false
            }))
        }
    }
}
