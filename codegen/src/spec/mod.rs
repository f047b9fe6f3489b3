//! The spec files as written: serde types that mirror the YAML one to one.
//!
//! Nothing here interprets a value; `check` does that. Every struct denies
//! unknown keys so a typo is an error rather than a silently ignored line.
//! Named collections are sequences (or [`Entries`]) instead of maps so that a
//! duplicate name survives parsing and `check` can report it.
//!
//! With the `schema` feature every type also derives `schemars::JsonSchema`,
//! so `loginspec schema` follows this file without a second description of
//! the format. A new spec type must derive it too.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

mod bindings;
mod errors;
mod protocol_v1;
mod session;

/// Reads a list key written with nothing after it (`errors:`, which YAML
/// reads as null) as an empty list, as a spec author means it.
fn null_as_empty<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
pub use bindings::*;
pub use errors::*;
pub use protocol_v1::*;
pub use session::*;

/// `provider.yaml`: everything shared by the methods of one vendor API.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProviderSpec {
    /// Module name of the provider in the generated crate (snake_case).
    pub provider: String,
    /// Human name, used in docs.
    pub title: String,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub docs_url: Option<String>,
    /// Default base URL; `{var}` placeholders name entries of `variables`.
    pub base_url: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub variables: Vec<VariableSpec>,
    /// v1 wire protocol (deprecated): `check` lowers it to the same bindings as `request`/`response`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "ProtocolSpec"))]
    pub protocol: Option<ProtocolSpec>,
    /// How requests are written (v2): encodings, verb, where values go.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "RequestSpec"))]
    pub request: Option<RequestSpec>,
    /// How answers are read (v2): the payload and the error rules.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "ProviderResponseSpec"))]
    pub response: Option<ProviderResponseSpec>,
    /// Shared named types, usable from any method of this provider.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub types: Entries<TypeSpec>,
    /// Error codes any method of this provider can return.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub errors: Vec<ErrorSpec>,
    /// How the provider's login session works; absent for providers without one.
    #[serde(default)]
    pub session: Option<SessionSpec>,
    /// `loginspec lint` rules waived for what this file says (the base URL,
    /// variables, `request`, `session`), each with the reason
    /// (`secret-in-url: "the vendor takes the token only in the query"`).
    /// `check` ignores it.
    #[serde(default)]
    pub lint_allow: std::collections::BTreeMap<String, String>,
    /// Alternative groups of client variables (password, or token and salt,
    /// or an API key): the client is built from one group, and only its
    /// variables are sent.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub credentials: Vec<CredentialGroupSpec>,
}

/// One way for a client to authenticate: a named group of its variables.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CredentialGroupSpec {
    /// snake_case; the variant of the generated `Credentials` enum is its UpperCamelCase.
    pub name: String,
    pub doc: String,
    /// Names of `variables` entries that this group sends.
    pub variables: Vec<String>,
}

/// A value the client is created with, such as Erply's account number.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VariableSpec {
    pub name: String,
    #[serde(default)]
    pub rust_name: Option<String>,
    pub doc: String,
    /// v1: also send the variable as a body member (under `name`) on every call.
    #[serde(default)]
    pub send_as_field: bool,
    /// Send the variable with every call, here (absent: it only fills `{name}` in `base_url`).
    #[serde(default, rename = "in")]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["body", "query", "path", "header", "cookie", "basic_user", "basic_password", null])))]
    pub in_: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub constraints: Option<ConstraintsSpec>,
    /// A credential (a password, an API key): `Client::new` takes it as a
    /// `Secret`, it is never shown, and it must be sent (`in`), not put into `base_url`.
    #[serde(default)]
    pub secret: bool,
    /// A sample value, as the vendor's docs show it. Documentation for
    /// readers; `loginspec mock` takes it into the account it accepts.
    #[serde(default)]
    pub example: Option<String>,
}

/// A named type: exactly one of `fields`, `enum` or `flags`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TypeSpec {
    #[serde(default)]
    pub doc: Option<String>,
    /// Another struct type whose fields come first.
    #[serde(default)]
    pub extends: Option<String>,
    #[serde(default)]
    pub fields: Option<Vec<FieldSpec>>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<EnumValueSpec>>,
    #[serde(default)]
    pub flags: Option<Vec<FlagSpec>>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EnumValueSpec {
    /// Variant name (UpperCamelCase).
    pub name: String,
    /// The wire value: an integer or a string.
    pub value: CodeValue,
    pub doc: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FlagSpec {
    /// Constant name (SCREAMING_SNAKE_CASE).
    pub name: String,
    pub value: u64,
    pub doc: String,
}

/// A request parameter or a response field.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Name on the wire.
    pub name: String,
    #[serde(default)]
    pub rust_name: Option<String>,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default = "yes")]
    pub required: bool,
    /// Value used when the caller sets nothing (parameters only).
    #[serde(default)]
    pub default: Option<Literal>,
    /// A sample value, as the vendor's docs show it (parameters only).
    /// Documentation for readers; `loginspec mock` takes the login's
    /// examples as the account it accepts.
    #[serde(default)]
    pub example: Option<Literal>,
    pub doc: String,
    /// Never printed: held in a redacting type.
    #[serde(default)]
    pub secret: bool,
    /// Applied to the value before it is sent (parameters only).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["sha256_base64", null])))]
    pub transform: Option<String>,
    /// Encoding of a `timestamp`: a name (`unix_seconds`, `unix_millis`,
    /// `dotnet_date`, `rfc3339`, `iso8601`) or `{pattern: DESCRIPTION}`.
    #[serde(default)]
    pub format: Option<FormatSpec>,
    /// Also accept numbers and booleans written as strings (`"5"`, `"1"`).
    #[serde(default)]
    pub lenient: bool,
    /// The value arrives as a JSON document inside a string.
    #[serde(default)]
    pub embedded_json: bool,
    #[serde(default)]
    pub constraints: Option<ConstraintsSpec>,
    /// Parameters only: computed at send time, not set by the caller: parts
    /// (`{param: NAME}`, `{text: …}`, `{nonce: {len, alphabet}}`,
    /// `unix_time`) concatenated, then steps (`md5`, `sha1`, `sha256`,
    /// `sha512`, `{hmac: {hash, key: {param: NAME}}}`, `hex`, `base64`,
    /// `base64url`) in order.
    #[serde(default)]
    pub derived: Option<Vec<DerivedItemSpec>>,
    /// Parameters only: where the value goes (default `body`); `none`: an
    /// input of derived values only, never sent.
    #[serde(default, rename = "in")]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["body", "query", "path", "header", "cookie", "basic_user", "basic_password", "none", null])))]
    pub in_: Option<String>,
    /// Parameters only: an absolute body pointer.
    #[serde(default)]
    pub at: Option<String>,
    /// Parameters only: a header template with `{value}` once.
    #[serde(default)]
    pub template: Option<String>,
    /// Parameters only: more places the same value goes, each a location
    /// (`{in, at, name, template}`; `name` defaults to the parameter's).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub also: Vec<LocationSpec>,
    /// Method response fields only: read from a header or a cookie of the
    /// answer, or from its document at an absolute pointer.
    #[serde(default)]
    pub from: Option<FromSpec>,
}

/// One item of a `derived` list: a word (`unix_time`, `md5`, `hex`, …) or
/// a map with exactly one key (`param`, `text`, `nonce`, `hmac`).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum DerivedItemSpec {
    Word(String),
    Map(DerivedMapSpec),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DerivedMapSpec {
    /// A part: the value of another parameter of the method.
    #[serde(default)]
    pub param: Option<String>,
    /// A part: fixed text.
    #[serde(default)]
    pub text: Option<String>,
    /// A part: a random string, fresh per request.
    #[serde(default)]
    pub nonce: Option<NonceSpec>,
    /// A step: HMAC of the bytes so far.
    #[serde(default)]
    pub hmac: Option<HmacSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NonceSpec {
    /// Characters, 1 to 1024.
    pub len: i64,
    /// `hex` (default), `alnum` or `digits`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["hex", "alnum", "digits", null])))]
    pub alphabet: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HmacSpec {
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["md5", "sha1", "sha256", "sha512"])))]
    pub hash: String,
    /// `{param: NAME}`: the key is a parameter's value (usually secret).
    pub key: Box<DerivedMapSpec>,
}

/// Exactly one key: `header: NAME`, `cookie: NAME` or `at: /pointer`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FromSpec {
    #[serde(default)]
    pub header: Option<String>,
    #[serde(default)]
    pub cookie: Option<String>,
    /// An absolute JSON pointer of the answer's document, whatever the
    /// payload pointer (Deluge's `/result` next to its cookie).
    #[serde(default)]
    pub at: Option<String>,
}

/// A scalar written in a spec: a default value or a constant field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

fn yes() -> bool {
    true
}

/// Client-side checks on a parameter, run before anything is sent.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConstraintsSpec {
    #[serde(default)]
    pub length: Option<BoundsSpec>,
    #[serde(default)]
    pub range: Option<BoundsSpec>,
    #[serde(default)]
    pub pattern: Option<String>,
    /// The string must be hexadecimal for exactly this many bytes.
    #[serde(default)]
    pub hex_bytes: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BoundsSpec {
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// Bring out-of-range values to the nearest bound instead of rejecting them.
    #[serde(default)]
    pub clamp: bool,
}

/// One method file.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MethodSpec {
    /// The method's wire name (`verifyUser`, `token/login`, `doLoginEnc`).
    pub method: String,
    #[serde(default)]
    pub rust_name: Option<String>,
    pub doc: String,
    #[serde(default)]
    pub docs_url: Option<String>,
    /// HTTP method, overriding `request.http`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["GET", "POST", "PUT", "PATCH", "DELETE", null])))]
    pub http: Option<String>,
    /// URL path template below the base URL (`users/{id}`); v1 `method_name: {path: true}` defaults it to `method`.
    #[serde(default)]
    pub path: Option<String>,
    /// The body encoding of this method, overriding the client's choice
    /// among `request.encodings` (a form login next to JSON calls).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["form", "query", "json", "xml", "none", null])))]
    pub encoding: Option<String>,
    /// Body pointer under which parameters go, overriding `request.params_at`.
    #[serde(default)]
    pub params_at: Option<String>,
    /// Parameters form a JSON array at `params_at`, overriding `request.positional`.
    #[serde(default)]
    pub positional: Option<bool>,
    #[serde(default)]
    pub soap: Option<SoapSpec>,
    /// Values sent with a fixed value on every call (Aktion's `Result: null`).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub constants: Entries<ConstantSpec>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub params: Vec<FieldSpec>,
    pub response: MethodResponseSpec,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub errors: Vec<ErrorSpec>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub examples: Vec<ExampleSpec>,
    /// `loginspec lint` rules waived for this method, each with the reason
    /// (`no-examples: "the vendor documents no sample answer"`). `check`
    /// ignores it.
    #[serde(default)]
    pub lint_allow: std::collections::BTreeMap<String, String>,
    /// `use`: the call carries the session key; `end`: it also ends the session (logout).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["use", "end", null])))]
    pub session: Option<String>,
    /// Where this method sends the session key: a location (with `also`)
    /// replaces the provider's `carry`; `also` alone adds places to it.
    #[serde(default)]
    pub carry: Option<CarrySpec>,
}

/// A method's answer: a struct (`fields`/`extends`), a value (`type`), the
/// body as text (`kind: text`) or nothing (`kind: none`).
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MethodResponseSpec {
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub extends: Option<String>,
    #[serde(default)]
    pub fields: Option<Vec<FieldSpec>>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<EnumValueSpec>>,
    #[serde(default)]
    pub flags: Option<Vec<FlagSpec>>,
    /// Pointer of the success payload, overriding the provider's.
    #[serde(default)]
    pub payload: Option<String>,
    /// A non-object payload: a scalar or `list<…>` type.
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// `text`: the whole body as a string; `none`: no payload (`()`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["text", "none", null])))]
    pub kind: Option<String>,
    /// With `type: string`: the answer is a secret (`rt::Secret`), never printed.
    #[serde(default)]
    pub secret: bool,
    /// Tried before the provider's error rules.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub error_rules: Vec<ErrorRuleV2Spec>,
}

impl MethodResponseSpec {
    /// The struct part, as a shared type would be written.
    pub fn as_type(&self) -> TypeSpec {
        TypeSpec {
            doc: self.doc.clone(),
            extends: self.extends.clone(),
            fields: self.fields.clone(),
            enum_values: self.enum_values.clone(),
            flags: self.flags.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SoapSpec {
    pub action: String,
    pub request_element: String,
    pub response_element: String,
}

/// A sample from the vendor docs; the generated tests decode it.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    pub name: String,
    /// HTTP status of the sample response.
    #[serde(default = "ok_status")]
    pub status: u16,
    /// The response body, verbatim.
    pub body: String,
    /// Variant name of the error this body must decode to; absent for a success.
    #[serde(default)]
    pub error: Option<String>,
}

fn ok_status() -> u16 {
    200
}

/// A YAML map read as an ordered list of entries, keeping duplicate keys
/// (the parser passes them through) so `check` can report them.
#[derive(Debug)]
pub struct Entries<T>(pub Vec<(String, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, T>()? {
                    entries.push((key, value));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(std::marker::PhantomData))
    }
}

/// In the schema an `Entries` is what it is in the file: a map from names to `T`.
#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Entries<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Entries_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<String, T>>::json_schema(generator)
    }
}

/// How a `timestamp` is written: a named format, or a custom one.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum FormatSpec {
    Name(FormatName),
    Custom(CustomFormatSpec),
}

/// A named timestamp format.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(extend("enum" = ["unix_seconds", "unix_millis", "dotnet_date", "rfc3339", "iso8601"])))]
#[serde(transparent)]
pub struct FormatName(pub String);

/// A custom timestamp format: a format description of the `time` crate
/// (`[year]-[month]-[day] [hour]:[minute]:[second]`); without an offset
/// the text is read as UTC.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomFormatSpec {
    pub pattern: String,
}
