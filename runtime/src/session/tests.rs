use super::*;
use crate::clock::ManualClock;
use crate::error::{ApiError, ErrorCode};
use std::sync::atomic::{AtomicU32, Ordering};

/// A login error of the given class.
#[derive(Debug, Clone, PartialEq)]
struct Kind(ErrorClass);

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl ApiErrorKind for Kind {
    fn from_code(_: ErrorCode, _: Option<String>) -> Self {
        Kind(ErrorClass::Other)
    }
    fn code(&self) -> ErrorCode {
        ErrorCode::Int(1)
    }
    fn class(&self) -> ErrorClass {
        self.0
    }
}

fn refusal(class: ErrorClass) -> Error<Kind> {
    Error::Api {
        provider: "test",
        method: "login",
        error: ApiError {
            kind: Kind(class),
            status: 200,
            message: None,
            retry_after_secs: None,
        },
    }
}

fn state(margin: u64, clock: Arc<ManualClock>) -> SessionState<Kind> {
    SessionState::new(
        SessionRules {
            refresh_margin: Duration::from_secs(margin),
            sliding: false,
        },
        clock,
    )
}

fn granting(
    lifetime: Option<Duration>,
    count: &AtomicU32,
) -> impl Fn() -> std::future::Ready<Result<Grant, Error<Kind>>> + '_ {
    move || {
        count.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Ok(Grant {
            key: Secret::new("k"),
            lifetime,
        }))
    }
}

#[tokio::test]
async fn a_lifetime_too_long_for_an_instant_never_expires_and_does_not_panic() {
    let clock = Arc::new(ManualClock::new());
    let session = state(30, clock.clone());
    let logins = AtomicU32::new(0);
    let login = granting(Some(Duration::from_secs(u64::MAX)), &logins);
    session.ensure(&login).await.unwrap();
    clock.advance(Duration::from_secs(10 * 365 * 24 * 3600));
    session.ensure(&login).await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_refresh_margin_is_capped_at_half_the_lifetime() {
    let clock = Arc::new(ManualClock::new());
    // A 600 s margin on a 20 s key would mean logging in before every call.
    let session = state(600, clock.clone());
    let logins = AtomicU32::new(0);
    let login = granting(Some(Duration::from_secs(20)), &logins);
    session.ensure(&login).await.unwrap();
    clock.advance(Duration::from_secs(9));
    session.ensure(&login).await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 1);
    clock.advance(Duration::from_secs(1));
    session.ensure(&login).await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failed_login_is_shared_by_its_waiters_and_retried_by_a_later_call() {
    let session = state(30, Arc::new(ManualClock::new()));
    let attempts = AtomicU32::new(0);
    let (release, gate) = tokio::sync::watch::channel(false);
    let login = || {
        attempts.fetch_add(1, Ordering::SeqCst);
        let mut gate = gate.clone();
        async move {
            // Hold the login open until every waiter is queued.
            let _ = gate.wait_for(|open| *open).await;
            Err(refusal(ErrorClass::Server))
        }
    };
    let waiters = futures_join(&session, &login, 20, release).await;
    assert!(waiters.iter().all(Result::is_err));
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
    assert!(session.ensure(&login).await.is_err());
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    assert_eq!(session.logins(), 0);
}

#[tokio::test]
async fn refused_credentials_are_not_tried_again_until_they_change() {
    let session = state(30, Arc::new(ManualClock::new()));
    let attempts = AtomicU32::new(0);
    let login = || {
        attempts.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Err(refusal(ErrorClass::BadCredentials)))
    };
    for _ in 0..5 {
        let error = session.ensure(&login).await.unwrap_err();
        assert_eq!(error.class(), Some(ErrorClass::BadCredentials));
    }
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
    session.credentials_changed();
    session.ensure(&login).await.unwrap_err();
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn waiters_take_the_new_key_even_when_the_login_outlasted_its_early_refresh() {
    let clock = Arc::new(ManualClock::new());
    let session = state(5, clock.clone());
    let logins = AtomicU32::new(0);
    let (release, gate) = tokio::sync::watch::channel(false);
    let login = || {
        logins.fetch_add(1, Ordering::SeqCst);
        let mut gate = gate.clone();
        let clock = clock.clone();
        async move {
            let _ = gate.wait_for(|open| *open).await;
            // The login took 16 s of a 20 s key: it is due for refresh
            // (at 15 s) before anyone has used it.
            clock.advance(Duration::from_secs(16));
            Ok(Grant {
                key: Secret::new("k"),
                lifetime: Some(Duration::from_secs(20)),
            })
        }
    };
    let results = futures_join(&session, &login, 20, release).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(logins.load(Ordering::SeqCst), 1);
}

#[test]
fn a_zero_or_negative_lifetime_is_unknown() {
    assert_eq!(seconds(0_i64), None);
    assert_eq!(seconds(-5_i64), None);
    assert_eq!(seconds(20_i64), Some(Duration::from_secs(20)));
}

/// Runs `n` `ensure` calls at once, then lets the login finish.
async fn futures_join<L, F>(
    session: &SessionState<Kind>,
    login: &L,
    n: usize,
    release: tokio::sync::watch::Sender<bool>,
) -> Vec<Result<(), Arc<Error<Kind>>>>
where
    L: Fn() -> F,
    F: Future<Output = Result<Grant, Error<Kind>>>,
{
    let calls = (0..n).map(|_| session.ensure(login));
    let opener = async move {
        // Let every call reach the lock before the login answers.
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        let _ = release.send(true);
    };
    let (results, ()) = tokio::join!(futures::future::join_all(calls), opener);
    results
}
