//! The declared wire protocol of a provider, as generated code describes it
//! (spec format v2).
//!
//! A request is a list of [`Binding`]s, each a value bound to a location; an
//! answer is read by ordered [`ErrorRule`]s and a payload pointer. The
//! runtime implements each kind of value and location once, so a new
//! provider needs a spec, not code, and nothing here names a provider.

/// How a request body is written and an answer read. The client picks one of the
/// provider's list (Aktion: JSON or XML); the first is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// `application/x-www-form-urlencoded` body of the document's top-level
    /// members (strings raw, other scalars and nested values as JSON text,
    /// `null` left out); answers are read as JSON.
    Form,
    /// No body: the document's top-level members go into the query string as
    /// a form would write them, and the call is a `GET` whatever `Method::verb`
    /// says; answers are read as JSON.
    Query,
    /// `application/json` request and answer.
    Json,
    /// `application/xml`: the document under `Protocol::xml_root`; answers are XML.
    Xml,
    /// SOAP 1.1 over `text/xml; charset=utf-8`: each top-level member of the
    /// document becomes a child element of the Envelope's Body, prefixed `ns:`
    /// bound to `Protocol::soap_namespace`. Answers: the Body's content is the
    /// document; a `Fault` in it is an API error (code = local part of
    /// `faultcode`, message = `faultstring`), as SOAP 1.1 defines.
    Soap11,
    /// No body at all (GET, DELETE, or every value elsewhere); answers are read as JSON.
    None,
}

/// The HTTP method of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// Where a value goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// Into the body document at this JSON pointer (RFC 6901); `""` is the
    /// whole document. Containers on the way are created (`rt::document::place`).
    Body(&'static str),
    /// A query parameter of this name, appended to the URL in binding order.
    Query(&'static str),
    /// Fills `{name}` in `Method::path`, percent-encoded as one path segment
    /// (everything but RFC 3986 unreserved characters, so `/`, `?`, `#` and
    /// `%` too). An empty value, `.` and `..` are refused (`Invalid`): they
    /// would move the path whatever the encoding.
    Path(&'static str),
    /// A header. `template` contains `{value}` once (`"Bearer {value}"`,
    /// `"\"{value}\""`); `"{value}"` sends the value as it is. A value with
    /// CR, LF, NUL or another control character (tab aside) is refused
    /// (`Invalid`), never sent. On a followed same-origin redirect the
    /// header is sent again; no binding header ever reaches another origin.
    /// A header named `Accept` or `Content-Type` replaces the encoding's own
    /// (JSON-RPC servers that want `application/json-rpc`).
    Header {
        name: &'static str,
        template: &'static str,
    },
    /// One `name=value` pair of the request's `Cookie` header (pairs joined
    /// by `; `, the header at the place of the first cookie binding). A value
    /// with `;`, `,` or a control character is refused (`Invalid`).
    Cookie(&'static str),
    /// The user half of `Authorization: Basic` (RFC 7617): one header
    /// `Basic base64(user:password)` at the place of the first Basic binding.
    /// A user with `:` is refused (`Invalid`).
    BasicUser,
    /// The password half of `Authorization: Basic`.
    BasicPassword,
}

/// A fixed value. `EmptyObject`/`EmptyArray` make a container exist even when
/// nothing is placed into it (Wialon `params={}`, JSON-RPC `"params": []`),
/// at the place of their binding; placed where a container of the same kind
/// already is, they leave it as it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constant {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'static str),
    EmptyObject,
    EmptyArray,
}

/// Where a bound value comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Source {
    /// The request member with this wire name (the request struct serialised
    /// to a JSON object). A member left unset (`None`, skipped) is not placed,
    /// except at an array index in the body, where `null` keeps later
    /// positions in place (positional parameters).
    Param(&'static str),
    Constant(Constant),
    /// The method's wire name (`Method::name`).
    MethodName,
    /// A client variable by name (`Variable::name`).
    Variable(&'static str),
    /// A value computed at send time by a pipeline over the call's other
    /// values (`rt::derive`), under its wire name `name`: other pipelines of
    /// the call read it by that name and get the same text (one nonce both
    /// sent and hashed). Secret when `name` is in `Protocol::secret_fields`.
    Derived {
        name: &'static str,
        pipeline: &'static crate::derive::Derived,
    },
    /// The session key. A call without one (a plain `Client` call of a
    /// method whose table binds it) is refused with `Invalid { field: "session" }`.
    SessionKey,
    /// The request id: a counter per client (shared by its clones), 1 for
    /// the first call, one more for each later call (a repeated call keeps
    /// its id). A JSON integer in the body, its decimal text elsewhere.
    RequestId,
}

/// One value bound to one location.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Binding {
    pub source: Source,
    pub location: Location,
}

/// What kind of success payload a method answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    /// A value at `Method::payload` in the parsed document: object, list or scalar.
    Document,
    /// The whole body as text (`Ok.`), as a JSON string for typed decoding.
    Text,
    /// Nothing: any body is ignored and the payload is `null` (a 204, an
    /// empty 200); the response type is `()`-like. With `Method::header_fields`
    /// the payload is an object of those fields (a login whose key is a cookie).
    Empty,
}

/// A response field read from the answer's headers rather than the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderSource {
    /// The value of this header (first occurrence).
    Header(&'static str),
    /// The value of the cookie of this name in `Set-Cookie` (the last one wins).
    Cookie(&'static str),
    /// Not a header: the value at this absolute pointer of the answer's
    /// document, whatever `Method::payload` says (Deluge's `/result` next
    /// to its cookie), inserted as it is (any JSON value, not only text).
    /// An answer that is not a document is undecodable.
    Document(&'static str),
}

/// Where an error rule takes the code from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSource {
    /// A value at this JSON pointer in the parsed document (int or string;
    /// integral floats are ints).
    At(&'static str),
    /// A fixed integer code (the rule's condition alone tells the error).
    Int(i64),
    /// A fixed textual code.
    Text(&'static str),
    /// The HTTP status (`ErrorCode::HttpStatus`).
    Status,
}

/// Conditions under which an error rule applies; all given ones must hold.
/// Nothing given: the rule applies to every answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct When {
    /// Inclusive status ranges, any of which matches (`&[(401, 401), (500, 599)]`).
    pub status: &'static [(u16, u16)],
    /// Something (not `null`) is at this pointer (JSON-RPC `/error`).
    pub present: Option<&'static str>,
    /// Nothing (or `null`) is at this pointer (an empty `{}` where a name belongs).
    pub absent: Option<&'static str>,
    /// The value at the pointer equals the constant (Deluge: `/result` is `false`).
    pub equals: Option<(&'static str, Constant)>,
    /// The whole body, trimmed, is this text (qBittorrent `Fails.`).
    pub text: Option<&'static str>,
    /// The answer has this header.
    pub header: Option<&'static str>,
}

/// How one kind of API error is told apart from a success.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorRule {
    pub when: When,
    /// Where the code is. With `CodeSource::At`, an answer without a value
    /// there goes on to the next rule if `code_optional` (a success when no
    /// rule decides and the status is 2xx), else is undecodable; either way,
    /// a status the method documents makes it that status' error. A rule
    /// that reads the document (`present`, `absent`, `equals`, a code or
    /// message pointer, a body retry delay) does not apply to a body that is
    /// not a document; rules on status, text and headers still do.
    pub code: CodeSource,
    /// Whether an answer may lack the code (only errors carry one).
    pub code_optional: bool,
    /// Whether textual codes are read as integers (`"1051"` → 1051).
    pub numeric: bool,
    /// Codes that mean success: the rule does not make an error of them, and
    /// no later rule is tried.
    pub success_int: &'static [i64],
    pub success_text: &'static [&'static str],
    /// Pointers of message parts; those present are joined with `": "`.
    pub message: &'static [&'static str],
    /// A retry delay in the body: pointer, and whether it counts milliseconds
    /// (else seconds); rounded up to whole seconds, at most a day. The
    /// `Retry-After` header is read whatever this says, and wins when both
    /// are there (it is HTTP's own, and what proxies set).
    pub retry_after: Option<(&'static str, bool)>,
}

/// A session-id handshake (a CSRF token the server hands out): the client
/// keeps the last value of `header` from any answer of its own origin and
/// sends it in `header` on every call; an answer with `status` that carries
/// a value other than the one sent is not the answer: the call is repeated
/// once with the new value (a second such answer is then decoded as it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handshake {
    pub status: u16,
    pub header: &'static str,
}

/// Everything about a provider's wire protocol that is the same for all its methods.
#[derive(Debug)]
pub struct Protocol {
    /// Provider name, for errors and tracing.
    pub provider: &'static str,
    /// Default base URL, with `{variable}` placeholders.
    pub base_url: &'static str,
    /// Accepted encodings; the first is the default.
    pub encodings: &'static [Encoding],
    /// Root element of XML request bodies.
    pub xml_root: &'static str,
    /// Namespace of the `ns:` prefix in SOAP bodies.
    pub soap_namespace: &'static str,
    /// Wire names of secret parameters and fields; sent values of these are
    /// blanked out of error text. Secret client variables are named here too.
    pub secret_fields: &'static [&'static str],
    /// The session-id handshake, if the provider has one.
    pub handshake: Option<Handshake>,
    /// Where an answer echoes the request id (`Source::RequestId`): an
    /// answer that is a document must hold the id sent at this pointer, or
    /// it is undecodable. `None`: the id is not checked.
    pub request_id_check: Option<&'static str>,
}

/// What the runtime needs to know about one method.
#[derive(Debug)]
pub struct Method {
    /// The wire name (`verifyUser`), for errors, tracing and `Source::MethodName`.
    pub name: &'static str,
    pub verb: Verb,
    /// URL path below the base URL, with `{name}` placeholders filled by
    /// `Location::Path` bindings; `""` is the base URL itself.
    pub path: &'static str,
    /// Every value the call sends, in wire order: provider-wide ones first
    /// (as `check` merged them), then the method's own. The order of body
    /// members, query parameters, headers and cookies follows this list.
    pub bindings: &'static [Binding],
    /// Body members sent as JSON text (Wialon `params`), stringified after
    /// every binding is placed.
    pub json_strings: &'static [&'static str],
    /// Pointer of the success payload in the parsed document (`""`: root).
    pub payload: &'static str,
    pub payload_kind: PayloadKind,
    /// Response fields read from headers or cookies (inserted as strings),
    /// or from the document at an absolute pointer (`HeaderSource::Document`),
    /// into the payload object under the field's wire name before typed decoding.
    pub header_fields: &'static [(&'static str, HeaderSource)],
    /// How errors are recognised, tried in order; the first that applies
    /// decides. After the rules, a non-2xx answer is an error of its status
    /// (`ErrorCode::HttpStatus`). `&[]`: only the status tells errors. A rule
    /// with an empty `When` and a fixed code makes every answer an error.
    pub error_rules: &'static [ErrorRule],
    /// HTTP statuses the method documents for its errors, with or without a
    /// code in the body. An answer with one of them is that error even when
    /// its body holds no code or no document: `ErrorCode::HttpStatus`.
    pub error_statuses: &'static [u16],
    /// The method's own body encoding, used instead of the client's
    /// (Node-RED: a form login, JSON flow calls); `None`: the client's.
    pub encoding: Option<Encoding>,
}
