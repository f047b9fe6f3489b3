//! Spec format v2: where values go (locations, constants) and how answers
//! are read (payload, error rules). Same conventions as the parent module.

use super::{CodeValue, Entries, Literal};
use serde::Deserialize;

/// Where a value goes on the wire: `in` (default `body`), with `at` (a body
/// pointer), `name` (the wire name) and `template` (headers: `Bearer {value}`).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LocationSpec {
    #[serde(default, rename = "in")]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["body", "query", "path", "header", "cookie", "basic_user", "basic_password", null])))]
    pub in_: Option<String>,
    /// Body only: an absolute JSON pointer (`/identifier/user`).
    #[serde(default)]
    pub at: Option<String>,
    /// The wire name (query, path, header, cookie; a body member under `params_at`).
    #[serde(default)]
    pub name: Option<String>,
    /// Header only: text with `{value}` exactly once (`Bearer {value}`).
    #[serde(default)]
    pub template: Option<String>,
}

/// How requests are written (spec format v2).
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    /// Request encodings the API accepts; the first is the default.
    #[cfg_attr(feature = "schema", schemars(extend("items" = {"enum": ["form", "query", "json", "xml", "soap11", "none"]})))]
    pub encodings: Vec<String>,
    /// Default HTTP method of every method (default `POST`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["GET", "POST", "PUT", "PATCH", "DELETE", null])))]
    pub http: Option<String>,
    /// Root element of XML request bodies.
    #[serde(default)]
    pub xml_root: Option<String>,
    /// Namespace of the SOAP request elements.
    #[serde(default)]
    pub soap_namespace: Option<String>,
    /// Where each method's wire name is sent; absent: nowhere.
    #[serde(default)]
    pub method_name: Option<LocationSpec>,
    /// Default body pointer under which parameters go (`""`: the root).
    #[serde(default)]
    pub params_at: Option<String>,
    /// Default: parameters form a JSON array at `params_at`, in order.
    #[serde(default)]
    pub positional: Option<bool>,
    /// Body members sent as JSON text (Wialon `params`).
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub json_string: Vec<String>,
    /// Values sent with every call: wire name → literal or `{value, <location>}`.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub constants: Entries<ConstantSpec>,
    /// A session-id handshake: an answer with `status` hands out a value in
    /// `header`, which every later call sends back.
    #[serde(default)]
    pub handshake: Option<HandshakeSpec>,
    /// A request id: a counter per client, sent with every call.
    #[serde(default)]
    pub request_id: Option<RequestIdSpec>,
}

/// `request.handshake`: Transmission's `{status: 409, header: X-Transmission-Session-Id}`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HandshakeSpec {
    /// The status of an answer that hands out a new value (the call is repeated once with it).
    pub status: u16,
    /// The header that carries the value, in answers and in requests.
    pub header: String,
}

/// `request.request_id`: where the id goes (a location, default `in: body`
/// with `name: id`) and where the answer echoes it.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestIdSpec {
    #[serde(default, rename = "in")]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["body", "query", "header", "cookie", null])))]
    pub in_: Option<String>,
    /// Body only: an absolute JSON pointer (`/id`).
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
    /// A pointer where the answer must hold the same id (JSON-RPC `/id`).
    #[serde(default)]
    pub check: Option<String>,
}

/// How answers are read (spec format v2).
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProviderResponseSpec {
    /// Pointer of the success payload (default `""`: the whole document).
    #[serde(default)]
    pub payload: Option<String>,
    /// Ordered: the first rule whose `when` holds decides.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub error_rules: Vec<ErrorRuleV2Spec>,
}

/// One way an answer is recognised as an API error.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorRuleV2Spec {
    /// When the rule applies; all given conditions must hold. Absent: always.
    #[serde(default)]
    pub when: Option<WhenSpec>,
    /// Pointer of the code (needs `code_type`).
    #[serde(default)]
    pub code: Option<String>,
    /// A fixed code (int or string) for every answer the rule applies to.
    #[serde(default)]
    pub code_value: Option<CodeValue>,
    /// `int` or `string`; required with `code`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["int", "string", null])))]
    pub code_type: Option<String>,
    /// Only error answers carry the code.
    #[serde(default)]
    pub code_optional: bool,
    /// Codes that mean success.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub success: Vec<CodeValue>,
    /// Pointer, or list of pointers, of the message (joined with `: `).
    #[serde(default)]
    pub message: Option<OneOrMany>,
    /// A retry delay in the body.
    #[serde(default)]
    pub retry_after: Option<RetryAfterSpec>,
}

/// Conditions of an error rule.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WhenSpec {
    /// Statuses (ints) or ranges (`"500-599"`), any of which matches.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub status: Vec<CodeValue>,
    /// Something (not `null`) is at this pointer.
    #[serde(default)]
    pub present: Option<String>,
    /// Nothing (or `null`) is at this pointer.
    #[serde(default)]
    pub absent: Option<String>,
    /// The value at `at` equals `value`.
    #[serde(default)]
    pub equals: Option<EqualsSpec>,
    /// The whole body, trimmed, is this text.
    #[serde(default)]
    pub text: Option<String>,
    /// The answer has this header.
    #[serde(default)]
    pub header: Option<String>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EqualsSpec {
    pub at: String,
    pub value: Literal,
}

/// A retry delay in the body: a pointer and its unit.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RetryAfterSpec {
    pub at: String,
    /// `s` (default) or `ms`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["s", "ms", null])))]
    pub unit: Option<String>,
}

/// One string or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn items(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A constant: a literal (sent in the default place), or `{value, <location>}`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(
    untagged,
    expecting = "a literal (null, bool, number, string) or a map `{value, in, at, name, template}`"
)]
pub enum ConstantSpec {
    Located(LocatedConstantSpec),
    Literal(Literal),
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LocatedConstantSpec {
    pub value: Literal,
    #[serde(default, rename = "in")]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["body", "query", "path", "header", "cookie", "basic_user", "basic_password", null])))]
    pub in_: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
    /// More places the same value goes, each a location.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub also: Vec<LocationSpec>,
}

impl ConstantSpec {
    pub fn value(&self) -> &Literal {
        match self {
            ConstantSpec::Located(c) => &c.value,
            ConstantSpec::Literal(l) => l,
        }
    }
    pub fn location(&self) -> LocationSpec {
        match self {
            ConstantSpec::Located(c) => LocationSpec {
                in_: c.in_.clone(),
                at: c.at.clone(),
                name: c.name.clone(),
                template: c.template.clone(),
            },
            ConstantSpec::Literal(_) => LocationSpec::default(),
        }
    }
    /// The extra locations of `also` (none for a bare literal).
    pub fn also(&self) -> &[LocationSpec] {
        match self {
            ConstantSpec::Located(c) => &c.also,
            ConstantSpec::Literal(_) => &[],
        }
    }
}

/// At most one of `seconds`, `from_response` and `from_param`, plus `sliding`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LifetimeSpec {
    /// A fixed lifetime in seconds.
    #[serde(default)]
    pub seconds: Option<u64>,
    /// Wire name of a login response field giving the lifetime (in `unit`).
    #[serde(default)]
    pub from_response: Option<String>,
    /// Wire name of a login parameter giving the lifetime (in `unit`).
    #[serde(default)]
    pub from_param: Option<String>,
    /// The unit of `from_response` and `from_param`: `s` (default) or `ms`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["s", "ms", null])))]
    pub unit: Option<String>,
    /// Whether every call made with the key starts the lifetime again.
    #[serde(default)]
    pub sliding: bool,
}

/// A refresh method: it takes the refresh token (from the login answer's
/// `token` field) as its parameter `param`, and answers with a new key in
/// the field named like the session's `key` and, when the server rotates
/// refresh tokens, a new token in the field named like `token`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshSpec {
    /// Wire name of the refresh method.
    pub method: String,
    /// Wire name of the login (and refresh) response field holding the refresh token.
    pub token: String,
    /// Wire name of the refresh method's parameter that takes the token.
    pub param: String,
}

/// When login fails with `on`, call `method`, copy its response `field`
/// into the login parameter `param`, and log in once more.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshParamSpec {
    /// Wire name of the login parameter to refresh.
    pub param: String,
    /// The login error code that means the value is stale.
    pub on: CodeValue,
    /// Wire name of the method that returns a fresh value.
    pub method: String,
    /// Wire name of that method's response field holding the value.
    pub field: String,
    /// That method's parameters: a literal, or `{param: NAME}` for a login parameter.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub args: Entries<ArgSpec>,
}

/// A parameter value for a call the session makes on its own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum ArgSpec {
    /// The value of a login parameter, by wire name.
    Param {
        param: String,
    },
    Value(Literal),
}
