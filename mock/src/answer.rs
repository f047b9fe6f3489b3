//! The mock's answers, in the provider's response envelope and encoding:
//! successes from the spec's examples (or built from the response types),
//! documented errors from their examples (or built so the method's error
//! rules read them back as that error), and a plain 400 naming violations.

use crate::log::Violation;
use loginspec_codegen::model::{
    Answer, CodeSource, CodeValue, Encoding, ErrorRule, ErrorVariant, Field, HeaderSource, Method,
    NamedKind, Provider, TimeFormat, Ty, TypeDef,
};
use loginspec_runtime::__generated::v1::document::place;
use serde_json::{Map, Value};

/// An answer to send. No `Debug`: the body and headers can hold an issued key.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    /// Headers besides `Content-Type`: a cookie or header key, a handshake
    /// value, the header an error's `match` looks for.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn new(status: u16, content_type: &'static str, body: String) -> Reply {
        Reply {
            status,
            content_type,
            headers: Vec::new(),
            body,
        }
    }
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

/// Plain text (`Fails.`) or a page that is no document (an HTML fragment).
const TEXT: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

fn text_type(body: &str) -> &'static str {
    if is_xml(body) {
        HTML
    } else {
        TEXT
    }
}

/// The content type an example is sent with in `format`: the format's own
/// when the body is a document of it, text or HTML when it is no document
/// the provider speaks (servers answer some errors with a page), `None`
/// when it is a document of the provider's other form (the XML sample of a
/// provider that also speaks JSON).
fn example_type(provider: &Provider, body: &str, format: Format) -> Option<&'static str> {
    let json = serde_json::from_str::<Value>(body).is_ok();
    let xml = provider.protocol.reads_xml()
        && is_xml(body)
        && loginspec_runtime::__generated::v1::xml::to_value(body).is_ok();
    match (format, json, xml) {
        (Format::Json, true, _) | (Format::Xml | Format::Soap, _, true) => {
            Some(content_type(format))
        }
        (_, false, false) => Some(text_type(body)),
        _ => None,
    }
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

/// The success answer; each of `keys` (a response field's wire name, `""`
/// for an answer that is the key itself, and a value the mock issued)
/// replaces the example's value there, or goes into the cookie or header
/// the field is read from. Other fields read from cookies or headers get
/// sample values.
pub(crate) fn success(
    provider: &Provider,
    method: &Method,
    encoding: Encoding,
    keys: &[(String, String)],
) -> Reply {
    let format = format_of(encoding);
    let example = method.examples.iter().find_map(|e| {
        let fits = e.error.is_none() && (200..300).contains(&e.status);
        fits.then(|| example_type(provider, &e.body, format).map(|t| (e, t)))
            .flatten()
    });
    let (mut body, status, mut content) = match example {
        Some((example, content)) => (example.body.clone(), example.status, content),
        None => (
            built_success(provider, method, format),
            200,
            content_type(format),
        ),
    };
    if method.answer == Answer::Text || body.is_empty() {
        content = text_type(&body);
    }
    let mut headers = Vec::new();
    for (wire, key) in keys {
        match header_source(method, wire) {
            Some(HeaderSource::Cookie(name)) => headers.push(cookie(name, key)),
            Some(HeaderSource::Header(name)) => headers.push((name.clone(), key.clone())),
            Some(HeaderSource::Document(at)) => body = substitute(&body, encoding, at, key),
            None => body = substitute(&body, encoding, &field_pointer(method, wire), key),
        }
    }
    for (wire, source) in &method.header_fields {
        if keys.iter().any(|(w, _)| w == wire) {
            continue;
        }
        let sample = || {
            let ty = response_field(method, wire).map_or(&Ty::String, |f| &f.ty);
            match sample(provider, ty, 0) {
                Value::String(text) => text,
                other => other.to_string(),
            }
        };
        match source {
            HeaderSource::Cookie(name) => headers.push(cookie(name, &sample())),
            HeaderSource::Header(name) => headers.push((name.clone(), sample())),
            HeaderSource::Document(_) => {}
        }
    }
    Reply {
        status,
        content_type: content,
        headers,
        body,
    }
}

fn header_source<'m>(method: &'m Method, wire: &str) -> Option<&'m HeaderSource> {
    method
        .header_fields
        .iter()
        .find(|(w, _)| w == wire)
        .map(|(_, source)| source)
}

fn response_field<'m>(method: &'m Method, wire: &str) -> Option<&'m Field> {
    match &method.response.def {
        TypeDef::Struct { fields, .. } => fields.iter().find(|f| f.wire == wire),
        _ => None,
    }
}

fn cookie(name: &str, value: &str) -> (String, String) {
    (
        "set-cookie".into(),
        format!("{name}={value}; Path=/; HttpOnly"),
    )
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
    let (payload, from_document) = match &method.answer {
        Answer::Object => match &method.response.def {
            TypeDef::Struct { fields, .. } => {
                // Fields read from headers, cookies or elsewhere in the
                // document are not members of the payload.
                let own: Vec<Field> = fields
                    .iter()
                    .filter(|f| header_source(method, &f.wire).is_none())
                    .cloned()
                    .collect();
                let placed: Vec<(&String, Value)> = fields
                    .iter()
                    .filter_map(|f| match header_source(method, &f.wire) {
                        Some(HeaderSource::Document(at)) => Some((at, sample(provider, &f.ty, 0))),
                        _ => None,
                    })
                    .collect();
                // A struct of such fields alone has no payload of its own.
                let payload = (!own.is_empty() || fields.is_empty())
                    .then(|| sample_struct(provider, &own, 0));
                (payload, placed)
            }
            _ => (Some(Value::Object(Map::new())), Vec::new()),
        },
        Answer::Value(ty) => (Some(sample(provider, ty, 0)), Vec::new()),
        Answer::Secret | Answer::Text => (Some(Value::from("text")), Vec::new()),
        Answer::Nothing => return String::new(),
    };
    if method.answer == Answer::Text {
        return "text".into();
    }
    let mut doc = envelope(provider, method, format).unwrap_or(Value::Object(Map::new()));
    for rule in &method.error_rules {
        if let (CodeSource::At(pointer), Some(code)) = (&rule.code, rule.success.first()) {
            let _ = place(&mut doc, pointer, code_value(code));
        }
    }
    let headers_only = payload.is_none() && from_document.is_empty();
    if let Some(payload) = payload {
        if place(&mut doc, &method.payload, payload).is_err() {
            return doc.to_string();
        }
    }
    for (at, value) in from_document {
        let _ = place(&mut doc, at, value);
    }
    if headers_only && doc.as_object().is_some_and(Map::is_empty) {
        // Nothing of the answer is in its body (every field is a header or a cookie).
        return String::new();
    }
    serialize(provider, format, doc)
}

/// The members around the payload in the provider's other success
/// examples, when this method has none (Deluge's `{"error": null, "id": …}`
/// around `result`): the envelope is the provider's, not the method's. The
/// top member holding the payload is left out.
fn envelope(provider: &Provider, method: &Method, format: Format) -> Option<Value> {
    let top = method.payload.strip_prefix('/')?.split('/').next()?;
    let encoding = match format {
        Format::Json => Encoding::Json,
        Format::Xml => Encoding::Xml,
        Format::Soap => Encoding::Soap11,
    };
    provider
        .methods
        .iter()
        .filter(|m| m.payload == method.payload)
        .flat_map(|m| &m.examples)
        .filter(|e| e.error.is_none() && (200..300).contains(&e.status))
        .find_map(|e| {
            let mut doc = document(&e.body, encoding)?;
            doc.pointer(&method.payload)?;
            doc.as_object_mut()?
                .remove(&top.replace("~1", "/").replace("~0", "~"));
            Some(doc)
        })
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
    let example = method.examples.iter().find_map(|e| {
        let named = e.error.as_deref() == Some(variant.name.as_str());
        named
            .then(|| example_type(provider, &e.body, format).map(|t| (e, t)))
            .flatten()
    });
    if let Some((example, content)) = example {
        let mut reply = Reply::new(example.status, content, example.body.clone());
        reply.headers.extend(crate::refine::header(variant));
        return reply;
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
    Reply::new(
        status,
        content_type(format),
        serialize(provider, format, doc),
    )
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
        return Reply::new(
            variant.http_status.unwrap_or(500),
            content_type(format),
            body,
        );
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
    Reply::new(
        status,
        content_type(format),
        serialize(provider, format, doc),
    )
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
    Reply::new(400, TEXT, body)
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
                        // An answer whose fields all come from headers has no body.
                        let headers_only =
                            reply.body.is_empty() && !method.header_fields.is_empty();
                        if !matches!(method.answer, Answer::Nothing | Answer::Text) {
                            assert!(
                                headers_only || document(&reply.body, encoding).is_some(),
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
