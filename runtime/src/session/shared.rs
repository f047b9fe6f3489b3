//! A session's turn at a shared [`SessionStore`]: take the key or the latch
//! another process left, or log in under the store's lock and leave the
//! outcome for the others. Any store trouble ends the turn with a warning,
//! and the session logs in on its own (still one login per process).

use super::store::{Claimed, Latch, LockToken, Outcome, SessionStore, SharedKey};
use super::{lock, Current, Hold, Lease, SessionState};
use crate::error::{ApiError, ApiErrorKind, Error};
use crate::secret::Secret;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A sliding session moves the store's copy of its key on at most this
/// many times per key lifetime (per process), whenever its own due time has
/// run that share of the lifetime ahead of the copy's.
const SLIDES_PER_LIFETIME: u32 = 8;

/// The first pause between two claims while another process logs in; it
/// doubles up to [`LONGEST_PAUSE`] (or a quarter of the lease).
const FIRST_PAUSE: Duration = Duration::from_millis(2);
const LONGEST_PAUSE: Duration = Duration::from_millis(50);

/// A store, and the names a latch read from it is reported under.
pub(super) struct Fleet {
    pub(super) store: Arc<dyn SessionStore>,
    provider: &'static str,
    login: &'static str,
}

/// How a session goes on after its turn at the store.
pub(super) enum Turn {
    /// Use this key; no login.
    Adopt(SharedKey),
    /// Logins are held back fleet-wide.
    Latched(Latch),
    /// Log in, then publish under this token.
    Login(LockToken),
    /// No store to rely on this time: log in alone.
    Alone,
}

impl Fleet {
    pub(super) fn new(
        store: Arc<dyn SessionStore>,
        provider: &'static str,
        login: &'static str,
    ) -> Self {
        Fleet {
            store,
            provider,
            login,
        }
    }

    /// Claims until the store hands over a key, a latch or the lock. A lock
    /// holder that died frees the lock when its lease ends; a live one
    /// extends it while it logs in. Past four leases (a login that hangs),
    /// the session stops waiting.
    pub(super) async fn turn(&self, stale: Option<u64>, ignore_latch: bool) -> Turn {
        let lease = self.store.lease();
        let give_up = Instant::now() + lease.saturating_mul(4);
        let longest = LONGEST_PAUSE.min(lease / 4).max(FIRST_PAUSE);
        let mut pause = FIRST_PAUSE;
        loop {
            let claimed = self.store.claim(stale, ignore_latch).await;
            tracing::debug!(?stale, ?claimed, "claimed");
            match claimed {
                Ok(Claimed::Key(key)) => return Turn::Adopt(key),
                Ok(Claimed::Latched(latch)) => return Turn::Latched(latch),
                Ok(Claimed::Locked(token)) => return Turn::Login(token),
                Ok(Claimed::Busy) if Instant::now() < give_up => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(longest);
                }
                Ok(Claimed::Busy) => {
                    tracing::warn!(
                        provider = self.provider,
                        ?lease,
                        "the shared login lock stayed held past four leases; logging in alone"
                    );
                    return Turn::Alone;
                }
                Err(error) => {
                    tracing::warn!(
                        provider = self.provider,
                        %error,
                        "session store unavailable; logging in without it"
                    );
                    return Turn::Alone;
                }
            }
        }
    }

    /// Runs `login` under the lock `token`, extending it every third of a
    /// lease, so a slow login keeps its lock and a dead holder's ends soon.
    pub(super) async fn holding<F: Future>(&self, token: LockToken, login: F) -> F::Output {
        let every = self.store.lease() / 3;
        let mut login = std::pin::pin!(login);
        loop {
            // A timeout rather than `select!`: users' builds need no tokio macros.
            if let Ok(outcome) = tokio::time::timeout(every, &mut login).await {
                return outcome;
            }
            let extended = self.store.extend(token).await;
            if !matches!(extended, Ok(true)) {
                tracing::debug!(
                    provider = self.provider,
                    ?extended,
                    "could not extend the login lock"
                );
            }
        }
    }

    /// Keeps the shared key `version` in the store for `fresh_for` more,
    /// in a task of its own: the call that used the key does not wait for
    /// the store. Without a Tokio runtime to run it on, the store's copy is
    /// left to lapse (the processes that need it then log in again).
    pub(super) fn slide(&self, version: u64, fresh_for: Duration) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::debug!(
                provider = self.provider,
                "no Tokio runtime to slide the shared key on"
            );
            return;
        };
        let store = Arc::clone(&self.store);
        let provider = self.provider;
        runtime.spawn(async move {
            match store.slide(version, fresh_for).await {
                Ok(slid) => tracing::debug!(provider, slid, ?fresh_for, "slid the shared key"),
                Err(error) => tracing::warn!(
                    provider,
                    %error,
                    "could not keep the shared key alive in the session store"
                ),
            }
        });
    }

    /// The fleet's latest refresh token, if the store keeps one.
    pub(super) async fn refresh_token(&self) -> Option<Secret> {
        match self.store.refresh_token().await {
            Ok(token) => token,
            Err(error) => {
                tracing::warn!(
                    provider = self.provider,
                    %error,
                    "could not read the shared refresh token; renewing with this process's own"
                );
                None
            }
        }
    }

    /// Drops the store's copy of a key that was logged out.
    pub(super) async fn forget(&self, version: u64) {
        let forgotten = self.store.forget(version).await;
        tracing::debug!(version, ?forgotten, "forgot the shared key");
        if let Err(error) = forgotten {
            tracing::warn!(
                provider = self.provider,
                %error,
                "could not drop the logged-out key from the session store"
            );
        }
    }

    /// Leaves a login's outcome for the other processes.
    pub(super) async fn publish(&self, token: LockToken, outcome: Outcome) {
        let published = self.store.publish(token, outcome).await;
        tracing::debug!(?token, ?published, "published");
        match published {
            Ok(true) => {}
            Ok(false) => tracing::debug!(
                provider = self.provider,
                "a newer login lock holder exists; this login's outcome stays local"
            ),
            Err(error) => tracing::warn!(
                provider = self.provider,
                %error,
                "could not publish the login's outcome to the session store"
            ),
        }
    }

    /// The error a shared latch stands for, as if this process's own login
    /// had been refused with the same answer.
    pub(super) fn refusal<L: ApiErrorKind>(&self, latch: &Latch) -> Error<L> {
        let retry_after_secs = latch.holds_for.map(|wait| {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            u32::try_from(secs).unwrap_or(u32::MAX)
        });
        Error::Api {
            provider: self.provider,
            method: self.login,
            error: ApiError {
                kind: L::from_code(latch.code.clone(), latch.message.clone()),
                status: latch.status,
                message: latch.message.clone(),
                retry_after_secs,
            },
        }
    }
}

impl<L: ApiErrorKind> SessionState<L> {
    /// Takes the key another process logged in for, as if this process had.
    pub(super) fn adopt(&self, shared: SharedKey) -> Lease {
        let mut state = lock(&self.state);
        state.attempts += 1;
        state.failure = None;
        state.hold = Hold::None;
        state.recheck_at = None;
        if shared.refresh.is_some() {
            state.refresh = shared.refresh;
        }
        let generation = state.attempts;
        let now = self.clock.now();
        let refresh_at = shared.fresh_for.and_then(|left| now.checked_add(left));
        state.current = Some(Current {
            key: shared.key.clone(),
            generation,
            lifetime: shared.lifetime,
            refresh_at,
            shared: Some(shared.version),
            adopted: true,
            stored_until: refresh_at,
        });
        Lease {
            key: shared.key,
            generation,
            adopted: true,
        }
    }

    /// Holds logins back as another process's refused login asks.
    pub(super) fn latched(&self, fleet: &Fleet, latch: &Latch) -> Arc<Error<L>> {
        let error = Arc::new(fleet.refusal::<L>(latch));
        let mut state = lock(&self.state);
        state.attempts += 1;
        state.hold = match latch.holds_for {
            None => Hold::Credentials,
            Some(wait) => self
                .clock
                .now()
                .checked_add(wait)
                .map_or(Hold::Credentials, Hold::Until),
        };
        state.failure = Some(Arc::clone(&error));
        state.current = None;
        let recheck = latch
            .holds_for
            .map_or(fleet.store.lease(), |wait| wait.min(fleet.store.lease()));
        state.recheck_at = self.clock.now().checked_add(recheck);
        error
    }
}

impl Current {
    /// Whether a sliding key's use should move the store's copy on: its
    /// version and what is left until it is due, once this process's due
    /// time has run an eighth of the lifetime past what the store was told.
    pub(super) fn slide(&mut self, now: Instant) -> Option<(u64, Duration)> {
        let version = self.shared?;
        let due = self.refresh_at?;
        let step = self.lifetime? / SLIDES_PER_LIFETIME;
        if due.saturating_duration_since(self.stored_until?) < step {
            return None;
        }
        self.stored_until = Some(due);
        Some((version, due.saturating_duration_since(now)))
    }
}

/// The latch for a refused login: its answer, held for `holds_for`.
pub(super) fn latch_of<L: ApiErrorKind>(error: &Error<L>, holds_for: Option<Duration>) -> Latch {
    let api = error.api();
    Latch {
        code: api.map_or(crate::error::ErrorCode::HttpStatus(0), |api| {
            api.kind.code()
        }),
        status: api.map_or(0, |api| api.status),
        message: api.and_then(|api| api.message.clone()),
        holds_for,
    }
}

/// A version for a newly published key: random, so a store that lost its
/// data never hands out a version a session still holds for an older key.
pub(super) fn new_version(generation: u64) -> u64 {
    getrandom::u64().unwrap_or(generation ^ 0x9e37_79b9_7f4a_7c15)
}
