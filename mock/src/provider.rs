//! One provider's mock: the state behind its server, and the decision for
//! each request (scenario, route, validation, session, credentials, answer).

use crate::accounts::{Account, Lockout};
use crate::answer::{self, Reply};
use crate::log::{Logged, Outcome, RequestLog, Violation, ViolationKind};
use crate::route::{self, Received};
use crate::scenario::{Next, Scenarios};
use crate::session::{Clock, KeyState, Sessions};
use crate::steps::HandedOut;
use crate::validate;
use crate::Derivations;
use loginspec_codegen::model::{
    Encoding, ErrorClass, ErrorVariant, Lifetime, Method, MethodSession, Provider, Session, Unit,
};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub(crate) struct State {
    pub(crate) provider: Provider,
    /// The path of the provider's base URL (`/api/`), which the mock serves too.
    pub(crate) base_path: String,
    pub(crate) base_url: String,
    pub(crate) derivations: Derivations,
    pub(crate) clock: Arc<Clock>,
    pub(crate) inner: Mutex<Inner>,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) sessions: Sessions,
    pub(crate) scenarios: Scenarios,
    pub(crate) log: RequestLog,
    pub(crate) account: Option<Account>,
    pub(crate) lockout: Lockout,
    /// What earlier steps of a login of several calls handed out.
    pub(crate) handed_out: HandedOut,
    /// The session-id handshake value handed out (made up on first use).
    pub(crate) handshake: Option<String>,
}

/// The path part of a base URL (`https://host/api/` → `/api/`).
pub(crate) fn base_path(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match rest.find('/') {
        Some(at) => rest[at..].to_string(),
        None => "/".to_string(),
    }
}

impl State {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves plain data behind.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The answer to one request, and how long to wait before sending it.
    pub(crate) fn respond(&self, rx: Received, target: String) -> (Reply, Duration) {
        let mut inner = self.lock();
        let delay = inner.scenarios.delay;
        let mut entry = Logged {
            method: None,
            http_method: rx.verb.clone(),
            target,
            status: 0,
            outcome: Outcome::Success,
            violations: Vec::new(),
            headers: rx.headers.clone(),
            body: rx.body.clone(),
        };
        let mut sent_id = None;
        let (mut reply, outcome) = self.decide(&mut inner, &rx, &mut entry, &mut sent_id);
        crate::protocol::echo_id(&self.provider, &mut reply, sent_id.as_ref());
        entry.status = reply.status;
        entry.outcome = outcome;
        inner.log.push(entry);
        (reply, delay)
    }

    /// The answer and its outcome; `sent_id` gets the request id sent, if any.
    fn decide(
        &self,
        inner: &mut Inner,
        rx: &Received,
        entry: &mut Logged,
        sent_id: &mut Option<serde_json::Value>,
    ) -> (Reply, Outcome) {
        if let Some(Next::Raw { .. }) = inner.scenarios.queue.front() {
            if let Some(Next::Raw { status, body }) = inner.scenarios.queue.pop_front() {
                let reply = Reply::new(status, "text/html; charset=utf-8", body);
                return (reply, Outcome::Raw);
            }
        }
        let provider = &self.provider;
        let index = match route::route(provider, rx) {
            Ok(index) => index,
            Err(violation) => {
                entry.violations.push(violation);
                return (answer::rejected(&entry.violations), Outcome::Rejected);
            }
        };
        let method = &provider.methods[index];
        entry.method = Some(method.wire.clone());
        let encoding = route::encoding_of(provider, method, rx);
        let mut checked = validate::check(
            provider,
            method,
            encoding,
            rx,
            &self.derivations,
            inner.account.as_ref(),
        );
        let steps = inner.handed_out.check(provider, index, &checked.values);
        checked.violations.extend(steps);
        entry.violations.extend(checked.violations.iter().cloned());
        sent_id.clone_from(&checked.request_id);
        let error = |variant: &ErrorVariant| {
            (
                answer::error(provider, method, variant, encoding),
                Outcome::Error(variant.name.clone()),
            )
        };
        // A queued error waits for the first request whose method documents it.
        let queued = inner.scenarios.queue.iter().position(
            |next| matches!(next, Next::Error(name) if find_variant(method, name).is_some()),
        );
        if let Some(Next::Error(name)) = queued.and_then(|at| inner.scenarios.queue.remove(at)) {
            if let Some(variant) = find_variant(method, &name) {
                return error(variant);
            }
        }
        if let Some(first) = checked.violations.first() {
            let variant = match first.kind {
                ViolationKind::MediaType => {
                    method.errors.iter().find(|v| v.http_status == Some(415))
                }
                ViolationKind::Input => by_class(method, ErrorClass::InvalidInput),
                ViolationKind::Session => by_class(method, ErrorClass::SessionExpired),
                ViolationKind::Shape => None,
            };
            return match variant {
                Some(variant) => error(variant),
                None => (answer::rejected(&checked.violations), Outcome::Rejected),
            };
        }
        let now = self.clock.now_ms();
        let session = provider.session.as_ref();
        if method.session != MethodSession::None {
            let sliding = session.is_some_and(|s| s.sliding);
            let state = match &checked.key {
                Some(key) => inner.sessions.check(key, now, sliding),
                None => KeyState::Unknown,
            };
            if state != KeyState::Live {
                return match by_class(method, ErrorClass::SessionExpired) {
                    Some(variant) => error(variant),
                    None => {
                        let v = Violation::new("session key", "is not a live key the mock issued");
                        entry.violations.push(v);
                        (answer::rejected(&entry.violations), Outcome::Rejected)
                    }
                };
            }
        }
        if method.session == MethodSession::None && inner.account.is_some() {
            if inner.lockout.locked() {
                let declared = inner.lockout.error.as_deref();
                let variant = declared
                    .and_then(|name| find_variant(method, name))
                    .or_else(|| by_class(method, ErrorClass::Locked));
                if let Some(variant) = variant {
                    return error(variant);
                }
            }
            if checked.bad_credentials {
                inner.lockout.failures = inner.lockout.failures.saturating_add(1);
                if let Some(variant) = by_class(method, ErrorClass::BadCredentials)
                    .or_else(|| by_class(method, ErrorClass::AccessDenied))
                {
                    return error(variant);
                }
                let v = Violation::new("credentials", "are not the account's");
                return (answer::rejected(&[v]), Outcome::Rejected);
            }
            inner.lockout.failures = 0;
        }
        // Credentials first, as servers check HTTP authentication before a
        // CSRF handshake value (a wrong password gets its error at once).
        let handshake = provider.protocol.handshake.as_ref();
        let sent = handshake.and_then(|(_, header)| rx.header(header));
        if let Some(reply) = crate::protocol::handshake(provider, &mut inner.handshake, sent) {
            return (reply, Outcome::Handshake);
        }
        // An earlier step of a login of several calls: no key, but what later steps take.
        let handed = inner.handed_out.hand_out(provider, index);
        if !handed.is_empty() {
            let reply = answer::success(provider, method, encoding, &handed);
            return (reply, Outcome::Success);
        }
        if let Some(session) = session {
            if session.login == index {
                return self.open(inner, now, session, method, encoding, &checked);
            }
            if let Some(refresh) = session.refresh.as_ref().filter(|r| r.method == index) {
                let token = checked.values.get(&refresh.param.wire).cloned();
                let spend = refresh.rotated.is_some();
                if !token.is_some_and(|t| inner.sessions.use_refresh(&t, spend)) {
                    let variant = by_class(method, ErrorClass::BadCredentials)
                        .or_else(|| by_class(method, ErrorClass::SessionExpired));
                    return match variant {
                        Some(variant) => error(variant),
                        None => {
                            let v = Violation::new(
                                refresh.param.wire.as_str(),
                                "is not a live refresh token the mock issued",
                            );
                            (answer::rejected(&[v]), Outcome::Rejected)
                        }
                    };
                }
                return self.open(inner, now, session, method, encoding, &checked);
            }
        }
        if method.session == MethodSession::End {
            if let Some(key) = &checked.key {
                inner.sessions.end(key);
            }
        }
        (
            answer::success(provider, method, encoding, &[]),
            Outcome::Success,
        )
    }
}

impl State {
    /// A login's or refresh's success: a new key (and refresh token) in the answer.
    fn open(
        &self,
        inner: &mut Inner,
        now: u64,
        session: &Session,
        method: &Method,
        encoding: Encoding,
        checked: &validate::Checked,
    ) -> (Reply, Outcome) {
        let refresh = session.refresh.as_ref();
        let is_refresh = refresh.is_some_and(|r| {
            self.provider.methods.get(r.method).map(|m| &m.wire) == Some(&method.wire)
        });
        let Some(key) = inner.sessions.issue(now, None) else {
            let v = Violation::new("session key", "could not be made: no random numbers");
            return (answer::rejected(&[v]), Outcome::Rejected);
        };
        let key_wire = match (refresh, is_refresh) {
            (Some(r), true) => r.key.wire.as_str(),
            _ if session.key_is_answer => "",
            _ => session.key.wire.as_str(),
        };
        let mut keys = vec![(key_wire.to_string(), key.clone())];
        let token_field = match (refresh, is_refresh) {
            (Some(r), true) => r.rotated.as_ref(),
            (Some(r), false) => Some(&r.token),
            (None, _) => None,
        };
        if let Some(field) = token_field {
            if let Some(token) = inner.sessions.issue_refresh() {
                keys.push((field.wire.clone(), token));
            }
        }
        let reply = answer::success(&self.provider, method, encoding, &keys);
        // A refresh answer states the new key's lifetime in its own field.
        let rule = match (
            refresh.and_then(|r| r.lifetime.as_ref()),
            is_refresh,
            &session.lifetime,
        ) {
            (Some(field), true, Lifetime::Response(_, unit)) => {
                Lifetime::Response(field.clone(), *unit)
            }
            (_, _, rule) => rule.clone(),
        };
        let lifetime = lifetime(method, &rule, &reply, encoding, &checked.values);
        inner.sessions.set_lifetime(&key, now, lifetime);
        (reply, Outcome::Success)
    }
}

/// How long a key issued with `reply` lives, as the spec says.
fn lifetime(
    method: &Method,
    rule: &Lifetime,
    reply: &Reply,
    encoding: Encoding,
    values: &std::collections::HashMap<String, String>,
) -> Option<Duration> {
    let count = |n: i64, unit: Unit| {
        let n = u64::try_from(n).ok().filter(|n| *n > 0)?;
        Some(match unit {
            Unit::Seconds => Duration::from_secs(n),
            Unit::Millis => Duration::from_millis(n),
        })
    };
    match rule {
        Lifetime::Unknown => None,
        Lifetime::Seconds(s) => Some(Duration::from_secs(*s)),
        Lifetime::Response(field, unit) => {
            let doc = answer::document(&reply.body, encoding)?;
            let value = doc.pointer(&answer::field_pointer(method, &field.wire))?;
            let n = value
                .as_i64()
                .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))?;
            count(n, *unit)
        }
        Lifetime::Param(field, unit) => count(values.get(&field.wire)?.parse().ok()?, *unit),
    }
}

fn by_class(method: &Method, class: ErrorClass) -> Option<&ErrorVariant> {
    method.errors.iter().find(|v| v.class == class)
}

/// A variant of the method's errors by name or by code.
pub(crate) fn find_variant<'m>(method: &'m Method, name: &str) -> Option<&'m ErrorVariant> {
    method.errors.iter().find(|v| v.name == name).or_else(|| {
        method
            .errors
            .iter()
            .find(|v| v.code.as_ref().is_some_and(|c| c.to_string() == name))
    })
}
