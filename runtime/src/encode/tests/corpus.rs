//! The request shapes of the v2 corpus: JSON-RPC, Bearer, cookies, Basic, path templates.

use super::*;

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
