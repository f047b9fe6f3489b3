//! Builds a request body as one JSON-like document from values bound to
//! JSON pointers (RFC 6901), before it is written in the body's encoding.
//!
//! Bindings place values where a vendor wants them: `/password`,
//! `/identifier/user` (nested), `/params/0` (positional, JSON-RPC 1.0),
//! `/DoLoginEncRequest/userLogin` (an XML element path). Containers on the
//! way are created: an array where the next token is an index, an object
//! otherwise. The document keeps insertion order, so the bytes follow the
//! order of the bindings.

use crate::ordered;
use crate::pointer::{index, unescape};

/// Why a value could not be placed; `check` rules these out for specs, so
/// this only guards against tables written by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceError {
    /// The pointer is not empty and does not start with `/`.
    NotAPointer,
    /// A token walks into a scalar, or indexes an array past its end.
    Conflict { at: String },
}

/// What one pointer token finds in a node.
pub enum Slot<'a, N> {
    /// The member or element (a missing member is added as `null`, an index
    /// one past the end appends a `null`).
    Found(&'a mut N),
    /// An array index past the next free position, or not an index.
    PastEnd,
    /// The node is a scalar.
    Scalar,
}

/// A JSON-like tree `place` builds: the runtime's ordered document
/// (`ordered::Value`), or a `serde_json::Value` (a stand-in server's answer).
pub trait Node: Sized {
    fn is_null(&self) -> bool;
    fn array() -> Self;
    fn object() -> Self;
    fn slot(&mut self, token: &str) -> Slot<'_, Self>;
}

impl Node for ordered::Value {
    fn is_null(&self) -> bool {
        ordered::Value::is_null(self)
    }

    fn array() -> Self {
        ordered::Value::Array(Vec::new())
    }

    fn object() -> Self {
        ordered::Value::Object(ordered::Map::new())
    }

    fn slot(&mut self, token: &str) -> Slot<'_, Self> {
        match self {
            ordered::Value::Object(map) => Slot::Found(map.slot(token)),
            ordered::Value::Array(items) => element(items, token, ordered::Value::Null),
            _ => Slot::Scalar,
        }
    }
}

impl Node for serde_json::Value {
    fn is_null(&self) -> bool {
        serde_json::Value::is_null(self)
    }

    fn array() -> Self {
        serde_json::Value::Array(Vec::new())
    }

    fn object() -> Self {
        serde_json::Value::Object(serde_json::Map::new())
    }

    fn slot(&mut self, token: &str) -> Slot<'_, Self> {
        match self {
            serde_json::Value::Object(map) => {
                Slot::Found(map.entry(token).or_insert(serde_json::Value::Null))
            }
            serde_json::Value::Array(items) => element(items, token, serde_json::Value::Null),
            _ => Slot::Scalar,
        }
    }
}

/// The element an index token names: an existing one, or the next one.
fn element<'a, N>(items: &'a mut Vec<N>, token: &str, null: N) -> Slot<'a, N> {
    match index(token) {
        Some(i) if i < items.len() => Slot::Found(&mut items[i]),
        Some(i) if i == items.len() => {
            items.push(null);
            Slot::Found(&mut items[i])
        }
        _ => Slot::PastEnd,
    }
}

/// Puts `value` at `pointer` in `document`, creating containers on the way.
/// An array index may name an existing element or the next one (`len`).
pub fn place<N: Node>(document: &mut N, pointer: &str, value: N) -> Result<(), PlaceError> {
    if pointer.is_empty() {
        *document = value;
        return Ok(());
    }
    let rest = pointer.strip_prefix('/').ok_or(PlaceError::NotAPointer)?;
    let raw: Vec<&str> = rest.split('/').collect();
    let tokens: Vec<String> = raw.iter().map(|t| unescape(t)).collect();
    let mut node = document;
    for (depth, token) in tokens.iter().enumerate() {
        let next_is_index = tokens.get(depth + 1).is_some_and(|t| index(t).is_some());
        if node.is_null() {
            *node = if index(token).is_some() {
                N::array()
            } else {
                N::object()
            };
        }
        // Where the walk stopped: the scalar in the way, or the index past the end.
        let conflict = |upto: usize| PlaceError::Conflict {
            at: raw[..upto].iter().map(|t| format!("/{t}")).collect(),
        };
        let slot = match node.slot(token) {
            Slot::Found(slot) => slot,
            Slot::PastEnd => return Err(conflict(depth + 1)),
            Slot::Scalar => return Err(conflict(depth)),
        };
        if depth + 1 == tokens.len() {
            *slot = value;
            return Ok(());
        }
        if slot.is_null() {
            *slot = if next_is_index {
                N::array()
            } else {
                N::object()
            };
        }
        node = slot;
    }
    Ok(())
}

/// Replaces the value at `pointer` by its JSON text, for a member that holds
/// a JSON document as a string (Wialon's `params={"token":"…"}`). Nothing
/// happens when no value is there.
pub fn stringify(document: &mut ordered::Value, pointer: &str) {
    if let Some(slot) = document.pointer_mut(pointer) {
        let text = slot.to_string();
        *slot = ordered::Value::String(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ordered::Value;
    use serde_json::json;

    fn build(bindings: &[(&str, serde_json::Value)]) -> Result<Value, PlaceError> {
        let mut document = Value::Null;
        for (pointer, value) in bindings {
            place(&mut document, pointer, Value::from(value.clone()))?;
        }
        Ok(document)
    }

    #[test]
    fn nested_members_follow_binding_order() {
        // Matrix m.login.password: a constant, a nested identifier, the password.
        let document = build(&[
            ("/type", json!("m.login.password")),
            ("/identifier/type", json!("m.id.user")),
            ("/identifier/user", json!("alice")),
            ("/password", json!("pw")),
        ])
        .unwrap();
        assert_eq!(
            document.to_string(),
            r#"{"type":"m.login.password","identifier":{"type":"m.id.user","user":"alice"},"password":"pw"}"#
        );
    }

    #[test]
    fn positional_parameters_make_an_array() {
        // JSON-RPC 1.0 as Deluge takes it.
        let document = build(&[
            ("/method", json!("auth.login")),
            ("/params/0", json!("secret")),
            ("/id", json!(1)),
        ])
        .unwrap();
        assert_eq!(
            document.to_string(),
            r#"{"method":"auth.login","params":["secret"],"id":1}"#
        );
    }

    #[test]
    fn escaped_tokens_and_the_root() {
        let document = build(&[("/a~1b/c~0d", json!(1))]).unwrap();
        assert_eq!(document, Value::from(json!({"a/b": {"c~d": 1}})));
        assert_eq!(
            build(&[("", json!([1, 2]))]).unwrap(),
            Value::from(json!([1, 2]))
        );
    }

    #[test]
    fn a_json_string_member() {
        let mut document = build(&[
            ("/svc", json!("token/login")),
            ("/params/token", json!("abc")),
            ("/params/fl", json!(1)),
        ])
        .unwrap();
        stringify(&mut document, "/params");
        assert_eq!(
            document.to_string(),
            r#"{"svc":"token/login","params":"{\"token\":\"abc\",\"fl\":1}"}"#
        );
    }

    #[test]
    fn conflicts_are_errors_not_panics() {
        assert_eq!(
            build(&[("/a", json!(1)), ("/a/b", json!(2))]),
            Err(PlaceError::Conflict { at: "/a".into() })
        );
        assert_eq!(
            build(&[("/p/1", json!(1))]),
            Err(PlaceError::Conflict { at: "/p/1".into() })
        );
        assert_eq!(build(&[("a", json!(1))]), Err(PlaceError::NotAPointer));
        assert_eq!(
            build(&[("", json!(1)), ("/x~1y", json!(2))]),
            Err(PlaceError::Conflict { at: "".into() })
        );
        // A leading zero is a key, not an index.
        assert_eq!(
            build(&[("/p/01", json!(1))]).unwrap(),
            Value::from(json!({"p": {"01": 1}}))
        );
    }
}
