//! The seed providers' requests, byte for byte as `protocols.md` quotes the vendors.

use super::*;

// ------------------------------------------------------------------ Erply

static ERPLY: Protocol = protocol(&[Encoding::Form], &["password", "sessionKey"]);

/// `request` is the method name, `clientCode` a client variable sent in the body.
static VERIFY_USER: Method = method(
    "verifyUser",
    Verb::Post,
    "",
    &[
        bind(Source::MethodName, Location::Body("/request")),
        bind(
            Source::Variable("clientCode"),
            Location::Body("/clientCode"),
        ),
        param("username", "/username"),
        param("password", "/password"),
        param("sessionLength", "/sessionLength"),
        param("doNotGenerateIdentityToken", "/doNotGenerateIdentityToken"),
    ],
);

static GET_SESSION_KEY_USER: Method = method(
    "getSessionKeyUser",
    Verb::Post,
    "",
    &[
        bind(Source::MethodName, Location::Body("/request")),
        bind(
            Source::Variable("clientCode"),
            Location::Body("/clientCode"),
        ),
        bind(Source::SessionKey, Location::Body("/sessionKey")),
    ],
);

fn erply(method: &'static Method, key: Option<&'static str>) -> Call<'static> {
    static VARIABLES: std::sync::OnceLock<Vec<(&'static str, String)>> = std::sync::OnceLock::new();
    Call {
        protocol: &ERPLY,
        method,
        encoding: Encoding::Form,
        base_url: "https://123456.erply.com/api/",
        variables: VARIABLES.get_or_init(|| vec![("clientCode", "123456".to_string())]),
        key,
    }
}

#[test]
fn erply_verify_user_is_the_documented_form() {
    let sent = erply(&VERIFY_USER, None)
        .send(json!({
            "username": "demo",
            "password": "secret",
            "sessionLength": 3600,
            "doNotGenerateIdentityToken": 1,
        }))
        .unwrap();
    assert_eq!(sent.method, reqwest::Method::POST);
    assert_eq!(sent.url, "https://123456.erply.com/api/");
    assert_eq!(sent.content_type, Some("application/x-www-form-urlencoded"));
    assert!(sent.headers.is_empty());
    // protocols.md §5, byte for byte.
    assert_eq!(
        sent.body,
        "request=verifyUser&clientCode=123456&username=demo&password=secret&sessionLength=3600&doNotGenerateIdentityToken=1"
    );
}

#[test]
fn erply_session_calls_carry_the_key_as_a_form_field() {
    let key = "9eb92794770bb5e91e3c96aca3e3ad4b752b0c09";
    let sent = erply(&GET_SESSION_KEY_USER, Some(key))
        .send(json!({}))
        .unwrap();
    assert_eq!(
        sent.body,
        format!("request=getSessionKeyUser&clientCode=123456&sessionKey={key}")
    );
    let err = erply(&GET_SESSION_KEY_USER, None)
        .send(json!({}))
        .err()
        .unwrap();
    assert_eq!(err.field, "session");
}

#[test]
fn secrets_sent_from_secret_params_and_the_key_are_collected() {
    let secrets =
        erply(&VERIFY_USER, None).secrets(json!({"username": "demo", "password": "secret"}));
    assert_eq!(secrets, ["secret"]);
    let key = "9eb92794770bb5e91e3c96aca3e3ad4b752b0c09";
    assert_eq!(
        erply(&GET_SESSION_KEY_USER, Some(key)).secrets(json!({})),
        [key]
    );
}

// ----------------------------------------------------------------- Wialon

static WIALON: Protocol = protocol(&[Encoding::Form, Encoding::Query], &["token", "sid"]);

static TOKEN_LOGIN: Method = Method {
    json_strings: &["/params"],
    ..method(
        "token/login",
        Verb::Post,
        "",
        &[
            bind(Source::MethodName, Location::Body("/svc")),
            bind(
                Source::Constant(Constant::EmptyObject),
                Location::Body("/params"),
            ),
            param("token", "/params/token"),
            param("fl", "/params/fl"),
        ],
    )
};

static LOGOUT: Method = Method {
    json_strings: &["/params"],
    ..method(
        "core/logout",
        Verb::Post,
        "",
        &[
            bind(Source::MethodName, Location::Body("/svc")),
            // Where `params` goes; without it, `params={}` would come last.
            bind(
                Source::Constant(Constant::EmptyObject),
                Location::Body("/params"),
            ),
            bind(Source::SessionKey, Location::Body("/sid")),
        ],
    )
};

fn wialon(method: &'static Method, encoding: Encoding, key: Option<&'static str>) -> Call<'static> {
    Call {
        protocol: &WIALON,
        method,
        encoding,
        base_url: "https://hst-api.wialon.com/wialon/ajax.html",
        variables: &[],
        key,
    }
}

const WIALON_TOKEN: &str =
    "2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38";

#[test]
fn wialon_token_login_sends_params_as_a_json_string() {
    let sent = wialon(&TOKEN_LOGIN, Encoding::Form, None)
        .send(json!({"token": WIALON_TOKEN, "fl": 1}))
        .unwrap();
    // protocols.md §3: svc=token%2Flogin&params=%7B%22token%22%3A%22…%22%2C%22fl%22%3A1%7D
    assert_eq!(
        sent.body,
        format!("svc=token%2Flogin&params=%7B%22token%22%3A%22{WIALON_TOKEN}%22%2C%22fl%22%3A1%7D")
    );
    assert_eq!(sent.url, "https://hst-api.wialon.com/wialon/ajax.html");
    // The token travels inside `params`; it is still collected as a secret.
    let secrets =
        wialon(&TOKEN_LOGIN, Encoding::Form, None).secrets(json!({"token": WIALON_TOKEN}));
    assert_eq!(secrets, [WIALON_TOKEN]);
}

#[test]
fn wialon_logout_sends_empty_params_and_the_sid_last() {
    // protocols.md §4: svc=core/logout&params={}&sid=<sid>
    let sent = wialon(&LOGOUT, Encoding::Form, Some("k&1"))
        .send(json!({}))
        .unwrap();
    assert_eq!(sent.body, "svc=core%2Flogout&params=%7B%7D&sid=k%261");
}

#[test]
fn an_empty_container_constant_never_wipes_placed_members() {
    static LATE: Method = Method {
        json_strings: &["/params"],
        ..method(
            "token/login",
            Verb::Post,
            "",
            &[
                bind(Source::MethodName, Location::Body("/svc")),
                param("token", "/params/token"),
                bind(
                    Source::Constant(Constant::EmptyObject),
                    Location::Body("/params"),
                ),
                bind(
                    Source::Constant(Constant::EmptyArray),
                    Location::Body("/list"),
                ),
            ],
        )
    };
    let sent = wialon(&LATE, Encoding::Form, None)
        .send(json!({"token": "t"}))
        .unwrap();
    assert_eq!(
        sent.body,
        "svc=token%2Flogin&params=%7B%22token%22%3A%22t%22%7D&list=%5B%5D"
    );
    // Without the constant, an absent json_string member is still sent as `{}` (last).
    static BARE: Method = Method {
        json_strings: &["/params"],
        ..method(
            "core/logout",
            Verb::Post,
            "",
            &[bind(Source::MethodName, Location::Body("/svc"))],
        )
    };
    let sent = wialon(&BARE, Encoding::Form, None).send(json!({})).unwrap();
    assert_eq!(sent.body, "svc=core%2Flogout&params=%7B%7D");
}

#[test]
fn query_encoding_is_a_get_with_every_member_in_the_url() {
    let call = Call {
        base_url: "http://h/wialon/ajax.html?x=1",
        ..wialon(&TOKEN_LOGIN, Encoding::Query, None)
    };
    let sent = call.send(json!({"token": "a b&c", "fl": 3})).unwrap();
    assert_eq!(sent.method, reqwest::Method::GET);
    assert_eq!(sent.content_type, None);
    assert!(sent.body.is_empty());
    assert_eq!(
        sent.url,
        "http://h/wialon/ajax.html?x=1&svc=token%2Flogin&params=%7B%22token%22%3A%22a+b%26c%22%2C%22fl%22%3A3%7D"
    );
}

// ----------------------------------------------------------------- Aktion

static AKTION: Protocol = protocol(&[Encoding::Json, Encoding::Xml], &["ApiKey", "Token"]);

static AKTION_LOGIN: Method = method(
    "login",
    Verb::Post,
    "login",
    &[
        bind(Source::Constant(Constant::Null), Location::Body("/Result")),
        param("UserLogin", "/UserLogin"),
        param("ApiKey", "/ApiKey"),
    ],
);

static PASSES: Method = method(
    "attendance/getPassByPerson",
    Verb::Get,
    "attendance/getPassByPerson",
    &[
        bind(Source::Param("PersonId"), Location::Query("PersonId")),
        bind(Source::Param("PageSize"), Location::Query("PageSize")),
        bind(Source::SessionKey, Location::Query("Token")),
    ],
);

fn aktion(method: &'static Method, encoding: Encoding, key: Option<&'static str>) -> Call<'static> {
    Call {
        protocol: &AKTION,
        method,
        encoding,
        base_url: "https://cloud.aktion.cz/api/",
        variables: &[],
        key,
    }
}

#[test]
fn aktion_login_is_the_documented_json_and_xml() {
    let params = json!({"UserLogin": "John.Doo", "ApiKey": "hDn/LFXIPESM036W+s7VKg=="});
    let sent = aktion(&AKTION_LOGIN, Encoding::Json, None)
        .send(params.clone())
        .unwrap();
    assert_eq!(sent.url, "https://cloud.aktion.cz/api/login");
    assert_eq!(sent.content_type, Some("application/json"));
    // protocols.md §2, the help page's sample.
    assert_eq!(
        sent.body,
        r#"{"Result":null,"UserLogin":"John.Doo","ApiKey":"hDn/LFXIPESM036W+s7VKg=="}"#
    );
    let sent = aktion(&AKTION_LOGIN, Encoding::Xml, None)
        .send(params)
        .unwrap();
    assert_eq!(sent.content_type, Some("application/xml"));
    assert_eq!(
        sent.body,
        "<Request><UserLogin>John.Doo</UserLogin><ApiKey>hDn/LFXIPESM036W+s7VKg==</ApiKey></Request>"
    );
}

#[test]
fn aktion_token_goes_into_the_query_of_a_get_without_body() {
    let token = "a45a039c-eb31-46f1-9ece-88aa5ccfe22c";
    for encoding in [Encoding::Json, Encoding::Xml] {
        let sent = aktion(&PASSES, encoding, Some(token))
            .send(json!({"PersonId": 7}))
            .unwrap();
        assert_eq!(sent.method, reqwest::Method::GET);
        assert_eq!(
            sent.url,
            format!(
                "https://cloud.aktion.cz/api/attendance/getPassByPerson?PersonId=7&Token={token}"
            )
        );
        assert_eq!(sent.content_type, None);
        assert!(sent.body.is_empty());
    }
    // After any query the base URL has.
    let call = Call {
        base_url: "http://h/api?x=1",
        ..aktion(&PASSES, Encoding::Json, Some("a b"))
    };
    let sent = call.send(json!({})).unwrap();
    assert_eq!(
        sent.url,
        "http://h/api/attendance/getPassByPerson?x=1&Token=a+b"
    );
}

// ------------------------------------------------------------------ Aukro

static AUKRO: Protocol = protocol(
    &[Encoding::Soap11],
    &["userHashPassword", "webapiKey", "sessionHandle"],
);

static DO_LOGIN_ENC: Method = Method {
    payload: "/doLoginEncResponse",
    ..method(
        "doLoginEnc",
        Verb::Post,
        "",
        &[
            bind(
                Source::Constant(Constant::Str("#doLoginEnc")),
                Location::Header {
                    name: "SOAPAction",
                    template: "\"{value}\"",
                },
            ),
            param("userLogin", "/DoLoginEncRequest/userLogin"),
            param("userHashPassword", "/DoLoginEncRequest/userHashPassword"),
            param("countryCode", "/DoLoginEncRequest/countryCode"),
            param("webapiKey", "/DoLoginEncRequest/webapiKey"),
            param("localVersion", "/DoLoginEncRequest/localVersion"),
        ],
    )
};

static DO_MY_BILLING: Method = method(
    "doMyBilling",
    Verb::Post,
    "",
    &[
        bind(
            Source::Constant(Constant::Str("#doMyBilling")),
            Location::Header {
                name: "SOAPAction",
                template: "\"{value}\"",
            },
        ),
        bind(
            Source::SessionKey,
            Location::Body("/DoMyBillingRequest/sessionHandle"),
        ),
    ],
);

const SOAP_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="https://webapi.allegro.pl/service.php"><soapenv:Body>"#;
const SOAP_TAIL: &str = "</soapenv:Body></soapenv:Envelope>";

fn aukro(method: &'static Method, key: Option<&'static str>) -> Call<'static> {
    Call {
        protocol: &AUKRO,
        method,
        encoding: Encoding::Soap11,
        base_url: "https://webapi.aukro.cz/service.php",
        variables: &[],
        key,
    }
}

#[test]
fn aukro_do_login_enc_is_the_documented_envelope() {
    let sent = aukro(&DO_LOGIN_ENC, None)
        .send(json!({
            "userLogin": "jan.novak",
            "userHashPassword": "XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=",
            "countryCode": 56,
            "webapiKey": "abcd1234",
            "localVersion": 1480350339_i64,
        }))
        .unwrap();
    assert_eq!(sent.method, reqwest::Method::POST);
    assert_eq!(sent.content_type, Some("text/xml; charset=utf-8"));
    assert_eq!(sent.headers, headers(&[("SOAPAction", "\"#doLoginEnc\"")]));
    // protocols.md §1 (whitespace between elements aside).
    assert_eq!(
        sent.body,
        format!(
            "{SOAP_HEAD}<ns:DoLoginEncRequest><ns:userLogin>jan.novak</ns:userLogin><ns:userHashPassword>XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=</ns:userHashPassword><ns:countryCode>56</ns:countryCode><ns:webapiKey>abcd1234</ns:webapiKey><ns:localVersion>1480350339</ns:localVersion></ns:DoLoginEncRequest>{SOAP_TAIL}"
        )
    );
}

#[test]
fn aukro_session_calls_carry_the_handle_in_the_request_element() {
    let sent = aukro(&DO_MY_BILLING, Some("22eb99<&>"))
        .send(json!({}))
        .unwrap();
    assert_eq!(sent.headers, headers(&[("SOAPAction", "\"#doMyBilling\"")]));
    assert_eq!(
        sent.body,
        format!("{SOAP_HEAD}<ns:DoMyBillingRequest><ns:sessionHandle>22eb99&lt;&amp;&gt;</ns:sessionHandle></ns:DoMyBillingRequest>{SOAP_TAIL}")
    );
}
