//! The request log: every request a provider's mock saw, what it answered and
//! which rules of the spec the request broke.
//!
//! A logged request keeps its raw bytes so a test can replay them, but its
//! `Debug` shows only their length: they hold passwords and keys.

use std::fmt;

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
