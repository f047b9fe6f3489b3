//! The credentials a session logs in with, and lifetimes as servers send them.

use super::lock;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

/// The login request a session logs in with. A session may update it (a
/// refreshed version key), so it sits behind a lock and is copied out.
pub struct Credentials<T>(Mutex<T>);

impl<T: Clone> Credentials<T> {
    pub fn new(request: T) -> Self {
        Credentials(Mutex::new(request))
    }

    /// A copy to send.
    pub fn get(&self) -> T {
        lock(&self.0).clone()
    }

    /// Replaces the stored request.
    pub fn set(&self, request: T) {
        *lock(&self.0) = request;
    }
}

/// Shows the request's own `Debug`, which redacts its secrets.
impl<T: fmt::Debug> fmt::Debug for Credentials<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Credentials").field(&*lock(&self.0)).finish()
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
