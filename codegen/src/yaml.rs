//! The only module that knows which YAML library we use.
//!
//! serde_yaml is deprecated upstream; switching to a maintained parser must
//! touch this file alone. Two services: parse a document into spec types, and
//! find the line and column of a YAML path after the fact. Locating re-reads
//! the file, so it is only done when a diagnostic is about to be shown.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use std::fmt;

/// One step of a YAML path: a map key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    Key(String),
    /// The `nth` (from 0) appearance of a key that a map repeats.
    Repeated(String, usize),
    Index(usize),
}

/// A position in a source file, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A syntax or shape error reported by the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// Where in the document the parser was (`params[0].required`).
    pub path: Vec<Seg>,
    pub pos: Option<Pos>,
}

/// Parses `src` into `T`.
pub fn parse<T: DeserializeOwned>(src: &str) -> Result<T, ParseError> {
    serde_yaml::from_str(src).map_err(|err| {
        let (message, mentioned) = take_positions(&err.to_string());
        let primary = err.location().map(|l| Pos {
            line: l.line(),
            col: l.column(),
        });
        // Past the end of the file ("unexpected end of stream"), the start of
        // the unfinished construct ("while scanning a quoted scalar at …")
        // says more.
        let past_end = primary.is_some_and(|p| p.line > src.lines().count());
        let pos = match (primary, mentioned.last()) {
            (Some(p), Some(start)) if past_end && *start != p => Some(*start),
            (Some(p), _) => Some(p),
            (None, start) => start.copied(),
        };
        let (path, message) = take_path(&message);
        ParseError { message, path, pos }
    })
}

/// Splits serde_yaml's `params[0].required: …` prefix off a message.
fn take_path(message: &str) -> (Vec<Seg>, String) {
    let Some((prefix, rest)) = message.split_once(": ") else {
        return (Vec::new(), message.to_string());
    };
    let path_like = !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.[]/".contains(c));
    if !path_like {
        return (Vec::new(), message.to_string());
    }
    let mut path = Vec::new();
    for part in prefix.split('.') {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            path.push(Seg::Key(key.to_string()));
        }
        for index in pieces {
            match index.strip_suffix(']').and_then(|i| i.parse().ok()) {
                Some(i) => path.push(Seg::Index(i)),
                None => return (Vec::new(), message.to_string()),
            }
        }
    }
    (path, rest.to_string())
}

/// Removes every " at line L column C" from a parser message, returning
/// the message and the positions in the order they appeared.
fn take_positions(message: &str) -> (String, Vec<Pos>) {
    const MARK: &str = " at line ";
    let mut out = String::new();
    let mut positions = Vec::new();
    let mut rest = message;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARK.len()..];
        let line_end = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let parsed = after[..line_end].parse().ok().and_then(|line| {
            let tail = after[line_end..].strip_prefix(" column ")?;
            let col_end = tail
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(tail.len());
            let col = tail[..col_end].parse().ok()?;
            Some((Pos { line, col }, &tail[col_end..]))
        });
        match parsed {
            Some((pos, tail)) => {
                positions.push(pos);
                rest = tail;
            }
            None => {
                out.push_str(MARK);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, positions)
}

/// Finds where `path` is written in `src`. When the path does not exist
/// (a missing key) the position of its deepest existing ancestor is returned.
pub fn locate(src: &str, path: &[Seg]) -> Option<Pos> {
    // Walk the document with a seed that raises an error once it stands on
    // the target; the parser stamps that error with the current position.
    let seek = Seek {
        path,
        found: std::cell::Cell::new(false),
    };
    let result = seek.run(src);
    result.or_else(|| {
        if path.is_empty() {
            None
        } else {
            locate(src, &path[..path.len() - 1])
        }
    })
}

const MARK: &str = "loginspec-locate-mark";

struct Seek<'p> {
    path: &'p [Seg],
    found: std::cell::Cell<bool>,
}

impl Seek<'_> {
    fn run(&self, src: &str) -> Option<Pos> {
        let de = serde_yaml::Deserializer::from_str(src);
        let seed = SeekSeed {
            path: self.path,
            found: &self.found,
        };
        match seed.deserialize(de) {
            Err(err) if self.found.get() && err.to_string().contains(MARK) => {
                err.location().map(|l| Pos {
                    line: l.line(),
                    col: l.column(),
                })
            }
            _ => None,
        }
    }
}

struct SeekSeed<'a> {
    path: &'a [Seg],
    found: &'a std::cell::Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for SeekSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SeekSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (want, mut skip, rest) = match self.path.split_first() {
            Some((Seg::Key(key), rest)) => (key, 0, rest),
            Some((Seg::Repeated(key, nth), rest)) => (key, *nth, rest),
            _ => return self.here(),
        };
        while let Some(key) = map.next_key::<KeyText>()? {
            if key.0 == *want && skip == 0 {
                map.next_value_seed(SeekSeed {
                    path: rest,
                    found: self.found,
                })?;
            } else {
                if key.0 == *want {
                    skip -= 1;
                }
                map.next_value::<IgnoredAny>()?;
            }
        }
        // serde_yaml insists that every entry is consumed.
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Seg::Index(want), rest)) = self.path.split_first() else {
            return self.here();
        };
        let mut index = 0;
        loop {
            let more = if index == *want {
                seq.next_element_seed(SeekSeed {
                    path: rest,
                    found: self.found,
                })?
                .is_some()
            } else {
                seq.next_element::<IgnoredAny>()?.is_some()
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.here()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.here()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.here()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.here()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.here()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.here()
    }
}

impl SeekSeed<'_> {
    fn here<E: de::Error>(&self) -> Result<(), E> {
        if self.path.is_empty() {
            self.found.set(true);
            Err(E::custom(MARK))
        } else {
            Ok(())
        }
    }
}

/// A map key of any scalar type, compared as text.
struct KeyText(String);

impl<'de> de::Deserialize<'de> for KeyText {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scalar key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "a: 1\nlist:\n  - name: x\n    type: string\n  - name: y\n    type: u8\nmap:\n  K:\n    doc: hi\n";

    fn key(k: &str) -> Seg {
        Seg::Key(k.into())
    }

    #[test]
    fn locates_keys_and_indexes() {
        assert_eq!(locate(DOC, &[key("a")]), Some(Pos { line: 1, col: 4 }));
        let p = locate(DOC, &[key("list"), Seg::Index(1), key("type")]).unwrap();
        assert_eq!(p.line, 6);
        let p = locate(DOC, &[key("map"), key("K"), key("doc")]).unwrap();
        assert_eq!(p.line, 9);
    }

    #[test]
    fn parser_positions_leave_the_message() {
        let (message, positions) = take_positions(
            "found unexpected end of stream at line 12 column 1, while scanning a quoted scalar at line 2 column 6",
        );
        assert_eq!(
            message,
            "found unexpected end of stream, while scanning a quoted scalar"
        );
        assert_eq!(
            positions,
            vec![Pos { line: 12, col: 1 }, Pos { line: 2, col: 6 }]
        );
    }

    #[test]
    fn parser_paths_leave_the_message() {
        let (path, message) =
            take_path("params[0].required: invalid type: string \"yes\", expected a boolean");
        assert_eq!(path, vec![key("params"), Seg::Index(0), key("required")]);
        assert_eq!(message, "invalid type: string \"yes\", expected a boolean");
        let (path, message) = take_path("invalid type: sequence, expected a string");
        assert!(path.is_empty());
        assert_eq!(message, "invalid type: sequence, expected a string");
    }

    #[test]
    fn repeated_keys_are_told_apart() {
        let doc = "m:\n  X: 1\n  Y: 2\n  X: 3\n";
        assert_eq!(
            locate(doc, &[key("m"), Seg::Repeated("X".into(), 0)])
                .unwrap()
                .line,
            2
        );
        assert_eq!(
            locate(doc, &[key("m"), Seg::Repeated("X".into(), 1)])
                .unwrap()
                .line,
            4
        );
    }

    #[test]
    fn missing_path_falls_back_to_parent() {
        let p = locate(DOC, &[key("list"), Seg::Index(0), key("nope")]).unwrap();
        assert_eq!(p.line, 3);
    }
}
