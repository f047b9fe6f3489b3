//! Turns parsed specs into the [`Model`], or into diagnostics.
//!
//! Every rule reports through the shared [`Ctxt`] and carries on, so one run
//! lists all problems. Nothing here panics on any input.

use crate::diag::{Ctxt, Source};
use crate::load::ProviderFiles;
use crate::model::*;
use crate::nesting;
use crate::spec::TypeSpec;
use crate::yaml::{self, Seg};
use std::collections::BTreeMap;

mod constraints;
mod errors;
mod fields;
mod methods;
mod names;
mod protocol;
mod provider;
mod session;
mod types;

use provider::check_provider;

pub use errors::ERROR_CLASSES;
pub use fields::TRANSFORMS;
pub use protocol::ENCODINGS;
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
    // Before the parser, which takes minutes over a deeply nested value.
    if let Some(deep) = nesting::too_deep(&src.text) {
        cx.error_at(
            src,
            deep.path,
            Some(deep.pos),
            format!("the YAML nests deeper than {} levels here", nesting::MAX_DEPTH),
            Some("a spec needs a few levels; write a deeply nested sample (an example body) as a quoted string or a `|` block".into()),
        );
        return None;
    }
    match yaml::parse(&src.text) {
        Ok(value) => Some(value),
        Err(err) => {
            let hint = parse_hint(&err.message);
            cx.error_at(src, err.path, err.pos, err.message, hint);
            None
        }
    }
}

fn parse_hint(message: &str) -> Option<String> {
    if message.contains("unknown field") {
        Some("check the spelling; docs/spec-format.md lists every key".into())
    } else if message.contains("missing field") {
        Some("add the key; docs/spec-format.md says what it holds".into())
    } else if message.contains("duplicate field") {
        Some("a key may appear only once in a map; remove one".into())
    } else if message.contains("invalid type") {
        Some("the value has the wrong YAML type; docs/spec-format.md gives each key's type".into())
    } else {
        None
    }
}

/// Kinds of the provider's shared types, by name, known before any is checked.
type TypeTable = BTreeMap<String, NamedKind>;

/// What a method file is checked against: its provider's settings.
struct Scope<'a> {
    protocol: &'a Protocol,
    types: &'a [(String, TypeSpec)],
    table: &'a TypeTable,
    /// Provider-wide errors.
    errors: &'a [ErrorVariant],
    /// Fields the protocol itself sends with every call.
    protocol_fields: Vec<String>,
    /// Whether provider.yaml declares a session.
    has_session: bool,
}
