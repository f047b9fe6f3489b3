//! Protocol features of the peer corpus (tests/peers/specs), which no seed
//! spec has, through the generated clients: the session-id handshake, the
//! request-id echo, and keys issued in cookies. The same logins against the
//! real servers are compared with these in tests/real_servers/shapes.rs.

use super::*;

mod peers {
    loginspec::client!("../tests/peers/specs/deluge");
    loginspec::client!("../tests/peers/specs/qbittorrent");
    loginspec::client!("../tests/peers/specs/transmission");
}
use peers::{deluge, qbittorrent, transmission};

/// The peer corpus served, with `account` the only one `name` accepts.
async fn serving(name: &str, account: Account) -> Mock {
    let model = loginspec_codegen::load_and_check(std::path::Path::new("../tests/peers/specs"))
        .unwrap()
        .0;
    let mock = Mock::start(&model).await.unwrap();
    mock.provider(name).set_account(account);
    mock
}

fn outcomes(p: &ProviderMock) -> Vec<Outcome> {
    p.log().into_iter().map(|l| l.outcome).collect()
}

/// The first call gets the handshake status with a value, the client
/// repeats it with the value, and every answer echoes the call's tag; a
/// new value (a restart) is learnt the same way; a wrong password is
/// refused before the handshake is looked at.
#[tokio::test]
async fn the_session_id_handshake_and_the_tag_echo() {
    let account = Account::new().with("user", "me").with("password", "pw");
    let mock = serving("transmission", account).await;
    let m = mock.provider("transmission");
    let client = transmission::Client::with_options("me", "pw", options(m)).unwrap();
    let get = || transmission::SessionGetRequest::new().fields(vec!["version".into()]);
    for _ in 0..3 {
        let info = client.session_get(get()).await.unwrap();
        assert_eq!(info.rpc_version, Some(16));
    }
    use Outcome::{Handshake, Success};
    assert_eq!(outcomes(m), [Handshake, Success, Success, Success]);
    // Each answer carried its own request's tag (the client checks it too).
    let tags: Vec<i64> = m
        .log()
        .iter()
        .map(|l| {
            serde_json::from_slice::<serde_json::Value>(l.body()).unwrap()["tag"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(tags, [1, 1, 2, 3]);

    m.clear_log().rotate_handshake();
    client.session_get(get()).await.unwrap();
    assert_eq!(outcomes(m), [Handshake, Success]);

    m.clear_log();
    let wrong = transmission::Client::with_options("me", "nope", options(m)).unwrap();
    let err = wrong.session_get(get()).await.unwrap_err();
    assert_eq!(err.class(), Some(ErrorClass::BadCredentials));
    assert_eq!(outcomes(m), [Outcome::Error("Unauthorized".into())]);
    assert_eq!(m.violations(), vec![]);
}

/// Deluge: the key in a cookie beside a `true` result, the provider's
/// envelope around it, the request id echoed in errors too.
#[tokio::test]
async fn a_cookie_key_beside_a_result_in_the_envelope() {
    let mock = serving("deluge", Account::new().with("password", "pw")).await;
    let m = mock.provider("deluge");
    let client = deluge::Client::with_options(options(m)).unwrap();
    let login = client.login(deluge::LoginRequest::new("pw")).await.unwrap();
    assert!(login.result);
    let version = deluge::DaemonVersionRequest::new;
    client
        .daemon_version(&login.session_id, version())
        .await
        .unwrap();
    let wrong = client
        .login(deluge::LoginRequest::new("nope"))
        .await
        .unwrap_err();
    assert!(matches!(
        wrong.api().unwrap().kind,
        deluge::LoginError::WrongPassword
    ));
    client
        .logout(&login.session_id, deluge::LogoutRequest::new())
        .await
        .unwrap();
    let dead = client
        .daemon_version(&login.session_id, version())
        .await
        .unwrap_err();
    assert_eq!(dead.class(), Some(ErrorClass::SessionExpired));
    assert_eq!(m.violations(), vec![]);
}

/// qBittorrent: a key in `Set-Cookie` with nothing in the body, then
/// calls carrying it as a cookie.
#[tokio::test]
async fn a_key_in_set_cookie_alone() {
    let account = Account::new()
        .with("username", "admin")
        .with("password", "pw");
    let mock = serving("qbittorrent", account).await;
    let m = mock.provider("qbittorrent");
    let client = qbittorrent::Client::with_options(options(m)).unwrap();
    let login = client
        .login(qbittorrent::LoginRequest::new("admin", "pw"))
        .await
        .unwrap();
    let version = client
        .app_version(&login.sid, qbittorrent::AppVersionRequest::new())
        .await
        .unwrap();
    assert_eq!(version, "v4.5.2");
    let wrong = client
        .login(qbittorrent::LoginRequest::new("admin", "nope"))
        .await
        .unwrap_err();
    assert!(matches!(
        wrong.api().unwrap().kind,
        qbittorrent::LoginError::WrongCredentials
    ));
    assert_eq!(m.violations(), vec![]);
}
