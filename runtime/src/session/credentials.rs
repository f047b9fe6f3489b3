//! The credentials a session logs in with, and lifetimes as servers send them.

use super::lock;
use crate::error::{ApiErrorKind, Error};
use std::fmt;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

/// The login request a session logs in with. A session may update it (a
/// refreshed version key), so it sits behind a lock and is copied out.
/// Each replacement counts, so a session's own update never overwrites
/// credentials the caller set meanwhile.
pub struct Credentials<T>(Mutex<(T, u64)>);

impl<T: Clone> Credentials<T> {
    pub fn new(request: T) -> Self {
        Credentials(Mutex::new((request, 0)))
    }

    /// A copy to send.
    pub fn get(&self) -> T {
        lock(&self.0).0.clone()
    }

    /// Replaces the stored request.
    pub fn set(&self, request: T) {
        let mut stored = lock(&self.0);
        stored.0 = request;
        stored.1 += 1;
    }

    /// A copy to send, and which replacement it is.
    fn snapshot(&self) -> (T, u64) {
        let stored = lock(&self.0);
        (stored.0.clone(), stored.1)
    }

    /// Stores `request` unless the credentials were replaced since
    /// `version`: the caller's newer credentials win.
    fn set_if_unchanged(&self, version: u64, request: T) -> bool {
        let mut stored = lock(&self.0);
        if stored.1 != version {
            return false;
        }
        stored.0 = request;
        true
    }

    /// One login for a provider whose login carries a parameter the server
    /// may declare outdated (a version key). Generated code describes it:
    /// `outdated` picks the login error that says so, `fetch` asks the
    /// server for the current value (`None` when it cannot be had),
    /// `apply` puts a value into the request.
    ///
    /// Logs in with the stored credentials; on that error fetches the
    /// value, stores it (unless [`Credentials::set`] replaced the
    /// credentials meanwhile: those win) and logs in once more with it.
    /// When the value cannot be fetched, the login's error is returned: it
    /// says more than a failed lookup would. Returns the request as last
    /// sent with the answer.
    pub async fn login_refreshing_param<R, V, L, Login, LFut, Fetch, FFut>(
        &self,
        outdated: impl Fn(&L) -> bool,
        login: Login,
        fetch: Fetch,
        apply: impl Fn(&mut T, V),
    ) -> Result<(T, R), Error<L>>
    where
        L: ApiErrorKind,
        Login: Fn(T) -> LFut,
        LFut: Future<Output = Result<R, Error<L>>>,
        Fetch: FnOnce(&T) -> FFut,
        FFut: Future<Output = Option<V>>,
    {
        let (mut request, version) = self.snapshot();
        let error = match login(request.clone()).await {
            Err(error) if error.api().is_some_and(|e| outdated(&e.kind)) => error,
            result => return result.map(|answer| (request, answer)),
        };
        let Some(fresh) = fetch(&request).await else {
            return Err(error);
        };
        apply(&mut request, fresh);
        if !self.set_if_unchanged(version, request.clone()) {
            tracing::debug!(
                "credentials replaced during the login; the refreshed value is not kept"
            );
        }
        let answer = login(request.clone()).await?;
        Ok((request, answer))
    }
}

/// Shows the request's own `Debug`, which redacts its secrets.
impl<T: fmt::Debug> fmt::Debug for Credentials<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Credentials")
            .field(&lock(&self.0).0)
            .finish()
    }
}

/// A lifetime in whole seconds, as a server sent it; `None` (unknown) when
/// zero or negative, rather than a key that is due before its first use.
pub fn seconds<T: TryInto<u64>>(value: T) -> Option<Duration> {
    value
        .try_into()
        .ok()
        .filter(|&secs| secs > 0)
        .map(Duration::from_secs)
}

/// A lifetime in whole milliseconds, as a server sent it; `None` (unknown)
/// when zero or negative.
pub fn milliseconds<T: TryInto<u64>>(value: T) -> Option<Duration> {
    value
        .try_into()
        .ok()
        .filter(|&ms| ms > 0)
        .map(Duration::from_millis)
}
