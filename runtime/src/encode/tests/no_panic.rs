//! Property tests: no parameter value, session key or hand-written table
//! makes the encoder panic; bad input is an `Invalid`.

use super::*;
use crate::ordered::{Map, Value};
use proptest::prelude::*;

/// Tables with every location, conflicting pointers and a broken template.
static TABLES: [Method; 4] = [
    method(
        "m",
        Verb::Put,
        "x/{a}/y",
        &[
            bind(Source::Param("a"), Location::Path("a")),
            param("a", "/p/0"),
            param("b", "/p/2"),
            param("b", "/q/r"),
            bind(Source::Param("a"), Location::Query("a")),
            bind(
                Source::Param("b"),
                Location::Header {
                    name: "X-B",
                    template: "T {value}",
                },
            ),
            bind(Source::Param("a"), Location::Cookie("A")),
            bind(Source::Param("a"), Location::BasicUser),
            bind(Source::SessionKey, Location::BasicPassword),
        ],
    ),
    method(
        "m",
        Verb::Get,
        "{a",
        &[
            param("a", "/a"),
            param("b", "/a/b"),
            param("a", ""),
            param("b", "/~2/"),
        ],
    ),
    method(
        "m",
        Verb::Post,
        "{b}{a}",
        &[
            bind(Source::Param("b"), Location::Path("b")),
            bind(Source::Param("a"), Location::Path("a")),
            bind(Source::Constant(Constant::EmptyArray), Location::Body("/p")),
            param("a", "/p/1"),
            bind(
                Source::Constant(Constant::EmptyObject),
                Location::Body("/p"),
            ),
            bind(Source::Variable("missing"), Location::Query("v")),
        ],
    ),
    Method {
        json_strings: &["/s", "/s/t", "", "/n/0"],
        ..method(
            "m",
            Verb::Delete,
            "",
            &[param("a", "/s/t"), param("b", "/n/0")],
        )
    },
];

static P: Protocol = protocol(&[Encoding::Json], &["password", "a"]);

const ENCODINGS: [Encoding; 6] = [
    Encoding::Form,
    Encoding::Query,
    Encoding::Json,
    Encoding::Xml,
    Encoding::Soap11,
    Encoding::None,
];

const PIECES: &[&str] = &[
    "a", "/", "..", ".", "%", "%2e", "?", "#", "{", "}", "{value}", ";", ",", ":", "=", "&", "+",
    " ", "\t", "\r", "\n", "\0", "\u{7f}", "\u{85}", "é", "\u{feff}", "\"", "<", "]]>",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|p| p.concat())
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
        text().prop_map(|t| Value::from(json!({ "k": t, "password": t }))),
        text().prop_map(|t| Value::from(json!([t, null]))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn encoding_never_panics(
        a in prop::option::of(value()),
        b in prop::option::of(value()),
        key in prop::option::of(text()),
    ) {
        let mut params = Map::new();
        if let Some(a) = a {
            params.insert("a".into(), a);
        }
        if let Some(b) = b {
            params.insert("b".into(), b);
        }
        let values = Values { params: &params, variables: &[], unset_variables: &[], session_key: key.as_deref(), request_id: Some(7) };
        for method in &TABLES {
            for encoding in ENCODINGS {
                let _ = encode(&P, method, encoding, "http://h/b?x=1", &values);
            }
        }
    }
}
