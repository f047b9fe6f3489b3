//! End-to-end tests of Aktion `POST login/advAuth` (JSON and XML) against a
//! loopback HTTP server.
//!
//! Every expected value is written by hand from the vendor help pages
//! (https://cloud.aktion.cz/api/Help/Api/POST-login-advAuth, the on-premise
//! copy, the token error table) and the samples in /work/shared/protocols.md,
//! never captured from the client's own output.

use loginspec_client::aktion::{Client, LoginAdvAuthError, LoginAdvAuthRequest, ProviderError};
use loginspec_runtime::{ApiErrorKind, ClientOptions, Encoding, Error, ErrorClass, ErrorCode};
use loginspec_tests::errors::visible_part_of_secret;
use loginspec_tests::mock::{
    assert_nothing_sent, content_type, only_request, server_answering_posts, BAD_GATEWAY_PAGE,
};
use loginspec_tests::xml::{parse_xml, Element};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

/// An on-premise base path, as in the documented `http://<host>/AktionNEXT/API/`.
const BASE_PATH: &str = "/AktionNEXT/API/";
const ENDPOINT_PATH: &str = "/AktionNEXT/API/login/advAuth";

const RND_A: &str = "00112233445566778899aabbccddeeff";
const RND_B: &str = "ffeeddccbbaa99887766554433221100";

const TOKEN: &str = "a45a039c-eb31-46f1-9ece-88aa5ccfe22c";

/// The documented `LoginResp` JSON sample, verbatim.
const JSON_SUCCESS: &str = r#"{"Token":"a45a039c-eb31-46f1-9ece-88aa5ccfe22c","ExpireInSec":20,"ExpireDate":"\/Date(1770202477469)\/"}"#;

/// The help page's XML response sample, verbatim.
const HELP_PAGE_XML_SUCCESS: &str = r#"<Response xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"> <Token>sample string 1</Token> <ExpireInSec>2</ExpireInSec> </Response>"#;

/// The XML `LoginResp` sample of protocols.md with the documented GUID token.
const GUID_XML_SUCCESS: &str = "<Response><Token>a45a039c-eb31-46f1-9ece-88aa5ccfe22c</Token><ExpireInSec>20</ExpireInSec></Response>";

/// A mock Aktion endpoint answering every POST to `login/advAuth`.
async fn server_answering(status: u16, body: &str, content_type: &str) -> MockServer {
    server_answering_posts(
        ENDPOINT_PATH,
        ResponseTemplate::new(status).set_body_raw(body.to_string(), content_type),
    )
    .await
}

fn client_for(server: &MockServer, encoding: Encoding) -> Client {
    Client::with_options(
        ClientOptions::default()
            .base_url(server.uri() + BASE_PATH)
            .encoding(encoding),
    )
    .expect("client for the mock server")
}

/// The parameters of the documented request sample.
fn documented_request() -> LoginAdvAuthRequest {
    LoginAdvAuthRequest::new("John.Doo")
        .rnd_a(RND_A)
        .rnd_b(RND_B)
}

/// Sends the documented request with `encoding` to a server answering
/// `success` as `content_type`, and returns the one request it received after
/// checking that it is a POST to `login/advAuth`.
async fn documented_request_as_sent(
    encoding: Encoding,
    success: &str,
    content_type: &str,
) -> wiremock::Request {
    let server = server_answering(200, success, content_type).await;
    client_for(&server, encoding)
        .login_adv_auth(documented_request())
        .await
        .expect("documented success answer");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), ENDPOINT_PATH);
    request
}

/// The media type of the request's Content-Type, without parameters, lowercased.
fn media_type(request: &wiremock::Request) -> String {
    content_type(request)
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn expect_api_error(
    result: Result<impl std::fmt::Debug, Error<LoginAdvAuthError>>,
) -> loginspec_runtime::ApiError<LoginAdvAuthError> {
    loginspec_tests::errors::expect_api_error(result, "aktion", "login/advAuth")
}

/// One documented error answer and what it must decode to.
struct ErrorCase {
    status: u16,
    body: String,
    variant: LoginAdvAuthError,
    code: ErrorCode,
    message: Option<&'static str>,
}

/// An error answer with a numeric `Code` and a `Message`, both of which the
/// error keeps.
fn coded(status: u16, code: i64, message: &'static str, variant: LoginAdvAuthError) -> ErrorCase {
    ErrorCase {
        status,
        body: format!(r#"{{"Message":"{message}","Code":{code}}}"#),
        variant,
        code: ErrorCode::Int(code),
        message: Some(message),
    }
}

/// An error answer without a `Code`: the HTTP status stands in for it.
fn by_status(
    status: u16,
    body: &str,
    message: Option<&'static str>,
    variant: LoginAdvAuthError,
) -> ErrorCase {
    ErrorCase {
        status,
        body: body.to_string(),
        variant,
        code: ErrorCode::HttpStatus(status),
        message,
    }
}

#[tokio::test]
async fn aktion_json_request_matches_documented_login_adv_auth_body() {
    let request = documented_request_as_sent(
        Encoding::Json,
        JSON_SUCCESS,
        "application/json; charset=utf-8",
    )
    .await;
    assert_eq!(
        request.url.query(),
        None,
        "nothing goes in the query string"
    );
    assert_eq!(media_type(&request), "application/json");

    let body = std::str::from_utf8(&request.body).expect("UTF-8 body");
    let parsed: serde_json::Value = serde_json::from_str(body).expect("JSON body");
    assert_eq!(
        parsed,
        json!({
            "Result": null,
            "UserLogin": "John.Doo",
            "RndA": "00112233445566778899aabbccddeeff",
            "RndB": "ffeeddccbbaa99887766554433221100",
        }),
        "body {body}"
    );
    // The documented sample lists the members as Result, UserLogin, RndA, RndB.
    let positions: Vec<usize> = ["\"Result\"", "\"UserLogin\"", "\"RndA\"", "\"RndB\""]
        .iter()
        .map(|key| {
            body.find(key)
                .unwrap_or_else(|| panic!("{key} missing in {body}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "members out of the documented order: {body}"
    );
    assert!(
        body.trim_start().starts_with("{\"Result\""),
        "Result must come first: {body}"
    );
}

#[tokio::test]
async fn aktion_xml_request_has_request_root_with_documented_children() {
    let request = documented_request_as_sent(
        Encoding::Xml,
        GUID_XML_SUCCESS,
        "application/xml; charset=utf-8",
    )
    .await;
    let media = media_type(&request);
    assert!(
        media == "application/xml" || media == "text/xml",
        "documented XML media types are application/xml and text/xml, got {media:?}"
    );

    let body = std::str::from_utf8(&request.body).expect("UTF-8 body");
    let expected = Element::unqualified(
        "Request",
        "",
        vec![
            Element::unqualified("UserLogin", "John.Doo", Vec::new()),
            Element::unqualified("RndA", "00112233445566778899aabbccddeeff", Vec::new()),
            Element::unqualified("RndB", "ffeeddccbbaa99887766554433221100", Vec::new()),
        ],
    );
    assert_eq!(parse_xml(body), expected, "request body:\n{body}");
}

#[tokio::test]
async fn aktion_base_url_without_trailing_slash_still_posts_to_login_adv_auth() {
    // The docs also write the on-premise base as `https://<host>/AktionNEXT/API`.
    let server = server_answering(200, JSON_SUCCESS, "application/json").await;
    let client =
        Client::with_options(ClientOptions::default().base_url(server.uri() + "/AktionNEXT/API"))
            .expect("client for the mock server");
    client
        .login_adv_auth(documented_request())
        .await
        .expect("documented success answer");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), ENDPOINT_PATH);
}

#[tokio::test]
async fn aktion_documented_json_success_decodes_every_field() {
    let server = server_answering(200, JSON_SUCCESS, "application/json; charset=utf-8").await;
    let response = client_for(&server, Encoding::Json)
        .login_adv_auth(documented_request())
        .await
        .expect("documented success answer");

    assert_eq!(response.token.expose(), TOKEN);
    assert_eq!(response.expire_in_sec, 20);
    assert_eq!(
        response.expire_date,
        Some(
            time::OffsetDateTime::from_unix_timestamp_nanos(1_770_202_477_469 * 1_000_000).unwrap()
        )
    );
}

#[tokio::test]
async fn aktion_documented_xml_success_samples_decode_every_field() {
    let cases = [
        (HELP_PAGE_XML_SUCCESS, "sample string 1", 2),
        (GUID_XML_SUCCESS, TOKEN, 20),
    ];
    for (body, token, expire_in_sec) in cases {
        let server = server_answering(200, body, "application/xml; charset=utf-8").await;
        let response = client_for(&server, Encoding::Xml)
            .login_adv_auth(documented_request())
            .await
            .unwrap_or_else(|e| panic!("sample {body} failed: {e:?}"));
        assert_eq!(response.token.expose(), token);
        assert_eq!(response.expire_in_sec, expire_in_sec);
        assert_eq!(
            response.expire_date, None,
            "the XML samples carry no ExpireDate"
        );
    }
}

#[tokio::test]
async fn aktion_every_documented_error_decodes_to_its_own_variant() {
    let table = [
        // login/advAuth error table.
        coded(
            400,
            1002,
            "Entry parameter missing or parameter bindigs failed",
            LoginAdvAuthError::InvalidParameters,
        ),
        coded(
            401,
            1003,
            "UserLogin or ApiKey are unknown or user is blocked",
            LoginAdvAuthError::UnknownUserOrApiKey,
        ),
        coded(
            401,
            1004,
            "ApiKey is invalid",
            LoginAdvAuthError::InvalidApiKey,
        ),
        by_status(
            415,
            r#"{"Message":"The request entity's media type 'text/plain' is not supported for this resource."}"#,
            Some(
                "The request entity's media type 'text/plain' is not supported for this resource.",
            ),
            LoginAdvAuthError::UnsupportedMediaType,
        ),
        by_status(415, "", None, LoginAdvAuthError::UnsupportedMediaType),
        by_status(
            500,
            r#"{"Message":"An error has occurred."}"#,
            Some("An error has occurred."),
            LoginAdvAuthError::ServerException,
        ),
        by_status(
            500,
            "System.NullReferenceException: Object reference not set to an instance of an object.",
            None,
            LoginAdvAuthError::ServerException,
        ),
        by_status(500, "", None, LoginAdvAuthError::ServerException),
        // Token error table of the token-protected endpoints.
        coded(
            401,
            1000,
            "Token not found",
            LoginAdvAuthError::Provider(ProviderError::TokenNotFound),
        ),
        coded(
            401,
            1001,
            "Token already expired",
            LoginAdvAuthError::Provider(ProviderError::TokenExpired),
        ),
        coded(
            401,
            1006,
            "Client IP address violates IP filter",
            LoginAdvAuthError::Provider(ProviderError::IpFilterViolation),
        ),
        coded(
            401,
            1007,
            "IP filter definition cannot be parsed",
            LoginAdvAuthError::Provider(ProviderError::IpFilterInvalid),
        ),
        coded(
            401,
            1008,
            "Request rate policy violated",
            LoginAdvAuthError::Provider(ProviderError::RequestRateExceeded),
        ),
    ];
    for ErrorCase {
        status,
        body,
        variant,
        code,
        message,
    } in table
    {
        let server = server_answering(status, &body, "application/json; charset=utf-8").await;
        let error = expect_api_error(
            client_for(&server, Encoding::Json)
                .login_adv_auth(documented_request())
                .await,
        );
        let case = format!("HTTP {status} {body:?}");
        assert_eq!(error.kind, variant, "{case}");
        assert_eq!(error.kind.code(), code, "{case}");
        assert_eq!(error.status, status, "{case}");
        assert_eq!(error.message.as_deref(), message, "{case}");
    }
}

#[tokio::test]
async fn aktion_error_classes_follow_the_documented_meaning() {
    let table = [
        (401, 1003, ErrorClass::BadCredentials),
        (401, 1004, ErrorClass::BadCredentials),
        (401, 1001, ErrorClass::SessionExpired),
        (401, 1008, ErrorClass::RateLimited),
    ];
    for (status, code, expected) in table {
        let body = format!(r#"{{"Message":"message","Code":{code}}}"#);
        let server = server_answering(status, &body, "application/json").await;
        let err = client_for(&server, Encoding::Json)
            .login_adv_auth(documented_request())
            .await
            .expect_err("an error answer");
        assert_eq!(err.class(), Some(expected), "code {code}: {err:?}");
    }
}

#[tokio::test]
async fn aktion_unknown_code_keeps_code_and_message() {
    // 1121 "missing privilege" is documented for other endpoints, not for login.
    let body = r#"{"Message":"Missing privilege","Code":1121}"#;
    let server = server_answering(403, body, "application/json; charset=utf-8").await;
    let error = expect_api_error(
        client_for(&server, Encoding::Json)
            .login_adv_auth(documented_request())
            .await,
    );
    assert_eq!(
        error.kind,
        LoginAdvAuthError::Unknown {
            code: ErrorCode::Int(1121),
            message: Some("Missing privilege".to_string()),
        }
    );
    assert_eq!(error.status, 403);
    assert_eq!(error.message.as_deref(), Some("Missing privilege"));
    assert_eq!(error.kind.class(), ErrorClass::Other);
}

#[tokio::test]
async fn aktion_html_502_page_is_a_decode_error() {
    for encoding in [Encoding::Json, Encoding::Xml] {
        let server = server_answering(502, BAD_GATEWAY_PAGE, "text/html").await;
        match client_for(&server, encoding)
            .login_adv_auth(documented_request())
            .await
        {
            Err(Error::Decode {
                status, excerpt, ..
            }) => {
                assert_eq!(status, 502, "{encoding:?}");
                assert!(excerpt.contains("502 Bad Gateway"), "excerpt {excerpt:?}");
            }
            other => panic!("{encoding:?}: expected a decode error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn aktion_empty_200_body_is_a_decode_error() {
    for (encoding, content_type) in [
        (Encoding::Json, "application/json"),
        (Encoding::Xml, "application/xml"),
    ] {
        let server = server_answering(200, "", content_type).await;
        match client_for(&server, encoding)
            .login_adv_auth(documented_request())
            .await
        {
            Err(Error::Decode { status, .. }) => assert_eq!(status, 200, "{encoding:?}"),
            other => panic!("{encoding:?}: expected a decode error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn aktion_truncated_success_bodies_are_decode_errors_without_the_token() {
    for (encoding, full, content_type) in [
        (
            Encoding::Json,
            JSON_SUCCESS,
            "application/json; charset=utf-8",
        ),
        (
            Encoding::Xml,
            GUID_XML_SUCCESS,
            "application/xml; charset=utf-8",
        ),
    ] {
        let truncated = &full[..full.len() / 2];
        let visible = visible_part_of_secret(truncated, TOKEN);
        let server = server_answering(200, truncated, content_type).await;
        match client_for(&server, encoding)
            .login_adv_auth(documented_request())
            .await
        {
            Err(Error::Decode {
                status,
                reason,
                excerpt,
            }) => {
                assert_eq!(status, 200, "{encoding:?}");
                assert!(
                    excerpt.contains("Token"),
                    "{encoding:?}: excerpt {excerpt:?}"
                );
                assert!(
                    !excerpt.contains(visible),
                    "{encoding:?}: excerpt leaks the token part {visible:?}: {excerpt:?}"
                );
                assert!(
                    !reason.contains(visible),
                    "{encoding:?}: reason leaks the token: {reason:?}"
                );
            }
            other => panic!("{encoding:?}: expected a decode error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn aktion_malformed_rnd_values_are_rejected_before_sending() {
    // RndA and RndB are documented as 16-byte answers in hexadecimal: 32 hex digits.
    let cases = [
        (
            LoginAdvAuthRequest::new("John.Doo")
                .rnd_a("00112233445566778899aabbccddeef")
                .rnd_b(RND_B),
            "rnd_a",
        ),
        (
            LoginAdvAuthRequest::new("John.Doo")
                .rnd_a("zz112233445566778899aabbccddeeff")
                .rnd_b(RND_B),
            "rnd_a",
        ),
        (
            LoginAdvAuthRequest::new("John.Doo")
                .rnd_a(RND_A)
                .rnd_b("ffeeddccbbaa998877665544332211000"),
            "rnd_b",
        ),
    ];
    let server = server_answering(200, JSON_SUCCESS, "application/json").await;
    let client = client_for(&server, Encoding::Json);
    for (request, expected_field) in cases {
        match client.login_adv_auth(request).await {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, expected_field),
            other => panic!("expected Invalid for {expected_field}, got {other:?}"),
        }
    }
    assert_nothing_sent(&server).await;
}

// ---------------------------------------------------------------------------
// GET attendance/getPassByPerson in a Session: the token from login/advAuth
// as the query parameter `Token` (the help page's
// `?PageNumber=&PageSize=&PersonId=&TimeFrom=&TimeTo=&Token=`), and a new
// login on 401 with code 1001 (token already expired).
// ---------------------------------------------------------------------------

const PASSES_PATH: &str = "/AktionNEXT/API/attendance/getPassByPerson";
const SECOND_TOKEN: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

#[tokio::test]
async fn aktion_session_sends_the_token_in_the_query_and_logs_in_again_when_it_expired() {
    use loginspec_client::aktion::{GetPassByPersonRequest, Session};
    use wiremock::matchers::{method, path};
    use wiremock::Mock;

    let server = MockServer::start().await;
    for (priority, token) in [(1, TOKEN), (2, SECOND_TOKEN)] {
        Mock::given(method("POST"))
            .and(path(ENDPOINT_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                JSON_SUCCESS.replace(TOKEN, token),
                "application/json; charset=utf-8",
            ))
            .up_to_n_times(1)
            .with_priority(priority)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(PASSES_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"Message":"Token expired","Code":1001}"#,
            "application/json; charset=utf-8",
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(PASSES_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
        .with_priority(2)
        .mount(&server)
        .await;

    let session = Session::new(client_for(&server, Encoding::Json), documented_request());
    let passes = session
        .get_pass_by_person(
            GetPassByPersonRequest::new()
                .page_number(1)
                .page_size(50)
                .person_id("42"),
        )
        .await
        .expect("passes after a new login");
    assert_eq!(passes, json!([]));
    assert_eq!(session.login_count(), 2);

    let requests = server.received_requests().await.expect("recorded");
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.url.path()))
        .collect();
    assert_eq!(
        calls,
        [
            ("POST", ENDPOINT_PATH),
            ("GET", PASSES_PATH),
            ("POST", ENDPOINT_PATH),
            ("GET", PASSES_PATH)
        ]
    );
    for (request, token) in [(&requests[1], TOKEN), (&requests[3], SECOND_TOKEN)] {
        assert_eq!(
            request.url.query(),
            Some(format!("PageNumber=1&PageSize=50&PersonId=42&Token={token}").as_str())
        );
        assert!(request.body.is_empty(), "a GET without a body");
        assert!(request.headers.get("content-type").is_none());
    }
}
