//! Secrets never show up in Debug or Display output, in error messages, or in
//! the tracing output of a call: for every provider, on success and failure.

use loginspec_client::{aktion, aukro, erply, wialon};
use loginspec_runtime::{ApiErrorKind, ClientOptions};
use loginspec_tests::hostile::traced;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every secret value the tests below send or receive.
const SECRETS: &[&str] = &[
    "erply-password-2b7f",
    "erply-session-key-8d1c",
    "erply-identity-jwt-55aa",
    "aukro-password-91e0",
    "aukro-webapi-key-3f3f",
    "aukro-session-handle-7c7c",
    "aktion-token-0b0b",
    "wialon-auth-hash-4e4e",
    "wialon-session-eid-6a6a",
    "wialon-gis-sid-1d1d",
    "wialon-token-hash-9f9f",
];
const WIALON_TOKEN: &str =
    "wialon-token-secret-72-chars-0000000000000000000000000000000000000000000";

/// base64(SHA-256) of the Aukro password: as secret as the password itself.
fn aukro_hash() -> String {
    // From `printf %s aukro-password-91e0 | sha256sum | xxd -r -p | base64`.
    "09OBnO9ST1XgMx7I4mYpRoJvQBK6CPNljZrDTuvXgMc=".to_string()
}

/// Fails if `text` contains any secret value.
fn assert_clean(what: &str, text: &str) {
    assert_eq!(WIALON_TOKEN.len(), 72);
    for secret in SECRETS
        .iter()
        .copied()
        .chain([WIALON_TOKEN])
        .chain([aukro_hash().as_str()])
    {
        assert!(!text.contains(secret), "{what} leaks {secret:?}:\n{text}");
    }
}

/// Both renderings of a value that has Display.
fn assert_clean_both<T: std::fmt::Debug + std::fmt::Display>(what: &str, value: &T) {
    assert_clean(&format!("{what} (Debug)"), &format!("{value:?}"));
    assert_clean(&format!("{what} (Display)"), &format!("{value}"));
}

/// A server that answers every request with `status` and `body`.
async fn server(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_string(body))
        .mount(&server)
        .await;
    server
}

/// The first half of a body, which still holds the secrets near its start.
fn truncated(body: &str) -> &str {
    &body[..body.len() / 2]
}

/// How many characters of a body an error's excerpt shows.
const EXCERPT_CHARS: usize = 160;

/// `body` cut off right after `secret`, which must end within the part of
/// the body an excerpt shows: only blanking keeps it out of the error.
fn cut_after<'a>(body: &'a str, secret: &str) -> &'a str {
    let end = body.find(secret).expect("the body holds the secret") + secret.len();
    assert!(
        body[..end].chars().count() <= EXCERPT_CHARS,
        "{secret:?} lies beyond the excerpt of {body}"
    );
    &body[..end]
}

/// Fails unless `err` is a decode error whose excerpt shows the blanking marker.
fn assert_blanked<E: ApiErrorKind>(what: &str, err: &loginspec_runtime::Error<E>) {
    let loginspec_runtime::Error::Decode { excerpt, .. } = err else {
        panic!("{what}: expected a decode error, got {err:?}");
    };
    assert!(
        excerpt.contains("***"),
        "{what}: the excerpt shows no blanking: {excerpt:?}"
    );
}

fn erply_body() -> String {
    r#"{"status":{"request":"verifyUser","responseStatus":"ok","errorCode":0},"records":[{"userID":"5","userName":"demo","sessionKey":"erply-session-key-8d1c","sessionLength":3600,"identityToken":"erply-identity-jwt-55aa"}]}"#.into()
}

fn aukro_body() -> String {
    r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="https://webapi.allegro.pl/service.php"><SOAP-ENV:Body><ns1:doLoginEncResponse><ns1:sessionHandlePart>aukro-session-handle-7c7c</ns1:sessionHandlePart><ns1:userId>4109848</ns1:userId><ns1:serverTime>1269814134</ns1:serverTime></ns1:doLoginEncResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"#.into()
}

/// A SOAP envelope whose first text is the session handle.
fn aukro_compact_body() -> String {
    r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><doLoginEncResponse><sessionHandlePart>aukro-session-handle-7c7c</sessionHandlePart><userId>4109848</userId><serverTime>1269814134</serverTime></doLoginEncResponse></s:Body></s:Envelope>"#.into()
}

fn aktion_body() -> String {
    r#"{"Token":"aktion-token-0b0b","ExpireInSec":20,"ExpireDate":"\/Date(1770202477469)\/"}"#
        .into()
}

fn wialon_body() -> String {
    r#"{"eid":"wialon-session-eid-6a6a","gis_sid":"wialon-gis-sid-1d1d","host":"127.0.0.1","au":"demo","tm":1358415984,"th":"wialon-token-hash-9f9f","user":{"nm":"demo","cls":1,"id":7,"th":"wialon-token-hash-9f9f"}}"#.into()
}

fn options(server: &MockServer, path: &str) -> ClientOptions {
    ClientOptions::default().base_url(format!("{}{path}", server.uri()))
}

#[test]
fn secrets_absent_from_request_debug() {
    let requests = [
        format!(
            "{:?}",
            erply::VerifyUserRequest::new("demo", "erply-password-2b7f")
        ),
        format!(
            "{:?}",
            aukro::DoLoginEncRequest::new(aukro::DoLoginEncArgs {
                user_login: "jan".into(),
                password: "aukro-password-91e0".into(),
                country_id: 56,
                webapi_key: "aukro-webapi-key-3f3f".into(),
                local_version: 1
            })
        ),
        format!(
            "{:?}",
            wialon::TokenLoginRequest::new(WIALON_TOKEN, wialon::LoginFlags::BASIC_INFO)
        ),
        format!(
            "{:?}",
            wialon::UseAuthHashRequest::new("wialon-auth-hash-4e4e")
        ),
    ];
    for (i, text) in requests.iter().enumerate() {
        assert_clean(&format!("request {i}"), text);
        assert!(
            text.contains("Secret(***)"),
            "request {i} should show the redaction: {text}"
        );
    }
}

#[tokio::test]
async fn secrets_absent_from_responses_errors_and_logs() {
    let ((), logs) = traced(async {
        // Successes: the typed responses hold the secrets but never print them.
        let s = server(200, &erply_body()).await;
        let client = erply::Client::with_options("123456", options(&s, "/api/")).unwrap();
        let ok = client
            .verify_user(erply::VerifyUserRequest::new("demo", "erply-password-2b7f"))
            .await
            .unwrap();
        assert_eq!(ok.session_key.expose(), "erply-session-key-8d1c");
        assert_clean("erply response", &format!("{ok:?} {client:?}"));

        let s = server(200, &aukro_body()).await;
        let client = aukro::Client::with_options(options(&s, "/service.php")).unwrap();
        let request = aukro::DoLoginEncRequest::new(aukro::DoLoginEncArgs {
            user_login: "jan".into(),
            password: "aukro-password-91e0".into(),
            country_id: 56,
            webapi_key: "aukro-webapi-key-3f3f".into(),
            local_version: 1,
        });
        let ok = client.do_login_enc(request.clone()).await.unwrap();
        assert_eq!(ok.session_handle_part.expose(), "aukro-session-handle-7c7c");
        assert_clean("aukro response", &format!("{ok:?}"));
        // The hash really was sent (so its absence from the logs below means something).
        let sent = String::from_utf8(s.received_requests().await.unwrap()[0].body.clone()).unwrap();
        assert!(sent.contains(&aukro_hash()), "{sent}");

        let s = server(200, &aktion_body()).await;
        let client = aktion::Client::with_options(options(&s, "/api/")).unwrap();
        let ok = client
            .login_adv_auth(aktion::LoginAdvAuthRequest::new("John.Doo"))
            .await
            .unwrap();
        assert_eq!(ok.token.expose(), "aktion-token-0b0b");
        assert_clean("aktion response", &format!("{ok:?}"));

        let s = server(200, &wialon_body()).await;
        let client = wialon::Client::with_options(options(&s, "/wialon/ajax.html")).unwrap();
        let ok = client
            .use_auth_hash(wialon::UseAuthHashRequest::new("wialon-auth-hash-4e4e"))
            .await
            .unwrap();
        assert_eq!(ok.session_id.expose(), "wialon-session-eid-6a6a");
        assert_clean("wialon response", &format!("{ok:?}"));
        let flags = wialon::LoginFlags::BASIC_INFO;
        let ok = client
            .token_login(wialon::TokenLoginRequest::new(WIALON_TOKEN, flags))
            .await
            .unwrap();
        assert_clean("wialon login response", &format!("{ok:?}"));

        // Failures: undecodable bodies that carry secrets, cut off mid-way.
        let s = server(200, cut_after(&erply_body(), "erply-session-key-8d1c")).await;
        let client = erply::Client::with_options("123456", options(&s, "/api/")).unwrap();
        let err = client
            .verify_user(erply::VerifyUserRequest::new("demo", "erply-password-2b7f"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, loginspec_runtime::Error::Decode { .. }),
            "{err:?}"
        );
        assert_clean_both("erply decode error", &err);
        assert_blanked("erply decode error", &err);

        let s = server(
            200,
            cut_after(&aukro_compact_body(), "aukro-session-handle-7c7c"),
        )
        .await;
        let client = aukro::Client::with_options(options(&s, "/service.php")).unwrap();
        let err = client.do_login_enc(request).await.unwrap_err();
        assert!(
            matches!(err, loginspec_runtime::Error::Decode { .. }),
            "{err:?}"
        );
        assert_clean_both("aukro decode error", &err);
        assert_blanked("aukro decode error", &err);

        let s = server(200, truncated(&aktion_body())).await;
        let client = aktion::Client::with_options(options(&s, "/api/")).unwrap();
        let err = client
            .login_adv_auth(aktion::LoginAdvAuthRequest::new("John.Doo"))
            .await
            .unwrap_err();
        assert_clean_both("aktion decode error", &err);

        // A secret where a number belongs: the type error must not quote it.
        let s = server(
            200,
            r#"{"Token":"aktion-token-0b0b","ExpireInSec":"aktion-token-0b0b"}"#,
        )
        .await;
        let client = aktion::Client::with_options(options(&s, "/api/")).unwrap();
        let err = client
            .login_adv_auth(aktion::LoginAdvAuthRequest::new("John.Doo"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, loginspec_runtime::Error::Decode { .. }),
            "{err:?}"
        );
        assert_clean_both("aktion type error", &err);

        let s = server(200, truncated(&wialon_body())).await;
        let client = wialon::Client::with_options(options(&s, "/wialon/ajax.html")).unwrap();
        let err = client
            .use_auth_hash(wialon::UseAuthHashRequest::new("wialon-auth-hash-4e4e"))
            .await
            .unwrap_err();
        assert_clean_both("wialon decode error", &err);

        // An API error, and a transport error to a closed port.
        let s = server(200, r#"{"error":8,"reason":"wrong auth hash"}"#).await;
        let client = wialon::Client::with_options(options(&s, "/wialon/ajax.html")).unwrap();
        let err = client
            .use_auth_hash(wialon::UseAuthHashRequest::new("wialon-auth-hash-4e4e"))
            .await
            .unwrap_err();
        assert!(err.api().is_some(), "{err:?}");
        assert_clean_both("wialon api error", &err);

        let closed = ClientOptions::default().base_url("http://127.0.0.1:9/api/");
        let client = erply::Client::with_options("123456", closed).unwrap();
        let err = client
            .verify_user(erply::VerifyUserRequest::new("demo", "erply-password-2b7f"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, loginspec_runtime::Error::Transport(_)),
            "{err:?}"
        );
        assert_clean_both("transport error", &err);
    })
    .await;
    assert!(
        logs.contains("loginspec.call"),
        "the calls were traced:\n{logs}"
    );
    assert!(
        logs.contains("outcome"),
        "the outcome was recorded:\n{logs}"
    );
    assert_clean("tracing output", &logs);
}
