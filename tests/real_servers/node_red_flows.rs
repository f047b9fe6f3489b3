//! Node-RED: the flows against the real server.

use super::*;

#[tokio::test]
async fn node_red_token_calls_revoke() {
    let Some(peer) = Peer::up("node-red") else {
        return;
    };
    let client = node_red::Client::with_options(peer.options("")).unwrap();
    let credentials = || node_red::LoginRequest::new(&peer["USER"], peer["PASSWORD"].as_str());

    let login = client.login(credentials()).await.unwrap();
    assert_eq!(login.expires_in.to_string(), peer["SESSION_EXPIRY_SECONDS"]);
    assert_eq!(login.token_type, "Bearer");
    let settings = client
        .settings(&login.access_token, node_red::SettingsRequest::new())
        .await;
    let user = settings.unwrap().user.unwrap();
    assert_eq!(
        (user.username.as_str(), user.permissions.as_str()),
        (peer["USER"].as_str(), "*")
    );
    client
        .flows(&login.access_token, node_red::FlowsRequest::new())
        .await
        .unwrap();

    let wrong = client
        .login(node_red::LoginRequest::new(&peer["USER"], "nope"))
        .await;
    let wrong = wrong.unwrap_err();
    assert!(
        matches!(
            wrong.api().unwrap().kind,
            node_red::LoginError::InvalidGrant
        ),
        "{wrong:?}"
    );
    assert_eq!(wrong.class(), Some(ErrorClass::BadCredentials));

    // A read-only user must ask for the `read` scope; `*` is refused like a wrong password.
    let reader = || node_red::LoginRequest::new(&peer["USER2"], peer["PASSWORD2"].as_str());
    let refused = client.login(reader()).await.unwrap_err();
    assert_eq!(refused.class(), Some(ErrorClass::BadCredentials));
    let read_only = client.login(reader().scope("read")).await.unwrap();
    let settings = client
        .settings(&read_only.access_token, node_red::SettingsRequest::new())
        .await;
    assert_eq!(settings.unwrap().user.unwrap().permissions, "read");

    // Revoke, then the token is dead: 401 with `error="invalid_token"`.
    let revoke = node_red::RevokeRequest::new(login.access_token.clone());
    client.revoke(&login.access_token, revoke).await.unwrap();
    let dead = client
        .flows(&login.access_token, node_red::FlowsRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(dead.api().unwrap().kind, node_red::FlowsError::InvalidToken),
        "{dead:?}"
    );
    assert_eq!(dead.class(), Some(ErrorClass::SessionExpired));

    // The session logs in again once `expires_in` has run out.
    let clock = Arc::new(ManualClock::new());
    let session = node_red::Session::with_clock(client.clone(), credentials(), clock.clone());
    session.flows(node_red::FlowsRequest::new()).await.unwrap();
    assert_eq!(session.login_count(), 1);
    clock.advance(Duration::from_secs(login.expires_in.unsigned_abs() + 1));
    session.flows(node_red::FlowsRequest::new()).await.unwrap();
    assert_eq!(session.login_count(), 2);
}
