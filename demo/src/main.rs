//! The main job: log in with each generated client to `loginspec-mock`,
//! which serves every provider in `specs/` from the specs alone.
//!
//! The mock validates each request against its spec (method, path, media
//! type, every value, derived hashes, the session key) and answers from the
//! spec's examples, with session keys it issues. The demo gives each provider
//! an account, logs in with it (typed success), then provokes one typed
//! error: wrong credentials where the spec has a `bad_credentials` error for
//! the login, else a documented error queued with `next_error`. It ends with
//! an Erply `Session` that logs in once and again after the mock expires its
//! key, and fails unless the mock logged no violation. Nothing leaves the
//! machine.

use loginspec_client::{aktion, aukro, erply, wialon};
use loginspec_mock::{Account, Mock, ProviderMock};
use loginspec_runtime::{ApiErrorKind, ClientOptions, Encoding, Error, ManualClock};
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

type Failure = Box<dyn std::error::Error>;

/// The seed specs, found from this crate so the demo runs from any directory.
const SPECS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mock = Mock::from_specs(SPECS).await?;
    println!("loginspec demo: generated clients against loginspec-mock (serving specs/)");
    for provider in mock.providers() {
        println!("  {:<8} {}", provider.name(), provider.base_url());
    }
    aktion_logins(mock.provider("aktion")).await?;
    aukro_logins(mock.provider("aukro")).await?;
    erply_logins(mock.provider("erply")).await?;
    wialon_logins(mock.provider("wialon")).await?;
    erply_session(mock.provider("erply")).await?;
    // The client's own requests must all be what the specs describe; a
    // violation here means the generator and the mock disagree.
    println!("\nRequests checked by the mock");
    for provider in mock.providers() {
        let violations = provider.violations();
        println!(
            "  {:<8} {} requests, {} violations",
            provider.name(),
            provider.log().len(),
            violations.len()
        );
        if !violations.is_empty() {
            return Err(format!("{}: the mock logged {violations:?}", provider.name()).into());
        }
    }
    println!("\nall logins behaved as the specs document");
    Ok(())
}

/// Client options pointing at the provider's mock.
fn at(mock: &ProviderMock) -> ClientOptions {
    ClientOptions::default().base_url(mock.base_url())
}

/// Prints a success, or fails the demo with what came instead.
fn expect_ok<T: Debug, E: ApiErrorKind + 'static>(
    label: &str,
    result: Result<T, Error<E>>,
) -> Result<(), Failure> {
    match result {
        Ok(value) => {
            println!("  {label}: ok");
            for line in format!("{value:#?}").lines() {
                println!("      {line}");
            }
            Ok(())
        }
        Err(err) => Err(format!("{label}: expected a success, got {}", report(&err)).into()),
    }
}

/// An error and its causes, as `anyhow` prints a chain.
fn report(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

/// Prints a documented error with its variant and class, or fails the demo
/// unless it is the variant `want` accepts (a typed `matches!`).
fn expect_err<T: Debug, E: ApiErrorKind + 'static>(
    label: &str,
    result: Result<T, Error<E>>,
    want: impl Fn(&E) -> bool,
) -> Result<(), Failure> {
    if let Err(err) = &result {
        if let Some(api) = err.api().filter(|api| want(&api.kind)) {
            println!("  {label}: error: {}", report(err));
            println!("    variant: {:?}, class: {:?}", api.kind, api.kind.class());
            return Ok(());
        }
    }
    Err(format!("{label}: not the expected error: {result:?}").into())
}

async fn aktion_logins(mock: &ProviderMock) -> Result<(), Failure> {
    println!(
        "\nAktion login/advAuth (JSON or XML body; errors are HTTP status + {{Message, Code}})"
    );
    mock.set_account(Account::new().with("UserLogin", "John.Doo"));
    let request = |user: &str| {
        aktion::LoginAdvAuthRequest::new(user)
            .rnd_a("00112233445566778899aabbccddeeff")
            .rnd_b("ffeeddccbbaa99887766554433221100")
    };
    let client = aktion::Client::with_options(at(mock))?;
    expect_ok(
        "known user (JSON)",
        client.login_adv_auth(request("John.Doo")).await,
    )?;
    // The same method with an XML body: one option, no other code.
    let xml = aktion::Client::with_options(at(mock).encoding(Encoding::Xml))?;
    expect_ok(
        "known user (XML)",
        xml.login_adv_auth(request("John.Doo")).await,
    )?;
    expect_err(
        "unknown user",
        client.login_adv_auth(request("Jane.Roe")).await,
        |e| matches!(e, aktion::LoginAdvAuthError::UnknownUserOrApiKey),
    )
}

async fn aukro_logins(mock: &ProviderMock) -> Result<(), Failure> {
    println!("\nAukro doLoginEnc (SOAP 1.1, password sent as base64 of SHA-256)");
    // The password never travels: the mock checks the hash the client derives from it.
    mock.set_account(
        Account::new()
            .with("userLogin", "jan.novak")
            .with("password", "password"),
    );
    let client = aukro::Client::with_options(at(mock))?;
    let login = |password: &str| {
        aukro::DoLoginEncRequest::new(aukro::DoLoginEncArgs {
            user_login: "jan.novak".into(),
            password: password.into(),
            country_id: 56,
            webapi_key: "webapi-key".into(),
            local_version: 1480350339,
        })
    };
    expect_ok(
        "right password",
        client.do_login_enc(login("password")).await,
    )?;
    expect_err(
        "wrong password",
        client.do_login_enc(login("hunter2")).await,
        |e| matches!(e, aukro::DoLoginEncError::WrongPassword),
    )
}

async fn erply_logins(mock: &ProviderMock) -> Result<(), Failure> {
    println!("\nErply verifyUser (form POST, status/records envelope, errorCode with HTTP 200)");
    mock.set_account(
        Account::new()
            .with("username", "demo")
            .with("password", "secret"),
    );
    let client = erply::Client::with_options("123456", at(mock))?;
    let good = erply::VerifyUserRequest::new("demo", "secret").session_length(3600);
    expect_ok("right password", client.verify_user(good).await)?;
    expect_err(
        "wrong password",
        client
            .verify_user(erply::VerifyUserRequest::new("demo", "wrong"))
            .await,
        |e| matches!(e, erply::VerifyUserError::LoginFailed),
    )
}

async fn wialon_logins(mock: &ProviderMock) -> Result<(), Failure> {
    const TOKEN: &str = "2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38";
    println!("\nWialon token/login (svc + params as a JSON string, {{\"error\":N}} with HTTP 200)");
    mock.set_account(Account::new().with("token", TOKEN));
    let client = wialon::Client::with_options(at(mock))?;
    let flags = wialon::LoginFlags::BASIC_INFO | wialon::LoginFlags::USER_INFO;
    let login = |token: &str| wialon::TokenLoginRequest::new(token, flags);
    expect_ok("valid token", client.token_login(login(TOKEN)).await)?;
    // token/login documents no bad-credentials error, so a scenario asks the
    // mock to answer the next login with a documented one (error 7).
    mock.next_error("AccessDenied")?;
    expect_err(
        "token refused (next_error)",
        client.token_login(login(TOKEN)).await,
        |e| {
            matches!(
                e,
                wialon::TokenLoginError::Provider(wialon::ProviderError::AccessDenied)
            )
        },
    )
}

/// A `Session` logs in on its first call and keeps the key; when the key is
/// near the end of `sessionLength` it logs in before the call, and when the
/// server says the key expired it logs in again and retries. The session's
/// clock is a manual one, so the hour passes at once.
async fn erply_session(mock: &ProviderMock) -> Result<(), Failure> {
    println!("\nErply session (getSessionKeyInfo through a Session that keeps itself logged in)");
    let client = erply::Client::with_options("123456", at(mock))?;
    let clock = Arc::new(ManualClock::new());
    let login = erply::VerifyUserRequest::new("demo", "secret").session_length(3600);
    let session = erply::Session::with_clock(client, login, clock.clone());
    let before = logins(mock);
    let step = |label: &str, expected: usize| -> Result<(), Failure> {
        let seen = logins(mock) - before;
        println!("  {label}: logins so far {seen}");
        if seen == expected {
            Ok(())
        } else {
            Err(format!("{label}: expected {expected} logins, the mock saw {seen}").into())
        }
    };
    let info = session.get_session_key_info(Default::default()).await?;
    println!("    key expires at {}", info.expires_at);
    step("first call logs in", 1)?;
    clock.advance(Duration::from_secs(3575));
    session.get_session_key_info(Default::default()).await?;
    step(
        "59 min 35 s later, inside the 30 s margin: logged in before the call",
        2,
    )?;
    mock.expire_sessions();
    session.get_session_key_info(Default::default()).await?;
    step(
        "mock expired the key (session_expired): logged in again and retried",
        3,
    )
}

/// How many logins the mock has answered so far, from its request log.
fn logins(mock: &ProviderMock) -> usize {
    let log = mock.log();
    log.iter()
        .filter(|l| l.method.as_deref() == Some("verifyUser"))
        .count()
}
