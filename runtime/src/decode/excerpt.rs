//! The excerpt of a body an undecodable answer's error shows: short,
//! with string values blanked and the call's secrets scrubbed.

use crate::scrub::{fit_for_log, Scrubber, WINDOW};

/// Characters of a body an error's excerpt shows.
const EXCERPT_CHARS: usize = 160;

/// The start of `body` for an error message, safe to log. A secret may sit
/// in the wrong field, so in a body that is plainly JSON or XML every string
/// value and element text is blanked, keeping the shape; an HTML page (a
/// proxy's error) is kept as it is. Whatever the body, `scrub` then blanks
/// the secrets the call sent and the values of secret fields found by name,
/// escapes control characters and caps the length.
pub(crate) fn excerpt(body: &[u8], scrub: &Scrubber) -> String {
    let mut text = String::from_utf8_lossy(&body[..body.len().min(WINDOW)]).into_owned();
    let start = text.trim_start();
    let html = start
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("<html"))
        || start
            .get(..9)
            .is_some_and(|s| s.eq_ignore_ascii_case("<!doctype"));
    if start.starts_with(['{', '[']) {
        text = blank_json_strings(&text);
    } else if start.starts_with('<') && !html {
        text = blank_xml_texts(&text);
    }
    fit_for_log(&scrub.blank(&text), EXCERPT_CHARS, body.len())
}

/// `"key": "value"` → `"key": "***"`; keys, numbers and structure stay.
/// A string cut off by the end of the body is blanked too.
fn blank_json_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..open]);
        let inner = &rest[open + 1..];
        let Some(close) = closing_quote(inner) else {
            out.push_str("\"***");
            return out;
        };
        let after = &inner[close + 1..];
        if after.trim_start().starts_with(':') {
            out.push_str(&rest[open..open + close + 2]);
        } else {
            out.push_str("\"***\"");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn closing_quote(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// `<a>value</a>` → `<a>***</a>`, also when cut off; tags stay.
fn blank_xml_texts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        let before = &rest[..lt];
        out.push_str(if before.trim().is_empty() {
            before
        } else {
            "***"
        });
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else { break };
        out.push_str(&rest[..=gt]);
        rest = &rest[gt + 1..];
    }
    if !rest.trim().is_empty() {
        rest = "***";
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_blanks_secrets_even_when_cut_off() {
        let none = Scrubber::default();
        let body = br#"{"records":[{"sessionKey" : "abc\"def","userID":5}]}"#;
        assert_eq!(
            excerpt(body, &none),
            r#"{"records":[{"sessionKey" : "***","userID":5}]}"#
        );
        let cut = excerpt(br#"{"sessionKey":"9eb927"#, &none);
        assert_eq!(cut, r#"{"sessionKey":"***"#);
        let xml = excerpt(
            b"<a><ns1:sessionHandlePart xsi:type=\"xsd:string\">22eb99</ns1:sessionHandlePart><b>1</b></a>",
            &none,
        );
        assert_eq!(xml, "<a><ns1:sessionHandlePart xsi:type=\"xsd:string\">***</ns1:sessionHandlePart><b>***</b></a>");
        assert_eq!(
            excerpt(b"<ns1:sessionHandlePart>22eb", &none),
            "<ns1:sessionHandlePart>***"
        );
        let page = excerpt(
            b"<html><title>502 Bad Gateway</title> hunter2</html>",
            &Scrubber::new(&[crate::secret::Secret::from("hunter2")], &[]),
        );
        assert_eq!(page, "<html><title>502 Bad Gateway</title> ***</html>");
    }

    #[test]
    fn excerpt_blanks_received_secrets_behind_any_prefix() {
        let scrub = Scrubber::new(&[], &["sessionKey", "sessionHandlePart"]);
        for body in [
            "\u{feff}{\"sessionKey\":\"k-51\"}",
            ")]}',\n{\"sessionKey\":\"k-51\"}",
            "cb({\"sessionKey\": \"k-51\"})",
            "\0{\"sessionKey\":\"k-51\"}",
            "<!DOCTYPE x><s:Envelope><s:Body><ns1:sessionHandlePart>k-51",
            "x=1&sessionKey=k-51&y=2",
            "{\"sessionKey\":915551}",
        ] {
            let shown = excerpt(body.as_bytes(), &scrub);
            assert!(
                !shown.contains("k-51") && !shown.contains("915551"),
                "{shown}"
            );
            assert!(shown.contains("***"), "{shown}");
        }
    }

    #[test]
    fn excerpt_is_short_and_has_no_control_characters() {
        let body = format!("\x1b]0;owned\x07\r\nFAKE LOG LINE {}", "x".repeat(1 << 20));
        let shown = excerpt(body.as_bytes(), &Scrubber::default());
        assert!(shown.chars().count() < 220, "{}", shown.len());
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(
            shown.ends_with(&format!("({} bytes in all)", body.len())),
            "{shown}"
        );
    }
}
