//! Collects bound values by location and writes the non-body parts of a
//! request: the URL (path segments, query) and the headers (templates,
//! one `Cookie`, `Authorization: Basic`).

use super::body;
use crate::document::{self, PlaceError};
use crate::error::Invalid;
use crate::ordered::Value;
use crate::protocol::Location;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What a path segment keeps unencoded: RFC 3986 unreserved characters.
/// Everything else, `/`, `?`, `#` and `%` included, is percent-encoded, so a
/// value stays one segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Where a header goes in the header list: a header binding, or the one
/// `Cookie` / `Authorization: Basic` header at its first binding's place.
enum Slot {
    Header(&'static str, String),
    Cookie,
    Basic,
}

/// The values of one request, gathered by location in binding order.
#[derive(Default)]
pub(super) struct Wire {
    /// The body document; `Null` while nothing was placed.
    pub document: Value,
    query: Vec<(&'static str, String)>,
    path: Vec<(&'static str, String)>,
    slots: Vec<Slot>,
    cookies: Vec<(&'static str, String)>,
    user: Option<String>,
    password: Option<String>,
}

impl Wire {
    /// Records one bound value; `None` is a parameter left unset, which is
    /// sent nowhere except at an array index in the body, where `null`
    /// keeps later positions in place.
    pub(super) fn bind(&mut self, location: Location, value: Option<Value>) -> Result<(), Invalid> {
        if let Location::Body(pointer) = location {
            let value = match value {
                Some(value) => value,
                None if ends_in_index(pointer) => Value::Null,
                None => return Ok(()),
            };
            // An empty container constant makes a member exist (Wialon
            // `params={}`); it never wipes out what was placed there already.
            let kept = match (&value, self.document.pointer(pointer)) {
                (Value::Object(new), Some(Value::Object(_))) => new.is_empty(),
                (Value::Array(new), Some(Value::Array(_))) => new.is_empty(),
                _ => false,
            };
            if kept {
                return Ok(());
            }
            return document::place(&mut self.document, pointer, value)
                .map_err(|e| place_error(pointer, e));
        }
        let Some(text) = value.as_ref().and_then(body::text) else {
            return Ok(());
        };
        match location {
            Location::Body(_) => {}
            Location::Query(name) => self.query.push((name, text)),
            Location::Path(name) => self.path.push((name, text)),
            Location::Header { name, template } => {
                refuse_controls(name, &text)?;
                self.slots
                    .push(Slot::Header(name, template.replacen("{value}", &text, 1)));
            }
            Location::Cookie(name) => {
                if text.contains([';', ',']) {
                    return Err(Invalid {
                        field: name,
                        reason: "a cookie value cannot hold `;` or `,`".into(),
                    });
                }
                refuse_controls(name, &text)?;
                if self.cookies.is_empty() {
                    self.slots.push(Slot::Cookie);
                }
                self.cookies.push((name, text));
            }
            Location::BasicUser | Location::BasicPassword => {
                refuse_controls("basic", &text)?;
                if self.user.is_none() && self.password.is_none() {
                    self.slots.push(Slot::Basic);
                }
                if location == Location::BasicUser {
                    if text.contains(':') {
                        return Err(Invalid {
                            field: "basic",
                            reason: "a Basic user name cannot hold `:` (RFC 7617)".into(),
                        });
                    }
                    self.user = Some(text);
                } else {
                    self.password = Some(text);
                }
            }
        }
        Ok(())
    }

    /// Sends each `json_strings` member as JSON text; an absent one as `{}`.
    pub(super) fn finish_document(&mut self, json_strings: &[&'static str]) -> Result<(), Invalid> {
        for &pointer in json_strings {
            if self.document.pointer(pointer).is_none() {
                document::place(
                    &mut self.document,
                    pointer,
                    Value::Object(Default::default()),
                )
                .map_err(|e| place_error(pointer, e))?;
            }
            document::stringify(&mut self.document, pointer);
        }
        Ok(())
    }

    /// `user:password` of Basic credentials, when any half is bound.
    pub(super) fn basic_pair(&self) -> Option<String> {
        if self.user.is_none() && self.password.is_none() {
            return None;
        }
        Some(format!(
            "{}:{}",
            self.user.as_deref().unwrap_or(""),
            self.password.as_deref().unwrap_or("")
        ))
    }

    /// The base URL with the method's path (placeholders filled), then the
    /// base URL's own query, then the query bindings in order.
    pub(super) fn url(&self, base_url: &str, template: &str) -> Result<String, Invalid> {
        let (base, base_query) = match base_url.split_once('?') {
            Some((base, query)) => (base, Some(query)),
            None => (base_url, None),
        };
        let mut url = base.to_string();
        if !template.is_empty() {
            if !url.ends_with('/') {
                url.push('/');
            }
            url.push_str(&self.fill_path(template)?);
        }
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.query {
            query.append_pair(name, value);
        }
        let query = query.finish();
        let parts: Vec<&str> = base_query
            .into_iter()
            .chain((!query.is_empty()).then_some(query.as_str()))
            .filter(|q| !q.is_empty())
            .collect();
        if !parts.is_empty() {
            url.push('?');
            url.push_str(&parts.join("&"));
        }
        Ok(url)
    }

    /// `template` with each `{name}` replaced by its path binding's value,
    /// percent-encoded as one segment.
    fn fill_path(&self, template: &str) -> Result<String, Invalid> {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(Invalid {
                    field: "path",
                    reason: "the method's path has an unclosed `{`".into(),
                });
            };
            let name = &after[..close];
            let Some((field, value)) = self.path.iter().find(|(n, _)| *n == name) else {
                return Err(Invalid {
                    field: "path",
                    reason: format!("no value for `{{{name}}}` in the method's path"),
                });
            };
            // `.` and `..` would move the path, whatever the encoding
            // (URL parsers read `%2E%2E` as `..` too); empty would merge segments.
            if value.is_empty() || value == "." || value == ".." {
                return Err(Invalid {
                    field,
                    reason: "cannot be empty, `.` or `..` in a URL path".into(),
                });
            }
            out.extend(utf8_percent_encode(value, SEGMENT));
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The headers in binding order.
    pub(super) fn headers(&self) -> Vec<(String, String)> {
        let mut out = Vec::with_capacity(self.slots.len());
        for slot in &self.slots {
            match slot {
                Slot::Header(name, value) => out.push((name.to_string(), value.clone())),
                Slot::Cookie => {
                    let pairs: Vec<String> = self
                        .cookies
                        .iter()
                        .map(|(n, v)| format!("{n}={v}"))
                        .collect();
                    out.push(("Cookie".to_string(), pairs.join("; ")));
                }
                Slot::Basic => {
                    let pair = self.basic_pair().unwrap_or_default();
                    out.push((
                        "Authorization".to_string(),
                        format!("Basic {}", STANDARD.encode(pair)),
                    ));
                }
            }
        }
        out
    }
}

/// A header value cannot hold a line break or NUL (header injection) nor
/// other control characters (no HTTP library sends them). The value itself
/// is not quoted: it may be a secret.
fn refuse_controls(field: &'static str, text: &str) -> Result<(), Invalid> {
    if text.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Invalid {
            field,
            reason: "cannot hold CR, LF, NUL or another control character in a header".into(),
        });
    }
    Ok(())
}

/// Whether `pointer` ends in an array index (as `document::place` reads one).
fn ends_in_index(pointer: &str) -> bool {
    pointer.starts_with('/')
        && pointer
            .rsplit('/')
            .next()
            .and_then(crate::pointer::index)
            .is_some()
}

fn place_error(pointer: &str, error: PlaceError) -> Invalid {
    Invalid {
        field: "request",
        reason: match error {
            PlaceError::NotAPointer => format!("`{pointer}` is not a JSON pointer"),
            PlaceError::Conflict { at } => {
                format!("cannot place a value at `{pointer}`: `{at}` is in the way")
            }
        },
    }
}
