//! Reads a response: parses the body, tells an API error from a success and
//! finds the payload. Nothing here is generic, so it is compiled once.

use crate::error::ErrorCode;
use crate::protocol::{Encoding, ErrorRule, Method, Protocol};
use crate::scrub::{fit_for_log, Scrubber, WINDOW};
use crate::{charset, json};
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
    // A status the method documents for its errors stays an error whatever
    // the body holds: nothing, a proxy's page, a document without a code.
    let documented = !success && method.error_statuses.contains(&status);
    let by_status = |message| Answer::Api {
        code: ErrorCode::HttpStatus(status),
        message,
    };
    let document = match parse(protocol, encoding, body) {
        Ok(document) => document,
        Err(_) if documented => return Ok(by_status(None)),
        Err(e) => return Err(e),
    };
    if encoding == Encoding::Soap11 {
        return soap_answer(method, status, document);
    }
    let xml = encoding == Encoding::Xml;
    let rule = &protocol.errors;
    match error_code(rule, &document, xml)? {
        Some(code) if !is_success(rule, &code) => {
            let message = text_at(&document, rule.message, xml)?;
            return Ok(Answer::Api { code, message });
        }
        Some(_) => {}
        None if documented => {
            // The status decides; a message that cannot be read is left out.
            return Ok(by_status(
                text_at(&document, rule.message, xml).unwrap_or(None),
            ));
        }
        None => match rule.code {
            Some(path) if !rule.code_optional => {
                return Err(Undecodable(format!("no error code at `{path}`")))
            }
            _ => {}
        },
    }
    if !success {
        return Ok(by_status(text_at(&document, rule.message, xml)?));
    }
    take(document, protocol.payload).map(Answer::Payload)
}

/// The body as a JSON value; for SOAP, the content of the envelope's Body.
fn parse(protocol: &Protocol, encoding: Encoding, body: &[u8]) -> Result<Value, Undecodable> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Undecodable("empty body".into()));
    }
    match encoding {
        Encoding::Form | Encoding::Query | Encoding::Json => {
            let text = charset::json_text(body).map_err(Undecodable)?;
            let rule = &protocol.errors;
            let read = [rule.code, rule.message, Some(protocol.payload)];
            json::parse(text, &json::Watched::new(read.into_iter().flatten()))
                .map_err(|e| Undecodable(format!("expected a JSON document: {e}")))
        }
        Encoding::Xml => {
            let text = charset::xml_text(body).map_err(Undecodable)?;
            crate::xml::to_value(&text)
                .map(|document| document.value)
                .map_err(|e| Undecodable(format!("expected an XML document: {e}")))
        }
        Encoding::Soap11 => {
            let text = charset::xml_text(body).map_err(Undecodable)?;
            let document = crate::xml::to_value(&text)
                .map_err(|e| Undecodable(format!("expected a SOAP envelope: {e}")))?;
            if document.root != "Envelope" {
                return Err(Undecodable(format!(
                    "expected a SOAP Envelope, found <{}>",
                    document.root
                )));
            }
            check_envelope_namespace(document.namespace.as_deref())?;
            let mut envelope = document.value;
            match envelope.get_mut("Body") {
                Some(Value::Array(items)) => Err(repeated("Body", items.len())),
                Some(body @ Value::Object(_)) => Ok(body.take()),
                _ => Err(Undecodable("SOAP envelope has no Body".into())),
            }
        }
    }
}

const SOAP11_ENVELOPE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_ENVELOPE: &str = "http://www.w3.org/2003/05/soap-envelope";

/// An `Envelope` in another namespace is not a SOAP 1.1 message, however
/// much it looks like one.
fn check_envelope_namespace(found: Option<&str>) -> Result<(), Undecodable> {
    let found = match found {
        Some(SOAP11_ENVELOPE) => return Ok(()),
        Some(SOAP12_ENVELOPE) => format!("the SOAP 1.2 namespace {SOAP12_ENVELOPE}"),
        Some(other) => {
            let cut: String = other.chars().take(100).collect();
            format!("namespace {cut:?}")
        }
        None => "no namespace".to_string(),
    };
    Err(Undecodable(format!(
        "expected a SOAP 1.1 Envelope (namespace {SOAP11_ENVELOPE}), found one in {found}"
    )))
}

/// In a document read from XML a list is an element that appears more than
/// once: where one value is read, that is the XML form of a duplicate key.
fn repeated(element: &str, times: usize) -> Undecodable {
    Undecodable(format!(
        "element <{element}> appears {times} times where one is read"
    ))
}

/// The value at `path` (a JSON pointer). For XML a repeated element on the
/// way, or at the end, is refused.
fn lookup<'v>(
    document: &'v Value,
    path: &str,
    xml: bool,
) -> Result<Option<&'v Value>, Undecodable> {
    if !xml {
        return Ok(document.pointer(path));
    }
    let mut node = document;
    for key in path.split('/').skip(1) {
        let key = crate::document::unescape(key);
        node = match node.get(&key) {
            Some(Value::Array(items)) => return Err(repeated(&key, items.len())),
            Some(value) => value,
            None => return Ok(None),
        };
    }
    Ok(Some(node))
}

/// The error code in `document`, if there is one.
fn error_code(
    rule: &ErrorRule,
    document: &Value,
    xml: bool,
) -> Result<Option<ErrorCode>, Undecodable> {
    let Some(path) = rule.code else {
        return Ok(None);
    };
    Ok(Some(match lookup(document, path, xml)? {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => match n.as_i64().or_else(|| n.as_f64().and_then(integral)) {
            Some(i) => ErrorCode::Int(i),
            None => ErrorCode::Text(n.to_string()),
        },
        Some(Value::String(s)) => match rule.numeric.then(|| integer_text(s.trim())).flatten() {
            Some(i) => ErrorCode::Int(i),
            None => ErrorCode::Text(s.clone()),
        },
        Some(other) => ErrorCode::Text(other.to_string()),
    }))
}

/// `1051.0` and `1.051e3` are the code 1051; `1051.5`, infinities and
/// numbers beyond `i64` are not integers.
fn integral(f: f64) -> Option<i64> {
    // 2^63 is exact as an f64; every integral f64 below it fits an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f)).then_some(f as i64)
}

fn integer_text(s: &str) -> Option<i64> {
    s.parse::<i64>()
        .ok()
        .or_else(|| s.parse::<f64>().ok().and_then(integral))
}

fn is_success(rule: &ErrorRule, code: &ErrorCode) -> bool {
    match code {
        ErrorCode::Int(i) => rule.success_int.contains(i),
        ErrorCode::Text(t) => rule.success_text.contains(&t.as_str()),
        ErrorCode::HttpStatus(_) => false,
    }
}

fn text_at(document: &Value, path: Option<&str>, xml: bool) -> Result<Option<String>, Undecodable> {
    let Some(path) = path else { return Ok(None) };
    Ok(match lookup(document, path, xml)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    })
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
        if let Value::Array(items) = fault {
            return Err(repeated("Fault", items.len()));
        }
        let code = lookup(fault, "/faultcode", true)?
            .and_then(Value::as_str)
            .unwrap_or("");
        // The code may carry a namespace prefix; the WebAPI code is the local part.
        let code = code.rsplit(':').next().unwrap_or(code).trim().to_string();
        let message = lookup(fault, "/faultstring", true)?
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
        Some(Value::Array(items)) => Err(repeated(expected, items.len())),
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
