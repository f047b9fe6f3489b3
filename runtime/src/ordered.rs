//! A JSON value whose objects keep their members in insertion order: the
//! document a request body is built in. Bodies follow binding order (and a
//! struct parameter its field order), byte for byte as vendors document
//! them, without turning on serde_json's `preserve_order`, which would
//! change the order of every `serde_json::Map` in users' programs.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;
use std::fmt;

/// A JSON value; `Object` members keep insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// An object's members in insertion order; a name appears once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map(Vec<(String, Value)>);

impl Map {
    pub fn new() -> Self {
        Map(Vec::new())
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.0.iter_mut().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The member `name`, added as `null` at the end when missing.
    pub fn slot(&mut self, name: &str) -> &mut Value {
        let at = match self.0.iter().position(|(n, _)| n == name) {
            Some(at) => at,
            None => {
                self.0.push((name.to_string(), Value::Null));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }

    /// Sets the member `name`, at the end when it is new.
    pub fn insert(&mut self, name: String, value: Value) {
        *self.slot(&name) = value;
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(n, v)| (n, v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(n, v)| (n, v))
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Self {
        let mut map = Map::new();
        for (name, value) in members {
            map.insert(name, value);
        }
        map
    }
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value at a JSON pointer (RFC 6901), as `serde_json::Value::pointer`.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        let mut node = self;
        for token in tokens(pointer)? {
            node = match node {
                Value::Object(map) => map.get(&token)?,
                Value::Array(items) => items.get(crate::pointer::index(&token)?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    pub fn pointer_mut(&mut self, pointer: &str) -> Option<&mut Value> {
        let mut node = self;
        for token in tokens(pointer)? {
            node = match node {
                Value::Object(map) => map.get_mut(&token)?,
                Value::Array(items) => items.get_mut(crate::pointer::index(&token)?)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

/// A pointer's tokens, unescaped; `None` when it is not a pointer.
fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(crate::pointer::unescape).collect())
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::String(text.to_string())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::String(text)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(n.into())
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n.into())
    }
}

impl From<f64> for Value {
    /// As `serde_json::Value::from(f64)`: a non-finite number is `null`.
    fn from(n: f64) -> Self {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// A `serde_json` value in its map order (sorted, unless a program turned
/// on `preserve_order`): for stand-in servers and tests.
impl From<serde_json::Value> for Value {
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(items) => {
                Value::Array(items.into_iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => {
                Value::Object(map.into_iter().map(|(n, v)| (n, Value::from(v))).collect())
            }
        }
    }
}

/// Compact JSON text, as `serde_json::Value`'s `Display` writes it.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.0.len()))?;
                for (name, value) in &map.0 {
                    out.serialize_entry(name, value)?;
                }
                out.end()
            }
        }
    }
}

/// Serializes `value` as `serde_json::to_value` does (the same numbers and
/// strings), with each object's members in the order `value` wrote them.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, serde_json::Error> {
    let exact = serde_json::to_value(value)?;
    // The order is read back from the JSON text, which serde writes in
    // field order; the values come from `exact`, so no number is re-parsed.
    let shape: Shape = serde_json::from_str(&serde_json::to_string(value)?)?;
    Ok(arrange(exact, shape))
}

/// The member order of a JSON text's objects, values aside.
enum Shape {
    Leaf,
    Array(Vec<Shape>),
    Object(Vec<(String, Shape)>),
}

fn arrange(value: serde_json::Value, shape: Shape) -> Value {
    match (value, shape) {
        (serde_json::Value::Array(items), Shape::Array(shapes)) => Value::Array(
            items
                .into_iter()
                .zip(shapes)
                .map(|(v, s)| arrange(v, s))
                .collect(),
        ),
        (serde_json::Value::Object(mut map), Shape::Object(order)) => Value::Object(
            order
                .into_iter()
                .filter_map(|(name, s)| map.remove(&name).map(|v| (name, arrange(v, s))))
                .collect(),
        ),
        (value, _) => Value::from(value),
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ShapeVisitor;

        impl<'de> Visitor<'de> for ShapeVisitor {
            type Value = Shape;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }

            fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Shape::Array(items))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
                let mut members = Vec::new();
                while let Some((name, shape)) = map.next_entry::<String, Shape>()? {
                    members.push((name, shape));
                }
                Ok(Shape::Object(members))
            }
        }

        deserializer.deserialize_any(ShapeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Login {
        user: &'static str,
        password: &'static str,
        inner: Inner,
        ratio: f64,
    }

    #[derive(serde::Serialize)]
    struct Inner {
        zeta: u8,
        alpha: Option<u8>,
    }

    #[test]
    fn members_keep_field_order_and_exact_numbers() {
        let value = to_value(&Login {
            user: "jan",
            password: "p",
            inner: Inner {
                zeta: 1,
                alpha: None,
            },
            ratio: 0.1 + 0.2,
        })
        .unwrap();
        assert_eq!(
            value.to_string(),
            r#"{"user":"jan","password":"p","inner":{"zeta":1,"alpha":null},"ratio":0.30000000000000004}"#
        );
        assert_eq!(value.pointer("/inner/zeta"), Some(&Value::from(1_u64)));
    }

    #[test]
    fn slots_append_in_order() {
        let mut map = Map::new();
        *map.slot("b") = Value::from("1");
        *map.slot("a") = Value::from("2");
        *map.slot("b") = Value::from("3");
        assert_eq!(Value::Object(map).to_string(), r#"{"b":"3","a":"2"}"#);
    }
}
