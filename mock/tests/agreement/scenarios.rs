//! Encodings, the admin path, the README's example, refresh tokens.

use super::*;

/// A provider with two encodings is answered in the one the client chose.
#[tokio::test]
async fn a_client_in_xml_gets_xml_answers() {
    let model = model();
    let mock = Mock::start(&model).await.unwrap();
    let m = mock.provider("aktion");
    let options = options(m).encoding(loginspec_runtime::Encoding::Xml);
    let client = aktion::Client::with_options(options).unwrap();
    let token = client
        .login_adv_auth(aktion::LoginAdvAuthRequest::new("demo").rnd_a(HEX16))
        .await
        .unwrap()
        .token;
    let passes = client
        .get_pass_by_person(&token, aktion::GetPassByPersonRequest::new())
        .await;
    assert!(passes.is_ok(), "{passes:?} {:?}", m.log());
    m.next_error("UnknownUserOrApiKey").unwrap();
    let err = client
        .login_adv_auth(aktion::LoginAdvAuthRequest::new("demo"))
        .await
        .unwrap_err();
    assert_eq!(variant(&err).as_deref(), Some("UnknownUserOrApiKey"));
    let log = m.log();
    assert_eq!(m.violations(), vec![]);
    // The body the client sent is the help page's XML request model.
    let sent = String::from_utf8(log[0].body().to_vec()).unwrap();
    assert!(
        sent.starts_with("<Request><UserLogin>demo</UserLogin>"),
        "{sent}"
    );
    // A JSON body under the XML media type is a violation, answered with the documented 415.
    let http = reqwest::Client::new();
    let answer = http
        .post(format!("{}login/advAuth", m.base_url()))
        .header("content-type", "text/plain")
        .body("{\"UserLogin\":\"demo\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 415);
    assert_eq!(
        m.log().last().unwrap().outcome,
        Outcome::Error("UnsupportedMediaType".into())
    );
}

#[tokio::test]
async fn the_admin_path_queues_scenarios_and_shows_the_log() {
    let model = model();
    let mock = Mock::start(&model).await.unwrap();
    let m = mock.provider("wialon");
    let http = reqwest::Client::new();
    let admin = |path: &str| admin_url(m, path);
    let queued = http
        .post(admin("next_error?name=ConcurrentRequestLimit"))
        .send()
        .await
        .unwrap();
    assert_eq!(queued.status().as_u16(), 204);
    let unknown = http
        .post(admin("next_error?name=NoSuchThing"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    let client = wialon::Client::with_options(options(m)).unwrap();
    let err = client
        .token_login(wialon::TokenLoginRequest::new(
            TOKEN,
            wialon::LoginFlags::BASIC_INFO,
        ))
        .await
        .unwrap_err();
    assert_eq!(variant(&err).as_deref(), Some("ConcurrentRequestLimit"));
    let log = admin_get(m, "log").await;
    assert_eq!(log[0]["method"], "token/login");
    assert_eq!(log[0]["outcome"]["error"], "ConcurrentRequestLimit");
    assert!(
        !log.to_string().contains(TOKEN),
        "no secret in the admin log"
    );
    let raw = http
        .post(admin("respond_raw?status=503"))
        .body("down")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 204);
    let answer = http.post(m.base_url()).send().await.unwrap();
    assert_eq!(
        (answer.status().as_u16(), answer.text().await.unwrap()),
        (503, "down".into())
    );
}

/// `path` under the admin prefix of `m`'s port.
fn admin_url(m: &ProviderMock, path: &str) -> String {
    let origin = m
        .base_url()
        .split('/')
        .take(3)
        .collect::<Vec<_>>()
        .join("/");
    format!("{origin}/__loginspec/{path}")
}

/// The JSON answer to `GET` of the admin request `path` on `m`'s port.
async fn admin_get(m: &ProviderMock, path: &str) -> serde_json::Value {
    let text = reqwest::get(admin_url(m, path))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A long-running mock keeps the latest requests only, but never forgets
/// that a request broke a rule (in process and over the admin path).
#[tokio::test]
async fn the_log_is_bounded_and_keeps_every_violation() {
    let model = model();
    let limited = loginspec_mock::Options {
        log_limit: 2,
        ..loginspec_mock::Options::default()
    };
    let mock = Mock::start_with(&model, limited).await.unwrap();
    let m = mock.provider("wialon");
    let http = reqwest::Client::new();
    // Not a request the spec describes: a violation.
    let bad = http.post(m.base_url()).body("x").send().await.unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let client = wialon::Client::with_options(options(m)).unwrap();
    for _ in 0..3 {
        client
            .token_login(wialon::TokenLoginRequest::new(
                TOKEN,
                wialon::LoginFlags::BASIC_INFO,
            ))
            .await
            .unwrap();
    }
    assert_eq!(m.log().len(), 2);
    assert_eq!(m.log_dropped(), 2);
    let kept = m.violations();
    assert!(!kept.is_empty(), "the let-go request's violation stays");
    let shown = admin_get(m, "violations").await;
    assert_eq!(shown["dropped"], 2);
    assert_eq!(
        shown["violations"].as_array().map(Vec::len),
        Some(kept.len())
    );
    m.clear_log();
    assert!(m.violations().is_empty() && m.log_dropped() == 0);
}

/// The code under test: says who the session's user is.
async fn readme_who_am_i(session: &erply::Session) -> Result<String, String> {
    match session
        .get_session_key_user(erply::GetSessionKeyUserRequest::new())
        .await
    {
        Ok(user) => Ok(user.user_name),
        Err(e) if e.class() == Some(ErrorClass::BadCredentials) => Err("wrong password".into()),
        Err(e) if e.class() == Some(ErrorClass::Locked) => Err("locked".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// The README's example, run (there it is only compiled).
#[tokio::test]
async fn the_readme_example_runs() {
    let mock = Mock::from_specs("../specs").await.unwrap();
    let erply_mock = mock.provider("erply");
    erply_mock.set_account(
        Account::new()
            .with("username", "demo")
            .with("password", "pw"),
    );
    let options = ClientOptions::default().base_url(erply_mock.base_url());
    let client = erply::Client::with_options("123456", options).unwrap();
    let session = |password| {
        erply::Session::new(
            client.clone(),
            erply::VerifyUserRequest::new("demo", password),
        )
    };

    let good = session("pw");
    assert_eq!(readme_who_am_i(&good).await, Ok("demo".to_string()));
    assert_eq!(
        readme_who_am_i(&session("nope")).await,
        Err("wrong password".to_string())
    );

    // Expiry: every key the mock issued is dead; the session logs in again.
    erply_mock.expire_sessions();
    assert_eq!(readme_who_am_i(&good).await, Ok("demo".to_string()));

    // A documented error on demand: the next login (after the next expiry) is blocked.
    erply_mock.next_error("UserBlocked").unwrap();
    erply_mock.expire_sessions();
    assert_eq!(readme_who_am_i(&good).await, Err("locked".to_string()));

    // The client sent nothing the spec does not allow.
    assert!(erply_mock.violations().is_empty());
}

mod peers {
    loginspec::client!("../tests/peers/specs/synapse");
}
use peers::synapse;

/// Refresh tokens (a peer spec; no seed spec has them): the login answers
/// one, a refresh trades it for a new key and a rotated token, the spent one
/// is refused, and a `Session` whose key expired refreshes instead of logging in.
#[tokio::test]
async fn refresh_tokens_rotate_and_renew_an_expired_session() {
    let model = model_at("../tests/peers/specs");
    let mock = Mock::start(&model).await.unwrap();
    let m = mock.provider("synapse");
    let client = synapse::Client::with_options(options(m)).unwrap();
    let credentials = || synapse::LoginRequest::new("alice", "pw");
    let login = client.login(credentials()).await.unwrap();
    let first = login.refresh_token.expect("a refresh token");
    let refreshed = client
        .refresh(synapse::RefreshRequest::new(first.clone()))
        .await
        .unwrap();
    assert_ne!(refreshed.access_token.expose(), login.access_token.expose());
    let second = refreshed.refresh_token.clone().expect("a rotated token");
    assert_ne!(second.expose(), first.expose());
    assert!(client
        .whoami(&refreshed.access_token, synapse::WhoamiRequest::new())
        .await
        .is_ok());
    let spent = client
        .refresh(synapse::RefreshRequest::new(first))
        .await
        .unwrap_err();
    assert_eq!(spent.class(), Some(ErrorClass::BadCredentials));

    let clock = std::sync::Arc::new(loginspec_runtime::ManualClock::new());
    let session = synapse::Session::with_clock(client.clone(), credentials(), clock);
    session.ensure_login().await.unwrap();
    m.expire_sessions();
    assert!(session.whoami(synapse::WhoamiRequest::new()).await.is_ok());
    assert_eq!((session.login_count(), session.refresh_count()), (1, 1));
    assert_eq!(m.violations(), vec![]);
}
