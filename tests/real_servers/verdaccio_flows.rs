//! Verdaccio: the flows against the real server.

use super::*;

#[tokio::test]
async fn verdaccio_login_whoami_expiry() {
    let Some(peer) = Peer::up("verdaccio") else {
        return;
    };
    let client = verdaccio::Client::with_options(peer.options("")).unwrap();
    let credentials = || verdaccio::LoginRequest::new(&peer["USER"], peer["PASSWORD"].as_str());

    let login = client.login(credentials()).await.unwrap();
    assert_eq!(login.username, peer["USER"]);
    let me = client
        .whoami(&login.token, verdaccio::WhoamiRequest::new())
        .await
        .unwrap();
    assert_eq!(me.username, peer["USER"]);
    // An API token: created (POST), listed, deleted (DELETE with its key in the path).
    let create = verdaccio::CreateTokenRequest::new(peer["PASSWORD"].as_str(), false, vec![]);
    let created = client.create_token(&login.token, create).await.unwrap();
    assert_eq!(
        (created.user.as_str(), created.readonly),
        (peer["USER"].as_str(), false)
    );
    let listed =
        |list: verdaccio::TokensResponse| list.objects.iter().any(|t| t["key"] == created.key);
    let list = client
        .tokens(&login.token, verdaccio::TokensRequest::new())
        .await
        .unwrap();
    assert!(listed(list));
    let delete = verdaccio::DeleteTokenRequest::new(&created.key);
    client.delete_token(&login.token, delete).await.unwrap();
    let list = client
        .tokens(&login.token, verdaccio::TokensRequest::new())
        .await
        .unwrap();
    assert!(!listed(list));

    let wrong = client
        .login(verdaccio::LoginRequest::new(&peer["USER"], "nope"))
        .await;
    let wrong = wrong.unwrap_err();
    assert!(
        matches!(
            wrong.api().unwrap().kind,
            verdaccio::LoginError::Provider(verdaccio::ProviderError::Unauthorized)
        ),
        "{wrong:?}"
    );
    assert_eq!(wrong.class(), Some(ErrorClass::BadCredentials));

    // A bad token: whoami is a 200 without `username`, other calls a 401.
    let forged = Secret::new("not.a.jwt");
    let anonymous = client
        .whoami(&forged, verdaccio::WhoamiRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            anonymous.api().unwrap().kind,
            verdaccio::WhoamiError::NotLoggedIn
        ),
        "{anonymous:?}"
    );
    assert_eq!(anonymous.class(), Some(ErrorClass::SessionExpired));
    let refused = client
        .tokens(&forged, verdaccio::TokensRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused.api().unwrap().kind,
            verdaccio::TokensError::Provider(verdaccio::ProviderError::Unauthorized)
        ),
        "{refused:?}"
    );

    // The token dies at its `exp` (TOKEN_SECONDS); whoami then answers `{}`,
    // and the session logs in again and repeats the call.
    let session = verdaccio::Session::new(client.clone(), credentials());
    session
        .whoami(verdaccio::WhoamiRequest::new())
        .await
        .unwrap();
    assert_eq!(session.login_count(), 1);
    let lifetime: u64 = peer["TOKEN_SECONDS"].parse().unwrap();
    tokio::time::sleep(Duration::from_secs(lifetime + 2)).await;
    let me = session
        .whoami(verdaccio::WhoamiRequest::new())
        .await
        .unwrap();
    assert_eq!(
        (me.username.as_str(), session.login_count()),
        (peer["USER"].as_str(), 2)
    );
}

/// npm's own login: the name in the path, the body and the Basic user, the
/// password in the body and the Basic password (one parameter, several
/// places). Without the Basic half the server would take it for a sign-up
/// and answer 409.
#[tokio::test]
async fn verdaccio_npm_login() {
    let Some(peer) = Peer::up("verdaccio") else {
        return;
    };
    let client = verdaccio::Client::with_options(peer.options("")).unwrap();
    let request = verdaccio::NpmLoginRequest::new(&peer["USER"], peer["PASSWORD"].as_str());
    let login = client.npm_login(request).await.unwrap();
    assert_eq!(
        login.ok,
        format!("you are authenticated as '{}'", &peer["USER"])
    );
    let me = client
        .whoami(&login.token, verdaccio::WhoamiRequest::new())
        .await
        .unwrap();
    assert_eq!(me.username, peer["USER"]);

    let wrong = verdaccio::NpmLoginRequest::new(&peer["USER"], "nope");
    let wrong = client.npm_login(wrong).await.unwrap_err();
    assert!(
        matches!(
            wrong.api().unwrap().kind,
            verdaccio::NpmLoginError::Provider(verdaccio::ProviderError::Unauthorized)
        ),
        "{wrong:?}"
    );
    assert_eq!(wrong.class(), Some(ErrorClass::BadCredentials));

    // npm's logout: the token as the Bearer header and in the path. The
    // server revokes nothing (docs/peers/verdaccio.md (e)); the session
    // forgets its token and logs in again for the next call.
    let bye = client
        .logout(&login.token, verdaccio::LogoutRequest::new())
        .await
        .unwrap();
    assert_eq!(bye.ok, "Logged out");
    let credentials = verdaccio::LoginRequest::new(&peer["USER"], peer["PASSWORD"].as_str());
    let session = verdaccio::Session::new(client.clone(), credentials);
    session
        .whoami(verdaccio::WhoamiRequest::new())
        .await
        .unwrap();
    let bye = session.logout(verdaccio::LogoutRequest::new()).await;
    assert_eq!(bye.unwrap().ok, "Logged out");
    let me = session
        .whoami(verdaccio::WhoamiRequest::new())
        .await
        .unwrap();
    assert_eq!(
        (me.username.as_str(), session.login_count()),
        (peer["USER"].as_str(), 2)
    );
}
