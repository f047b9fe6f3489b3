//! Answers captured from the real servers, replayed by a loopback server: these run without the servers.

use super::*;

/// qBittorrent's login as docs/peers/qbittorrent.md captured it, from a
/// loopback server: the form the wiki documents goes out, the `Ok.` body is
/// not read, and the key comes from `Set-Cookie`.
#[tokio::test]
async fn qbittorrent_login_reads_the_key_from_set_cookie_alone() {
    use loginspec_tests::mock::{form_fields, only_request, server_answering_posts};
    let ok = wiremock::ResponseTemplate::new(200)
        .insert_header("content-type", "text/plain; charset=UTF-8")
        .insert_header(
            "set-cookie",
            "SID=iBiee/pdf0D6pr1sPcjtXRwryZY1nUdi; HttpOnly; path=/; SameSite=Strict",
        )
        .set_body_string("Ok.");
    let server = server_answering_posts("/api/v2/auth/login", ok).await;
    let options = ClientOptions::default().base_url(format!("{}/api/v2/", server.uri()));
    let client = qbittorrent::Client::with_options(options).unwrap();
    let login = client
        .login(qbittorrent::LoginRequest::new("admin", "qbt-peer-pass"))
        .await
        .unwrap();
    assert_eq!(login.sid.expose(), "iBiee/pdf0D6pr1sPcjtXRwryZY1nUdi");
    let sent = form_fields(&only_request(&server).await, "/api/v2/auth/login");
    let expected = [("username", "admin"), ("password", "qbt-peer-pass")];
    assert_eq!(sent, expected.map(|(k, v)| (k.to_string(), v.to_string())));
}

/// Deluge's login as docs/peers/deluge.md captured it: the JSON-RPC 1.0
/// envelope goes out with positional params, the `true` result is not read,
/// and the key is the last `_session_id` of the answer's Set-Cookie headers.
#[tokio::test]
async fn deluge_login_reads_the_last_session_cookie() {
    use loginspec_tests::mock::{only_request, server_answering_posts};
    let ok = wiremock::ResponseTemplate::new(200)
        .insert_header("content-type", "application/json")
        .append_header(
            "set-cookie",
            "_session_id=old1234; Expires=Tue, 01 Dec 2026 22:18:31 GMT; Path=/json",
        )
        .append_header(
            "set-cookie",
            "_session_id=new5678; Expires=Tue, 01 Dec 2026 22:18:31 GMT; Path=/json",
        )
        .set_body_string(r#"{"result": true, "error": null, "id": 1}"#);
    let server = server_answering_posts("/json", ok).await;
    let options = ClientOptions::default().base_url(format!("{}/json", server.uri()));
    let client = deluge::Client::with_options(options).unwrap();
    let login = client
        .login(deluge::LoginRequest::new("deluge-peer-pass"))
        .await
        .unwrap();
    assert_eq!(login.session_id.expose(), "new5678");
    assert!(login.result);
    let sent: serde_json::Value =
        serde_json::from_slice(&only_request(&server).await.body).unwrap();
    let documented =
        serde_json::json!({"method": "auth.login", "params": ["deluge-peer-pass"], "id": 1});
    assert_eq!(sent, documented);
}

/// Transmission's handshake as docs/peers/transmission.md captured it, from
/// a loopback server: the first request (Basic credentials, no session id)
/// gets the 409 with the id, the same request goes again with it, and the
/// answer's tag must be the request's.
#[tokio::test]
async fn transmission_repeats_the_first_call_with_the_session_id() {
    use wiremock::matchers::{header, method, path};
    const ID: &str = "Y0KU5OOeatjNqdRxfgFTWuCT0147wldyn43lFWrLhtlUgwRU";
    let server = wiremock::MockServer::start().await;
    let conflict = wiremock::ResponseTemplate::new(409)
        .insert_header("content-type", "text/html; charset=ISO-8859-1")
        .insert_header("x-transmission-session-id", ID)
        .set_body_string(
            "<h1>409: Conflict</h1><p>Your request had an invalid session-id header.</p>",
        );
    let ok = wiremock::ResponseTemplate::new(200)
        .insert_header("content-type", "application/json; charset=UTF-8")
        .set_body_string(
            r#"{"arguments":{"rpc-version":16,"rpc-version-minimum":1,"version":"3.00 (bb6b5a062e)"},"result":"success","tag":1}"#,
        );
    wiremock::Mock::given(method("POST"))
        .and(path("/transmission/rpc"))
        .and(header("x-transmission-session-id", ID))
        .respond_with(ok)
        .with_priority(1)
        .mount(&server)
        .await;
    wiremock::Mock::given(method("POST"))
        .and(path("/transmission/rpc"))
        .respond_with(conflict)
        .with_priority(2)
        .mount(&server)
        .await;
    let options = ClientOptions::default().base_url(format!("{}/transmission/rpc", server.uri()));
    let client = transmission::Client::with_options("loginspec", "tr-pass-7Kq2", options).unwrap();
    let fields = ["version", "rpc-version", "rpc-version-minimum"].map(String::from);
    let info = client
        .session_get(transmission::SessionGetRequest::new().fields(fields.to_vec()))
        .await
        .unwrap();
    assert_eq!(info.version.as_deref(), Some("3.00 (bb6b5a062e)"));

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let documented = serde_json::json!({
        "method": "session-get",
        "arguments": {"fields": ["version", "rpc-version", "rpc-version-minimum"]},
        "tag": 1,
    });
    for (request, id) in requests.iter().zip([None, Some(ID)]) {
        let auth = request.headers.get("authorization").unwrap();
        assert_eq!(auth, "Basic bG9naW5zcGVjOnRyLXBhc3MtN0txMg==");
        let sent = request.headers.get("x-transmission-session-id");
        assert_eq!(sent.map(|v| v.to_str().unwrap()), id);
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body, documented);
    }
}
