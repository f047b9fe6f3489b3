use super::*;
use crate::error::ErrorCode;
use crate::example::decode_example_with_headers;
use crate::protocol::{Binding, Location, PayloadKind, Source, Verb};
use crate::redirect::Redirects;
use serde_json::Value;

static QUERY_PROTOCOL: Protocol = Protocol {
    provider: "test",
    base_url: "",
    encodings: &[Encoding::Json],
    xml_root: "Request",
    soap_namespace: "",
    secret_fields: &[],
    handshake: None,
    request_id_check: None,
};

static PASSES: Method = Method {
    name: "attendance/getPassByPerson",
    verb: Verb::Get,
    path: "attendance/getPassByPerson",
    bindings: &[Binding {
        source: Source::SessionKey,
        location: Location::Query("Token"),
    }],
    json_strings: &[],
    payload: "",
    payload_kind: PayloadKind::Document,
    header_fields: &[],
    error_rules: &[],
    error_statuses: &[],
    encoding: None,
};

#[derive(serde::Serialize)]
struct Empty {}

impl Request for Empty {
    fn validate(&mut self) -> Result<(), Invalid> {
        Ok(())
    }
}

#[derive(Debug)]
struct NoCodes;

impl std::fmt::Display for NoCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("none")
    }
}

impl ApiErrorKind for NoCodes {
    fn from_code(_: ErrorCode, _: Option<String>) -> Self {
        NoCodes
    }
    fn code(&self) -> ErrorCode {
        ErrorCode::Int(0)
    }
    fn class(&self) -> crate::error::ErrorClass {
        crate::error::ErrorClass::Other
    }
}

#[tokio::test]
async fn secrets_a_token_in_the_query_string_stays_out_of_transport_errors() {
    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port");
    let options = ClientOptions::default().base_url(format!("http://127.0.0.1:{port}/api/"));
    let transport = Transport::new(&QUERY_PROTOCOL, options, []).expect("transport");
    let token = Secret::new("a45a039c-eb31-46f1-9ece-88aa5ccfe22c");
    let result: Result<serde_json::Value, Error<NoCodes>> =
        transport.call_in_session(&PASSES, &token, Empty {}).await;
    let error = result.expect_err("nothing listens there");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    for text in [format!("{error}"), format!("{error:?}")] {
        assert!(!text.contains(token.expose()), "the token leaks: {text}");
        assert!(!text.contains("Token="), "the query leaks: {text}");
    }
}

/// A loopback server on a thread: each connection gets the next canned
/// answer (`Connection: close`), and the raw request it read is handed back.
struct Loopback {
    base: String,
    requests: std::sync::mpsc::Receiver<String>,
}

impl Loopback {
    fn start(answers: Vec<String>) -> Loopback {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}/", listener.local_addr().expect("address"));
        let (tx, requests) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for answer in answers {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let mut raw = Vec::new();
                let mut buf = [0u8; 4096];
                // Headers, then as many body bytes as Content-Length says.
                while let Ok(n) = stream.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    raw.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&raw).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (name, value) = l.split_once(':')?;
                                name.eq_ignore_ascii_case("content-length")
                                    .then(|| value.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if raw.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let _ = tx.send(String::from_utf8_lossy(&raw).to_string());
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        Loopback { base, requests }
    }

    fn next(&self) -> String {
        self.requests
            .recv_timeout(Duration::from_secs(10))
            .expect("a request")
    }
}

fn answer(status: &str, headers: &[&str], body: &str) -> String {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for header in headers {
        out.push_str(header);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(body);
    out
}

/// A header line of a raw request, name matched without case.
fn header_line<'a>(request: &'a str, name: &str) -> Vec<&'a str> {
    request
        .lines()
        .filter_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
        .collect()
}

static JSON_PROTOCOL: Protocol = Protocol {
    provider: "test",
    base_url: "",
    encodings: &[Encoding::Json],
    xml_root: "Request",
    soap_namespace: "",
    secret_fields: &["password"],
    handshake: None,
    request_id_check: None,
};

const RULE: crate::protocol::ErrorRule = crate::protocol::ErrorRule {
    when: crate::protocol::When {
        status: &[],
        present: None,
        absent: None,
        equals: None,
        text: None,
        header: None,
    },
    code: crate::protocol::CodeSource::At("/code"),
    code_optional: true,
    numeric: true,
    success_int: &[],
    success_text: &[],
    message: &["/message"],
    retry_after: Some(("/retry_after_ms", true)),
};

/// A Bearer key, a cookie and a constant header, and the session id read
/// back from a header.
static WHOAMI: Method = Method {
    name: "whoami",
    verb: Verb::Post,
    path: "account/{user}",
    bindings: &[
        Binding {
            source: Source::Param("user"),
            location: Location::Path("user"),
        },
        Binding {
            source: Source::Constant(crate::protocol::Constant::Str("3")),
            location: Location::Header {
                name: "X-Api-Version",
                template: "{value}",
            },
        },
        Binding {
            source: Source::SessionKey,
            location: Location::Header {
                name: "Authorization",
                template: "Bearer {value}",
            },
        },
        Binding {
            source: Source::SessionKey,
            location: Location::Cookie("SID"),
        },
        Binding {
            source: Source::Param("password"),
            location: Location::Body("/password"),
        },
    ],
    json_strings: &[],
    payload: "",
    payload_kind: PayloadKind::Document,
    header_fields: &[("session", crate::protocol::HeaderSource::Cookie("SID"))],
    error_rules: &[RULE],
    error_statuses: &[],
    encoding: None,
};

#[derive(serde::Serialize)]
struct Who {
    user: &'static str,
    password: &'static str,
}

impl Request for Who {
    fn validate(&mut self) -> Result<(), Invalid> {
        Ok(())
    }
}

fn transport(server: &Loopback, redirects: Redirects) -> Transport {
    let options = ClientOptions::default()
        .base_url(server.base.clone())
        .redirects(redirects);
    Transport::new(&JSON_PROTOCOL, options, []).expect("transport")
}

const WHO: Who = Who {
    user: "a b",
    password: "hunter22",
};

#[tokio::test]
async fn binding_headers_reach_the_wire_and_header_fields_come_back() {
    let server = Loopback::start(vec![answer(
        "200 OK",
        &[
            "Set-Cookie: SID=old; Path=/",
            "Set-Cookie: SID=new; HttpOnly",
        ],
        r#"{"user_id":"@a:h"}"#,
    )]);
    let key = Secret::new("k-42");
    let answer: Value = transport(&server, Redirects::Refuse)
        .call_in_session::<_, _, NoCodes>(&WHOAMI, &key, WHO)
        .await
        .expect("a success");
    assert_eq!(
        answer,
        serde_json::json!({"user_id": "@a:h", "session": "new"})
    );
    let sent = server.next();
    assert!(
        sent.starts_with("POST /account/a%20b HTTP/1.1\r\n"),
        "{sent}"
    );
    assert_eq!(header_line(&sent, "x-api-version"), ["3"]);
    assert_eq!(header_line(&sent, "authorization"), ["Bearer k-42"]);
    assert_eq!(header_line(&sent, "cookie"), ["SID=k-42"]);
    assert_eq!(header_line(&sent, "content-type"), ["application/json"]);
    assert!(sent.ends_with(r#"{"password":"hunter22"}"#), "{sent}");
}

#[tokio::test]
async fn a_same_origin_303_continues_as_a_get_with_the_binding_headers() {
    let server = Loopback::start(vec![
        answer("303 See Other", &["Location: /elsewhere"], ""),
        answer("200 OK", &[], r#"{"ok":true}"#),
    ]);
    let key = Secret::new("k-43");
    let _: Value = transport(&server, Redirects::SameOrigin { max_hops: 2 })
        .call_in_session::<_, _, NoCodes>(&WHOAMI, &key, WHO)
        .await
        .expect("a success after the redirect");
    let _first = server.next();
    let second = server.next();
    assert!(
        second.starts_with("GET /elsewhere HTTP/1.1\r\n"),
        "{second}"
    );
    assert!(header_line(&second, "content-type").is_empty(), "{second}");
    assert!(!second.contains("hunter22"), "{second}");
    // The same server already had them: the key still authorises the GET.
    assert_eq!(header_line(&second, "authorization"), ["Bearer k-43"]);
    assert_eq!(header_line(&second, "cookie"), ["SID=k-43"]);
}

#[tokio::test]
async fn a_cross_origin_redirect_sends_nothing_there() {
    let server = Loopback::start(vec![answer(
        "307 Temporary Redirect",
        &["Location: http://127.0.0.2:9/steal"],
        "",
    )]);
    let key = Secret::new("k-44");
    let error = transport(&server, Redirects::SameOrigin { max_hops: 2 })
        .call_in_session::<Value, Value, NoCodes>(&WHOAMI, &key, serde_json::json!({"user": "u"}))
        .await
        .expect_err("refused");
    assert!(
        matches!(error, Error::Redirect { status: 307, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn secrets_sent_in_headers_are_blanked_from_echoed_errors() {
    let echo = r#"{"code":7,"message":"no user with key k-45 (Bearer k-45, password hunter22)","retry_after_ms":2500}"#;
    let server = Loopback::start(vec![
        answer("429 Too Many Requests", &[], echo),
        answer("429 Too Many Requests", &["Retry-After: 9"], echo),
    ]);
    let transport = transport(&server, Redirects::Refuse);
    let key = Secret::new("k-45");
    for expected_delay in [3, 9] {
        let error = transport
            .call_in_session::<_, Value, NoCodes>(&WHOAMI, &key, WHO)
            .await
            .expect_err("an API error");
        let Error::Api { error: api, .. } = &error else {
            panic!("{error:?}");
        };
        // The body's delay in ms, rounded up; `Retry-After` wins over it.
        assert_eq!(api.retry_after_secs, Some(expected_delay));
        let message = api.message.clone().unwrap_or_default();
        for text in [message, format!("{error}"), format!("{error:?}")] {
            assert!(
                !text.contains("k-45") && !text.contains("hunter22"),
                "{text}"
            );
        }
    }
}

#[tokio::test]
async fn a_session_bound_method_without_a_key_is_refused_before_sending() {
    let server = Loopback::start(vec![]);
    let error = transport(&server, Redirects::Refuse)
        .call::<_, Value, NoCodes>(&WHOAMI, WHO)
        .await
        .expect_err("refused");
    assert!(
        matches!(
            error,
            Error::Invalid {
                field: "session",
                ..
            }
        ),
        "{error:?}"
    );
}

impl Request for Value {
    fn validate(&mut self) -> Result<(), Invalid> {
        Ok(())
    }
}

#[test]
fn decode_example_with_headers_reads_fields_and_the_retry_delay() {
    let answer: Value = decode_example_with_headers::<_, NoCodes>(
        &JSON_PROTOCOL,
        &WHOAMI,
        Encoding::Json,
        200,
        &[("Set-Cookie", "SID=s-1; Path=/"), ("bad name", "x")],
        r#"{"user_id":"u"}"#,
    )
    .expect("a success");
    assert_eq!(
        answer,
        serde_json::json!({"user_id": "u", "session": "s-1"})
    );
    let error = decode_example_with_headers::<Value, NoCodes>(
        &JSON_PROTOCOL,
        &WHOAMI,
        Encoding::Json,
        429,
        &[("Retry-After", "7")],
        r#"{"code":1,"retry_after_ms":1000}"#,
    )
    .expect_err("an API error");
    let Error::Api { error, .. } = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.retry_after_secs, Some(7));
}

/// HTTP Basic on a login: the password half is secret.
static BASIC_LOGIN: Method = Method {
    name: "login",
    verb: Verb::Get,
    path: "login",
    bindings: &[
        Binding {
            source: Source::Param("user"),
            location: Location::BasicUser,
        },
        Binding {
            source: Source::Param("password"),
            location: Location::BasicPassword,
        },
    ],
    ..WHOAMI
};

#[tokio::test]
async fn an_echoed_basic_header_is_blanked_from_errors() {
    // RFC 7617 §2: Aladdin / open sesame.
    let echo =
        r#"{"code":401,"message":"rejected Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="}"#;
    let server = Loopback::start(vec![answer("401 Unauthorized", &[], echo)]);
    let request = serde_json::json!({"user": "Aladdin", "password": "open sesame"});
    let error = transport(&server, Redirects::Refuse)
        .call::<_, Value, NoCodes>(&BASIC_LOGIN, request)
        .await
        .expect_err("an API error");
    let sent = server.next();
    assert!(sent.starts_with("GET /login HTTP/1.1\r\n"), "{sent}");
    assert_eq!(
        header_line(&sent, "authorization"),
        ["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="]
    );
    assert!(header_line(&sent, "content-type").is_empty(), "{sent}");
    for text in [format!("{error}"), format!("{error:?}")] {
        assert!(!text.contains("QWxhZGRpbjpvcGVuIHNlc2FtZQ"), "{text}");
        assert!(!text.contains("open sesame"), "{text}");
    }
}

/// JSON-RPC over a media type of its own: the binding's `Content-Type` and
/// `Accept` replace the encoding's, once each.
static OWN_MEDIA_TYPE: Method = Method {
    name: "login",
    verb: Verb::Post,
    path: "rpc",
    bindings: &[
        Binding {
            source: Source::Constant(crate::protocol::Constant::Str("application/json-rpc")),
            location: Location::Header {
                name: "Content-Type",
                template: "{value}",
            },
        },
        Binding {
            source: Source::Constant(crate::protocol::Constant::Str("application/json-rpc")),
            location: Location::Header {
                name: "Accept",
                template: "{value}",
            },
        },
        Binding {
            source: Source::MethodName,
            location: Location::Body("/method"),
        },
    ],
    ..WHOAMI
};

#[tokio::test]
async fn binding_content_type_and_accept_replace_the_encodings() {
    let server = Loopback::start(vec![
        answer("303 See Other", &["Location: /next"], ""),
        answer("200 OK", &[], "{}"),
    ]);
    let _: Value = transport(&server, Redirects::SameOrigin { max_hops: 1 })
        .call::<_, _, NoCodes>(&OWN_MEDIA_TYPE, serde_json::json!({}))
        .await
        .expect("a success");
    let first = server.next();
    assert_eq!(
        header_line(&first, "content-type"),
        ["application/json-rpc"]
    );
    assert_eq!(header_line(&first, "accept"), ["application/json-rpc"]);
    assert!(first.ends_with(r#"{"method":"login"}"#), "{first}");
    // The GET after a 303 has no body, so no Content-Type either.
    let second = server.next();
    assert!(second.starts_with("GET /next "), "{second}");
    assert!(header_line(&second, "content-type").is_empty(), "{second}");
    assert_eq!(header_line(&second, "accept"), ["application/json-rpc"]);
}

mod credentials;
