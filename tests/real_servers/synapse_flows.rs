//! Synapse: the flows against the real server.

use super::*;

#[tokio::test]
async fn synapse_login_whoami_logout() {
    let Some(peer) = Peer::up("synapse") else {
        return;
    };
    let client = synapse::Client::with_options(peer.options("")).unwrap();
    let credentials = || synapse::LoginRequest::new(&peer["USER"], peer["PASSWORD"].as_str());

    let login = client.login(credentials()).await.unwrap();
    assert_eq!(login.user_id, peer["USER_ID"]);
    let me = client
        .whoami(&login.access_token, synapse::WhoamiRequest::new())
        .await
        .unwrap();
    assert_eq!(me.user_id, peer["USER_ID"]);
    assert_eq!(me.device_id.as_deref(), Some(login.device_id.as_str()));

    let wrong = client
        .login(synapse::LoginRequest::new(
            &peer["USER"],
            "not-the-password",
        ))
        .await;
    let wrong = wrong.unwrap_err();
    assert!(
        matches!(
            wrong.api().unwrap().kind,
            synapse::LoginError::Provider(synapse::ProviderError::Forbidden)
        ),
        "{wrong:?}"
    );
    assert_eq!(wrong.class(), Some(ErrorClass::BadCredentials));

    // PUT and GET with the user id as a path segment (`@` and `:` percent-encoded).
    let name = fresh_name("Alice");
    let set = synapse::SetDisplaynameRequest::new(synapse::SetDisplaynameArgs {
        user_id: peer["USER_ID"].clone(),
        displayname: name.clone(),
    });
    client
        .set_displayname(&login.access_token, set)
        .await
        .unwrap();
    let get = synapse::DisplaynameRequest::new(&peer["USER_ID"]);
    let read = client.displayname(&login.access_token, get).await.unwrap();
    assert_eq!(read.displayname.as_deref(), Some(name.as_str()));

    // After logout the token is unknown: 401 M_UNKNOWN_TOKEN.
    client
        .logout(&login.access_token, synapse::LogoutRequest::new())
        .await
        .unwrap();
    let dead = client
        .whoami(&login.access_token, synapse::WhoamiRequest::new())
        .await;
    let dead = dead.unwrap_err();
    assert!(
        matches!(
            dead.api().unwrap().kind,
            synapse::WhoamiError::Provider(synapse::ProviderError::UnknownToken)
        ),
        "{dead:?}"
    );
    assert_eq!(dead.class(), Some(ErrorClass::SessionExpired));

    let session = synapse::Session::new(client.clone(), credentials());
    let me = session.whoami(synapse::WhoamiRequest::new()).await.unwrap();
    assert_eq!(
        (me.user_id.as_str(), session.login_count()),
        (peer["USER_ID"].as_str(), 1)
    );
    session.logout(synapse::LogoutRequest::new()).await.unwrap();
    let me = session.whoami(synapse::WhoamiRequest::new()).await.unwrap();
    assert_eq!(
        (me.user_id.as_str(), session.login_count()),
        (peer["USER_ID"].as_str(), 2)
    );
}

/// A refresh gives a new access token that works and a new refresh token;
/// the old refresh token is refused once the new pair is in use; and a
/// `Session` whose access token expired on the server refreshes instead of
/// logging in again.
#[tokio::test]
async fn synapse_refresh_rotates_and_renews_an_expired_session() {
    let Some(peer) = Peer::up("synapse") else {
        return;
    };
    let client = synapse::Client::with_options(peer.options("")).unwrap();
    let credentials = || synapse::LoginRequest::new(&peer["USER2"], peer["PASSWORD2"].as_str());

    // `refresh_token` defaults to true: the login answers a refresh token
    // and a lifetime.
    let login = client.login(credentials()).await.unwrap();
    let first = login.refresh_token.expect("a refresh token");
    assert!(login.expires_in_ms.is_some_and(|ms| ms > 0));
    let refreshed = client
        .refresh(synapse::RefreshRequest::new(first.clone()))
        .await
        .unwrap();
    assert_ne!(refreshed.access_token.expose(), login.access_token.expose());
    let second = refreshed
        .refresh_token
        .clone()
        .expect("a rotated refresh token");
    assert_ne!(second.expose(), first.expose());
    assert!(refreshed.expires_in_ms.is_some_and(|ms| ms > 0));
    let me = client
        .whoami(&refreshed.access_token, synapse::WhoamiRequest::new())
        .await
        .unwrap();
    assert_eq!(me.user_id, peer["USER2_ID"]);
    assert_eq!(me.device_id.as_deref(), Some(login.device_id.as_str()));

    // The new access token has been used: the old refresh token is spent.
    let spent = client
        .refresh(synapse::RefreshRequest::new(first.clone()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            spent.api().unwrap().kind,
            synapse::RefreshError::Provider(synapse::ProviderError::Forbidden)
        ),
        "{spent:?}"
    );
    assert_eq!(spent.class(), Some(ErrorClass::BadCredentials));
    // The refresh token never shows, in any form.
    let shown = format!("{spent} {spent:?} {refreshed:?}");
    assert!(!shown.contains(first.expose()), "{shown}");
    assert!(!shown.contains(second.expose()), "{shown}");
    assert!(!shown.contains("syr_"), "{shown}");

    // A manual clock never reaches the refresh margin: only the server's
    // expiry answer can make the session renew its key.
    let session =
        synapse::Session::with_clock(client.clone(), credentials(), Arc::new(ManualClock::new()));
    session.ensure_login().await.unwrap();
    // A token issued after the session's: once it is refused as expired,
    // so is the session's.
    let later = client.login(credentials()).await.unwrap().access_token;
    let mut waited = 0;
    while client
        .whoami(&later, synapse::WhoamiRequest::new())
        .await
        .is_ok()
    {
        waited += 1;
        assert!(
            waited < 60,
            "the access token did not expire within a minute"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let me = session.whoami(synapse::WhoamiRequest::new()).await.unwrap();
    assert_eq!(me.user_id, peer["USER2_ID"]);
    assert_eq!((session.login_count(), session.refresh_count()), (1, 1));
    let me = session.whoami(synapse::WhoamiRequest::new()).await.unwrap();
    assert_eq!(me.user_id, peer["USER2_ID"]);
    assert_eq!((session.login_count(), session.refresh_count()), (1, 1));
}

#[tokio::test]
async fn synapse_failed_logins_for_one_name_are_rate_limited() {
    let Some(peer) = Peer::up("synapse") else {
        return;
    };
    let client = synapse::Client::with_options(peer.options("")).unwrap();
    // A name that does not exist: its failures never touch the test accounts.
    let ghost = fresh_name("ghost");
    let burst: usize = peer["FAILED_LOGIN_BURST"].parse().unwrap();
    let mut classes = Vec::new();
    for _ in 0..burst + 3 {
        let err = client
            .login(synapse::LoginRequest::new(&ghost, "nope"))
            .await
            .unwrap_err();
        classes.push(err.class());
        if err.class() == Some(ErrorClass::RateLimited) {
            let api = err.api().unwrap();
            assert!(
                matches!(
                    api.kind,
                    synapse::LoginError::Provider(synapse::ProviderError::LimitExceeded)
                ),
                "{err:?}"
            );
            assert!(api.retry_after_secs.is_some_and(|s| s >= 1), "{err:?}");
            return;
        }
    }
    panic!("no 429 after {} failed logins: {classes:?}", burst + 3);
}
