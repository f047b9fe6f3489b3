//! Deluge: the flows against the real server.

use super::*;

#[tokio::test]
async fn deluge_login_calls_logout() {
    let Some(peer) = Peer::up("deluge") else {
        return;
    };
    let client = deluge::Client::with_options(peer.options("json")).unwrap();
    let credentials = || deluge::LoginRequest::new(peer["PASSWORD"].as_str());

    let login = client.login(credentials()).await.unwrap();
    // The scalar result next to the cookie key.
    assert!(login.result);
    let version = client
        .daemon_version(&login.session_id, deluge::DaemonVersionRequest::new())
        .await;
    assert!(!version.unwrap().is_empty());
    let keys = vec!["upload_rate".to_string(), "num_peers".to_string()];
    let status = client
        .session_status(&login.session_id, deluge::SessionStatusRequest::new(keys))
        .await
        .unwrap();
    assert_eq!((status.num_peers, status.download_rate), (Some(0), None));

    // A wrong password is a successful call whose result is `false`.
    let wrong = client
        .login(deluge::LoginRequest::new("nope"))
        .await
        .unwrap_err();
    assert!(
        matches!(wrong.api().unwrap().kind, deluge::LoginError::WrongPassword),
        "{wrong:?}"
    );
    assert_eq!(wrong.class(), Some(ErrorClass::BadCredentials));

    // An unknown session id: error code 1, "Not authenticated".
    let forged = Secret::new(format!("{}0000", "0".repeat(64)));
    let err = client
        .daemon_version(&forged, deluge::DaemonVersionRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.api().unwrap().kind,
            deluge::DaemonVersionError::Provider(deluge::ProviderError::NotAuthenticated)
        ),
        "{err:?}"
    );
    assert_eq!(err.class(), Some(ErrorClass::SessionExpired));

    assert!(client
        .logout(&login.session_id, deluge::LogoutRequest::new())
        .await
        .unwrap());
    let dead = client
        .daemon_version(&login.session_id, deluge::DaemonVersionRequest::new())
        .await;
    assert_eq!(dead.unwrap_err().class(), Some(ErrorClass::SessionExpired));

    let session = deluge::Session::new(client.clone(), credentials());
    session
        .daemon_version(deluge::DaemonVersionRequest::new())
        .await
        .unwrap();
    assert_eq!(session.login_count(), 1);
    session.logout(deluge::LogoutRequest::new()).await.unwrap();
    session
        .daemon_version(deluge::DaemonVersionRequest::new())
        .await
        .unwrap();
    assert_eq!(session.login_count(), 2);
}
