//! A session that logs in lazily, renews its key before expiry and when the
//! server says the session is gone, with one renewal for any number of
//! concurrent callers. A renewal is a refresh (with the refresh token the last
//! login or refresh handed over) when the provider has one, else a login.
//!
//! Generated `Session` types own a [`SessionState`] and hand it a closure
//! that performs their provider's login; everything else happens here.

use crate::clock::Clock;
use crate::error::{ApiErrorKind, Error, ErrorClass};
use crate::protocol::{Method, Protocol};
use crate::secret::Secret;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

pub use credentials::{milliseconds, seconds, Credentials};
pub use error::{KeyError, SessionError};
use renew::renew;
pub use renew::Refreshed;
use shared::{Fleet, Turn};
pub use store::{
    Claimed, Latch, LockToken, Outcome, SessionStore, SharedKey, StoreError, StoreFuture,
};

/// How long a session waits after a login answered `rate_limited` when
/// neither the server (`Retry-After`) nor the spec (`cooldown`) says.
pub const RATE_LIMIT_PAUSE: Duration = Duration::from_secs(60);

/// How a provider's session behaves, from its spec.
#[derive(Debug, Clone, Copy)]
pub struct SessionRules {
    /// Log in again this long before the session would expire. Capped at
    /// half the lifetime, so a short-lived token (Aktion: 20 s) is still used.
    pub refresh_margin: Duration,
    /// Every call that uses the session restarts its lifetime (Aukro, Wialon).
    pub sliding: bool,
}

/// What a successful login hands to the session.
pub struct Grant {
    /// The session key or token.
    pub key: Secret,
    /// How long it lives from the moment the login was sent; `None` when
    /// unknown, in which case only an expiry error from the server ends it.
    pub lifetime: Option<Duration>,
    /// A refresh token to renew the key with instead of logging in. From a
    /// refresh, `None` keeps the token the session has (no rotation).
    pub refresh: Option<Secret>,
}

/// The live session: the current key, when it expires, and the last failed
/// login. `L` is the login method's error kind.
pub struct SessionState<L: ApiErrorKind> {
    rules: SessionRules,
    clock: Arc<dyn Clock>,
    state: Mutex<State<L>>,
    /// Held while a login is in flight, so concurrent callers share it.
    flight: tokio::sync::Mutex<()>,
    /// The store shared with other processes, if any: consulted only when
    /// this session's own key will not do.
    fleet: Option<Fleet>,
}

struct State<L: ApiErrorKind> {
    current: Option<Current>,
    /// Incremented by every login attempt, successful or not.
    attempts: u64,
    /// The outcome of the latest attempt, if it failed.
    failure: Option<Arc<Error<L>>>,
    /// Whether that failure stops further logins for now.
    hold: Hold,
    logins: u64,
    refreshes: u64,
    /// The refresh token, kept apart from `current`: it outlives a key that
    /// expired and a refresh that could not reach the server.
    refresh: Option<Secret>,
    /// The credentials changed here: the next login passes over a shared
    /// latch (set by the old credentials) once.
    ignore_latch: bool,
    /// The hold came from another process's refused login: from this
    /// instant on, ask the store again (the latch may be gone) instead of
    /// failing at once. Never a reason to log in alone.
    recheck_at: Option<Instant>,
}

/// Whether, after a failed login, another may be tried. Every call made
/// while a hold lasts gets the failure at once and sends nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    /// The next call that needs a key logs in.
    None,
    /// Not until the credentials change: they were refused (vendors lock
    /// accounts after a few wrong passwords: Erply after 5, Aukro after 4),
    /// or the account is locked until a person acts.
    Credentials,
    /// Not before this instant (a cool-down, a `Retry-After`), unless the
    /// credentials change first.
    Until(Instant),
}

struct Current {
    key: Secret,
    /// Which login produced this key: a call that fails with an expired key
    /// re-logs in only if its key is still the current one.
    generation: u64,
    lifetime: Option<Duration>,
    /// When to log in again instead of using the key.
    refresh_at: Option<Instant>,
    /// Its version in the shared store, if it went through one.
    shared: Option<u64>,
    /// Another process logged in for it.
    adopted: bool,
    /// When the store's copy of it lapses, as far as this process knows
    /// (a sliding session moves it on now and then).
    stored_until: Option<Instant>,
}

/// The key a call uses, and which login it came from.
struct Lease {
    key: Secret,
    generation: u64,
    /// Another process logged in for it.
    adopted: bool,
}

impl Current {
    fn lease(&self) -> Lease {
        Lease {
            key: self.key.clone(),
            generation: self.generation,
            adopted: self.adopted,
        }
    }
}

impl<L: ApiErrorKind> fmt::Debug for SessionState<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("SessionState")
            .field("rules", &self.rules)
            .field("logged_in", &state.current.is_some())
            .field("logins", &state.logins)
            .field("refreshes", &state.refreshes)
            .finish_non_exhaustive()
    }
}

impl<L: ApiErrorKind> SessionState<L> {
    pub fn new(rules: SessionRules, clock: Arc<dyn Clock>) -> Self {
        Self::build(rules, clock, None)
    }

    /// A session that shares its key, login lock and latch with every other
    /// session on `store` (other processes): one login per key lifetime for
    /// all of them. `login` names the errors a shared latch is reported as.
    pub fn with_store(
        rules: SessionRules,
        clock: Arc<dyn Clock>,
        store: Arc<dyn SessionStore>,
        protocol: &'static Protocol,
        login: &'static Method,
    ) -> Self {
        let fleet = Fleet::new(store, protocol.provider, login.name);
        Self::build(rules, clock, Some(fleet))
    }

    fn build(rules: SessionRules, clock: Arc<dyn Clock>, fleet: Option<Fleet>) -> Self {
        SessionState {
            rules,
            clock,
            state: Mutex::new(State {
                current: None,
                attempts: 0,
                failure: None,
                hold: Hold::None,
                logins: 0,
                refreshes: 0,
                refresh: None,
                ignore_latch: false,
                recheck_at: None,
            }),
            flight: tokio::sync::Mutex::new(()),
            fleet,
        }
    }

    /// How many successful logins this session has made.
    pub fn logins(&self) -> u64 {
        lock(&self.state).logins
    }

    /// How many successful refreshes this session has made.
    pub fn refreshes(&self) -> u64 {
        lock(&self.state).refreshes
    }

    /// The credentials were replaced: a refused login may be tried again,
    /// and a lock or cool-down no longer holds logins back. The refresh
    /// token is dropped, so the next renewal logs in as the new credentials
    /// say rather than refreshing the old account's session.
    pub fn credentials_changed(&self) {
        let mut state = lock(&self.state);
        state.hold = Hold::None;
        state.failure = None;
        state.refresh = None;
        state.ignore_latch = true;
        state.recheck_at = None;
    }

    /// A usable key: the current one, unless it is due for refresh or is the
    /// one that just failed (`failed`), in which case one caller logs in and
    /// every other caller waits for that login and shares its result.
    async fn lease<Login, Fut, Refresh, RFut>(
        &self,
        failed: Option<u64>,
        login: &Login,
        refresh: Option<&Refresh>,
    ) -> Result<Lease, Arc<Error<L>>>
    where
        Login: Fn() -> Fut,
        Fut: Future<Output = Result<Grant, Error<L>>>,
        Refresh: Fn(Secret) -> RFut,
        RFut: Future<Output = Refreshed<L>>,
    {
        let seen = {
            let state = lock(&self.state);
            if let Some(lease) = self.usable(&state, failed) {
                return Ok(lease);
            }
            if let Some(failure) = self.held(&state) {
                return Err(failure);
            }
            state.attempts
        };
        let _flight = self.flight.lock().await;
        let (token, stale, ignore_latch) = {
            let state = lock(&self.state);
            // A login finished while this caller waited: share its outcome.
            // Its key is taken even if already due for refresh, or a login
            // slower than the key's early-refresh point would make every
            // waiter log in again in turn.
            if state.attempts != seen {
                let fresh = state
                    .current
                    .as_ref()
                    .filter(|c| Some(c.generation) != failed);
                if let Some(current) = fresh {
                    return Ok(current.lease());
                }
                if let Some(failure) = &state.failure {
                    return Err(Arc::clone(failure));
                }
            }
            if let Some(lease) = self.usable(&state, failed) {
                return Ok(lease);
            }
            if let Some(failure) = self.held(&state) {
                return Err(failure);
            }
            let stale = failed.and_then(|generation| {
                let current = state.current.as_ref()?;
                (current.generation == generation).then_some(current.shared)?
            });
            (state.refresh.clone(), stale, state.ignore_latch)
        };
        let (mut token, mut lock_token) = (token, None);
        if let Some(fleet) = &self.fleet {
            match fleet.turn(stale, ignore_latch).await {
                Turn::Adopt(shared) => return Ok(self.adopt(shared)),
                Turn::Latched(latch) => return Err(self.latched(fleet, &latch)),
                Turn::Login(held) => {
                    lock_token = Some(held);
                    // Renew with the fleet's latest refresh token, unless
                    // the credentials changed here (it is the old account's).
                    if refresh.is_some() && !ignore_latch {
                        if let Some(latest) = fleet.refresh_token().await {
                            lock(&self.state).refresh = Some(latest.clone());
                            token = Some(latest);
                        }
                    }
                }
                // A store that cannot be asked lifts no shared latch.
                Turn::Alone => {
                    let state = lock(&self.state);
                    if let Some(failure) =
                        state.failure.clone().filter(|_| state.recheck_at.is_some())
                    {
                        return Err(failure);
                    }
                }
            }
        }
        let started = self.clock.now();
        let renewal = renew(login, refresh, token);
        let (outcome, refreshed) = match (&self.fleet, lock_token) {
            (Some(fleet), Some(token)) => fleet.holding(token, renewal).await,
            _ => renewal.await,
        };
        let (result, published) = self.record(outcome, refreshed, started);
        if let (Some(fleet), Some(token)) = (&self.fleet, lock_token) {
            fleet.publish(token, published).await;
        }
        result
    }

    /// The failure to report instead of logging in, while its hold lasts.
    fn held(&self, state: &State<L>) -> Option<Arc<Error<L>>> {
        let holds = match state.hold {
            Hold::None => false,
            Hold::Credentials => true,
            Hold::Until(at) => self.clock.now() < at,
        };
        let recheck = state.recheck_at.is_some_and(|at| self.clock.now() >= at);
        state.failure.clone().filter(|_| holds && !recheck)
    }

    /// How long to leave logins alone after a login failed with `error`.
    /// The server's `Retry-After` comes first, then the spec's cool-down.
    fn hold_after(&self, error: &Error<L>) -> Hold {
        let Some(api) = error.api() else {
            return Hold::None;
        };
        let wait = api
            .retry_after_secs
            .map(|secs| Duration::from_secs(secs.into()))
            .or_else(|| api.kind.cooldown());
        // `Retry-After` is capped at a day where it is read, a cooldown by
        // the spec checker; an instant beyond the clock's range waits for
        // new credentials.
        let until = |wait: Duration| {
            self.clock
                .now()
                .checked_add(wait)
                .map_or(Hold::Credentials, Hold::Until)
        };
        match api.kind.class() {
            ErrorClass::BadCredentials => Hold::Credentials,
            ErrorClass::Locked => wait.map_or(Hold::Credentials, until),
            ErrorClass::RateLimited => until(wait.unwrap_or(RATE_LIMIT_PAUSE)),
            _ => Hold::None,
        }
    }

    fn usable(&self, state: &State<L>, failed: Option<u64>) -> Option<Lease> {
        let current = state.current.as_ref()?;
        if Some(current.generation) == failed {
            return None;
        }
        if current.refresh_at.is_some_and(|at| self.clock.now() >= at) {
            return None;
        }
        Some(current.lease())
    }

    /// When a key that lives `lifetime` from `from` is due for refresh.
    /// `None` (no refresh by time) for no lifetime or one too long for an `Instant`.
    fn refresh_at(&self, from: Instant, lifetime: Option<Duration>) -> Option<Instant> {
        let lifetime = lifetime?;
        let early = lifetime - self.rules.refresh_margin.min(lifetime / 2);
        from.checked_add(early)
    }

    /// A call finished with this lease: a sliding session starts its
    /// lifetime again on success, and now and then keeps the store's copy
    /// of the key alive as long (off the caller's path).
    fn used(&self, lease: &Lease, ok: bool, sent: Instant) {
        if !(ok && self.rules.sliding) {
            return;
        }
        let slide = {
            let mut state = lock(&self.state);
            let Some(current) = state
                .current
                .as_mut()
                .filter(|c| c.generation == lease.generation)
            else {
                return;
            };
            current.refresh_at = self.refresh_at(sent, current.lifetime);
            self.fleet
                .as_ref()
                .and_then(|_| current.slide(self.clock.now()))
        };
        if let (Some(fleet), Some((version, fresh_for))) = (&self.fleet, slide) {
            fleet.slide(version, fresh_for);
        }
    }
}

/// The state stays consistent even if a holder panicked: every critical
/// section is a few plain assignments.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

mod calls;
mod credentials;
mod error;
mod record;
mod renew;
mod shared;
mod steps;
mod store;
pub use steps::{step_answer_lacks, step_failed};
#[cfg(test)]
mod shared_tests;
#[cfg(test)]
mod tests;
