//! The generated client against the mock of every seed spec: good calls,
//! every documented error reachable and decoded into its own variant, wrong
//! credentials, expiry and re-login, no violations for the client's own
//! requests, and one-byte mutations of those requests reported.

use loginspec_client::{aktion, aukro, erply, wialon};
use loginspec_codegen::model::Model;
use loginspec_mock::{Account, Mock, Outcome, ProviderMock};
use loginspec_runtime::{ClientOptions, ErrorClass, Secret};
use std::future::Future;
use std::pin::Pin;

const TOKEN: &str = "5dce19710a5e26ab8b7b8986cb3c49e58C291791B7F6B66D6D3A36E6EB25FDC5E2BF55B3";
const HEX16: &str = "00112233445566778899aabbccddeeff";

fn model() -> Model {
    loginspec_codegen::load_and_check(std::path::Path::new("../specs"))
        .expect("seed specs check")
        .0
}

fn options(p: &ProviderMock) -> ClientOptions {
    ClientOptions::default().base_url(p.base_url())
}

/// The variant name of a decoded API error (`Debug` starts with it).
fn variant<E: loginspec_runtime::ApiErrorKind>(e: &loginspec_runtime::Error<E>) -> Option<String> {
    let kind = &e.api()?.kind;
    let debug = format!("{kind:?}");
    Some(
        debug
            .split(['(', ' ', '{'])
            .next()
            .unwrap_or("")
            .to_string(),
    )
}

type Call<'a> = Pin<Box<dyn Future<Output = Result<(), Option<String>>> + 'a>>;

/// Logs in to each provider and returns, per method wire name, a call of it
/// by the generated client: `Err(Some(variant))` for a decoded API error.
struct Clients {
    aktion: (aktion::Client, Secret),
    aukro: (aukro::Client, Secret),
    erply: (erply::Client, Secret),
    wialon: (wialon::Client, Secret),
}

fn aukro_login() -> aukro::DoLoginEncRequest {
    aukro::DoLoginEncRequest::new("demo", "secret", 228, "webapi-key", 1480350339)
}

impl Clients {
    async fn new(mock: &Mock) -> Clients {
        let c = aktion::Client::with_options(options(mock.provider("aktion"))).unwrap();
        let r = c
            .login_adv_auth(
                aktion::LoginAdvAuthRequest::new("demo")
                    .rnd_a(HEX16)
                    .rnd_b(HEX16),
            )
            .await
            .unwrap();
        let aktion = (c, r.token);
        let c = aukro::Client::with_options(options(mock.provider("aukro"))).unwrap();
        let r = c.do_login_enc(aukro_login()).await.unwrap();
        let aukro = (c, r.session_handle_part);
        let c = erply::Client::with_options("123456", options(mock.provider("erply"))).unwrap();
        let r = c
            .verify_user(erply::VerifyUserRequest::new("demo", "pw"))
            .await
            .unwrap();
        let erply = (c, r.session_key);
        let c = wialon::Client::with_options(options(mock.provider("wialon"))).unwrap();
        let r = c
            .token_login(wialon::TokenLoginRequest::new(
                TOKEN,
                wialon::LoginFlags::BASIC_INFO,
            ))
            .await
            .unwrap();
        let wialon = (c, r.session_id);
        Clients {
            aktion,
            aukro,
            erply,
            wialon,
        }
    }

    fn call<'a>(&'a self, provider: &str, method: &str) -> Call<'a> {
        fn done<T, E: loginspec_runtime::ApiErrorKind>(
            r: Result<T, loginspec_runtime::Error<E>>,
        ) -> Result<(), Option<String>> {
            r.map(|_| ()).map_err(|e| variant(&e))
        }
        let (ak, au, er, wi) = (&self.aktion, &self.aukro, &self.erply, &self.wialon);
        match (provider, method) {
            ("aktion", "login/advAuth") => Box::pin(async move {
                done(
                    ak.0.login_adv_auth(aktion::LoginAdvAuthRequest::new("demo").rnd_a(HEX16))
                        .await,
                )
            }),
            ("aktion", "attendance/getPassByPerson") => Box::pin(async move {
                done(
                    ak.0.get_pass_by_person(&ak.1, aktion::GetPassByPersonRequest::new())
                        .await,
                )
            }),
            ("aukro", "doLoginEnc") => {
                Box::pin(async move { done(au.0.do_login_enc(aukro_login()).await) })
            }
            ("aukro", "doMyBilling") => Box::pin(async move {
                done(
                    au.0.do_my_billing(&au.1, aukro::DoMyBillingRequest::new())
                        .await,
                )
            }),
            ("aukro", "doQuerySysStatus") => Box::pin(async move {
                done(
                    au.0.do_query_sys_status(aukro::DoQuerySysStatusRequest::new(
                        1,
                        228,
                        "webapi-key",
                    ))
                    .await,
                )
            }),
            ("erply", "verifyUser") => Box::pin(async move {
                done(
                    er.0.verify_user(
                        erply::VerifyUserRequest::new("demo", "pw").session_length(600),
                    )
                    .await,
                )
            }),
            ("erply", "getSessionKeyInfo") => Box::pin(async move {
                done(
                    er.0.get_session_key_info(&er.1, erply::GetSessionKeyInfoRequest::new())
                        .await,
                )
            }),
            ("erply", "getSessionKeyUser") => Box::pin(async move {
                done(
                    er.0.get_session_key_user(&er.1, erply::GetSessionKeyUserRequest::new())
                        .await,
                )
            }),
            ("wialon", "token/login") => Box::pin(async move {
                let flags = wialon::LoginFlags::BASIC_INFO | wialon::LoginFlags::USER_INFO;
                done(
                    wi.0.token_login(
                        wialon::TokenLoginRequest::new(TOKEN, flags).app_name("tests"),
                    )
                    .await,
                )
            }),
            ("wialon", "core/create_auth_hash") => Box::pin(async move {
                done(
                    wi.0.create_auth_hash(&wi.1, wialon::CreateAuthHashRequest::new())
                        .await,
                )
            }),
            ("wialon", "core/use_auth_hash") => Box::pin(async move {
                done(
                    wi.0.use_auth_hash(wialon::UseAuthHashRequest::new(
                        "8b2e1c4d5f60718293a4b5c6d7e8f901",
                    ))
                    .await,
                )
            }),
            // Last: it ends the session the other calls use.
            ("wialon", "core/logout") => {
                Box::pin(
                    async move { done(wi.0.logout(&wi.1, wialon::LogoutRequest::new()).await) },
                )
            }
            (p, m) => panic!("the test has no call of {p} {m}: add one"),
        }
    }
}

/// Every method of every seed spec, logout last.
fn methods(model: &Model) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = model
        .providers
        .iter()
        .flat_map(|p| p.methods.iter().map(|m| (p.name.clone(), m.wire.clone())))
        .collect();
    all.sort_by_key(|(_, m)| m.ends_with("logout"));
    all
}

#[tokio::test]
async fn every_method_good_and_every_documented_error_decodes_into_its_variant() {
    let model = model();
    let mock = Mock::start(&model).await.unwrap();
    let clients = Clients::new(&mock).await;
    let mut errors_checked = 0;
    for (provider, wire) in methods(&model) {
        let method = model
            .providers
            .iter()
            .find(|p| p.name == provider)
            .and_then(|p| p.methods.iter().find(|m| m.wire == wire))
            .unwrap();
        for variant in &method.errors {
            mock.provider(&provider).next_error(&variant.name).unwrap();
            let got = clients.call(&provider, &wire).await;
            assert_eq!(
                got,
                Err(Some(variant.name.clone())),
                "{provider} {wire}: queued {}",
                variant.name
            );
            errors_checked += 1;
        }
        let good = clients.call(&provider, &wire).await;
        assert_eq!(good, Ok(()), "{provider} {wire}: good call");
    }
    assert!(errors_checked > 100, "{errors_checked} errors checked");
    for p in mock.providers() {
        assert_eq!(
            p.violations(),
            vec![],
            "{}: the client's requests break no rule",
            p.name()
        );
        assert!(p.log().iter().all(|l| l.outcome != Outcome::Rejected));
    }
}

#[tokio::test]
async fn wrong_credentials_get_the_bad_credentials_variant_and_lockout() {
    let model = model();
    let mock = Mock::start(&model).await.unwrap();
    let erply_mock = mock.provider("erply");
    erply_mock
        .set_account(
            Account::new()
                .with("username", "demo")
                .with("password", "pw"),
        )
        .lockout_after(2);
    let c = erply::Client::with_options("123456", options(erply_mock)).unwrap();
    assert!(c
        .verify_user(erply::VerifyUserRequest::new("demo", "pw"))
        .await
        .is_ok());
    let wrong = c
        .verify_user(erply::VerifyUserRequest::new("demo", "wrong"))
        .await
        .unwrap_err();
    assert_eq!(variant(&wrong).as_deref(), Some("LoginFailed"));
    let _ = c
        .verify_user(erply::VerifyUserRequest::new("demo", "wrong"))
        .await;
    let locked = c
        .verify_user(erply::VerifyUserRequest::new("demo", "pw"))
        .await
        .unwrap_err();
    assert_eq!(variant(&locked).as_deref(), Some("UserBlocked"));
    // The vendor's documented envelope for 1051 (learn-api error-handling page).
    let answer = erply_mock.log()[1].outcome.clone();
    assert_eq!(answer, Outcome::Error("LoginFailed".into()));

    // Aukro: the password never travels; its SHA-256/Base64 hash must match the account's.
    let aukro_mock = mock.provider("aukro");
    aukro_mock.set_account(
        Account::new()
            .with("userLogin", "jan.novak")
            .with("password", "password"),
    );
    let c = aukro::Client::with_options(options(aukro_mock)).unwrap();
    let login = |password: &str| {
        aukro::DoLoginEncRequest::new("jan.novak", password, 56, "abcd1234", 1480350339)
    };
    assert!(c.do_login_enc(login("password")).await.is_ok());
    let err = c.do_login_enc(login("Password")).await.unwrap_err();
    assert_eq!(
        err.class(),
        Some(loginspec_runtime::ErrorClass::BadCredentials)
    );
    // The vendor's request (protocols.md: the WSDL's minimal doLoginEnc, with the
    // docs' test vector `password` -> XohIm...=), pretty-printed as it is there.
    let vendor = r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                  xmlns:ns="https://webapi.allegro.pl/service.php">
  <soapenv:Body>
    <ns:DoLoginEncRequest>
      <ns:userLogin>jan.novak</ns:userLogin>
      <ns:userHashPassword>XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=</ns:userHashPassword>
      <ns:countryCode>56</ns:countryCode>
      <ns:webapiKey>abcd1234</ns:webapiKey>
      <ns:localVersion>1480350339</ns:localVersion>
    </ns:DoLoginEncRequest>
  </soapenv:Body>
</soapenv:Envelope>"#;
    let http = reqwest::Client::new();
    let send = |body: String| {
        http.post(aukro_mock.base_url())
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "\"#doLoginEnc\"")
            .body(body)
            .send()
    };
    let answer = send(vendor.to_string()).await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert!(answer
        .text()
        .await
        .unwrap()
        .contains("<ns1:doLoginEncResponse>"));
    // The hex digest in Base64 (88 characters) is the documented mistake: a wrong password.
    let hex_form = vendor.replace(
        "XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=",
        "NWU4ODQ4OThkYTI4MDQ3MTUxZDBlNTZmOGRjNjI5Mjc3MzYwM2QwZDZhYWJiZGQ2MmExMWVmNzIxZDE1NDJkOA==",
    );
    let answer = send(hex_form).await.unwrap();
    assert_eq!(answer.status().as_u16(), 500, "a SOAP fault");
    assert!(answer.text().await.unwrap().contains("<faultcode>"));
    for p in [erply_mock, aukro_mock] {
        assert_eq!(p.violations(), vec![]);
    }
}

#[tokio::test]
async fn expired_and_ended_sessions_get_the_documented_error_and_the_session_logs_in_again() {
    let model = model();
    let mock = Mock::start(&model).await.unwrap();
    let m = mock.provider("erply");
    let client = erply::Client::with_options("123456", options(m)).unwrap();
    let session = erply::Session::new(client.clone(), erply::VerifyUserRequest::new("demo", "pw"));
    assert!(session
        .get_session_key_info(erply::GetSessionKeyInfoRequest::new())
        .await
        .is_ok());
    m.expire_sessions();
    assert!(session
        .get_session_key_info(erply::GetSessionKeyInfoRequest::new())
        .await
        .is_ok());
    let log = m.log();
    let methods: Vec<_> = log
        .iter()
        .map(|l| l.method.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        methods,
        [
            "verifyUser",
            "getSessionKeyInfo",
            "getSessionKeyInfo",
            "verifyUser",
            "getSessionKeyInfo"
        ]
    );
    // The first session_expired-class error the method documents.
    assert!(matches!(&log[2].outcome, Outcome::Error(_)), "{:?}", log[2]);

    // The lifetime the answer states (Aktion's ExpireInSec: 20 in the example), on the mock clock.
    let a = mock.provider("aktion");
    let client = aktion::Client::with_options(options(a)).unwrap();
    let token = client
        .login_adv_auth(aktion::LoginAdvAuthRequest::new("demo"))
        .await
        .unwrap()
        .token;
    assert!(client
        .get_pass_by_person(&token, aktion::GetPassByPersonRequest::new())
        .await
        .is_ok());
    mock.advance(std::time::Duration::from_secs(21));
    let err = client
        .get_pass_by_person(&token, aktion::GetPassByPersonRequest::new())
        .await
        .unwrap_err();
    assert_eq!(
        err.class(),
        Some(loginspec_runtime::ErrorClass::SessionExpired)
    );

    // Logout ends the key.
    let w = mock.provider("wialon");
    let client = wialon::Client::with_options(options(w)).unwrap();
    let sid = client
        .token_login(wialon::TokenLoginRequest::new(
            TOKEN,
            wialon::LoginFlags::BASIC_INFO,
        ))
        .await
        .unwrap()
        .session_id;
    assert!(client
        .logout(&sid, wialon::LogoutRequest::new())
        .await
        .is_ok());
    let err = client
        .create_auth_hash(&sid, wialon::CreateAuthHashRequest::new())
        .await
        .unwrap_err();
    assert_eq!(
        err.class(),
        Some(loginspec_runtime::ErrorClass::SessionExpired)
    );
    for p in mock.providers() {
        assert_eq!(p.violations(), vec![], "{}", p.name());
    }
}

/// One byte of each bound name the client sent, changed: the mock must
/// report a violation for every such request.
#[tokio::test]
async fn one_byte_changed_in_any_bound_name_is_a_violation() {
    let model = model();
    let mock = Mock::start(&model).await.unwrap();
    let clients = Clients::new(&mock).await;
    let http = reqwest::Client::new();
    let mut mutations = 0;
    for (provider, wire) in methods(&model) {
        let p = mock.provider(&provider);
        p.clear_log();
        assert_eq!(
            clients.call(&provider, &wire).await,
            Ok(()),
            "{provider} {wire}"
        );
        let sent = p.log().pop().unwrap();
        assert!(sent.violations.is_empty());
        let method = model
            .providers
            .iter()
            .find(|x| x.name == provider)
            .and_then(|x| x.methods.iter().find(|m| m.wire == wire))
            .unwrap();
        let names: Vec<String> = method
            .bindings
            .iter()
            .map(|b| match &b.location {
                loginspec_codegen::model::Location::Body(ptr) => {
                    ptr.rsplit('/').next().unwrap().to_string()
                }
                loginspec_codegen::model::Location::Query(n) => n.clone(),
                loginspec_codegen::model::Location::Header { name, .. } => name.clone(),
                other => panic!("no mutation for {other:?}"),
            })
            .collect();
        let origin = p
            .base_url()
            .split('/')
            .take(3)
            .collect::<Vec<_>>()
            .join("/");
        for name in names {
            let (mut target, mut body, mut headers) = (
                sent.target.clone(),
                sent.body().to_vec(),
                sent.headers().to_vec(),
            );
            let flip = |bytes: &mut Vec<u8>| -> bool {
                let Some(at) = bytes.windows(name.len()).position(|w| w == name.as_bytes()) else {
                    return false;
                };
                let last = at + name.len() - 1;
                bytes[last] = if bytes[last] == b'X' { b'Y' } else { b'X' };
                true
            };
            let mut changed = {
                let mut t = target.clone().into_bytes();
                let done = flip(&mut t);
                target = String::from_utf8(t).unwrap();
                done
            };
            if !changed {
                changed = flip(&mut body);
            }
            if !changed {
                if let Some(h) = headers
                    .iter_mut()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&name))
                {
                    let mut n = h.0.clone().into_bytes();
                    let last = n.len() - 1;
                    n[last] = b'x';
                    n.push(b'x');
                    h.0 = String::from_utf8(n).unwrap();
                    changed = true;
                }
            }
            if !changed {
                continue; // an optional member the call left out
            }
            p.clear_log();
            let mut request = http.request(
                sent.http_method.parse().unwrap(),
                format!("{origin}{target}"),
            );
            for (n, v) in &headers {
                if !matches!(n.as_str(), "host" | "content-length") {
                    request = request.header(n.as_str(), v.as_str());
                }
            }
            request.body(body).send().await.unwrap();
            let replay = p.log().pop().unwrap();
            assert!(
                !replay.violations.is_empty(),
                "{provider} {wire}: `{name}` changed by one byte was not reported"
            );
            mutations += 1;
        }
    }
    assert!(mutations >= 30, "{mutations} mutations");
}

#[tokio::test]
async fn garbage_never_breaks_the_mock() {
    let http = reqwest::Client::new();
    let bodies: [&[u8]; 6] = [
        b"",
        b"\xff\xfe\x00garbage",
        b"<soapenv:Envelope><soapenv:Body><ns:x>",
        b"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        b"svc=token%2Flogin&params=%7Bnot json",
        b"request=verifyUser&request=verifyUser",
    ];
    // The seed specs and every other spec folder in the repository.
    for dir in ["../specs", "../tests/corpus", "../tests/peers/specs"] {
        let model = loginspec_codegen::load_and_check(std::path::Path::new(dir))
            .unwrap()
            .0;
        let mock = Mock::start(&model).await.unwrap();
        for (p, provider) in mock.providers().iter().zip(&model.providers) {
            let mut urls = vec![("POST".to_string(), p.base_url().to_string())];
            for method in &provider.methods {
                let path = method.path.replace('{', "x").replace('}', "");
                for verb in ["GET", "POST", "DELETE"] {
                    urls.push((verb.into(), format!("{}{path}", p.base_url())));
                }
            }
            let types = [
                "application/json",
                "text/xml; charset=utf-8",
                "application/x-www-form-urlencoded",
            ];
            for (verb, url) in &urls {
                for (n, body) in bodies.iter().enumerate() {
                    let status = http
                        .request(verb.parse().unwrap(), url)
                        .header("content-type", types[n % types.len()])
                        .header("SOAPAction", "\"#doLoginEnc\"")
                        .header("Authorization", "Basic !!!")
                        .header("Cookie", "a=b; ;=")
                        .body(body.to_vec())
                        .send()
                        .await
                        .unwrap()
                        .status();
                    assert!(
                        !status.is_success() || body.is_empty(),
                        "{}: garbage accepted",
                        p.name()
                    );
                }
            }
            p.respond_raw(502, "<html>Bad Gateway</html>");
            let raw = http.get(p.base_url()).send().await.unwrap();
            assert_eq!(raw.status().as_u16(), 502);
            assert_eq!(raw.text().await.unwrap(), "<html>Bad Gateway</html>");
            assert!(p.log().iter().all(|l| !l.violations.is_empty()
                || l.outcome != Outcome::Success
                || l.body().is_empty()));
        }
    }
}

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
    let origin = m
        .base_url()
        .split('/')
        .take(3)
        .collect::<Vec<_>>()
        .join("/");
    let http = reqwest::Client::new();
    let admin = |path: &str| format!("{origin}/__loginspec/{path}");
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
    let log = http
        .get(admin("log"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
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
    let model = loginspec_codegen::load_and_check(std::path::Path::new("../tests/peers/specs"))
        .unwrap()
        .0;
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
