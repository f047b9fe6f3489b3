//! Writes a request: verb, URL, headers and body, by walking the method's
//! binding table (`Method::bindings`) over the request's parameters.
//!
//! Each binding takes a value (a parameter, a constant, the method name, a
//! client variable, the session key) and puts it at one location. Body
//! locations build one document (`crate::document::place`), which is then
//! written in the client's encoding ([`body`]); the other locations become
//! query parameters, path segments, headers, cookies and Basic credentials.

mod body;
mod wire;

use crate::derive::{DeriveError, Derived};
use crate::error::Invalid;
use crate::ordered::{self, Map, Value};
use crate::protocol::{Binding, Constant, Encoding, Location, Method, Protocol, Source, Verb};
use crate::secret::Secret;

/// Implemented by every generated request type: what encoding a call needs
/// from its parameters.
pub trait Request: serde::Serialize {
    /// Runs the spec's client-side checks; may clamp values the spec says to clamp.
    fn validate(&mut self) -> Result<(), Invalid>;
}

/// A request as it would be sent: what [`encode_example`] returns. No
/// `Debug`: the body and headers hold secrets in plain.
#[derive(Clone, PartialEq, Eq)]
pub struct EncodedRequest {
    pub method: reqwest::Method,
    pub url: String,
    /// `None` for a request without a body.
    pub content_type: Option<&'static str>,
    /// Headers from bindings, in binding order (`SOAPAction`,
    /// `Authorization`, one `Cookie` for all cookie bindings).
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Validates `request` and writes it as a call would, without any HTTP.
/// The counterpart of [`decode_example`](crate::example::decode_example), for tests
/// and benchmarks that look at the exact bytes. `variables` are the
/// client's variables (`("clientCode", "123456")`); `session_key` is the
/// key a call in a session carries. A request id (`Source::RequestId`) is
/// 1, as in a fresh client's first call.
pub fn encode_example<Req: Request>(
    protocol: &Protocol,
    method: &Method,
    encoding: Encoding,
    base_url: &str,
    variables: &[(&'static str, String)],
    session_key: Option<&str>,
    mut request: Req,
) -> Result<EncodedRequest, Invalid> {
    let params = prepare(&mut request, protocol.secret_fields).map_err(|(invalid, _)| invalid)?;
    let variables: Vec<(&'static str, &str)> =
        variables.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let values = Values {
        params: &params,
        variables: &variables,
        unset_variables: &[],
        session_key,
        // A fresh client's first call.
        request_id: Some(1),
    };
    encode(protocol, method, encoding, base_url, &values).map(|out| out.request)
}

/// Runs the request's checks and serializes it into its fields, as a call
/// does before [`encode`]. A refused request comes back with its secrets
/// (`secret_fields` and what is inside them), since a check's reason may
/// quote a value (`got 123456`).
pub(crate) fn prepare<Req: Request>(
    request: &mut Req,
    secret_fields: &[&str],
) -> Result<Map, (Invalid, Vec<Secret>)> {
    let invalid = match request.validate() {
        Ok(()) => match ordered::to_value(&*request) {
            Ok(Value::Object(params)) => return Ok(params),
            // Generated requests are structs of plain values; anything else is a generator bug.
            _ => Invalid {
                field: "request",
                reason: "is not a struct of values".into(),
            },
        },
        Err(invalid) => invalid,
    };
    let mut secrets = Vec::new();
    let fields = ordered::to_value(&*request).unwrap_or_default();
    collect_secrets(&fields, secret_fields, false, &mut secrets);
    Err((invalid, secrets))
}

/// Where bound values come from.
pub(crate) struct Values<'a> {
    /// The request serialized to its wire-named members.
    pub params: &'a Map,
    /// The client's variables by name.
    pub variables: &'a [(&'static str, &'a str)],
    /// Variables of the client without a value (of a credential group it
    /// was not built with): their bindings are left out.
    pub unset_variables: &'a [&'static str],
    pub session_key: Option<&'a str>,
    /// This call's request id, when the method binds one.
    pub request_id: Option<u64>,
}

/// A request ready to send, with the secret values it carries. No `Debug`:
/// it holds secrets in plain.
pub(crate) struct Outgoing {
    pub request: EncodedRequest,
    /// Every value sent from a secret parameter or variable, or the session
    /// key, in the forms a server could echo (for scrubbing errors).
    pub secrets: Vec<Secret>,
}

/// The XML document a request in `Encoding::Xml` writes: one element per
/// member of `fields` (lists repeat, objects nest, `null` is left out) under
/// `root`. Public so a stand-in server answers in the same form.
pub fn xml_document(root: &str, fields: &serde_json::Map<String, serde_json::Value>) -> String {
    body::xml(root, &ordered_members(fields))
}

/// The SOAP 1.1 envelope a request in `Encoding::Soap11` writes, every
/// element prefixed `ns:` bound to `namespace`.
pub fn soap11_document(
    namespace: &str,
    fields: &serde_json::Map<String, serde_json::Value>,
) -> String {
    body::soap11(namespace, &ordered_members(fields))
}

/// `fields` in their map's order.
fn ordered_members(fields: &serde_json::Map<String, serde_json::Value>) -> Map {
    fields
        .iter()
        .map(|(name, value)| (name.clone(), Value::from(value.clone())))
        .collect()
}

/// Builds the request for `method`: every binding in table order, then the
/// `json_strings` members as JSON text, then the document in `encoding`
/// (the method's own, `Method::encoding`, when it has one).
pub(crate) fn encode(
    protocol: &Protocol,
    method: &Method,
    encoding: Encoding,
    base_url: &str,
    values: &Values<'_>,
) -> Result<Outgoing, Invalid> {
    let encoding = method.encoding.unwrap_or(encoding);
    let mut wire = wire::Wire::default();
    let mut secrets = Vec::new();
    let mut secret_basic = false;
    let mut derived = Derivations::default();
    for binding in method.bindings {
        let value = match binding.source {
            Source::Derived { name, pipeline } => Some(Value::from(
                derived.value(method, values, name, pipeline, 0)?,
            )),
            _ => value_of(method, binding, values)?,
        };
        let secret = is_secret(protocol, binding.source);
        if let Some(value) = &value {
            collect_secrets(value, protocol.secret_fields, secret, &mut secrets);
        }
        secret_basic |= secret
            && matches!(
                binding.location,
                Location::BasicUser | Location::BasicPassword
            );
        wire.bind(binding.location, value)?;
    }
    wire.finish_document(method.json_strings)?;
    if let Some(pair) = wire.basic_pair().filter(|_| secret_basic) {
        // A server echoing `Authorization` would show base64 of the pair.
        secrets.push(Secret::new(pair));
    }
    let verb = match encoding {
        Encoding::Query => Verb::Get,
        _ => method.verb,
    };
    let mut url = wire.url(base_url, method.path)?;
    // Nothing placed, or an empty object: no document worth a body.
    let has_document = match &wire.document {
        Value::Null => false,
        Value::Object(members) => !members.is_empty(),
        _ => true,
    };
    let writes_body = matches!(verb, Verb::Post | Verb::Put | Verb::Patch) || has_document;
    let document = std::mem::take(&mut wire.document);
    let (content_type, body) = match encoding {
        Encoding::Query => {
            let query = body::form(&body::members(document)?);
            if !query.is_empty() {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&query);
            }
            (None, String::new())
        }
        Encoding::None if has_document => {
            return Err(Invalid {
                field: "request",
                reason: "the method places body values, but the encoding has no body".into(),
            })
        }
        Encoding::None => (None, String::new()),
        _ if !writes_body => (None, String::new()),
        Encoding::Form => (
            Some("application/x-www-form-urlencoded"),
            body::form(&body::members(document)?),
        ),
        Encoding::Json => (Some("application/json"), body::json(&document)),
        Encoding::Xml => (
            Some("application/xml"),
            body::xml(protocol.xml_root, &body::members(document)?),
        ),
        Encoding::Soap11 => (
            Some("text/xml; charset=utf-8"),
            body::soap11(protocol.soap_namespace, &body::members(document)?),
        ),
    };
    Ok(Outgoing {
        request: EncodedRequest {
            method: http_method(verb),
            url,
            content_type,
            headers: wire.headers(),
            body,
        },
        secrets,
    })
}

fn http_method(verb: Verb) -> reqwest::Method {
    match verb {
        Verb::Get => reqwest::Method::GET,
        Verb::Post => reqwest::Method::POST,
        Verb::Put => reqwest::Method::PUT,
        Verb::Patch => reqwest::Method::PATCH,
        Verb::Delete => reqwest::Method::DELETE,
    }
}

/// The value a binding sends; `None` for a parameter left unset.
fn value_of(
    method: &Method,
    binding: &Binding,
    values: &Values<'_>,
) -> Result<Option<Value>, Invalid> {
    Ok(match binding.source {
        Source::Param(name) => values.params.get(name).cloned(),
        Source::Constant(constant) => Some(constant_value(constant)),
        Source::MethodName => Some(Value::from(method.name)),
        Source::Variable(name) => {
            let found = values.variables.iter().find(|(n, _)| *n == name);
            match found {
                Some((_, value)) => Some(Value::from(*value)),
                None if values.unset_variables.contains(&name) => None,
                None => {
                    return Err(Invalid {
                        field: name,
                        reason: "is not a variable of this client".into(),
                    })
                }
            }
        }
        Source::RequestId => match values.request_id {
            Some(id) => Some(Value::from(id)),
            None => {
                return Err(Invalid {
                    field: "request_id",
                    reason: "the call has no request id".into(),
                })
            }
        },
        // Computed by `encode`, which keeps one value per name for the request.
        Source::Derived { .. } => None,
        Source::SessionKey => match values.session_key {
            Some(key) => Some(Value::from(key)),
            None => {
                return Err(Invalid {
                    field: "session",
                    reason: format!("`{}` is called within a session only", method.name),
                })
            }
        },
    })
}

/// The derived values of one request, each computed once: a nonce sent
/// under one name and hashed under another is the same text.
#[derive(Default)]
struct Derivations {
    done: Vec<(&'static str, String)>,
}

impl Derivations {
    fn value(
        &mut self,
        method: &Method,
        values: &Values<'_>,
        name: &'static str,
        pipeline: &Derived,
        depth: usize,
    ) -> Result<String, Invalid> {
        if let Some((_, text)) = self.done.iter().find(|(n, _)| *n == name) {
            return Ok(text.clone());
        }
        // `check` refuses cycles; this bounds a hand-written table's.
        if depth > method.bindings.len() {
            return Err(Invalid {
                field: name,
                reason: "is derived from itself".into(),
            });
        }
        let mut failed = None;
        let result = pipeline.compute(|part| {
            if let Some(value) = values.params.get(part) {
                return scalar_text(value);
            }
            let other = method.bindings.iter().find_map(|b| match b.source {
                Source::Derived { name, pipeline } if name == part => Some(pipeline),
                _ => None,
            })?;
            match self.value(method, values, part, other, depth + 1) {
                Ok(text) => Some(text),
                Err(e) => {
                    failed = Some(e);
                    None
                }
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        let text = result.map_err(|e| Invalid {
            field: name,
            reason: match e {
                DeriveError::Missing(part) => format!("needs `{part}`, which is not set"),
                DeriveError::NotText => "does not end in a text encoding".into(),
                DeriveError::Random => {
                    "needs a random nonce, and the system's generator failed".into()
                }
                DeriveError::NotBuilt(feature) => {
                    format!("needs the `{feature}` feature of loginspec-runtime")
                }
            },
        })?;
        self.done.push((name, text.clone()));
        Ok(text)
    }
}

/// A parameter's value as a pipeline reads it: strings raw, numbers and
/// booleans as JSON writes them; nothing for `null` and containers.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn is_secret(protocol: &Protocol, source: Source) -> bool {
    match source {
        Source::Param(name) | Source::Variable(name) | Source::Derived { name, .. } => {
            protocol.secret_fields.contains(&name)
        }
        Source::SessionKey => true,
        Source::Constant(_) | Source::MethodName | Source::RequestId => false,
    }
}

pub(crate) fn constant_value(constant: Constant) -> Value {
    match constant {
        Constant::Null => Value::Null,
        Constant::Bool(b) => Value::Bool(b),
        Constant::Int(i) => Value::from(i),
        Constant::Float(f) => Value::from(f),
        Constant::Str(s) => Value::from(s),
        Constant::EmptyObject => Value::Object(Map::new()),
        Constant::EmptyArray => Value::Array(Vec::new()),
    }
}

/// Adds to `out` every value under a field named in `secrets`, at any
/// depth (`inside`: below such a field already).
pub(crate) fn collect_secrets(
    value: &Value,
    secrets: &[&str],
    inside: bool,
    out: &mut Vec<Secret>,
) {
    match value {
        Value::Object(fields) => {
            for (name, value) in fields {
                let secret = inside || secrets.contains(&name.as_str());
                collect_secrets(value, secrets, secret, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_secrets(item, secrets, inside, out);
            }
        }
        Value::String(text) if inside => out.push(Secret::new(text.as_str())),
        Value::Number(number) if inside => out.push(Secret::new(number.to_string())),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
