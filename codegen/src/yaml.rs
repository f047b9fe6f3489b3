//! The only module that knows which YAML library we use (serde-saphyr).
//!
//! Two services: parse a document into spec types, and find the line and
//! column of a YAML path after the fact. Locating re-reads the file, so it is
//! only done when a diagnostic is about to be shown: spanning every value at
//! parse time would cost several times the parse itself.
//!
//! Positions are the parser's own structured locations, never read out of
//! message text: lines and columns are 1-based, columns count characters.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::localizer::ExternalMessageSource;
use serde_saphyr::{budget::BudgetBreach, Error, Location, Spanned};
use std::cell::{Cell, RefCell};
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

/// How many collections may be open at once. A spec needs a handful.
pub const MAX_DEPTH: usize = 64;

/// A syntax or shape error reported by the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub message: String,
    /// Where in the document the parser was (`params[0].required`); for an
    /// unknown or missing key, the mapping that has or lacks it.
    pub path: Vec<Seg>,
    /// `None` when the parser gave none, or when the path's own position
    /// says more (a missing key: the start of its mapping).
    pub pos: Option<Pos>,
}

/// What a [`ParseError`] is about, for hints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// A key the mapping does not have; `expected` lists the ones it has.
    UnknownField {
        field: String,
        expected: Vec<String>,
    },
    MissingField,
    /// A key given twice in a mapping read as a struct.
    DuplicateField,
    /// The value has the wrong YAML type or does not fit the Rust type.
    WrongType,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// More nodes or aliases than a spec can need (an alias bomb).
    TooLarge,
    /// Not well-formed YAML, or a YAML feature specs do not use.
    Syntax,
}

/// The parser settings: YAML 1.2 core schema, strict about what a spec can mean.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        // `Entries<T>` must see a repeated key so that check can report it.
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        // `X: .inf` reaches check, which says why it is refused.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        // `required: yes` is a string, not YAML 1.1's true.
        strict_booleans: true,
        // Diagnostics render their own snippet.
        with_snippet: false,
        // `<<` would either merge or be a key; refusing it keeps one meaning.
        merge_keys: serde_saphyr::MergeKeyPolicy::Error,
        // `!custom` tags mean nothing in a spec.
        reject_unsupported_tags: true,
        // Untyped values (constants, codes): `017` and `1_000` stay text.
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            // The largest spec has a few thousand nodes and no aliases.
            max_nodes: 100_000,
            max_aliases: 1_000,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
        },
    }
}

/// Parses `src` into `T`.
pub fn parse<T: DeserializeOwned>(src: &str) -> Result<T, ParseError> {
    // Tracking the path costs on every value, and only an error needs it:
    // a spec that parses is read once, one that does not is read again with
    // the path tracked (the parser fails the same way both times).
    if let Ok(value) = serde_saphyr::from_str_with_options(src, options()) {
        return Ok(value);
    }
    let path = RefCell::new(None);
    let result = serde_saphyr::with_deserializer_from_str_with_options(src, options(), |de| {
        serde_path_to_error::deserialize(de).map_err(|err| {
            *path.borrow_mut() = Some(err.path().clone());
            err.into_inner()
        })
    });
    result.map_err(|err| {
        let path = path.into_inner().map(|p| segs(&p)).unwrap_or_default();
        describe(err.without_snippet(), path, src)
    })
}

/// serde_path_to_error's path as ours.
fn segs(path: &serde_path_to_error::Path) -> Vec<Seg> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|seg| match seg {
            Segment::Seq { index } => Some(Seg::Index(*index)),
            Segment::Map { key } | Segment::Enum { variant: key } => Some(Seg::Key(key.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

fn pos_of(location: Location) -> Option<Pos> {
    (location.line() > 0).then(|| Pos {
        line: usize::try_from(location.line()).unwrap_or(usize::MAX),
        col: usize::try_from(location.column()).unwrap_or(usize::MAX),
    })
}

/// Words the error from its variant; the texts follow serde's usual ones.
fn describe(err: &Error, mut path: Vec<Seg>, src: &str) -> ParseError {
    use ParseErrorKind as K;
    if let Error::AliasError { error, .. } = err {
        // Raised while replaying an alias: the cause is inside.
        return describe(error, path, src);
    }
    let location = err.location().unwrap_or(Location::UNKNOWN);
    let mut pos = pos_of(location);
    let text = || scalar_at(src, location);
    let (kind, message) = match err {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            // The path names the unknown key; report it on its mapping.
            if path.last() == Some(&Seg::Key(field.clone())) {
                path.pop();
            }
            let expected: Vec<String> = expected.iter().map(|k| k.to_string()).collect();
            let message = format!("unknown field `{field}`, {}", one_of(&expected));
            (
                K::UnknownField {
                    field: field.clone(),
                    expected,
                },
                message,
            )
        }
        Error::SerdeMissingField { field, .. } => {
            // The parser stands at the mapping's end; its start says more.
            pos = None;
            (K::MissingField, format!("missing field `{field}`"))
        }
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => (
            K::WrongType,
            format!("invalid type: {unexpected}, expected {expected}"),
        ),
        Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            K::WrongType,
            format!("invalid value: {unexpected}, expected {expected}"),
        ),
        Error::InvalidScalar { ty, .. } => {
            let text = text();
            let message = if text.parse::<i128>().is_ok() {
                format!("invalid value: integer `{text}`, expected {ty}")
            } else {
                format!("invalid type: string {text:?}, expected {ty}")
            };
            (K::WrongType, message)
        }
        Error::InvalidBooleanStrict { .. } => (
            K::WrongType,
            format!("invalid type: string {:?}, expected a boolean", text()),
        ),
        Error::NullIntoString { .. } => (
            K::WrongType,
            "invalid type: null, expected a string".to_string(),
        ),
        Error::Unexpected { expected, .. } => (
            K::WrongType,
            format!(
                "invalid type: {}, expected {}",
                node_at(src, location),
                wanted(expected)
            ),
        ),
        Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => (
                K::TooDeep,
                format!("the YAML nests deeper than {MAX_DEPTH} levels here"),
            ),
            other => (
                K::TooLarge,
                format!("the YAML is larger than a spec can need ({other:?})"),
            ),
        },
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => (
            K::TooLarge,
            "the YAML's aliases expand to more than a spec can need".to_string(),
        ),
        Error::ExternalMessage { source, .. } => match &**source {
            ExternalMessageSource::Parser(scan) => match scan.kind() {
                // The parser's own cap on open `[` and `{`.
                ErrorKind::RecursionLimitExceeded => (
                    K::TooDeep,
                    format!("the YAML nests deeper than {MAX_DEPTH} levels here"),
                ),
                // Reported at the scalar before the tab; the tab is what to fix.
                ErrorKind::TabInPlainScalar => {
                    pos = tab_after(src, pos).or(pos);
                    (
                        K::Syntax,
                        "a tab character indents this line; YAML indents with spaces".to_string(),
                    )
                }
                _ => (K::Syntax, formatted(err)),
            },
            _ => (K::Syntax, formatted(err)),
        },
        Error::Message { msg, .. } if msg.starts_with("duplicate field `") => {
            // serde's derive words it so; the parser has no variant for it.
            (K::DuplicateField, msg.clone())
        }
        other => (K::Syntax, formatted(other)),
    };
    ParseError {
        kind,
        message,
        path,
        pos,
    }
}

/// The parser's message, without its " at line L, column C".
fn formatted(err: &Error) -> String {
    use serde_saphyr::{DefaultMessageFormatter, MessageFormatter};
    DefaultMessageFormatter.format_message(err).into_owned()
}

/// The first tab that indents a line after `pos`.
fn tab_after(src: &str, pos: Option<Pos>) -> Option<Pos> {
    let from = pos?.line;
    src.lines().enumerate().skip(from).find_map(|(i, line)| {
        let indent = &line[..line.len() - line.trim_start().len()];
        let col = indent.chars().position(|c| c == '\t')?;
        Some(Pos {
            line: i + 1,
            col: col + 1,
        })
    })
}

/// serde's wording of the keys a mapping allows.
fn one_of(expected: &[String]) -> String {
    match expected {
        [] => "there are no fields".to_string(),
        [one] => format!("expected `{one}`"),
        many => {
            let keys: Vec<String> = many.iter().map(|k| format!("`{k}`")).collect();
            format!("expected one of {}", keys.join(", "))
        }
    }
}

/// The scalar written at `location`, without its quotes.
fn scalar_at(src: &str, location: Location) -> String {
    let span = location.span();
    let (Some(start), Some(len)) = (span.byte_offset(), span.byte_len()) else {
        return String::new();
    };
    let (Ok(start), Ok(len)) = (usize::try_from(start), usize::try_from(len)) else {
        return String::new();
    };
    let raw = src.get(start..start.saturating_add(len)).unwrap_or("");
    let raw = raw.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = raw.strip_prefix(quote).and_then(|r| r.strip_suffix(quote)) {
            return inner.to_string();
        }
    }
    raw.to_string()
}

/// What kind of node starts at `location`, in serde's words.
fn node_at(src: &str, location: Location) -> String {
    let rest = location
        .span()
        .byte_offset()
        .and_then(|at| usize::try_from(at).ok())
        .and_then(|at| src.get(at..))
        .unwrap_or("");
    let line = rest.lines().next().unwrap_or("");
    let is_key = |l: &str| l.contains(": ") || l.trim_end().ends_with(':');
    // An empty value is located at its key's colon.
    let empty = matches!(line.trim(), "" | ":" | "~" | "null") || line.trim().starts_with(": #");
    if empty {
        "null".into()
    } else if rest.starts_with('[') || rest.starts_with("- ") || rest.starts_with("-\n") {
        "sequence".into()
    } else if rest.starts_with('{') || is_key(line) {
        "map".into()
    } else {
        format!("string {:?}", scalar_at(src, location))
    }
}

/// The parser's name for what it wanted, in serde's words.
fn wanted(expected: &str) -> &str {
    match expected {
        "string scalar" => "a string",
        "mapping start" => "a map",
        "sequence start" => "a list",
        other => other,
    }
}

/// Finds where `path` is written in `src`. When the path does not exist
/// (a missing key) the position of its deepest existing ancestor is returned.
pub fn locate(src: &str, path: &[Seg]) -> Option<Pos> {
    // Walk the document down `path`; at the target, read the node as
    // `Spanned` and stop the parse with an error.
    let found = Cell::new(None);
    let seed = Seek {
        path,
        key: None,
        found: &found,
    };
    let _ = serde_saphyr::with_deserializer_from_str_with_options(src, options(), |de| {
        seed.deserialize(de)
    });
    found.get().or_else(|| match path.split_last() {
        Some((_, parent)) => locate(src, parent),
        None => None,
    })
}

const STOP: &str = "loginspec-locate-stop";

struct Seek<'a> {
    path: &'a [Seg],
    /// Where the key of the value being sought is (a value with no
    /// position of its own, such as an empty one, is shown at its key).
    key: Option<Pos>,
    found: &'a Cell<Option<Pos>>,
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.path.is_empty() {
            let node = <Spanned<IgnoredAny> as de::Deserialize>::deserialize(deserializer)?;
            self.found.set(pos_of(node.referenced).or(self.key));
            return Err(de::Error::custom(STOP));
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (want, mut skip, rest) = match self.path.split_first() {
            Some((Seg::Key(key), rest)) => (key, 0, rest),
            Some((Seg::Repeated(key, nth), rest)) => (key, *nth, rest),
            _ => return Ok(()),
        };
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            if key.value.0 != *want {
                map.next_value::<IgnoredAny>()?;
            } else if skip > 0 {
                skip -= 1;
                map.next_value::<IgnoredAny>()?;
            } else {
                return map.next_value_seed(Seek {
                    path: rest,
                    key: pos_of(key.referenced),
                    found: self.found,
                });
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Seg::Index(want), rest)) = self.path.split_first() else {
            return Ok(());
        };
        for _ in 0..*want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Seek {
            path: rest,
            key: None,
            found: self.found,
        })?;
        Ok(())
    }

    // A scalar where the path goes on: the path does not exist.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
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
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests;
