//! End-to-end tests of the generated Wialon client (`token/login` and
//! `core/use_auth_hash`) against a wiremock server on 127.0.0.1.
//!
//! Expected requests, bodies and error codes are written by hand from the
//! vendor docs (shared/protocols.md §3–4, the token/login and use_auth_hash
//! pages in shared/seeds/), never captured from the client's own output.

use loginspec_client::wialon::{
    Client, LoginFlags, LoginResult, ProviderError, TokenLoginError, TokenLoginRequest,
    TokenLoginResponse, TwoFactorType, UseAuthHashError, UseAuthHashRequest,
};
use loginspec_runtime::{ApiErrorKind, ClientOptions, Error, ErrorClass, ErrorCode};
use loginspec_tests::errors::{
    assert_decode_error_hides, assert_variants_distinct, expect_api_error,
};
use loginspec_tests::mock::{
    answer_posts, assert_nothing_sent, closed_local_port, form_fields, json_answer, only_request,
    server_answering_posts, BAD_GATEWAY_PAGE,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;
use time::{Month, OffsetDateTime};
use wiremock::{MockServer, Request, ResponseTemplate};

/// Path of the one Remote API endpoint (`https://hst-api.wialon.com/wialon/ajax.html`).
const ENDPOINT: &str = "/wialon/ajax.html";

/// A 72-character token: the `th` value of the docs' login example, which
/// protocols.md also uses as the token of its minimal request.
const TOKEN: &str = "2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38";

/// `eid` of the docs' login example.
const SESSION_ID: &str = "d1cb60897768780f846df7ab2400eb5f";

/// An authorisation hash as core/create_auth_hash would return it (made up).
const AUTH_HASH: &str = "8b2e1c4d5f60718293a4b5c6d7e8f901";

/// The documented token/login result (protocols.md §3), comments removed.
const LOGIN_BODY: &str = r#"{
  "eid": "d1cb60897768780f846df7ab2400eb5f",
  "gis_sid": "<text>", "host": "212.98.173.107", "hw_gw_ip": "<text>",
  "au": "wialon_test", "pi": 0, "tm": 1358415984, "wsdk_version": "<text>",
  "user": {"nm": "wialon_test", "cls": 1, "id": 50935,
           "prp": {"dst": "-1", "language": "ru", "tz": "134232128", "...": "..."},
           "crt": 0, "bact": 50936, "fl": 6, "hm": "", "uacl": 2097795,
           "mu": 0, "ct": 0, "ftp": {}, "ld": 0, "pfl": 0, "ap": {}},
  "token": "{\"app\":\"Wialon Hosting\",\"ct\":1443682655,\"at\":1443682655,\"dur\":2592000,\"fl\":-1,\"p\":\"{}\",\"items\":[]}",
  "th": "2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38",
  "classes": {"avl_hw": 4, "avl_resource": 3, "avl_retranslator": 7, "avl_route": 6,
              "avl_unit": 2, "avl_unit_group": 5, "user": 1},
  "features": {"unlim": 1, "svcs": {"...": 1}}
}"#;

/// The same result with the extra fields of the use_auth_hash page (§4):
/// `hl` (always 1 when present), `base_url`, `hw_gw_dns`, `gis_*`, `web_site`,
/// `web_cms_manager_site`. The URLs are made-up example values.
const USE_AUTH_HASH_BODY: &str = r#"{
  "eid": "d1cb60897768780f846df7ab2400eb5f",
  "gis_sid": "<text>", "host": "212.98.173.107", "hw_gw_ip": "<text>",
  "au": "wialon_test", "hl": 1, "pi": 0, "tm": 1358415984, "wsdk_version": "<text>",
  "base_url": "https://hst-api.wialon.com",
  "hw_gw_dns": "gw.example.wialon.com",
  "gis_search": "https://search-maps.example.com",
  "gis_render": "https://render-maps.example.com",
  "gis_geocode": "https://geocode-maps.example.com",
  "gis_routing": "https://routing-maps.example.com",
  "web_site": "https://hosting.example.com",
  "web_cms_manager_site": "https://cms.example.com",
  "user": {"nm": "wialon_test", "cls": 1, "id": 50935,
           "prp": {"dst": "-1", "language": "ru", "tz": "134232128", "...": "..."},
           "crt": 0, "bact": 50936, "fl": 6, "hm": "", "uacl": 2097795,
           "mu": 0, "ct": 0, "ftp": {}, "ld": 0, "pfl": 0, "ap": {}},
  "token": "{\"app\":\"Wialon Hosting\",\"ct\":1443682655,\"at\":1443682655,\"dur\":2592000,\"fl\":-1,\"p\":\"{}\",\"items\":[]}",
  "th": "2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38",
  "classes": {"avl_hw": 4, "avl_resource": 3, "avl_retranslator": 7, "avl_route": 6,
              "avl_unit": 2, "avl_unit_group": 5, "user": 1},
  "features": {"unlim": 1, "svcs": {"...": 1}}
}"#;

// ---------------------------------------------------------------- helpers

/// Replaces whatever the server answered before with `answer` for every POST
/// to the endpoint, and forgets the requests received so far.
async fn answer_with(server: &MockServer, answer: ResponseTemplate) {
    answer_posts(server, ENDPOINT, answer).await;
}

async fn server_answering(answer: ResponseTemplate) -> MockServer {
    server_answering_posts(ENDPOINT, answer).await
}

fn client_with(server: &MockServer, options: ClientOptions) -> Client {
    Client::with_options(options.base_url(format!("{}{ENDPOINT}", server.uri())))
        .expect("client for the mock server")
}

fn client(server: &MockServer) -> Client {
    client_with(server, ClientOptions::default())
}

fn token_login_request() -> TokenLoginRequest {
    TokenLoginRequest::new(TOKEN, LoginFlags::BASIC_INFO)
}

/// Checks the documented HTTP shape (POST of a form to /wialon/ajax.html),
/// checks that the form holds exactly `svc` and `params`, and returns the
/// parsed `params` JSON document.
fn packed_params(request: &Request, expected_svc: &str) -> Value {
    let fields = form_fields(request, ENDPOINT);
    let mut names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["params", "svc"], "form fields: {fields:?}");
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .expect("field is present")
    };
    assert_eq!(field("svc"), expected_svc);
    serde_json::from_str(field("params")).expect("`params` is a JSON document")
}

fn server_time_of_docs_example() -> OffsetDateTime {
    // "tm": 1358415984 is 2013-01-17 09:46:24 UTC.
    time::Date::from_calendar_date(2013, Month::January, 17)
        .and_then(|d| d.with_hms(9, 46, 24))
        .expect("valid date")
        .assume_utc()
}

fn documented_classes() -> BTreeMap<String, u64> {
    [
        ("avl_hw", 4),
        ("avl_resource", 3),
        ("avl_retranslator", 7),
        ("avl_route", 6),
        ("avl_unit", 2),
        ("avl_unit_group", 5),
        ("user", 1),
    ]
    .into_iter()
    .map(|(name, id)| (name.to_string(), id))
    .collect()
}

/// Asserts the documented login result, in the shape every login method shares.
fn assert_documented_login_result(result: &LoginResult) {
    assert_eq!(result.session_id.expose(), SESSION_ID);
    assert_eq!(
        result.gis_session_id.as_ref().map(|s| s.expose()),
        Some("<text>")
    );
    assert_eq!(result.host, "212.98.173.107");
    assert_eq!(result.hardware_gateway_ip.as_deref(), Some("<text>"));
    assert_eq!(result.user_name, "wialon_test");
    assert_eq!(result.ping_interval, Some(0));
    assert_eq!(result.server_time, server_time_of_docs_example());
    assert_eq!(result.server_time.unix_timestamp(), 1358415984);
    assert_eq!(result.sdk_version.as_deref(), Some("<text>"));

    let user = result.user.as_ref().expect("user block");
    assert_eq!(user.name, "wialon_test");
    assert_eq!(user.class_id, 1);
    assert_eq!(user.id, 50935);
    let properties = user.properties.as_ref().expect("prp");
    assert_eq!(properties.get("language").map(String::as_str), Some("ru"));
    assert_eq!(properties.get("dst").map(String::as_str), Some("-1"));
    assert_eq!(properties.get("tz").map(String::as_str), Some("134232128"));
    assert_eq!(user.creator_id, Some(0));
    assert_eq!(user.account_id, Some(50936));
    assert_eq!(user.flags, Some(6));
    assert_eq!(user.host_mask.as_deref(), Some(""));
    assert_eq!(user.self_access, Some(2097795));
    assert_eq!(user.measurement_system, Some(0));
    assert_eq!(user.created_at, Some(OffsetDateTime::UNIX_EPOCH));
    assert_eq!(user.last_login, Some(OffsetDateTime::UNIX_EPOCH));
    assert_eq!(user.creator_flags, Some(0));
    assert_eq!(user.ftp, Some(json!({})));
    let two_factor = user.two_factor.as_ref().expect("ap (empty object)");
    assert_eq!(two_factor.kind, None);
    assert_eq!(two_factor.phone, None);

    // `token` is a JSON document inside a string; its `p` is one more level down.
    let token = result.token.as_ref().expect("token settings");
    assert_eq!(token.app_name.as_deref(), Some("Wialon Hosting"));
    assert_eq!(token.created_at.unix_timestamp(), 1443682655);
    assert_eq!(token.activated_at.unix_timestamp(), 1443682655);
    assert_eq!(token.duration, 2592000);
    assert_eq!(token.access_flags, -1);
    assert_eq!(token.params, Some(json!({})));
    assert_eq!(token.items, Some(vec![]));

    assert_eq!(result.token_hash.as_ref().map(|s| s.expose()), Some(TOKEN));
    assert_eq!(result.classes, Some(documented_classes()));
    let features = result.features.as_ref().expect("features");
    assert_eq!(features.unlimited, Some(true));
    assert_eq!(
        features.services,
        Some(BTreeMap::from([("...".to_string(), 1)]))
    );
}

/// Asserts `err` is a decode failure with `status` whose text shows neither
/// the session id nor the token (hash) of the body it failed on.
#[track_caller]
fn assert_undecodable_without_secrets<E: ApiErrorKind>(err: &Error<E>, expected_status: u16) {
    assert_decode_error_hides(err, expected_status, &[SESSION_ID, TOKEN]);
}

/// `{"error":N,"reason":"..."}` with HTTP 200, as Wialon reports errors.
fn error_answer(code: i64, reason: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"error": code, "reason": reason}))
}

/// The three answers no login method can read: an HTML 502 page, an empty
/// 200 and the documented body cut in half. Returns (answer, expected status).
fn unreadable_answers(success_body: &'static str) -> [(ResponseTemplate, u16); 3] {
    let half = &success_body[..success_body.len() / 2];
    assert!(
        half.contains(SESSION_ID),
        "the truncated body must still hold the session id"
    );
    [
        (
            ResponseTemplate::new(502).set_body_raw(BAD_GATEWAY_PAGE, "text/html"),
            502,
        ),
        (ResponseTemplate::new(200), 200),
        (json_answer(half), 200),
    ]
}

// ---------------------------------------------------------- token/login

#[tokio::test]
async fn token_login_request_matches_documented_form_fields() {
    let server = server_answering(json_answer(LOGIN_BODY)).await;
    client(&server)
        .token_login(TokenLoginRequest::new(TOKEN, LoginFlags::BASIC_INFO))
        .await
        .expect("login succeeds");

    let params = packed_params(&only_request(&server).await, "token/login");
    // protocols.md §3 minimal request: params={"token":"2fe8...0D42DE7B38","fl":1};
    // unset optional params (operateAs, appName, checkService) are absent.
    assert_eq!(params, json!({"token": TOKEN, "fl": 1}));
}

/// A vendor adding a value must not fail logins: the documented login answer
/// with a two-factor type (`user.ap.type`) the spec does not list (3).
#[tokio::test]
async fn token_login_keeps_an_unknown_two_factor_type() {
    let body = LOGIN_BODY.replace(r#""ap": {}"#, r#""ap": {"type": 3, "phone": "+100"}"#);
    assert_ne!(body, LOGIN_BODY, "the example has `ap`");
    let server = server_answering(json_answer(&body)).await;
    let result = client(&server)
        .token_login(TokenLoginRequest::new(TOKEN, LoginFlags::BASIC_INFO))
        .await
        .expect("an unknown enum value does not fail the login");
    let user = result.user.as_ref().expect("user block");
    let two_factor = user.two_factor.as_ref().expect("ap");
    assert_eq!(two_factor.kind, Some(TwoFactorType::Unknown(3)));
    assert_eq!(two_factor.phone.as_deref(), Some("+100"));
    assert_eq!(i64::from(TwoFactorType::Unknown(3)), 3);
    // A known value still gets its variant.
    let body = LOGIN_BODY.replace(r#""ap": {}"#, r#""ap": {"type": 2}"#);
    answer_with(&server, json_answer(&body)).await;
    let result = client(&server)
        .token_login(TokenLoginRequest::new(TOKEN, LoginFlags::BASIC_INFO))
        .await
        .expect("login");
    let kind = result.user.and_then(|u| u.two_factor).and_then(|t| t.kind);
    assert_eq!(kind, Some(TwoFactorType::Sms));
}

#[tokio::test]
async fn token_login_sends_operate_as_and_combined_flag_bits() {
    let server = server_answering(json_answer(LOGIN_BODY)).await;
    let flags = LoginFlags::BASIC_INFO
        | LoginFlags::USER_INFO
        | LoginFlags::TOKEN_INFO
        | LoginFlags::BILLING_SERVICES;
    client(&server)
        .token_login(TokenLoginRequest::new(TOKEN, flags).operate_as("sub_user"))
        .await
        .expect("login succeeds");

    let params = packed_params(&only_request(&server).await, "token/login");
    // 0x1 | 0x2 | 0x4 | 0x10 = 23, sent as a plain number.
    assert_eq!(
        params,
        json!({"token": TOKEN, "operateAs": "sub_user", "fl": 23})
    );
}

#[tokio::test]
async fn token_login_decodes_documented_success_body() {
    let server = server_answering(json_answer(LOGIN_BODY)).await;
    let response: TokenLoginResponse = client(&server)
        .token_login(token_login_request())
        .await
        .expect("documented body decodes");

    assert_eq!(response.session_id.expose(), SESSION_ID);
    assert_eq!(response.user_name, "wialon_test");
    assert_eq!(response.server_time, server_time_of_docs_example());
    let token = response.token.as_ref().expect("token settings");
    assert_eq!(token.app_name.as_deref(), Some("Wialon Hosting"));
    assert_eq!(token.duration, 2592000);

    // token/login's result is the shared login result itself.
    assert_documented_login_result(&response);
}

#[tokio::test]
async fn token_login_maps_every_documented_error_code_to_its_variant() {
    // token/login page: 4, 7, 8 with login-specific meanings (6 and 1003 as in
    // the general table); all other codes from the general error-codes page.
    let table = [
        (1, TokenLoginError::Provider(ProviderError::InvalidSession)),
        (2, TokenLoginError::Provider(ProviderError::InvalidService)),
        (3, TokenLoginError::Provider(ProviderError::InvalidResult)),
        (4, TokenLoginError::Provider(ProviderError::InvalidInput)),
        (5, TokenLoginError::Provider(ProviderError::RequestFailed)),
        (6, TokenLoginError::Provider(ProviderError::UnknownError)),
        (7, TokenLoginError::Provider(ProviderError::AccessDenied)),
        (
            8,
            TokenLoginError::Provider(ProviderError::InvalidUserOrPassword),
        ),
        (
            9,
            TokenLoginError::Provider(ProviderError::AuthServerUnavailable),
        ),
        (
            10,
            TokenLoginError::Provider(ProviderError::ConcurrentRequestLimit),
        ),
        (
            11,
            TokenLoginError::Provider(ProviderError::PasswordResetError),
        ),
        (12, TokenLoginError::Provider(ProviderError::AgroNotLoaded)),
        (14, TokenLoginError::Provider(ProviderError::BillingError)),
        (
            1001,
            TokenLoginError::Provider(ProviderError::NoMessagesForInterval),
        ),
        (
            1002,
            TokenLoginError::Provider(ProviderError::ItemAlreadyExists),
        ),
        (
            1003,
            TokenLoginError::Provider(ProviderError::RequestLimitReached),
        ),
        (
            1004,
            TokenLoginError::Provider(ProviderError::MessageLimitExceeded),
        ),
        (
            1005,
            TokenLoginError::Provider(ProviderError::ExecutionTimeExceeded),
        ),
        (
            1006,
            TokenLoginError::Provider(ProviderError::TwoFactorAttemptsExceeded),
        ),
        (
            1011,
            TokenLoginError::Provider(ProviderError::SessionIpChangedOrExpired),
        ),
        (
            2006,
            TokenLoginError::Provider(ProviderError::UnitTransferNotAllowed),
        ),
        (
            2008,
            TokenLoginError::Provider(ProviderError::UnitAccessLost),
        ),
        (
            2014,
            TokenLoginError::Provider(ProviderError::UserOwnsObjects),
        ),
        (2015, TokenLoginError::Provider(ProviderError::SensorInUse)),
    ];
    assert_variants_distinct(&table);
    let server = MockServer::start().await;
    let client = client(&server);
    for (code, expected) in table {
        let reason = format!("reason for {code}");
        answer_with(&server, error_answer(code, &reason)).await;
        let error = expect_api_error(
            client.token_login(token_login_request()).await,
            "wialon",
            "token/login",
        );
        assert_eq!(error.kind, expected, "code {code}");
        assert_eq!(error.kind.code(), ErrorCode::Int(code));
        assert_eq!(error.status, 200);
        assert_eq!(error.message.as_deref(), Some(reason.as_str()));
    }
}

#[tokio::test]
async fn token_login_documented_limit_error_keeps_reason_and_class() {
    let server = server_answering(json_answer(
        r#"{"error":1003,"reason":"LIMIT api_concurrent"}"#,
    ))
    .await;
    let err = client(&server)
        .token_login(token_login_request())
        .await
        .expect_err("1003 is an error");
    let api = err.api().expect("an API error");
    assert_eq!(
        api.kind,
        TokenLoginError::Provider(ProviderError::RequestLimitReached)
    );
    assert_eq!(api.message.as_deref(), Some("LIMIT api_concurrent"));
    assert_eq!(err.class(), Some(ErrorClass::RateLimited));
}

#[tokio::test]
async fn token_login_error_classes_follow_the_docs() {
    // 1 and 1011: log in again; 4: wrong token length; 7: user disabled or token not active.
    let table = [
        (1, ErrorClass::SessionExpired),
        (1011, ErrorClass::SessionExpired),
        (4, ErrorClass::InvalidInput),
        (7, ErrorClass::AccessDenied),
        (10, ErrorClass::RateLimited),
    ];
    let server = MockServer::start().await;
    let client = client(&server);
    for (code, class) in table {
        answer_with(&server, error_answer(code, "r")).await;
        let err = client
            .token_login(token_login_request())
            .await
            .expect_err("an error code is not a success");
        assert_eq!(err.class(), Some(class), "code {code}: {err:?}");
    }
}

#[tokio::test]
async fn token_login_unknown_code_keeps_code_and_message() {
    let server = server_answering(error_answer(1012, "not in any doc")).await;
    let err = client(&server)
        .token_login(token_login_request())
        .await
        .expect_err("1012 is an error");
    let api = err.api().expect("an API error");
    assert_eq!(
        api.kind,
        TokenLoginError::Unknown {
            code: ErrorCode::Int(1012),
            message: Some("not in any doc".to_string()),
        }
    );
    assert_eq!(api.kind.code(), ErrorCode::Int(1012));
    assert_eq!(err.class(), Some(ErrorClass::Other));
}

#[tokio::test]
async fn token_login_unreadable_answers_are_decode_errors_without_secrets() {
    let server = MockServer::start().await;
    let client = client(&server);
    for (answer, status) in unreadable_answers(LOGIN_BODY) {
        answer_with(&server, answer).await;
        let err = client
            .token_login(token_login_request())
            .await
            .expect_err("unreadable answer");
        assert_undecodable_without_secrets(&err, status);
    }
}

#[tokio::test]
async fn token_login_refuses_a_body_over_max_response_bytes() {
    let server = server_answering(json_answer(LOGIN_BODY)).await;
    let client = client_with(&server, ClientOptions::default().max_response_bytes(64));
    let err = client
        .token_login(token_login_request())
        .await
        .expect_err("body is larger than 64 bytes");
    assert_undecodable_without_secrets(&err, 200);
}

#[tokio::test]
async fn token_login_times_out_on_a_slow_server() {
    let server = server_answering(json_answer(LOGIN_BODY).set_delay(Duration::from_secs(5))).await;
    let client = client_with(
        &server,
        ClientOptions::default().timeout(Duration::from_millis(200)),
    );
    let err = client
        .token_login(token_login_request())
        .await
        .expect_err("no answer in time");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn token_login_reports_refused_connection_as_transport_error() {
    let port = closed_local_port();
    let client = Client::with_options(
        ClientOptions::default().base_url(format!("http://127.0.0.1:{port}{ENDPOINT}")),
    )
    .expect("client");
    let err = client
        .token_login(token_login_request())
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn token_login_rejects_a_token_that_is_not_72_characters_without_sending() {
    let server = server_answering(json_answer(LOGIN_BODY)).await;
    let short_token = &TOKEN[..71];
    let err = client(&server)
        .token_login(TokenLoginRequest::new(short_token, LoginFlags::BASIC_INFO))
        .await
        .expect_err("71 characters are too few");
    let Error::Invalid { field, reason } = &err else {
        panic!("expected Error::Invalid, got {err:?}");
    };
    assert_eq!(*field, "token");
    assert!(
        !reason.contains(short_token),
        "reason shows the token: {reason}"
    );
    assert_nothing_sent(&server).await;
}

// ---------------------------------------------------- core/use_auth_hash

#[tokio::test]
async fn use_auth_hash_request_matches_documented_form_fields() {
    let server = server_answering(json_answer(USE_AUTH_HASH_BODY)).await;
    client(&server)
        .use_auth_hash(
            UseAuthHashRequest::new(AUTH_HASH)
                .operate_as("sub_user")
                .check_service("avl_unit"),
        )
        .await
        .expect("login succeeds");

    let params = packed_params(&only_request(&server).await, "core/use_auth_hash");
    // svc=core/use_auth_hash&params={"authHash":…,"operateAs":…,"checkService":…}
    assert_eq!(
        params,
        json!({"authHash": AUTH_HASH, "operateAs": "sub_user", "checkService": "avl_unit"})
    );
}

#[tokio::test]
async fn use_auth_hash_leaves_unset_optional_params_out() {
    let server = server_answering(json_answer(USE_AUTH_HASH_BODY)).await;
    client(&server)
        .use_auth_hash(UseAuthHashRequest::new(AUTH_HASH))
        .await
        .expect("login succeeds");

    let params = packed_params(&only_request(&server).await, "core/use_auth_hash");
    assert_eq!(params, json!({"authHash": AUTH_HASH}));
}

#[tokio::test]
async fn use_auth_hash_decodes_documented_success_body_and_converts_to_login_result() {
    let server = server_answering(json_answer(USE_AUTH_HASH_BODY)).await;
    let response = client(&server)
        .use_auth_hash(UseAuthHashRequest::new(AUTH_HASH))
        .await
        .expect("documented body decodes");

    assert_eq!(response.has_login_id, Some(true));
    // The addresses only the use_auth_hash result carries.
    let addresses = [
        (&response.base_url, "https://hst-api.wialon.com"),
        (&response.hardware_gateway_dns, "gw.example.wialon.com"),
        (&response.gis_search_url, "https://search-maps.example.com"),
        (&response.gis_render_url, "https://render-maps.example.com"),
        (
            &response.gis_geocode_url,
            "https://geocode-maps.example.com",
        ),
        (
            &response.gis_routing_url,
            "https://routing-maps.example.com",
        ),
        (&response.web_site, "https://hosting.example.com"),
        (&response.web_cms_manager_site, "https://cms.example.com"),
    ];
    for (decoded, expected) in addresses {
        assert_eq!(decoded.as_deref(), Some(expected));
    }

    let result: LoginResult = response.into();
    assert_documented_login_result(&result);
}

#[tokio::test]
async fn use_auth_hash_maps_every_documented_error_code_to_its_variant() {
    // use_auth_hash page: 1003 (see reason), 8 login failed, 7 access denied,
    // 4 wrong input; all other codes from the general error-codes page.
    let table = [
        (1, UseAuthHashError::Provider(ProviderError::InvalidSession)),
        (2, UseAuthHashError::Provider(ProviderError::InvalidService)),
        (3, UseAuthHashError::Provider(ProviderError::InvalidResult)),
        (4, UseAuthHashError::Provider(ProviderError::InvalidInput)),
        (5, UseAuthHashError::Provider(ProviderError::RequestFailed)),
        (6, UseAuthHashError::Provider(ProviderError::UnknownError)),
        (7, UseAuthHashError::Provider(ProviderError::AccessDenied)),
        (
            8,
            UseAuthHashError::Provider(ProviderError::InvalidUserOrPassword),
        ),
        (
            9,
            UseAuthHashError::Provider(ProviderError::AuthServerUnavailable),
        ),
        (
            10,
            UseAuthHashError::Provider(ProviderError::ConcurrentRequestLimit),
        ),
        (
            11,
            UseAuthHashError::Provider(ProviderError::PasswordResetError),
        ),
        (12, UseAuthHashError::Provider(ProviderError::AgroNotLoaded)),
        (14, UseAuthHashError::Provider(ProviderError::BillingError)),
        (
            1001,
            UseAuthHashError::Provider(ProviderError::NoMessagesForInterval),
        ),
        (
            1002,
            UseAuthHashError::Provider(ProviderError::ItemAlreadyExists),
        ),
        (
            1003,
            UseAuthHashError::Provider(ProviderError::RequestLimitReached),
        ),
        (
            1004,
            UseAuthHashError::Provider(ProviderError::MessageLimitExceeded),
        ),
        (
            1005,
            UseAuthHashError::Provider(ProviderError::ExecutionTimeExceeded),
        ),
        (
            1006,
            UseAuthHashError::Provider(ProviderError::TwoFactorAttemptsExceeded),
        ),
        (
            1011,
            UseAuthHashError::Provider(ProviderError::SessionIpChangedOrExpired),
        ),
        (
            2006,
            UseAuthHashError::Provider(ProviderError::UnitTransferNotAllowed),
        ),
        (
            2008,
            UseAuthHashError::Provider(ProviderError::UnitAccessLost),
        ),
        (
            2014,
            UseAuthHashError::Provider(ProviderError::UserOwnsObjects),
        ),
        (2015, UseAuthHashError::Provider(ProviderError::SensorInUse)),
    ];
    assert_variants_distinct(&table);
    let server = MockServer::start().await;
    let client = client(&server);
    for (code, expected) in table {
        let reason = format!("reason for {code}");
        answer_with(&server, error_answer(code, &reason)).await;
        let error = expect_api_error(
            client
                .use_auth_hash(UseAuthHashRequest::new(AUTH_HASH))
                .await,
            "wialon",
            "core/use_auth_hash",
        );
        assert_eq!(error.kind, expected, "code {code}");
        assert_eq!(error.kind.code(), ErrorCode::Int(code));
        assert_eq!(error.status, 200);
        assert_eq!(error.message.as_deref(), Some(reason.as_str()));
    }
}

#[tokio::test]
async fn use_auth_hash_error_classes_follow_the_docs() {
    // 8 "login failed": wrong credentials; 7 access denied; 1003 request limit.
    let table = [
        (8, ErrorClass::BadCredentials),
        (7, ErrorClass::AccessDenied),
        (1003, ErrorClass::RateLimited),
        (1, ErrorClass::SessionExpired),
    ];
    let server = MockServer::start().await;
    let client = client(&server);
    for (code, class) in table {
        answer_with(&server, error_answer(code, "r")).await;
        let err = client
            .use_auth_hash(UseAuthHashRequest::new(AUTH_HASH))
            .await
            .expect_err("an error code is not a success");
        assert_eq!(err.class(), Some(class), "code {code}: {err:?}");
    }
}

#[tokio::test]
async fn use_auth_hash_unknown_code_keeps_code_and_message() {
    let server = server_answering(error_answer(1012, "not in any doc")).await;
    let err = client(&server)
        .use_auth_hash(UseAuthHashRequest::new(AUTH_HASH))
        .await
        .expect_err("1012 is an error");
    let api = err.api().expect("an API error");
    assert_eq!(
        api.kind,
        UseAuthHashError::Unknown {
            code: ErrorCode::Int(1012),
            message: Some("not in any doc".to_string()),
        }
    );
}

#[tokio::test]
async fn use_auth_hash_unreadable_answers_are_decode_errors_without_secrets() {
    let server = MockServer::start().await;
    let client = client(&server);
    for (answer, status) in unreadable_answers(USE_AUTH_HASH_BODY) {
        answer_with(&server, answer).await;
        let err = client
            .use_auth_hash(UseAuthHashRequest::new(AUTH_HASH))
            .await
            .expect_err("unreadable answer");
        assert_undecodable_without_secrets(&err, status);
    }
}

#[tokio::test]
async fn use_auth_hash_refuses_a_body_over_max_response_bytes() {
    let server = server_answering(json_answer(USE_AUTH_HASH_BODY)).await;
    let client = client_with(&server, ClientOptions::default().max_response_bytes(64));
    let err = client
        .use_auth_hash(UseAuthHashRequest::new(AUTH_HASH))
        .await
        .expect_err("body is larger than 64 bytes");
    assert_undecodable_without_secrets(&err, 200);
}

#[tokio::test]
async fn use_auth_hash_times_out_on_a_slow_server() {
    let server =
        server_answering(json_answer(USE_AUTH_HASH_BODY).set_delay(Duration::from_secs(5))).await;
    let client = client_with(
        &server,
        ClientOptions::default().timeout(Duration::from_millis(200)),
    );
    let err = client
        .use_auth_hash(UseAuthHashRequest::new(AUTH_HASH))
        .await
        .expect_err("no answer in time");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}
