//! The generated clients against hostile servers on 127.0.0.1: answers cut
//! off mid-body, server text with control characters, a 1 MB message, echoed
//! secrets in every encoding, and received keys behind prefixes. Redirects
//! are in `hostile_redirects.rs`.
//!
//! Every case asserts the typed outcome and that no secret, in any wire
//! form, shows in the error's Display, Debug, source chain or a TRACE-level
//! log of the call. Raw TCP servers write the exact bytes (bad framing
//! included).

use loginspec_client::{aktion, erply};
use loginspec_runtime::__generated::v1::{
    ApiErrorKind, ClientOptions, Error, Invalid, Request, SessionError, Transport,
};
use loginspec_tests::errors::report;
use loginspec_tests::hostile::seeds::*;
use loginspec_tests::hostile::{
    assert_clean, broken_chunks, cut_off, response, traced, wire_forms, RawServer,
};

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
    assert_eq!(
        error.to_string(),
        "the server answered (HTTP 200) but the answer was cut off after 40 bytes of the 500 announced"
    );
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
    let shown = report(&error);
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
        .flat_map(|s| wire_forms(s))
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
        report(&error).contains("undocumented error 1099: password=***"),
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
    assert!(report(&error).contains("user demo / ***"), "{error}");
    assert_clean(&error, &logs, SECRETS);
}

/// A request whose check quotes its secret value, as a range check quotes
/// a number.
#[derive(loginspec_runtime::__generated::v1::serde::Serialize)]
#[serde(crate = "loginspec_runtime::__generated::v1::serde")]
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
    // A BOM alone is allowed before JSON (RFC 8259 §8.1), so this answer is also cut short.
    prefix_bom_before_a_cut_erply_answer: erply_login, json(200, &format!("\u{feff}{}", erply_ok().trim_end_matches('}')));
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
