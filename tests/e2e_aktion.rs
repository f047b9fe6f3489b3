//! End-to-end tests of Aktion `POST login/advAuth` (JSON and XML) against a
//! loopback HTTP server.
//!
//! Every expected value is written by hand from the vendor help pages
//! (https://cloud.aktion.cz/api/Help/Api/POST-login-advAuth, the on-premise
//! copy, the token error table) and the samples in /work/shared/protocols.md,
//! never captured from the client's own output.

use loginspec_client::aktion::{Client, LoginAdvAuthError, LoginAdvAuthRequest};
use loginspec_runtime::{ApiErrorKind, ClientOptions, Encoding, Error, ErrorClass, ErrorCode};
use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ENDPOINT_PATH))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_string(), content_type))
        .mount(&server)
        .await;
    server
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

fn media_type(request: &wiremock::Request) -> String {
    let value = request
        .headers
        .get("content-type")
        .expect("Content-Type header")
        .to_str()
        .expect("ASCII Content-Type");
    value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn only_request(requests: Option<Vec<wiremock::Request>>) -> wiremock::Request {
    let mut requests = requests.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

/// An XML element reduced to what the tests compare: namespace, local name,
/// trimmed text and child elements in order.
#[derive(Debug, PartialEq)]
struct Element {
    namespace: Option<String>,
    name: String,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn unqualified(name: &str, text: &str, children: Vec<Element>) -> Element {
        Element {
            namespace: None,
            name: name.to_string(),
            text: text.to_string(),
            children,
        }
    }
}

fn namespace_of(resolved: ResolveResult<'_>) -> Option<String> {
    match resolved {
        ResolveResult::Bound(Namespace(ns)) => Some(ns.to_string()),
        ResolveResult::Unbound => None,
        ResolveResult::Unknown(prefix) => panic!("undeclared namespace prefix {prefix:?}"),
    }
}

/// Parses a whole XML document with namespace resolution.
fn parse_xml(document: &str) -> Element {
    let mut reader = NsReader::from_str(document);
    let mut open: Vec<Element> = Vec::new();
    loop {
        let (resolved, event) = reader
            .read_resolved_event()
            .unwrap_or_else(|e| panic!("request body is not well-formed XML: {e}\n{document}"));
        let namespace = namespace_of(resolved);
        let finished = match event {
            Event::Start(start) => {
                open.push(Element {
                    namespace,
                    name: start.local_name().as_ref().to_string(),
                    text: String::new(),
                    children: Vec::new(),
                });
                None
            }
            Event::Empty(start) => Some(Element {
                namespace,
                name: start.local_name().as_ref().to_string(),
                text: String::new(),
                children: Vec::new(),
            }),
            Event::Text(text) => {
                if let Some(top) = open.last_mut() {
                    top.text.push_str(&text.xml10_content());
                }
                None
            }
            Event::GeneralRef(reference) => {
                let top = open.last_mut().expect("entity reference outside the root");
                match reference
                    .resolve_char_ref()
                    .expect("valid character reference")
                {
                    Some(c) => top.text.push(c),
                    None => top.text.push_str(
                        quick_xml::escape::resolve_predefined_entity(&reference)
                            .expect("only predefined entities"),
                    ),
                }
                None
            }
            Event::End(_) => {
                let mut element = open.pop().expect("balanced end tag");
                element.text = element.text.trim().to_string();
                Some(element)
            }
            Event::Eof => panic!("XML ends before its root element is closed:\n{document}"),
            _ => None,
        };
        if let Some(element) = finished {
            match open.last_mut() {
                Some(parent) => parent.children.push(element),
                None => return element,
            }
        }
    }
}

fn expect_api_error(
    result: Result<impl std::fmt::Debug, Error<LoginAdvAuthError>>,
) -> loginspec_runtime::ApiError<LoginAdvAuthError> {
    match result {
        Err(Error::Api {
            provider,
            method,
            error,
        }) => {
            assert_eq!(provider, "aktion");
            assert_eq!(method, "login/advAuth");
            error
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// The longest leading part of `secret` (at least 4 characters) that `body` contains.
fn visible_part_of_secret<'a>(body: &str, secret: &'a str) -> &'a str {
    let len = (4..=secret.len())
        .rev()
        .find(|&len| body.contains(&secret[..len]))
        .unwrap_or_else(|| panic!("the body shows no part of the secret: {body}"));
    &secret[..len]
}

#[tokio::test]
async fn aktion_json_request_matches_documented_login_adv_auth_body() {
    let server = server_answering(200, JSON_SUCCESS, "application/json; charset=utf-8").await;
    client_for(&server, Encoding::Json)
        .login_adv_auth(documented_request())
        .await
        .expect("documented success answer");

    let request = only_request(server.received_requests().await);
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), ENDPOINT_PATH);
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
    let server = server_answering(200, GUID_XML_SUCCESS, "application/xml; charset=utf-8").await;
    client_for(&server, Encoding::Xml)
        .login_adv_auth(documented_request())
        .await
        .expect("documented success answer");

    let request = only_request(server.received_requests().await);
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), ENDPOINT_PATH);
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
    let request = only_request(server.received_requests().await);
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
    let coded = |code: i64, message: &str| format!(r#"{{"Message":"{message}","Code":{code}}}"#);
    // (HTTP status, body, expected variant, expected code, expected message)
    let table: Vec<(u16, String, LoginAdvAuthError, ErrorCode, Option<&str>)> = vec![
        // login/advAuth error table.
        (
            400,
            coded(1002, "Entry parameter missing or parameter bindigs failed"),
            LoginAdvAuthError::InvalidParameters,
            ErrorCode::Int(1002),
            Some("Entry parameter missing or parameter bindigs failed"),
        ),
        (
            401,
            coded(1003, "UserLogin or ApiKey are unknown or user is blocked"),
            LoginAdvAuthError::UnknownUserOrApiKey,
            ErrorCode::Int(1003),
            Some("UserLogin or ApiKey are unknown or user is blocked"),
        ),
        (
            401,
            coded(1004, "ApiKey is invalid"),
            LoginAdvAuthError::InvalidApiKey,
            ErrorCode::Int(1004),
            Some("ApiKey is invalid"),
        ),
        (
            415,
            r#"{"Message":"The request entity's media type 'text/plain' is not supported for this resource."}"#.to_string(),
            LoginAdvAuthError::UnsupportedMediaType,
            ErrorCode::HttpStatus(415),
            Some("The request entity's media type 'text/plain' is not supported for this resource."),
        ),
        (
            415,
            String::new(),
            LoginAdvAuthError::UnsupportedMediaType,
            ErrorCode::HttpStatus(415),
            None,
        ),
        (
            500,
            r#"{"Message":"An error has occurred."}"#.to_string(),
            LoginAdvAuthError::ServerException,
            ErrorCode::HttpStatus(500),
            Some("An error has occurred."),
        ),
        (
            500,
            "System.NullReferenceException: Object reference not set to an instance of an object.".to_string(),
            LoginAdvAuthError::ServerException,
            ErrorCode::HttpStatus(500),
            None,
        ),
        (
            500,
            String::new(),
            LoginAdvAuthError::ServerException,
            ErrorCode::HttpStatus(500),
            None,
        ),
        // Token error table of the token-protected endpoints.
        (
            401,
            coded(1000, "Token not found"),
            LoginAdvAuthError::TokenNotFound,
            ErrorCode::Int(1000),
            Some("Token not found"),
        ),
        (
            401,
            coded(1001, "Token already expired"),
            LoginAdvAuthError::TokenExpired,
            ErrorCode::Int(1001),
            Some("Token already expired"),
        ),
        (
            401,
            coded(1006, "Client IP address violates IP filter"),
            LoginAdvAuthError::IpFilterViolation,
            ErrorCode::Int(1006),
            Some("Client IP address violates IP filter"),
        ),
        (
            401,
            coded(1007, "IP filter definition cannot be parsed"),
            LoginAdvAuthError::IpFilterInvalid,
            ErrorCode::Int(1007),
            Some("IP filter definition cannot be parsed"),
        ),
        (
            401,
            coded(1008, "Request rate policy violated"),
            LoginAdvAuthError::RequestRateExceeded,
            ErrorCode::Int(1008),
            Some("Request rate policy violated"),
        ),
    ];
    for (status, body, expected, expected_code, expected_message) in table {
        let server = server_answering(status, &body, "application/json; charset=utf-8").await;
        let error = expect_api_error(
            client_for(&server, Encoding::Json)
                .login_adv_auth(documented_request())
                .await,
        );
        let case = format!("HTTP {status} {body:?}");
        assert_eq!(error.kind, expected, "{case}");
        assert_eq!(error.kind.code(), expected_code, "{case}");
        assert_eq!(error.status, status, "{case}");
        assert_eq!(error.message.as_deref(), expected_message, "{case}");
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
    let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    for encoding in [Encoding::Json, Encoding::Xml] {
        let server = server_answering(502, page, "text/html").await;
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
            "RndA",
        ),
        (
            LoginAdvAuthRequest::new("John.Doo")
                .rnd_a("zz112233445566778899aabbccddeeff")
                .rnd_b(RND_B),
            "RndA",
        ),
        (
            LoginAdvAuthRequest::new("John.Doo")
                .rnd_a(RND_A)
                .rnd_b("ffeeddccbbaa998877665544332211000"),
            "RndB",
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
    let requests = server.received_requests().await.expect("recording is on");
    assert!(requests.is_empty(), "nothing may be sent: {requests:?}");
}
