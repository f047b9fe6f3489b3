//! `Session::with_key`: a caller's own calls with the session key keep
//! the session's login, re-login on a refused key and single flight, for
//! every provider shape (form body, JSON, SOAP; the key sent in a body
//! field, a query parameter, a header or a cookie, as the caller likes).
//! Also: a session's `Debug` is short and secret-free, and the Aukro
//! version-key retry keeps credentials set while it runs.

use loginspec_client::{aktion, aukro, erply, wialon};
use loginspec_runtime::{ClientOptions, KeyError, ManualClock, Secret, SessionError};
use serde_json::json;
use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

// ------------------------------------------------------------ the stand-in

/// Keys the stand-in issued and still accepts, and what it was sent.
#[derive(Default)]
struct State {
    valid: HashSet<String>,
    issued: u32,
    logins: u32,
    own_calls: u32,
    lookups: u32,
    /// `userLogin` of every Aukro login, in order.
    users: Vec<String>,
}

#[derive(Clone, Default)]
struct Vendor(Arc<Mutex<State>>);

impl Vendor {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.0.lock().expect("stand-in state"))
    }
    fn issue(&self) -> String {
        self.with(|s| {
            s.issued += 1;
            s.logins += 1;
            let key = format!("key-{}-7f3a", s.issued);
            s.valid.insert(key.clone());
            key
        })
    }
    fn expire_all(&self) {
        self.with(|s| s.valid.clear());
    }
    fn counts(&self) -> (u32, u32) {
        self.with(|s| (s.logins, s.own_calls))
    }
}

/// The caller's own endpoint: 200 with `ok` for a live key, 401 otherwise.
/// `find` reads the key from where the caller put it.
struct Own(Vendor, fn(&Request) -> Option<String>);

impl Respond for Own {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let key = (self.1)(request).unwrap_or_default();
        self.0.with(|s| {
            s.own_calls += 1;
            if s.valid.contains(&key) {
                ResponseTemplate::new(200).set_body_string("ok")
            } else {
                ResponseTemplate::new(401)
            }
        })
    }
}

struct Login(Vendor, fn(String) -> ResponseTemplate);

impl Respond for Login {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        (self.1)(self.0.issue())
    }
}

async fn stand_in(
    login_path: &str,
    login: fn(String) -> ResponseTemplate,
    find: fn(&Request) -> Option<String>,
) -> (Vendor, MockServer) {
    let vendor = Vendor::default();
    let server = MockServer::start().await;
    Mock::given(path("/own"))
        .respond_with(Own(vendor.clone(), find))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(login_path))
        .respond_with(Login(vendor.clone(), login))
        .mount(&server)
        .await;
    (vendor, server)
}

/// How the caller's own call sends the key.
#[derive(Clone, Copy)]
enum Carry {
    Form,
    Query,
    Header,
    Cookie,
    Soap,
}

fn form_field(request: &Request, name: &str) -> Option<String> {
    form_urlencoded::parse(&request.body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// One call of the caller's own: `Refused` on a 401.
async fn own_call(
    http: reqwest::Client,
    url: String,
    carry: Carry,
    key: Secret,
) -> Result<String, KeyError<reqwest::Error>> {
    let key = key.expose();
    let request = match carry {
        Carry::Form => http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("request=ownCall&sessionKey={key}")),
        Carry::Query => http.get(format!("{url}?sid={key}")),
        Carry::Header => http.get(&url).header("Token", key),
        Carry::Cookie => http.get(&url).header("cookie", format!("session={key}")),
        Carry::Soap => http.post(&url).body(format!(
            "<Envelope><Body><own><sessionHandle>{key}</sessionHandle></own></Body></Envelope>"
        )),
    };
    let answer = request.send().await?;
    if answer.status() == 401 {
        return Err(KeyError::Refused);
    }
    Ok(answer.error_for_status()?.text().await?)
}

/// Runs the same scenario against any provider's session.
macro_rules! with_key_scenario {
    ($session:expr, $vendor:expr, $server:expr, $carry:expr) => {{
        let (session, vendor, server) = (&$session, &$vendor, &$server);
        let http = reqwest::Client::new();
        let url = format!("{}/own", server.uri());
        let call = || {
            let (http, url) = (http.clone(), url.clone());
            async move {
                session
                    .with_key(|key| own_call(http.clone(), url.clone(), $carry, key))
                    .await
            }
        };
        // Logs in first, then uses the key.
        assert_eq!(call().await.expect("session").expect("own call"), "ok");
        assert_eq!(vendor.counts(), (1, 1));
        assert_eq!(session.login_count(), 1);
        // The key is still good: no login.
        call().await.expect("session").expect("own call");
        assert_eq!(vendor.counts(), (1, 2));
        // The server forgot the key: refused, one login, one retry.
        vendor.expire_all();
        assert_eq!(call().await.expect("session").expect("own call"), "ok");
        assert_eq!(vendor.counts(), (2, 4));
        // Twenty callers find the key refused at once: one login for all.
        vendor.expire_all();
        let results = join_all((0..20).map(|_| call()).collect()).await;
        assert!(results.iter().all(|r| matches!(r, Ok(Ok(_)))));
        assert_eq!(vendor.counts().0, 3, "one login for twenty callers");
        // A fresh key refused too: one login, then the session's error.
        vendor.with(|s| s.valid.insert("unused".into()));
        let always_refused = session
            .with_key(|_key| async { Err::<(), KeyError<reqwest::Error>>(KeyError::Refused) })
            .await
            .expect_err("refused twice");
        assert!(matches!(always_refused, SessionError::KeyRefused));
        assert_eq!(vendor.counts().0, 4);
        // The caller's own failure comes back as it is, with no login.
        let own = session
            .with_key(|_key| async { Err::<(), _>(KeyError::Other("not mine")) })
            .await
            .expect("the session did its part");
        assert_eq!(own, Err("not mine"));
        assert_eq!(vendor.counts().0, 4);
    }};
}

/// A small `join_all` (the crate does not depend on `futures`).
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut slots: Vec<_> = futures.into_iter().map(|f| (Box::pin(f), None)).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, done) in slots.iter_mut() {
            if done.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *done = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    slots.into_iter().filter_map(|(_, done)| done).collect()
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new())
}

// --------------------------------------------------------------- providers

const ERPLY_PASSWORD: &str = "erply-pa55word";

fn erply_login(key: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "status": {"request": "verifyUser", "requestUnixTime": 1370604415,
                   "responseStatus": "ok", "errorCode": 0, "errorField": null,
                   "generationTime": 0.01},
        "records": [{"userID": "5", "userName": "demo", "sessionKey": key,
                     "sessionLength": 3600}],
    }))
}

fn erply_session(server: &MockServer) -> erply::Session {
    let options = ClientOptions::default().base_url(format!("{}/api/", server.uri()));
    let client = erply::Client::with_options("123456", options).expect("client");
    erply::Session::with_clock(
        client,
        erply::VerifyUserRequest::new("demo", ERPLY_PASSWORD),
        clock(),
    )
}

#[tokio::test]
async fn with_key_erply_key_in_a_form_body() {
    let (vendor, server) = stand_in("/api/", erply_login, |r| form_field(r, "sessionKey")).await;
    let session = erply_session(&server);
    with_key_scenario!(session, vendor, server, Carry::Form);
}

#[tokio::test]
async fn with_key_wialon_key_in_the_query() {
    fn login(eid: String) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({
            "eid": eid, "gis_sid": "g", "host": "127.0.0.1", "hw_gw_ip": "127.0.0.1",
            "au": "wialon_test", "tm": 1358415984, "wsdk_version": "1",
            "user": {"nm": "wialon_test", "cls": 1, "id": 50935, "prp": {},
                     "crt": 0, "bact": 50936, "fl": 6, "hm": "", "uacl": 2097795},
            "th": "t", "classes": {}, "features": {"unlim": 1, "svcs": {}},
        }))
    }
    let (vendor, server) = stand_in("/wialon/ajax.html", login, |r| {
        r.url
            .query_pairs()
            .find(|(k, _)| k == "sid")
            .map(|(_, v)| v.into_owned())
    })
    .await;
    let client = wialon::Client::with_options(
        ClientOptions::default().base_url(format!("{}/wialon/ajax.html", server.uri())),
    )
    .expect("client");
    let session = wialon::Session::with_clock(
        client,
        wialon::TokenLoginRequest::new(
            "2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38",
            wialon::LoginFlags::empty(),
        ),
        clock(),
    );
    with_key_scenario!(session, vendor, server, Carry::Query);
}

fn aktion_session(server: &MockServer) -> aktion::Session {
    let client = aktion::Client::with_options(ClientOptions::default().base_url(server.uri()))
        .expect("client");
    aktion::Session::with_clock(
        client,
        aktion::LoginAdvAuthRequest::new("John.Doo"),
        clock(),
    )
}

fn aktion_login(token: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "Token": token, "ExpireInSec": 20, "ExpireDate": "/Date(1770202477469)/",
    }))
}

#[tokio::test]
async fn with_key_aktion_key_in_a_header() {
    let (vendor, server) = stand_in("/login/advAuth", aktion_login, |r| {
        r.headers
            .get("Token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    })
    .await;
    let session = aktion_session(&server);
    with_key_scenario!(session, vendor, server, Carry::Header);
}

#[tokio::test]
async fn with_key_aktion_key_in_a_cookie() {
    let (vendor, server) = stand_in("/login/advAuth", aktion_login, |r| {
        let cookie = r.headers.get("cookie")?.to_str().ok()?;
        cookie.strip_prefix("session=").map(str::to_string)
    })
    .await;
    let session = aktion_session(&server);
    with_key_scenario!(session, vendor, server, Carry::Cookie);
}

const SOAP_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const WEBAPI_NS: &str = "https://webapi.allegro.pl/service.php";
const CURRENT_VERSION: i64 = 1480350340;
const STALE_VERSION: i64 = 1480350339;
const AUKRO_PASSWORD: &str = "aukro-pa55word";

fn soap(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        format!(r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_NS}" xmlns:ns1="{WEBAPI_NS}"><SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>"#),
        "text/xml; charset=utf-8",
    )
}

fn aukro_login(handle: String) -> ResponseTemplate {
    soap(&format!("<ns1:doLoginEncResponse><ns1:sessionHandlePart>{handle}</ns1:sessionHandlePart><ns1:userId>4109848</ns1:userId><ns1:serverTime>1269814134</ns1:serverTime></ns1:doLoginEncResponse>"))
}

fn aukro_session(server: &MockServer, version: i64, clock: Arc<ManualClock>) -> aukro::Session {
    let client = aukro::Client::with_options(
        ClientOptions::default().base_url(format!("{}/service.php", server.uri())),
    )
    .expect("client");
    aukro::Session::with_clock(
        client,
        aukro::DoLoginEncRequest::new(aukro::DoLoginEncArgs {
            user_login: "jan.novak".into(),
            password: AUKRO_PASSWORD.into(),
            country_id: 56,
            webapi_key: "abcd1234".into(),
            local_version: version,
        }),
        clock,
    )
}

#[tokio::test]
async fn with_key_aukro_key_in_a_soap_body() {
    let (vendor, server) = stand_in("/service.php", aukro_login, |r| {
        let body = std::str::from_utf8(&r.body).ok()?;
        let start = body.find("<sessionHandle>")? + "<sessionHandle>".len();
        let end = body.find("</sessionHandle>")?;
        body.get(start..end).map(str::to_string)
    })
    .await;
    let session = aukro_session(&server, CURRENT_VERSION, clock());
    with_key_scenario!(session, vendor, server, Carry::Soap);
}

#[tokio::test]
async fn with_key_reports_a_failed_login_as_the_session_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": {"request": "verifyUser", "responseStatus": "error", "errorCode": 1051},
            "records": null,
        })))
        .mount(&server)
        .await;
    let session = erply_session(&server);
    let mut ran = false;
    let error = session
        .with_key(|_key| {
            ran = true;
            async { Ok::<(), KeyError<()>>(()) }
        })
        .await
        .expect_err("the login is refused");
    assert!(!ran, "no key, no call");
    assert!(error.login().is_some(), "{error:?}");
    assert_eq!(
        error.class(),
        Some(loginspec_runtime::ErrorClass::BadCredentials)
    );
}

// ------------------------------------------------------------------ Debug

#[tokio::test]
async fn session_debug_is_short_and_shows_no_secrets() {
    let (vendor, server) = stand_in("/api/", erply_login, |r| form_field(r, "sessionKey")).await;
    let session = erply_session(&server);
    let before = format!("{session:?}");
    assert_eq!(
        before,
        r#"Session { provider: "erply", logged_in: false, logins: 0, refreshes: 0 }"#
    );
    session.ensure_login().await.expect("login");
    let key = vendor.with(|s| s.valid.iter().next().cloned().expect("a key"));
    for text in [format!("{session:?}"), format!("{session:#?}")] {
        assert!(text.len() < 200, "{text}");
        assert!(text.contains("logged_in: true"), "{text}");
        assert!(!text.contains(&key), "{text}");
        assert!(!text.contains(ERPLY_PASSWORD), "{text}");
        assert!(!text.contains("bindings"), "no protocol tables: {text}");
    }
}

// -------------------------------------------- version key vs. set_credentials

/// Aukro: `doLoginEnc` refuses a stale `localVersion`; `doQuerySysStatus`
/// tells the current one, slowly, so the caller can replace the
/// credentials while it runs.
struct AukroVersions(Vendor);

impl Respond for AukroVersions {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body = String::from_utf8_lossy(&request.body).into_owned();
        let text = |name: &str| {
            let open = format!("<ns:{name}>");
            let start = body.find(&open)? + open.len();
            let end = body[start..].find('<')? + start;
            Some(body[start..end].to_string())
        };
        if body.contains("DoQuerySysStatusRequest") {
            self.0.with(|s| s.lookups += 1);
            return soap(&format!("<ns1:doQuerySysStatusResponse><ns1:info>1.0.0</ns1:info><ns1:verKey>{CURRENT_VERSION}</ns1:verKey></ns1:doQuerySysStatusResponse>"))
                .set_delay(Duration::from_millis(300));
        }
        let user = text("userLogin").unwrap_or_default();
        self.0.with(|s| s.users.push(user));
        if text("localVersion") != Some(CURRENT_VERSION.to_string()) {
            return ResponseTemplate::new(500).set_body_raw(
                format!(r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_NS}"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>ERR_INVALID_VERSION_CAT_SELL_FIELDS</faultcode><faultstring>stale</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"#),
                "text/xml; charset=utf-8",
            );
        }
        aukro_login(self.0.issue())
    }
}

#[tokio::test]
async fn version_key_retry_keeps_credentials_set_while_it_ran() {
    let vendor = Vendor::default();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(AukroVersions(vendor.clone()))
        .mount(&server)
        .await;
    let clock = clock();
    let session = aukro_session(&server, STALE_VERSION, clock.clone());
    let login = tokio::spawn({
        let session = session.clone();
        async move { session.ensure_login().await }
    });
    // The stale version was refused and the lookup is under way.
    while vendor.with(|s| s.lookups) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    session.set_credentials(aukro::DoLoginEncRequest::new(aukro::DoLoginEncArgs {
        user_login: "eva.nova".into(),
        password: AUKRO_PASSWORD.into(),
        country_id: 56,
        webapi_key: "abcd1234".into(),
        local_version: STALE_VERSION,
    }));
    login
        .await
        .expect("task")
        .expect("the login in flight ends");
    assert_eq!(vendor.with(|s| s.users.clone()), ["jan.novak", "jan.novak"]);
    // The next login is the new credentials' (with their own version,
    // refreshed in turn), not the old ones written back.
    clock.advance(Duration::from_secs(3600));
    session.ensure_login().await.expect("login as the new user");
    assert_eq!(
        vendor.with(|s| s.users.clone()),
        ["jan.novak", "jan.novak", "eva.nova", "eva.nova"]
    );
    assert_eq!(vendor.with(|s| s.lookups), 2);
}
