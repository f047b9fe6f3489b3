//! Reads a response: parses the body, tells an API error from a success by
//! the method's ordered error rules, and finds the payload. Nothing here is
//! generic, so it is compiled once.

mod excerpt;
mod rules;

pub(crate) use excerpt::excerpt;

use crate::error::ErrorCode;
use crate::protocol::{Encoding, HeaderSource, Method, PayloadKind};
use crate::{charset, json};
use reqwest::header::HeaderMap;
use serde_json::{Map, Value};

/// What the server said, before typed decoding.
#[derive(Debug)]
pub(crate) enum Answer {
    Payload(Value),
    Api {
        code: ErrorCode,
        message: Option<String>,
        /// A delay the body asked for (`retry_after_ms`), in seconds.
        retry_after_secs: Option<u32>,
    },
}

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) struct Undecodable(pub String);

/// What the rules look at: the answer as received and, when the body is a
/// document, the document.
pub(crate) struct Received<'a> {
    pub status: u16,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// `None` when the body is not a document (or none was needed).
    pub document: Option<&'a Value>,
    /// Whether the document was read from XML: a repeated element on a
    /// read path is then refused, as a duplicate key is in JSON.
    pub xml: bool,
}

pub(crate) fn decode(
    method: &Method,
    encoding: Encoding,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    id_check: Option<(&'static str, u64)>,
) -> Result<Answer, Undecodable> {
    // A method with its own encoding is read in it, whatever the client's.
    let encoding = method.encoding.unwrap_or(encoding);
    let success = (200..300).contains(&status);
    // A status the method documents for its errors stays an error whatever
    // the body holds: nothing, a proxy's page, a document without a code.
    let documented = !success && method.error_statuses.contains(&status);
    let xml = matches!(encoding, Encoding::Xml | Encoding::Soap11);
    let from_document = method
        .header_fields
        .iter()
        .any(|(_, source)| matches!(source, HeaderSource::Document(_)));
    let needs_document = method.payload_kind == PayloadKind::Document
        || from_document
        || encoding == Encoding::Soap11
        || method.error_rules.iter().any(rules::reads_document)
        || id_check.is_some();
    let id_at = id_check.map(|(at, _)| at);
    let parsed = needs_document.then(|| parse(method, encoding, body, id_at));
    let mut document = match parsed {
        Some(Ok(document)) => Some(document),
        Some(Err(e)) if method.payload_kind == PayloadKind::Document || from_document => {
            // Rules that look at status, text and headers only still decide.
            let received = Received {
                status,
                headers,
                body,
                document: None,
                xml,
            };
            if let Some(answer) = rules::without_document(method, &received) {
                return Ok(answer);
            }
            if documented {
                return Ok(by_status(status, None));
            }
            return Err(e);
        }
        // A JSON document with a duplicate key on a path a rule reads could
        // mean an error to one reader and a success to another: refused.
        Some(Err(e)) if duplicates_only(encoding, body) => return Err(e),
        // A text or empty payload does not need a document; rules that read
        // one do not apply to a body that is not one.
        Some(Err(_)) | None => None,
    };
    if let (Some((at, sent)), Some(document)) = (id_check, &document) {
        check_id(document, at, sent, xml)?;
    }
    if encoding == Encoding::Soap11 {
        if let Some(fault) = document.as_ref().and_then(|d| d.get("Fault")) {
            return soap_fault(fault, status);
        }
    }
    let received = Received {
        status,
        headers,
        body,
        document: document.as_ref(),
        xml,
    };
    if let Some(answer) = rules::apply(method, &received, documented)? {
        return Ok(answer);
    }
    // Read before the payload is moved out of the document.
    let document_fields = match &document {
        Some(document) if from_document => fields_at(method.header_fields, document, xml)?,
        _ => Vec::new(),
    };
    let mut payload = match method.payload_kind {
        PayloadKind::Document => match document.as_mut() {
            Some(document) => take(document, method.payload, xml)?,
            None => return Err(Undecodable("empty body".into())),
        },
        PayloadKind::Text => {
            Value::String(charset::json_text(body).map_err(Undecodable)?.to_string())
        }
        PayloadKind::Empty => Value::Null,
    };
    add_header_fields(method.header_fields, headers, &mut payload)?;
    if let Value::Object(object) = &mut payload {
        object.extend(document_fields);
    }
    Ok(Answer::Payload(payload))
}

pub(crate) fn by_status(status: u16, message: Option<String>) -> Answer {
    Answer::Api {
        code: ErrorCode::HttpStatus(status),
        message,
        retry_after_secs: None,
    }
}

/// The body as a JSON value; for SOAP, the content of the envelope's Body.
fn parse(
    method: &Method,
    encoding: Encoding,
    body: &[u8],
    id_at: Option<&'static str>,
) -> Result<Value, Undecodable> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Undecodable("empty body".into()));
    }
    match encoding {
        Encoding::Form | Encoding::Query | Encoding::Json | Encoding::None => {
            let text = charset::json_text(body).map_err(Undecodable)?;
            let mut read = Vec::new();
            if method.payload_kind == PayloadKind::Document {
                read.push(method.payload);
            }
            for rule in method.error_rules {
                read.extend(rules::pointers(rule));
            }
            // A duplicate key on a field's path is as ambiguous as on the payload's.
            read.extend(method.header_fields.iter().filter_map(|(_, s)| match s {
                HeaderSource::Document(at) => Some(*at),
                _ => None,
            }));
            read.extend(id_at);
            json::parse(text, &json::Watched::new(read))
                .map_err(|e| Undecodable(format!("expected a JSON document: {e}")))
        }
        Encoding::Xml | Encoding::Soap11 => xml_document(encoding, body),
    }
}

/// An answer that is a document must echo the request id: an answer to
/// another request (or one that names none) is not this call's answer.
/// An XML answer, or a SOAP envelope's Body, as a document.
#[cfg(feature = "xml")]
fn xml_document(encoding: Encoding, body: &[u8]) -> Result<Value, Undecodable> {
    match encoding {
        Encoding::Xml => {
            let text = charset::xml_text(body).map_err(Undecodable)?;
            crate::xml::to_value(&text)
                .map(|document| document.value)
                .map_err(|e| Undecodable(format!("expected an XML document: {e}")))
        }
        _ => {
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

/// Without the `xml` feature no answer is read as XML (generated code that
/// needs it does not compile: `requires!(xml)`).
#[cfg(not(feature = "xml"))]
fn xml_document(_: Encoding, _: &[u8]) -> Result<Value, Undecodable> {
    Err(Undecodable(
        "reading XML needs the `xml` feature of loginspec-runtime".into(),
    ))
}

fn check_id(document: &Value, at: &str, sent: u64, xml: bool) -> Result<(), Undecodable> {
    let found = lookup(document, at, xml)?;
    let same = match found {
        Some(Value::Number(n)) => {
            n.as_u64() == Some(sent) || n.as_f64().is_some_and(|f| f == sent as f64)
        }
        Some(Value::String(text)) => text.trim() == sent.to_string(),
        _ => false,
    };
    if same {
        return Ok(());
    }
    Err(Undecodable(match found {
        None | Some(Value::Null) => {
            format!("the answer has no request id at `{at}`; the request's id is {sent}")
        }
        Some(other) => {
            let shown: String = other.to_string().chars().take(40).collect();
            format!("the answer's request id at `{at}` is {shown}, the request's id is {sent}")
        }
    }))
}

/// Whether a body that failed to parse is a JSON document all the same,
/// refused only for a duplicate key on a read path.
fn duplicates_only(encoding: Encoding, body: &[u8]) -> bool {
    let json = matches!(
        encoding,
        Encoding::Form | Encoding::Query | Encoding::Json | Encoding::None
    );
    json && charset::json_text(body)
        .is_ok_and(|text| json::parse(text, &json::Watched::new(std::iter::empty())).is_ok())
}

#[cfg(feature = "xml")]
const SOAP11_ENVELOPE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
#[cfg(feature = "xml")]
const SOAP12_ENVELOPE: &str = "http://www.w3.org/2003/05/soap-envelope";

/// An `Envelope` in another namespace is not a SOAP 1.1 message, however
/// much it looks like one.
#[cfg(feature = "xml")]
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

/// SOAP 1.1 §4.4: a `Fault` in the Body is the error; its code is the local
/// part of `faultcode` (a namespace prefix is dropped), its message `faultstring`.
fn soap_fault(fault: &Value, status: u16) -> Result<Answer, Undecodable> {
    if let Value::Array(items) = fault {
        return Err(repeated("Fault", items.len()));
    }
    let code = lookup(fault, "/faultcode", true)?
        .and_then(Value::as_str)
        .unwrap_or("");
    let code = code.rsplit(':').next().unwrap_or(code).trim().to_string();
    let message = lookup(fault, "/faultstring", true)?
        .and_then(Value::as_str)
        .map(str::to_string);
    let code = if code.is_empty() {
        ErrorCode::HttpStatus(status)
    } else {
        ErrorCode::Text(code)
    };
    Ok(Answer::Api {
        code,
        message,
        retry_after_secs: None,
    })
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
pub(crate) fn lookup<'v>(
    document: &'v Value,
    path: &str,
    xml: bool,
) -> Result<Option<&'v Value>, Undecodable> {
    if !xml {
        return Ok(document.pointer(path));
    }
    let mut node = document;
    for key in path.split('/').skip(1) {
        let key = crate::pointer::unescape(key);
        node = match node.get(&key) {
            Some(Value::Array(items)) => return Err(repeated(&key, items.len())),
            Some(value) => value,
            None => return Ok(None),
        };
    }
    Ok(Some(node))
}

/// Moves the value at `path` out of `document`.
fn take(document: &mut Value, path: &str, xml: bool) -> Result<Value, Undecodable> {
    if lookup(document, path, xml)?.is_none() {
        return Err(Undecodable(format!("no payload at `{path}`")));
    }
    Ok(document
        .pointer_mut(path)
        .map(Value::take)
        .unwrap_or_default())
}

/// The response fields read from the document at absolute pointers; one
/// the answer lacks (or holds `null`) is left out.
fn fields_at(
    fields: &[(&'static str, HeaderSource)],
    document: &Value,
    xml: bool,
) -> Result<Vec<(String, Value)>, Undecodable> {
    let mut out = Vec::new();
    for (name, source) in fields {
        if let HeaderSource::Document(at) = source {
            if let Some(value) = lookup(document, at, xml)?.filter(|v| !v.is_null()) {
                out.push((name.to_string(), value.clone()));
            }
        }
    }
    Ok(out)
}

/// Inserts the response fields read from headers and cookies into the
/// payload object; one the answer lacks is left out. A payload of nothing
/// becomes an object of these fields.
fn add_header_fields(
    fields: &[(&'static str, HeaderSource)],
    headers: &HeaderMap,
    payload: &mut Value,
) -> Result<(), Undecodable> {
    if fields.is_empty() {
        return Ok(());
    }
    if payload.is_null() {
        *payload = Value::Object(Map::new());
    }
    let Value::Object(object) = payload else {
        return Err(Undecodable(
            "fields from headers need an object payload".into(),
        ));
    };
    for (name, source) in fields {
        let value = match source {
            HeaderSource::Header(header) => headers
                .get(*header)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            HeaderSource::Cookie(cookie) => set_cookie(headers, cookie),
            HeaderSource::Document(_) => continue,
        };
        if let Some(value) = value {
            object.insert(name.to_string(), Value::String(value));
        }
    }
    Ok(())
}

/// The value of cookie `name` in the answer's `Set-Cookie` headers; the
/// last one wins, as a browser's jar keeps the last.
pub(crate) fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .rev()
        .find_map(|header| {
            let text = String::from_utf8_lossy(header.as_bytes());
            let pair = text.split(';').next()?;
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then(|| {
                let value = value.trim();
                let value = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(value);
                value.to_string()
            })
        })
}

#[cfg(test)]
mod tests;
