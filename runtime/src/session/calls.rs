//! The calls a session makes with its key: spec methods, the logout, a
//! caller's own calls (`with_key`), and a login on demand.

use super::error::{KeyError, SessionError};
use super::renew::NoRefresh;
use super::{lock, Grant, Refreshed, SessionState};
use crate::encode::Request;
use crate::error::{ApiErrorKind, Error, ErrorClass};
use crate::protocol::Method;
use crate::secret::Secret;
use crate::transport::Transport;
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;

/// How one use of the key ended.
enum Attempt<R> {
    /// Finished; `ok` says whether the server accepted the key (a sliding
    /// session restarts its lifetime then).
    Done { result: R, ok: bool },
    /// The server refused the key: renew it and try again, if allowed.
    Expired(R),
}

impl<L: ApiErrorKind> SessionState<L> {
    /// Makes a call that carries the session key: logs in first if needed,
    /// and on a session-expired error logs in again and retries once.
    pub async fn call<Req, Resp, E, Login, Fut>(
        &self,
        transport: &Transport,
        method: &'static Method,
        request: Req,
        login: Login,
    ) -> Result<Resp, SessionError<E, L>>
    where
        Req: Request + Clone,
        Resp: DeserializeOwned,
        E: ApiErrorKind,
        Login: Fn() -> Fut,
        Fut: Future<Output = Result<Grant, Error<L>>>,
    {
        let refresh: Option<&NoRefresh<L>> = None;
        self.call_refreshing(transport, method, request, login, refresh)
            .await
    }

    /// [`SessionState::call`] for a provider with a refresh method: renewals
    /// call `refresh` with the refresh token when there is one, and log in
    /// only when there is none or it was refused.
    pub async fn call_refreshing<Req, Resp, E, Login, Fut, Refresh, RFut>(
        &self,
        transport: &Transport,
        method: &'static Method,
        request: Req,
        login: Login,
        refresh: Option<&Refresh>,
    ) -> Result<Resp, SessionError<E, L>>
    where
        Req: Request + Clone,
        Resp: DeserializeOwned,
        E: ApiErrorKind,
        Login: Fn() -> Fut,
        Fut: Future<Output = Result<Grant, Error<L>>>,
        Refresh: Fn(Secret) -> RFut,
        RFut: Future<Output = Refreshed<L>>,
    {
        let request = &request;
        let attempt = |key: Secret| {
            let request = request.clone();
            async move {
                let result = transport.call_in_session(method, &key, request).await;
                if result.as_ref().err().and_then(Error::class) == Some(ErrorClass::SessionExpired)
                {
                    tracing::debug!("session expired; logging in again");
                    Attempt::Expired(result)
                } else {
                    let ok = result.is_ok();
                    Attempt::Done { result, ok }
                }
            }
        };
        self.with_lease(&login, refresh, attempt)
            .await?
            .map_err(SessionError::Call)
    }

    /// Runs `f` with the session key, for a call the spec does not
    /// describe: logs in first if needed and, when `f` says the key was
    /// refused, renews it (one renewal for all concurrent callers) and runs
    /// `f` once more. The outer error is the session's (a failed login, a
    /// key refused twice), the inner one `f`'s own.
    pub async fn with_key<T, X, F, Fut, Login, LFut>(
        &self,
        login: Login,
        f: F,
    ) -> Result<Result<T, X>, SessionError<L, L>>
    where
        F: FnMut(Secret) -> Fut,
        Fut: Future<Output = Result<T, KeyError<X>>>,
        Login: Fn() -> LFut,
        LFut: Future<Output = Result<Grant, Error<L>>>,
    {
        let refresh: Option<&NoRefresh<L>> = None;
        self.with_key_refreshing(login, refresh, f).await
    }

    /// [`SessionState::with_key`] that renews with `refresh` when it can.
    pub async fn with_key_refreshing<T, X, F, Fut, Login, LFut, Refresh, RFut>(
        &self,
        login: Login,
        refresh: Option<&Refresh>,
        mut f: F,
    ) -> Result<Result<T, X>, SessionError<L, L>>
    where
        F: FnMut(Secret) -> Fut,
        Fut: Future<Output = Result<T, KeyError<X>>>,
        Login: Fn() -> LFut,
        LFut: Future<Output = Result<Grant, Error<L>>>,
        Refresh: Fn(Secret) -> RFut,
        RFut: Future<Output = Refreshed<L>>,
    {
        let attempt = |key: Secret| {
            let used = f(key);
            async move {
                match used.await {
                    Ok(value) => Attempt::Done {
                        result: Ok(Ok(value)),
                        ok: true,
                    },
                    Err(KeyError::Other(error)) => Attempt::Done {
                        result: Ok(Err(error)),
                        ok: false,
                    },
                    Err(KeyError::Refused) => {
                        tracing::debug!("session key refused; logging in again");
                        Attempt::Expired(Err(SessionError::KeyRefused))
                    }
                }
            }
        };
        self.with_lease(&login, refresh, attempt).await?
    }

    /// Uses a key with `attempt`: logs in first if needed, and when the
    /// key is refused renews it and tries once more (twice, when the
    /// retry's key came from another process and the server had dropped
    /// that one too). Only a failed login is an error here.
    async fn with_lease<R, E, Login, Fut, Refresh, RFut, A, AFut>(
        &self,
        login: &Login,
        refresh: Option<&Refresh>,
        mut attempt: A,
    ) -> Result<R, SessionError<E, L>>
    where
        E: ApiErrorKind,
        Login: Fn() -> Fut,
        Fut: Future<Output = Result<Grant, Error<L>>>,
        Refresh: Fn(Secret) -> RFut,
        RFut: Future<Output = Refreshed<L>>,
        A: FnMut(Secret) -> AFut,
        AFut: Future<Output = Attempt<R>>,
    {
        let mut lease = self
            .lease(None, login, refresh)
            .await
            .map_err(SessionError::Login)?;
        let mut renewals = 0;
        loop {
            // A sliding lifetime restarts when the server gets the call, so
            // count from before sending.
            let sent = self.clock.now();
            match attempt(lease.key.clone()).await {
                Attempt::Expired(_) if renewals == 0 || (renewals == 1 && lease.adopted) => {
                    renewals += 1;
                    lease = self
                        .lease(Some(lease.generation), login, refresh)
                        .await
                        .map_err(SessionError::Login)?;
                }
                Attempt::Expired(result) => return Ok(result),
                Attempt::Done { result, ok } => {
                    self.used(&lease, ok, sent);
                    return Ok(result);
                }
            }
        }
    }

    /// Makes the call that ends the session (a logout) with the current
    /// key. It never logs in: with no key there is nothing to end, and a
    /// fresh login would only open a session to close it. Nor is it repeated
    /// after a re-login. The key is forgotten when the call succeeds or the
    /// server says it is gone anyway, and so is the store's copy of it (not
    /// a newer key another process put there meanwhile).
    pub async fn end<Req, Resp, E>(
        &self,
        transport: &Transport,
        method: &'static Method,
        request: Req,
    ) -> Result<Resp, SessionError<E, L>>
    where
        Req: Request,
        Resp: DeserializeOwned,
        E: ApiErrorKind,
    {
        let current = lock(&self.state)
            .current
            .as_ref()
            .map(|current| (current.lease(), current.shared));
        let Some((lease, shared)) = current else {
            return Err(SessionError::Call(Error::Invalid {
                field: "session",
                reason: "there is no session to end".into(),
            }));
        };
        let result = transport.call_in_session(method, &lease.key, request).await;
        let gone = match &result {
            Ok(_) => true,
            Err(error) => error.class() == Some(ErrorClass::SessionExpired),
        };
        if gone {
            {
                let mut state = lock(&self.state);
                if state
                    .current
                    .as_ref()
                    .is_some_and(|c| c.generation == lease.generation)
                {
                    state.current = None;
                    // An ended session cannot be refreshed either.
                    state.refresh = None;
                }
            }
            if let (Some(fleet), Some(version)) = (&self.fleet, shared) {
                fleet.forget(version).await;
            }
        }
        result.map_err(SessionError::Call)
    }

    /// Logs in now unless a usable key is already there.
    pub async fn ensure<Login, Fut>(&self, login: Login) -> Result<(), SessionError<L, L>>
    where
        Login: Fn() -> Fut,
        Fut: Future<Output = Result<Grant, Error<L>>>,
    {
        let refresh: Option<&NoRefresh<L>> = None;
        self.ensure_refreshing(login, refresh).await
    }

    /// [`SessionState::ensure`] that renews with `refresh` when it can.
    pub async fn ensure_refreshing<Login, Fut, Refresh, RFut>(
        &self,
        login: Login,
        refresh: Option<&Refresh>,
    ) -> Result<(), SessionError<L, L>>
    where
        Login: Fn() -> Fut,
        Fut: Future<Output = Result<Grant, Error<L>>>,
        Refresh: Fn(Secret) -> RFut,
        RFut: Future<Output = Refreshed<L>>,
    {
        self.lease(None, &login, refresh)
            .await
            .map(drop)
            .map_err(SessionError::Login)
    }

    /// Writes a generated session's `Debug`: the provider, whether it holds
    /// a key, and how many logins and refreshes it made. Never a key, the
    /// credentials or the provider's protocol tables.
    pub fn debug_session(&self, provider: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Session")
            .field("provider", &provider)
            .field("logged_in", &state.current.is_some())
            .field("logins", &state.logins)
            .field("refreshes", &state.refreshes)
            .finish()
    }
}
