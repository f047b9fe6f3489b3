//! Request bytes from hand-written binding tables: the four seed shapes
//! against the vendor documentation (`protocols.md`), and the shapes of the
//! v2 corpus (JSON-RPC, Bearer, cookie, Basic, path templates).

use super::*;
use crate::protocol::{Binding, Constant, Location, PayloadKind, Source, Verb};
use serde_json::json;

const fn bind(source: Source, location: Location) -> Binding {
    Binding { source, location }
}

const fn param(name: &'static str, pointer: &'static str) -> Binding {
    bind(Source::Param(name), Location::Body(pointer))
}

const fn method(
    name: &'static str,
    verb: Verb,
    path: &'static str,
    bindings: &'static [Binding],
) -> Method {
    Method {
        name,
        verb,
        path,
        bindings,
        json_strings: &[],
        payload: "",
        payload_kind: PayloadKind::Document,
        header_fields: &[],
        error_rules: &[],
        error_statuses: &[],
    }
}

const fn protocol(
    encodings: &'static [Encoding],
    secret_fields: &'static [&'static str],
) -> Protocol {
    Protocol {
        provider: "test",
        base_url: "",
        encodings,
        xml_root: "Request",
        soap_namespace: "https://webapi.allegro.pl/service.php",
        secret_fields,
    }
}

#[derive(serde::Serialize)]
#[serde(transparent)]
struct Params(Value);

impl Request for Params {
    fn validate(&mut self) -> Result<(), Invalid> {
        Ok(())
    }
}

struct Call<'a> {
    protocol: &'a Protocol,
    method: &'a Method,
    encoding: Encoding,
    base_url: &'a str,
    variables: &'a [(&'static str, String)],
    key: Option<&'a str>,
}

impl Call<'_> {
    fn send(&self, params: Value) -> Result<EncodedRequest, Invalid> {
        encode_example(
            self.protocol,
            self.method,
            self.encoding,
            self.base_url,
            self.variables,
            self.key,
            Params(params),
        )
    }

    fn secrets(&self, params: Value) -> Vec<String> {
        let Value::Object(params) = params else {
            return Vec::new();
        };
        let values = Values {
            params: &params,
            variables: self.variables,
            session_key: self.key,
        };
        let out = encode(
            self.protocol,
            self.method,
            self.encoding,
            self.base_url,
            &values,
        );
        out.map(|o| o.secrets.iter().map(|s| s.expose().to_string()).collect())
            .unwrap_or_default()
    }
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

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

// -------------------------------------------------------- the v2 corpus

static JSON_API: Protocol = protocol(&[Encoding::Json], &["password"]);

/// JSON-RPC 2.0 with positional parameters.
static JSON_RPC: Method = method(
    "auth.login",
    Verb::Post,
    "json",
    &[
        bind(
            Source::Constant(Constant::Str("2.0")),
            Location::Body("/jsonrpc"),
        ),
        bind(Source::MethodName, Location::Body("/method")),
        param("user", "/params/0"),
        param("domain", "/params/1"),
        param("password", "/params/2"),
        bind(Source::Constant(Constant::Int(1)), Location::Body("/id")),
    ],
);

/// Every parameter elsewhere, and `"params": []` kept by a constant.
static JSON_RPC_NO_PARAMS: Method = method(
    "web.connected",
    Verb::Post,
    "json",
    &[
        bind(Source::MethodName, Location::Body("/method")),
        bind(
            Source::Constant(Constant::EmptyArray),
            Location::Body("/params"),
        ),
        bind(Source::Constant(Constant::Int(2)), Location::Body("/id")),
    ],
);

fn json_api(method: &'static Method, key: Option<&'static str>) -> Call<'static> {
    Call {
        protocol: &JSON_API,
        method,
        encoding: Encoding::Json,
        base_url: "http://127.0.0.1:8112/",
        variables: &[],
        key,
    }
}

#[test]
fn json_rpc_positional_params_keep_an_unset_one_as_null() {
    let sent = json_api(&JSON_RPC, None)
        .send(json!({"user": "alice", "password": "pw"}))
        .unwrap();
    assert_eq!(sent.url, "http://127.0.0.1:8112/json");
    assert_eq!(
        sent.body,
        r#"{"jsonrpc":"2.0","method":"auth.login","params":["alice",null,"pw"],"id":1}"#
    );
    let sent = json_api(&JSON_RPC_NO_PARAMS, None).send(json!({})).unwrap();
    assert_eq!(
        sent.body,
        r#"{"method":"web.connected","params":[],"id":2}"#
    );
}

static BEARER: Method = method(
    "whoami",
    Verb::Get,
    "_matrix/client/v3/account/whoami",
    &[bind(
        Source::SessionKey,
        Location::Header {
            name: "Authorization",
            template: "Bearer {value}",
        },
    )],
);

#[test]
fn a_bearer_header_carries_the_key_and_refuses_line_breaks() {
    let sent = json_api(&BEARER, Some("syt_abc")).send(json!({})).unwrap();
    assert_eq!(
        sent.headers,
        headers(&[("Authorization", "Bearer syt_abc")])
    );
    assert_eq!(sent.method, reqwest::Method::GET);
    assert_eq!(sent.content_type, None);
    for bad in ["a\r\nX-Evil: 1", "a\nb", "a\0b"] {
        let err = json_api(&BEARER, Some(bad)).send(json!({})).err().unwrap();
        assert_eq!(err.field, "Authorization");
        assert!(!err.reason.contains(bad), "{}", err.reason);
    }
}

static COOKIE: Method = method(
    "torrents/info",
    Verb::Get,
    "api/v2/torrents/info",
    &[
        bind(Source::SessionKey, Location::Cookie("SID")),
        bind(Source::Param("filter"), Location::Query("filter")),
        bind(
            Source::Constant(Constant::Str("en")),
            Location::Cookie("lang"),
        ),
    ],
);

#[test]
fn cookies_are_joined_into_one_header() {
    let sent = json_api(&COOKIE, Some("k51"))
        .send(json!({"filter": "all"}))
        .unwrap();
    assert_eq!(sent.headers, headers(&[("Cookie", "SID=k51; lang=en")]));
    assert_eq!(
        sent.url,
        "http://127.0.0.1:8112/api/v2/torrents/info?filter=all"
    );
    let err = json_api(&COOKIE, Some("k; admin=1"))
        .send(json!({}))
        .err()
        .unwrap();
    assert_eq!(err.field, "SID");
}

static BASIC: Method = method(
    "session-get",
    Verb::Post,
    "transmission/rpc",
    &[
        bind(Source::Param("user"), Location::BasicUser),
        bind(Source::Param("password"), Location::BasicPassword),
        bind(Source::MethodName, Location::Body("/method")),
    ],
);

#[test]
fn basic_credentials_make_one_authorization_header() {
    let call = json_api(&BASIC, None);
    // RFC 7617 §2's example.
    let params = json!({"user": "Aladdin", "password": "open sesame"});
    let sent = call.send(params.clone()).unwrap();
    assert_eq!(
        sent.headers,
        headers(&[("Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")])
    );
    assert_eq!(sent.body, r#"{"method":"session-get"}"#);
    // The password, and the pair whose base64 is on the wire.
    assert_eq!(call.secrets(params), ["open sesame", "Aladdin:open sesame"]);
    let err = call
        .send(json!({"user": "a:b", "password": "x"}))
        .err()
        .unwrap();
    assert_eq!(err.field, "basic");
}

static ADD_USER: Method = method(
    "adduser",
    Verb::Put,
    "-/user/org.couchdb.user:{username}",
    &[
        bind(Source::Param("username"), Location::Path("username")),
        param("username", "/name"),
        param("password", "/password"),
    ],
);

#[test]
fn a_path_parameter_is_one_percent_encoded_segment() {
    let sent = json_api(&ADD_USER, None)
        .send(json!({"username": "a b/c?d#e%f", "password": "pw"}))
        .unwrap();
    assert_eq!(sent.method, reqwest::Method::PUT);
    assert_eq!(
        sent.url,
        "http://127.0.0.1:8112/-/user/org.couchdb.user:a%20b%2Fc%3Fd%23e%25f"
    );
    assert_eq!(sent.body, r#"{"name":"a b/c?d#e%f","password":"pw"}"#);
    for bad in ["..", ".", ""] {
        let err = json_api(&ADD_USER, None)
            .send(json!({"username": bad, "password": "pw"}))
            .err()
            .unwrap();
        assert_eq!(err.field, "username");
    }
    let err = json_api(&ADD_USER, None)
        .send(json!({"password": "pw"}))
        .err()
        .unwrap();
    assert_eq!(err.field, "path");
}

static DELETE: Method = method(
    "logout",
    Verb::Delete,
    "auth/token",
    &[bind(
        Source::SessionKey,
        Location::Header {
            name: "Authorization",
            template: "Bearer {value}",
        },
    )],
);

#[test]
fn a_body_only_for_writing_verbs_or_a_document() {
    let sent = json_api(&DELETE, Some("t")).send(json!({})).unwrap();
    assert_eq!(sent.method, reqwest::Method::DELETE);
    assert_eq!((sent.content_type, sent.body.as_str()), (None, ""));
    // A POST writes its (empty) document.
    let sent = json_api(&JSON_RPC_NO_PARAMS, None).send(json!({})).unwrap();
    assert_eq!(sent.content_type, Some("application/json"));
    // Body values with an encoding without a body are refused.
    let call = Call {
        encoding: Encoding::None,
        ..json_api(&JSON_RPC_NO_PARAMS, None)
    };
    assert_eq!(call.send(json!({})).err().unwrap().field, "request");
}

#[test]
fn variables_are_sent_where_bound_and_secret_ones_collected() {
    static P: Protocol = protocol(&[Encoding::Json], &["apiKey"]);
    static M: Method = method(
        "ping",
        Verb::Get,
        "",
        &[
            bind(
                Source::Variable("apiKey"),
                Location::Header {
                    name: "X-Api-Key",
                    template: "{value}",
                },
            ),
            bind(Source::Variable("format"), Location::Query("f")),
        ],
    );
    let variables = [
        ("apiKey", "k-1".to_string()),
        ("format", "json".to_string()),
    ];
    let call = Call {
        protocol: &P,
        method: &M,
        encoding: Encoding::Json,
        base_url: "http://h/",
        variables: &variables,
        key: None,
    };
    let sent = call.send(json!({})).unwrap();
    assert_eq!(sent.headers, headers(&[("X-Api-Key", "k-1")]));
    assert_eq!(sent.url, "http://h/?f=json");
    assert_eq!(call.secrets(json!({})), ["k-1"]);
}
