//! The generated client against the mock of every seed spec: good calls,
//! every documented error reachable and decoded into its own variant, wrong
//! credentials, expiry and re-login, no violations for the client's own
//! requests, and one-byte mutations of those requests reported. One test
//! binary (CI time): this file holds the clients; the modules the tests.

use loginspec_client::{aktion, aukro, erply, wialon};
use loginspec_codegen::model::Model;
use loginspec_mock::{Account, Mock, Outcome, ProviderMock};
use loginspec_runtime::{ClientOptions, ErrorClass, Secret};
use std::future::Future;
use std::pin::Pin;

mod errors_and_sessions;
mod mutation;
mod peer_protocols;
mod scenarios;
mod spec_rules;
mod steps;

const TOKEN: &str = "5dce19710a5e26ab8b7b8986cb3c49e58C291791B7F6B66D6D3A36E6EB25FDC5E2BF55B3";
const HEX16: &str = "00112233445566778899aabbccddeeff";

/// The checked model of a specs folder (a path from `mock/`).
fn model_at(dir: &str) -> Model {
    loginspec_codegen::load_and_check(std::path::Path::new(dir))
        .unwrap_or_else(|d| panic!("{dir}: {d}"))
        .0
}

/// The seed specs.
fn model() -> Model {
    model_at("../specs")
}

fn options(p: &ProviderMock) -> ClientOptions {
    ClientOptions::default().base_url(p.base_url())
}

/// The variant name of a decoded API error (`Debug` starts with it).
fn variant<E: loginspec_runtime::ApiErrorKind>(e: &loginspec_runtime::Error<E>) -> Option<String> {
    let kind = &e.api()?.kind;
    let debug = format!("{kind:?}");
    // A provider-wide error is `Provider(ProviderError::Name)`: its name is inside.
    let debug = debug.strip_prefix("Provider(").unwrap_or(&debug);
    Some(
        debug
            .split(['(', ')', ' ', '{'])
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
    aukro::DoLoginEncRequest::new(aukro::DoLoginEncArgs {
        user_login: "demo".into(),
        password: "secret".into(),
        country_id: 228,
        webapi_key: "webapi-key".into(),
        local_version: 1480350339,
    })
}

impl Clients {
    async fn new(mock: &Mock) -> Clients {
        Clients::with_options(mock, options).await
    }

    /// Clients built with `options` of each provider's mock.
    async fn with_options(
        mock: &Mock,
        options: impl Fn(&ProviderMock) -> ClientOptions,
    ) -> Clients {
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
                        aukro::DoQuerySysStatusArgs {
                            sysvar: 1,
                            country_id: 228,
                            webapi_key: "webapi-key".into(),
                        },
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
