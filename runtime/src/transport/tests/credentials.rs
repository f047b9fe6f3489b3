//! Client credentials (secret variables at any location), the session-id
//! handshake and request ids, on the wire of a loopback server.

use super::*;
use crate::protocol::{Constant, Handshake};
use serde_json::Value;

static HANDSHAKE_PROTOCOL: Protocol = Protocol {
    provider: "test",
    base_url: "",
    encodings: &[Encoding::Json],
    xml_root: "",
    soap_namespace: "",
    secret_fields: &["password", "api_key"],
    handshake: Some(Handshake {
        status: 409,
        header: "X-Transmission-Session-Id",
    }),
    request_id_check: Some("/id"),
};

/// Transmission's envelope with Basic credentials and an API key from the
/// client's variables, and a JSON-RPC id.
static SESSION_GET: Method = Method {
    name: "session-get",
    verb: Verb::Post,
    path: "",
    bindings: &[
        Binding {
            source: Source::MethodName,
            location: Location::Body("/method"),
        },
        Binding {
            source: Source::Variable("user"),
            location: Location::BasicUser,
        },
        Binding {
            source: Source::Variable("password"),
            location: Location::BasicPassword,
        },
        Binding {
            source: Source::Variable("api_key"),
            location: Location::Header {
                name: "X-Api-Key",
                template: "Key {value}",
            },
        },
        Binding {
            source: Source::Variable("api_key"),
            location: Location::Query("key"),
        },
        Binding {
            source: Source::RequestId,
            location: Location::Body("/id"),
        },
        Binding {
            source: Source::Constant(Constant::EmptyObject),
            location: Location::Body("/arguments"),
        },
    ],
    json_strings: &[],
    payload: "/arguments",
    payload_kind: PayloadKind::Document,
    header_fields: &[],
    error_rules: &[],
    error_statuses: &[],
    encoding: None,
};

fn client(server: &Loopback) -> Transport {
    let options = ClientOptions::default().base_url(server.base.clone());
    let variables = [
        Variable::plain("user", "alice"),
        Variable::secret("password", "hunter22"),
        Variable::secret("api_key", "k&y/9"),
    ];
    Transport::new(&HANDSHAKE_PROTOCOL, options, variables).expect("transport")
}

const CONFLICT: &str = "<h1>409: Conflict</h1>";

async fn call(transport: &Transport) -> Result<Value, Error<NoCodes>> {
    transport.call(&SESSION_GET, Empty {}).await
}

#[tokio::test]
async fn credentials_and_the_id_go_on_every_call_exactly() {
    let server = Loopback::start(vec![answer(
        "200 OK",
        &[],
        r#"{"arguments":{"v":1},"id":1}"#,
    )]);
    let transport = client(&server);
    let got = call(&transport).await.expect("a success");
    assert_eq!(got, serde_json::json!({"v": 1}));
    let sent = server.next();
    assert!(
        sent.starts_with("POST /?key=k%26y%2F9 HTTP/1.1\r\n"),
        "{sent}"
    );
    // base64("alice:hunter22")
    assert_eq!(
        header_line(&sent, "authorization"),
        ["Basic YWxpY2U6aHVudGVyMjI="]
    );
    assert_eq!(header_line(&sent, "x-api-key"), ["Key k&y/9"]);
    assert!(header_line(&sent, "x-transmission-session-id").is_empty());
    assert!(
        sent.ends_with(r#"{"method":"session-get","id":1,"arguments":{}}"#),
        "{sent}"
    );
    let shown = format!("{transport:?}");
    assert!(
        !shown.contains("hunter22") && !shown.contains("k&y/9"),
        "{shown}"
    );
    assert!(shown.contains("alice"), "{shown}");
}

#[tokio::test]
async fn a_409_with_a_new_id_repeats_the_call_once_and_the_id_is_kept() {
    let server = Loopback::start(vec![
        answer(
            "409 Conflict",
            &["X-Transmission-Session-Id: abc"],
            CONFLICT,
        ),
        answer("200 OK", &[], r#"{"arguments":{},"id":1}"#),
        answer("200 OK", &[], r#"{"arguments":{},"id":2}"#),
    ]);
    let transport = client(&server);
    call(&transport).await.expect("a success after the repeat");
    let first = server.next();
    let second = server.next();
    assert!(header_line(&first, "x-transmission-session-id").is_empty());
    assert_eq!(header_line(&second, "x-transmission-session-id"), ["abc"]);
    // The same request again, id and all.
    let body = |r: &str| r.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    assert_eq!(body(&first), body(&second));
    assert!(second.ends_with(r#""id":1,"arguments":{}}"#), "{second}");
    // A clone shares the value: the next call sends it at once.
    call(&transport.clone()).await.expect("a success");
    let third = server.next();
    assert_eq!(header_line(&third, "x-transmission-session-id"), ["abc"]);
    assert!(third.ends_with(r#""id":2,"arguments":{}}"#), "{third}");
}

#[tokio::test]
async fn a_second_409_is_the_answer_never_a_third_request() {
    let server = Loopback::start(vec![
        answer(
            "409 Conflict",
            &["X-Transmission-Session-Id: one"],
            CONFLICT,
        ),
        answer(
            "409 Conflict",
            &["X-Transmission-Session-Id: two"],
            CONFLICT,
        ),
        answer("200 OK", &[], r#"{"arguments":{},"id":1}"#),
    ]);
    let transport = client(&server);
    let error = call(&transport).await.expect_err("refused twice");
    assert!(
        matches!(error, Error::Decode { status: 409, .. }),
        "{error:?}"
    );
    server.next();
    assert_eq!(
        header_line(&server.next(), "x-transmission-session-id"),
        ["one"]
    );
    assert!(
        server.requests.try_recv().is_err(),
        "a third request was sent"
    );
}

#[tokio::test]
async fn a_409_that_repeats_the_sent_value_is_not_repeated() {
    let server = Loopback::start(vec![
        answer(
            "200 OK",
            &["X-Transmission-Session-Id: same"],
            r#"{"arguments":{},"id":1}"#,
        ),
        answer(
            "409 Conflict",
            &["X-Transmission-Session-Id: same"],
            CONFLICT,
        ),
        answer("200 OK", &[], r#"{"arguments":{},"id":2}"#),
    ]);
    let transport = client(&server);
    call(&transport).await.expect("a success");
    let error = call(&transport).await.expect_err("the 409 is the answer");
    assert!(
        matches!(error, Error::Decode { status: 409, .. }),
        "{error:?}"
    );
    server.next();
    assert_eq!(
        header_line(&server.next(), "x-transmission-session-id"),
        ["same"]
    );
    assert!(server.requests.try_recv().is_err(), "the call was repeated");
}

#[tokio::test]
async fn an_answer_with_another_id_or_none_is_undecodable() {
    let server = Loopback::start(vec![
        answer("200 OK", &[], r#"{"arguments":{},"id":5}"#),
        answer("200 OK", &[], r#"{"arguments":{}}"#),
    ]);
    let transport = client(&server);
    let other = call(&transport)
        .await
        .expect_err("another request's answer");
    let Error::Decode { reason, .. } = &other else {
        panic!("{other:?}")
    };
    assert_eq!(
        reason,
        "the answer's request id at `/id` is 5, the request's id is 1"
    );
    let none = call(&transport).await.expect_err("no id");
    let Error::Decode { reason, .. } = &none else {
        panic!("{none:?}")
    };
    assert_eq!(
        reason,
        "the answer has no request id at `/id`; the request's id is 2"
    );
}

#[tokio::test]
async fn secret_variables_are_blanked_from_errors_in_every_wire_form() {
    // A server that echoes what it got: the password, the Basic pair in
    // base64, the key as sent in the query string and as JSON.
    // Not a document, so the error quotes the body.
    let echo = "echo: hunter22 YWxpY2U6aHVudGVyMjI= k%26y%2F9 k&amp;y/9 aHVudGVyMjI=";
    let server = Loopback::start(vec![answer("200 OK", &[], echo)]);
    let transport = client(&server);
    let error = call(&transport).await.expect_err("undecodable");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(format!("{error:?}").contains("echo: "), "{error:?}");
    for shown in [format!("{error}"), format!("{error:?}")] {
        for form in [
            "hunter22",
            "YWxpY2U6aHVudGVyMjI",
            "k%26y%2F9",
            "k&amp;y/9",
            "aHVudGVyMjI",
        ] {
            assert!(!shown.contains(form), "{form} in {shown}");
        }
    }
}

/// A test's hook (`ClientOptions::rewrite_requests`) changes the query, a
/// binding header and the body just before sending; the server gets the
/// changed bytes, and the options' `Debug` shows only that there is a hook.
#[tokio::test]
async fn a_rewrite_hook_changes_what_is_sent() {
    let server = Loopback::start(vec![answer("200 OK", &[], r#"{"arguments":{},"id":1}"#)]);
    let options = ClientOptions::default()
        .base_url(server.base.clone())
        .rewrite_requests(|request| {
            request.url = request.url.replace("key=", "kex=");
            for (name, value) in &mut request.headers {
                if name == "X-Api-Key" {
                    *value = value.replace("Key ", "Kex ");
                }
            }
            request.body = request.body.replace("\"method\"", "\"methox\"");
        });
    let shown = format!("{options:?}");
    assert!(shown.contains("Rewrite(..)"), "{shown}");
    let variables = [
        Variable::plain("user", "alice"),
        Variable::secret("password", "hunter22"),
        Variable::secret("api_key", "k&y/9"),
    ];
    let transport = Transport::new(&HANDSHAKE_PROTOCOL, options, variables).expect("transport");
    call(&transport).await.expect("a success");
    let sent = server.next();
    assert!(
        sent.starts_with("POST /?kex=k%26y%2F9 HTTP/1.1\r\n"),
        "{sent}"
    );
    assert_eq!(header_line(&sent, "x-api-key"), ["Kex k&y/9"]);
    assert!(
        sent.ends_with(r#"{"methox":"session-get","id":1,"arguments":{}}"#),
        "{sent}"
    );
}
