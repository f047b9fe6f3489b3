//! Writes a request: URL, headers and body, from the parameters as JSON.

use crate::error::Invalid;
use crate::protocol::{Carry, Constant, Encoding, Method, MethodName, Protocol};
use crate::transport::Request;
use quick_xml::escape::escape;
use serde_json::{Map, Value};

/// A request as it would be sent: what [`encode_example`] returns. No
/// `Debug`: the body holds secrets in plain.
#[derive(Clone, PartialEq, Eq)]
pub struct EncodedRequest {
    /// `POST`, or `GET` for the query encoding.
    pub method: reqwest::Method,
    pub url: String,
    /// `None` for a request without a body.
    pub content_type: Option<&'static str>,
    /// The `SOAPAction` value, without the quotes the header adds.
    pub soap_action: Option<&'static str>,
    pub body: String,
}

/// Validates `request` and writes it as a call would, without any HTTP.
/// The counterpart of [`decode_example`](crate::decode_example), for tests
/// and benchmarks that look at the exact bytes. `client_fields` are the
/// variables a client sends as fields (`("clientCode", "123456")`).
pub fn encode_example<Req: Request>(
    protocol: &Protocol,
    method: &Method,
    encoding: Encoding,
    base_url: &str,
    client_fields: &[(&'static str, String)],
    mut request: Req,
) -> Result<EncodedRequest, Invalid> {
    let params = prepare(&mut request)?;
    let out = encode(
        protocol,
        method,
        encoding,
        base_url,
        client_fields,
        params,
        None,
    );
    Ok(EncodedRequest {
        method: out.method,
        url: out.url,
        content_type: out.content_type,
        soap_action: out.soap_action,
        body: out.body,
    })
}

/// Runs the request's checks and serializes it into its fields, as a call
/// does before [`encode`].
pub(crate) fn prepare<Req: Request>(request: &mut Req) -> Result<Map<String, Value>, Invalid> {
    request.validate()?;
    match serde_json::to_value(&*request) {
        Ok(Value::Object(params)) => Ok(params),
        // Generated requests are structs of plain values; anything else is a generator bug.
        _ => Err(Invalid {
            field: "request",
            reason: "is not a struct of values".into(),
        }),
    }
}

/// A request ready to send. No `Debug`: the body holds secrets in plain.
pub(crate) struct Outgoing {
    pub method: reqwest::Method,
    pub url: String,
    /// `None` for a request without a body.
    pub content_type: Option<&'static str>,
    pub soap_action: Option<&'static str>,
    pub body: String,
}

/// Builds the request for `method` with the serialized `params`.
///
/// Field order is stable and matches the vendors' own examples: the method
/// name field, then client-wide fields, then constants, then parameters,
/// then the session key (`session`, with where the protocol carries it) as
/// the last field; a key carried in the query string goes into the URL
/// before any fields the `query` encoding adds there.
pub(crate) fn encode(
    protocol: &Protocol,
    method: &Method,
    encoding: Encoding,
    base_url: &str,
    client_fields: &[(&'static str, String)],
    params: Map<String, Value>,
    session: Option<(Carry, &str)>,
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
    if let Some((Carry::Field(name), key)) = session {
        fields.insert(name.to_string(), Value::from(key));
    }
    if let Some((Carry::Query(name), key)) = session {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair(name, key);
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&query.finish());
    }

    let (content_type, body) = match encoding {
        Encoding::Form => (
            Some("application/x-www-form-urlencoded"),
            form_body(&fields),
        ),
        Encoding::Query => {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&form_body(&fields));
            (None, String::new())
        }
        Encoding::Json => (Some("application/json"), Value::Object(fields).to_string()),
        Encoding::Xml => (
            Some("application/xml"),
            xml_body(protocol.xml_root, &fields),
        ),
        Encoding::Soap11 => (
            Some("text/xml; charset=utf-8"),
            soap_body(protocol, method, &fields),
        ),
    };
    let http_method = match encoding {
        Encoding::Query => reqwest::Method::GET,
        _ => reqwest::Method::POST,
    };
    Outgoing {
        method: http_method,
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

/// Form fields (and query parameters) carry text: strings as they are, numbers and booleans as
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ErrorRule;

    fn protocol(method_name: MethodName, pack_params: Option<&'static str>) -> Protocol {
        Protocol {
            provider: "test",
            base_url: "",
            encodings: &[Encoding::Query, Encoding::Form],
            method_name,
            pack_params,
            xml_root: "Request",
            soap_namespace: "",
            payload: "",
            errors: ErrorRule {
                code: None,
                code_optional: true,
                message: None,
                numeric: true,
                success_int: &[],
                success_text: &[],
            },
            secret_fields: &[],
            session_key: None,
        }
    }

    const LOGOUT: Method = Method {
        name: "core/logout",
        path: "",
        soap: None,
        constants: &[],
        error_statuses: &[],
    };

    const METHOD: Method = Method {
        name: "token/login",
        path: "",
        soap: None,
        constants: &[("Result", Constant::Null)],
        error_statuses: &[],
    };

    fn params() -> Map<String, Value> {
        serde_json::json!({"token": "a b&c", "fl": 3})
            .as_object()
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn query_encoding_is_a_get_with_every_field_in_the_url() {
        let out = encode(
            &protocol(MethodName::Field("svc"), Some("params")),
            &METHOD,
            Encoding::Query,
            "http://h/api?x=1",
            &[],
            params(),
            None,
        );
        assert_eq!(out.method, reqwest::Method::GET);
        assert_eq!(out.content_type, None);
        assert!(out.body.is_empty());
        assert_eq!(out.url, "http://h/api?x=1&svc=token%2Flogin&params=%7B%22token%22%3A%22a+b%26c%22%2C%22fl%22%3A3%7D");
    }

    #[test]
    fn form_encoding_orders_method_client_fields_constants_then_params() {
        let client = [("clientCode", "123456".to_string())];
        let out = encode(
            &protocol(MethodName::Field("request"), None),
            &METHOD,
            Encoding::Form,
            "http://h/api/",
            &client,
            params(),
            None,
        );
        assert_eq!(out.method, reqwest::Method::POST);
        assert_eq!(out.content_type, Some("application/x-www-form-urlencoded"));
        // `Result: null` is a constant with no value, so a form leaves it out.
        assert_eq!(
            out.body,
            "request=token%2Flogin&clientCode=123456&token=a+b%26c&fl=3"
        );
    }

    #[test]
    fn session_key_goes_last_as_a_field_or_into_the_query() {
        let proto = Protocol {
            session_key: Some(Carry::Field("sid")),
            ..protocol(MethodName::Field("svc"), Some("params"))
        };
        let out = encode(
            &proto,
            &LOGOUT,
            Encoding::Form,
            "http://h/wialon/ajax.html",
            &[],
            Map::new(),
            Some((Carry::Field("sid"), "k&1")),
        );
        assert_eq!(out.body, "svc=core%2Flogout&params=%7B%7D&sid=k%261");

        let out = encode(
            &proto,
            &LOGOUT,
            Encoding::Json,
            "http://h/api?x=1",
            &[],
            Map::new(),
            Some((Carry::Query("Token"), "a b")),
        );
        assert_eq!(out.url, "http://h/api?x=1&Token=a+b");
        assert_eq!(out.body, r#"{"svc":"core/logout","params":"{}"}"#);
    }
}
