//! Where a session's state may be shared between processes.
//!
//! A session always keeps its own copy of the key, and uses it without asking
//! anyone while it is fresh (the hot path). Only when that copy is missing,
//! due for refresh or refused does a session with a [`SessionStore`] consult
//! it, once per renewal and for every process at the same time: the store
//! hands out the key another process already obtained, the latch after a
//! refused login, or the login lock. Without a store (the default) the
//! session's own lock and latch are the whole story, as within one process.

use crate::error::ErrorCode;
use crate::secret::Secret;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// What a store operation returns: boxed, so stores fit behind `dyn`.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A store of one session (one provider and account) shared by many
/// processes. Every operation must end within a bounded time: a session
/// that gets an error or no answer logs in on its own, as if it had no store.
pub trait SessionStore: Send + Sync + fmt::Debug {
    /// One look at the store: the shared key, else the latch, else the
    /// login lock for this caller, else word that another holds it.
    ///
    /// A key whose version is `stale` (the server called it expired) is
    /// dropped rather than handed out. With `ignore_latch` (the credentials
    /// changed here) the latch is passed over, so this caller may try them.
    fn claim(&self, stale: Option<u64>, ignore_latch: bool) -> StoreFuture<'_, Claimed>;

    /// Hands the outcome of the login made under `lock` to every process and
    /// releases the lock. `false` when a newer lock holder exists (this
    /// holder's lease ran out): the outcome was not stored.
    fn publish(&self, lock: LockToken, outcome: Outcome) -> StoreFuture<'_, bool>;

    /// Keeps the lock `lock` for another lease while its holder is still
    /// logging in. `false` when it is no longer this holder's.
    fn extend(&self, lock: LockToken) -> StoreFuture<'_, bool>;

    /// How long a lock holder that stopped extending its lock (it died)
    /// keeps the others from logging in.
    fn lease(&self) -> Duration;

    /// A sliding session used the shared key `version`: keep it in the
    /// store for at least `fresh_for` more (never for less than it already
    /// has). `false` when the store holds another version or none.
    ///
    /// Sessions call it at most a few times per key lifetime, off the
    /// caller's path. The default keeps nothing: the shared key then lapses
    /// at the first due time its login gave it, and a process that needs
    /// it after that logs in again.
    fn slide(&self, version: u64, fresh_for: Duration) -> StoreFuture<'_, bool> {
        let _ = (version, fresh_for);
        Box::pin(std::future::ready(Ok(false)))
    }

    /// The shared key `version` was logged out: drop it (and what came
    /// with it), so no process takes it from the store any more. A newer
    /// key stays. `false` when the store held no key of that version.
    ///
    /// The default drops nothing: processes then take the dead key and
    /// find it refused before they log in again.
    fn forget(&self, version: u64) -> StoreFuture<'_, bool> {
        let _ = version;
        Box::pin(std::future::ready(Ok(false)))
    }

    /// The refresh token published with the latest key, kept after the key
    /// itself is due. A lock holder renews with it rather than with its own,
    /// which another process may have spent since (a refresh token that
    /// rotates is good for one refresh). `None`: the store has none, and the
    /// session renews with its own.
    ///
    /// The default keeps none: a process that missed the other processes'
    /// refreshes may then send a spent token, be refused, and log in.
    fn refresh_token(&self) -> StoreFuture<'_, Option<Secret>> {
        Box::pin(std::future::ready(Ok(None)))
    }
}

/// A fencing token: which lock holder this is. Larger is newer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LockToken(pub u64);

/// What [`SessionStore::claim`] found.
#[derive(Debug)]
pub enum Claimed {
    /// A key another process logged in for, still fresh.
    Key(SharedKey),
    /// Logins are held back fleet-wide.
    Latched(Latch),
    /// This caller holds the login lock and must log in, then publish.
    Locked(LockToken),
    /// Another caller holds the lock: wait, then claim again.
    Busy,
}

/// What a lock holder publishes.
#[derive(Debug)]
pub enum Outcome {
    /// A new key for everyone.
    Key(SharedKey),
    /// The login was refused: hold logins back everywhere.
    Latch(Latch),
    /// The login failed in a way another may retry (the server could not be
    /// reached): just release the lock.
    Release,
}

/// A key as the store keeps it.
pub struct SharedKey {
    pub key: Secret,
    /// The refresh token that came with it, if any.
    pub refresh: Option<Secret>,
    /// Which login made it: random, so versions from before a store lost
    /// its data are not mistaken for new ones.
    pub version: u64,
    /// Its whole lifetime, as the login said (a sliding session counts it
    /// again from each call).
    pub lifetime: Option<Duration>,
    /// How long it may still be used before it is due for renewal; the
    /// store forgets it then. `None`: until a call finds it expired.
    pub fresh_for: Option<Duration>,
}

impl fmt::Debug for SharedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedKey")
            .field("key", &self.key)
            .field("refresh", &self.refresh.as_ref().map(|_| "***"))
            .field("version", &self.version)
            .field("lifetime", &self.lifetime)
            .field("fresh_for", &self.fresh_for)
            .finish()
    }
}

/// A refused login, held against every process. It carries the server's
/// answer (already free of secrets: the transport blanks them) and never
/// the credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latch {
    pub code: ErrorCode,
    pub status: u16,
    pub message: Option<String>,
    /// How much longer it holds; `None`: until the credentials change.
    pub holds_for: Option<Duration>,
}

/// Why a store could not answer. Sessions log it (without secrets) and go on
/// without the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("the session store did not answer within {0:?}")]
    Timeout(Duration),
    #[error("the session store failed: {0}")]
    Failed(String),
    /// The store holds something this store cannot read (another version, a
    /// wrong encryption key, tampering).
    #[error("the session store holds an unreadable entry: {0}")]
    Unreadable(String),
}
