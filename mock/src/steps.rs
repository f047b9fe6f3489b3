//! Logins of several calls (`session.steps`). Only the last step is the
//! login that issues a session key; an earlier step answers its own
//! success, with a fresh value the mock hands out in each field a later
//! step takes (Kratos's flow `id`), and a later step must send back a value
//! the mock handed out there.
//!
//! Only text fields of the answer's document are handed out; a taken field
//! read from a header or a cookie, or of another type, keeps the example's
//! value and is not checked.

use crate::answer::field_pointer;
use crate::log::Violation;
use loginspec_codegen::model::{HeaderSource, Method, Provider, Session, Ty};
use std::collections::HashSet;

/// Values handed out so far: (answering step, field wire name, value).
/// No `Debug`: a handed-out value may work as a credential.
#[derive(Default)]
pub(crate) struct HandedOut {
    values: HashSet<(usize, String, String)>,
}

/// The step of `session` that calls the method `index`, if any.
fn step_of(session: &Session, index: usize) -> Option<usize> {
    session.steps.iter().position(|s| s.method == index)
}

/// Where a field of `method`'s answer is in its document, if it is there.
fn pointer(method: &Method, wire: &str) -> Option<String> {
    match method.header_fields.iter().find(|(name, _)| name == wire) {
        Some((_, HeaderSource::Document(at))) => Some(at.clone()),
        Some(_) => None,
        None => Some(field_pointer(method, wire)),
    }
}

impl HandedOut {
    /// For the method `index` as an earlier step: a fresh value for each
    /// field a later step takes from its answer, by the field's wire name.
    /// Empty for any other method.
    pub(crate) fn hand_out(&mut self, provider: &Provider, index: usize) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let Some(session) = provider.session.as_ref() else {
            return out;
        };
        let (Some(step), Some(method)) = (step_of(session, index), provider.methods.get(index))
        else {
            return out;
        };
        for take in session.steps.iter().flat_map(|s| &s.takes) {
            if take.from != step || take.field.ty != Ty::String {
                continue;
            }
            if pointer(method, &take.field.wire).is_none() {
                continue;
            }
            let Some(value) = fresh() else {
                continue;
            };
            self.values
                .insert((step, take.field.wire.clone(), value.clone()));
            out.push((take.field.wire.clone(), value));
        }
        out
    }

    /// Violations of the method `index` as a later step: each taken value
    /// (by wire name in `values`) must be one the mock handed out for it.
    pub(crate) fn check(
        &self,
        provider: &Provider,
        index: usize,
        values: &std::collections::HashMap<String, String>,
    ) -> Vec<Violation> {
        let Some(session) = provider.session.as_ref() else {
            return Vec::new();
        };
        let Some(step) = step_of(session, index) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for take in &session.steps[step].takes {
            let from = &session.steps[take.from];
            let answering = provider.methods.get(from.method);
            let handed = answering
                .and_then(|m| pointer(m, &take.field.wire))
                .is_some();
            if take.field.ty != Ty::String || !handed {
                continue;
            }
            let Some(sent) = values.get(&take.param.wire) else {
                continue;
            };
            let key = (take.from, take.field.wire.clone(), sent.clone());
            if !self.values.contains(&key) {
                let name = answering.map_or("", |m| m.wire.as_str());
                out.push(Violation::input(
                    take.param.wire.as_str(),
                    format!(
                        "is not a `{}` the mock's `{name}` answered",
                        take.field.wire
                    ),
                ));
            }
        }
        out
    }
}

/// A fresh value to hand out (32 hexadecimal digits), or `None` when the
/// system's random generator fails.
fn fresh() -> Option<String> {
    use loginspec_runtime::__generated::v1::derive::{nonce, Alphabet};
    nonce(32, Alphabet::Hex).ok()
}
