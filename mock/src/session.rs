//! Keys the mock issues, their lifetimes, and the mock's clock.
//!
//! The clock runs at a configurable scale of real time and can be moved on
//! by hand, so tests reach an expiry without waiting.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Mock time in milliseconds: real time since start times `scale`, plus
/// what `advance` added.
#[derive(Debug)]
pub(crate) struct Clock {
    start: Instant,
    scale: f64,
    offset_ms: AtomicU64,
}

impl Clock {
    pub(crate) fn new(scale: f64) -> Self {
        Clock {
            start: Instant::now(),
            scale: if scale.is_finite() && scale >= 0.0 {
                scale
            } else {
                1.0
            },
            offset_ms: AtomicU64::new(0),
        }
    }

    pub(crate) fn now_ms(&self) -> u64 {
        let real = self.start.elapsed().as_secs_f64() * 1000.0 * self.scale;
        (real as u64).saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    pub(crate) fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

/// Whether a carried key opens the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyState {
    Live,
    Expired,
    Unknown,
}

struct Issued {
    /// Mock-time deadline; `None` lives until logout or `expire_sessions`.
    expires_ms: Option<u64>,
    lifetime_ms: Option<u64>,
    ended: bool,
}

impl Issued {
    fn live(&self, now_ms: u64) -> bool {
        !self.ended && self.expires_ms.is_none_or(|deadline| now_ms < deadline)
    }
}

/// Dead keys and spent refresh tokens are let go once the tables reach this
/// size, and again each time they have doubled since: a dead key and one
/// never issued get the same answer, so a long-running mock forgets them.
const FIRST_SWEEP: usize = 1024;

/// The keys one provider's mock has issued. No `Debug`: the keys are secrets.
#[derive(Default)]
pub(crate) struct Sessions {
    keys: HashMap<String, Issued>,
    /// Refresh tokens, and whether each still works.
    refresh: HashMap<String, bool>,
    /// The table size at which the next sweep runs.
    next_sweep: usize,
}

fn fresh_key(taken: impl Fn(&str) -> bool) -> Option<String> {
    use loginspec_runtime::__generated::v1::derive::{nonce, Alphabet};
    loop {
        let key = nonce(32, Alphabet::Hex).ok()?;
        if !taken(&key) {
            return Some(key);
        }
    }
}

impl Sessions {
    /// A fresh random key (32 hexadecimal digits), or `None` when the
    /// system's random generator fails.
    pub(crate) fn issue(&mut self, now_ms: u64, lifetime: Option<Duration>) -> Option<String> {
        self.sweep(now_ms);
        let key = fresh_key(|k| self.keys.contains_key(k))?;
        let lifetime_ms = lifetime.map(|l| u64::try_from(l.as_millis()).unwrap_or(u64::MAX));
        self.keys.insert(
            key.clone(),
            Issued {
                expires_ms: lifetime_ms.map(|l| now_ms.saturating_add(l)),
                lifetime_ms,
                ended: false,
            },
        );
        Some(key)
    }

    /// Checks a carried key; a live key of a sliding session starts its lifetime again.
    pub(crate) fn check(&mut self, key: &str, now_ms: u64, sliding: bool) -> KeyState {
        let Some(issued) = self.keys.get_mut(key) else {
            return KeyState::Unknown;
        };
        if !issued.live(now_ms) {
            return KeyState::Expired;
        }
        if sliding {
            issued.expires_ms = issued.lifetime_ms.map(|l| now_ms.saturating_add(l));
        }
        KeyState::Live
    }

    /// Sets a key's lifetime from now (known only once its answer is written).
    pub(crate) fn set_lifetime(&mut self, key: &str, now_ms: u64, lifetime: Option<Duration>) {
        if let Some(issued) = self.keys.get_mut(key) {
            issued.lifetime_ms = lifetime.map(|l| u64::try_from(l.as_millis()).unwrap_or(u64::MAX));
            issued.expires_ms = issued.lifetime_ms.map(|l| now_ms.saturating_add(l));
        }
    }

    /// Lets dead keys and spent refresh tokens go when the tables have
    /// grown enough since the last sweep (amortized: each sweep at least
    /// doubles the size the next one waits for).
    fn sweep(&mut self, now_ms: u64) {
        let size = self.keys.len() + self.refresh.len();
        if size < self.next_sweep.max(FIRST_SWEEP) {
            return;
        }
        self.keys.retain(|_, issued| issued.live(now_ms));
        self.refresh.retain(|_, live| *live);
        self.next_sweep = 2 * (self.keys.len() + self.refresh.len());
    }

    /// A fresh refresh token.
    pub(crate) fn issue_refresh(&mut self) -> Option<String> {
        let token = fresh_key(|k| self.refresh.contains_key(k))?;
        self.refresh.insert(token.clone(), true);
        Some(token)
    }

    /// Whether `token` is a working refresh token; `spend` retires it (rotation).
    pub(crate) fn use_refresh(&mut self, token: &str, spend: bool) -> bool {
        match self.refresh.get_mut(token) {
            Some(live) if *live => {
                *live = !spend;
                true
            }
            _ => false,
        }
    }

    /// Logout: the key no longer opens anything.
    pub(crate) fn end(&mut self, key: &str) {
        if let Some(issued) = self.keys.get_mut(key) {
            issued.ended = true;
        }
    }

    /// Every key ends (refresh tokens keep working, as after a lifetime runs out).
    pub(crate) fn expire_all(&mut self) {
        for issued in self.keys.values_mut() {
            issued.ended = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_expire_on_the_mock_clock_and_slide() {
        let clock = Clock::new(0.0);
        let mut sessions = Sessions::default();
        let key = sessions
            .issue(clock.now_ms(), Some(Duration::from_secs(10)))
            .unwrap();
        let other = sessions.issue(clock.now_ms(), None).unwrap();
        assert_ne!(key, other);
        clock.advance(Duration::from_secs(9));
        assert_eq!(sessions.check(&key, clock.now_ms(), true), KeyState::Live);
        clock.advance(Duration::from_secs(9));
        assert_eq!(sessions.check(&key, clock.now_ms(), false), KeyState::Live);
        clock.advance(Duration::from_secs(1));
        assert_eq!(
            sessions.check(&key, clock.now_ms(), false),
            KeyState::Expired
        );
        assert_eq!(
            sessions.check("nope", clock.now_ms(), false),
            KeyState::Unknown
        );
        sessions.end(&other);
        assert_eq!(
            sessions.check(&other, clock.now_ms(), false),
            KeyState::Expired
        );
    }

    #[test]
    fn dead_keys_are_let_go_and_live_ones_kept() {
        let clock = Clock::new(0.0);
        let mut sessions = Sessions::default();
        let lasting = sessions.issue(clock.now_ms(), None).unwrap();
        let refresh = sessions.issue_refresh().unwrap();
        for _ in 0..3 * FIRST_SWEEP {
            let key = sessions
                .issue(clock.now_ms(), Some(Duration::from_secs(1)))
                .unwrap();
            sessions.end(&key);
        }
        assert!(
            sessions.keys.len() < 2 * FIRST_SWEEP,
            "{}",
            sessions.keys.len()
        );
        assert_eq!(
            sessions.check(&lasting, clock.now_ms(), false),
            KeyState::Live
        );
        assert!(sessions.use_refresh(&refresh, false));
        // A key whose lifetime ran out goes at a sweep; until then it is
        // `Expired`, after it `Unknown`: the mock answers both alike.
        let short = sessions
            .issue(clock.now_ms(), Some(Duration::from_secs(1)))
            .unwrap();
        clock.advance(Duration::from_secs(2));
        assert_eq!(
            sessions.check(&short, clock.now_ms(), false),
            KeyState::Expired
        );
    }
}
