//! The checked model: names computed, references resolved, provider-wide
//! settings applied. `emit` reads it and re-checks nothing.

pub use crate::spec::{CodeValue, Literal};
use std::collections::BTreeSet;

mod traits;
mod wire;
pub use traits::*;
pub use wire::*;

/// Everything to generate, providers sorted by name.
#[derive(Debug, Clone)]
pub struct Model {
    pub providers: Vec<Provider>,
}

#[derive(Debug, Clone)]
pub struct Provider {
    /// Module name.
    pub name: String,
    pub title: String,
    pub doc: Option<String>,
    pub docs_url: Option<String>,
    pub base_url: String,
    pub variables: Vec<Variable>,
    pub protocol: Protocol,
    /// The provider-wide error rules, which end every method's list.
    pub error_rules: Vec<ErrorRule>,
    /// The provider-wide errors (`errors` of provider.yaml): one enum,
    /// `ProviderError`, that every method's error enum wraps.
    pub errors: Vec<ErrorVariant>,
    /// Shared types, in spec order.
    pub types: Vec<NamedType>,
    /// Methods, sorted by file name.
    pub methods: Vec<Method>,
    /// Spec files this provider was built from, relative to the specs folder.
    pub sources: Vec<String>,
    pub session: Option<Session>,
    /// Alternative credential groups; empty when the client takes every variable.
    pub credential_groups: Vec<CredentialGroup>,
}

impl Provider {
    /// The definition of the provider's named type `name`.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name).map(|t| &t.def)
    }
}

/// One way to authenticate: a variant of the generated `Credentials` enum.
#[derive(Debug, Clone)]
pub struct CredentialGroup {
    /// snake_case, as the spec names it.
    pub name: String,
    /// UpperCamelCase variant name.
    pub variant: String,
    pub doc: String,
    /// Indexes into `Provider::variables`.
    pub variables: Vec<usize>,
}

/// The provider's login session, with every name resolved.
#[derive(Debug, Clone)]
pub struct Session {
    /// Index into `Provider::methods` of the login method.
    pub login: usize,
    /// The login response field holding the key.
    pub key: Field,
    /// The login's answer is itself the key (`Answer::Secret`); `key` is
    /// then a stand-in with an empty wire name.
    pub key_is_answer: bool,
    /// Where calls in the session send the key (the last binding of each such method).
    pub carry: Location,
    pub lifetime: Lifetime,
    pub sliding: bool,
    pub refresh_margin: u64,
    pub refresh_param: Option<RefreshParam>,
    pub refresh: Option<Refresh>,
    /// A login of several calls (empty: `login` alone); the last is `login`.
    pub steps: Vec<Step>,
    /// With steps: the parameters the user gives for all of them (no step
    /// takes them from an answer), once per wire name, in first-use order.
    pub credentials: Vec<Field>,
}

/// One call of a login of several.
#[derive(Debug, Clone)]
pub struct Step {
    /// Index into `Provider::methods`.
    pub method: usize,
    /// Parameters filled from earlier answers.
    pub takes: Vec<Take>,
}

/// A step parameter filled from an earlier step's answer.
#[derive(Debug, Clone)]
pub struct Take {
    pub param: Field,
    /// Index into `Session::steps` of the step that answers it.
    pub from: usize,
    pub field: Field,
}

/// How the session renews its key without logging in.
#[derive(Debug, Clone)]
pub struct Refresh {
    /// Index into `Provider::methods` of the refresh method.
    pub method: usize,
    /// The login response field holding the refresh token.
    pub token: Field,
    /// The refresh method's parameter that takes it.
    pub param: Field,
    /// The refresh response field holding the new key.
    pub key: Field,
    /// The refresh response field holding a rotated token, if it has one.
    pub rotated: Option<Field>,
    /// The refresh response field holding the new key's lifetime, when the
    /// lifetime comes from the login response and the refresh answer has it.
    pub lifetime: Option<Field>,
}

/// The unit a lifetime value is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Millis,
}

#[derive(Debug, Clone)]
pub enum Lifetime {
    /// Only an expiry error ends the session.
    Unknown,
    Seconds(u64),
    /// A login response field (an integer in the unit).
    Response(Field, Unit),
    /// A login parameter (an integer in the unit).
    Param(Field, Unit),
}

#[derive(Debug, Clone)]
pub struct RefreshParam {
    /// The login parameter to refresh.
    pub param: Field,
    /// Variant of the login error enum that triggers the refresh.
    pub on: String,
    /// Index into `Provider::methods` of the method that fetches the value.
    pub method: usize,
    /// Its response field holding the value.
    pub field: Field,
    /// Its parameters, in its own order.
    pub args: Vec<(Field, Arg)>,
}

#[derive(Debug, Clone)]
pub enum Arg {
    /// A login parameter.
    Param(Field),
    Value(Literal),
}

/// How a method relates to the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodSession {
    None,
    /// Carries the session key.
    Use,
    /// Carries the key and ends the session on success.
    End,
}

#[derive(Debug, Clone)]
pub struct Variable {
    pub wire: String,
    pub rust: String,
    pub doc: String,
    /// Whether every call sends it (else it only fills the base URL).
    pub sent: bool,
    /// A credential: taken as `rt::Secret`, never shown.
    pub secret: bool,
    pub checks: Vec<Check>,
    /// A sample value (`example`), as for a parameter.
    pub example: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NamedType {
    /// Rust type name (UpperCamelCase).
    pub name: String,
    pub doc: Option<String>,
    pub def: TypeDef,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    /// `base` names the type whose fields come first in `fields`.
    Struct {
        base: Option<String>,
        base_field_count: usize,
        fields: Vec<Field>,
    },
    Enum {
        values: Vec<EnumValue>,
    },
    Flags {
        flags: Vec<Flag>,
    },
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub name: String,
    pub value: CodeValue,
    pub doc: String,
}

#[derive(Debug, Clone)]
pub struct Flag {
    pub name: String,
    pub value: u64,
    pub doc: String,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    pub presence: Presence,
    pub doc: String,
    pub secret: bool,
    pub transform: Option<Transform>,
    pub lenient: bool,
    pub embedded_json: bool,
    pub checks: Vec<Check>,
    /// A parameter's sample value (`example`): documentation, and the
    /// account `loginspec mock` accepts when it is a login's.
    pub example: Option<Literal>,
}

/// Whether a value must be there.
#[derive(Debug, Clone, PartialEq)]
pub enum Presence {
    /// A constructor argument; a response field that must be present.
    Required,
    /// A parameter that is always sent, with this value unless set.
    Default(Literal),
    /// `Option<T>`: a parameter left out unless set; a field that may be missing.
    Optional,
}

impl Field {
    pub fn is_optional(&self) -> bool {
        self.presence == Presence::Optional
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    String,
    Bool,
    Int(IntTy),
    Float(FloatTy),
    Any,
    Timestamp(TimeFormat),
    List(Box<Ty>),
    Map(Box<Ty>),
    /// A shared type of this provider, and which kind it is.
    Named(String, NamedKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    Struct,
    Enum,
    Flags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntTy {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

impl IntTy {
    pub fn name(self) -> &'static str {
        match self {
            IntTy::I8 => "i8",
            IntTy::I16 => "i16",
            IntTy::I32 => "i32",
            IntTy::I64 => "i64",
            IntTy::U8 => "u8",
            IntTy::U16 => "u16",
            IntTy::U32 => "u32",
            IntTy::U64 => "u64",
        }
    }

    pub fn bounds(self) -> (i128, i128) {
        match self {
            IntTy::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntTy::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntTy::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntTy::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntTy::U8 => (0, u8::MAX.into()),
            IntTy::U16 => (0, u16::MAX.into()),
            IntTy::U32 => (0, u32::MAX.into()),
            IntTy::U64 => (0, u64::MAX.into()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatTy {
    F32,
    F64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeFormat {
    UnixSeconds,
    UnixMillis,
    DotNetDate,
    Rfc3339,
    /// ISO 8601 with an offset, `+0000` included.
    Iso8601,
    /// A `time` format description, checked to read back what it writes.
    Custom(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    Sha256Base64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Length {
        min: Option<i64>,
        max: Option<i64>,
    },
    Range {
        min: Option<i64>,
        max: Option<i64>,
        clamp: bool,
    },
    Pattern(String),
    HexBytes(u32),
}

#[derive(Debug, Clone)]
pub struct Method {
    pub wire: String,
    /// Client method name (snake_case).
    pub rust: String,
    /// Prefix of the method's types (UpperCamelCase): `{prefix}Request`, ...
    pub type_prefix: String,
    pub doc: String,
    pub docs_url: Option<String>,
    pub verb: Verb,
    /// Path template below the base URL.
    pub path: String,
    /// Every value the call sends, in wire order; a session method's last
    /// binding is the session key.
    pub bindings: Vec<Binding>,
    /// Body members sent as JSON text.
    pub json_strings: Vec<String>,
    /// Where body members named without `at` go (`""`: the root).
    pub members_at: String,
    /// Pointer of the success payload.
    pub payload: String,
    pub answer: Answer,
    /// Response fields read from headers or cookies, by wire name.
    pub header_fields: Vec<(String, HeaderSource)>,
    /// The method's own rules, then the provider's.
    pub error_rules: Vec<ErrorRule>,
    /// How many of `error_rules` are the method's own (the rest are the provider's).
    pub own_error_rules: usize,
    pub params: Vec<Field>,
    /// The response struct (no fields unless `answer` is `Object`).
    pub response: NamedType,
    /// The method's own errors, then the provider-wide ones it does not
    /// override: every error the method can answer with, in lookup order.
    pub errors: Vec<ErrorVariant>,
    /// How many of `errors` are the method's own. An own error named as a
    /// provider-wide one re-documents that code for this method (its doc,
    /// class or cooldown) and is still that `ProviderError` variant.
    pub own_errors: usize,
    pub examples: Vec<Example>,
    pub session: MethodSession,
    /// The method's own session key places (its `carry`), sent after the
    /// provider's unless `carry_replaced`.
    pub key_bindings: Vec<Binding>,
    /// Whether the method's `carry` replaces the provider's.
    pub carry_replaced: bool,
    /// The method's own body encoding, instead of the client's.
    pub encoding: Option<Encoding>,
}

#[derive(Debug, Clone)]
pub struct ErrorVariant {
    pub code: Option<CodeValue>,
    pub name: String,
    pub doc: String,
    pub class: ErrorClass,
    pub http_status: Option<u16>,
    /// Seconds a session waits before logging in again after this error.
    pub cooldown: Option<u64>,
    /// When the entry applies besides its code (`match`).
    pub refine: Option<ErrorMatch>,
    /// Wrong logins in a row after which the provider answers with this
    /// error (`after_failures`).
    pub after_failures: Option<u32>,
}

/// What an error entry's `match` tests; all given must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMatch {
    pub message: Option<TextTest>,
    /// Header name and the test of its value.
    pub header: Option<(String, TextTest)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextTest {
    Contains(String),
    /// A regex the whole text matches.
    Matches(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    BadCredentials,
    SessionExpired,
    RateLimited,
    Locked,
    InvalidInput,
    AccessDenied,
    Server,
    Other,
}

#[derive(Debug, Clone)]
pub struct Example {
    /// Test function name (snake_case).
    pub name: String,
    pub status: u16,
    pub body: String,
    /// Expected error variant; `None` for a success.
    pub error: Option<String>,
}

/// Names of the shared struct types that some request contains, directly
/// or nested: these are serialized as well as deserialized.
pub fn types_in_params(types: &[NamedType], methods: &[Method]) -> BTreeSet<String> {
    let mut stack: Vec<&Ty> = methods
        .iter()
        .flat_map(|m| m.params.iter().map(|f| &f.ty))
        .collect();
    let mut found = BTreeSet::new();
    while let Some(ty) = stack.pop() {
        match ty {
            Ty::List(inner) | Ty::Map(inner) => stack.push(inner),
            Ty::Named(name, NamedKind::Struct) if found.insert(name.clone()) => {
                if let Some(TypeDef::Struct { fields, .. }) =
                    types.iter().find(|t| &t.name == name).map(|t| &t.def)
                {
                    stack.extend(fields.iter().map(|f| &f.ty));
                }
            }
            _ => {}
        }
    }
    found
}
