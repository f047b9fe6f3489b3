//! The four seed providers as the hostile suites call them: their secrets,
//! well-formed answers, and one helper per call that runs it under a
//! TRACE-level capture against a [`RawServer`].

use super::{response, traced, RawServer};
use loginspec_client::{aktion, aukro, erply, wialon};
use loginspec_runtime::__generated::v1::{
    ClientOptions, Error, Invalid, Method, Request, Secret, SessionError, Transport,
};

// ---------------------------------------------------------------- secrets

/// Has a space, `+`, `&`, `"`, `/` and a non-ASCII letter, so that every
/// encoding writes it differently.
pub const ERPLY_PASSWORD: &str = "Erply pa$$+w&rd/\"ä\"-2b7f";
/// The session key an Erply login answers with.
pub const ERPLY_KEY: &str = "erply-session-key-8d1c";
/// The Aukro password; only its hash is sent.
pub const AUKRO_PASSWORD: &str = "aukro-password-91e0";
/// base64(SHA-256(AUKRO_PASSWORD)), what doLoginEnc sends.
pub const AUKRO_HASH: &str = "09OBnO9ST1XgMx7I4mYpRoJvQBK6CPNljZrDTuvXgMc=";
/// The Aukro WebAPI key, sent with the login.
pub const AUKRO_WEBAPI_KEY: &str = "aukro-webapi-key-3f3f";
/// The session handle an Aukro login answers with.
pub const AUKRO_HANDLE: &str = "aukro-session-handle-7c7c";
/// The token an Aktion login answers with, carried in the query string.
pub const AKTION_TOKEN: &str = "aktion-token-0b0b";
/// A key sent as a number where text belongs.
pub const NUMERIC_KEY: &str = "918273645501";
/// The Wialon token (72 characters, as the spec checks).
pub const WIALON_TOKEN: &str =
    "wialon-token-secret-72-chars-0000000000000000000000000000000000000000000";
/// The session id a Wialon login answers with.
pub const WIALON_EID: &str = "wialon-session-eid-6a6a";
/// The token hash a Wialon login answers with.
pub const WIALON_TOKEN_HASH: &str = "wialon-token-hash-9f9f";

/// Every secret above: none may show in any form.
pub const SECRETS: &[&str] = &[
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

/// A successful verifyUser answer.
pub fn erply_ok() -> String {
    format!(
        r#"{{"status":{{"request":"verifyUser","responseStatus":"ok","errorCode":0}},"records":[{{"userID":"5","userName":"demo","sessionKey":"{ERPLY_KEY}","sessionLength":3600}}]}}"#
    )
}

/// An Erply error envelope with `code` and `errorField`.
pub fn erply_error(code: i64, field: &str) -> String {
    serde_json::json!({
        "status": {"request": "verifyUser", "responseStatus": "error", "errorCode": code, "errorField": field},
        "records": null
    })
    .to_string()
}

/// A successful doLoginEnc answer.
pub fn aukro_ok() -> String {
    format!(
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="https://webapi.allegro.pl/service.php"><SOAP-ENV:Body><ns1:doLoginEncResponse><ns1:sessionHandlePart>{AUKRO_HANDLE}</ns1:sessionHandlePart><ns1:userId>4109848</ns1:userId><ns1:serverTime>1269814134</ns1:serverTime></ns1:doLoginEncResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
    )
}

/// A SOAP fault with `code` and `text` (put in as given).
pub fn aukro_fault(code: &str, text: &str) -> String {
    format!(
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>{code}</faultcode><faultstring>{text}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
    )
}

/// A successful token/login answer.
pub fn wialon_ok() -> String {
    format!(
        r#"{{"eid":"{WIALON_EID}","gis_sid":"g","host":"127.0.0.1","au":"demo","tm":1358415984,"th":"{WIALON_TOKEN_HASH}","user":{{"nm":"demo","cls":1,"id":7}}}}"#
    )
}

/// A JSON answer with `status`.
pub fn json(status: u16, body: &str) -> Vec<u8> {
    response(
        status,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

/// An XML answer with `status`.
pub fn xml(status: u16, body: &str) -> Vec<u8> {
    response(status, &[("Content-Type", "text/xml")], body.as_bytes())
}

// ---------------------------------------------------------------- calls

/// What a call returned, and what it logged at TRACE level.
pub type Outcome<T, E> = (Result<T, Error<E>>, String);

/// verifyUser against `server`.
pub async fn erply_login(
    server: &RawServer,
    options: ClientOptions,
) -> Outcome<erply::VerifyUserResponse, erply::VerifyUserError> {
    let client = erply::Client::with_options("123456", options.base_url(server.url("/api/")))
        .expect("client");
    traced(client.verify_user(erply::VerifyUserRequest::new("demo", ERPLY_PASSWORD))).await
}

/// doLoginEnc against `server`.
pub async fn aukro_login(
    server: &RawServer,
    options: ClientOptions,
) -> Outcome<aukro::DoLoginEncResponse, aukro::DoLoginEncError> {
    let client =
        aukro::Client::with_options(options.base_url(server.url("/service.php"))).expect("client");
    let request = aukro::DoLoginEncRequest::new(aukro::DoLoginEncArgs {
        user_login: "jan".into(),
        password: AUKRO_PASSWORD.into(),
        country_id: 56,
        webapi_key: AUKRO_WEBAPI_KEY.into(),
        local_version: 1480350339,
    });
    traced(client.do_login_enc(request)).await
}

/// token/login against `server`.
pub async fn wialon_login(
    server: &RawServer,
    options: ClientOptions,
) -> Outcome<wialon::TokenLoginResponse, wialon::TokenLoginError> {
    let client = wialon::Client::with_options(options.base_url(server.url("/wialon/ajax.html")))
        .expect("client");
    let request = wialon::TokenLoginRequest::new(WIALON_TOKEN, wialon::LoginFlags::BASIC_INFO);
    traced(client.token_login(request)).await
}

/// login/advAuth against `server`.
pub async fn aktion_login(
    server: &RawServer,
    options: ClientOptions,
) -> Outcome<aktion::LoginAdvAuthResponse, aktion::LoginAdvAuthError> {
    let client =
        aktion::Client::with_options(options.base_url(server.url("/api/"))).expect("client");
    traced(client.login_adv_auth(aktion::LoginAdvAuthRequest::new("John.Doo"))).await
}

/// A home server that lets the login through and answers every other call
/// with `answer`.
pub async fn home_after_login(
    login_marker: &'static str,
    ok: String,
    answer: Vec<u8>,
) -> RawServer {
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
pub async fn erply_session_call(
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
pub async fn wialon_session_call(
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
pub static PASSES: Method = Method {
    name: "attendance/getPassByPerson",
    verb: loginspec_runtime::__generated::v1::Verb::Post,
    path: "attendance/getPassByPerson",
    bindings: &[loginspec_runtime::__generated::v1::Binding {
        source: loginspec_runtime::__generated::v1::Source::SessionKey,
        location: loginspec_runtime::__generated::v1::Location::Query("Token"),
    }],
    json_strings: &[],
    payload: "",
    payload_kind: loginspec_runtime::__generated::v1::PayloadKind::Document,
    header_fields: &[],
    // Aktion's answers are read alike for every method.
    error_rules: &aktion::PROVIDER_ERROR_RULES,
    error_statuses: &[],
    encoding: None,
};

/// A request without parameters.
#[derive(loginspec_runtime::__generated::v1::serde::Serialize)]
#[serde(crate = "loginspec_runtime::__generated::v1::serde")]
pub struct NoParams {}

impl Request for NoParams {
    fn validate(&mut self) -> Result<(), Invalid> {
        Ok(())
    }
}

/// A call with Aktion's token in the query string, against `server`.
pub async fn query_key_call(
    server: &RawServer,
    options: ClientOptions,
) -> Outcome<serde_json::Value, aktion::LoginAdvAuthError> {
    let transport = Transport::new(&aktion::PROTOCOL, options.base_url(server.url("/api/")), [])
        .expect("transport");
    let key = Secret::new(AKTION_TOKEN);
    traced(transport.call_in_session(&PASSES, &key, NoParams {})).await
}
