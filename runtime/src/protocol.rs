//! The declared wire protocol of a provider, as generated code describes it.
//!
//! Each provider is a combination of these pieces; the runtime implements
//! every piece once, so a new provider needs a spec, not code.

/// How a request body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `application/x-www-form-urlencoded`; answers are read as JSON.
    Form,
    /// A `GET` with every field in the query string; answers are read as JSON.
    Query,
    /// `application/json` request and answer.
    Json,
    /// `application/xml` request and answer.
    Xml,
    /// SOAP 1.1 envelope over `text/xml`, with a `SOAPAction` header.
    Soap11,
}

/// Where a method's wire name goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodName {
    /// Appended to the base URL (`login/advAuth`).
    Path,
    /// Sent as this request field (`request=verifyUser`, `svc=token/login`).
    Field(&'static str),
    /// Carried by the SOAP action and request element.
    SoapAction,
}

/// How an API error is told apart from a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorRule {
    /// Path of the error code in the decoded body, e.g. `/status/errorCode`.
    pub code: Option<&'static str>,
    /// Path of the server's message.
    pub message: Option<&'static str>,
    /// Whether an answer may lack the code (only errors carry one). When
    /// `false`, an answer without a code at `code` is undecodable.
    pub code_optional: bool,
    /// Whether codes are numbers (`true`) or text.
    pub numeric: bool,
    /// Numeric codes that mean success.
    pub success_int: &'static [i64],
    /// Textual codes that mean success.
    pub success_text: &'static [&'static str],
}

/// Everything about a provider's wire protocol.
#[derive(Debug)]
pub struct Protocol {
    /// Provider name, for errors and tracing.
    pub provider: &'static str,
    /// Default base URL, with `{variable}` placeholders.
    pub base_url: &'static str,
    /// Accepted encodings; the first is the default.
    pub encodings: &'static [Encoding],
    pub method_name: MethodName,
    /// Pack all parameters into this field as one JSON document.
    pub pack_params: Option<&'static str>,
    /// Root element of XML request bodies.
    pub xml_root: &'static str,
    pub soap_namespace: &'static str,
    /// Path of the success payload in the decoded body (`""` is the root).
    pub payload: &'static str,
    pub errors: ErrorRule,
    /// Wire names of secret parameters and fields; sent values of these are
    /// blanked out of error excerpts.
    pub secret_fields: &'static [&'static str],
    /// How calls made within a session carry its key, if the provider has sessions.
    pub session_key: Option<Carry>,
}

/// Where a call puts the session key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// A request field (form field, JSON key, XML or SOAP element), sent last
    /// (Wialon `sid`, Erply `sessionKey`, Aukro `sessionHandle`).
    Field(&'static str),
    /// A URL query parameter, whatever the body (Aktion `Token`).
    Query(&'static str),
}

/// A fixed value sent with every call of a method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constant {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'static str),
}

/// SOAP names of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoapOperation {
    pub action: &'static str,
    pub request_element: &'static str,
    pub response_element: &'static str,
}

/// What the runtime needs to know about one method.
#[derive(Debug)]
pub struct Method {
    /// The wire name (`verifyUser`).
    pub name: &'static str,
    /// URL path below the base URL, for [`MethodName::Path`].
    pub path: &'static str,
    pub soap: Option<SoapOperation>,
    pub constants: &'static [(&'static str, Constant)],
    /// HTTP statuses the method documents for its errors, with or without a
    /// code in the body. An answer with one of them is that error even when
    /// its body holds no code or no document: `ErrorCode::HttpStatus`.
    pub error_statuses: &'static [u16],
}
