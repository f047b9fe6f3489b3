//! Sessions leave locked accounts alone. A login refused as `locked` (Erply
//! 1052: "5 bad attempts → 10-minute lockout"; Aukro ERR_CAPTCHA_REQUIRED:
//! unblocked only by a login on the web page) or `rate_limited` stops the
//! session from logging in until the cool-down or the server's
//! `Retry-After` has passed, or the credentials change; every call in
//! between gets the typed error at once and sends nothing.
//!
//! Time comes from a `ManualClock`, so nothing sleeps; the servers on
//! 127.0.0.1 count the logins they receive.

use loginspec_client::{aukro, erply, wialon};
use loginspec_runtime::{ClientOptions, Error, ErrorClass, ManualClock, SessionError};
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "Pw-0d9e2b71-hunter2";

async fn serve(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

async fn sent(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording on")
        .len()
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The login error behind a session failure; fails on anything else.
#[track_caller]
fn login_error<T: Debug, E, L>(result: Result<T, SessionError<E, L>>) -> Arc<Error<L>>
where
    E: loginspec_runtime::ApiErrorKind,
    L: loginspec_runtime::ApiErrorKind,
{
    match result {
        Err(SessionError::Login(error)) => error,
        other => panic!("expected a login failure, got {other:?}"),
    }
}

// --------------------------------------------------------------- Erply

/// The documented error envelope (protocols.md §5) with `code`.
fn erply_refusal(code: i64) -> ResponseTemplate {
    let body = format!(
        r#"{{"status": {{"request": "verifyUser", "requestUnixTime": 1370604415, "responseStatus": "error",
            "errorCode": {code}, "errorField": null, "generationTime": 0.09, "recordsTotal": 0,
            "recordsInResponse": 0}}, "records": null}}"#
    );
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn erply_session(server: &MockServer, clock: &Arc<ManualClock>) -> erply::Session {
    let client = erply::Client::with_options(
        "123456",
        ClientOptions::default().base_url(format!("{}/api/", server.uri())),
    )
    .expect("client");
    erply::Session::with_clock(
        client,
        erply::VerifyUserRequest::new("demo", PASSWORD),
        clock.clone(),
    )
}

/// One call through the session; its login error.
async fn erply_call(session: &erply::Session) -> Arc<Error<erply::VerifyUserError>> {
    login_error(session.get_session_key_info(Default::default()).await)
}

#[track_caller]
fn assert_erply(
    error: &Error<erply::VerifyUserError>,
    kind: erply::VerifyUserError,
    class: ErrorClass,
) {
    let api = error.api().expect("an API error");
    assert_eq!(api.kind, kind);
    assert_eq!(error.class(), Some(class));
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(PASSWORD), "the password shows: {text}");
    }
}

#[tokio::test]
async fn erply_1052_fifty_callers_one_login_then_silence_until_the_cooldown() {
    let server = serve(erply_refusal(1052)).await;
    let clock = Arc::new(ManualClock::new());
    let session = erply_session(&server, &clock);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move { erply_call(&session).await })
        })
        .collect();
    for call in calls {
        let error = call.await.expect("task");
        assert_erply(
            &error,
            erply::VerifyUserError::UserBlocked,
            ErrorClass::Locked,
        );
    }
    assert_eq!(sent(&server).await, 1, "one login for fifty callers");

    // The spec's cool-down is 600 s: until then nothing is sent.
    for _ in 0..10 {
        let error = erply_call(&session).await;
        assert_erply(
            &error,
            erply::VerifyUserError::UserBlocked,
            ErrorClass::Locked,
        );
    }
    clock.advance(secs(599));
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 1, "still locked at 599 s");
    clock.advance(secs(1));
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 2, "one login once the lock has passed");
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 2, "refused again: another 600 s");
}

#[tokio::test]
async fn erply_1052_new_credentials_allow_exactly_one_more_login() {
    let server = serve(erply_refusal(1052)).await;
    let clock = Arc::new(ManualClock::new());
    let session = erply_session(&server, &clock);
    erply_call(&session).await;
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 1);
    session.set_credentials(erply::VerifyUserRequest::new("demo", "another-password"));
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move { erply_call(&session).await })
        })
        .collect();
    for call in calls {
        call.await.expect("task");
    }
    assert_eq!(sent(&server).await, 2, "exactly one more login");
}

#[tokio::test]
async fn erply_rate_limited_login_honours_retry_after_in_seconds() {
    let server = serve(erply_refusal(1002).insert_header("Retry-After", "120")).await;
    let clock = Arc::new(ManualClock::new());
    let session = erply_session(&server, &clock);
    let error = erply_call(&session).await;
    assert_erply(
        &error,
        erply::VerifyUserError::Provider(erply::ProviderError::HourlyLimitExceeded),
        ErrorClass::RateLimited,
    );
    assert_eq!(error.api().and_then(|e| e.retry_after_secs), Some(120));
    clock.advance(secs(119));
    erply_call(&session).await;
    assert_eq!(
        sent(&server).await,
        1,
        "Retry-After: 120 is not over at 119 s"
    );
    clock.advance(secs(1));
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 2);
}

#[tokio::test]
async fn erply_rate_limited_login_honours_retry_after_as_a_date() {
    // Two hours ahead, in the IMF-fixdate form HTTP servers send.
    let at = time::OffsetDateTime::now_utc() + time::Duration::hours(2);
    let date = format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        &at.weekday().to_string()[..3],
        at.day(),
        &at.month().to_string()[..3],
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    );
    let server = serve(erply_refusal(1002).insert_header("Retry-After", date.as_str())).await;
    let clock = Arc::new(ManualClock::new());
    let session = erply_session(&server, &clock);
    erply_call(&session).await;
    clock.advance(secs(3600));
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 1, "the date is an hour away still");
    clock.advance(secs(3601));
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 2);
}

#[tokio::test]
async fn erply_rate_limited_login_without_retry_after_waits_a_minute() {
    let server = serve(erply_refusal(1002)).await;
    let clock = Arc::new(ManualClock::new());
    let session = erply_session(&server, &clock);
    erply_call(&session).await;
    clock.advance(secs(59));
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 1);
    clock.advance(secs(1));
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 2);
}

#[tokio::test]
async fn erply_retry_after_comes_before_the_cooldown_and_is_capped_at_a_day() {
    let server = serve(erply_refusal(1052).insert_header("Retry-After", "30")).await;
    let clock = Arc::new(ManualClock::new());
    let session = erply_session(&server, &clock);
    erply_call(&session).await;
    clock.advance(secs(30));
    erply_call(&session).await;
    assert_eq!(
        sent(&server).await,
        2,
        "the server said 30 s, not the spec's 600"
    );

    let server = serve(erply_refusal(1002).insert_header("Retry-After", "99999999999")).await;
    let session = erply_session(&server, &clock);
    erply_call(&session).await;
    clock.advance(secs(86_399));
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 1);
    clock.advance(secs(1));
    erply_call(&session).await;
    assert_eq!(sent(&server).await, 2, "no wait is longer than a day");
}

#[tokio::test]
async fn erply_bad_credentials_still_wait_for_new_credentials_whatever_the_clock() {
    let server = serve(erply_refusal(1051).insert_header("Retry-After", "1")).await;
    let clock = Arc::new(ManualClock::new());
    let session = erply_session(&server, &clock);
    erply_call(&session).await;
    clock.advance(secs(7 * 24 * 3600));
    let error = erply_call(&session).await;
    assert_erply(
        &error,
        erply::VerifyUserError::LoginFailed,
        ErrorClass::BadCredentials,
    );
    assert_eq!(sent(&server).await, 1);
}

// --------------------------------------------------------------- Aukro

fn aukro_fault(code: &str) -> ResponseTemplate {
    let body = format!(
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>{code}</faultcode><faultstring>refused</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
    );
    ResponseTemplate::new(500).set_body_raw(body, "text/xml; charset=utf-8")
}

fn aukro_session(server: &MockServer, clock: &Arc<ManualClock>) -> aukro::Session {
    let client = aukro::Client::with_options(
        ClientOptions::default().base_url(server.uri() + "/service.php"),
    )
    .expect("client");
    aukro::Session::with_clock(client, aukro_request(PASSWORD), clock.clone())
}

fn aukro_request(password: &str) -> aukro::DoLoginEncRequest {
    aukro::DoLoginEncRequest::new(aukro::DoLoginEncArgs {
        user_login: "jan.novak".into(),
        password: password.into(),
        country_id: 56,
        webapi_key: "wk-5b8d0c47e2a9".into(),
        local_version: 1480350339,
    })
}

#[tokio::test]
async fn aukro_captcha_required_fifty_callers_one_login_then_none_until_new_credentials() {
    let server = serve(aukro_fault("ERR_CAPTCHA_REQUIRED")).await;
    let clock = Arc::new(ManualClock::new());
    let session = aukro_session(&server, &clock);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move { session.ensure_login().await })
        })
        .collect();
    for call in calls {
        let error = call.await.expect("task").expect_err("locked");
        assert_eq!(
            error.login().and_then(Error::api).map(|e| &e.kind),
            Some(&aukro::DoLoginEncError::CaptchaRequired)
        );
        assert_eq!(error.class(), Some(ErrorClass::Locked));
        assert!(!format!("{error} {error:?}").contains(PASSWORD));
    }
    assert_eq!(sent(&server).await, 1, "one login for fifty callers");
    // Only a person can lift it: no time is long enough.
    clock.advance(secs(30 * 24 * 3600));
    for _ in 0..5 {
        session.ensure_login().await.expect_err("still locked");
    }
    assert_eq!(sent(&server).await, 1);
    session.set_credentials(aukro_request(PASSWORD));
    session
        .ensure_login()
        .await
        .expect_err("the server still says so");
    session
        .ensure_login()
        .await
        .expect_err("and the session believes it");
    assert_eq!(sent(&server).await, 2, "exactly one more login");
}

#[tokio::test]
async fn aukro_minute_limit_waits_the_documented_five_minutes() {
    let server = serve(aukro_fault("ERR_MINUTE_LIMIT_EXCEEDED")).await;
    let clock = Arc::new(ManualClock::new());
    let session = aukro_session(&server, &clock);
    let error = session.ensure_login().await.expect_err("limited");
    assert_eq!(error.class(), Some(ErrorClass::RateLimited));
    clock.advance(secs(299));
    session.ensure_login().await.expect_err("held");
    assert_eq!(sent(&server).await, 1);
    clock.advance(secs(1));
    session.ensure_login().await.expect_err("limited again");
    assert_eq!(sent(&server).await, 2);
}

// -------------------------------------------------------------- Wialon

#[tokio::test]
async fn wialon_two_factor_lockout_waits_for_new_credentials() {
    let server =
        serve(ResponseTemplate::new(200).set_body_raw(r#"{"error":1006}"#, "application/json"))
            .await;
    let clock = Arc::new(ManualClock::new());
    let client = wialon::Client::with_options(
        ClientOptions::default().base_url(format!("{}/wialon/ajax.html", server.uri())),
    )
    .expect("client");
    let token = "2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38";
    let request = || wialon::TokenLoginRequest::new(token, wialon::LoginFlags::BASIC_INFO);
    let session = wialon::Session::with_clock(client, request(), clock.clone());
    for _ in 0..3 {
        let error = login_error(session.create_auth_hash(Default::default()).await);
        assert_eq!(
            error.api().map(|e| &e.kind),
            Some(&wialon::TokenLoginError::Provider(
                wialon::ProviderError::TwoFactorAttemptsExceeded
            ))
        );
        assert!(!format!("{error} {error:?}").contains(token));
    }
    clock.advance(secs(24 * 3600));
    session
        .create_auth_hash(Default::default())
        .await
        .expect_err("held");
    assert_eq!(sent(&server).await, 1);
    session.set_credentials(request());
    session
        .create_auth_hash(Default::default())
        .await
        .expect_err("refused again");
    assert_eq!(sent(&server).await, 2);
}
