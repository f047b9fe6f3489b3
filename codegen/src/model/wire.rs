//! How a call goes over the wire, as `check` resolved it: encodings, verbs,
//! locations, the sources of sent values, derived pipelines, answer kinds and
//! error rules. `emit` writes these out as the runtime's tables.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Form,
    Query,
    Json,
    Xml,
    Soap11,
    None,
}

/// What is the same for every method of a provider.
#[derive(Debug, Clone)]
pub struct Protocol {
    pub encodings: Vec<Encoding>,
    pub xml_root: Option<String>,
    pub soap_namespace: Option<String>,
    /// A session-id handshake: the status and the header.
    pub handshake: Option<(u16, String)>,
    /// Where answers echo the request id.
    pub request_id_check: Option<String>,
}

impl Protocol {
    /// XML carries every value as text, so numbers must be read from strings.
    pub fn reads_xml(&self) -> bool {
        self.encodings
            .iter()
            .any(|e| matches!(e, Encoding::Xml | Encoding::Soap11))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// Where a value goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A JSON pointer into the body document.
    Body(String),
    Query(String),
    /// Fills `{name}` in the method's path.
    Path(String),
    Header {
        name: String,
        template: String,
    },
    Cookie(String),
    BasicUser,
    BasicPassword,
}

/// Where a bound value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueSource {
    /// The request member with this wire name.
    Param(String),
    Constant(Literal),
    /// A container that exists even when nothing is placed into it.
    EmptyObject,
    EmptyArray,
    MethodName,
    Variable(String),
    SessionKey,
    /// The client's request counter.
    RequestId,
    /// A parameter computed at send time; `secret` when any input is.
    Derived {
        name: String,
        pipeline: Derived,
        secret: bool,
    },
}

/// A derived value's pipeline (`derived:` in a spec).
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub parts: Vec<DerivedPart>,
    pub steps: Vec<DerivedStep>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DerivedPart {
    /// Another parameter (plain, `in: none` or derived) by wire name.
    Param(String),
    Text(String),
    Nonce {
        len: u32,
        alphabet: Alphabet,
    },
    UnixTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    Hex,
    Alnum,
    Digits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashFn {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DerivedStep {
    Hash(HashFn),
    /// Keyed with the parameter of this wire name.
    Hmac {
        hash: HashFn,
        key: String,
    },
    Hex,
    Base64,
    Base64Url,
}

/// One value bound to one location.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub source: ValueSource,
    pub location: Location,
}

/// The shape of a method's success payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A struct: the method's response type.
    Object,
    /// A scalar or list: `pub type XResponse = T`.
    Value(Ty),
    /// A secret string: `pub type XResponse = rt::Secret`.
    Secret,
    /// The whole body as a string.
    Text,
    /// No payload: `()`.
    Nothing,
}

/// A response field read from the answer's headers, or from its document
/// at an absolute pointer (beside the payload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderSource {
    Header(String),
    Cookie(String),
    Document(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeSource {
    /// A JSON pointer into the answer.
    At(String),
    Int(i64),
    Text(String),
    /// The HTTP status.
    Status,
}

/// Conditions of an error rule; all given ones must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct When {
    /// Inclusive status ranges.
    pub status: Vec<(u16, u16)>,
    pub present: Option<String>,
    pub absent: Option<String>,
    pub equals: Option<(String, Literal)>,
    pub text: Option<String>,
    pub header: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRule {
    pub when: When,
    pub code: CodeSource,
    /// Answers without a code are successes rather than undecodable.
    pub code_optional: bool,
    pub numeric: bool,
    pub success: Vec<CodeValue>,
    pub message: Vec<String>,
    /// A body pointer of a retry delay, and whether it counts milliseconds.
    pub retry_after: Option<(String, bool)>,
}
