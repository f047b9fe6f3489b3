use super::*;
use proptest::prelude::*;

fn scrubber(secrets: &[&str], names: &[&str]) -> Scrubber {
    let secrets: Vec<Secret> = secrets.iter().map(|s| Secret::from(*s)).collect();
    Scrubber::new(&secrets, names)
}

#[test]
fn every_wire_form_of_a_sent_secret_is_blanked() {
    let secret = "pä ss+w/o&r\"d<1>";
    let scrub = scrubber(&[secret], &[]);
    let forms = [
        secret.to_string(),
        "p%C3%A4+ss%2Bw%2Fo%26r%22d%3C1%3E".to_string(),
        "p%C3%A4%20ss%2Bw%2Fo%26r%22d%3C1%3E".to_string(),
        "p%c3%a4%20ss%2bw%2fo%26r%22d%3c1%3e".to_string(),
        r#"pä ss+w/o&r\"d<1>"#.to_string(),
        r#"p\u00e4 ss+w\/o&r\"d<1>"#.to_string(),
        "pä ss+w/o&amp;r&quot;d&lt;1&gt;".to_string(),
        "pä ss+w/o&amp;r\"d&lt;1&gt;".to_string(),
        STANDARD.encode(secret),
        URL_SAFE_NO_PAD.encode(secret),
    ];
    for form in forms {
        let text = format!("error 1099: password={form} rejected");
        let shown = scrub.blank(&text);
        assert!(!shown.contains(&form), "{form:?} shows in {shown:?}");
        assert!(shown.contains(BLANK), "{shown}");
    }
}

#[test]
fn a_numeric_secret_is_blanked_as_a_number() {
    let scrub = scrubber(&["000918273"], &[]);
    assert_eq!(scrub.blank(r#"{"pin":918273}"#), r#"{"pin":***}"#);
}

#[test]
fn a_secret_cut_off_at_the_end_is_blanked() {
    let scrub = scrubber(&["hunter2-long"], &[]);
    assert_eq!(scrub.blank("echo: hunter"), "echo: ***");
    // Two bytes say nothing about the secret.
    assert_eq!(scrub.blank("echo: hu"), "echo: hu");
}

#[test]
fn secret_fields_are_blanked_by_name_in_every_notation() {
    let scrub = scrubber(&[], &["sessionKey", "token"]);
    let cases = [
        (
            r#"{"sessionKey": "a\"b", "x": 1}"#,
            r#"{"sessionKey": "***", "x": 1}"#,
        ),
        (r#"{"SESSIONKEY":12345}"#, r#"{"SESSIONKEY":***}"#),
        (
            r#"{"params":"{\"token\":\"t1\"}"}"#,
            r#"{"params":"{\"token\":\"***\"}"}"#,
        ),
        (
            "<ns:sessionKey a=\"1\">k</ns:sessionKey>",
            "<ns:sessionKey a=\"1\">***</ns:sessionKey>",
        ),
        (
            "<token><![CDATA[t<1]]></token>",
            "<token><![CDATA[***]]></token>",
        ),
        ("<token/><b>x</b>", "<token/><b>x</b>"),
        ("a=1&token=t%201&b=2", "a=1&token=***&b=2"),
        ("bad token=\"t 1\" given", "bad token=\"***\" given"),
        // Not a use of the name: left alone.
        (
            "the token expired; mytoken=1",
            "the token expired; mytoken=1",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(scrub.blank(text), expected, "{text}");
    }
}

#[test]
fn server_text_escapes_controls_and_is_capped() {
    let scrub = Scrubber::default();
    assert_eq!(
        scrub.server_text("a\r\nb\x1b[31mc\u{9b}d\u{202e}e\0", 50),
        "a\\r\\nb\\u{1b}[31mc\\u{9b}d\\u{202e}e\\0"
    );
    let long = "y".repeat(1_048_576);
    let shown = scrub.server_text(&long, SERVER_TEXT_CHARS);
    assert_eq!(
        shown,
        format!("{}… (1048576 bytes in all)", "y".repeat(SERVER_TEXT_CHARS))
    );
}

#[test]
fn a_long_text_is_scrubbed_up_to_the_window_and_a_secret_cut_there_too() {
    let secret = "cut-at-the-window-edge";
    let scrub = scrubber(&[secret], &[]);
    let mut text = "x".repeat(WINDOW - 10);
    text.push_str(secret);
    text.push_str(&"y".repeat(1 << 20));
    let shown = scrub.server_text(&text, usize::MAX);
    assert_eq!(shown, format!("{}{BLANK}", "x".repeat(WINDOW - 10)));
}

fn any_secret() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,24}",
        "[ -~]{1,24}",
        any::<String>().prop_filter("non-empty", |s| !s.is_empty()),
        any::<u32>().prop_map(|n| format!("{n:09}")),
    ]
}

proptest! {
    #[test]
    fn scrubbing_never_panics_and_never_shows_a_secret(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        secret in any_secret(),
        at in any::<usize>(),
        names in proptest::collection::vec("[a-zA-Z_]{1,12}", 0..3),
    ) {
        // A secret made of the blank's own `*` could be formed anew by blanking.
        prop_assume!(!secret.contains('*'));
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let scrub = scrubber(&[&secret], &names);
        // The secret somewhere in arbitrary bytes.
        let mut text = String::from_utf8_lossy(&body).into_owned();
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, &secret);
        let shown = scrub.server_text(&text, usize::MAX);
        prop_assert!(!shown.chars().any(char::is_control));
        // Escaping may rewrite a secret that holds control characters; what
        // matters is that no plain copy survives blanking.
        prop_assert!(!scrub.blank(&text).contains(secret.as_str()), "{:?}", text);
        let _ = crate::decode::excerpt(text.as_bytes(), &scrub);
        let _ = crate::decode::excerpt(&body, &scrub);
    }

    #[test]
    fn capping_keeps_at_most_the_limit(text in any::<String>(), limit in 0usize..64) {
        let shown = fit_for_log(&text, limit, text.len());
        let kept = shown.split("… (").next().unwrap_or("");
        // Each kept character is at most one escape long.
        prop_assert!(kept.chars().count() <= limit * 10);
        prop_assert!(!shown.chars().any(char::is_control));
    }
}
