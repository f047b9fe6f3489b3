//! Writes a request: URL, headers and body, from the parameters as JSON.

use crate::protocol::{Constant, Encoding, Method, MethodName, Protocol};
use quick_xml::escape::escape;
use serde_json::{Map, Value};

/// A request ready to send.
#[derive(Debug)]
pub(crate) struct Outgoing {
    pub url: String,
    pub content_type: &'static str,
    pub soap_action: Option<&'static str>,
    pub body: String,
}

/// Builds the request for `method` with the serialized `params`.
///
/// Field order is stable and matches the vendors' own examples: the method
/// name field, then client-wide fields, then constants, then parameters.
pub(crate) fn encode(
    protocol: &Protocol,
    method: &Method,
    encoding: Encoding,
    base_url: &str,
    client_fields: &[(&'static str, String)],
    params: Map<String, Value>,
) -> Outgoing {
    let mut url = base_url.to_string();
    let mut fields = Map::new();
    match protocol.method_name {
        MethodName::Path => {
            if !url.ends_with('/') {
                url.push('/');
            }
            url.push_str(method.path);
        }
        MethodName::Field(name) => {
            fields.insert(name.to_string(), Value::from(method.name));
        }
        MethodName::SoapAction => {}
    }
    for (name, value) in client_fields {
        fields.insert(name.to_string(), Value::from(value.as_str()));
    }
    for (name, constant) in method.constants {
        fields.insert(name.to_string(), constant_value(*constant));
    }
    match protocol.pack_params {
        Some(pack) => {
            fields.insert(
                pack.to_string(),
                Value::String(Value::Object(params).to_string()),
            );
        }
        None => fields.extend(params),
    }

    let (content_type, body) = match encoding {
        Encoding::Form => ("application/x-www-form-urlencoded", form_body(&fields)),
        Encoding::Json => ("application/json", Value::Object(fields).to_string()),
        Encoding::Xml => ("application/xml", xml_body(protocol.xml_root, &fields)),
        Encoding::Soap11 => (
            "text/xml; charset=utf-8",
            soap_body(protocol, method, &fields),
        ),
    };
    Outgoing {
        url,
        content_type,
        soap_action: method.soap.map(|s| s.action),
        body,
    }
}

fn constant_value(constant: Constant) -> Value {
    match constant {
        Constant::Null => Value::Null,
        Constant::Bool(b) => Value::Bool(b),
        Constant::Int(i) => Value::from(i),
        Constant::Float(f) => Value::from(f),
        Constant::Str(s) => Value::from(s),
    }
}

/// Form fields carry text: strings as they are, numbers and booleans as
/// written in JSON, nested values as JSON documents; `null` is left out.
fn form_body(fields: &Map<String, Value>) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        match value {
            Value::Null => {}
            Value::String(s) => {
                form.append_pair(name, s);
            }
            other => {
                form.append_pair(name, &other.to_string());
            }
        }
    }
    form.finish()
}

fn xml_body(root: &str, fields: &Map<String, Value>) -> String {
    let mut out = format!("<{root}>");
    write_xml_fields(&mut out, "", fields);
    out.push_str(&format!("</{root}>"));
    out
}

fn soap_body(protocol: &Protocol, method: &Method, fields: &Map<String, Value>) -> String {
    let element = method
        .soap
        .map(|s| s.request_element)
        .unwrap_or(method.name);
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns=""#,
    );
    out.push_str(&escape(protocol.soap_namespace));
    out.push_str(&format!(r#""><soapenv:Body><ns:{element}>"#));
    write_xml_fields(&mut out, "ns:", fields);
    out.push_str(&format!(
        "</ns:{element}></soapenv:Body></soapenv:Envelope>"
    ));
    out
}

/// One element per field; lists repeat the element, objects nest, `null` is left out.
fn write_xml_fields(out: &mut String, prefix: &str, fields: &Map<String, Value>) {
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
            escape(s.as_str())
        )),
        other => out.push_str(&format!("<{prefix}{name}>{other}</{prefix}{name}>")),
    }
}
