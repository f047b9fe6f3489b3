//! Property tests: no body makes a decoder panic. Arbitrary bytes, and text
//! assembled from the pieces real answers are made of (so the parsers get
//! past their first byte), go through every encoding, the XML and JSON
//! readers and the charset step.

use crate::decode::decode;
use crate::protocol::{Encoding, ErrorRule, Method, MethodName, Protocol, SoapOperation};
use proptest::prelude::*;

/// One protocol per shape of error rule the seeds use.
fn protocol(code: Option<&'static str>, optional: bool, payload: &'static str) -> Protocol {
    Protocol {
        provider: "fuzz",
        base_url: "",
        encodings: &[Encoding::Json],
        method_name: MethodName::Path,
        pack_params: None,
        xml_root: "Request",
        soap_namespace: "urn:x",
        payload,
        errors: ErrorRule {
            code,
            code_optional: optional,
            message: Some("/status/errorField"),
            numeric: true,
            success_int: &[0],
            success_text: &[],
        },
        secret_fields: &[],
        session_key: None,
    }
}

static METHOD: Method = Method {
    name: "login",
    path: "login",
    soap: Some(SoapOperation {
        action: "#login",
        request_element: "LoginRequest",
        response_element: "loginResponse",
    }),
    constants: &[],
    error_statuses: &[401, 403],
};

const ENCODINGS: [Encoding; 5] = [
    Encoding::Form,
    Encoding::Query,
    Encoding::Json,
    Encoding::Xml,
    Encoding::Soap11,
];

/// Every decoder on `body`; only a panic fails.
fn decode_everywhere(body: &[u8]) {
    let protocols = [
        protocol(Some("/status/errorCode"), false, "/records/0"),
        protocol(Some("/error"), true, ""),
        protocol(Some("/Code"), true, ""),
        protocol(None, false, ""),
    ];
    for protocol in &protocols {
        for encoding in ENCODINGS {
            for status in [200, 401, 500] {
                let _ = decode(protocol, &METHOD, encoding, status, body);
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
