//! Transmission: the flows against the real server.

use super::*;

#[tokio::test]
async fn transmission_basic_credentials_and_the_handshake() {
    let Some(peer) = Peer::up("transmission") else {
        return;
    };
    let options = || peer.options("");
    let client =
        transmission::Client::with_options(&peer["USER"], peer["PASSWORD"].as_str(), options())
            .unwrap();
    let fields = ["version", "rpc-version", "rpc-version-minimum"].map(String::from);
    let get = || transmission::SessionGetRequest::new().fields(fields.to_vec());

    // The first call gets the 409 with the session id and is repeated once
    // with it; Basic credentials go on both.
    let info = client.session_get(get()).await.unwrap();
    assert_eq!(info.rpc_version.unwrap().to_string(), peer["RPC_VERSION"]);
    assert!(!info.version.unwrap().is_empty());
    // A clone shares the id (and the next request id).
    let again = client.clone().session_get(get()).await.unwrap();
    assert_eq!(again.rpc_version_minimum, Some(1));

    // A wrong password: 401 before the session id is even looked at.
    let wrong =
        transmission::Client::with_options(&peer["USER"], "not-the-password", options()).unwrap();
    let err = wrong.session_get(get()).await.unwrap_err();
    assert!(
        matches!(
            err.api().unwrap().kind,
            transmission::SessionGetError::Provider(transmission::ProviderError::Unauthorized)
        ),
        "{err:?}"
    );
    assert_eq!(err.class(), Some(ErrorClass::BadCredentials));
    assert!(!format!("{err:?}{wrong:?}").contains("not-the-password"));

    // A method of a newer RPC version: a 200 whose `result` is the message.
    let err = client
        .group_get(transmission::GroupGetRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.api().unwrap().kind,
            transmission::GroupGetError::Provider(transmission::ProviderError::UnknownMethod)
        ),
        "{err:?}"
    );
    assert_eq!(err.class(), Some(ErrorClass::InvalidInput));
    // The right password after the wrong one still works (the daemon's
    // failure counter is reset by it).
    client.session_get(get()).await.unwrap();
}
