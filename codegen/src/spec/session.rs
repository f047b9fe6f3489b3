//! The `session` section of `provider.yaml`: the login, its steps, the key
//! and where calls carry it.

use super::*;

/// The login session: which method opens it, where its key is, how long it
/// lives and how later calls carry it. Errors of class `session_expired`
/// make the session log in again.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SessionSpec {
    /// Wire name of the method that logs in (`verifyUser`).
    pub login: String,
    /// Wire name of the login response field holding the key (`sessionKey`).
    /// Empty or left out: the login's answer is itself the key (a `type:
    /// string` answer with `secret: true`, JSON-RPC `"result": "<token>"`).
    #[serde(default)]
    pub key: String,
    /// How calls that use the session send the key.
    pub carry: CarrySpec,
    #[serde(default)]
    pub lifetime: Option<LifetimeSpec>,
    /// Seconds before expiry at which the session logs in again (default 30).
    #[serde(default)]
    pub refresh_margin: Option<u64>,
    /// A login parameter that goes stale and can be fetched again (Aukro's `localVersion`).
    #[serde(default)]
    pub refresh_param: Option<RefreshParamSpec>,
    /// A refresh method that renews the key with a refresh token, before
    /// expiry and on a `session_expired` answer, instead of a full login.
    #[serde(default)]
    pub refresh: Option<RefreshSpec>,
    /// A login of several calls, in order; the last is `login`. Values an
    /// answer hands over (a flow id, a challenge, a code) go into later calls.
    #[serde(default)]
    pub steps: Option<Vec<StepSpec>>,
}

/// One call of a login that takes several (`session.steps`).
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// Wire name of the method this step calls.
    pub method: String,
    /// Parameters of this step filled from an earlier step's answer: parameter
    /// wire name → a response field of the step just before, or `{step, field}`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub take: Entries<TakeSpec>,
}

/// Where a step's parameter comes from.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum TakeSpec {
    /// A response field of the step just before.
    Field(String),
    /// A response field of an earlier step, named by its method.
    From { step: String, field: String },
}

/// Where calls send the session key: a location (`in`, `at`, `name`,
/// `template`), or the v1 forms `field: NAME` / `query: NAME`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CarrySpec {
    /// v1: the body member `NAME` (same as `{in: body, name: NAME}`).
    #[serde(default)]
    pub field: Option<String>,
    /// v1: the query parameter `NAME` (same as `{in: query, name: NAME}`).
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default, rename = "in")]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["body", "query", "path", "header", "cookie", "basic_user", "basic_password", null])))]
    pub in_: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
    /// More places the key goes, each a location (`{in, at, name, template}`).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub also: Vec<LocationSpec>,
}

impl CarrySpec {
    /// The location keys, whichever form was written.
    pub fn location(&self) -> LocationSpec {
        LocationSpec {
            in_: self.in_.clone(),
            at: self.at.clone(),
            name: self.name.clone(),
            template: self.template.clone(),
        }
    }
}
