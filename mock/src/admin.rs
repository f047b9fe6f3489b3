//! The admin HTTP path: the in-process scenario and log API over HTTP, for
//! tests in other languages or processes (`loginspec mock`). Requests under
//! [`PREFIX`] are not logged and are not the provider's.
//!
//! | request | does |
//! |---|---|
//! | `GET /__loginspec/log` | the request log as JSON (no bodies, no query strings) |
//! | `GET /__loginspec/violations` | `{"violations": [{field, reason}], "dropped": N}`: every violation, those of requests the log let go included |
//! | `POST /__loginspec/next_error?name=X` | the next request gets documented error `X` |
//! | `POST /__loginspec/respond_raw?status=N` | the next request gets the posted body, status `N` |
//! | `POST /__loginspec/delay?ms=N` | every later answer waits `N` ms |
//! | `POST /__loginspec/expire_sessions` | every issued key expires |
//! | `POST /__loginspec/rotate_handshake` | a new session-id handshake value |
//! | `POST /__loginspec/advance?ms=N` | the mock clock moves on `N` ms |
//! | `POST /__loginspec/clear_log` | empties the log |

use crate::log::{Outcome, Violation};
use crate::provider::State;
use crate::ProviderMock;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

pub(crate) const PREFIX: &str = "/__loginspec/";

/// Status and JSON body of an admin request.
pub(crate) fn handle(
    state: &Arc<State>,
    verb: &str,
    path: &str,
    query: &[(String, String)],
    body: Vec<u8>,
) -> (u16, String) {
    let arg = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let number = |name: &str| arg(name).and_then(|v| v.parse::<u64>().ok());
    let mock = ProviderMock {
        state: state.clone(),
    };
    let done = (204, String::new());
    let bad = |reason: &str| (400, json!({ "error": reason }).to_string());
    match (verb, path) {
        ("GET", "log") => (200, log_json(&mock).to_string()),
        ("GET", "violations") => {
            let violations: Vec<Value> = mock.violations().iter().map(violation_json).collect();
            let body = json!({ "violations": violations, "dropped": mock.log_dropped() });
            (200, body.to_string())
        }
        ("POST", "next_error") => match arg("name") {
            Some(name) => match mock.next_error(name) {
                Ok(_) => done,
                Err(e) => (404, json!({ "error": e.to_string() }).to_string()),
            },
            None => bad("needs ?name="),
        },
        ("POST", "respond_raw") => match number("status").and_then(|s| u16::try_from(s).ok()) {
            Some(status) if (100..1000).contains(&status) => {
                mock.respond_raw(status, String::from_utf8_lossy(&body).into_owned());
                done
            }
            _ => bad("needs ?status= (100 to 999)"),
        },
        ("POST", "delay") => match number("ms") {
            Some(ms) => {
                mock.delay(Duration::from_millis(ms));
                done
            }
            None => bad("needs ?ms="),
        },
        ("POST", "expire_sessions") => {
            mock.expire_sessions();
            done
        }
        ("POST", "rotate_handshake") => {
            mock.rotate_handshake();
            done
        }
        ("POST", "advance") => match number("ms") {
            Some(ms) => {
                state.clock.advance(Duration::from_millis(ms));
                done
            }
            None => bad("needs ?ms="),
        },
        ("POST", "clear_log") => {
            mock.clear_log();
            done
        }
        _ => (404, json!({ "error": "no such admin request" }).to_string()),
    }
}

fn log_json(mock: &ProviderMock) -> Value {
    let entries: Vec<Value> = mock
        .log()
        .iter()
        .map(|l| {
            let outcome = match &l.outcome {
                Outcome::Success => json!("success"),
                Outcome::Error(name) => json!({ "error": name }),
                Outcome::Rejected => json!("rejected"),
                Outcome::Raw => json!("raw"),
                Outcome::Handshake => json!("handshake"),
            };
            // The query may carry a key: the path only.
            let path = l.target.split('?').next().unwrap_or("");
            json!({
                "method": l.method,
                "http_method": l.http_method,
                "path": path,
                "status": l.status,
                "outcome": outcome,
                "violations": l.violations.iter().map(violation_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    Value::Array(entries)
}

fn violation_json(v: &Violation) -> Value {
    json!({ "field": v.field, "reason": v.reason })
}
