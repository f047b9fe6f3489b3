//! Turns parsed specs into the [`Model`], or into diagnostics.
//!
//! Every rule reports through the shared [`Ctxt`] and carries on, so one run
//! lists all problems. Nothing here panics on any input.

use crate::diag::{Ctxt, Source};
use crate::load::ProviderFiles;
use crate::model::*;
use crate::spec::TypeSpec;
use crate::yaml::{self, ParseErrorKind, Seg};
use std::collections::BTreeMap;

mod answer;
mod bindings;
mod carry;
mod constraints;
mod credentials;
mod derived;
mod errors;
mod fields;
mod methods;
mod names;
mod protocol;
mod provider;
mod refresh;
mod request;
mod session;
mod steps;
mod timestamps;
mod types;
mod wire;

use provider::check_provider;

pub use bindings::{LOCATIONS, PARAM_LOCATIONS};
pub use derived::DERIVED_WORDS;
pub use errors::ERROR_CLASSES;
pub use fields::TRANSFORMS;
pub use protocol::V1_ENCODINGS;
pub use request::{ENCODINGS, VERBS};
pub use types::TIME_FORMATS;

/// Checks all providers; problems go to `cx`.
pub fn check(files: &[ProviderFiles], cx: &mut Ctxt) -> Model {
    let mut providers: Vec<Provider> = files
        .iter()
        .filter_map(|pf| check_provider(pf, cx))
        .collect();
    providers.sort_by(|a, b| a.name.cmp(&b.name));
    Model { providers }
}

/// A place in a spec file, for reporting.
#[derive(Clone)]
struct At<'a> {
    src: &'a Source,
    path: Vec<Seg>,
}

impl<'a> At<'a> {
    fn root(src: &'a Source) -> Self {
        At {
            src,
            path: Vec::new(),
        }
    }
    fn key(&self, key: &str) -> Self {
        let mut path = self.path.clone();
        path.push(Seg::Key(key.to_string()));
        At {
            src: self.src,
            path,
        }
    }
    /// Entry `i` of the map under `key`, told apart from earlier entries
    /// with the same name (a map read as [`spec::Entries`] keeps them all).
    fn repeated_in<T>(&self, key: &str, entries: &[(String, T)], i: usize) -> Self {
        let name = &entries[i].0;
        let nth = entries[..i].iter().filter(|(n, _)| n == name).count();
        let mut path = self.path.clone();
        path.push(Seg::Key(key.to_string()));
        path.push(Seg::Repeated(name.clone(), nth));
        At {
            src: self.src,
            path,
        }
    }
    fn index(&self, index: usize) -> Self {
        let mut path = self.path.clone();
        path.push(Seg::Index(index));
        At {
            src: self.src,
            path,
        }
    }
    fn error_hint(&self, cx: &mut Ctxt, message: impl Into<String>, hint: impl Into<String>) {
        cx.error(self.src, &self.path, message, Some(hint.into()));
    }
}

fn parse<T: serde::de::DeserializeOwned>(src: &Source, cx: &mut Ctxt) -> Option<T> {
    match yaml::parse(&src.text) {
        Ok(value) => Some(value),
        Err(mut err) => {
            if let ParseErrorKind::UnknownField { field, expected } = &err.kind {
                let allowed = (!expected.is_empty()).then(|| {
                    let keys: Vec<String> = expected.iter().map(|k| format!("`{k}`")).collect();
                    keys.join(", ")
                });
                if let Some((key, what)) = key_in(field, PLANNED_KEYS) {
                    // A capability the format lacks, not a typo.
                    err.path.push(Seg::Key(key.to_string()));
                    let hint = match allowed {
                        Some(keys) => {
                            format!("{what} is planned (issue 10); keys allowed here today: {keys}")
                        }
                        None => format!("{what} is planned (issue 10)"),
                    };
                    cx.error_at(
                        src,
                        err.path,
                        err.pos,
                        format!("`{key}` is not supported yet"),
                        Some(hint),
                    );
                    return None;
                }
                if let Some((key, spelling)) = key_in(field, MOVED_KEYS) {
                    // A capability the format has, spelt another way.
                    err.path.push(Seg::Key(key.to_string()));
                    let hint = match allowed {
                        Some(keys) => format!("{spelling}; keys allowed here: {keys}"),
                        None => spelling.to_string(),
                    };
                    cx.error_at(
                        src,
                        err.path,
                        err.pos,
                        format!("`{key}` is not a key here"),
                        Some(hint),
                    );
                    return None;
                }
            }
            let hint = parse_hint(&err.kind);
            cx.error_at(src, err.path, err.pos, err.message, hint);
            None
        }
    }
}

/// Keys of capabilities that the format is planned to gain (issue 10), with
/// what they would do. Writing one is asking for a feature, not misspelling a key.
const PLANNED_KEYS: &[(&str, &str)] = &[];

/// Keys of capabilities the format has under another spelling (spec format
/// v2), with that spelling.
const MOVED_KEYS: &[(&str, &str)] = &[
    ("credentials", "alternative credential groups are provider-wide: `credentials:` in provider.yaml, each `{name, doc, variables: [...]}`"),
    ("cookie", "a value sent in a cookie is a location: `in: cookie` (with `name`); a response field read from one has `from: {cookie: NAME}`"),
    ("cookies", "each value sent in a cookie has `in: cookie` (with `name`)"),
    ("header", "a value sent in a header is a location: `in: header` (with `name`, and `template` such as `Bearer {value}`); a response field read from one has `from: {header: NAME}`"),
    ("headers", "each value sent in a header has `in: header` (with `name`)"),
    ("basic", "HTTP Basic credentials are two locations: `in: basic_user` and `in: basic_password`"),
    ("bearer", "a Bearer token is a header: `in: header, name: Authorization, template: \"Bearer {value}\"`"),
    ("authorization", "an `Authorization` header is `in: header, name: Authorization` (with `template`)"),
    ("location", "a location is written with `in` (body, query, path, header, cookie, basic_user, basic_password), `at`, `name` and `template`"),
    ("pointer", "a body location is `at: /json/pointer`"),
    ("verb", "a method's HTTP method is `http: GET` (or POST, PUT, PATCH, DELETE)"),
    ("http_method", "a method's HTTP method is `http: GET` (or POST, PUT, PATCH, DELETE)"),
    ("status_range", "error rules match statuses with `when: {status: [\"500-599\"]}` under `error_rules`"),
    ("retry_after", "a retry delay is read by an error rule: `error_rules: [{…, retry_after: {at: /retry_after_ms, unit: ms}}]`"),
    ("refresh", "refresh tokens are `session: {refresh: {method: NAME, token: FIELD, param: PARAM}}`"),
    ("refresh_token", "refresh tokens are `session: {refresh: {method: NAME, token: FIELD, param: PARAM}}`"),
    ("common", "a value sent with every call is a `variables` entry with a location (`in: query`, …) or a `request.constants` entry"),
    ("common_params", "a value sent with every call is a `variables` entry with a location (`in: query`, …) or a `request.constants` entry"),
    ("envelope", "envelope members are `request.constants` with `at: /pointer`"),
    ("base_path", "`base_url` carries the path (`https://host/api/v3/`); methods add theirs with `path`"),
    ("body", "the body is the values placed `in: body` (with `at`), written in one of `request.encodings`"),
    ("handshake", "a session-id handshake is `request: {handshake: {status: 409, header: NAME}}`"),
    ("request_id", "a request id is `request: {request_id: {at: /id, check: /id}}`"),
    ("derive", "a parameter computed at send time has `derived: [parts…, steps…]`"),
    ("hash", "a hash is a step of a parameter's `derived` list: `derived: [{param: NAME}, sha256, hex]`"),
    ("hmac", "HMAC is a step of a parameter's `derived` list: `{hmac: {hash: sha256, key: {param: NAME}}}`"),
    ("nonce", "a nonce is a part of a parameter's `derived` list: `{nonce: {len: 16, alphabet: hex}}`"),
    ("positional", "`positional` goes under `request:` or at the top of a method file"),
    ("params_at", "`params_at` goes under `request:` or at the top of a method file"),
    ("in", "`in` goes on a parameter, a variable, a constant, `method_name` or `carry`"),
    ("template", "`template` goes with `in: header` on a parameter, a variable, a constant, `method_name` or `carry`"),
];

/// The entry of `table` for an unknown key, if it has one.
fn key_in<'t>(
    key: &str,
    table: &'t [(&'static str, &'static str)],
) -> Option<(&'static str, &'t str)> {
    table.iter().find(|(k, _)| *k == key).map(|(k, w)| (*k, *w))
}

fn parse_hint(kind: &ParseErrorKind) -> Option<String> {
    let hint = match kind {
        ParseErrorKind::UnknownField { .. } => {
            "check the spelling; docs/spec-format.md lists every key"
        }
        ParseErrorKind::MissingField => "add the key; docs/spec-format.md says what it holds",
        ParseErrorKind::DuplicateField => "a key may appear only once in a map; remove one",
        ParseErrorKind::WrongType => {
            "the value has the wrong YAML type; docs/spec-format.md gives each key's type"
        }
        ParseErrorKind::TooDeep => {
            "a spec needs a few levels; write a deeply nested sample (an example body) as a quoted string or a `|` block"
        }
        ParseErrorKind::TooLarge => {
            "a spec needs no more than a few thousand values; write it out without aliases"
        }
        ParseErrorKind::Syntax => return None,
    };
    Some(hint.into())
}

/// Kinds of the provider's shared types, by name, known before any is checked.
type TypeTable = BTreeMap<String, NamedKind>;

/// What a method file is checked against: its provider's settings.
struct Scope<'a, 'w> {
    wire: &'w request::Wire<'a>,
    types: &'a [(String, TypeSpec)],
    table: &'a TypeTable,
    /// Provider-wide errors.
    errors: &'a [ErrorVariant],
    /// Variables sent with every call, with where they go.
    variables: &'w [(String, bindings::Place, At<'a>)],
    /// Whether provider.yaml declares a session.
    has_session: bool,
    /// Where the provider's session key goes, when its `carry` is valid.
    carry: Option<&'w carry::KeyPlaces<'a>>,
}
