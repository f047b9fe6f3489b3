//! What a call can fail with.

use std::fmt;
use std::time::Duration;

/// An error code as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// A numeric code (Wialon `error`, Erply `errorCode`, Aktion `Code`).
    Int(i64),
    /// A textual code (Aukro's SOAP `faultcode`, such as `ERR_USER_PASSWD`).
    Text(String),
    /// No code in the body: the HTTP status is all there is.
    HttpStatus(u16),
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Int(code) => write!(f, "{code}"),
            ErrorCode::Text(code) => f.write_str(code),
            ErrorCode::HttpStatus(status) => write!(f, "HTTP {status}"),
        }
    }
}

/// What an API error means for the caller; drives retries and re-login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// Wrong user name, password, key or token: retrying will not help.
    BadCredentials,
    /// The session or token is no longer valid: log in again.
    SessionExpired,
    /// Too many requests: back off before trying again. A `Session` whose
    /// login gets this waits (the server's `Retry-After`, the spec's
    /// cool-down, or a minute) before it logs in again.
    RateLimited,
    /// The account is locked, or a person must act (solve a CAPTCHA, change
    /// the password on the web site) before a login can succeed. Logging in
    /// again only extends the lock: a `Session` stops until the credentials
    /// change or the spec's cool-down has passed.
    Locked,
    /// The request itself was wrong.
    InvalidInput,
    /// The account or key may not do this.
    AccessDenied,
    /// The server failed; a later retry may succeed.
    Server,
    /// Anything else, including codes the spec does not know.
    Other,
}

/// Implemented by each generated per-method error enum.
pub trait ApiErrorKind: fmt::Debug + fmt::Display + Sized {
    /// Maps a code from the wire to a variant (`Unknown` when undocumented).
    fn from_code(code: ErrorCode, message: Option<String>) -> Self;
    /// Maps a code to a variant knowing what else the answer said (its
    /// message as received and its headers), for entries refined by `match`.
    fn from_answer(
        code: ErrorCode,
        message: Option<String>,
        facts: &crate::facts::AnswerFacts<'_>,
    ) -> Self {
        let _ = facts;
        Self::from_code(code, message)
    }
    /// The code this error has on the wire.
    fn code(&self) -> ErrorCode;
    /// What the error means for the caller.
    fn class(&self) -> ErrorClass;
    /// How long the spec says to wait before trying again (`cooldown`).
    fn cooldown(&self) -> Option<Duration> {
        None
    }
}

/// An error the API reported, with the HTTP status and the server's own message.
///
/// The message (and a textual code) comes from the server: a call hands it
/// over with every secret of the call blanked, control characters escaped and
/// its length capped, so it is safe to log.
///
/// `Display` is the error's own text with its code and status, such as
/// `Login failed (code 1051, HTTP 200)`; it is the last link of an
/// [`Error::Api`]'s [`source`](std::error::Error::source) chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError<E> {
    pub kind: E,
    pub status: u16,
    pub message: Option<String>,
    /// How many seconds the server asked to wait (`Retry-After`, sent as
    /// seconds or as a date), counted from when the answer arrived; at most
    /// a day. Whole seconds keep `Error` small.
    pub retry_after_secs: Option<u32>,
}

impl<E: ApiErrorKind> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.kind.code();
        match code {
            // A status-only error: the code is the status.
            ErrorCode::HttpStatus(_) => write!(f, "{} ({code})", self.kind),
            _ => write!(f, "{} (code {code}, HTTP {})", self.kind, self.status),
        }
    }
}

impl<E: ApiErrorKind> std::error::Error for ApiError<E> {}

/// Everything a generated method can fail with.
///
/// `Display` is one short sentence; what caused it (the API's own error, the
/// HTTP library's) is its [`source`](std::error::Error::source), so error
/// reporters (`anyhow`, `eyre`, `tracing`) print each cause once.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E: ApiErrorKind> {
    /// The server answered with an error the method documents (or an unknown
    /// code). The [`ApiError`] is its source.
    Api {
        provider: &'static str,
        method: &'static str,
        error: ApiError<E>,
    },
    /// A parameter failed a client-side check; nothing was sent.
    Invalid { field: &'static str, reason: String },
    /// The server could not be reached, or the connection failed before an
    /// answer began. The HTTP library's error is its source.
    Transport(reqwest::Error),
    /// The server answered with this status, but the connection ended before
    /// the whole body came (fewer bytes than its `Content-Length`, or broken
    /// chunked framing).
    Truncated {
        status: u16,
        /// Body bytes received before the connection ended.
        received: usize,
        /// The length the server announced, if it did.
        expected: Option<u64>,
        source: reqwest::Error,
    },
    /// The server redirected the call and the client did not follow: the
    /// target has another origin, or [`Redirects`](crate::Redirects) does
    /// not allow redirects (the default). Nothing is sent to the target.
    ///
    /// With a caller's own `reqwest::Client` that followed a redirect to
    /// another origin itself, `status` is that of the answer from there,
    /// which is refused too.
    Redirect {
        status: u16,
        /// The target's `scheme://host:port`; never its path or query.
        origin: String,
    },
    /// No complete answer within the configured time.
    Timeout(Duration),
    /// The server answered, but not with anything the method can read.
    /// `reason` and `excerpt` have secrets blanked, control characters
    /// escaped and a bounded length.
    Decode {
        status: u16,
        reason: String,
        excerpt: String,
    },
}

impl<E: ApiErrorKind> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                provider, method, ..
            } => write!(f, "{provider} rejected {method}"),
            Error::Invalid { field, reason } => write!(f, "invalid parameter `{field}`: {reason}"),
            Error::Transport(_) => f.write_str("could not reach the server"),
            Error::Truncated {
                status,
                received,
                expected,
                ..
            } => write!(
                f,
                "the server answered (HTTP {status}) but the answer was cut off after {received} bytes{}",
                of_expected(*expected)
            ),
            Error::Redirect { status, origin } => {
                write!(f, "the call was redirected (HTTP {status}) to {origin}; refused")
            }
            Error::Timeout(after) => write!(f, "no answer within {after:?}"),
            Error::Decode {
                status,
                reason,
                excerpt,
            } => write!(
                f,
                "undecodable response (HTTP {status}): {reason}; body starts: \"{excerpt}\""
            ),
        }
    }
}

impl<E: ApiErrorKind + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::Transport(source) | Error::Truncated { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn of_expected(expected: Option<u64>) -> String {
    expected
        .map(|n| format!(" of the {n} announced"))
        .unwrap_or_default()
}

impl<E: ApiErrorKind> Error<E> {
    /// The API error, when the server sent one.
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Any failure but an API error, as the error of another method (a
    /// session reports a refresh that could not be sent as its login's
    /// failure); the API error itself otherwise.
    pub fn without_api<F: ApiErrorKind>(self) -> Result<Error<F>, ApiError<E>> {
        Ok(match self {
            Error::Api { error, .. } => return Err(error),
            Error::Invalid { field, reason } => Error::Invalid { field, reason },
            Error::Transport(e) => Error::Transport(e),
            Error::Truncated {
                status,
                received,
                expected,
                source,
            } => Error::Truncated {
                status,
                received,
                expected,
                source,
            },
            Error::Redirect { status, origin } => Error::Redirect { status, origin },
            Error::Timeout(d) => Error::Timeout(d),
            Error::Decode {
                status,
                reason,
                excerpt,
            } => Error::Decode {
                status,
                reason,
                excerpt,
            },
        })
    }

    /// The class of an API error; `None` for failures that are not the API's answer.
    pub fn class(&self) -> Option<ErrorClass> {
        self.api().map(|e| e.kind.class())
    }
}

/// A client-side check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub reason: String,
}

/// A client could not be built from its options.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("base URL {url:?} is not a valid URL: {reason}")]
    BaseUrl { url: String, reason: String },
    #[error("encoding {0:?} is not supported by this provider")]
    Encoding(crate::protocol::Encoding),
    #[error("invalid client setting `{field}`: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("could not build the HTTP client")]
    Http(#[source] reqwest::Error),
}

/// A documented code as generated tables write it (no allocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentedCode {
    Int(i64),
    Text(&'static str),
    /// A status-only error: no code in the body, only this HTTP status.
    HttpStatus(u16),
}

impl DocumentedCode {
    /// Whether `code` from the wire is this documented code.
    pub fn matches(&self, code: &ErrorCode) -> bool {
        match (self, code) {
            (DocumentedCode::Int(a), ErrorCode::Int(b)) => a == b,
            (DocumentedCode::Text(a), ErrorCode::Text(b)) => a == b,
            (DocumentedCode::HttpStatus(a), ErrorCode::HttpStatus(b)) => a == b,
            _ => false,
        }
    }

    /// The code as an [`ErrorCode`].
    pub fn to_code(&self) -> ErrorCode {
        match *self {
            DocumentedCode::Int(i) => ErrorCode::Int(i),
            DocumentedCode::Text(t) => ErrorCode::Text(t.to_string()),
            DocumentedCode::HttpStatus(s) => ErrorCode::HttpStatus(s),
        }
    }
}

/// One documented error of a method: its code, class and `Display` text.
///
/// Each generated error enum keeps a table of these, one row per variant in
/// declaration order. Looking codes up, and `code()`, `class()` and
/// `Display`, are done here once instead of as match arms repeated in every
/// method's generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorEntry {
    pub code: DocumentedCode,
    pub class: ErrorClass,
    /// The `Display` text (the first line of the spec's doc).
    pub text: &'static str,
}

impl ErrorEntry {
    /// Row of `table` that documents `code`, if any.
    pub fn find(table: &[ErrorEntry], code: &ErrorCode) -> Option<usize> {
        table.iter().position(|entry| entry.code.matches(code))
    }
}

/// What a generated error value is: a documented row, or an unknown code.
/// Generated `code()`, `class()` and `Display` go through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorView<'a> {
    Documented(&'static ErrorEntry),
    Unknown {
        code: &'a ErrorCode,
        message: Option<&'a str>,
    },
}

impl ErrorView<'_> {
    pub fn code(&self) -> ErrorCode {
        match self {
            ErrorView::Documented(entry) => entry.code.to_code(),
            ErrorView::Unknown { code, .. } => (*code).clone(),
        }
    }

    pub fn class(&self) -> ErrorClass {
        match self {
            ErrorView::Documented(entry) => entry.class,
            ErrorView::Unknown { .. } => ErrorClass::Other,
        }
    }
}

impl fmt::Display for ErrorView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorView::Documented(entry) => f.write_str(entry.text),
            ErrorView::Unknown {
                code,
                message: Some(message),
            } => write!(f, "undocumented error {code}: {message}"),
            ErrorView::Unknown {
                code,
                message: None,
            } => write!(f, "undocumented error {code}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[ErrorEntry] = &[
        ErrorEntry {
            code: DocumentedCode::Int(1051),
            class: ErrorClass::BadCredentials,
            text: "Login failed",
        },
        ErrorEntry {
            code: DocumentedCode::Text("ERR_X"),
            class: ErrorClass::Server,
            text: "X",
        },
        ErrorEntry {
            code: DocumentedCode::HttpStatus(503),
            class: ErrorClass::Server,
            text: "Unavailable",
        },
    ];

    #[test]
    fn codes_find_their_rows_by_kind_and_value() {
        assert_eq!(ErrorEntry::find(TABLE, &ErrorCode::Int(1051)), Some(0));
        assert_eq!(
            ErrorEntry::find(TABLE, &ErrorCode::Text("ERR_X".into())),
            Some(1)
        );
        assert_eq!(
            ErrorEntry::find(TABLE, &ErrorCode::HttpStatus(503)),
            Some(2)
        );
        // Same number, other kind: no match.
        assert_eq!(ErrorEntry::find(TABLE, &ErrorCode::HttpStatus(1051)), None);
        assert_eq!(ErrorEntry::find(TABLE, &ErrorCode::Int(503)), None);
        assert_eq!(
            ErrorEntry::find(TABLE, &ErrorCode::Text("1051".into())),
            None
        );
    }

    #[test]
    fn views_give_code_class_and_text() {
        let documented = ErrorView::Documented(&TABLE[1]);
        assert_eq!(documented.code(), ErrorCode::Text("ERR_X".into()));
        assert_eq!(documented.class(), ErrorClass::Server);
        assert_eq!(documented.to_string(), "X");
        let code = ErrorCode::Int(7);
        let unknown = ErrorView::Unknown {
            code: &code,
            message: Some("boom"),
        };
        assert_eq!(unknown.code(), code);
        assert_eq!(unknown.class(), ErrorClass::Other);
        assert_eq!(unknown.to_string(), "undocumented error 7: boom");
        let quiet = ErrorView::Unknown {
            code: &code,
            message: None,
        };
        assert_eq!(quiet.to_string(), "undocumented error 7");
    }
}
