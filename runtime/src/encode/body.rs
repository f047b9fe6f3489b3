//! Writes the request document in the client's encoding: form fields, query
//! parameters, JSON, XML, or a SOAP 1.1 envelope.

use crate::error::Invalid;
use crate::ordered::{Map, Value};

/// The document's top-level members, for the encodings that write named
/// members (form, query, XML, SOAP). Nothing placed is no members.
pub(super) fn members(document: Value) -> Result<Map, Invalid> {
    match document {
        Value::Null => Ok(Map::new()),
        Value::Object(members) => Ok(members),
        _ => Err(Invalid {
            field: "request",
            reason: "this encoding writes named members, but the body is not an object".into(),
        }),
    }
}

/// Form fields (and query parameters) carry text: strings as they are,
/// numbers and booleans as written in JSON, nested values as JSON
/// documents; `null` is left out.
pub(super) fn form(fields: &Map) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        if let Some(text) = text(value) {
            form.append_pair(name, &text);
        }
    }
    form.finish()
}

/// A value as text outside a JSON body: strings raw, other scalars and
/// nested values as JSON text, `null` as nothing.
pub(super) fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The JSON body: nothing placed is the empty object.
pub(super) fn json(document: &Value) -> String {
    match document {
        Value::Null => "{}".to_string(),
        other => other.to_string(),
    }
}

pub(super) fn xml(root: &str, fields: &Map) -> String {
    let mut out = format!("<{root}>");
    write_xml_fields(&mut out, "", fields);
    out.push_str(&format!("</{root}>"));
    out
}

/// A SOAP 1.1 envelope whose Body holds one `ns:` element per top-level
/// member (the operation's request element), every element below prefixed too.
pub(super) fn soap11(namespace: &str, fields: &Map) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns=""#,
    );
    out.push_str(&crate::escape::xml(namespace, true));
    out.push_str(r#""><soapenv:Body>"#);
    write_xml_fields(&mut out, "ns:", fields);
    out.push_str("</soapenv:Body></soapenv:Envelope>");
    out
}

/// One element per field; lists repeat the element, objects nest, `null` is left out.
fn write_xml_fields(out: &mut String, prefix: &str, fields: &Map) {
    for (name, value) in fields {
        write_xml_value(out, prefix, name, value);
    }
}

fn write_xml_value(out: &mut String, prefix: &str, name: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                write_xml_value(out, prefix, name, item);
            }
        }
        Value::Object(fields) => {
            out.push_str(&format!("<{prefix}{name}>"));
            write_xml_fields(out, prefix, fields);
            out.push_str(&format!("</{prefix}{name}>"));
        }
        Value::String(s) => out.push_str(&format!(
            "<{prefix}{name}>{}</{prefix}{name}>",
            crate::escape::xml(s, true)
        )),
        other => out.push_str(&format!("<{prefix}{name}>{other}</{prefix}{name}>")),
    }
}
