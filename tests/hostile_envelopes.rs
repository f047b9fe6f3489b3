//! Envelopes crafted to be misread, from loopback servers, against the four
//! generated clients: duplicated keys on the paths the protocol reads,
//! missing codes, codes written as floats, SOAP envelopes in the wrong
//! namespace, empty session keys, documented error statuses with any body,
//! and documents in other encodings. Each case asserts the exact typed
//! outcome and that no secret the call sent shows in the error's Display,
//! Debug or source chain.
//!
//! The envelopes are the vendors' documented ones (shared/protocols.md),
//! changed by hand in the one place each case is about.

use loginspec_client::{aktion, aukro, erply, wialon};
use loginspec_runtime::{ApiErrorKind, ClientOptions, Encoding, Error, ErrorClass, ErrorCode};
use std::fmt::Debug;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

// ------------------------------------------------------------- helpers

/// The password every login sends; it must never show in an error.
const PASSWORD: &str = "Pw-7f3c9e1a-hunter2";
/// Aukro's WebAPI key and Wialon's token: secrets sent as they are.
const WEBAPI_KEY: &str = "wk-5b8d0c47e2a9";
const WIALON_TOKEN: &str =
    "2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38";

/// A server answering every POST with `status`, `body` and `content_type`.
async fn serve(status: u16, body: impl Into<Vec<u8>>, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.into(), content_type))
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

/// Fails if any of `secrets`, in any wire form, shows in the error's Display,
/// Debug or sources (part A's check, with no log to read).
#[track_caller]
fn assert_hides(error: &(dyn std::error::Error + 'static), secrets: &[&str]) {
    loginspec_tests::hostile::assert_clean(error, "", secrets);
}

/// Asserts an API error: variant, wire code, class and HTTP status.
#[track_caller]
fn assert_api<T: Debug, E>(
    result: Result<T, Error<E>>,
    variant: E,
    code: ErrorCode,
    class: ErrorClass,
    status: u16,
    secrets: &[&str],
) where
    E: ApiErrorKind + PartialEq + Send + Sync + 'static,
{
    let error = result.expect_err("an error answer");
    assert_hides(&error, secrets);
    let api = error
        .api()
        .unwrap_or_else(|| panic!("expected an API error, got {error:?}"));
    assert_eq!(api.kind, variant);
    assert_eq!(api.kind.code(), code);
    assert_eq!(api.kind.class(), class);
    assert_eq!(api.status, status);
}

/// Asserts an undecodable answer with `status` whose reason starts with `reason`.
#[track_caller]
fn assert_decode<T: Debug, E>(
    result: Result<T, Error<E>>,
    status: u16,
    reason: &str,
    secrets: &[&str],
) where
    E: ApiErrorKind + Send + Sync + 'static,
{
    assert_undecodable(
        &result.expect_err("an undecodable answer"),
        status,
        reason,
        secrets,
    );
}

#[track_caller]
fn assert_undecodable<E>(error: &Error<E>, status: u16, reason: &str, secrets: &[&str])
where
    E: ApiErrorKind + Send + Sync + 'static,
{
    assert_hides(error, secrets);
    match error {
        Error::Decode {
            status: got,
            reason: why,
            ..
        } => {
            assert_eq!(*got, status, "{error}");
            assert!(
                why.starts_with(reason),
                "reason {why:?}, expected {reason:?}…"
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

// --------------------------------------------------------------- Erply

const ERPLY_RECORD: &str = r#"{"userID": "5", "userName": "demo", "sessionKey": "9eb92794770bb5e91e3c96aca3e3ad4b752b0c09", "sessionLength": 3600}"#;

fn erply_status(code: &str) -> String {
    format!(
        r#"{{"request": "verifyUser", "requestUnixTime": 1370604415, "responseStatus": "error", "errorCode": {code}, "errorField": null, "generationTime": 0.09, "recordsTotal": 0, "recordsInResponse": 0}}"#
    )
}

fn erply_error(code: &str) -> String {
    format!(r#"{{"status": {}, "records": null}}"#, erply_status(code))
}

fn erply_success(record: &str) -> String {
    format!(
        r#"{{"status": {}, "records": [{record}]}}"#,
        erply_status("0")
    )
}

fn erply_client(server: &MockServer) -> erply::Client {
    erply::Client::with_options(
        "123456",
        ClientOptions::default().base_url(format!("{}/api/", server.uri())),
    )
    .expect("client")
}

async fn erply_login(
    status: u16,
    body: impl Into<Vec<u8>>,
    content_type: &str,
) -> Result<erply::VerifyUserResponse, Error<erply::VerifyUserError>> {
    let server = serve(status, body, content_type).await;
    erply_client(&server)
        .verify_user(erply::VerifyUserRequest::new("demo", PASSWORD))
        .await
}

async fn erply_json(
    body: &str,
) -> Result<erply::VerifyUserResponse, Error<erply::VerifyUserError>> {
    erply_login(200, body, "application/json").await
}

#[tokio::test]
async fn erply_duplicated_error_code_is_undecodable() {
    // The issue's example: one reader sees 1051, another 0.
    let body = r#"{"status":{"errorCode":1051,"errorCode":0},"records":[]}"#;
    assert_decode(
        erply_json(body).await,
        200,
        "expected a JSON document: duplicate key \"errorCode\"",
        &[PASSWORD],
    );
}

#[tokio::test]
async fn erply_duplicated_status_block_is_undecodable() {
    let body = format!(
        r#"{{"status": {}, "status": {}, "records": [{ERPLY_RECORD}]}}"#,
        erply_status("1051"),
        erply_status("0")
    );
    assert_decode(
        erply_json(&body).await,
        200,
        "expected a JSON document: duplicate key \"status\"",
        &[PASSWORD],
    );
}

#[tokio::test]
async fn erply_duplicated_message_field_is_undecodable() {
    let body = r#"{"status":{"errorCode":1010,"errorField":"username","errorField":"password"},"records":null}"#;
    assert_decode(
        erply_json(body).await,
        200,
        "expected a JSON document: duplicate key \"errorField\"",
        &[PASSWORD],
    );
}

#[tokio::test]
async fn erply_duplicated_records_or_payload_keys_are_undecodable() {
    let twice_records = format!(
        r#"{{"status": {}, "records": [], "records": [{ERPLY_RECORD}]}}"#,
        erply_status("0")
    );
    assert_decode(
        erply_json(&twice_records).await,
        200,
        "expected a JSON document: duplicate key \"records\"",
        &[PASSWORD],
    );
    let twice_key = erply_success(
        r#"{"userID": "5", "userName": "demo", "sessionKey": "attacker-key", "sessionKey": "9eb9", "sessionLength": 3600}"#,
    );
    assert_decode(
        erply_json(&twice_key).await,
        200,
        "expected a JSON document: duplicate key \"sessionKey\"",
        &[PASSWORD],
    );
}

#[tokio::test]
async fn erply_duplicates_outside_what_is_read_are_ignored() {
    // `generationTime` and the second record are never read.
    let body = r#"{"status":{"errorCode":0,"generationTime":0.1,"generationTime":0.2},
        "records":[{"userID":"5","userName":"demo","sessionKey":"9eb9","sessionLength":3600},{"x":1,"x":2}]}"#;
    let user = erply_json(body).await.expect("nothing read is ambiguous");
    assert_eq!(user.user_name, "demo");
}

#[tokio::test]
async fn erply_answer_without_status_or_code_is_undecodable() {
    let no_status = format!(r#"{{"records": [{ERPLY_RECORD}]}}"#);
    assert_decode(
        erply_json(&no_status).await,
        200,
        "no error code at `/status/errorCode`",
        &[PASSWORD],
    );
    let no_code =
        format!(r#"{{"status": {{"responseStatus": "ok"}}, "records": [{ERPLY_RECORD}]}}"#);
    assert_decode(
        erply_json(&no_code).await,
        200,
        "no error code at `/status/errorCode`",
        &[PASSWORD],
    );
    let null_code = format!(r#"{{"status": {{"errorCode": null}}, "records": [{ERPLY_RECORD}]}}"#);
    assert_decode(
        erply_json(&null_code).await,
        200,
        "no error code at `/status/errorCode`",
        &[PASSWORD],
    );
}

#[tokio::test]
async fn erply_integral_float_codes_are_the_documented_codes() {
    for code in ["1051.0", "1.051e3", "10510e-1", "\"1051.0\"", "\" 1051 \""] {
        assert_api(
            erply_json(&erply_error(code)).await,
            erply::VerifyUserError::LoginFailed,
            ErrorCode::Int(1051),
            ErrorClass::BadCredentials,
            200,
            &[PASSWORD],
        );
    }
}

#[tokio::test]
async fn erply_negative_zero_is_the_success_code() {
    let body = format!(r#"{{"status": {{"errorCode": -0.0}}, "records": [{ERPLY_RECORD}]}}"#);
    let user = erply_json(&body)
        .await
        .expect("-0.0 is 0, which means success");
    assert_eq!(user.user_id, 5);
}

#[tokio::test]
async fn erply_non_integral_and_huge_codes_stay_unknown() {
    let cases = [
        ("1051.5", "1051.5"),
        ("18446744073709551615", "18446744073709551615"),
        ("9223372036854775808.0", "9.223372036854776e+18"),
        ("-1e300", "-1e+300"),
    ];
    for (wire, text) in cases {
        assert_api(
            erply_json(&erply_error(wire)).await,
            erply::VerifyUserError::Unknown {
                code: ErrorCode::Text(text.into()),
                message: None,
            },
            ErrorCode::Text(text.into()),
            ErrorClass::Other,
            200,
            &[PASSWORD],
        );
    }
    // Beyond f64: no JSON reader agrees on it, so the document is refused.
    assert_decode(
        erply_json(&erply_error("1e400")).await,
        200,
        "expected a JSON document: number out of range",
        &[PASSWORD],
    );
}

#[tokio::test]
async fn erply_bom_prefixed_answers_are_read() {
    let success = format!("\u{feff}{}", erply_success(ERPLY_RECORD));
    assert_eq!(
        erply_json(&success).await.expect("BOM skipped").user_name,
        "demo"
    );
    assert_api(
        erply_json(&format!("\u{feff}{}", erply_error("1051"))).await,
        erply::VerifyUserError::LoginFailed,
        ErrorCode::Int(1051),
        ErrorClass::BadCredentials,
        200,
        &[PASSWORD],
    );
}

#[tokio::test]
async fn erply_documented_403_is_recognised_with_any_body() {
    let bodies: [(&[u8], &str); 5] = [
        (b"", "application/json"),
        (
            b"<html><body><h1>403 Forbidden</h1></body></html>",
            "text/html",
        ),
        (b"\xff\xfe\x00garbage\x00", "application/octet-stream"),
        (br#"{"message":"forbidden"}"#, "application/json"),
        (
            br#"{"status":{"errorCode":1,"errorCode":2}}"#,
            "application/json",
        ),
    ];
    for (body, content_type) in bodies {
        assert_api(
            erply_login(403, body, content_type).await,
            erply::VerifyUserError::Provider(erply::ProviderError::Forbidden),
            ErrorCode::HttpStatus(403),
            ErrorClass::SessionExpired,
            403,
            &[PASSWORD],
        );
    }
}

#[tokio::test]
async fn erply_undocumented_status_with_a_page_stays_undecodable() {
    assert_decode(
        erply_login(502, "<html>Bad Gateway</html>", "text/html").await,
        502,
        "expected a JSON document",
        &[PASSWORD],
    );
}

#[tokio::test]
async fn erply_blocked_user_is_locked() {
    assert_api(
        erply_json(&erply_error("1052")).await,
        erply::VerifyUserError::UserBlocked,
        ErrorCode::Int(1052),
        ErrorClass::Locked,
        200,
        &[PASSWORD],
    );
}

#[tokio::test]
async fn erply_session_refuses_empty_and_blank_keys() {
    for key in ["", "   ", "\t\n"] {
        let key = serde_json::to_string(key).expect("JSON string");
        let record = format!(
            r#"{{"userID": "5", "userName": "demo", "sessionKey": {key}, "sessionLength": 3600}}"#
        );
        let server = serve(200, erply_success(&record), "application/json").await;
        let session = erply::Session::new(
            erply_client(&server),
            erply::VerifyUserRequest::new("demo", PASSWORD),
        );
        let error = session
            .ensure_login()
            .await
            .expect_err("an empty key is no key");
        assert_undecodable(
            error.login().expect("the login failed"),
            200,
            "the login answer's session key is empty",
            &[PASSWORD],
        );
        // The key is never sent: a session call logs in again instead.
        let call = session.get_session_key_info(Default::default()).await;
        assert!(
            matches!(call, Err(loginspec_runtime::SessionError::Login(_))),
            "{call:?}"
        );
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 2, "two logins, no session call");
        for request in sent {
            let body = String::from_utf8_lossy(&request.body).into_owned();
            assert!(body.contains("request=verifyUser"), "{body}");
            assert!(!body.contains("sessionKey"), "{body}");
        }
    }
}

// -------------------------------------------------------------- Aktion

const AKTION_TOKEN: &str = "a45a039c-eb31-46f1-9ece-88aa5ccfe22c";

async fn aktion_login(
    encoding: Encoding,
    status: u16,
    body: impl Into<Vec<u8>>,
    content_type: &str,
) -> Result<aktion::LoginAdvAuthResponse, Error<aktion::LoginAdvAuthError>> {
    let server = serve(status, body, content_type).await;
    aktion_client(&server, encoding)
        .login_adv_auth(aktion::LoginAdvAuthRequest::new("John.Doo"))
        .await
}

fn aktion_client(server: &MockServer, encoding: Encoding) -> aktion::Client {
    aktion::Client::with_options(
        ClientOptions::default()
            .base_url(server.uri() + "/api/")
            .encoding(encoding),
    )
    .expect("client")
}

#[tokio::test]
async fn aktion_documented_401_with_an_empty_or_foreign_body_is_that_status() {
    // Several codes share 401 (1003 and 1004 here; 1000, 1001, 1006-1008 on
    // token calls), so the status alone names none of them: `Unknown` with
    // the status as its code, an API error rather than undecodable.
    let cases: [(Encoding, &[u8], &str); 5] = [
        (Encoding::Json, b"", "application/json"),
        (
            Encoding::Json,
            b"<html><title>401</title></html>",
            "text/html",
        ),
        (Encoding::Json, b"\x00\x01\x02", "application/octet-stream"),
        (Encoding::Xml, b"", "application/xml"),
        (
            Encoding::Xml,
            b"<Response><Message>x</Message>",
            "application/xml",
        ),
    ];
    for (encoding, body, content_type) in cases {
        assert_api(
            aktion_login(encoding, 401, body, content_type).await,
            aktion::LoginAdvAuthError::Unknown {
                code: ErrorCode::HttpStatus(401),
                message: None,
            },
            ErrorCode::HttpStatus(401),
            ErrorClass::Other,
            401,
            &[AKTION_TOKEN],
        );
    }
}

#[tokio::test]
async fn aktion_success_without_code_is_read_because_the_code_is_optional() {
    let body = format!(r#"{{"Token":"{AKTION_TOKEN}","ExpireInSec":20}}"#);
    let login = aktion_login(Encoding::Json, 200, body, "application/json")
        .await
        .expect("success");
    assert_eq!(login.token.expose(), AKTION_TOKEN);
}

#[tokio::test]
async fn aktion_duplicated_code_or_token_is_undecodable() {
    let code = format!(r#"{{"Token":"{AKTION_TOKEN}","ExpireInSec":20,"Code":1003,"Code":0}}"#);
    assert_decode(
        aktion_login(Encoding::Json, 200, code, "application/json").await,
        200,
        "expected a JSON document: duplicate key \"Code\"",
        &[AKTION_TOKEN],
    );
    let token = format!(r#"{{"Token":"attacker","Token":"{AKTION_TOKEN}","ExpireInSec":20}}"#);
    assert_decode(
        aktion_login(Encoding::Json, 200, token, "application/json").await,
        200,
        "expected a JSON document: duplicate key \"Token\"",
        &[AKTION_TOKEN],
    );
}

#[tokio::test]
async fn aktion_repeated_xml_code_is_undecodable() {
    let body = format!("<Response><Token>{AKTION_TOKEN}</Token><ExpireInSec>20</ExpireInSec><Code>1003</Code><Code>0</Code></Response>");
    assert_decode(
        aktion_login(Encoding::Xml, 200, body, "application/xml").await,
        200,
        "element <Code> appears 2 times where one is read",
        &[AKTION_TOKEN],
    );
}

#[tokio::test]
async fn aktion_float_codes_in_json_and_xml_are_the_documented_codes() {
    assert_api(
        aktion_login(
            Encoding::Json,
            401,
            r#"{"Message":"unknown","Code":1003.0}"#,
            "application/json",
        )
        .await,
        aktion::LoginAdvAuthError::UnknownUserOrApiKey,
        ErrorCode::Int(1003),
        ErrorClass::BadCredentials,
        401,
        &[],
    );
    assert_api(
        aktion_login(
            Encoding::Xml,
            401,
            "<Response><Message>unknown</Message><Code>1.004e3</Code></Response>",
            "application/xml",
        )
        .await,
        aktion::LoginAdvAuthError::InvalidApiKey,
        ErrorCode::Int(1004),
        ErrorClass::BadCredentials,
        401,
        &[],
    );
}

#[tokio::test]
async fn aktion_latin1_xml_is_decoded() {
    let mut body =
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Message>Benutzer unbekannt f"
            .to_vec();
    body.push(0xFC); // ü in Latin-1
    body.extend_from_slice(b"r Schl\xFCssel</Message><Code>1003</Code></Response>");
    let error = aktion_login(
        Encoding::Xml,
        401,
        body,
        "application/xml; charset=ISO-8859-1",
    )
    .await
    .expect_err("an error answer");
    let api = error.api().expect("an API error");
    assert_eq!(api.kind, aktion::LoginAdvAuthError::UnknownUserOrApiKey);
    assert_eq!(
        api.message.as_deref(),
        Some("Benutzer unbekannt für Schlüssel")
    );
    let success = b"<?xml version='1.0' encoding='latin1'?><Response><Token>t\xE9st</Token><ExpireInSec>20</ExpireInSec></Response>".to_vec();
    let login = aktion_login(Encoding::Xml, 200, success, "application/xml")
        .await
        .expect("success");
    assert_eq!(login.token.expose(), "tést");
}

#[tokio::test]
async fn aktion_xml_in_an_unknown_encoding_is_refused_with_that_reason() {
    let body =
        "<?xml version=\"1.0\" encoding=\"x-klingon\"?><Response><Token>t</Token></Response>";
    assert_decode(
        aktion_login(Encoding::Xml, 200, body, "application/xml").await,
        200,
        "XML declared in an unknown encoding \"x-klingon\"",
        &[],
    );
}

#[tokio::test]
async fn aktion_session_refuses_an_empty_token() {
    let server = serve(200, r#"{"Token":"","ExpireInSec":20}"#, "application/json").await;
    let session = aktion::Session::new(
        aktion_client(&server, Encoding::Json),
        aktion::LoginAdvAuthRequest::new("John.Doo"),
    );
    let error = session
        .ensure_login()
        .await
        .expect_err("an empty token is no token");
    assert_undecodable(
        error.login().expect("the login failed"),
        200,
        "the login answer's session key is empty",
        &[],
    );
}

// --------------------------------------------------------------- Aukro

fn aukro_client(server: &MockServer) -> aukro::Client {
    aukro::Client::with_options(ClientOptions::default().base_url(server.uri() + "/service.php"))
        .expect("client")
}

fn aukro_request() -> aukro::DoLoginEncRequest {
    aukro::DoLoginEncRequest::new(aukro::DoLoginEncArgs {
        user_login: "jan.novak".into(),
        password: PASSWORD.into(),
        country_id: 56,
        webapi_key: WEBAPI_KEY.into(),
        local_version: 1480350339,
    })
}

/// The password as sent: the Base64 SHA-256 digest the server receives.
fn sent_hash(request: &Request) -> String {
    let body = String::from_utf8_lossy(&request.body);
    let start = body.find("userHashPassword>").expect("hash element") + "userHashPassword>".len();
    let end = start + body[start..].find('<').expect("element end");
    body[start..end].to_string()
}

/// Logs in against a server answering `status` and `body`; returns the
/// outcome and every secret the call sent (plain and as hashed).
async fn aukro_login(
    status: u16,
    body: impl Into<Vec<u8>>,
) -> (
    Result<aukro::DoLoginEncResponse, Error<aukro::DoLoginEncError>>,
    Vec<String>,
) {
    let server = serve(status, body, "text/xml; charset=utf-8").await;
    let result = aukro_client(&server).do_login_enc(aukro_request()).await;
    let sent = requests(&server).await;
    let hash = sent_hash(&sent[0]);
    (result, vec![PASSWORD.into(), WEBAPI_KEY.into(), hash])
}

fn envelope(namespace_declaration: &str, prefix: &str, body: &str) -> String {
    format!("<{prefix}Envelope {namespace_declaration}><{prefix}Body>{body}</{prefix}Body></{prefix}Envelope>")
}

const SOAP11: &str = r#"xmlns:S="http://schemas.xmlsoap.org/soap/envelope/""#;
const WRONG_PASSWORD_FAULT: &str =
    "<S:Fault><faultcode>ERR_USER_PASSWD</faultcode><faultstring>Incorrect password.</faultstring></S:Fault>";

#[tokio::test]
async fn aukro_envelope_in_another_namespace_is_undecodable_and_named() {
    let cases = [
        (r#"xmlns:S="urn:evil""#, "expected a SOAP 1.1 Envelope (namespace http://schemas.xmlsoap.org/soap/envelope/), found one in namespace \"urn:evil\""),
        (r#"xmlns:S="http://www.w3.org/2003/05/soap-envelope""#, "expected a SOAP 1.1 Envelope (namespace http://schemas.xmlsoap.org/soap/envelope/), found one in the SOAP 1.2 namespace http://www.w3.org/2003/05/soap-envelope"),
    ];
    for (declaration, reason) in cases {
        let (result, secrets) =
            aukro_login(500, envelope(declaration, "S:", WRONG_PASSWORD_FAULT)).await;
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        assert_decode(result, 500, reason, &secrets);
    }
    let bare =
        "<Envelope><Body><Fault><faultcode>ERR_USER_PASSWD</faultcode></Fault></Body></Envelope>";
    let (result, secrets) = aukro_login(500, bare).await;
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_decode(result, 500, "expected a SOAP 1.1 Envelope (namespace http://schemas.xmlsoap.org/soap/envelope/), found one in no namespace", &secrets);
}

#[tokio::test]
async fn aukro_repeated_fault_parts_or_response_are_undecodable() {
    let cases = [
        (
            format!("{WRONG_PASSWORD_FAULT}{WRONG_PASSWORD_FAULT}"),
            "element <Fault> appears 2 times where one is read",
        ),
        (
            "<S:Fault><faultcode>ERR_USER_PASSWD</faultcode><faultcode>ERR_NO_SESSION</faultcode></S:Fault>".to_string(),
            "element <faultcode> appears 2 times where one is read",
        ),
        (
            "<S:Fault><faultcode>ERR_USER_PASSWD</faultcode><faultstring>a</faultstring><faultstring>b</faultstring></S:Fault>".to_string(),
            "element <faultstring> appears 2 times where one is read",
        ),
        (
            "<doLoginEncResponse><sessionHandlePart>a</sessionHandlePart><userId>1</userId><serverTime>1</serverTime></doLoginEncResponse>".repeat(2),
            "element <doLoginEncResponse> appears 2 times where one is read",
        ),
    ];
    for (body, reason) in cases {
        let (result, secrets) = aukro_login(200, envelope(SOAP11, "S:", &body)).await;
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        assert_decode(result, 200, reason, &secrets);
    }
    let two_bodies = format!("<S:Envelope {SOAP11}><S:Body/><S:Body/></S:Envelope>");
    let (result, _) = aukro_login(200, two_bodies).await;
    assert_decode(
        result,
        200,
        "element <Body> appears 2 times where one is read",
        &[PASSWORD],
    );
}

#[tokio::test]
async fn aukro_repeated_session_handle_is_undecodable() {
    let body = "<doLoginEncResponse><sessionHandlePart>attacker</sessionHandlePart><sessionHandlePart>22eb</sessionHandlePart><userId>1</userId><serverTime>1</serverTime></doLoginEncResponse>";
    let (result, secrets) = aukro_login(200, envelope(SOAP11, "S:", body)).await;
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_decode(result, 200, "at `sessionHandlePart`", &secrets);
}

#[tokio::test]
async fn aukro_latin1_fault_is_decoded() {
    let mut body = format!(r#"<?xml version="1.0" encoding="ISO-8859-1"?><S:Envelope {SOAP11}><S:Body><S:Fault><faultcode>ERR_USER_PASSWD</faultcode><faultstring>Nespr"#).into_bytes();
    body.push(0xE1); // á
    body.extend_from_slice(b"vn\xE9 heslo.</faultstring></S:Fault></S:Body></S:Envelope>");
    let (result, secrets) = aukro_login(500, body).await;
    let error = result.expect_err("a fault");
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_hides(&error, &secrets);
    let api = error.api().expect("an API error");
    assert_eq!(api.kind, aukro::DoLoginEncError::WrongPassword);
    assert_eq!(api.kind.code(), ErrorCode::Text("ERR_USER_PASSWD".into()));
    assert_eq!(api.kind.class(), ErrorClass::BadCredentials);
    assert_eq!(api.status, 500);
    assert_eq!(api.message.as_deref(), Some("Nesprávné heslo."));
}

#[tokio::test]
async fn aukro_captcha_required_is_locked() {
    let fault = "<S:Fault><faultcode>ERR_CAPTCHA_REQUIRED</faultcode><faultstring>blocked</faultstring></S:Fault>";
    let (result, secrets) = aukro_login(500, envelope(SOAP11, "S:", fault)).await;
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_api(
        result,
        aukro::DoLoginEncError::CaptchaRequired,
        ErrorCode::Text("ERR_CAPTCHA_REQUIRED".into()),
        ErrorClass::Locked,
        500,
        &secrets,
    );
}

#[tokio::test]
async fn aukro_empty_body_on_an_undocumented_status_is_undecodable() {
    let (result, secrets) = aukro_login(500, "").await;
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_decode(result, 500, "empty body", &secrets);
}

#[tokio::test]
async fn aukro_session_refuses_a_blank_handle() {
    let body = envelope(
        SOAP11,
        "S:",
        "<doLoginEncResponse><sessionHandlePart> </sessionHandlePart><userId>1</userId><serverTime>1269814134</serverTime></doLoginEncResponse>",
    );
    let server = serve(200, body, "text/xml").await;
    let session = aukro::Session::new(aukro_client(&server), aukro_request());
    let error = session
        .ensure_login()
        .await
        .expect_err("a blank handle is no handle");
    let hash = sent_hash(&requests(&server).await[0]);
    assert_undecodable(
        error.login().expect("the login failed"),
        200,
        "the login answer's session key is empty",
        &[PASSWORD, WEBAPI_KEY, &hash],
    );
}

// -------------------------------------------------------------- Wialon

const WIALON_LOGIN: &str = r#"{"eid":"d1cb60897768780f846df7ab2400eb5f","host":"212.98.173.107","au":"wialon_test","tm":1358415984}"#;

fn wialon_client(server: &MockServer) -> wialon::Client {
    wialon::Client::with_options(
        ClientOptions::default().base_url(format!("{}/wialon/ajax.html", server.uri())),
    )
    .expect("client")
}

async fn wialon_login(
    body: &str,
) -> Result<wialon::TokenLoginResponse, Error<wialon::TokenLoginError>> {
    let server = serve(200, body.to_string(), "application/json").await;
    wialon_client(&server)
        .token_login(wialon::TokenLoginRequest::new(
            WIALON_TOKEN,
            wialon::LoginFlags::BASIC_INFO,
        ))
        .await
}

#[tokio::test]
async fn wialon_duplicated_error_reason_or_session_id_is_undecodable() {
    assert_decode(
        wialon_login(r#"{"error":1,"error":0}"#).await,
        200,
        "expected a JSON document: duplicate key \"error\"",
        &[WIALON_TOKEN],
    );
    assert_decode(
        wialon_login(r#"{"error":1003,"reason":"LIMIT api_concurrent","reason":"x"}"#).await,
        200,
        "expected a JSON document: duplicate key \"reason\"",
        &[WIALON_TOKEN],
    );
    let twice_eid = r#"{"eid":"attacker","eid":"d1cb6089","host":"h","au":"u","tm":1}"#;
    assert_decode(
        wialon_login(twice_eid).await,
        200,
        "expected a JSON document: duplicate key \"eid\"",
        &[WIALON_TOKEN],
    );
    // Deep inside the payload too: every key of the result is read.
    let deep =
        r#"{"eid":"d1cb","host":"h","au":"u","tm":1,"user":{"nm":"a","cls":1,"id":2,"id":3}}"#;
    assert_decode(
        wialon_login(deep).await,
        200,
        "expected a JSON document: duplicate key \"id\"",
        &[WIALON_TOKEN],
    );
}

#[tokio::test]
async fn wialon_success_without_error_is_read() {
    let login = wialon_login(WIALON_LOGIN)
        .await
        .expect("the code is optional");
    assert_eq!(login.user_name, "wialon_test");
}

#[tokio::test]
async fn wialon_float_codes_are_the_documented_codes() {
    assert_api(
        wialon_login(r#"{"error":7.0}"#).await,
        wialon::TokenLoginError::Provider(wialon::ProviderError::AccessDenied),
        ErrorCode::Int(7),
        ErrorClass::AccessDenied,
        200,
        &[WIALON_TOKEN],
    );
    assert_api(
        wialon_login(r#"{"error":1e1}"#).await,
        wialon::TokenLoginError::Provider(wialon::ProviderError::ConcurrentRequestLimit),
        ErrorCode::Int(10),
        ErrorClass::RateLimited,
        200,
        &[WIALON_TOKEN],
    );
    assert_api(
        wialon_login(r#"{"error":1006.0}"#).await,
        wialon::TokenLoginError::Provider(wialon::ProviderError::TwoFactorAttemptsExceeded),
        ErrorCode::Int(1006),
        ErrorClass::Locked,
        200,
        &[WIALON_TOKEN],
    );
}

#[tokio::test]
async fn wialon_session_refuses_empty_and_whitespace_ids() {
    for eid in ["", " ", "\u{3000}"] {
        let eid = serde_json::to_string(eid).expect("JSON string");
        let body = format!(r#"{{"eid":{eid},"host":"h","au":"u","tm":1}}"#);
        let server = serve(200, body, "application/json").await;
        let session = wialon::Session::new(
            wialon_client(&server),
            wialon::TokenLoginRequest::new(WIALON_TOKEN, wialon::LoginFlags::BASIC_INFO),
        );
        let error = session
            .ensure_login()
            .await
            .expect_err("an empty id is no session");
        assert_undecodable(
            error.login().expect("the login failed"),
            200,
            "the login answer's session key is empty",
            &[WIALON_TOKEN],
        );
        // No call went out with `sid=`.
        let call = session.create_auth_hash(Default::default()).await;
        assert!(call.is_err());
        for request in requests(&server).await {
            let body = String::from_utf8_lossy(&request.body).into_owned();
            assert!(body.starts_with("svc=token%2Flogin"), "{body}");
        }
    }
}
