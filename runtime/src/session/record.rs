//! What a session keeps of a renewal's outcome, and what it tells the
//! other processes of its store about it.

use super::store::{Outcome, SharedKey};
use super::{lock, shared, Current, Grant, Hold, Lease, SessionState};
use crate::error::{ApiErrorKind, Error};
use std::sync::Arc;
use std::time::Instant;

impl<L: ApiErrorKind> SessionState<L> {
    /// Keeps a renewal's outcome, and says what to tell other processes.
    pub(super) fn record(
        &self,
        outcome: Result<Grant, Error<L>>,
        refreshed: bool,
        started: Instant,
    ) -> (Result<Lease, Arc<Error<L>>>, Outcome) {
        let mut state = lock(&self.state);
        state.attempts += 1;
        state.ignore_latch = false;
        state.recheck_at = None;
        match outcome {
            Ok(grant) => {
                if refreshed {
                    state.refreshes += 1;
                    // A refresh answer without a token keeps the old one.
                    if let Some(token) = grant.refresh.clone() {
                        state.refresh = Some(token);
                    }
                } else {
                    state.logins += 1;
                    state.refresh = grant.refresh.clone();
                }
                state.failure = None;
                state.hold = Hold::None;
                let generation = state.attempts;
                let refresh_at = self.refresh_at(started, grant.lifetime);
                let version = self.fleet.as_ref().map(|_| shared::new_version(generation));
                state.current = Some(Current {
                    key: grant.key.clone(),
                    generation,
                    lifetime: grant.lifetime,
                    refresh_at,
                    shared: version,
                    adopted: false,
                    stored_until: version.and(refresh_at),
                });
                let published = Outcome::Key(SharedKey {
                    key: grant.key.clone(),
                    refresh: state.refresh.clone(),
                    version: version.unwrap_or(generation),
                    lifetime: grant.lifetime,
                    fresh_for: refresh_at.map(|at| at.saturating_duration_since(self.clock.now())),
                });
                let lease = Lease {
                    key: grant.key,
                    generation,
                    adopted: false,
                };
                (Ok(lease), published)
            }
            Err(error) => {
                // A refresh that could not reach the server may be tried
                // again; after a failed login the old token is spent.
                if !refreshed {
                    state.refresh = None;
                }
                state.hold = self.hold_after(&error);
                // Under a store, the latch is the fleet's: look again after
                // a lease, as the processes that read it do.
                if let (Some(fleet), false) = (&self.fleet, state.hold == Hold::None) {
                    state.recheck_at = self.clock.now().checked_add(fleet.store.lease());
                }
                let published = match state.hold {
                    Hold::None => Outcome::Release,
                    Hold::Credentials => Outcome::Latch(shared::latch_of(&error, None)),
                    Hold::Until(at) => {
                        let left = at.saturating_duration_since(self.clock.now());
                        Outcome::Latch(shared::latch_of(&error, Some(left)))
                    }
                };
                let error = Arc::new(error);
                state.failure = Some(Arc::clone(&error));
                state.current = None;
                (Err(error), published)
            }
        }
    }
}
