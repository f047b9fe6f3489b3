//! The main job: log in with each generated client against a local stand-in
//! of the vendor's API, once with good credentials and once with bad ones.
//!
//! Each stand-in is a loopback HTTP server that answers the way the vendor's
//! docs say: the documented success body when the request carries the right
//! credentials, the documented error otherwise. Nothing leaves the machine.

use loginspec_client::{aktion, aukro, erply, wialon};
use loginspec_runtime::{ClientOptions, Encoding, ErrorClass};
use std::collections::HashSet;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    println!("loginspec demo: generated clients against local vendor stand-ins\n");
    erply_round_trip().await?;
    wialon_round_trips().await?;
    aukro_round_trip().await?;
    aktion_round_trip().await?;
    erply_session().await?;
    println!("all round trips behaved as documented");
    Ok(())
}

/// Prints one outcome, and fails the demo if it is not the expected kind.
fn report<T: Debug, E: loginspec_runtime::ApiErrorKind>(
    label: &str,
    result: Result<T, loginspec_runtime::Error<E>>,
    want_ok: bool,
) -> Result<(), Failure> {
    match (&result, want_ok) {
        (Ok(value), true) => println!("  {label}: ok\n{}", indent(&format!("{value:#?}"))),
        (Err(err), false) => {
            println!("  {label}: error: {err}");
            if let Some(api) = err.api() {
                println!("    variant: {:?}, class: {:?}", api.kind, api.kind.class());
            }
        }
        _ => return Err(format!("{label}: unexpected outcome {result:?}").into()),
    }
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("      {l}\n")).collect()
}

async fn erply_round_trip() -> Result<(), Failure> {
    println!("Erply verifyUser (form POST, status/records envelope)");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/"))
        .and(body_string_contains("password=secret"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"status":{"request":"verifyUser","requestUnixTime":1370604415,"responseStatus":"ok","errorCode":0,"generationTime":0.0123,"recordsTotal":1,"recordsInResponse":1},"records":[{"userID":"5","userName":"demo","employeeID":"3","employeeName":"Demo User","groupID":"1","groupName":"Admin","ipAddress":"127.0.0.1","sessionKey":"9eb92794770bb5e91e3c96aca3e3ad4b752b0c09","sessionLength":3600,"loginUrl":"https://123456.erply.com/"}]}"#,
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"status":{"request":"verifyUser","requestUnixTime":1370604415,"responseStatus":"error","errorCode":1051,"errorField":null,"generationTime":0.09,"recordsTotal":0,"recordsInResponse":0},"records":null}"#,
        ))
        .with_priority(2)
        .mount(&server)
        .await;
    let options = ClientOptions::default().base_url(format!("{}/api/", server.uri()));
    let client = erply::Client::with_options("123456", options)?;
    let good = erply::VerifyUserRequest::new("demo", "secret").session_length(3600);
    report("right password", client.verify_user(good).await, true)?;
    let bad = erply::VerifyUserRequest::new("demo", "wrong");
    let result = client.verify_user(bad).await;
    expect_class(&result, ErrorClass::BadCredentials)?;
    report("wrong password", result, false)
}

async fn wialon_round_trips() -> Result<(), Failure> {
    const TOKEN: &str = "2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38";
    let body = r#"{"eid":"d1cb60897768780f846df7ab2400eb5f","gis_sid":"gis-session","host":"212.98.173.107","hw_gw_ip":"212.98.173.107","au":"wialon_test","pi":0,"tm":1358415984,"wsdk_version":"1.0","user":{"nm":"wialon_test","cls":1,"id":50935,"prp":{"dst":"-1","language":"ru","tz":"134232128"},"crt":0,"bact":50936,"fl":6,"hm":"","uacl":2097795,"mu":0,"ct":0,"ftp":{},"ld":0,"pfl":0,"ap":{}},"token":"{\"app\":\"Wialon Hosting\",\"ct\":1443682655,\"at\":1443682655,\"dur\":2592000,\"fl\":-1,\"p\":\"{}\",\"items\":[]}","th":"2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38","classes":{"avl_hw":4,"avl_resource":3,"avl_unit":2,"user":1},"features":{"unlim":1,"svcs":{"admin_fields":1}}}"#;
    println!("Wialon token/login (svc + params as a JSON string, {{\"error\":N}} with HTTP 200)");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/wialon/ajax.html"))
        .and(body_string_contains("svc=token%2Flogin"))
        .and(body_string_contains(TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains("svc=core%2Fuse_auth_hash"))
        .and(body_string_contains("hash-from-create-auth-hash"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body.replacen(
            '{',
            r#"{"hl":1,"base_url":"https://hosting.wialon.com","#,
            1,
        )))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(r#"{"error":7,"reason":"ACCESS_DENIED"}"#),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let options = ClientOptions::default().base_url(format!("{}/wialon/ajax.html", server.uri()));
    let client = wialon::Client::with_options(options)?;
    let flags = wialon::LoginFlags::BASIC_INFO | wialon::LoginFlags::USER_INFO;
    let good = wialon::TokenLoginRequest::new(TOKEN, flags);
    report("valid token", client.token_login(good).await, true)?;
    let revoked = wialon::TokenLoginRequest::new("0".repeat(72), flags);
    let result = client.token_login(revoked).await;
    expect_class(&result, ErrorClass::AccessDenied)?;
    report("revoked token", result, false)?;

    println!("Wialon core/use_auth_hash (login result extended with more fields)");
    let good = wialon::UseAuthHashRequest::new("hash-from-create-auth-hash");
    report("valid auth hash", client.use_auth_hash(good).await, true)?;
    let bad = wialon::UseAuthHashRequest::new("expired-hash");
    report("expired auth hash", client.use_auth_hash(bad).await, false)
}

async fn aukro_round_trip() -> Result<(), Failure> {
    println!("Aukro doLoginEnc (SOAP 1.1, password sent as base64 of SHA-256)");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("SOAPAction", "\"#doLoginEnc\""))
        // base64(SHA-256("password")), as the Aukro docs prescribe.
        .and(body_string_contains("XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg="))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="https://webapi.allegro.pl/service.php"><SOAP-ENV:Body><ns1:doLoginEncResponse><ns1:sessionHandlePart>22eb99326c6be29aa16d07d622bcfbcbee94ad54846f2f4e03_1</ns1:sessionHandlePart><ns1:userId>4109848</ns1:userId><ns1:serverTime>1269814134</ns1:serverTime></ns1:doLoginEncResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"#,
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string(
            r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>ERR_USER_PASSWD</faultcode><faultstring>Incorrect password.</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"#,
        ))
        .with_priority(2)
        .mount(&server)
        .await;
    let options = ClientOptions::default().base_url(format!("{}/service.php", server.uri()));
    let client = aukro::Client::with_options(options)?;
    let good = aukro::DoLoginEncRequest::new("jan.novak", "password", 56, "webapi-key", 1480350339);
    report("right password", client.do_login_enc(good).await, true)?;
    let bad = aukro::DoLoginEncRequest::new("jan.novak", "hunter2", 56, "webapi-key", 1480350339);
    let result = client.do_login_enc(bad).await;
    expect_class(&result, ErrorClass::BadCredentials)?;
    report("wrong password", result, false)
}

async fn aktion_round_trip() -> Result<(), Failure> {
    println!("Aktion login/advAuth (JSON and XML bodies, HTTP status + {{Message, Code}} errors)");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/login/advAuth"))
        .and(header("Content-Type", "application/json"))
        .and(body_string_contains(r#""UserLogin":"John.Doo""#))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"Token":"a45a039c-eb31-46f1-9ece-88aa5ccfe22c","ExpireInSec":20,"ExpireDate":"\/Date(1770202477469)\/"}"#,
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/login/advAuth"))
        .and(header("Content-Type", "application/xml"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "<Response><Token>a45a039c-eb31-46f1-9ece-88aa5ccfe22c</Token><ExpireInSec>20</ExpireInSec></Response>",
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_string(
            r#"{"Message":"UserLogin or ApiKey are unknown or user is blocked","Code":1003}"#,
        ))
        .with_priority(2)
        .mount(&server)
        .await;
    let base = format!("{}/api/", server.uri());
    let client = aktion::Client::with_options(ClientOptions::default().base_url(&base))?;
    let request = |user: &str| {
        aktion::LoginAdvAuthRequest::new(user)
            .rnd_a("00112233445566778899aabbccddeeff")
            .rnd_b("ffeeddccbbaa99887766554433221100")
    };
    report(
        "known user (JSON)",
        client.login_adv_auth(request("John.Doo")).await,
        true,
    )?;
    let xml = aktion::Client::with_options(
        ClientOptions::default()
            .base_url(&base)
            .encoding(Encoding::Xml),
    )?;
    report(
        "known user (XML)",
        xml.login_adv_auth(request("John.Doo")).await,
        true,
    )?;
    let result = client.login_adv_auth(request("Jane.Roe")).await;
    expect_class(&result, ErrorClass::BadCredentials)?;
    report("unknown user", result, false)
}

fn expect_class<T, E: loginspec_runtime::ApiErrorKind>(
    result: &Result<T, loginspec_runtime::Error<E>>,
    class: ErrorClass,
) -> Result<(), Failure> {
    match result {
        Err(err) if err.class() == Some(class) => Ok(()),
        Err(err) => Err(format!("expected a {class:?} error, got {err}").into()),
        Ok(_) => Err(format!("expected a {class:?} error, got a success").into()),
    }
}

/// An Erply stand-in with state: `verifyUser` issues session keys that live
/// `sessionLength` (3600) seconds; `getSessionKeyInfo` answers 1054 (session
/// expired) for a key it no longer knows.
#[derive(Clone, Default)]
struct ErplySessions(Arc<Mutex<ErplyState>>);

#[derive(Default)]
struct ErplyState {
    live: HashSet<String>,
    logins: u32,
}

impl ErplySessions {
    fn state(&self) -> std::sync::MutexGuard<'_, ErplyState> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Respond for ErplySessions {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let fields: Vec<(String, String)> = form_urlencoded::parse(&request.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let mut state = self.state();
        let (code, record) = match field("request").as_str() {
            "verifyUser" => {
                state.logins += 1;
                let key = format!("{:040x}", 0x9eb9_2794_u64 * u64::from(state.logins));
                state.live.insert(key.clone());
                let record = format!(
                    r#"{{"userID":"5","userName":"demo","sessionKey":"{key}","sessionLength":3600}}"#
                );
                (0, record)
            }
            "getSessionKeyInfo" if state.live.contains(&field("sessionKey")) => (
                0,
                r#"{"creationUnixTime":"1370604415","expireUnixTime":"1370608015"}"#.to_string(),
            ),
            _ => (1054, String::new()),
        };
        let records = if code == 0 {
            format!("[{record}]")
        } else {
            "null".into()
        };
        ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"status":{{"request":"{}","responseStatus":"{}","errorCode":{code}}},"records":{records}}}"#,
            field("request"),
            if code == 0 { "ok" } else { "error" },
        ))
    }
}

/// A session that refreshes its key before `sessionLength` runs out and logs
/// in again after the server drops it. The clock is a manual one, so the
/// hour passes at once.
async fn erply_session() -> Result<(), Failure> {
    println!("Erply session (getSessionKeyInfo through a Session that keeps itself logged in)");
    let server = MockServer::start().await;
    let vendor = ErplySessions::default();
    Mock::given(method("POST"))
        .respond_with(vendor.clone())
        .mount(&server)
        .await;
    let options = ClientOptions::default().base_url(format!("{}/api/", server.uri()));
    let client = erply::Client::with_options("123456", options)?;
    let clock = Arc::new(loginspec_runtime::ManualClock::new());
    let session = erply::Session::with_clock(
        client,
        erply::VerifyUserRequest::new("demo", "secret"),
        clock.clone(),
    );
    let step = |label: &str, logins: u32, expected: u32| -> Result<(), Failure> {
        println!("  {label}: logins so far {logins}");
        if logins == expected {
            Ok(())
        } else {
            Err(format!("{label}: expected {expected} logins, the server saw {logins}").into())
        }
    };
    let info = session.get_session_key_info(Default::default()).await?;
    println!("    key expires at {}", info.expires_at);
    step("first call logs in", vendor.state().logins, 1)?;
    clock.advance(Duration::from_secs(3575));
    session.get_session_key_info(Default::default()).await?;
    step(
        "59 min 35 s later, inside the 30 s margin: refreshed before the call",
        vendor.state().logins,
        2,
    )?;
    vendor.state().live.clear();
    session.get_session_key_info(Default::default()).await?;
    step(
        "server dropped the key (1054): logged in again and retried",
        vendor.state().logins,
        3,
    )?;
    println!("  session: {session:?}\n");
    Ok(())
}
