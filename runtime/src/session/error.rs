//! What a call made through a session fails with.

use crate::error::{ApiError, ApiErrorKind, Error, ErrorClass};
use std::fmt;
use std::sync::Arc;

/// Why a call made through a session failed.
///
/// Every method of a generated `Session` returns this type, `ensure_login`
/// and `with_key` too (with the login's error kind as `E`, as no spec
/// method is called), so one `impl<E> From<SessionError<E, L>>` in an
/// application covers them all. Match it with [`SessionError::class`],
/// [`SessionError::api`] (the method's own error) and
/// [`SessionError::login`] (why logging in failed).
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionError<E: ApiErrorKind, L: ApiErrorKind> {
    /// Logging in failed; that error is the source. Every call that waited
    /// for the same login attempt gets the same error, hence the `Arc`.
    Login(Arc<Error<L>>),
    /// The call itself failed (after at most one re-login and retry).
    /// `Display` and `source` are the call error's own.
    Call(Error<E>),
    /// A call made with the session key (`with_key`) reported the key
    /// refused, and again with a key from a fresh login.
    KeyRefused,
}

impl<E: ApiErrorKind, L: ApiErrorKind> fmt::Display for SessionError<E, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::Login(_) => f.write_str("could not log in"),
            SessionError::Call(error) => fmt::Display::fmt(error, f),
            SessionError::KeyRefused => {
                f.write_str("the session key was refused, also after logging in again")
            }
        }
    }
}

impl<E: ApiErrorKind + 'static, L: ApiErrorKind + 'static> std::error::Error
    for SessionError<E, L>
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SessionError::Login(error) => Some(&**error),
            // Transparent: the call error's Display is this one's.
            SessionError::Call(error) => std::error::Error::source(error),
            SessionError::KeyRefused => None,
        }
    }
}

impl<E: ApiErrorKind, L: ApiErrorKind> SessionError<E, L> {
    /// The class of the API error behind this failure (the call's or the
    /// login's), if the server sent one.
    pub fn class(&self) -> Option<ErrorClass> {
        match self {
            SessionError::Login(error) => error.class(),
            SessionError::Call(error) => error.class(),
            SessionError::KeyRefused => Some(ErrorClass::SessionExpired),
        }
    }

    /// The API error the call itself got, if the server sent one. A
    /// refused login (also from `ensure_login`) is not the call's: see
    /// [`SessionError::login`].
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            SessionError::Call(error) => error.api(),
            _ => None,
        }
    }

    /// Why logging in failed, when that is what failed.
    pub fn login(&self) -> Option<&Error<L>> {
        match self {
            SessionError::Login(error) => Some(error),
            _ => None,
        }
    }
}

/// What a closure given to a session's `with_key` fails with.
#[derive(Debug)]
#[non_exhaustive]
pub enum KeyError<X> {
    /// The server refused the key (expired, revoked): the session renews it
    /// (once for any number of concurrent callers) and calls the closure
    /// again, once.
    Refused,
    /// Any other failure: handed back to the caller as it is.
    Other(X),
}

/// `?` in the closure turns its own errors into [`KeyError::Other`].
impl<X> From<X> for KeyError<X> {
    fn from(error: X) -> Self {
        KeyError::Other(error)
    }
}
