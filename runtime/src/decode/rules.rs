//! The ordered error rules of a method: the first rule whose conditions
//! hold decides whether an answer is an API error, and which.
//!
//! A rule with a code pointer (`CodeSource::At`) works as v1's single rule
//! did: a code that is not a success code is the error; a success code ends
//! the search; no code is undecodable unless the rule allows it
//! (`code_optional`, then the next rule is tried) or the status is one the
//! method documents (then it is that status' error). A rule with a fixed
//! code or the status as code makes every answer it applies to an error.
//! After the rules, a non-2xx answer is an error of its status.

use super::{by_status, lookup, Answer, Received, Undecodable};
use crate::error::ErrorCode;
use crate::protocol::{CodeSource, Constant, ErrorRule, Method, When};
use serde_json::Value;

/// Whether `rule` reads the body as a document.
pub(super) fn reads_document(rule: &ErrorRule) -> bool {
    let w = &rule.when;
    w.present.is_some()
        || w.absent.is_some()
        || w.equals.is_some()
        || matches!(rule.code, CodeSource::At(_))
        || !rule.message.is_empty()
        || rule.retry_after.is_some()
}

/// The pointers `rule` reads, for duplicate-aware JSON parsing.
pub(super) fn pointers(rule: &ErrorRule) -> impl Iterator<Item = &'static str> + '_ {
    let w = &rule.when;
    let code = match rule.code {
        CodeSource::At(pointer) => Some(pointer),
        _ => None,
    };
    w.present
        .into_iter()
        .chain(w.absent)
        .chain(w.equals.map(|(pointer, _)| pointer))
        .chain(code)
        .chain(rule.message.iter().copied())
        .chain(rule.retry_after.map(|(pointer, _)| pointer))
}

/// Applies the rules to an answer: `Some` error, or `None` for a success
/// (whose payload is read next).
pub(super) fn apply(
    method: &Method,
    received: &Received<'_>,
    documented: bool,
) -> Result<Option<Answer>, Undecodable> {
    let mut first_applied: Option<&ErrorRule> = None;
    for rule in method.error_rules {
        if !holds(&rule.when, received)? {
            continue;
        }
        first_applied.get_or_insert(rule);
        match code(rule, received)? {
            Some(code) if !is_success(rule, &code) => {
                return Ok(Some(Answer::Api {
                    code,
                    message: message(rule, received)?,
                    retry_after_secs: retry_after(rule, received),
                }))
            }
            // A success code: no later rule is tried.
            Some(_) => break,
            None if documented => {
                // The status decides; a message that cannot be read is left out.
                let message = message(rule, received).unwrap_or(None);
                return Ok(Some(by_status(received.status, message)));
            }
            None => match rule.code {
                CodeSource::At(pointer) if !rule.code_optional => {
                    return Err(Undecodable(format!("no error code at `{pointer}`")))
                }
                _ => {}
            },
        }
    }
    if (200..300).contains(&received.status) {
        return Ok(None);
    }
    let message = match first_applied {
        Some(rule) => message(rule, received)?,
        None => None,
    };
    let retry = first_applied.and_then(|rule| retry_after(rule, received));
    Ok(Some(Answer::Api {
        code: ErrorCode::HttpStatus(received.status),
        message,
        retry_after_secs: retry,
    }))
}

/// For a body that is not a document: the first rule that needs none and
/// applies, as an error; rules that read the document are skipped.
pub(super) fn without_document(method: &Method, received: &Received<'_>) -> Option<Answer> {
    let rule = method
        .error_rules
        .iter()
        .filter(|rule| !reads_document(rule))
        .find(|rule| holds(&rule.when, received).unwrap_or(false))?;
    match code(rule, received) {
        Ok(Some(code)) if !is_success(rule, &code) => Some(Answer::Api {
            code,
            message: None,
            retry_after_secs: None,
        }),
        _ => None,
    }
}

/// Whether every condition given in `when` holds. A condition on the
/// document does not hold for a body that is not one.
fn holds(when: &When, received: &Received<'_>) -> Result<bool, Undecodable> {
    let status = received.status;
    if !when.status.is_empty()
        && !when
            .status
            .iter()
            .any(|(lo, hi)| (*lo..=*hi).contains(&status))
    {
        return Ok(false);
    }
    if let Some(name) = when.header {
        if !received.headers.contains_key(name) {
            return Ok(false);
        }
    }
    if let Some(text) = when.text {
        let body = String::from_utf8_lossy(received.body);
        let body = body.trim_start_matches('\u{feff}').trim();
        if body != text {
            return Ok(false);
        }
    }
    let at = |pointer: &str| -> Result<Option<&Value>, Undecodable> {
        match received.document {
            Some(document) => lookup(document, pointer, received.xml),
            None => Ok(None),
        }
    };
    let document = received.document.is_some();
    if let Some(pointer) = when.present {
        if at(pointer)?.is_none_or(Value::is_null) {
            return Ok(false);
        }
    }
    if let Some(pointer) = when.absent {
        if !document || at(pointer)?.is_some_and(|v| !v.is_null()) {
            return Ok(false);
        }
    }
    if let Some((pointer, constant)) = when.equals {
        if !at(pointer)?.is_some_and(|v| equals(v, constant, received.xml)) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether `value` is `constant`. Numbers compare by value (`1.0` is `1`);
/// in a document read from XML, where every value is text, by their text.
fn equals(value: &Value, constant: Constant, xml: bool) -> bool {
    if let (true, Value::String(text)) = (xml, value) {
        let text = text.trim();
        return match constant {
            Constant::Null => false,
            Constant::Bool(b) => text == if b { "true" } else { "false" },
            Constant::Int(i) => integer_text(text) == Some(i),
            Constant::Float(f) => text.parse::<f64>().ok() == Some(f),
            Constant::Str(s) => text == s,
            Constant::EmptyObject | Constant::EmptyArray => text.is_empty(),
        };
    }
    match constant {
        Constant::Null => value.is_null(),
        Constant::Bool(b) => value.as_bool() == Some(b),
        Constant::Int(i) => value.as_number().and_then(integer) == Some(i),
        Constant::Float(f) => value.as_f64() == Some(f),
        Constant::Str(s) => value.as_str() == Some(s),
        Constant::EmptyObject => value.as_object().is_some_and(|o| o.is_empty()),
        Constant::EmptyArray => value.as_array().is_some_and(Vec::is_empty),
    }
}

/// The rule's error code for this answer, if there is one.
fn code(rule: &ErrorRule, received: &Received<'_>) -> Result<Option<ErrorCode>, Undecodable> {
    let pointer = match rule.code {
        CodeSource::Int(i) => return Ok(Some(ErrorCode::Int(i))),
        CodeSource::Text(t) => return Ok(Some(ErrorCode::Text(t.to_string()))),
        CodeSource::Status => return Ok(Some(ErrorCode::HttpStatus(received.status))),
        CodeSource::At(pointer) => pointer,
    };
    let Some(document) = received.document else {
        return Ok(None);
    };
    Ok(Some(match lookup(document, pointer, received.xml)? {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => match integer(n) {
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

fn integer(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| n.as_f64().and_then(integral))
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

/// The message parts present at the rule's pointers, joined with `": "`.
fn message(rule: &ErrorRule, received: &Received<'_>) -> Result<Option<String>, Undecodable> {
    let Some(document) = received.document else {
        return Ok(None);
    };
    let mut parts = Vec::new();
    for pointer in rule.message {
        match lookup(document, pointer, received.xml)? {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => parts.push(s.clone()),
            Some(other) => parts.push(other.to_string()),
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join(": ")))
}

/// The delay the body asks for, in whole seconds (rounded up, at most a
/// day as for `Retry-After`); a value that is not a non-negative number is ignored.
fn retry_after(rule: &ErrorRule, received: &Received<'_>) -> Option<u32> {
    let (pointer, millis) = rule.retry_after?;
    let value = lookup(received.document?, pointer, received.xml).ok()??;
    let amount = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !amount.is_finite() || amount < 0.0 {
        return None;
    }
    let seconds = if millis { amount / 1000.0 } else { amount }.ceil();
    let longest = crate::retry::LONGEST;
    Some(if seconds >= f64::from(longest) {
        longest
    } else {
        seconds as u32
    })
}
