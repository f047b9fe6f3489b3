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

/// A server answering every request with `answer`.
async fn server_answering(answer: wiremock::ResponseTemplate) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

/// Node-RED's revoke as docs/peers/node-red.md (e) captured it: the token
/// as the Bearer header and, percent-encoded, as the form member `token`.
#[tokio::test]
async fn node_red_revoke_sends_the_key_in_the_header_and_the_form() {
    const TOKEN: &str = "TQFF1Hi8KP0dIxc9cZWLxAdGg4Vr+dmOl+4UJYiCmEu/VxUuWpexc6/gOH8iVIkjhfZqVf4qdE+Do4HgpOn5n6+wcvqF4JD+BNoWZhYhZDCCzvCj9gzDyHJfszewkUgBYSK3/l8TB6OVvDuMI9REkSvbpabxLl7yxZLEyehq93E=";
    let server = server_answering(wiremock::ResponseTemplate::new(200)).await;
    let options = ClientOptions::default().base_url(format!("{}/", server.uri()));
    let client = node_red::Client::with_options(options).unwrap();
    let key = Secret::new(TOKEN);
    client
        .revoke(&key, node_red::RevokeRequest::new())
        .await
        .unwrap();
    let sent = only_request(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.url.path()),
        ("POST", "/auth/revoke")
    );
    assert_eq!(
        sent.headers.get("authorization").unwrap().to_str().unwrap(),
        format!("Bearer {TOKEN}")
    );
    assert_eq!(
        sent.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        std::str::from_utf8(&sent.body).unwrap(),
        "token=TQFF1Hi8KP0dIxc9cZWLxAdGg4Vr%2BdmOl%2B4UJYiCmEu%2FVxUuWpexc6%2FgOH8iVIkjhfZqVf4qdE%2BDo4HgpOn5n6%2BwcvqF4JD%2BBNoWZhYhZDCCzvCj9gzDyHJfszewkUgBYSK3%2Fl8TB6OVvDuMI9REkSvbpabxLl7yxZLEyehq93E%3D"
    );
}

/// npm's logout as docs/peers/verdaccio.md (e) shows it: `DELETE
/// /-/user/token/<JWT>` with `Authorization: Bearer <JWT>`, no body.
#[tokio::test]
async fn verdaccio_logout_sends_the_key_in_the_header_and_the_path() {
    const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYW1lIjoibG9naW5zcGVjIn0.l23IFKfIkDOMDDP3LwKFuB2J_fWVshmabYR0ar0kbvI";
    let ok = wiremock::ResponseTemplate::new(200).set_body_raw(
        "{\n  \"ok\": \"Logged out\"\n}",
        "application/json; charset=utf-8",
    );
    let server = server_answering(ok).await;
    let options = ClientOptions::default().base_url(format!("{}/", server.uri()));
    let client = verdaccio::Client::with_options(options).unwrap();
    let bye = client
        .logout(&Secret::new(JWT), verdaccio::LogoutRequest::new())
        .await
        .unwrap();
    assert_eq!(bye.ok, "Logged out");
    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "DELETE");
    assert_eq!(sent.url.path(), format!("/-/user/token/{JWT}"));
    assert_eq!(
        sent.headers.get("authorization").unwrap().to_str().unwrap(),
        format!("Bearer {JWT}")
    );
    assert!(sent.body.is_empty());
}

/// Node-RED's `POST /flow` as docs/peers/node-red.md captured it: a JSON
/// body, although the provider's encoding (the token call's) is a form.
#[tokio::test]
async fn node_red_add_flow_sends_json_next_to_the_form_login() {
    let answer = wiremock::ResponseTemplate::new(200).set_body_raw(
        r#"{"id":"87f72dc0ca455fc4"}"#,
        "application/json; charset=utf-8",
    );
    let server = server_answering(answer).await;
    let options = ClientOptions::default().base_url(format!("{}/", server.uri()));
    let client = node_red::Client::with_options(options).unwrap();
    let key = Secret::new("k");
    let request = node_red::AddFlowRequest::new("probe", vec![]);
    let added = client.add_flow(&key, request).await.unwrap();
    assert_eq!(added.id, "87f72dc0ca455fc4");
    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.url.path()), ("POST", "/flow"));
    assert_eq!(
        sent.headers.get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(sent.headers.get("accept").unwrap(), "application/json");
    assert_eq!(
        std::str::from_utf8(&sent.body).unwrap(),
        r#"{"label":"probe","nodes":[]}"#
    );
}
