//! Reads a JSON answer into a `Value` as `serde_json::from_str` does, but
//! refuses a key that appears twice where it could change what is read.
//!
//! serde_json keeps the last of two equal keys without a word. Another
//! reader of the same bytes (a proxy, a log pipeline, the vendor's own
//! client) may keep the first, so `{"errorCode":1051,"errorCode":0}` means
//! "wrong password" to one and "success" to the other. Duplicates are
//! refused in every object on the way to a path the protocol reads (the
//! error code, the message, the payload) and anywhere inside the payload,
//! whose keys become the response's fields. Elsewhere they are let through:
//! nothing reads them, and refusing them would turn a harmless quirk in an
//! unread block into a failed call.

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// The paths the protocol reads, as JSON pointers (`/status/errorCode`).
pub(crate) struct Watched {
    /// Each path split into its keys, `~1` and `~0` resolved.
    paths: Vec<Vec<String>>,
}

impl Watched {
    pub(crate) fn new<'a>(pointers: impl IntoIterator<Item = &'a str>) -> Self {
        let paths = pointers
            .into_iter()
            .map(|pointer| {
                pointer
                    .split('/')
                    .skip(1)
                    .map(crate::pointer::unescape)
                    .collect()
            })
            .collect();
        Watched { paths }
    }

    fn root(&self) -> Watch<'_> {
        Watch::Paths(self.paths.iter().map(Vec::as_slice).collect()).settle()
    }
}

/// How much of a value is read.
enum Watch<'w> {
    /// Nothing in it.
    None,
    /// All of it.
    All,
    /// The keys on the way to these paths (what is left of each).
    Paths(Vec<&'w [String]>),
}

impl<'w> Watch<'w> {
    /// A path that ends here makes all of this value read.
    fn settle(self) -> Self {
        match self {
            Watch::Paths(paths) if paths.is_empty() => Watch::None,
            Watch::Paths(paths) if paths.iter().any(|p| p.is_empty()) => Watch::All,
            other => other,
        }
    }

    /// Whether the member `key` is read.
    fn reads(&self, key: &str) -> bool {
        match self {
            Watch::None => false,
            Watch::All => true,
            Watch::Paths(paths) => paths.iter().any(|p| p[0] == key),
        }
    }

    fn child(&self, key: &str) -> Watch<'w> {
        match self {
            Watch::None => Watch::None,
            Watch::All => Watch::All,
            Watch::Paths(paths) => Watch::Paths(
                paths
                    .iter()
                    .filter(|p| p[0] == key)
                    .map(|p| &p[1..])
                    .collect(),
            )
            .settle(),
        }
    }

    fn item(&self, index: usize) -> Watch<'w> {
        match self {
            Watch::Paths(_) => self.child(&index.to_string()),
            Watch::None => Watch::None,
            Watch::All => Watch::All,
        }
    }
}

/// Parses `text`, refusing a duplicated key that `watched` reads.
pub(crate) fn parse(text: &str, watched: &Watched) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Node(watched.root()).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Builds one value; serde_json's own depth limit guards the recursion.
struct Node<'w>(Watch<'w>);

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = items.next_element_seed(Node(self.0.item(out.len())))? {
            out.push(item);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = members.next_key::<String>()? {
            let value = members.next_value_seed(Node(self.0.child(&key)))?;
            if out.contains_key(&key) && self.0.reads(&key) {
                return Err(A::Error::custom(format!(
                    "duplicate key {}",
                    shown_key(&key)
                )));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A key as an error names it: quoted with escapes, at most 64 characters.
fn shown_key(key: &str) -> String {
    const LIMIT: usize = 64;
    match key.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{:?}…", &key[..end]),
        None => format!("{key:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn erply() -> Watched {
        Watched::new(["/status/errorCode", "/status/errorField", "/records/0"])
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"a":[1,-2,3.5,true,null,"x\u00e9"],"b":{"c":18446744073709551615}}"#;
        let ours = parse(text, &Watched::new([""])).unwrap();
        assert_eq!(ours, serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn duplicates_on_a_read_path_are_refused_and_named() {
        for text in [
            r#"{"status":{"errorCode":1051,"errorCode":0}}"#,
            r#"{"status":{"errorCode":0},"status":{"errorCode":1051}}"#,
            r#"{"status":{"errorField":"a","errorField":"b","errorCode":0}}"#,
            r#"{"records":[{"sessionKey":"a","sessionKey":"b"}]}"#,
            r#"{"records":[{"x":{"y":1,"y":2}}]}"#,
            r#"{"records":[],"records":[{}]}"#,
        ] {
            let error = parse(text, &erply()).unwrap_err().to_string();
            assert!(error.starts_with("duplicate key \""), "{text}: {error}");
        }
        let error = parse(r#"{"status":{"errorCode":1,"errorCode":0}}"#, &erply()).unwrap_err();
        assert!(error.to_string().contains("\"errorCode\""), "{error}");
    }

    #[test]
    fn duplicates_outside_what_is_read_are_let_through() {
        let text = r#"{"status":{"generationTime":1,"generationTime":2,"errorCode":0},"records":[{"k":1},{"k":2,"k":3}],"x":1,"x":2}"#;
        let value = parse(text, &erply()).unwrap();
        assert_eq!(value["status"]["errorCode"], json!(0));
        // With the whole document read, the same text is refused.
        assert!(parse(text, &Watched::new([""])).is_err());
    }

    #[test]
    fn long_keys_are_cut_in_the_reason() {
        let key = "k".repeat(500);
        let text = format!(r#"{{"{key}":1,"{key}":2}}"#);
        let error = parse(&text, &Watched::new([""])).unwrap_err().to_string();
        assert!(error.len() < 150, "{error}");
    }
}
