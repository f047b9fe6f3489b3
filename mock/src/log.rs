//! The request log: the requests a provider's mock saw, what it answered and
//! which rules of the spec each request broke.
//!
//! A logged request keeps its raw bytes so a test can replay them, but its
//! `Debug` shows only their length: they hold passwords and keys. The log
//! keeps the latest requests up to a limit, so a mock that serves for days
//! does not grow without end; the violations of the requests it lets go are
//! kept apart (the first ones, up to the same limit), so a run that broke a
//! rule never looks clean.

use std::collections::VecDeque;
use std::fmt;

/// How many requests a provider's log keeps unless told otherwise.
pub const DEFAULT_LOG_LIMIT: usize = 10_000;

/// One way a request broke its spec. Names the rule and the field, never a
/// received value (it may be a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The wire name, header or part of the request concerned (`"body"`,
    /// `"Content-Type"`, `"userLogin"`).
    pub field: String,
    pub reason: String,
    /// The error class the spec answers this kind of violation with.
    pub(crate) kind: ViolationKind,
}

/// What kind of rule a violation broke; chooses the documented error, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ViolationKind {
    /// Routing, method, path, body syntax, unknown members.
    Shape,
    /// The media type of the body.
    MediaType,
    /// A required value missing, or a value of the wrong type or out of its constraints.
    Input,
    /// No session key where the spec carries it.
    Session,
}

impl Violation {
    pub(crate) fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Violation {
            field: field.into(),
            reason: reason.into(),
            kind: ViolationKind::Shape,
        }
    }

    pub(crate) fn input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Violation {
            kind: ViolationKind::Input,
            ..Violation::new(field, reason)
        }
    }

    pub(crate) fn session(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Violation {
            kind: ViolationKind::Session,
            ..Violation::new(field, reason)
        }
    }

    pub(crate) fn media_type(reason: impl Into<String>) -> Self {
        Violation {
            kind: ViolationKind::MediaType,
            ..Violation::new("Content-Type", reason)
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.reason)
    }
}

/// How the mock answered a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The method's success answer.
    Success,
    /// A documented error of the method, by variant name.
    Error(String),
    /// An HTTP 400 naming the violation (the spec documents no error for it).
    Rejected,
    /// A raw answer queued with `respond_raw`.
    Raw,
    /// The spec's session-id handshake: the request lacked the current
    /// value, and got the handshake status with it.
    Handshake,
}

/// One request as the mock received it, and its fate.
#[derive(Clone)]
pub struct Logged {
    /// The wire name of the method it was routed to, if any.
    pub method: Option<String>,
    /// `GET`, `POST`, ...
    pub http_method: String,
    /// Path and query as sent. The query can hold a key (a token carried
    /// in the query): keep it out of output, as `Debug` does.
    pub target: String,
    pub status: u16,
    pub outcome: Outcome,
    pub violations: Vec<Violation>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Logged {
    /// The request's headers as received (secrets included: keep them out of output).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The request body as received (secrets included: keep it out of output).
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl fmt::Debug for Logged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The target can hold a key in its query (Aktion's `Token`): show the path only.
        let path = self.target.split('?').next().unwrap_or("");
        f.debug_struct("Logged")
            .field("method", &self.method)
            .field("http_method", &self.http_method)
            .field("path", &path)
            .field("status", &self.status)
            .field("outcome", &self.outcome)
            .field("violations", &self.violations)
            .field("headers", &self.headers.len())
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// One provider's request log, bounded (module docs).
#[derive(Debug)]
pub(crate) struct RequestLog {
    entries: VecDeque<Logged>,
    limit: usize,
    /// Violations of requests let go for the limit, oldest first, at most
    /// `limit` of them.
    earlier_violations: Vec<Violation>,
    /// Requests let go for the limit since the log was last cleared.
    dropped: u64,
}

impl Default for RequestLog {
    fn default() -> Self {
        RequestLog::new(DEFAULT_LOG_LIMIT)
    }
}

impl RequestLog {
    /// A log of at most `limit` requests (at least one).
    pub(crate) fn new(limit: usize) -> Self {
        RequestLog {
            entries: VecDeque::new(),
            limit: limit.max(1),
            earlier_violations: Vec::new(),
            dropped: 0,
        }
    }

    pub(crate) fn push(&mut self, entry: Logged) {
        if self.entries.len() >= self.limit {
            if let Some(oldest) = self.entries.pop_front() {
                let room = self.limit.saturating_sub(self.earlier_violations.len());
                self.earlier_violations
                    .extend(oldest.violations.into_iter().take(room));
                self.dropped += 1;
            }
        }
        self.entries.push_back(entry);
    }

    /// The requests kept, oldest first.
    pub(crate) fn entries(&self) -> Vec<Logged> {
        self.entries.iter().cloned().collect()
    }

    /// The violations of every request kept, after those kept of the
    /// requests let go.
    pub(crate) fn violations(&self) -> Vec<Violation> {
        self.earlier_violations
            .iter()
            .chain(self.entries.iter().flat_map(|l| &l.violations))
            .cloned()
            .collect()
    }

    pub(crate) fn dropped(&self) -> u64 {
        self.dropped
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.earlier_violations.clear();
        self.dropped = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(violations: usize) -> Logged {
        Logged {
            method: None,
            http_method: "POST".into(),
            target: "/".into(),
            status: 200,
            outcome: Outcome::Success,
            violations: (0..violations)
                .map(|i| Violation::new(format!("field{i}"), "broken"))
                .collect(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn the_log_keeps_the_latest_requests_and_every_early_violation() {
        let mut log = RequestLog::new(3);
        log.push(request(2));
        for _ in 0..5 {
            log.push(request(0));
        }
        assert_eq!(log.entries().len(), 3);
        assert_eq!(log.dropped(), 3);
        assert_eq!(
            log.violations().len(),
            2,
            "the first request's violations stay"
        );
        log.push(request(1));
        assert_eq!(log.violations().len(), 3);
        log.clear();
        assert!(log.entries().is_empty() && log.violations().is_empty());
        assert_eq!(log.dropped(), 0);
    }

    #[test]
    fn violations_of_dropped_requests_are_kept_up_to_the_limit() {
        let mut log = RequestLog::new(2);
        for _ in 0..4 {
            log.push(request(5));
        }
        // Two requests let go: at most 2 of their 10 violations, then 10 kept.
        assert_eq!(log.violations().len(), 2 + 10);
        assert_eq!(log.violations()[0].field, "field0");
    }
}
