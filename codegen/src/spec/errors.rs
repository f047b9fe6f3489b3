//! Documented error codes (`errors` in provider and method files) and how an
//! entry is told apart from another of the same code (`match`).

use super::*;

/// An error code as written: an integer or a string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum CodeValue {
    Int(i64),
    Str(String),
}

impl fmt::Display for CodeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeValue::Int(i) => write!(f, "{i}"),
            CodeValue::Str(s) => write!(f, "{s}"),
        }
    }
}

/// One documented error code.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    /// The code on the wire; omit it for errors known only by HTTP status.
    #[serde(default)]
    pub code: Option<CodeValue>,
    /// Variant name in the error enum (UpperCamelCase).
    pub name: String,
    pub doc: String,
    /// What the error means for the caller; see `check::ERROR_CLASSES`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["bad_credentials", "session_expired", "rate_limited", "locked", "invalid_input", "access_denied", "server", "other", null])))]
    pub class: Option<String>,
    #[serde(default)]
    pub http_status: Option<u16>,
    /// Seconds a session waits before logging in again after this error
    /// (classes `locked` and `rate_limited`; 1 to 86400).
    #[serde(default)]
    pub cooldown: Option<u64>,
    /// The provider answers logins with this error after this many wrong
    /// ones in a row (classes `locked` and `rate_limited`; 1 to 1000).
    /// Documentation for readers; `loginspec mock` locks its account after it.
    #[serde(default)]
    pub after_failures: Option<u32>,
    /// Refines the code: among entries with the same code, the first whose
    /// `match` holds is chosen; the entry without `match` is the fallback.
    #[serde(default, rename = "match")]
    pub refine: Option<ErrorMatchSpec>,
}

/// When an error entry applies besides its code: the answer's message, a
/// header, or both (all given must hold).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorMatchSpec {
    /// A test of the message the error rule read (its parts joined with `": "`).
    #[serde(default)]
    pub message: Option<TextTestSpec>,
    /// A test of a header of the answer (any of its values).
    #[serde(default)]
    pub header: Option<HeaderTestSpec>,
}

/// Exactly one of `contains` (plain text) or `matches` (a regular
/// expression the whole text must match, as `pattern`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TextTestSpec {
    #[serde(default)]
    pub contains: Option<String>,
    #[serde(default)]
    pub matches: Option<String>,
}

/// A header by name (case-insensitive) and a test of its value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HeaderTestSpec {
    pub name: String,
    #[serde(default)]
    pub contains: Option<String>,
    #[serde(default)]
    pub matches: Option<String>,
}
