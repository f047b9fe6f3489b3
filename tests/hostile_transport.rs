//! The generated clients against hostile servers on 127.0.0.1: redirects to
//! the same and to another origin (another port is another origin), answers
//! cut off mid-body, server text with control characters, a 1 MB message,
//! echoed passwords in every encoding and received keys behind prefixes.
//!
//! Every case asserts the typed outcome and that no secret, in any wire
//! form, shows in the error's Display, Debug, source chain or a TRACE-level
//! log of the call. Raw TCP servers write the exact bytes (bad framing
//! included) and count what reaches them.

use loginspec_client::{aktion, aukro, erply, wialon};
use loginspec_runtime::{
    ApiErrorKind, ClientOptions, Error, Invalid, Method, Redirects, Request, Secret, SessionError,
    Transport,
};
use loginspec_tests::hostile::{
    assert_clean, assert_no_secret, broken_chunks, cut_off, redirect, response, traced, RawServer,
};

// ---------------------------------------------------------------- secrets

/// Has a space, `+`, `&`, `"`, `/` and a non-ASCII letter, so that every
/// encoding writes it differently.
const ERPLY_PASSWORD: &str = "Erply pa$$+w&rd/\"ä\"-2b7f";
const ERPLY_KEY: &str = "erply-session-key-8d1c";
const AUKRO_PASSWORD: &str = "aukro-password-91e0";
/// base64(SHA-256(AUKRO_PASSWORD)), what doLoginEnc sends.
const AUKRO_HASH: &str = "09OBnO9ST1XgMx7I4mYpRoJvQBK6CPNljZrDTuvXgMc=";
const AUKRO_WEBAPI_KEY: &str = "aukro-webapi-key-3f3f";
const AUKRO_HANDLE: &str = "aukro-session-handle-7c7c";
const AKTION_TOKEN: &str = "aktion-token-0b0b";
/// A key sent as a number where text belongs.
const NUMERIC_KEY: &str = "918273645501";
const WIALON_TOKEN: &str =
    "wialon-token-secret-72-chars-0000000000000000000000000000000000000000000";
const WIALON_EID: &str = "wialon-session-eid-6a6a";
const WIALON_TOKEN_HASH: &str = "wialon-token-hash-9f9f";

const SECRETS: &[&str] = &[
    ERPLY_PASSWORD,
    ERPLY_KEY,
    AUKRO_PASSWORD,
    AUKRO_HASH,
    AUKRO_WEBAPI_KEY,
    AUKRO_HANDLE,
    AKTION_TOKEN,
    NUMERIC_KEY,
    WIALON_TOKEN,
    WIALON_EID,
    WIALON_TOKEN_HASH,
];

// ---------------------------------------------------------------- answers

fn erply_ok() -> String {
    format!(
        r#"{{"status":{{"request":"verifyUser","responseStatus":"ok","errorCode":0}},"records":[{{"userID":"5","userName":"demo","sessionKey":"{ERPLY_KEY}","sessionLength":3600}}]}}"#
    )
}

fn erply_error(code: i64, field: &str) -> String {
    serde_json::json!({
        "status": {"request": "verifyUser", "responseStatus": "error", "errorCode": code, "errorField": field},
        "records": null
    })
    .to_string()
}

fn aukro_ok() -> String {
    format!(
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="https://webapi.allegro.pl/service.php"><SOAP-ENV:Body><ns1:doLoginEncResponse><ns1:sessionHandlePart>{AUKRO_HANDLE}</ns1:sessionHandlePart><ns1:userId>4109848</ns1:userId><ns1:serverTime>1269814134</ns1:serverTime></ns1:doLoginEncResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
    )
}

fn aukro_fault(code: &str, text: &str) -> String {
    format!(
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>{code}</faultcode><faultstring>{text}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
    )
}

fn wialon_ok() -> String {
    format!(
        r#"{{"eid":"{WIALON_EID}","gis_sid":"g","host":"127.0.0.1","au":"demo","tm":1358415984,"th":"{WIALON_TOKEN_HASH}","user":{{"nm":"demo","cls":1,"id":7}}}}"#
    )
}

fn json(status: u16, body: &str) -> Vec<u8> {
    response(
        status,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

fn xml(status: u16, body: &str) -> Vec<u8> {
    response(status, &[("Content-Type", "text/xml")], body.as_bytes())
}

// ---------------------------------------------------------------- calls

type Outcome<T, E> = (Result<T, Error<E>>, String);

async fn erply_login(
    server: &RawServer,
    options: ClientOptions,
) -> Outcome<erply::VerifyUserResponse, erply::VerifyUserError> {
    let client = erply::Client::with_options("123456", options.base_url(server.url("/api/")))
        .expect("client");
    traced(client.verify_user(erply::VerifyUserRequest::new("demo", ERPLY_PASSWORD))).await
}

async fn aukro_login(
    server: &RawServer,
    options: ClientOptions,
) -> Outcome<aukro::DoLoginEncResponse, aukro::DoLoginEncError> {
    let client =
        aukro::Client::with_options(options.base_url(server.url("/service.php"))).expect("client");
    let request =
        aukro::DoLoginEncRequest::new("jan", AUKRO_PASSWORD, 56, AUKRO_WEBAPI_KEY, 1480350339);
    traced(client.do_login_enc(request)).await
}

async fn wialon_login(
    server: &RawServer,
    options: ClientOptions,
) -> Outcome<wialon::TokenLoginResponse, wialon::TokenLoginError> {
    let client = wialon::Client::with_options(options.base_url(server.url("/wialon/ajax.html")))
        .expect("client");
    let request = wialon::TokenLoginRequest::new(WIALON_TOKEN, wialon::LoginFlags::BASIC_INFO);
    traced(client.token_login(request)).await
}

async fn aktion_login(
    server: &RawServer,
    options: ClientOptions,
) -> Outcome<aktion::LoginAdvAuthResponse, aktion::LoginAdvAuthError> {
    let client =
        aktion::Client::with_options(options.base_url(server.url("/api/"))).expect("client");
    traced(client.login_adv_auth(aktion::LoginAdvAuthRequest::new("John.Doo"))).await
}

/// A home server that lets the login through and answers every other call
/// with `answer`.
async fn home_after_login(login_marker: &'static str, ok: String, answer: Vec<u8>) -> RawServer {
    RawServer::start(move |request| {
        let text = String::from_utf8_lossy(request);
        if text.contains(login_marker) {
            json(200, &ok)
        } else {
            answer.clone()
        }
    })
    .await
}

/// An Erply session call (key as the `sessionKey` field) after a login.
async fn erply_session_call(
    server: &RawServer,
) -> (
    Result<
        erply::GetSessionKeyInfoResponse,
        SessionError<erply::GetSessionKeyInfoError, erply::VerifyUserError>,
    >,
    String,
) {
    let client = erply::Client::with_options(
        "123456",
        ClientOptions::default().base_url(server.url("/api/")),
    )
    .expect("client");
    let session = erply::Session::new(
        client,
        erply::VerifyUserRequest::new("demo", ERPLY_PASSWORD),
    );
    traced(session.get_session_key_info(erply::GetSessionKeyInfoRequest::new())).await
}

/// A Wialon session call (key as the `sid` field) after a login.
async fn wialon_session_call(
    server: &RawServer,
) -> (
    Result<
        wialon::CreateAuthHashResponse,
        SessionError<wialon::CreateAuthHashError, wialon::TokenLoginError>,
    >,
    String,
) {
    let client = wialon::Client::with_options(
        ClientOptions::default().base_url(server.url("/wialon/ajax.html")),
    )
    .expect("client");
    let login = wialon::TokenLoginRequest::new(WIALON_TOKEN, wialon::LoginFlags::BASIC_INFO);
    let session = wialon::Session::new(client, login);
    traced(session.create_auth_hash(Default::default())).await
}

/// A call in Aktion's protocol carrying its token in the query string
/// (`?Token=…`), as every Aktion call after login does.
static PASSES: Method = Method {
    name: "attendance/getPassByPerson",
    path: "attendance/getPassByPerson",
    soap: None,
    constants: &[],
    error_statuses: &[],
};

#[derive(loginspec_runtime::serde::Serialize)]
#[serde(crate = "loginspec_runtime::serde")]
struct NoParams {}

impl Request for NoParams {
    fn validate(&mut self) -> Result<(), Invalid> {
        Ok(())
    }
}

async fn query_key_call(
    server: &RawServer,
    options: ClientOptions,
) -> Outcome<serde_json::Value, aktion::LoginAdvAuthError> {
    let transport = Transport::new(&aktion::PROTOCOL, options.base_url(server.url("/api/")), [])
        .expect("transport");
    let key = Secret::new(AKTION_TOKEN);
    traced(transport.call_in_session(&PASSES, &key, NoParams {})).await
}

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
        SessionError::Login(_) => None,
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

// ---------------------------------------------------------------- cut-off answers

fn truncated_of<E: ApiErrorKind>(error: &Error<E>) -> (u16, usize, Option<u64>) {
    match error {
        Error::Truncated {
            status,
            received,
            expected,
            ..
        } => (*status, *received, *expected),
        other => panic!("expected Error::Truncated, got {other:?}"),
    }
}

#[track_caller]
fn assert_cut_off_wording(error: &(dyn std::error::Error + 'static), logs: &str) {
    let text = error.to_string();
    assert!(
        !text.contains("could not reach"),
        "the server did answer: {text}"
    );
    assert!(text.contains("cut off"), "{text}");
    assert_clean(error, logs, SECRETS);
}

#[tokio::test]
async fn truncated_erply_answer_says_cut_off_with_the_status() {
    let body = erply_ok();
    let home = RawServer::answering(cut_off(200, 500, &body.as_bytes()[..40])).await;
    let (result, logs) = erply_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("cut off");
    assert_eq!(truncated_of(&error), (200, 40, Some(500)));
    assert_cut_off_wording(&error, &logs);
    assert!(error.to_string().contains("HTTP 200"), "{error}");
}

#[tokio::test]
async fn truncated_aukro_fault_inside_the_handle_says_cut_off() {
    let body = aukro_ok();
    let end = body.find(AUKRO_HANDLE).expect("handle") + 10;
    let home = RawServer::answering(cut_off(500, body.len(), &body.as_bytes()[..end])).await;
    let (result, logs) = aukro_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("cut off");
    assert_eq!(truncated_of(&error), (500, end, Some(body.len() as u64)));
    assert_cut_off_wording(&error, &logs);
}

#[tokio::test]
async fn truncated_wialon_answer_after_the_head_says_cut_off_after_0_bytes() {
    let home = RawServer::answering(cut_off(200, 128, b"")).await;
    let (result, logs) = wialon_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("cut off");
    assert_eq!(truncated_of(&error), (200, 0, Some(128)));
    assert_cut_off_wording(&error, &logs);
}

#[tokio::test]
async fn truncated_chunked_aktion_answer_says_cut_off() {
    let body = format!(r#"{{"Token":"{AKTION_TOKEN}","ExpireInSec":20"#);
    let home = RawServer::answering(broken_chunks(body.as_bytes())).await;
    let (result, logs) = aktion_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("cut off");
    let (status, _, expected) = truncated_of(&error);
    assert_eq!((status, expected), (200, None));
    assert_cut_off_wording(&error, &logs);
}

#[tokio::test]
async fn truncated_session_call_is_the_calls_error_not_a_login_failure() {
    let home = home_after_login(
        "request=verifyUser",
        erply_ok(),
        cut_off(200, 300, br#"{"status":{"#),
    )
    .await;
    let (result, logs) = erply_session_call(&home).await;
    let error = result.expect_err("cut off");
    match &error {
        SessionError::Call(inner) => assert_eq!(truncated_of(inner).1, 11),
        other => panic!("expected the call's error, got {other:?}"),
    }
    assert_cut_off_wording(&error, &logs);
}

// ---------------------------------------------------------------- hostile server text

#[track_caller]
fn api_message<E: ApiErrorKind>(error: &Error<E>) -> String {
    error
        .api()
        .unwrap_or_else(|| panic!("expected an API error, got {error:?}"))
        .message
        .clone()
        .unwrap_or_default()
}

#[tokio::test]
async fn text_crlf_ansi_and_osc_in_a_message_are_escaped() {
    let forged =
        "bad\r\n2026-12-01T00:00:00Z INFO login ok user=admin\x1b[2J\x1b]0;owned\x07\u{9b}31m\0end";
    let home = RawServer::answering(json(200, &erply_error(1099, forged))).await;
    let (result, logs) = erply_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("an API error");
    let message = api_message(&error);
    assert!(!message.chars().any(char::is_control), "{message:?}");
    assert!(
        message.contains("\\r\\n2026") && message.contains("\\u{1b}[2J"),
        "{message}"
    );
    assert_clean(&error, &logs, SECRETS);
    assert!(!logs.contains('\x1b'), "{logs:?}");
}

#[tokio::test]
async fn text_a_1_mb_fault_string_gives_a_short_display() {
    let huge = "A".repeat(1 << 20);
    let home = RawServer::answering(xml(500, &aukro_fault("ERR_SOMETHING_NEW", &huge))).await;
    let (result, logs) = aukro_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("a fault");
    let shown = error.to_string();
    assert!(shown.len() < 1000, "{} bytes", shown.len());
    assert!(
        shown.ends_with("… (1048576 bytes in all) (code ERR_SOMETHING_NEW, HTTP 500)"),
        "{shown}"
    );
    assert!(format!("{error:?}").len() < 2000);
    assert_clean(&error, &logs, SECRETS);
}

#[tokio::test]
async fn text_a_1_mb_undecodable_body_gives_a_short_display() {
    let page = format!("<html>{}</html>", "\x1b[31m".repeat(200_000));
    let home = RawServer::answering(response(502, &[], page.as_bytes())).await;
    let (result, logs) = wialon_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("undecodable");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(error.to_string().len() < 2000);
    assert_clean(&error, &logs, SECRETS);
}

/// Every wire form of each of `secrets`, one after the other.
fn echo_of(secrets: &[&str]) -> String {
    secrets
        .iter()
        .flat_map(|s| loginspec_tests::hostile::wire_forms(s))
        .collect::<Vec<_>>()
        .join(" | ")
}

#[tokio::test]
async fn text_erply_echoing_the_password_in_every_encoding_shows_none() {
    let echo = format!("password={} rejected", echo_of(&[ERPLY_PASSWORD]));
    let home = RawServer::answering(json(200, &erply_error(1099, &echo))).await;
    let (result, logs) = erply_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("an API error");
    assert!(matches!(
        &error.api().expect("api").kind,
        erply::VerifyUserError::Unknown { .. }
    ));
    assert!(
        error
            .to_string()
            .contains("undocumented error 1099: password=***"),
        "{error}"
    );
    assert_clean(&error, &logs, SECRETS);
}

#[tokio::test]
async fn text_aukro_echoing_hash_and_key_in_every_encoding_shows_none() {
    let echo = quick_escape(&echo_of(&[AUKRO_HASH, AUKRO_WEBAPI_KEY]));
    let home = RawServer::answering(xml(500, &aukro_fault("ERR_WEBAPI_KEY", &echo))).await;
    let (result, logs) = aukro_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("a fault");
    assert!(error.api().is_some(), "{error:?}");
    assert_clean(&error, &logs, SECRETS);
}

#[tokio::test]
async fn text_wialon_echoing_the_token_in_every_encoding_shows_none() {
    let body = serde_json::json!({"error": 4, "reason": echo_of(&[WIALON_TOKEN])}).to_string();
    let home = RawServer::answering(json(200, &body)).await;
    let (result, logs) = wialon_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("an API error");
    assert!(error.api().is_some(), "{error:?}");
    assert_clean(&error, &logs, SECRETS);
}

#[tokio::test]
async fn text_a_session_call_echoing_its_key_shows_none() {
    let echo = format!("sessionKey {} is odd", echo_of(&[ERPLY_KEY]));
    let home = home_after_login(
        "request=verifyUser",
        erply_ok(),
        json(200, &erply_error(1099, &echo)),
    )
    .await;
    let (result, logs) = erply_session_call(&home).await;
    let error = result.expect_err("an API error");
    assert!(error.class().is_some(), "{error:?}");
    assert_clean(&error, &logs, SECRETS);
}

#[tokio::test]
async fn text_a_session_call_echoing_the_login_password_shows_none() {
    // The call does not send the password, but the session's client did.
    let echo = format!("user demo / {}", echo_of(&[ERPLY_PASSWORD]));
    let home = home_after_login(
        "request=verifyUser",
        erply_ok(),
        json(200, &erply_error(1099, &echo)),
    )
    .await;
    let (result, logs) = erply_session_call(&home).await;
    let error = result.expect_err("an API error");
    assert!(error.to_string().contains("user demo / ***"), "{error}");
    assert_clean(&error, &logs, SECRETS);
}

/// A request whose check quotes its secret value, as a range check quotes
/// a number.
#[derive(loginspec_runtime::serde::Serialize)]
#[serde(crate = "loginspec_runtime::serde")]
struct Quoting {
    #[serde(rename = "Token")]
    token: String,
}

impl Request for Quoting {
    fn validate(&mut self) -> Result<(), Invalid> {
        Err(Invalid {
            field: "Token",
            reason: format!("must be at most 64, got {}", self.token),
        })
    }
}

#[tokio::test]
async fn text_a_check_quoting_a_secret_shows_none_and_sends_nothing() {
    let home = RawServer::counting().await;
    let transport = Transport::new(
        &aktion::PROTOCOL,
        ClientOptions::default().base_url(home.url("/api/")),
        [],
    )
    .expect("transport");
    let request = Quoting {
        token: NUMERIC_KEY.into(),
    };
    let (result, logs) =
        traced(transport.call::<_, serde_json::Value, aktion::LoginAdvAuthError>(&PASSES, request))
            .await;
    let error = result.expect_err("the check fails");
    assert!(matches!(error, Error::Invalid { .. }), "{error:?}");
    assert!(error.to_string().ends_with("got ***"), "{error}");
    assert_clean(&error, &logs, SECRETS);
    home.assert_untouched();
}

#[tokio::test]
async fn text_a_query_key_echoed_in_a_message_shows_none() {
    let body = serde_json::json!({"Code": 1099, "Message": format!("Token={} unknown", echo_of(&[AKTION_TOKEN]))}).to_string();
    let home = RawServer::answering(json(400, &body)).await;
    let (result, logs) = query_key_call(&home, ClientOptions::default()).await;
    let error = result.expect_err("an API error");
    assert!(error.api().is_some(), "{error:?}");
    assert_clean(&error, &logs, SECRETS);
}

#[tokio::test]
async fn text_a_fault_code_holding_a_secret_and_escapes_is_cleaned() {
    let code = format!("ERR_{AUKRO_WEBAPI_KEY}\x1b[2J");
    let home = RawServer::answering(xml(500, &aukro_fault(&code, "no"))).await;
    let (result, logs) = aukro_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("a fault");
    let code = error.api().expect("api").kind.code().to_string();
    assert_eq!(code, "ERR_***\\u{1b}[2J");
    assert_clean(&error, &logs, SECRETS);
}

/// XML-escapes text for a fault string.
fn quick_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

// ---------------------------------------------------------------- received keys behind prefixes

macro_rules! received_key_behind_a_prefix {
    ($($name:ident: $login:ident, $answer:expr;)*) => {$(
        #[tokio::test]
        async fn $name() {
            let home = RawServer::answering($answer).await;
            let (result, logs) = $login(&home, ClientOptions::default()).await;
            let error = result.expect_err("undecodable");
            let Error::Decode { excerpt, .. } = &error else {
                panic!("expected Error::Decode, got {error:?}");
            };
            assert!(excerpt.contains("***"), "{excerpt}");
            assert_clean(&error, &logs, SECRETS);
        }
    )*};
}

received_key_behind_a_prefix! {
    prefix_bom_before_an_erply_answer: erply_login, json(200, &format!("\u{feff}{}", erply_ok()));
    prefix_xssi_guard_before_an_erply_answer: erply_login, json(200, &format!(")]}}',\n{}", erply_ok()));
    prefix_jsonp_wrapper_around_an_erply_answer: erply_login, json(200, &format!("callback({});", erply_ok()));
    prefix_nul_byte_before_an_erply_answer: erply_login, json(200, &format!("\0{}", erply_ok()));
    prefix_doctype_before_a_cut_soap_body: aukro_login, xml(200, &format!("<!DOCTYPE x><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><doLoginEncResponse><sessionHandlePart>{AUKRO_HANDLE}"));
    prefix_jsonp_around_a_wialon_answer: wialon_login, json(200, &format!("/**/cb({})", wialon_ok()));
    prefix_text_before_an_aktion_token: aktion_login, json(200, &format!("token follows: {{\"Token\":\"{AKTION_TOKEN}\",\"ExpireInSec\":20}}"));
}

#[tokio::test]
async fn prefix_a_key_sent_as_a_number_stays_out_of_the_reason() {
    let body = format!(r#"{{"Token":{NUMERIC_KEY},"ExpireInSec":20}}"#);
    let home = RawServer::answering(json(200, &body)).await;
    let (result, logs) = aktion_login(&home, ClientOptions::default()).await;
    let error = result.expect_err("a number where text belongs");
    let Error::Decode { reason, .. } = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert!(reason.contains("invalid type: integer"), "{reason}");
    assert_clean(&error, &logs, SECRETS);
}
