//! Property tests: no body makes a decoder panic. Arbitrary bytes, and text
//! assembled from the pieces real answers are made of (so the parsers get
//! past their first byte), go through every encoding, the XML and JSON
//! readers and the charset step.

use crate::decode::decode;
use crate::protocol::{
    CodeSource, Constant, Encoding, ErrorRule, HeaderSource, Method, PayloadKind, When,
};
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};

const ALWAYS: When = When {
    status: &[],
    present: None,
    absent: None,
    equals: None,
    text: None,
    header: None,
};

/// A rule reading a code at `code`, as the seeds' v1 rules did.
const fn at(code: &'static str, optional: bool) -> ErrorRule {
    ErrorRule {
        when: ALWAYS,
        code: CodeSource::At(code),
        code_optional: optional,
        numeric: true,
        success_int: &[0],
        success_text: &[],
        message: &["/status/errorField", "/error/message"],
        retry_after: Some(("/retry_after_ms", true)),
    }
}

/// The rule shapes of the seeds and of the v2 corpus: a code pointer,
/// JSON-RPC `present`, `equals`, `absent`, a text body, a header, statuses.
const RULES: &[ErrorRule] = &[
    ErrorRule {
        when: When {
            status: &[(429, 429), (500, 599)],
            header: Some("retry-after"),
            ..ALWAYS
        },
        code: CodeSource::Status,
        ..at("", true)
    },
    ErrorRule {
        when: When {
            present: Some("/error"),
            ..ALWAYS
        },
        code: CodeSource::At("/error/code"),
        ..at("", false)
    },
    ErrorRule {
        when: When {
            equals: Some(("/result", Constant::Bool(false))),
            ..ALWAYS
        },
        code: CodeSource::Text("bad_credentials"),
        ..at("", false)
    },
    ErrorRule {
        when: When {
            text: Some("Fails."),
            ..ALWAYS
        },
        code: CodeSource::Int(1),
        ..at("", false)
    },
    ErrorRule {
        when: When {
            status: &[(200, 200)],
            absent: Some("/username"),
            ..ALWAYS
        },
        code: CodeSource::Text("not_logged_in"),
        ..at("", false)
    },
    at("/status/errorCode", true),
];

const fn method(payload: &'static str, kind: PayloadKind, rules: &'static [ErrorRule]) -> Method {
    Method {
        name: "login",
        verb: crate::protocol::Verb::Post,
        path: "login",
        bindings: &[],
        json_strings: &[],
        payload,
        payload_kind: kind,
        header_fields: &[
            ("sid", HeaderSource::Cookie("SID")),
            ("token", HeaderSource::Header("x-token")),
        ],
        error_rules: rules,
        error_statuses: &[401, 403],
        encoding: None,
    }
}

/// One method per shape of answer table.
static METHODS: [Method; 7] = [
    method(
        "/records/0",
        PayloadKind::Document,
        &[at("/status/errorCode", false)],
    ),
    method("", PayloadKind::Document, &[at("/error", true)]),
    method(
        "/loginResponse",
        PayloadKind::Document,
        &[at("/Code", true)],
    ),
    method("", PayloadKind::Document, &[]),
    method("/result", PayloadKind::Document, RULES),
    method("", PayloadKind::Text, RULES),
    method("", PayloadKind::Empty, RULES),
];

const ENCODINGS: [Encoding; 6] = [
    Encoding::Form,
    Encoding::Query,
    Encoding::Json,
    Encoding::Xml,
    Encoding::Soap11,
    Encoding::None,
];

/// Every decoder on `body`; only a panic fails.
fn decode_everywhere(body: &[u8]) {
    let none = HeaderMap::new();
    let mut some = HeaderMap::new();
    some.insert("retry-after", HeaderValue::from_static("5"));
    some.insert("x-token", HeaderValue::from_static("t"));
    some.append("set-cookie", HeaderValue::from_static("SID=; Path=/"));
    some.append(
        "set-cookie",
        HeaderValue::from_static("SID=\"x\"; HttpOnly"),
    );
    some.append("set-cookie", HeaderValue::from_static("=; ;;"));
    for method in &METHODS {
        for encoding in ENCODINGS {
            for status in [200, 204, 401, 429, 500] {
                for headers in [&none, &some] {
                    let _ = decode(method, encoding, status, headers, body, Some(("/id", 1)));
                }
            }
        }
    }
    if let Ok(text) = crate::charset::xml_text(body) {
        let _ = crate::xml::to_value(&text);
    }
    if let Ok(text) = crate::charset::json_text(body) {
        let watched = crate::json::Watched::new(["", "/status/errorCode", "/records/0"]);
        let _ = crate::json::parse(text, &watched);
    }
}

const JSON_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\\",
    "\"status\"",
    "\"errorCode\"",
    "\"errorField\"",
    "\"records\"",
    "\"sessionKey\"",
    "\"error\"",
    "\"Code\"",
    "\"result\"",
    "\"message\"",
    "\"code\"",
    "\"username\"",
    "\"retry_after_ms\"",
    "false",
    "Fails.",
    "{}",
    "1051",
    "1051.0",
    "-0.0",
    "1e3",
    "1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "null",
    "true",
    "\"0\"",
    "\"x\"",
    "\"\\u00e9\"",
    "\"\\ud800\"",
    " ",
    "\u{feff}",
    "\0",
];

const XML_PIECES: &[&str] = &[
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    "<?xml version=\"1.0\" encoding=\"nope\"?>",
    "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\">",
    "<S:Envelope xmlns:S=\"http://www.w3.org/2003/05/soap-envelope\">",
    "<Envelope>",
    "</S:Envelope>",
    "<S:Body>",
    "</S:Body>",
    "<S:Fault>",
    "</S:Fault>",
    "<faultcode>",
    "</faultcode>",
    "<faultstring>",
    "<loginResponse>",
    "</loginResponse>",
    "<Response>",
    "</Response>",
    "<Code>",
    "<result>",
    "</result>",
    "<error><code>",
    "</code></error>",
    "</Code>",
    "<x xsi:nil=\"true\"/>",
    "<a/>",
    "<",
    ">",
    "</",
    "/>",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "&bogus;",
    "<![CDATA[",
    "]]>",
    "<!-- ",
    " -->",
    "<!DOCTYPE a [<!ENTITY e \"x\">]>",
    "xmlns:p=\"\"",
    "1003",
    "é",
    "\u{feff}",
    " ",
];

fn assembled(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..48).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..400)) {
        decode_everywhere(&body);
    }

    #[test]
    fn json_like_text_never_panics(text in assembled(JSON_PIECES)) {
        decode_everywhere(text.as_bytes());
    }

    #[test]
    fn xml_like_text_never_panics(text in assembled(XML_PIECES)) {
        decode_everywhere(text.as_bytes());
    }

    #[test]
    fn latin1_bytes_in_a_declared_document_never_panic(
        inner in prop::collection::vec(any::<u8>(), 0..200)
    ) {
        let mut body = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Code>".to_vec();
        body.extend_from_slice(&inner);
        body.extend_from_slice(b"</Code></Response>");
        decode_everywhere(&body);
    }
}
