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

    // Revoke, then the token is dead: 401 with `error="invalid_token"`. The server revokes the token the
    // form names (a raw or missing one is a no-op 200), so this shows the
    // key went, percent-encoded, into the body as well as the header.
    let revoke = node_red::RevokeRequest::new();
    client.revoke(&login.access_token, revoke).await.unwrap();
    let dead = client
        .flows(&login.access_token, node_red::FlowsRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            dead.api().unwrap().kind,
            node_red::FlowsError::Provider(node_red::ProviderError::InvalidToken)
        ),
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
    // Revoke is `session: end`: the session's key is revoked and forgotten,
    // and the next call logs in again.
    session
        .revoke(node_red::RevokeRequest::new())
        .await
        .unwrap();
    session.flows(node_red::FlowsRequest::new()).await.unwrap();
    assert_eq!(session.login_count(), 3);
}

/// The flow calls take JSON bodies while the token call is a form (a
/// method's own `encoding`): add a tab, read it, replace it, delete it.
#[tokio::test]
async fn node_red_flow_calls_send_json() {
    let Some(peer) = Peer::up("node-red") else {
        return;
    };
    let client = node_red::Client::with_options(peer.options("")).unwrap();
    let credentials = node_red::LoginRequest::new(&peer["USER"], peer["PASSWORD"].as_str());
    let session = node_red::Session::new(client, credentials);
    let label = fresh_name("loginspec");
    // A node inside (with a position, or it counts as a config node): a
    // form would send the list as one text member.
    let node = fresh_name("node");
    let comment = serde_json::json!({"id": node, "type": "comment", "x": 100, "y": 40});
    let added = session
        .add_flow(node_red::AddFlowRequest::new(&label, vec![comment]))
        .await
        .unwrap();
    let flow = session
        .flow(node_red::FlowRequest::new(&added.id))
        .await
        .unwrap();
    assert_eq!(
        (flow.id.as_str(), flow.label.as_str()),
        (added.id.as_str(), label.as_str())
    );
    let types: Vec<&serde_json::Value> = flow.nodes.iter().map(|n| &n["type"]).collect();
    assert_eq!(types, ["comment"], "{:?}", flow.nodes);
    let renamed = format!("{label}-2");
    let update = node_red::UpdateFlowRequest::new(node_red::UpdateFlowArgs {
        id: added.id.clone(),
        label: renamed.clone(),
        nodes: vec![],
    });
    let updated = session.update_flow(update).await.unwrap();
    assert_eq!(updated.id, added.id);
    let flow = session
        .flow(node_red::FlowRequest::new(&added.id))
        .await
        .unwrap();
    assert_eq!(flow.label, renamed);
    session
        .delete_flow(node_red::DeleteFlowRequest::new(&added.id))
        .await
        .unwrap();
    let gone = session
        .delete_flow(node_red::DeleteFlowRequest::new(&added.id))
        .await
        .unwrap_err();
    let loginspec::runtime::SessionError::Call(gone) = gone else {
        panic!("{gone:?}");
    };
    assert!(
        matches!(
            gone.api().unwrap().kind,
            node_red::DeleteFlowError::Provider(node_red::ProviderError::NotFound)
        ),
        "{gone:?}"
    );
    assert_eq!(session.login_count(), 1);
}
