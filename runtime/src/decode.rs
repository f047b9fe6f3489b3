//! Reads a response: parses the body, tells an API error from a success and
//! finds the payload. Nothing here is generic, so it is compiled once.

use crate::error::ErrorCode;
use crate::protocol::{Encoding, ErrorRule, Method, Protocol};
use crate::scrub::{fit_for_log, Scrubber, WINDOW};
use serde_json::Value;

/// What the server said, before typed decoding.
#[derive(Debug)]
pub(crate) enum Answer {
    Payload(Value),
    Api {
        code: ErrorCode,
        message: Option<String>,
    },
}

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) struct Undecodable(pub String);

pub(crate) fn decode(
    protocol: &Protocol,
    method: &Method,
    encoding: Encoding,
    status: u16,
    body: &[u8],
) -> Result<Answer, Undecodable> {
    let success = (200..300).contains(&status);
    let document = match parse(encoding, body) {
        Ok(document) => document,
        // A status the method documents as an error stays that error even when
        // its body is empty or no document; anything else (a proxy's HTML
        // page, a truncated success) is undecodable.
        Err(_) if !success && method.error_statuses.contains(&status) => {
            return Ok(Answer::Api {
                code: ErrorCode::HttpStatus(status),
                message: None,
            })
        }
        Err(e) => return Err(e),
    };
    if encoding == Encoding::Soap11 {
        return soap_answer(method, status, document);
    }
    if let Some(answer) = api_error(&protocol.errors, &document) {
        return Ok(answer);
    }
    if !success {
        let message = protocol.errors.message.and_then(|p| text_at(&document, p));
        return Ok(Answer::Api {
            code: ErrorCode::HttpStatus(status),
            message,
        });
    }
    take(document, protocol.payload).map(Answer::Payload)
}

/// The body as a JSON value; for SOAP, the content of the envelope's Body.
fn parse(encoding: Encoding, body: &[u8]) -> Result<Value, Undecodable> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Undecodable("empty body".into()));
    }
    let text = std::str::from_utf8(body).map_err(|_| Undecodable("body is not UTF-8".into()))?;
    match encoding {
        Encoding::Form | Encoding::Query | Encoding::Json => serde_json::from_str::<Value>(text)
            .map_err(|e| Undecodable(format!("expected a JSON document: {e}"))),
        Encoding::Xml => crate::xml::to_value(text)
            .map(|(_, value)| value)
            .map_err(|e| Undecodable(format!("expected an XML document: {e}"))),
        Encoding::Soap11 => {
            let (root, mut envelope) = crate::xml::to_value(text)
                .map_err(|e| Undecodable(format!("expected a SOAP envelope: {e}")))?;
            if root != "Envelope" {
                return Err(Undecodable(format!(
                    "expected a SOAP Envelope, found <{root}>"
                )));
            }
            match envelope.get_mut("Body") {
                Some(body @ Value::Object(_)) => Ok(body.take()),
                _ => Err(Undecodable("SOAP envelope has no Body".into())),
            }
        }
    }
}

/// The error code in `document`, unless it is absent or means success.
fn api_error(rule: &ErrorRule, document: &Value) -> Option<Answer> {
    let raw = document.pointer(rule.code?)?;
    let code = match raw {
        Value::Null => return None,
        Value::Number(n) => match n.as_i64() {
            Some(i) => ErrorCode::Int(i),
            None => ErrorCode::Text(n.to_string()),
        },
        Value::String(s) => match (rule.numeric, s.trim().parse::<i64>()) {
            (true, Ok(i)) => ErrorCode::Int(i),
            _ => ErrorCode::Text(s.clone()),
        },
        other => ErrorCode::Text(other.to_string()),
    };
    let is_success = match &code {
        ErrorCode::Int(i) => rule.success_int.contains(i),
        ErrorCode::Text(t) => rule.success_text.contains(&t.as_str()),
        ErrorCode::HttpStatus(_) => false,
    };
    if is_success {
        return None;
    }
    let message = rule.message.and_then(|p| text_at(document, p));
    Some(Answer::Api { code, message })
}

fn text_at(document: &Value, path: &str) -> Option<String> {
    match document.pointer(path)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Moves the value at `path` out of `document`.
fn take(mut document: Value, path: &str) -> Result<Value, Undecodable> {
    match document.pointer_mut(path) {
        Some(value) => Ok(value.take()),
        None => Err(Undecodable(format!("no payload at `{path}`"))),
    }
}

/// SOAP 1.1: the Body holds either a Fault or the operation's response element.
fn soap_answer(method: &Method, status: u16, mut body: Value) -> Result<Answer, Undecodable> {
    if let Some(fault) = body.get("Fault") {
        let code = fault.get("faultcode").and_then(Value::as_str).unwrap_or("");
        // The code may carry a namespace prefix; the WebAPI code is the local part.
        let code = code.rsplit(':').next().unwrap_or(code).trim().to_string();
        let message = fault
            .get("faultstring")
            .and_then(Value::as_str)
            .map(str::to_string);
        let code = if code.is_empty() {
            ErrorCode::HttpStatus(status)
        } else {
            ErrorCode::Text(code)
        };
        return Ok(Answer::Api { code, message });
    }
    let expected = method
        .soap
        .map(|s| s.response_element)
        .unwrap_or(method.name);
    match body.get_mut(expected) {
        Some(payload) if (200..300).contains(&status) => Ok(Answer::Payload(payload.take())),
        Some(_) => Ok(Answer::Api {
            code: ErrorCode::HttpStatus(status),
            message: None,
        }),
        None => Err(Undecodable(format!(
            "SOAP Body has no <{expected}> element"
        ))),
    }
}

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
            &Scrubber::new(&[crate::Secret::from("hunter2")], &[]),
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
