//! A stand-in Matrix homeserver (the wire of tests/peers/specs/synapse, as
//! the Matrix client-server API documents it) that counts logins and keeps
//! at most 10 sessions per user, closing the oldest when an 11th opens (as
//! Aukro does). It can forget every key (an expiry on the server's side),
//! hold the next login answer back (a login that never ends), end tokens by
//! time, with a lifetime that each call may restart, hand out refresh
//! tokens that rotate on every use ([`Rules`]), and log out.

use serde_json::{json, Value};
use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Sessions per user the stand-in keeps.
pub const CAP: usize = 10;

/// How the stand-in's sessions live.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules {
    /// The lifetime a login answers (`expires_in_ms`), and the server ends
    /// tokens by it. `None`: the answer says 60 s and no token ends by time
    /// (the tests' expiries are then the server's `expire_all`).
    pub lifetime: Option<Duration>,
    /// Every accepted call restarts its token's lifetime.
    pub sliding: bool,
    /// A login that asks for a refresh token gets one. A refresh answers a
    /// new access token and a new refresh token, and the old refresh token
    /// is spent: using it again is refused (403 `M_FORBIDDEN`, as Synapse
    /// answers a superseded token) and counted.
    pub refresh: bool,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
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
    /// Successful calls with a token older than its lifetime (it slid).
    pub calls_past_lifetime: u32,
    /// Logouts of a live token.
    pub logouts: u32,
    /// Refreshes that issued a new access token.
    pub refreshes: u32,
    /// Refresh requests with a token already spent.
    pub refresh_reuses: u32,
}

/// One open session: its token, when it was issued, and when it ends.
struct Device {
    token: String,
    issued: Instant,
    until: Option<Instant>,
    refresh: Option<String>,
}

#[derive(Default)]
struct State {
    counts: Counts,
    rules: Rules,
    password: String,
    live: VecDeque<Device>,
    /// Access tokens issued, by logins and refreshes.
    issued: u32,
    /// Refresh tokens that were used (and replaced).
    spent: HashSet<String>,
    /// The next login waits this long and then fails (its holder is killed).
    hang_next: Option<Duration>,
}

impl State {
    /// A new access token (and refresh token), and until when it lives.
    fn issue(&mut self) -> (String, String, Option<Instant>) {
        self.issued += 1;
        let n = self.issued;
        let until = self.rules.lifetime.map(|l| Instant::now() + l);
        (
            format!("syt_ZmxlZXQ_{n:06}"),
            format!("syr_ZmxlZXQ_{n:06}"),
            until,
        )
    }

    /// `expires_in_ms` of a login or refresh answer. Without a lifetime of
    /// its own, long enough that no key is renewed by time during a test.
    fn expires_in_ms(&self) -> u128 {
        self.rules.lifetime.map_or(60_000, |l| l.as_millis())
    }

    /// The live session whose token the request carries, if any.
    fn device(&mut self, request: &Request) -> Option<usize> {
        let token = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))?;
        let now = Instant::now();
        self.live
            .iter()
            .position(|d| d.token == token && d.until.is_none_or(|until| now < until))
    }
}

#[derive(Clone)]
pub struct StandIn {
    state: Arc<Mutex<State>>,
    pub server: Arc<MockServer>,
}

impl StandIn {
    pub async fn start(password: &str) -> StandIn {
        StandIn::with_rules(password, Rules::default()).await
    }

    pub async fn with_rules(password: &str, rules: Rules) -> StandIn {
        let state = Arc::new(Mutex::new(State {
            password: password.into(),
            rules,
            ..State::default()
        }));
        let server = MockServer::start().await;
        let route = |verb: &str, route: &str| {
            Mock::given(method(verb)).and(path(format!("/_matrix/client/v3/{route}")))
        };
        route("POST", "login")
            .respond_with(Login(Arc::clone(&state)))
            .mount(&server)
            .await;
        route("GET", "account/whoami")
            .respond_with(Whoami(Arc::clone(&state)))
            .mount(&server)
            .await;
        route("POST", "logout")
            .respond_with(Logout(Arc::clone(&state)))
            .mount(&server)
            .await;
        route("POST", "refresh")
            .respond_with(Refresh(Arc::clone(&state)))
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

    pub fn counts(&self) -> Counts {
        self.with(|s| s.counts.clone())
    }

    /// The server forgets every key: the next call with one is refused.
    pub fn expire_all(&self) {
        self.with(|s| s.live.clear());
    }

    /// Every access token expires now; the sessions and their refresh
    /// tokens stay.
    pub fn expire_access(&self) {
        let now = Instant::now();
        self.with(|s| s.live.iter_mut().for_each(|d| d.until = Some(now)));
    }

    pub fn hang_next_login(&self, wait: Duration) {
        self.with(|s| s.hang_next = Some(wait));
    }

    pub fn login_requests(&self) -> u32 {
        self.with(|s| s.counts.login_requests)
    }
}

/// The answer to a call with a token the server does not know (any more).
fn unknown_token() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(json!({
        "errcode": "M_UNKNOWN_TOKEN",
        "error": "Invalid access token passed.",
        "soft_logout": false
    }))
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
        let (token, refresh, until) = s.issue();
        let refresh = (s.rules.refresh && body["refresh_token"] == true).then_some(refresh);
        s.live.push_back(Device {
            token: token.clone(),
            issued: Instant::now(),
            until,
            refresh: refresh.clone(),
        });
        while s.live.len() > CAP {
            s.live.pop_front();
            s.counts.evictions += 1;
        }
        let mut answer = json!({
            "user_id": "@fleet:localhost",
            "access_token": token,
            "device_id": format!("DEV{}", s.counts.logins),
            "home_server": "localhost",
            "expires_in_ms": s.expires_in_ms()
        });
        if let Some(refresh) = refresh {
            answer["refresh_token"] = refresh.into();
        }
        ResponseTemplate::new(200).set_body_json(answer)
    }
}

struct Whoami(Arc<Mutex<State>>);

impl Respond for Whoami {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut s = self.0.lock().expect("stand-in state");
        let Some(at) = s.device(request) else {
            s.counts.calls_refused += 1;
            return unknown_token();
        };
        let now = Instant::now();
        let rules = s.rules;
        let device = &mut s.live[at];
        let past = rules.lifetime.is_some_and(|l| now > device.issued + l);
        if rules.sliding {
            device.until = rules.lifetime.map(|l| now + l);
        }
        s.counts.calls_ok += 1;
        s.counts.calls_past_lifetime += u32::from(past);
        ResponseTemplate::new(200)
            .set_body_json(json!({"user_id": "@fleet:localhost", "is_guest": false}))
    }
}

struct Logout(Arc<Mutex<State>>);

impl Respond for Logout {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut s = self.0.lock().expect("stand-in state");
        let Some(at) = s.device(request) else {
            return unknown_token();
        };
        s.live.remove(at);
        s.counts.logouts += 1;
        ResponseTemplate::new(200).set_body_json(json!({}))
    }
}

struct Refresh(Arc<Mutex<State>>);

impl Respond for Refresh {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let used = body["refresh_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let mut s = self.0.lock().expect("stand-in state");
        let Some(at) = s
            .live
            .iter()
            .position(|d| d.refresh.as_ref() == Some(&used))
        else {
            if s.spent.contains(&used) {
                s.counts.refresh_reuses += 1;
                return ResponseTemplate::new(403).set_body_json(
                    json!({"errcode": "M_FORBIDDEN", "error": "refresh token isn't valid anymore"}),
                );
            }
            return ResponseTemplate::new(401).set_body_json(
                json!({"errcode": "M_UNKNOWN_TOKEN", "error": "invalid refresh token"}),
            );
        };
        let (token, refresh, until) = s.issue();
        s.spent.insert(used);
        s.counts.refreshes += 1;
        let device = &mut s.live[at];
        device.token.clone_from(&token);
        device.refresh = Some(refresh.clone());
        device.issued = Instant::now();
        device.until = until;
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": token,
            "refresh_token": refresh,
            "expires_in_ms": s.expires_in_ms()
        }))
    }
}
