//! qBittorrent: the flows against the real server.

use super::*;

#[tokio::test]
async fn qbittorrent_login_calls_logout() {
    let Some(peer) = Peer::up("qbittorrent") else {
        return;
    };
    let client = qbittorrent::Client::with_options(peer.options("api/v2/")).unwrap();
    let credentials = || qbittorrent::LoginRequest::new(&peer["USER"], peer["PASSWORD"].as_str());

    let login = client.login(credentials()).await.unwrap();
    let version = client
        .app_version(&login.sid, qbittorrent::AppVersionRequest::new())
        .await;
    assert!(version.unwrap().starts_with('v'));
    let info = client
        .transfer_info(&login.sid, qbittorrent::TransferInfoRequest::new())
        .await;
    assert!(!info.unwrap().connection_status.is_empty());

    let wrong = client
        .login(qbittorrent::LoginRequest::new(&peer["USER"], "nope"))
        .await;
    let wrong = wrong.unwrap_err();
    assert!(
        matches!(
            wrong.api().unwrap().kind,
            qbittorrent::LoginError::WrongCredentials
        ),
        "{wrong:?}"
    );
    assert_eq!(wrong.class(), Some(ErrorClass::BadCredentials));

    // A forged SID: 403 `Forbidden`.
    let forged = Secret::new("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let err = client
        .app_version(&forged, qbittorrent::AppVersionRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.api().unwrap().kind,
            qbittorrent::AppVersionError::Provider(qbittorrent::ProviderError::Forbidden)
        ),
        "{err:?}"
    );
    assert_eq!(err.class(), Some(ErrorClass::SessionExpired));

    client
        .logout(&login.sid, qbittorrent::LogoutRequest::new())
        .await
        .unwrap();
    let dead = client
        .app_version(&login.sid, qbittorrent::AppVersionRequest::new())
        .await;
    assert_eq!(dead.unwrap_err().class(), Some(ErrorClass::SessionExpired));

    let session = qbittorrent::Session::new(client.clone(), credentials());
    session
        .app_version(qbittorrent::AppVersionRequest::new())
        .await
        .unwrap();
    assert_eq!(session.login_count(), 1);
    session
        .logout(qbittorrent::LogoutRequest::new())
        .await
        .unwrap();
    session
        .app_version(qbittorrent::AppVersionRequest::new())
        .await
        .unwrap();
    assert_eq!(session.login_count(), 2);
}
