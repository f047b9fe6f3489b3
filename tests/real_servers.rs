//! The real servers of the corpus (docs/peers/, started by scripts/peers/)
//! through clients that `loginspec::client!` generates from
//! tests/peers/specs. For each server: a login with the right password, a
//! wrong password (class `bad_credentials`), one other documented error, a
//! call through `Session` carrying the key, and a logout or expiry followed
//! by a new login.
//!
//! A server is used when its `peer.env` exists under `$PEERS_DIR` (default
//! target/peers, as scripts/peers/lib.sh has it) and its port answers;
//! otherwise the test prints a note and passes, so the suite runs without the
//! servers. `scripts/peers/up-all.sh` starts them; with
//! `LOGINSPEC_REQUIRE_PEERS=1` (CI) a server that is not up fails the test.

use loginspec::runtime::{ClientOptions, ErrorClass, ManualClock, Secret};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

mod peers {
    loginspec::client!("peers/specs/deluge");
    loginspec::client!("peers/specs/node_red");
    loginspec::client!("peers/specs/qbittorrent");
    loginspec::client!("peers/specs/synapse");
    loginspec::client!("peers/specs/transmission");
    loginspec::client!("peers/specs/verdaccio");
}
use peers::{deluge, node_red, qbittorrent, synapse, transmission, verdaccio};

/// One running peer: its peer.env.
struct Peer(HashMap<String, String>);

impl Peer {
    /// The peer NAME, or `None` (with a note) when it is not up.
    fn up(name: &str) -> Option<Peer> {
        let dir = std::env::var_os("PEERS_DIR").map_or_else(
            || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/peers"),
            std::path::PathBuf::from,
        );
        let env_file = dir.join(name).join("peer.env");
        let peer = std::fs::read_to_string(&env_file).ok().map(|text| {
            Peer(
                text.lines()
                    .filter_map(|line| line.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        });
        let listening = peer.as_ref().is_some_and(|p| {
            std::net::TcpStream::connect(("127.0.0.1", p["PORT"].parse::<u16>().unwrap())).is_ok()
        });
        if listening {
            return peer;
        }
        let note = format!(
            "{name} is not up ({} or its port); run scripts/peers/up-all.sh",
            env_file.display()
        );
        assert!(
            std::env::var_os("LOGINSPEC_REQUIRE_PEERS").is_none(),
            "{note}"
        );
        eprintln!("skipped: {note}");
        None
    }

    /// Client options for the API at `path` below the server's URL.
    fn options(&self, path: &str) -> ClientOptions {
        ClientOptions::default().base_url(format!("{}{path}", self["URL"]))
    }
}

impl std::ops::Index<&str> for Peer {
    type Output = String;
    fn index(&self, key: &str) -> &String {
        self.0
            .get(key)
            .unwrap_or_else(|| panic!("peer.env has no {key}"))
    }
}

/// A name no earlier run has used (Synapse counts failed logins per name).
fn fresh_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

// ------------------------------------------------------------------ Synapse

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
            synapse::LoginError::WrongPassword
        ),
        "{wrong:?}"
    );
    assert_eq!(wrong.class(), Some(ErrorClass::BadCredentials));

    // PUT and GET with the user id as a path segment (`@` and `:` percent-encoded).
    let name = fresh_name("Alice");
    let set = synapse::SetDisplaynameRequest::new(&peer["USER_ID"], &name);
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
        matches!(dead.api().unwrap().kind, synapse::WhoamiError::UnknownToken),
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
            synapse::RefreshError::RefreshTokenSpent
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
                matches!(api.kind, synapse::LoginError::LimitExceeded),
                "{err:?}"
            );
            assert!(api.retry_after_secs.is_some_and(|s| s >= 1), "{err:?}");
            return;
        }
    }
    panic!("no 429 after {} failed logins: {classes:?}", burst + 3);
}

// -------------------------------------------------------------- qBittorrent

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
            qbittorrent::AppVersionError::Forbidden
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

// ------------------------------------------------------------------- Deluge

#[tokio::test]
async fn deluge_login_calls_logout() {
    let Some(peer) = Peer::up("deluge") else {
        return;
    };
    let client = deluge::Client::with_options(peer.options("json")).unwrap();
    let credentials = || deluge::LoginRequest::new(peer["PASSWORD"].as_str());

    let login = client.login(credentials()).await.unwrap();
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
            deluge::DaemonVersionError::NotAuthenticated
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

// ------------------------------------------------------------- Transmission

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
            transmission::SessionGetError::Unauthorized
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
            transmission::GroupGetError::UnknownMethod
        ),
        "{err:?}"
    );
    assert_eq!(err.class(), Some(ErrorClass::InvalidInput));
    // The right password after the wrong one still works (the daemon's
    // failure counter is reset by it).
    client.session_get(get()).await.unwrap();
}

// ----------------------------------------------------------------- Node-RED

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

    // Revoke, then the token is dead: 401.
    let revoke = node_red::RevokeRequest::new(login.access_token.clone());
    client.revoke(&login.access_token, revoke).await.unwrap();
    let dead = client
        .flows(&login.access_token, node_red::FlowsRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(dead.api().unwrap().kind, node_red::FlowsError::Unauthorized),
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

// ---------------------------------------------------------------- Verdaccio

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
            verdaccio::LoginError::WrongPassword
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
            verdaccio::TokensError::Unauthorized
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

// ----------------------------------------- captured answers, without servers

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
