//! The generated clients against servers that redirect, on 127.0.0.1:
//! every redirect status (301, 302, 303, 307, 308) to the same origin and to
//! another one (another port is another origin), for logins and for session
//! calls with the key as a field and in the query string, with and without
//! the same-origin opt-in, and with a caller's own `reqwest::Client`.
//!
//! Every case asserts the typed outcome, that the other server received
//! nothing at all, that the error names the target's origin only, and that
//! no secret in any wire form shows in Display, Debug, the source chain or a
//! TRACE-level log.

use loginspec_runtime::{ApiErrorKind, ClientOptions, Error, Redirects, SessionError};
use loginspec_tests::hostile::seeds::*;
use loginspec_tests::hostile::{assert_clean, assert_no_secret, redirect, RawServer};

// ---------------------------------------------------------------- checks

/// `error` is a refused redirect naming `origin` and `status`, and neither
/// the target's path nor its query nor any secret shows anywhere.
#[track_caller]
fn assert_refused(
    error: &(dyn std::error::Error + 'static),
    redirect: Option<(u16, &str)>,
    status: u16,
    origin: &str,
    logs: &str,
) {
    let (found_status, found_origin) =
        redirect.unwrap_or_else(|| panic!("expected Error::Redirect, got {error:?}"));
    assert_eq!(found_status, status);
    assert_eq!(found_origin, origin);
    let text = format!("{error} {error:?}");
    assert!(text.contains(origin), "{text}");
    assert!(
        !text.contains("steal") && !text.contains("from=me"),
        "the path or query shows: {text}"
    );
    assert_clean(error, logs, SECRETS);
}

fn redirect_of<E: ApiErrorKind>(error: &Error<E>) -> Option<(u16, &str)> {
    match error {
        Error::Redirect { status, origin } => Some((*status, origin.as_str())),
        _ => None,
    }
}

fn session_redirect_of<E: ApiErrorKind, L: ApiErrorKind>(
    error: &SessionError<E, L>,
) -> Option<(u16, &str)> {
    match error {
        SessionError::Call(error) => redirect_of(error),
        _ => None,
    }
}

/// The path (and query) a redirect sends the call to on another server.
const STOLEN: &str = "/steal/here?from=me";

// ---------------------------------------------------------------- redirects: logins

macro_rules! login_redirected_elsewhere {
    ($($name:ident: $login:ident, $status:literal, $options:expr;)*) => {$(
        #[tokio::test]
        async fn $name() {
            let other = RawServer::counting().await;
            let home = RawServer::answering(redirect($status, &other.url(STOLEN))).await;
            let (result, logs) = $login(&home, $options).await;
            let error = result.expect_err("a redirect to another origin is refused");
            assert_refused(&error, redirect_of(&error), $status, &other.origin(), &logs);
            other.assert_untouched();
            assert_eq!(home.requests().len(), 1);
        }
    )*};
}

login_redirected_elsewhere! {
    redirect_erply_login_301_elsewhere_is_refused: erply_login, 301, ClientOptions::default();
    redirect_erply_login_302_elsewhere_is_refused: erply_login, 302, ClientOptions::default();
    redirect_erply_login_303_elsewhere_is_refused: erply_login, 303, ClientOptions::default();
    redirect_erply_login_307_elsewhere_is_refused: erply_login, 307, ClientOptions::default();
    redirect_erply_login_308_elsewhere_is_refused: erply_login, 308, ClientOptions::default();
    redirect_aukro_login_301_elsewhere_is_refused: aukro_login, 301, ClientOptions::default();
    redirect_aukro_login_302_elsewhere_is_refused: aukro_login, 302, ClientOptions::default();
    redirect_aukro_login_303_elsewhere_is_refused: aukro_login, 303, ClientOptions::default();
    redirect_aukro_login_307_elsewhere_is_refused: aukro_login, 307, ClientOptions::default();
    redirect_aukro_login_308_elsewhere_is_refused: aukro_login, 308, ClientOptions::default();
    redirect_wialon_login_301_elsewhere_is_refused: wialon_login, 301, ClientOptions::default();
    redirect_wialon_login_302_elsewhere_is_refused: wialon_login, 302, ClientOptions::default();
    redirect_wialon_login_303_elsewhere_is_refused: wialon_login, 303, ClientOptions::default();
    redirect_wialon_login_307_elsewhere_is_refused: wialon_login, 307, ClientOptions::default();
    redirect_wialon_login_308_elsewhere_is_refused: wialon_login, 308, ClientOptions::default();
    redirect_aktion_login_301_elsewhere_is_refused: aktion_login, 301, ClientOptions::default();
    redirect_aktion_login_302_elsewhere_is_refused: aktion_login, 302, ClientOptions::default();
    redirect_aktion_login_303_elsewhere_is_refused: aktion_login, 303, ClientOptions::default();
    redirect_aktion_login_307_elsewhere_is_refused: aktion_login, 307, ClientOptions::default();
    redirect_aktion_login_308_elsewhere_is_refused: aktion_login, 308, ClientOptions::default();
    // Allowing same-origin redirects changes nothing for another origin.
    redirect_same_origin_policy_still_refuses_301_elsewhere: erply_login, 301, same_origin(5);
    redirect_same_origin_policy_still_refuses_302_elsewhere: aukro_login, 302, same_origin(5);
    redirect_same_origin_policy_still_refuses_303_elsewhere: wialon_login, 303, same_origin(5);
    redirect_same_origin_policy_still_refuses_307_elsewhere: erply_login, 307, same_origin(5);
    redirect_same_origin_policy_still_refuses_308_elsewhere: aukro_login, 308, same_origin(5);
}

fn same_origin(max_hops: u8) -> ClientOptions {
    ClientOptions::default().redirects(Redirects::SameOrigin { max_hops })
}

macro_rules! login_redirected_home_by_default {
    ($($name:ident: $status:literal;)*) => {$(
        #[tokio::test]
        async fn $name() {
            let home = RawServer::answering(redirect($status, "/api/elsewhere?from=me")).await;
            let (result, logs) = erply_login(&home, ClientOptions::default()).await;
            let error = result.expect_err("no redirect is followed by default");
            let origin = home.origin();
            assert_refused(&error, redirect_of(&error), $status, &origin, &logs);
            assert!(!error.to_string().contains("elsewhere"), "{error}");
            assert_eq!(home.requests().len(), 1, "nothing was sent again");
        }
    )*};
}

login_redirected_home_by_default! {
    redirect_same_origin_301_is_refused_by_default: 301;
    redirect_same_origin_302_is_refused_by_default: 302;
    redirect_same_origin_303_is_refused_by_default: 303;
    redirect_same_origin_307_is_refused_by_default: 307;
    redirect_same_origin_308_is_refused_by_default: 308;
}

/// A home server that redirects the first request to `/api/again` with
/// `status` and lets the second one log in.
async fn home_redirecting_once(status: u16) -> RawServer {
    RawServer::start(move |request| {
        if request.starts_with(b"POST /api/ ") {
            redirect(status, "/api/again")
        } else {
            json(200, &erply_ok())
        }
    })
    .await
}

fn body_of(request: &[u8]) -> &[u8] {
    let at = request
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a request head");
    &request[at + 4..]
}

macro_rules! login_redirected_home_when_allowed {
    ($($name:ident: $status:literal, $resent:literal;)*) => {$(
        #[tokio::test]
        async fn $name() {
            let home = home_redirecting_once($status).await;
            let (result, logs) = erply_login(&home, same_origin(1)).await;
            let user = result.expect("a same-origin redirect is followed when allowed");
            assert_eq!(user.session_key.expose(), ERPLY_KEY);
            assert_no_secret("the TRACE log", &logs, SECRETS);
            let requests = home.requests();
            assert_eq!(requests.len(), 2);
            let again = String::from_utf8_lossy(&requests[1]).to_ascii_lowercase();
            assert!(!again.contains("referer"), "{again}");
            if $resent {
                // 307/308: the same request to the same server, body and all.
                assert!(again.starts_with("post /api/again "), "{again}");
                assert_eq!(body_of(&requests[1]), body_of(&requests[0]));
            } else {
                // 301/302/303: a GET without the credentials.
                assert!(again.starts_with("get /api/again "), "{again}");
                assert!(body_of(&requests[1]).is_empty());
                assert!(!again.contains("content-type"), "{again}");
            }
        }
    )*};
}

login_redirected_home_when_allowed! {
    redirect_same_origin_301_is_followed_as_a_get_when_allowed: 301, false;
    redirect_same_origin_302_is_followed_as_a_get_when_allowed: 302, false;
    redirect_same_origin_303_is_followed_as_a_get_when_allowed: 303, false;
    redirect_same_origin_307_is_followed_with_its_body_when_allowed: 307, true;
    redirect_same_origin_308_is_followed_with_its_body_when_allowed: 308, true;
}

#[tokio::test]
async fn redirect_to_an_unreadable_location_is_refused_without_echoing_it() {
    let home = RawServer::answering(redirect(307, "http://[::1/steal")).await;
    let (result, logs) = wialon_login(&home, same_origin(3)).await;
    let error = result.expect_err("refused");
    assert_refused(
        &error,
        redirect_of(&error),
        307,
        "an unreadable Location",
        &logs,
    );
    assert_eq!(home.requests().len(), 1);
}

#[tokio::test]
async fn redirect_hops_beyond_the_limit_are_refused() {
    let home = RawServer::answering(redirect(307, "/api/")).await;
    let (result, logs) = erply_login(&home, same_origin(3)).await;
    let error = result.expect_err("a redirect loop ends");
    assert_refused(&error, redirect_of(&error), 307, &home.origin(), &logs);
    assert_eq!(home.requests().len(), 4, "the first request and three hops");
    assert_eq!(
        error.to_string(),
        format!(
            "the call was redirected (HTTP 307) to {}; refused",
            home.origin()
        )
    );
}

// ---------------------------------------------------------------- redirects: session calls

macro_rules! session_redirected_elsewhere {
    ($($name:ident: $call:ident, $marker:literal, $ok:ident, $status:literal;)*) => {$(
        #[tokio::test]
        async fn $name() {
            let other = RawServer::counting().await;
            let home = home_after_login($marker, $ok(), redirect($status, &other.url(STOLEN))).await;
            let (result, logs) = $call(&home).await;
            let error = result.expect_err("the session call is redirected elsewhere");
            assert_refused(&error, session_redirect_of(&error), $status, &other.origin(), &logs);
            other.assert_untouched();
            assert_eq!(home.requests().len(), 2, "one login, one call");
        }
    )*};
}

session_redirected_elsewhere! {
    redirect_erply_session_call_301_elsewhere_keeps_the_key: erply_session_call, "request=verifyUser", erply_ok, 301;
    redirect_erply_session_call_302_elsewhere_keeps_the_key: erply_session_call, "request=verifyUser", erply_ok, 302;
    redirect_erply_session_call_303_elsewhere_keeps_the_key: erply_session_call, "request=verifyUser", erply_ok, 303;
    redirect_erply_session_call_307_elsewhere_keeps_the_key: erply_session_call, "request=verifyUser", erply_ok, 307;
    redirect_erply_session_call_308_elsewhere_keeps_the_key: erply_session_call, "request=verifyUser", erply_ok, 308;
    redirect_wialon_session_call_307_elsewhere_keeps_the_sid: wialon_session_call, "svc=token%2Flogin", wialon_ok, 307;
    redirect_wialon_session_call_308_elsewhere_keeps_the_sid: wialon_session_call, "svc=token%2Flogin", wialon_ok, 308;
}

macro_rules! query_key_redirected_elsewhere {
    ($($name:ident: $status:literal;)*) => {$(
        #[tokio::test]
        async fn $name() {
            let other = RawServer::counting().await;
            let home = RawServer::answering(redirect($status, &other.url(STOLEN))).await;
            let (result, logs) = query_key_call(&home, ClientOptions::default()).await;
            let error = result.expect_err("the call is redirected elsewhere");
            assert_refused(&error, redirect_of(&error), $status, &other.origin(), &logs);
            assert!(!format!("{error} {error:?}").contains("Token="), "{error:?}");
            other.assert_untouched();
            // The key did go home, in the query, as the protocol says.
            let sent = String::from_utf8_lossy(&home.requests()[0]).into_owned();
            assert!(sent.starts_with(&format!("POST /api/attendance/getPassByPerson?Token={AKTION_TOKEN} ")), "{sent}");
        }
    )*};
}

query_key_redirected_elsewhere! {
    redirect_query_key_301_elsewhere_keeps_the_token: 301;
    redirect_query_key_302_elsewhere_keeps_the_token: 302;
    redirect_query_key_303_elsewhere_keeps_the_token: 303;
    redirect_query_key_307_elsewhere_keeps_the_token: 307;
    redirect_query_key_308_elsewhere_keeps_the_token: 308;
}

#[tokio::test]
async fn redirect_query_key_followed_home_sends_no_referer() {
    let home = RawServer::start(|request| {
        if request.starts_with(b"POST /api/attendance") {
            redirect(308, "/api/next")
        } else {
            json(200, "{}")
        }
    })
    .await;
    let (result, logs) = query_key_call(&home, same_origin(2)).await;
    result.expect("followed home");
    assert_no_secret("the TRACE log", &logs, SECRETS);
    let again = String::from_utf8_lossy(&home.requests()[1]).to_ascii_lowercase();
    assert!(again.starts_with("post /api/next "), "{again}");
    assert!(!again.contains("referer"), "no Referer, ever: {again}");
}

// ---------------------------------------------------------------- a caller's own reqwest client

#[tokio::test]
async fn redirect_followed_by_a_callers_client_is_refused_all_the_same() {
    let other = RawServer::counting().await;
    let home = RawServer::answering(redirect(307, &other.url(STOLEN))).await;
    // reqwest's default policy follows; the docs say to build it without.
    let http = reqwest::Client::new();
    let (result, logs) = erply_login(&home, ClientOptions::default().http_client(http)).await;
    let error = result.expect_err("an answer from another origin is refused");
    assert_refused(&error, redirect_of(&error), 200, &other.origin(), &logs);
    assert_eq!(
        other.requests().len(),
        1,
        "that client did follow (documented)"
    );
}

#[tokio::test]
async fn redirect_a_callers_client_without_a_policy_sends_nothing_elsewhere() {
    let other = RawServer::counting().await;
    let home = RawServer::answering(redirect(308, &other.url(STOLEN))).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let (result, logs) = aukro_login(&home, ClientOptions::default().http_client(http)).await;
    let error = result.expect_err("refused");
    assert_refused(&error, redirect_of(&error), 308, &other.origin(), &logs);
    other.assert_untouched();
}
