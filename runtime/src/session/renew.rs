//! Renewing a session's key: with a refresh token when the provider has a
//! refresh method and the session holds a token, else with a login.

use super::Grant;
use crate::error::{ApiErrorKind, Error};
use crate::secret::Secret;
use std::future::Future;

/// How a refresh ended.
pub enum Refreshed<L: ApiErrorKind> {
    /// A new key (and maybe a new refresh token).
    Granted(Grant),
    /// The server refused the refresh token (any API error): log in instead.
    Refused,
    /// The server could not be asked (transport, timeout, an undecodable
    /// answer): reported like a failed login.
    Failed(Error<L>),
}

/// A refresh call's outcome, whatever its method's error type: an API error
/// is a refusal, anything else a failure of the session's renewal.
impl<L: ApiErrorKind, R: ApiErrorKind> From<Result<Grant, Error<R>>> for Refreshed<L> {
    fn from(result: Result<Grant, Error<R>>) -> Self {
        match result {
            Ok(grant) => Refreshed::Granted(grant),
            Err(error) => match error.without_api() {
                Ok(failure) => Refreshed::Failed(failure),
                Err(refusal) => {
                    tracing::debug!(class = ?refusal.kind.class(), "refresh refused; logging in");
                    Refreshed::Refused
                }
            },
        }
    }
}

/// A provider without a refresh method: the closure `call` and `ensure` pass.
pub(super) type NoRefresh<L> = fn(Secret) -> std::future::Ready<Refreshed<L>>;

/// One renewal: a refresh when there is a refresh method and a token, and a
/// login when there is not or the refresh was refused. The flag says whether
/// the outcome is the refresh's.
pub(super) async fn renew<L, Login, Fut, Refresh, RFut>(
    login: &Login,
    refresh: Option<&Refresh>,
    token: Option<Secret>,
) -> (Result<Grant, Error<L>>, bool)
where
    L: ApiErrorKind,
    Login: Fn() -> Fut,
    Fut: Future<Output = Result<Grant, Error<L>>>,
    Refresh: Fn(Secret) -> RFut,
    RFut: Future<Output = Refreshed<L>>,
{
    if let (Some(refresh), Some(token)) = (refresh, token) {
        match refresh(token).await {
            // An empty key from a refresh is no key: log in instead.
            Refreshed::Granted(grant) if with_key::<L>(&grant).is_ok() => return (Ok(grant), true),
            Refreshed::Failed(error) => return (Err(error), true),
            Refreshed::Granted(_) | Refreshed::Refused => {}
        }
    }
    let outcome = login().await;
    (outcome.and_then(|g| with_key(&g).map(|()| g)), false)
}

/// A login that hands over an empty or blank key failed: the session would
/// send nothing as its key and call that a session.
pub(super) fn with_key<L: ApiErrorKind>(grant: &Grant) -> Result<(), Error<L>> {
    if grant.key.expose().trim().is_empty() {
        return Err(Error::Decode {
            // The login call succeeded, so its answer was a 2xx.
            status: 200,
            reason: "the login answer's session key is empty".into(),
            excerpt: String::new(),
        });
    }
    Ok(())
}
