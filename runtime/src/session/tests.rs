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
            refresh: None,
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
                refresh: None,
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
) -> Vec<Result<(), SessionError<Kind, Kind>>>
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

/// How a refresh test's server answers a refresh.
type Answer = fn() -> Refreshed<Kind>;

/// What a refresh test's server does: counts logins and refreshes, records
/// the refresh tokens it was sent, and answers refreshes as told.
#[derive(Default)]
struct Server {
    logins: AtomicU32,
    refreshes: AtomicU32,
    sent: Mutex<Vec<String>>,
    /// Refreshes answer this way (none: a new key and a rotated token).
    refresh_answer: Mutex<Option<Answer>>,
    /// Logins fail with this class.
    login_refused: Mutex<Option<ErrorClass>>,
}

const LIFE: Duration = Duration::from_secs(20);

impl Server {
    fn login(&self) -> std::future::Ready<Result<Grant, Error<Kind>>> {
        let n = self.logins.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(class) = *lock(&self.login_refused) {
            return std::future::ready(Err(refusal(class)));
        }
        std::future::ready(Ok(Grant {
            key: Secret::new(format!("login-key-{n}")),
            lifetime: Some(LIFE),
            refresh: Some(Secret::new(format!("login-refresh-{n}"))),
        }))
    }

    fn refresh(&self, token: Secret) -> std::future::Ready<Refreshed<Kind>> {
        let n = self.refreshes.fetch_add(1, Ordering::SeqCst) + 1;
        lock(&self.sent).push(token.expose().to_string());
        if let Some(answer) = *lock(&self.refresh_answer) {
            return std::future::ready(answer());
        }
        std::future::ready(Refreshed::Granted(Grant {
            key: Secret::new(format!("refresh-key-{n}")),
            lifetime: Some(LIFE),
            refresh: Some(Secret::new(format!("rotated-{n}"))),
        }))
    }

    fn counts(&self) -> (u32, u32) {
        (
            self.logins.load(Ordering::SeqCst),
            self.refreshes.load(Ordering::SeqCst),
        )
    }

    fn sent(&self) -> Vec<String> {
        lock(&self.sent).clone()
    }
}

/// `ensure` with the server's login and refresh.
async fn renewed(
    session: &SessionState<Kind>,
    server: &Server,
) -> Result<(), SessionError<Kind, Kind>> {
    let refresh = |token| server.refresh(token);
    session
        .ensure_refreshing(|| server.login(), Some(&refresh))
        .await
}

/// The key a call would carry now.
async fn key(session: &SessionState<Kind>, server: &Server, failed: Option<u64>) -> (String, u64) {
    let refresh = |token| server.refresh(token);
    let lease = session
        .lease(failed, &|| server.login(), Some(&refresh))
        .await
        .unwrap();
    (lease.key.expose().to_string(), lease.generation)
}

#[tokio::test]
async fn a_key_due_for_renewal_is_refreshed_with_the_logins_refresh_token() {
    let clock = Arc::new(ManualClock::new());
    let session = state(5, clock.clone());
    let server = Server::default();
    assert_eq!(key(&session, &server, None).await.0, "login-key-1");
    clock.advance(Duration::from_secs(14));
    assert_eq!(key(&session, &server, None).await.0, "login-key-1");
    assert_eq!(server.counts(), (1, 0));
    // 15 s: the margin (5 s) before the 20 s lifetime.
    clock.advance(Duration::from_secs(1));
    assert_eq!(key(&session, &server, None).await.0, "refresh-key-1");
    assert_eq!(server.counts(), (1, 1));
    assert_eq!(server.sent(), ["login-refresh-1"]);
    assert_eq!((session.logins(), session.refreshes()), (1, 1));
}

#[tokio::test]
async fn an_expired_key_is_refreshed_not_logged_in_again() {
    let session = state(5, Arc::new(ManualClock::new()));
    let server = Server::default();
    let (_, generation) = key(&session, &server, None).await;
    // The server answered `session_expired` to a call with this key.
    assert_eq!(
        key(&session, &server, Some(generation)).await.0,
        "refresh-key-1"
    );
    assert_eq!(server.counts(), (1, 1));
}

#[tokio::test]
async fn each_refresh_sends_the_token_the_previous_one_rotated_in() {
    let session = state(5, Arc::new(ManualClock::new()));
    let server = Server::default();
    let (_, mut generation) = key(&session, &server, None).await;
    for _ in 0..3 {
        generation = key(&session, &server, Some(generation)).await.1;
    }
    assert_eq!(server.sent(), ["login-refresh-1", "rotated-1", "rotated-2"]);
    // A refresh answer without a token keeps the one the session has.
    *lock(&server.refresh_answer) = Some(|| {
        Refreshed::Granted(Grant {
            key: Secret::new("no-rotation"),
            lifetime: None,
            refresh: None,
        })
    });
    generation = key(&session, &server, Some(generation)).await.1;
    key(&session, &server, Some(generation)).await;
    assert_eq!(server.sent()[3..], ["rotated-3", "rotated-3"]);
    assert_eq!(server.counts(), (1, 5));
}

#[tokio::test]
async fn a_refused_refresh_falls_back_to_one_login() {
    let session = state(5, Arc::new(ManualClock::new()));
    let server = Server::default();
    let (_, generation) = key(&session, &server, None).await;
    *lock(&server.refresh_answer) = Some(|| Refreshed::Refused);
    let (key_now, generation) = key(&session, &server, Some(generation)).await;
    assert_eq!(key_now, "login-key-2");
    assert_eq!(server.counts(), (2, 1));
    // The next renewal refreshes with the new login's token.
    *lock(&server.refresh_answer) = None;
    key(&session, &server, Some(generation)).await;
    assert_eq!(server.sent(), ["login-refresh-1", "login-refresh-2"]);
    assert_eq!((session.logins(), session.refreshes()), (2, 1));
}

#[tokio::test]
async fn a_refresh_that_could_not_be_sent_is_reported_and_tried_again() {
    let session = state(5, Arc::new(ManualClock::new()));
    let server = Server::default();
    let (_, generation) = key(&session, &server, None).await;
    *lock(&server.refresh_answer) = Some(|| Refreshed::Failed(Error::Timeout(LIFE)));
    let refresh = |token| server.refresh(token);
    let error = session
        .lease(Some(generation), &|| server.login(), Some(&refresh))
        .await
        .err()
        .unwrap();
    assert!(matches!(*error, Error::Timeout(_)));
    assert_eq!(server.counts(), (1, 1));
    // No login in between: the same refresh token is tried again.
    *lock(&server.refresh_answer) = None;
    renewed(&session, &server).await.unwrap();
    assert_eq!(server.counts(), (1, 2));
    assert_eq!(server.sent(), ["login-refresh-1", "login-refresh-1"]);
}

#[tokio::test]
async fn fifty_concurrent_callers_share_one_refresh() {
    let clock = Arc::new(ManualClock::new());
    let session = state(5, clock.clone());
    let server = Server::default();
    renewed(&session, &server).await.unwrap();
    clock.advance(LIFE);
    let (release, gate) = tokio::sync::watch::channel(false);
    let refresh = |token| {
        let pending = server.refresh(token);
        let mut gate = gate.clone();
        async move {
            let _ = gate.wait_for(|open| *open).await;
            pending.await
        }
    };
    let calls = (0..50).map(|_| session.ensure_refreshing(|| server.login(), Some(&refresh)));
    let opener = async move {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        let _ = release.send(true);
    };
    let (results, ()) = tokio::join!(futures::future::join_all(calls), opener);
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(server.counts(), (1, 1));
}

#[tokio::test]
async fn a_hold_stops_refreshes_as_well_as_logins() {
    let clock = Arc::new(ManualClock::new());
    let session = state(5, clock.clone());
    let server = Server::default();
    let (_, generation) = key(&session, &server, None).await;
    // The refresh is refused, and the login it falls back to is rate limited.
    *lock(&server.refresh_answer) = Some(|| Refreshed::Refused);
    *lock(&server.login_refused) = Some(ErrorClass::RateLimited);
    let refresh = |token| server.refresh(token);
    let error = session
        .lease(Some(generation), &|| server.login(), Some(&refresh))
        .await
        .err()
        .unwrap();
    assert_eq!(error.class(), Some(ErrorClass::RateLimited));
    assert_eq!(server.counts(), (2, 1));
    *lock(&server.refresh_answer) = None;
    *lock(&server.login_refused) = None;
    for _ in 0..3 {
        let error = renewed(&session, &server).await.unwrap_err();
        assert_eq!(error.class(), Some(ErrorClass::RateLimited));
    }
    assert_eq!(server.counts(), (2, 1));
    // After the pause, the refused token is gone: a login, not a refresh.
    clock.advance(RATE_LIMIT_PAUSE);
    renewed(&session, &server).await.unwrap();
    assert_eq!(server.counts(), (3, 1));
}

#[tokio::test]
async fn new_credentials_drop_the_refresh_token() {
    let session = state(5, Arc::new(ManualClock::new()));
    let server = Server::default();
    let (_, generation) = key(&session, &server, None).await;
    session.credentials_changed();
    key(&session, &server, Some(generation)).await;
    assert_eq!(server.counts(), (2, 0));
}

#[test]
fn a_lifetime_in_milliseconds_keeps_its_fraction() {
    assert_eq!(milliseconds(9901_i64), Some(Duration::from_millis(9901)));
    assert_eq!(milliseconds(0_u64), None);
    assert_eq!(milliseconds(-1_i32), None);
}

/// Credentials of a version-key login: (user, version).
type Versioned = (&'static str, u32);

#[tokio::test]
async fn a_refreshed_login_parameter_is_kept_when_the_credentials_stayed() {
    let credentials = Credentials::new(("jan", 1));
    let sent = Mutex::new(Vec::new());
    let login = |request: Versioned| {
        lock(&sent).push(request);
        std::future::ready(if request.1 == 2 {
            Ok("key")
        } else {
            Err(refusal(ErrorClass::InvalidInput))
        })
    };
    let outdated = |kind: &Kind| kind.0 == ErrorClass::InvalidInput;
    let fetch = |_: &Versioned| std::future::ready(Some(2));
    let apply = |request: &mut Versioned, version| request.1 = version;
    let (last, answer) = credentials
        .login_refreshing_param(outdated, login, fetch, apply)
        .await
        .expect("second login");
    assert_eq!((last, answer), (("jan", 2), "key"));
    assert_eq!(*lock(&sent), [("jan", 1), ("jan", 2)]);
    assert_eq!(credentials.get(), ("jan", 2));
}

#[tokio::test]
async fn a_refreshed_login_parameter_never_overwrites_credentials_set_meanwhile() {
    let credentials = Credentials::new(("jan", 1));
    let login = |request: Versioned| {
        std::future::ready(if request.1 == 2 {
            Ok(())
        } else {
            Err(refusal(ErrorClass::InvalidInput))
        })
    };
    // The caller replaces the credentials while the lookup runs.
    let fetch = |_: &Versioned| {
        credentials.set(("eva", 1));
        std::future::ready(Some(2))
    };
    credentials
        .login_refreshing_param(
            |kind: &Kind| kind.0 == ErrorClass::InvalidInput,
            login,
            fetch,
            |request: &mut Versioned, version| request.1 = version,
        )
        .await
        .expect("the login in flight ends");
    assert_eq!(credentials.get(), ("eva", 1));
}

#[tokio::test]
async fn a_failed_lookup_returns_the_login_error() {
    let credentials = Credentials::new(("jan", 1));
    let logins = AtomicU32::new(0);
    let error = credentials
        .login_refreshing_param(
            |kind: &Kind| kind.0 == ErrorClass::InvalidInput,
            |_: Versioned| {
                logins.fetch_add(1, Ordering::SeqCst);
                std::future::ready(Err::<(), _>(refusal(ErrorClass::InvalidInput)))
            },
            |_: &Versioned| std::future::ready(None::<u32>),
            |request: &mut Versioned, version| request.1 = version,
        )
        .await
        .expect_err("no version");
    assert_eq!(error.class(), Some(ErrorClass::InvalidInput));
    assert_eq!(logins.load(Ordering::SeqCst), 1);
    assert_eq!(credentials.get(), ("jan", 1));
}
