//! End-to-end tests of the generated Erply client (`verifyUser`) against a
//! wiremock server on 127.0.0.1.
//!
//! Expected requests, bodies and error codes are written by hand from the
//! vendor docs (shared/protocols.md §5, the verifyUser page in
//! shared/seeds/), never captured from the client's own output.

use loginspec_client::erply::{Client, ProviderError, VerifyUserError, VerifyUserRequest};
use loginspec_runtime::{ApiErrorKind, ClientOptions, Error, ErrorClass, ErrorCode};
use loginspec_tests::errors::{
    assert_decode_error_hides, assert_variants_distinct, expect_api_error,
};
use loginspec_tests::mock::{
    answer_posts, assert_nothing_sent, closed_local_port, form_fields, json_answer, only_request,
    server_answering_posts, BAD_GATEWAY_PAGE,
};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::{MockServer, ResponseTemplate};

const CLIENT_CODE: &str = "123456";

/// `sessionKey` of the documented success sample.
const SESSION_KEY: &str = "9eb92794770bb5e91e3c96aca3e3ad4b752b0c09";

/// The documented verifyUser success envelope (protocols.md §5).
const SUCCESS_BODY: &str = r#"{
  "status": {"request": "verifyUser", "requestUnixTime": 1370604415, "responseStatus": "ok",
             "errorCode": 0, "generationTime": 0.0123, "recordsTotal": 1, "recordsInResponse": 1},
  "records": [{"userID": "5", "userName": "demo", "employeeID": "3", "employeeName": "Demo User",
               "groupID": "1", "groupName": "Admin", "ipAddress": "1.2.3.4",
               "sessionKey": "9eb92794770bb5e91e3c96aca3e3ad4b752b0c09", "sessionLength": 3600,
               "loginUrl": "https://...", "berlinPOSVersion": "...", "berlinPOSAssetsURL": "...",
               "epsiURL": "...", "identityToken": "<JWT>"}]
}"#;

// ---------------------------------------------------------------- helpers

/// Path of the API endpoint under the mock server.
const ENDPOINT: &str = "/api/";

/// Replaces whatever the server answered before with `answer` for every POST
/// to `/api/`, and forgets the requests received so far.
async fn answer_with(server: &MockServer, answer: ResponseTemplate) {
    answer_posts(server, ENDPOINT, answer).await;
}

async fn server_answering(answer: ResponseTemplate) -> MockServer {
    server_answering_posts(ENDPOINT, answer).await
}

fn client_with(server: &MockServer, options: ClientOptions) -> Client {
    Client::with_options(
        CLIENT_CODE,
        options.base_url(format!("{}/api/", server.uri())),
    )
    .expect("client for the mock server")
}

fn client(server: &MockServer) -> Client {
    client_with(server, ClientOptions::default())
}

fn login_request() -> VerifyUserRequest {
    VerifyUserRequest::new("demo", "secret")
}

/// Sends `request` to a server answering the documented success, and
/// returns the form fields it received.
async fn fields_sent_for(request: VerifyUserRequest) -> Vec<(String, String)> {
    let server = server_answering(json_answer(SUCCESS_BODY)).await;
    client(&server)
        .verify_user(request)
        .await
        .expect("login succeeds");
    form_fields(&only_request(&server).await, ENDPOINT)
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The documented error envelope: HTTP 200, `responseStatus` "error",
/// `errorCode` N, `records` null.
fn error_answer(code: i64, error_field: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "status": {"request": "verifyUser", "requestUnixTime": 1370604415,
                   "responseStatus": "error", "errorCode": code, "errorField": error_field,
                   "generationTime": 0.09, "recordsTotal": 0, "recordsInResponse": 0},
        "records": null
    }))
}

/// Asserts `err` is a decode failure with `status` whose text shows neither
/// the session key of the body nor the password of the request.
#[track_caller]
fn assert_undecodable_without_secrets(err: &Error<VerifyUserError>, expected_status: u16) {
    assert_decode_error_hides(
        err,
        expected_status,
        &[SESSION_KEY, &SESSION_KEY[..20], "secret"],
    );
}

// ------------------------------------------------------------- base URL

#[tokio::test]
async fn erply_default_base_url_embeds_the_client_code() {
    let client = Client::new(CLIENT_CODE).expect("client");
    assert_eq!(client.base_url(), "https://123456.erply.com/api/");
}

#[tokio::test]
async fn erply_base_url_override_fills_in_the_client_code() {
    let server = server_answering_posts("/123456/api/", json_answer(SUCCESS_BODY)).await;
    let client = Client::with_options(
        CLIENT_CODE,
        ClientOptions::default().base_url(format!("{}/{{clientCode}}/api/", server.uri())),
    )
    .expect("client");
    assert_eq!(client.base_url(), format!("{}/123456/api/", server.uri()));

    client
        .verify_user(login_request())
        .await
        .expect("the call reaches the filled-in URL");
    let fields = form_fields(&only_request(&server).await, "/123456/api/");
    assert_eq!(fields[1], ("clientCode".to_string(), "123456".to_string()));
}

// -------------------------------------------------------------- request

#[tokio::test]
async fn erply_request_matches_documented_form_fields() {
    let fields = fields_sent_for(
        login_request()
            .session_length(3600)
            .do_not_generate_identity_token(1),
    )
    .await;

    // protocols.md §5:
    // request=verifyUser&clientCode=123456&username=demo&password=secret&sessionLength=3600&doNotGenerateIdentityToken=1
    assert_eq!(
        fields,
        pairs(&[
            ("request", "verifyUser"),
            ("clientCode", "123456"),
            ("username", "demo"),
            ("password", "secret"),
            ("sessionLength", "3600"),
            ("doNotGenerateIdentityToken", "1"),
        ])
    );
}

#[tokio::test]
async fn erply_request_leaves_unset_session_length_out() {
    let fields = fields_sent_for(login_request()).await;
    assert_eq!(
        fields,
        pairs(&[
            ("request", "verifyUser"),
            ("clientCode", "123456"),
            ("username", "demo"),
            ("password", "secret"),
        ])
    );
}

#[tokio::test]
async fn erply_request_clamps_session_length_to_documented_maximum() {
    // An over-long session length is clamped, not rejected: "If you specify a
    // value larger than 86400 seconds, session length will be set to 86400."
    let fields = fields_sent_for(login_request().session_length(100_000)).await;
    assert_eq!(
        fields,
        pairs(&[
            ("request", "verifyUser"),
            ("clientCode", "123456"),
            ("username", "demo"),
            ("password", "secret"),
            ("sessionLength", "86400"),
        ])
    );
}

// ------------------------------------------------------------- response

#[tokio::test]
async fn erply_decodes_documented_success_envelope() {
    let server = server_answering(json_answer(SUCCESS_BODY)).await;
    let user = client(&server)
        .verify_user(login_request())
        .await
        .expect("documented body decodes");

    // IDs arrive as strings ("5") and decode into integers.
    assert_eq!(user.user_id, 5);
    assert_eq!(user.user_name, "demo");
    assert_eq!(user.employee_id, Some(3));
    assert_eq!(user.employee_name.as_deref(), Some("Demo User"));
    assert_eq!(user.group_id, Some(1));
    assert_eq!(user.group_name.as_deref(), Some("Admin"));
    assert_eq!(user.ip_address.as_deref(), Some("1.2.3.4"));
    assert_eq!(user.session_key.expose(), SESSION_KEY);
    assert_eq!(user.session_length, 3600);
    assert_eq!(user.login_url.as_deref(), Some("https://..."));
    assert_eq!(user.berlin_pos_version.as_deref(), Some("..."));
    assert_eq!(user.berlin_pos_assets_url.as_deref(), Some("..."));
    assert_eq!(user.epsi_url.as_deref(), Some("..."));
    assert_eq!(
        user.identity_token.as_ref().map(|t| t.expose()),
        Some("<JWT>")
    );
    assert!(user.token.is_none());
    assert_eq!(user.is_password_expired, None);
    // The session key never shows in Debug output.
    assert!(!format!("{user:?}").contains(SESSION_KEY));
}

// --------------------------------------------------------------- errors

#[tokio::test]
async fn erply_maps_every_documented_error_code_to_its_variant() {
    // verifyUser page: 1050-1053 (login failures); provider-wide codes from
    // the error-codes page, including 1054/1055 (session expired).
    let table = [
        (
            1000,
            VerifyUserError::Provider(ProviderError::ApiMaintenance),
        ),
        (
            1001,
            VerifyUserError::Provider(ProviderError::AccountNotFound),
        ),
        (
            1002,
            VerifyUserError::Provider(ProviderError::HourlyLimitExceeded),
        ),
        (
            1003,
            VerifyUserError::Provider(ProviderError::AccountDatabaseUnavailable),
        ),
        (
            1005,
            VerifyUserError::Provider(ProviderError::UnknownRequest),
        ),
        (
            1006,
            VerifyUserError::Provider(ProviderError::CallNotAvailable),
        ),
        (
            1007,
            VerifyUserError::Provider(ProviderError::UnknownResponseType),
        ),
        (
            1008,
            VerifyUserError::Provider(ProviderError::WrongServerOrMaintenance),
        ),
        (
            1009,
            VerifyUserError::Provider(ProviderError::AuthenticationRequired),
        ),
        (
            1010,
            VerifyUserError::Provider(ProviderError::RequiredParameterMissing),
        ),
        (
            1011,
            VerifyUserError::Provider(ProviderError::InvalidClassifierId),
        ),
        (
            1012,
            VerifyUserError::Provider(ProviderError::ValueNotUnique),
        ),
        (
            1013,
            VerifyUserError::Provider(ProviderError::InconsistentParameters),
        ),
        (
            1014,
            VerifyUserError::Provider(ProviderError::WrongDataType),
        ),
        (
            1015,
            VerifyUserError::Provider(ProviderError::MalformedRequest),
        ),
        (1016, VerifyUserError::Provider(ProviderError::InvalidValue)),
        (1050, VerifyUserError::CredentialsMissing),
        (1051, VerifyUserError::LoginFailed),
        (1052, VerifyUserError::UserBlocked),
        (1053, VerifyUserError::NoPasswordSet),
        (
            1054,
            VerifyUserError::Provider(ProviderError::SessionExpired),
        ),
        (
            1055,
            VerifyUserError::Provider(ProviderError::SessionNotFound),
        ),
        (
            1056,
            VerifyUserError::Provider(ProviderError::SessionTooOldForUserSwitch),
        ),
        (
            1057,
            VerifyUserError::Provider(ProviderError::DemoAccountExpired),
        ),
        (
            1058,
            VerifyUserError::Provider(ProviderError::PinLoginUnsupported),
        ),
        (
            1059,
            VerifyUserError::Provider(ProviderError::UserGroupUnknown),
        ),
        (1060, VerifyUserError::Provider(ProviderError::NoViewRights)),
        (1061, VerifyUserError::Provider(ProviderError::NoAddRights)),
        (1062, VerifyUserError::Provider(ProviderError::NoEditRights)),
        (
            1063,
            VerifyUserError::Provider(ProviderError::NoDeleteRights),
        ),
        (
            1064,
            VerifyUserError::Provider(ProviderError::NoLocationAccess),
        ),
        (1065, VerifyUserError::Provider(ProviderError::NoApiAccess)),
        (
            1066,
            VerifyUserError::Provider(ProviderError::CannotManageUserGroup),
        ),
    ];
    assert_variants_distinct(&table);
    let server = MockServer::start().await;
    let client = client(&server);
    for (code, expected) in table {
        answer_with(&server, error_answer(code, Value::Null)).await;
        let error = expect_api_error(
            client.verify_user(login_request()).await,
            "erply",
            "verifyUser",
        );
        assert_eq!(error.kind, expected, "code {code}");
        assert_eq!(error.kind.code(), ErrorCode::Int(code));
        assert_eq!(error.status, 200);
        assert_eq!(error.message, None, "errorField was null");
    }
}

#[tokio::test]
async fn erply_error_classes_follow_the_docs() {
    let table = [
        (1051, ErrorClass::BadCredentials),
        (1002, ErrorClass::RateLimited),
        (1054, ErrorClass::SessionExpired),
        (1055, ErrorClass::SessionExpired),
        (1052, ErrorClass::Locked),
        (1050, ErrorClass::InvalidInput),
    ];
    let server = MockServer::start().await;
    let client = client(&server);
    for (code, class) in table {
        answer_with(&server, error_answer(code, Value::Null)).await;
        let err = client
            .verify_user(login_request())
            .await
            .expect_err("an error code is not a success");
        assert_eq!(err.class(), Some(class), "code {code}: {err:?}");
    }
}

#[tokio::test]
async fn erply_error_field_is_kept_as_the_message() {
    let server = server_answering(error_answer(1010, json!("username"))).await;
    let err = client(&server)
        .verify_user(login_request())
        .await
        .expect_err("1010 is an error");
    let api = err.api().expect("an API error");
    assert_eq!(
        api.kind,
        VerifyUserError::Provider(ProviderError::RequiredParameterMissing)
    );
    assert_eq!(api.message.as_deref(), Some("username"));
}

#[tokio::test]
async fn erply_unknown_code_keeps_the_code() {
    let server = server_answering(error_answer(9999, Value::Null)).await;
    let err = client(&server)
        .verify_user(login_request())
        .await
        .expect_err("9999 is an error");
    let api = err.api().expect("an API error");
    assert_eq!(
        api.kind,
        VerifyUserError::Unknown {
            code: ErrorCode::Int(9999),
            message: None,
        }
    );
    assert_eq!(api.kind.code(), ErrorCode::Int(9999));
    assert_eq!(err.class(), Some(ErrorClass::Other));
}

// ------------------------------------------------- unreadable and failed

#[tokio::test]
async fn erply_unreadable_answers_are_decode_errors_without_secrets() {
    let half = &SUCCESS_BODY[..SUCCESS_BODY.len() / 2];
    // Half the sample ends before the record's sessionKey, and the sample's
    // key lies beyond the 160 characters an excerpt shows. A compact envelope
    // cut just after the key holds it within those 160 characters.
    let compact = format!(
        r#"{{"status":{{"responseStatus":"ok","errorCode":0}},"records":[{{"sessionKey":"{SESSION_KEY}","sessionLength":3600}}]}}"#
    );
    let key_end = compact.find(SESSION_KEY).expect("envelope holds the key") + SESSION_KEY.len();
    let through_key = &compact[..key_end + 1];
    assert!(through_key.ends_with(&format!("{SESSION_KEY}\"")));
    assert!(through_key.chars().count() <= 160, "{through_key}");
    let answers = [
        (
            ResponseTemplate::new(502).set_body_raw(BAD_GATEWAY_PAGE, "text/html"),
            502,
            false,
        ),
        (ResponseTemplate::new(200), 200, false),
        (json_answer(half), 200, false),
        (json_answer(through_key), 200, true),
    ];
    let server = MockServer::start().await;
    let client = client(&server);
    for (answer, status, holds_key) in answers {
        answer_with(&server, answer).await;
        let err = client
            .verify_user(login_request())
            .await
            .expect_err("unreadable answer");
        assert_undecodable_without_secrets(&err, status);
        if holds_key {
            let Error::Decode { excerpt, .. } = &err else {
                panic!("expected Error::Decode, got {err:?}");
            };
            assert!(excerpt.contains("***"), "no blanking in {excerpt:?}");
        }
    }
}

#[tokio::test]
async fn erply_refuses_a_body_over_max_response_bytes() {
    let server = server_answering(json_answer(SUCCESS_BODY)).await;
    let client = client_with(&server, ClientOptions::default().max_response_bytes(64));
    let err = client
        .verify_user(login_request())
        .await
        .expect_err("body is larger than 64 bytes");
    assert_undecodable_without_secrets(&err, 200);
}

#[tokio::test]
async fn erply_times_out_on_a_slow_server() {
    let server =
        server_answering(json_answer(SUCCESS_BODY).set_delay(Duration::from_secs(5))).await;
    let client = client_with(
        &server,
        ClientOptions::default().timeout(Duration::from_millis(200)),
    );
    let err = client
        .verify_user(login_request())
        .await
        .expect_err("no answer in time");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn erply_reports_refused_connection_as_transport_error() {
    let port = closed_local_port();
    let client = Client::with_options(
        CLIENT_CODE,
        ClientOptions::default().base_url(format!("http://127.0.0.1:{port}/api/")),
    )
    .expect("client");
    let err = client
        .verify_user(login_request())
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn erply_rejects_an_out_of_range_flag_without_sending() {
    let server = server_answering(json_answer(SUCCESS_BODY)).await;
    let err = client(&server)
        .verify_user(login_request().do_not_generate_identity_token(2))
        .await
        .expect_err("doNotGenerateIdentityToken is 0 or 1");
    let Error::Invalid { field, .. } = &err else {
        panic!("expected Error::Invalid, got {err:?}");
    };
    assert_eq!(*field, "do_not_generate_identity_token");
    assert_nothing_sent(&server).await;
}
