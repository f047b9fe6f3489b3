//! What a call can fail with.

use std::fmt;
use std::time::Duration;

/// An error code as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// Too many requests: back off before trying again.
    RateLimited,
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
    /// The code this error has on the wire.
    fn code(&self) -> ErrorCode;
    /// What the error means for the caller.
    fn class(&self) -> ErrorClass;
}

/// An error the API reported, with the HTTP status and the server's own message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError<E> {
    pub kind: E,
    pub status: u16,
    pub message: Option<String>,
}

/// Everything a generated method can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error<E: ApiErrorKind> {
    /// The server answered with an error the method documents (or an unknown code).
    #[error("{provider} rejected {method}: {} (code {}, HTTP {})", .error.kind, .error.kind.code(), .error.status)]
    Api {
        provider: &'static str,
        method: &'static str,
        error: ApiError<E>,
    },
    /// A parameter failed a client-side check; nothing was sent.
    #[error("invalid parameter `{field}`: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// The server could not be reached, or the connection failed mid-way.
    #[error("could not reach the server: {0}")]
    Transport(#[source] reqwest::Error),
    /// No complete answer within the configured time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The server answered, but not with anything the method can read.
    #[error("undecodable response (HTTP {status}): {reason}; body starts: {excerpt:?}")]
    Decode {
        status: u16,
        reason: String,
        excerpt: String,
    },
}

impl<E: ApiErrorKind> Error<E> {
    /// The API error, when the server sent one.
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
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
    Encoding(crate::Encoding),
    #[error("invalid client setting `{field}`: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("could not build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}
