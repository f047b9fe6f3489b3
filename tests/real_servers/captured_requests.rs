//! Requests whose bytes docs/peers/ captured from the real clients and
//! servers, sent to a loopback server: these run without the servers.

use super::*;
use loginspec_tests::mock::only_request;

/// npm's login as docs/peers/verdaccio.md (a) captured it: `PUT` with the
/// name in the path, HTTP Basic of name and password, and the JSON body
/// `{"name","password"}`.
#[tokio::test]
async fn verdaccio_npm_login_sends_the_name_and_password_in_every_place() {
    let server = wiremock::MockServer::start().await;
    let created = wiremock::ResponseTemplate::new(201).set_body_raw(
        r#"{"ok": "you are authenticated as 'loginspec'", "token": "eyJ.e30.x"}"#,
        "application/json; charset=utf-8",
    );
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(created)
        .mount(&server)
        .await;
    let options = ClientOptions::default().base_url(format!("{}/", server.uri()));
    let client = verdaccio::Client::with_options(options).unwrap();
    let request = verdaccio::NpmLoginRequest::new("loginspec", "vd-pass-4Rt8");
    let login = client.npm_login(request).await.unwrap();
    assert_eq!(login.token.expose(), "eyJ.e30.x");
    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "PUT");
    assert_eq!(sent.url.path(), "/-/user/org.couchdb.user:loginspec");
    assert_eq!(
        sent.headers.get("authorization").unwrap(),
        "Basic bG9naW5zcGVjOnZkLXBhc3MtNFJ0OA=="
    );
    assert_eq!(
        sent.headers.get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(
        std::str::from_utf8(&sent.body).unwrap(),
        r#"{"name":"loginspec","password":"vd-pass-4Rt8"}"#
    );
}
