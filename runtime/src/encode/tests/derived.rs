//! Derived values in a request: Subsonic's signed query (the worked example
//! of its API docs, subsonic.org/pages/api.jsp: password `sesame`, salt
//! `c19b2d`, token `26719a1196d2a940705a59634eb18eab`), one nonce both sent
//! and hashed, and secrecy of values computed from secrets.

use super::*;
use crate::derive::{Alphabet, Derived, Hash, Part, Step, FIXED_NONCE};

static SALT: Derived = Derived {
    parts: &[Part::Nonce {
        len: 6,
        alphabet: Alphabet::Hex,
    }],
    steps: &[],
};

static TOKEN: Derived = Derived {
    parts: &[Part::Value("p"), Part::Value("s")],
    steps: &[Step::Hash(Hash::Md5), Step::Hex],
};

/// `u` sent, `p` only an input, `s` a fresh salt, `t` = md5(p + s) in hex.
static PING: Method = method(
    "ping",
    Verb::Get,
    "rest/ping.view",
    &[
        bind(Source::Param("u"), Location::Query("u")),
        bind(
            Source::Derived {
                name: "t",
                pipeline: &TOKEN,
            },
            Location::Query("t"),
        ),
        bind(
            Source::Derived {
                name: "s",
                pipeline: &SALT,
            },
            Location::Query("s"),
        ),
    ],
);

static SUBSONIC: Protocol = protocol(&[Encoding::None], &["p", "t"]);

fn call() -> Call<'static> {
    Call {
        protocol: &SUBSONIC,
        method: &PING,
        encoding: Encoding::None,
        base_url: "http://music.test/",
        variables: &[],
        key: None,
    }
}

fn fixed_salt<T>(salt: &'static str, f: impl FnOnce() -> T) -> T {
    FIXED_NONCE.with(|n| *n.borrow_mut() = Some(salt));
    let out = f();
    FIXED_NONCE.with(|n| *n.borrow_mut() = None);
    out
}

#[test]
fn subsonic_token_of_the_documented_example() {
    let sent = fixed_salt("c19b2d", || {
        call()
            .send(json!({"u": "joe", "p": "sesame"}))
            .expect("encodes")
    });
    // `t` is listed before `s`, and still hashes the salt that `s` sends.
    assert_eq!(
        sent.url,
        "http://music.test/rest/ping.view?u=joe&t=26719a1196d2a940705a59634eb18eab&s=c19b2d"
    );
    assert_eq!(sent.method, reqwest::Method::GET);
    assert_eq!(sent.body, "");
}

#[test]
fn the_token_hashes_the_very_salt_that_is_sent() {
    let sent = call()
        .send(json!({"u": "joe", "p": "sesame"}))
        .expect("encodes");
    let query = sent.url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let get = |key: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
            .unwrap_or_default()
            .to_string()
    };
    let salt = get("s");
    assert_eq!(salt.len(), 6);
    let expected = TOKEN
        .compute(|name| match name {
            "p" => Some("sesame".into()),
            _ => Some(salt.clone()),
        })
        .expect("computes");
    assert_eq!(get("t"), expected);
    // The password itself is never sent.
    assert!(!sent.url.contains("sesame"));
}

#[test]
fn a_value_derived_from_a_secret_is_collected_as_secret() {
    let secrets = fixed_salt("c19b2d", || {
        call().secrets(json!({"u": "joe", "p": "sesame"}))
    });
    assert_eq!(secrets, ["26719a1196d2a940705a59634eb18eab"]);
}

#[test]
fn an_unset_input_is_a_typed_error_naming_the_derived_value() {
    let err = call().send(json!({"u": "joe"})).err().expect("refused");
    assert_eq!(err.field, "t");
    assert!(err.reason.contains("`p`"), "{}", err.reason);
}

static SELF: Derived = Derived {
    parts: &[Part::Value("x")],
    steps: &[Step::Hex],
};

static LOOP: Method = method(
    "loop",
    Verb::Get,
    "",
    &[bind(
        Source::Derived {
            name: "x",
            pipeline: &SELF,
        },
        Location::Query("x"),
    )],
);

#[test]
fn a_hand_written_cycle_is_an_error_not_an_overflow() {
    let call = Call {
        method: &LOOP,
        ..call()
    };
    let err = call.send(json!({})).err().expect("refused");
    assert_eq!(err.field, "x");
}
