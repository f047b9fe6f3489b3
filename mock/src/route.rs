//! Reads an incoming request (query, headers, cookies, body document in the
//! provider's encoding) and finds the method it calls: by HTTP method, path
//! template, and the bindings that name a method (a method name in the body
//! or query, a constant header such as `SOAPAction`).

use crate::log::Violation;
use loginspec_codegen::model::{Binding, Encoding, Location, Method, Provider, ValueSource, Verb};
use serde_json::{Map, Value};

/// A request as the server read it. No `Debug`: it holds secrets.
pub(crate) struct Received {
    pub(crate) verb: String,
    /// The path below the provider's base path, still percent-encoded.
    pub(crate) path: Option<String>,
    pub(crate) query: Vec<(String, String)>,
    /// Names in lower case.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Received {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn cookie(&self, name: &str) -> Option<String> {
        let header = self.header("cookie")?;
        header.split(';').find_map(|pair| {
            let (n, v) = pair.trim().split_once('=')?;
            (n == name).then(|| v.to_string())
        })
    }

    /// The media type of the body, lower case, without parameters.
    pub(crate) fn media_type(&self) -> Option<String> {
        let value = self.header("content-type")?;
        Some(value.split(';').next()?.trim().to_ascii_lowercase())
    }
}

/// The media type an encoding writes, if it writes a body.
pub(crate) fn media_type(encoding: Encoding) -> Option<&'static str> {
    match encoding {
        Encoding::Form => Some("application/x-www-form-urlencoded"),
        Encoding::Json => Some("application/json"),
        Encoding::Xml => Some("application/xml"),
        Encoding::Soap11 => Some("text/xml"),
        Encoding::Query | Encoding::None => None,
    }
}

/// The encoding a method's request is read in: its own, else the provider's
/// that matches the request's media type, else the provider's first.
pub(crate) fn encoding_of(provider: &Provider, method: &Method, rx: &Received) -> Encoding {
    if let Some(own) = method.encoding {
        return own;
    }
    let first = provider
        .protocol
        .encodings
        .first()
        .copied()
        .unwrap_or(Encoding::Json);
    // A call without a body says by `Accept` which form it reads.
    let accept = || {
        let accept = rx.header("accept")?;
        Some(accept.split([',', ';']).next()?.trim().to_ascii_lowercase())
    };
    match rx.media_type().or_else(accept) {
        Some(media) => provider
            .protocol
            .encodings
            .iter()
            .copied()
            .find(|e| media_type(*e) == Some(media.as_str()))
            .unwrap_or(first),
        None => provider
            .protocol
            .encodings
            .iter()
            .copied()
            .find(|e| *e == Encoding::Query)
            .unwrap_or(first),
    }
}

/// The HTTP method a call in `encoding` uses.
pub(crate) fn verb_name(method: &Method, encoding: Encoding) -> &'static str {
    match (encoding, method.verb) {
        (Encoding::Query, _) | (_, Verb::Get) => "GET",
        (_, Verb::Post) => "POST",
        (_, Verb::Put) => "PUT",
        (_, Verb::Patch) => "PATCH",
        (_, Verb::Delete) => "DELETE",
    }
}

/// Values of `{name}` segments when `path` fits the method's template.
pub(crate) fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let want: Vec<&str> = template.split('/').collect();
    let got: Vec<&str> = path.split('/').collect();
    if want.len() != got.len() {
        return None;
    }
    let mut captures = Vec::new();
    for (w, g) in want.iter().zip(&got) {
        match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            Some(name) => {
                let value = percent_encoding::percent_decode_str(g)
                    .decode_utf8()
                    .ok()?
                    .into_owned();
                captures.push((name.to_string(), value));
            }
            None if w == g => {}
            None => return None,
        }
    }
    Some(captures)
}

/// The request's body document in `encoding`: form fields and XML elements
/// as strings, members named in `json_strings` parsed from their JSON text.
pub(crate) fn document(
    provider: &Provider,
    method: &Method,
    encoding: Encoding,
    rx: &Received,
) -> Result<Value, Violation> {
    let text =
        std::str::from_utf8(&rx.body).map_err(|_| Violation::new("body", "is not UTF-8 text"))?;
    let mut document = match encoding {
        Encoding::Query | Encoding::None if rx.body.is_empty() => Value::Null,
        Encoding::Query | Encoding::None => {
            return Err(Violation::new(
                "body",
                "is sent, but the method has no body",
            ))
        }
        _ if text.is_empty() => Value::Null,
        Encoding::Form => {
            let mut members = Map::new();
            for (name, value) in form_urlencoded::parse(text.as_bytes()) {
                if members
                    .insert(name.to_string(), Value::String(value.into_owned()))
                    .is_some()
                {
                    return Err(Violation::new(name, "is sent twice"));
                }
            }
            Value::Object(members)
        }
        Encoding::Json => serde_json::from_str(text)
            .map_err(|e| Violation::new("body", format!("is not JSON: {e}")))?,
        Encoding::Xml => {
            let read = loginspec_runtime::__generated::v1::xml::to_value(text)
                .map_err(|e| Violation::new("body", format!("is not XML: {e}")))?;
            let root = provider.protocol.xml_root.as_deref().unwrap_or("");
            if read.root != root {
                return Err(Violation::new(
                    "body",
                    format!("has the root element `{}`, not `{root}`", read.root),
                ));
            }
            empty_text_as_null(read.value)
        }
        Encoding::Soap11 => soap_body(provider, text)?,
    };
    for pointer in &method.json_strings {
        if let Some(slot) = document.pointer_mut(pointer) {
            let parsed = match slot {
                Value::String(text) => serde_json::from_str(text).map_err(|e| {
                    Violation::new(pointer.as_str(), format!("is not JSON text: {e}"))
                })?,
                _ => return Err(Violation::new(pointer.as_str(), "is not JSON text")),
            };
            *slot = parsed;
        }
    }
    Ok(document)
}

/// An empty root (`<Request></Request>`) reads as an empty string.
fn empty_text_as_null(value: Value) -> Value {
    match value {
        Value::String(s) if s.trim().is_empty() => Value::Object(Map::new()),
        other => other,
    }
}

/// The content of a SOAP 1.1 envelope's Body, its elements in the provider's namespace.
fn soap_body(provider: &Provider, text: &str) -> Result<Value, Violation> {
    let read = loginspec_runtime::__generated::v1::xml::to_value(text)
        .map_err(|e| Violation::new("body", format!("is not XML: {e}")))?;
    const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
    if read.root != "Envelope" || read.namespace.as_deref() != Some(SOAP11) {
        return Err(Violation::new("body", "is not a SOAP 1.1 Envelope"));
    }
    let namespace = provider.protocol.soap_namespace.as_deref().unwrap_or("");
    if !text.contains(&format!("\"{namespace}\"")) {
        return Err(Violation::new(
            "body",
            format!("does not declare the namespace {namespace}"),
        ));
    }
    match read.value {
        Value::Object(mut envelope) => match envelope.remove("Body") {
            Some(body @ Value::Object(_)) => Ok(body),
            _ => Err(Violation::new("body", "has no SOAP Body with content")),
        },
        _ => Err(Violation::new("body", "has no SOAP Body")),
    }
}

/// The value a binding's location holds in the request, as JSON (text for
/// everything outside a JSON body).
pub(crate) fn received(
    binding: &Binding,
    rx: &Received,
    document: &Value,
    captures: &[(String, String)],
) -> Result<Option<Value>, Violation> {
    Ok(match &binding.location {
        Location::Body(pointer) => document.pointer(pointer).cloned(),
        Location::Query(name) => {
            let mut found = rx.query.iter().filter(|(n, _)| n == name);
            let first = found.next().map(|(_, v)| Value::String(v.clone()));
            if found.next().is_some() {
                return Err(Violation::new(name.as_str(), "is sent twice in the query"));
            }
            first
        }
        Location::Path(name) => captures
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| Value::String(v.clone())),
        Location::Header { name, template } => match rx.header(name) {
            None => None,
            Some(value) => {
                let (before, after) = template.split_once("{value}").unwrap_or(("", ""));
                match value
                    .strip_prefix(before)
                    .and_then(|v| v.strip_suffix(after))
                {
                    Some(inner) => Some(Value::String(inner.to_string())),
                    None => {
                        return Err(Violation::new(
                            name.as_str(),
                            format!("is not of the form {template}"),
                        ))
                    }
                }
            }
        },
        Location::Cookie(name) => rx.cookie(name).map(Value::String),
        Location::BasicUser | Location::BasicPassword => {
            let Some(pair) = basic_pair(rx) else {
                return Ok(None);
            };
            let (user, password) = pair.split_once(':').unwrap_or((&pair, ""));
            let part = match binding.location {
                Location::BasicUser => user,
                _ => password,
            };
            Some(Value::String(part.to_string()))
        }
    })
}

fn basic_pair(rx: &Received) -> Option<String> {
    use base64::Engine as _;
    let encoded = rx.header("authorization")?.strip_prefix("Basic ")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// Whether a binding names the method (a method name, or a constant header)
/// and so takes part in routing.
fn selects(binding: &Binding) -> bool {
    matches!(
        (&binding.source, &binding.location),
        (ValueSource::MethodName, _)
            | (
                ValueSource::Constant(_),
                Location::Header { .. } | Location::Query(_)
            )
    )
}

/// The method a request calls, or why none does.
pub(crate) fn route(provider: &Provider, rx: &Received) -> Result<usize, Violation> {
    let Some(path) = &rx.path else {
        return Err(Violation::new(
            "path",
            "is not below the provider's base path",
        ));
    };
    let mut fits_path = false;
    let mut selector_miss = None;
    for (index, method) in provider.methods.iter().enumerate() {
        let Some(captures) = match_path(&method.path, path) else {
            continue;
        };
        fits_path = true;
        let encoding = encoding_of(provider, method, rx);
        if verb_name(method, encoding) != rx.verb {
            continue;
        }
        let document = document(provider, method, encoding, rx).unwrap_or(Value::Null);
        let mismatch = method.bindings.iter().filter(|b| selects(b)).find(|b| {
            let want = match &b.source {
                ValueSource::MethodName => Some(Value::String(method.wire.clone())),
                ValueSource::Constant(literal) => Some(crate::validate::literal(literal)),
                _ => None,
            };
            let got = received(b, rx, &document, &captures).ok().flatten();
            match (want, got) {
                (Some(want), Some(got)) => {
                    crate::validate::text(&want) != crate::validate::text(&got)
                }
                _ => true,
            }
        });
        match mismatch {
            None => return Ok(index),
            Some(binding) => selector_miss = Some(crate::validate::place_name(&binding.location)),
        }
    }
    Err(match (fits_path, selector_miss) {
        (false, _) => Violation::new("path", "names no method of the provider"),
        (true, Some(place)) => Violation::new(place, "names no method of the provider"),
        (true, None) => Violation::new(
            "method",
            "is not the HTTP method of any method at this path",
        ),
    })
}
