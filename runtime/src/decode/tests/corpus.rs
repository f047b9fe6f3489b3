//! The error rules, payload kinds and header fields of the v2 corpus.

use super::*;

// ------------------------------------------------------- the v2 corpus

/// Matrix: `errcode`/`error` on statuses 400–599, `retry_after_ms`.
static MATRIX: Method = method(
    "",
    PayloadKind::Document,
    &[ErrorRule {
        when: When {
            status: &[(400, 499), (500, 599)],
            ..ALWAYS
        },
        code: CodeSource::At("/errcode"),
        code_optional: true,
        numeric: false,
        success_int: &[],
        success_text: &[],
        message: &["/errcode", "/error"],
        retry_after: Some(("/retry_after_ms", true)),
    }],
    &[],
);

#[test]
fn status_ranges_message_lists_and_a_retry_delay_in_ms() {
    let limited =
        r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":1500}"#;
    assert_eq!(
        api(read(&MATRIX, Encoding::Json, 429, limited)),
        (
            ErrorCode::Text("M_LIMIT_EXCEEDED".into()),
            Some("M_LIMIT_EXCEEDED: Too many requests".into()),
            Some(2)
        )
    );
    // Out of the rule's statuses: the same document is a payload.
    assert_eq!(
        payload(read(&MATRIX, Encoding::Json, 200, limited))["retry_after_ms"],
        json!(1500)
    );
    // In range without a code: the status, with the message parts found.
    assert_eq!(
        api(read(&MATRIX, Encoding::Json, 502, r#"{"error":"gateway"}"#)),
        (ErrorCode::HttpStatus(502), Some("gateway".into()), None)
    );
}

/// JSON-RPC 2.0: an `error` member means an error; the payload is `/result`.
static JSON_RPC: Method = method(
    "/result",
    PayloadKind::Document,
    &[ErrorRule {
        when: When {
            present: Some("/error"),
            ..ALWAYS
        },
        ..at("/error/code", &["/error/message", "/error/data"])
    }],
    &[],
);

#[test]
fn present_takes_the_code_from_the_member_and_a_scalar_payload() {
    let body = r#"{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params","data":"token expired"},"id":1}"#;
    assert_eq!(
        api(read(&JSON_RPC, Encoding::Json, 200, body)),
        (
            ErrorCode::Int(-32602),
            Some("Invalid params: token expired".into()),
            None
        )
    );
    let ok = r#"{"jsonrpc":"2.0","result":"abc","error":null,"id":1}"#;
    assert_eq!(
        payload(read(&JSON_RPC, Encoding::Json, 200, ok)),
        json!("abc")
    );
    // Two `error` members (or codes) could mean two answers: refused.
    for twice in [
        r#"{"result":"abc","error":null,"error":{"code":1}}"#,
        r#"{"error":{"code":1,"code":0}}"#,
        r#"{"result":"a","result":"b"}"#,
    ] {
        let reason = undecodable(read(&JSON_RPC, Encoding::Json, 200, twice));
        assert!(reason.contains("duplicate key"), "{twice}: {reason}");
    }
    let list = r#"{"result":[1,2],"id":1}"#;
    assert_eq!(
        payload(read(&JSON_RPC, Encoding::Json, 200, list)),
        json!([1, 2])
    );
}

/// Deluge: a `false` result is a wrong password; `error` objects too.
static DELUGE: Method = method(
    "/result",
    PayloadKind::Document,
    &[
        ErrorRule {
            when: When {
                present: Some("/error"),
                ..ALWAYS
            },
            ..at("/error/code", &["/error/message"])
        },
        fixed(
            When {
                equals: Some(("/result", Constant::Bool(false))),
                ..ALWAYS
            },
            CodeSource::Text("bad_credentials"),
        ),
    ],
    &[],
);

#[test]
fn equals_false_is_an_error_with_a_fixed_code() {
    let wrong = r#"{"result":false,"error":null,"id":1}"#;
    assert_eq!(
        api(read(&DELUGE, Encoding::Json, 200, wrong)),
        (ErrorCode::Text("bad_credentials".into()), None, None)
    );
    let right = r#"{"result":true,"error":null,"id":1}"#;
    assert_eq!(
        payload(read(&DELUGE, Encoding::Json, 200, right)),
        json!(true)
    );
    // The first rule that applies wins.
    let both = r#"{"result":false,"error":{"code":1,"message":"Not authenticated"},"id":1}"#;
    assert_eq!(
        api(read(&DELUGE, Encoding::Json, 200, both)),
        (ErrorCode::Int(1), Some("Not authenticated".into()), None)
    );
}

/// Verdaccio whoami: 200 `{}` when the token is not accepted.
static WHOAMI: Method = method(
    "",
    PayloadKind::Document,
    &[fixed(
        When {
            status: &[(200, 200)],
            absent: Some("/username"),
            ..ALWAYS
        },
        CodeSource::Text("not_logged_in"),
    )],
    &[],
);

#[test]
fn absent_makes_an_empty_answer_an_error() {
    assert_eq!(
        api(read(&WHOAMI, Encoding::Json, 200, "{}")).0,
        ErrorCode::Text("not_logged_in".into())
    );
    assert_eq!(
        api(read(&WHOAMI, Encoding::Json, 200, r#"{"username":null}"#)).0,
        ErrorCode::Text("not_logged_in".into())
    );
    assert_eq!(
        payload(read(
            &WHOAMI,
            Encoding::Json,
            200,
            r#"{"username":"alice"}"#
        )),
        json!({"username": "alice"})
    );
}

/// qBittorrent: `Ok.` / `Fails.` in plain text, the key in a cookie.
static QBIT_LOGIN: Method = Method {
    header_fields: &[("SID", HeaderSource::Cookie("SID"))],
    ..method(
        "",
        PayloadKind::Empty,
        &[fixed(
            When {
                text: Some("Fails."),
                ..ALWAYS
            },
            CodeSource::Int(1),
        )],
        &[403],
    )
};

#[test]
fn text_rules_and_a_key_from_set_cookie() {
    assert_eq!(
        api(read(&QBIT_LOGIN, Encoding::Form, 200, "Fails.\n")),
        (ErrorCode::Int(1), None, None)
    );
    let cookies = headers(&[
        ("set-cookie", "SID=old; HttpOnly; path=/"),
        ("set-cookie", "lang=en"),
        (
            "set-cookie",
            "SID=\"new\"; HttpOnly; SameSite=Strict; path=/",
        ),
    ]);
    assert_eq!(
        payload(read_with(&QBIT_LOGIN, Encoding::Form, 200, &cookies, "Ok.")),
        json!({"SID": "new"})
    );
    // No such cookie: the field is simply absent.
    assert_eq!(
        payload(read(&QBIT_LOGIN, Encoding::Form, 200, "Ok.")),
        json!({})
    );
    // The ban page is the documented status' error.
    assert_eq!(
        api(read(
            &QBIT_LOGIN,
            Encoding::Form,
            403,
            "Your IP address has been banned"
        ))
        .0,
        ErrorCode::HttpStatus(403)
    );
}

#[test]
fn text_and_empty_payloads() {
    static TEXT: Method = method("", PayloadKind::Text, &[], &[]);
    static EMPTY: Method = method("", PayloadKind::Empty, &[], &[]);
    assert_eq!(
        payload(read(&TEXT, Encoding::Form, 200, "Ok.")),
        json!("Ok.")
    );
    assert_eq!(payload(read(&TEXT, Encoding::Json, 200, "")), json!(""));
    assert_eq!(payload(read(&EMPTY, Encoding::Json, 204, "")), Value::Null);
    assert_eq!(
        payload(read(&EMPTY, Encoding::Json, 200, "<not json")),
        Value::Null
    );
    assert_eq!(
        api(read(&EMPTY, Encoding::Json, 401, "")).0,
        ErrorCode::HttpStatus(401)
    );
    // Rules still read a document, and a duplicate on their path is refused.
    static EMPTY_RULED: Method = method(
        "",
        PayloadKind::Empty,
        &[ErrorRule {
            when: When {
                present: Some("/error"),
                ..ALWAYS
            },
            ..at("/error/code", &[])
        }],
        &[],
    );
    let twice = r#"{"error":null,"error":{"code":5}}"#;
    assert!(undecodable(read(&EMPTY_RULED, Encoding::Json, 200, twice)).contains("duplicate key"));
    assert_eq!(
        api(read(
            &EMPTY_RULED,
            Encoding::Json,
            200,
            r#"{"error":{"code":5}}"#
        ))
        .0,
        ErrorCode::Int(5)
    );
    // Duplicates elsewhere, and bodies that are no document, are a success.
    assert_eq!(
        payload(read(&EMPTY_RULED, Encoding::Json, 200, r#"{"a":1,"a":2}"#)),
        Value::Null
    );
    assert_eq!(
        payload(read(&EMPTY_RULED, Encoding::Json, 200, "Ok.")),
        Value::Null
    );
    // A document payload needs a document.
    static DOC: Method = method("", PayloadKind::Document, &[], &[]);
    assert_eq!(
        undecodable(read(&DOC, Encoding::Json, 204, "")),
        "empty body"
    );
}

/// Transmission: the session id comes in a header; 401 is a status error.
static HEADER_FIELD: Method = Method {
    header_fields: &[
        (
            "sessionId",
            HeaderSource::Header("X-Transmission-Session-Id"),
        ),
        ("missing", HeaderSource::Header("X-Nothing")),
    ],
    ..method("/arguments", PayloadKind::Document, &[], &[])
};

#[test]
fn header_fields_are_strings_in_the_payload_object() {
    let answer = headers(&[
        ("x-transmission-session-id", "s1D"),
        ("x-transmission-session-id", "s2"),
    ]);
    assert_eq!(
        payload(read_with(
            &HEADER_FIELD,
            Encoding::Json,
            200,
            &answer,
            r#"{"arguments":{"version":"4.0"},"result":"success"}"#
        )),
        json!({"version": "4.0", "sessionId": "s1D"})
    );
    // A payload that is not an object cannot take fields.
    let reason = undecodable(read_with(
        &HEADER_FIELD,
        Encoding::Json,
        200,
        &answer,
        r#"{"arguments":3}"#,
    ));
    assert!(reason.contains("object payload"), "{reason}");
}

/// OAuth2 bearer errors: a status and a header, whatever the body.
static BEARER_ERRORS: Method = method(
    "",
    PayloadKind::Document,
    &[
        fixed(
            When {
                status: &[(401, 401)],
                header: Some("www-authenticate"),
                ..ALWAYS
            },
            CodeSource::Text("invalid_token"),
        ),
        fixed(
            When {
                status: &[(500, 599)],
                ..ALWAYS
            },
            CodeSource::Status,
        ),
    ],
    &[],
);

#[test]
fn header_conditions_and_status_codes_decide_without_a_document() {
    let challenge = headers(&[("www-authenticate", "Bearer error=\"invalid_token\"")]);
    assert_eq!(
        api(read_with(
            &BEARER_ERRORS,
            Encoding::Json,
            401,
            &challenge,
            ""
        ))
        .0,
        ErrorCode::Text("invalid_token".into())
    );
    assert_eq!(
        api(read_with(
            &BEARER_ERRORS,
            Encoding::Json,
            401,
            &challenge,
            "{}"
        ))
        .0,
        ErrorCode::Text("invalid_token".into())
    );
    assert_eq!(
        api(read(
            &BEARER_ERRORS,
            Encoding::Json,
            503,
            "<html>down</html>"
        ))
        .0,
        ErrorCode::HttpStatus(503)
    );
    // 401 without the header and without a document: undecodable, as before.
    let reason = undecodable(read(&BEARER_ERRORS, Encoding::Json, 401, "<html>"));
    assert!(reason.starts_with("expected a JSON document"), "{reason}");
}

#[test]
fn success_codes_stop_the_rules() {
    static RULES: Method = method(
        "",
        PayloadKind::Document,
        &[
            ErrorRule {
                code_optional: true,
                ..at("/code", &[])
            },
            fixed(ALWAYS, CodeSource::Int(99)),
        ],
        &[],
    );
    assert_eq!(
        payload(read(&RULES, Encoding::Json, 200, r#"{"code":0}"#)),
        json!({"code": 0})
    );
    // No code: the next rule applies.
    assert_eq!(
        api(read(&RULES, Encoding::Json, 200, "{}")).0,
        ErrorCode::Int(99)
    );
}

#[test]
fn retry_delays_in_seconds_and_odd_values() {
    static SECS: Method = method(
        "",
        PayloadKind::Document,
        &[ErrorRule {
            retry_after: Some(("/wait", false)),
            ..at("/code", &[])
        }],
        &[],
    );
    let delay = |body: &str| api(read(&SECS, Encoding::Json, 200, body)).2;
    assert_eq!(delay(r#"{"code":5,"wait":3}"#), Some(3));
    assert_eq!(delay(r#"{"code":5,"wait":"2.5"}"#), Some(3));
    assert_eq!(delay(r#"{"code":5,"wait":-1}"#), None);
    assert_eq!(
        delay(r#"{"code":5,"wait":1e300}"#),
        Some(crate::retry::LONGEST)
    );
    assert_eq!(delay(r#"{"code":5,"wait":[1]}"#), None);
}
