//! Two sessions (two processes, as far as they know) on one in-memory store.

use super::store::{Claimed, Latch, LockToken, Outcome, SessionStore, SharedKey, StoreError};
use super::*;
use crate::clock::ManualClock;
use crate::error::{ApiError, ErrorCode};
use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Debug, Clone, PartialEq)]
struct Kind(ErrorClass);

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl ApiErrorKind for Kind {
    /// Code 1 is a wrong password, as a latch from the store says.
    fn from_code(code: ErrorCode, _: Option<String>) -> Self {
        match code {
            ErrorCode::Int(1) => Kind(ErrorClass::BadCredentials),
            _ => Kind(ErrorClass::Other),
        }
    }
    fn code(&self) -> ErrorCode {
        ErrorCode::Int(1)
    }
    fn class(&self) -> ErrorClass {
        self.0
    }
}

/// A store in memory, that counts claims and can be switched off.
#[derive(Debug, Default)]
struct Memory {
    inner: Mutex<MemoryState>,
}

#[derive(Debug, Default)]
struct MemoryState {
    key: Option<(Secret, u64)>,
    key_lifetime: Option<Duration>,
    /// The refresh token of the latest key published; outlives the key.
    refresh: Option<Secret>,
    /// When the key lapses, on `clock` (set by `timed`); never without one.
    key_until: Option<Instant>,
    clock: Option<Arc<ManualClock>>,
    latch: Option<Latch>,
    lock: Option<u64>,
    fence: u64,
    claims: u32,
    slides: u32,
    down: bool,
}

impl MemoryState {
    /// Forgets the key once its time is up.
    fn lapse(&mut self) {
        let now = self.clock.as_ref().map(|c| c.now());
        if now
            .zip(self.key_until)
            .is_some_and(|(now, until)| now >= until)
        {
            self.key = None;
        }
    }

    fn until(&self, fresh_for: Option<Duration>) -> Option<Instant> {
        Some(self.clock.as_ref()?.now() + fresh_for?)
    }
}

impl SessionStore for Memory {
    fn claim(&self, stale: Option<u64>, ignore_latch: bool) -> StoreFuture<'_, Claimed> {
        let mut s = lock(&self.inner);
        s.claims += 1;
        s.lapse();
        let claimed = if s.down {
            Err(StoreError::Failed("down".into()))
        } else if let Some(latch) = s.latch.clone().filter(|_| !ignore_latch) {
            Ok(Claimed::Latched(latch))
        } else if let Some((key, version)) = s.key.clone().filter(|(_, v)| Some(*v) != stale) {
            let now = s.clock.as_ref().map(|c| c.now());
            Ok(Claimed::Key(SharedKey {
                key,
                refresh: s.refresh.clone(),
                version,
                lifetime: s.key_lifetime,
                fresh_for: s.key_until.zip(now).map(|(until, now)| until - now),
            }))
        } else if s.lock.is_some() {
            Ok(Claimed::Busy)
        } else {
            s.fence += 1;
            s.lock = Some(s.fence);
            Ok(Claimed::Locked(LockToken(s.fence)))
        };
        Box::pin(std::future::ready(claimed))
    }

    fn publish(&self, token: LockToken, outcome: Outcome) -> StoreFuture<'_, bool> {
        let mut s = lock(&self.inner);
        let current = s.fence == token.0;
        if current {
            match outcome {
                Outcome::Key(key) => {
                    s.key_until = s.until(key.fresh_for);
                    s.key_lifetime = key.lifetime;
                    s.refresh = key.refresh;
                    s.key = Some((key.key, key.version));
                    s.latch = None;
                }
                Outcome::Latch(latch) => {
                    s.latch = Some(latch);
                    s.key = None;
                    s.refresh = None;
                }
                Outcome::Release => {}
            }
            s.lock = None;
        }
        Box::pin(std::future::ready(Ok(current)))
    }

    fn extend(&self, _: LockToken) -> StoreFuture<'_, bool> {
        Box::pin(std::future::ready(Ok(true)))
    }

    fn lease(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn slide(&self, version: u64, fresh_for: Duration) -> StoreFuture<'_, bool> {
        let mut s = lock(&self.inner);
        s.lapse();
        let ours = s.key.as_ref().is_some_and(|(_, v)| *v == version);
        if ours {
            s.slides += 1;
            let until = s.until(Some(fresh_for));
            s.key_until = s.key_until.max(until);
        }
        Box::pin(std::future::ready(Ok(ours)))
    }

    fn refresh_token(&self) -> StoreFuture<'_, Option<Secret>> {
        Box::pin(std::future::ready(Ok(lock(&self.inner).refresh.clone())))
    }
}

/// A store whose keys lapse on `clock`, as Redis's do.
fn timed() -> (Arc<Memory>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new());
    let store = Arc::new(Memory::default());
    lock(&store.inner).clock = Some(Arc::clone(&clock));
    (store, clock)
}

fn process(store: &Arc<Memory>, clock: &Arc<ManualClock>) -> SessionState<Kind> {
    with_rules(store, clock, false)
}

fn with_rules(store: &Arc<Memory>, clock: &Arc<ManualClock>, sliding: bool) -> SessionState<Kind> {
    let rules = SessionRules {
        refresh_margin: Duration::from_secs(30),
        sliding,
    };
    let store: Arc<dyn SessionStore> = Arc::clone(store) as _;
    SessionState::build(
        rules,
        clock.clone(),
        Some(Fleet::new(store, "test", "login")),
    )
}

fn claims(store: &Memory) -> u32 {
    lock(&store.inner).claims
}

type Login<'a> = Box<dyn Fn() -> std::future::Ready<Result<Grant, Error<Kind>>> + 'a>;

fn login(count: &AtomicU32, password_ok: bool) -> Login<'_> {
    Box::new(move || {
        count.fetch_add(1, Ordering::SeqCst);
        std::future::ready(if password_ok {
            Ok(Grant {
                key: Secret::new("k"),
                lifetime: Some(Duration::from_secs(100)),
                refresh: None,
            })
        } else {
            Err(Error::Api {
                provider: "test",
                method: "login",
                error: ApiError {
                    kind: Kind(ErrorClass::BadCredentials),
                    status: 403,
                    message: None,
                    retry_after_secs: None,
                },
            })
        })
    })
}

#[tokio::test]
async fn a_fresh_key_never_asks_the_store_and_the_other_process_takes_it() {
    let (store, clock) = (Arc::new(Memory::default()), Arc::new(ManualClock::new()));
    let (a, b) = (process(&store, &clock), process(&store, &clock));
    let logins = AtomicU32::new(0);
    for _ in 0..50 {
        a.ensure(login(&logins, true)).await.unwrap();
    }
    assert_eq!(claims(&store), 1);
    b.ensure(login(&logins, true)).await.unwrap();
    b.ensure(login(&logins, true)).await.unwrap();
    assert_eq!((claims(&store), logins.load(Ordering::SeqCst)), (2, 1));
    // Due for refresh (100 s, 30 s early): a looks at the store again, and
    // takes what it finds there (this store keeps keys for ever).
    clock.advance(Duration::from_secs(71));
    a.ensure(login(&logins, true)).await.unwrap();
    assert_eq!((claims(&store), logins.load(Ordering::SeqCst)), (3, 1));
}

#[tokio::test]
async fn a_refused_login_holds_every_process_until_new_credentials_work() {
    let (store, clock) = (Arc::new(Memory::default()), Arc::new(ManualClock::new()));
    let (a, b) = (process(&store, &clock), process(&store, &clock));
    let sent = AtomicU32::new(0);
    let refused = a.ensure(login(&sent, false)).await.unwrap_err();
    assert_eq!(refused.class(), Some(ErrorClass::BadCredentials));
    let latched = b.ensure(login(&sent, false)).await.unwrap_err();
    assert_eq!(latched.class(), Some(ErrorClass::BadCredentials));
    clock.advance(Duration::from_secs(5));
    assert!(a.ensure(login(&sent, false)).await.is_err());
    assert!(b.ensure(login(&sent, false)).await.is_err());
    assert_eq!(sent.load(Ordering::SeqCst), 1);
    // New credentials in b: its login passes over the latch, and a takes the
    // key at its next look at the store.
    b.credentials_changed();
    b.ensure(login(&sent, true)).await.unwrap();
    clock.advance(Duration::from_secs(5));
    a.ensure(login(&sent, false)).await.unwrap();
    assert_eq!(sent.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_store_that_is_down_means_logging_in_alone_but_never_past_a_shared_latch() {
    let (store, clock) = (Arc::new(Memory::default()), Arc::new(ManualClock::new()));
    let (a, b) = (process(&store, &clock), process(&store, &clock));
    let sent = AtomicU32::new(0);
    lock(&store.inner).down = true;
    a.ensure(login(&sent, true)).await.unwrap();
    assert_eq!(sent.load(Ordering::SeqCst), 1);
    lock(&store.inner).down = false;
    lock(&store.inner).latch = Some(Latch {
        code: ErrorCode::Int(1),
        status: 403,
        message: None,
        holds_for: None,
    });
    assert!(b.ensure(login(&sent, true)).await.is_err());
    lock(&store.inner).down = true;
    clock.advance(Duration::from_secs(5));
    let held = b.ensure(login(&sent, true)).await.unwrap_err();
    assert_eq!(held.class(), Some(ErrorClass::BadCredentials));
    assert_eq!(sent.load(Ordering::SeqCst), 1);
}

/// A sliding key (100 s, due 30 s early) used every 10 s by one process for
/// longer than its lifetime stays in the store, moved on every 20 s (each
/// time the process's due time ran 12.5 s or more ahead of the store's):
/// another process takes it rather than logging in.
#[tokio::test]
async fn a_sliding_key_stays_in_the_store_while_a_process_uses_it() {
    let (store, clock) = timed();
    let (a, b) = (
        with_rules(&store, &clock, true),
        with_rules(&store, &clock, true),
    );
    let logins = AtomicU32::new(0);
    let ok = |_: Secret| std::future::ready(Ok::<(), KeyError<()>>(()));
    for _ in 0..10 {
        clock.advance(Duration::from_secs(10));
        a.with_key(login(&logins, true), ok).await.unwrap().unwrap();
        // The slide runs in a task of its own.
        tokio::task::yield_now().await;
    }
    assert_eq!(lock(&store.inner).slides, 4);
    b.ensure(login(&logins, true)).await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 1);
    // Unused for longer than it is fresh, the key lapses for everyone.
    clock.advance(Duration::from_secs(71));
    b.ensure(login(&logins, true)).await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 2);
}

/// Process b took the first key and its refresh token, then sat out a's
/// refresh (which rotated the token). When b's key is due and the store's
/// has lapsed too, b holds the lock and refreshes with the token a's
/// refresh left in the store, never with its own spent one.
#[tokio::test]
async fn a_lock_holder_refreshes_with_the_stores_latest_token() {
    let (store, clock) = timed();
    let (a, b) = (process(&store, &clock), process(&store, &clock));
    let hundred = Some(Duration::from_secs(100));
    let login = || {
        std::future::ready(Ok::<_, Error<Kind>>(Grant {
            key: Secret::new("k0"),
            lifetime: hundred,
            refresh: Some(Secret::new("r0")),
        }))
    };
    let seen = Mutex::new(Vec::new());
    let refresh = |token: Secret| {
        let mut seen = lock(&seen);
        seen.push(token.expose().to_owned());
        let n = seen.len();
        std::future::ready(Refreshed::Granted(Grant {
            key: Secret::new(format!("k{n}")),
            lifetime: hundred,
            refresh: Some(Secret::new(format!("r{n}"))),
        }))
    };
    a.ensure_refreshing(login, Some(&refresh)).await.unwrap();
    b.ensure_refreshing(login, Some(&refresh)).await.unwrap();
    clock.advance(Duration::from_secs(71));
    a.ensure_refreshing(login, Some(&refresh)).await.unwrap();
    clock.advance(Duration::from_secs(71));
    b.ensure_refreshing(login, Some(&refresh)).await.unwrap();
    assert_eq!(*lock(&seen), ["r0", "r1"]);
    assert_eq!((a.logins(), b.logins(), b.refreshes()), (1, 0, 1));
}
