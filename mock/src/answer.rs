//! The mock's answers, in the provider's response envelope and encoding:
//! successes from the spec's examples (or built from the response types),
//! documented errors from their examples (or built so the method's error
//! rules read them back as that error), and a plain 400 naming violations.

use crate::log::Violation;
use loginspec_codegen::model::{
    Answer, CodeSource, CodeValue, Encoding, ErrorRule, ErrorVariant, Field, Method, NamedKind,
    Provider, TimeFormat, Ty, TypeDef,
};
use loginspec_runtime::__generated::v1::document::place;
use serde_json::{Map, Value};

/// An answer to send. No `Debug`: the body can hold an issued key.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: String,
    /// Headers besides `Content-Type` (a `match` on a header of an error).
    pub(crate) headers: Vec<(String, String)>,
}

/// The form answers are written in: JSON unless the request was XML.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
    Soap,
}

fn format_of(encoding: Encoding) -> Format {
    match encoding {
        Encoding::Xml => Format::Xml,
        Encoding::Soap11 => Format::Soap,
        _ => Format::Json,
    }
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json; charset=utf-8",
        Format::Xml => "application/xml; charset=utf-8",
        Format::Soap => "text/xml; charset=utf-8",
    }
}

fn is_xml(body: &str) -> bool {
    body.trim_start().starts_with('<')
}

/// The document a client reads from `body`: JSON, the root's content, or the SOAP Body's.
pub(crate) fn document(body: &str, encoding: Encoding) -> Option<Value> {
    match format_of(encoding) {
        Format::Json => serde_json::from_str(body).ok(),
        Format::Xml => loginspec_runtime::__generated::v1::xml::to_value(body)
            .ok()
            .map(|d| d.value),
        Format::Soap => loginspec_runtime::__generated::v1::xml::to_value(body)
            .ok()
            .and_then(|d| d.value.get("Body").cloned()),
    }
}

/// Where the payload's field `wire` is (`""`: the payload itself).
pub(crate) fn field_pointer(method: &Method, wire: &str) -> String {
    if wire.is_empty() {
        method.payload.clone()
    } else {
        format!(
            "{}/{}",
            method.payload,
            wire.replace('~', "~0").replace('/', "~1")
        )
    }
}

/// The success answer; each of `keys` (the pointer of a field, and a value
/// the mock issued) replaces the example's value there.
pub(crate) fn success(
    provider: &Provider,
    method: &Method,
    encoding: Encoding,
    keys: &[(String, String)],
) -> Reply {
    let format = format_of(encoding);
    let example = method.examples.iter().find(|e| {
        e.error.is_none()
            && (200..300).contains(&e.status)
            && is_xml(&e.body) == (format != Format::Json)
    });
    let mut body = match example {
        Some(example) => example.body.clone(),
        None => built_success(provider, method, format),
    };
    for (pointer, key) in keys {
        body = substitute(&body, encoding, pointer, key);
    }
    let status = example.map_or(200, |e| e.status);
    Reply {
        status,
        content_type: content_type(format),
        body,
        headers: Vec::new(),
    }
}

/// `body` with the text at `pointer` replaced by `value`: in place, so the
/// example's bytes stay as the vendor wrote them; placed into a JSON
/// document when the example has nothing there.
fn substitute(body: &str, encoding: Encoding, pointer: &str, value: &str) -> String {
    let old = document(body, encoding).and_then(|d| {
        d.pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    if let Some(old) = old.filter(|old| !old.is_empty()) {
        return body.replace(&old, value);
    }
    match serde_json::from_str::<Value>(body) {
        Ok(mut doc) if format_of(encoding) == Format::Json => {
            match place(&mut doc, pointer, Value::from(value)) {
                Ok(()) => doc.to_string(),
                Err(_) => body.to_string(),
            }
        }
        _ => body.to_string(),
    }
}

fn built_success(provider: &Provider, method: &Method, format: Format) -> String {
    let payload = match &method.answer {
        Answer::Object => match &method.response.def {
            TypeDef::Struct { fields, .. } => sample_struct(provider, fields, 0),
            _ => Value::Object(Map::new()),
        },
        Answer::Value(ty) => sample(provider, ty, 0),
        Answer::Secret | Answer::Text => Value::from("text"),
        Answer::Nothing => return String::new(),
    };
    if method.answer == Answer::Text {
        return "text".into();
    }
    let mut doc = Value::Object(Map::new());
    for rule in &method.error_rules {
        if let (CodeSource::At(pointer), Some(code)) = (&rule.code, rule.success.first()) {
            let _ = place(&mut doc, pointer, code_value(code));
        }
    }
    if place(&mut doc, &method.payload, payload).is_err() {
        return doc.to_string();
    }
    serialize(provider, format, doc)
}

fn serialize(provider: &Provider, format: Format, doc: Value) -> String {
    let members = match doc {
        Value::Object(members) => members,
        other if format == Format::Json => return other.to_string(),
        other => Map::from_iter([("value".to_string(), other)]),
    };
    match format {
        Format::Json => Value::Object(members).to_string(),
        Format::Xml => loginspec_runtime::__generated::v1::xml_document("Response", &members),
        Format::Soap => loginspec_runtime::__generated::v1::soap11_document(
            provider.protocol.soap_namespace.as_deref().unwrap_or(""),
            &members,
        ),
    }
}

fn sample_struct(provider: &Provider, fields: &[Field], depth: usize) -> Value {
    let mut out = Map::new();
    for field in fields {
        let mut value = sample(provider, &field.ty, depth + 1);
        if field.embedded_json {
            value = Value::from(value.to_string());
        }
        out.insert(field.wire.clone(), value);
    }
    Value::Object(out)
}

/// A value of type `ty`, for answers without an example.
fn sample(provider: &Provider, ty: &Ty, depth: usize) -> Value {
    const SECONDS: i64 = 1_700_000_000;
    match ty {
        Ty::String => Value::from("text"),
        Ty::Bool => Value::from(true),
        Ty::Int(_) => Value::from(1),
        Ty::Float(_) => Value::from(1.5),
        Ty::Any => Value::Object(Map::new()),
        Ty::Timestamp(format) => match format {
            TimeFormat::UnixSeconds => Value::from(SECONDS),
            TimeFormat::UnixMillis => Value::from(SECONDS * 1000),
            TimeFormat::DotNetDate => Value::from(format!("/Date({})/", SECONDS * 1000)),
            TimeFormat::Rfc3339 => Value::from("2023-11-14T22:13:20Z"),
            TimeFormat::Iso8601 => Value::from("2023-11-14T22:13:20+0000"),
            TimeFormat::Custom(_) => Value::from(""),
        },
        Ty::List(_) => Value::Array(Vec::new()),
        Ty::Map(_) => Value::Object(Map::new()),
        Ty::Named(name, kind) => {
            let def = provider.type_def(name);
            match (kind, def) {
                (NamedKind::Enum, Some(TypeDef::Enum { values })) => {
                    values.first().map_or(Value::Null, |v| code_value(&v.value))
                }
                (NamedKind::Struct, Some(TypeDef::Struct { fields, .. })) if depth < 8 => {
                    sample_struct(provider, fields, depth)
                }
                _ => Value::from(0),
            }
        }
    }
}

fn code_value(code: &CodeValue) -> Value {
    match code {
        CodeValue::Int(i) => Value::from(*i),
        CodeValue::Str(s) => Value::from(s.as_str()),
    }
}

/// The documented error `variant` of `method`, as the provider writes it:
/// its example, else built so that the method's rules read it back as that
/// error, with a message and header its `match` accepts.
pub(crate) fn error(
    provider: &Provider,
    method: &Method,
    variant: &ErrorVariant,
    encoding: Encoding,
) -> Reply {
    let format = format_of(encoding);
    if let Some(example) = method.examples.iter().find(|e| {
        e.error.as_deref() == Some(variant.name.as_str())
            && is_xml(&e.body) == (format != Format::Json)
    }) {
        return Reply {
            status: example.status,
            content_type: content_type(format),
            body: example.body.clone(),
            headers: crate::refine::header(variant).into_iter().collect(),
        };
    }
    let first_sentence = variant.doc.split(['.', '\n']).next().unwrap_or("");
    let message = crate::refine::message(variant, first_sentence.trim().to_string());
    let mut reply = built_error(provider, method, variant, format, &message);
    reply.headers.extend(crate::refine::header(variant));
    reply
}

fn built_error(
    provider: &Provider,
    method: &Method,
    variant: &ErrorVariant,
    format: Format,
    message: &str,
) -> Reply {
    let rule = method
        .error_rules
        .iter()
        .find(|r| matches!(r.code, CodeSource::At(_)));
    let (Some(rule), Some(code)) = (rule, &variant.code) else {
        return status_or_fault(provider, method, variant, format, message);
    };
    let mut doc = Value::Object(Map::new());
    if let CodeSource::At(pointer) = &rule.code {
        let _ = place(&mut doc, pointer, code_value(code));
    }
    if let Some(pointer) = rule.message.first() {
        let _ = place(&mut doc, pointer, Value::from(message));
    }
    satisfy(rule, &mut doc);
    let status = variant
        .http_status
        .or_else(|| rule.when.status.first().map(|r| r.0))
        .unwrap_or(200);
    Reply {
        status,
        content_type: content_type(format),
        body: serialize(provider, format, doc),
        headers: Vec::new(),
    }
}

/// Places what a rule's conditions look for.
fn satisfy(rule: &ErrorRule, doc: &mut Value) {
    if let Some(pointer) = &rule.when.present {
        if doc.pointer(pointer).is_none() {
            let _ = place(doc, pointer, Value::from(true));
        }
    }
    if let Some((pointer, constant)) = &rule.when.equals {
        let _ = place(doc, pointer, crate::validate::literal(constant));
    }
}

/// An error without a code in a document: a SOAP fault, or the status
/// alone. The message goes where the first rule that holds for a bare
/// answer of the status reads it (the client reads it there, and tells a
/// refined entry of the status by it).
fn status_or_fault(
    provider: &Provider,
    method: &Method,
    variant: &ErrorVariant,
    format: Format,
    message: &str,
) -> Reply {
    let code = variant.code.as_ref().map(ToString::to_string);
    if format == Format::Soap {
        let body = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>{}</faultcode><faultstring>{}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"#,
            escape(code.as_deref().unwrap_or("Server")),
            escape(message)
        );
        return Reply {
            status: variant.http_status.unwrap_or(500),
            content_type: content_type(format),
            body,
            headers: Vec::new(),
        };
    }
    let status = variant
        .http_status
        .or_else(|| match &variant.code {
            Some(CodeValue::Int(i)) => u16::try_from(*i).ok().filter(|s| (400..600).contains(s)),
            _ => None,
        })
        .unwrap_or(400);
    let bare = method.error_rules.iter().find(|r| {
        let w = &r.when;
        (w.status.is_empty()
            || w.status
                .iter()
                .any(|(lo, hi)| (*lo..=*hi).contains(&status)))
            && w.present.is_none()
            && w.equals.is_none()
            && w.text.is_none()
            && w.header.is_none()
    });
    let mut doc = Value::Object(Map::new());
    let pointer = match bare {
        Some(rule) => rule.message.first().cloned(),
        None if method.error_rules.is_empty() => Some("/message".to_string()),
        None => None,
    };
    if let Some(pointer) = pointer {
        let _ = place(&mut doc, &pointer, Value::from(message));
    }
    Reply {
        status,
        content_type: content_type(format),
        body: serialize(provider, format, doc),
        headers: Vec::new(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A 400 naming every violation, for those the spec documents no error for.
pub(crate) fn rejected(violations: &[Violation]) -> Reply {
    let mut body = String::from("loginspec mock: the request breaks the spec:\n");
    for violation in violations {
        body.push_str(&format!("- {violation}\n"));
    }
    Reply {
        status: 400,
        content_type: "text/plain; charset=utf-8",
        body,
        headers: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loginspec_codegen::model::Model;

    fn models() -> Vec<Model> {
        [
            "../specs",
            "../tests/corpus",
            "../tests/peers/specs",
            "tests/specs",
        ]
        .iter()
        .map(|dir| {
            loginspec_codegen::load_and_check(std::path::Path::new(dir))
                .unwrap()
                .0
        })
        .collect()
    }

    /// Every answer the mock can give, for every spec in the repository, is
    /// a document in the form the client reads (so the rules can find the code).
    #[test]
    fn every_answer_is_a_readable_document() {
        let mut checked = 0;
        for model in models() {
            for provider in &model.providers {
                for method in &provider.methods {
                    for &encoding in &provider.protocol.encodings {
                        let encoding = method.encoding.unwrap_or(encoding);
                        let reply = success(provider, method, encoding, &[]);
                        if !matches!(method.answer, Answer::Nothing | Answer::Text) {
                            assert!(
                                document(&reply.body, encoding).is_some(),
                                "{} {} success: {}",
                                provider.name,
                                method.wire,
                                reply.body
                            );
                        }
                        for variant in &method.errors {
                            let reply = error(provider, method, variant, encoding);
                            let readable = document(&reply.body, encoding).is_some()
                                || (reply.status >= 400 && variant.code.is_none())
                                || method.examples.iter().any(|e| e.body == reply.body);
                            assert!(
                                readable,
                                "{} {}: {}",
                                provider.name, variant.name, reply.body
                            );
                            // What a `match` looks for is there.
                            let refine = variant.refine.as_ref();
                            if let Some((name, _)) = refine.and_then(|r| r.header.as_ref()) {
                                assert!(reply.headers.iter().any(|(n, _)| n == name));
                            }
                            let example = method.examples.iter().any(|e| e.body == reply.body);
                            if refine.is_some_and(|r| r.message.is_some()) && !example {
                                let message = crate::refine::message(variant, String::new());
                                assert!(!message.is_empty() && reply.body.contains(&message));
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 200, "{checked}");
    }
}
