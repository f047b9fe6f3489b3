//! Spec format v1's `protocol` section, still read (deprecated): `check`
//! lowers it to the same bindings and error rules as v2's `request` and
//! `response`. Same conventions as the parent module.

use super::CodeValue;
use serde::Deserialize;

/// The wire protocol, assembled from the pieces the runtime implements.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProtocolSpec {
    /// Request encodings the API accepts; the first is the default.
    #[cfg_attr(feature = "schema", schemars(extend("items" = {"enum": ["form", "query", "json", "xml", "soap11"]})))]
    pub encodings: Vec<String>,
    /// Where the method's wire name goes.
    pub method_name: MethodNameSpec,
    /// Pack all parameters as one JSON document into this form field (Wialon `params`).
    #[serde(default)]
    pub pack_params: Option<String>,
    /// Root element of XML request bodies.
    #[serde(default)]
    pub xml_root: Option<String>,
    /// Target namespace of SOAP request and response elements.
    #[serde(default)]
    pub soap_namespace: Option<String>,
    /// Where the success payload sits in the decoded body, as a path like `/records/0`.
    #[serde(default)]
    pub payload: String,
    #[serde(default)]
    pub error: Option<ErrorRuleSpec>,
}

/// Exactly one key: `path: true`, `field: NAME` or `soap_action: true`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MethodNameSpec {
    #[serde(default)]
    pub path: Option<bool>,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub soap_action: Option<bool>,
}

/// How an API error is recognised in a decoded body.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorRuleSpec {
    /// Path of the error code, e.g. `/status/errorCode`.
    #[serde(default)]
    pub code: Option<String>,
    /// Path of the human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// Only error answers carry the code (Wialon `error`, Aktion `Code`).
    /// Without this, an answer with nothing at `code` is undecodable.
    #[serde(default)]
    pub code_optional: bool,
    /// `int` or `string`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["int", "string"])))]
    pub code_type: String,
    /// Code values that mean success (Wialon and Erply send `0`).
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub success: Vec<CodeValue>,
}
