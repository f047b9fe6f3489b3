//! Rules for the provider's v2 `request` and `response` sections, and the
//! provider-wide wire settings (`Wire`) that method files are checked against.
//! The v1 `protocol` section is lowered to the same `Wire` in `protocol.rs`.

use super::answer::{check_rules, code_numeric};
use super::bindings::{also_places, member, place, Keys, Place};
use super::credentials::{check_handshake, check_request_id};
use super::wire::{check_pointer, check_xml_name};
use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec::{self, ConstantSpec, Entries};

/// Values of `request.encodings` (and v1 `protocol.encodings`, without `none`).
pub const ENCODINGS: &[&str] = &["form", "query", "json", "xml", "soap11", "none"];
/// Values of `http`.
pub const VERBS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// What v1's `protocol` decided that methods still read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct V1 {
    /// `method_name: {path: true}`: a method's path defaults to its wire name.
    pub path_is_method: bool,
    /// `method_name: {soap_action: true}`: every method needs `soap`.
    pub soap_action: bool,
    /// `pack_params`: constants and the session field stay top-level members.
    pub members_at_root: bool,
}

/// The provider-wide request and answer settings, checked.
pub(super) struct Wire<'a> {
    pub protocol: Protocol,
    pub verb: Verb,
    /// Where each method's wire name goes.
    pub method_name: Option<(Location, At<'a>)>,
    pub params_at: String,
    pub positional: bool,
    pub json_strings: Vec<String>,
    /// Provider-wide constants, in spec order.
    pub constants: Vec<(Binding, At<'a>)>,
    /// The request id's binding, sent after the constants.
    pub request_id: Option<(Binding, At<'a>)>,
    pub payload: String,
    pub error_rules: Vec<ErrorRule>,
    /// The type of error codes, when every rule agrees on one.
    pub numeric: Option<bool>,
    pub v1: Option<V1>,
}

impl Wire<'_> {
    /// The pointer of a body member `name` in a method whose parameters go at `params_at`.
    pub fn member_at(&self, params_at: &str, name: &str) -> String {
        member(&self.members_base(params_at), name)
    }

    /// Where body members named without `at` go in a method whose parameters go at `params_at`.
    pub fn members_base(&self, params_at: &str) -> String {
        if self.v1.is_some_and(|v| v.members_at_root) {
            String::new()
        } else {
            params_at.to_string()
        }
    }
}

pub(super) fn parse_encodings(
    at: &At,
    list: &[String],
    allowed: &[&str],
    cx: &mut Ctxt,
) -> Option<Vec<Encoding>> {
    let mut ok = true;
    let mut encodings = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let encoding = match e.as_str() {
            other if !allowed.contains(&other) => {
                at.index(i).error_hint(
                    cx,
                    format!("unknown encoding `{other}`"),
                    format!("use one of: {}", allowed.join(", ")),
                );
                ok = false;
                continue;
            }
            "form" => Encoding::Form,
            "query" => Encoding::Query,
            "json" => Encoding::Json,
            "xml" => Encoding::Xml,
            "soap11" => Encoding::Soap11,
            _ => Encoding::None,
        };
        if encodings.contains(&encoding) {
            at.index(i)
                .error_hint(cx, format!("encoding `{e}` is listed twice"), "remove one");
        }
        encodings.push(encoding);
    }
    if list.is_empty() {
        at.error_hint(
            cx,
            "no encodings listed",
            format!("list at least one of: {}", allowed.join(", ")),
        );
        ok = false;
    }
    if encodings.contains(&Encoding::Soap11) && encodings.len() > 1 {
        at.error_hint(
            cx,
            "`soap11` cannot be combined with other encodings",
            "a SOAP API has only SOAP",
        );
    }
    ok.then_some(encodings)
}

/// `xml_root` and `soap_namespace` as the encodings need them.
pub(super) fn check_xml_settings(
    at: &At,
    encodings: &[Encoding],
    xml_root: Option<&str>,
    soap_namespace: Option<&str>,
    cx: &mut Ctxt,
) {
    if encodings.contains(&Encoding::Soap11) && soap_namespace.is_none() {
        at.key("soap_namespace").error_hint(
            cx,
            "a SOAP protocol needs `soap_namespace`",
            "copy the targetNamespace from the WSDL",
        );
    }
    if let Some(root) = xml_root.filter(|r| !r.is_empty()) {
        check_xml_name(&at.key("xml_root"), "xml_root", root, cx);
    }
    if encodings.contains(&Encoding::Xml) && xml_root.is_none_or(str::is_empty) {
        at.key("xml_root").error_hint(
            cx,
            "the `xml` encoding needs `xml_root`",
            "name the root element of request bodies, e.g. `Request`",
        );
    }
}

pub(super) fn verb(at: &At, text: Option<&str>, cx: &mut Ctxt) -> Option<Verb> {
    Some(match text {
        None | Some("POST") => Verb::Post,
        Some("GET") => Verb::Get,
        Some("PUT") => Verb::Put,
        Some("PATCH") => Verb::Patch,
        Some("DELETE") => Verb::Delete,
        Some(other) => {
            at.error_hint(
                cx,
                format!("unknown HTTP method `{other}`"),
                format!("use one of: {}", VERBS.join(", ")),
            );
            return None;
        }
    })
}

/// A body pointer given as a setting (`params_at`, `json_string`): `""` or `/…`.
pub(super) fn setting_pointer(at: &At, pointer: &str, allow_root: bool, cx: &mut Ctxt) -> bool {
    if pointer.is_empty() && allow_root {
        return true;
    }
    if !pointer.starts_with('/') {
        at.error_hint(
            cx,
            format!("pointer `{pointer}` does not start with `/`"),
            "write an absolute JSON pointer such as `/params`",
        );
        return false;
    }
    let before = cx.error_count();
    check_pointer(at, pointer, cx);
    cx.error_count() == before
}

/// Constants: a literal or `{value, <location>}`; without a location, a body
/// member `name` placed by `member_at`.
pub(super) fn check_constants<'a>(
    at: &At<'a>,
    entries: &Entries<ConstantSpec>,
    member_at: &dyn Fn(&str) -> String,
    cx: &mut Ctxt,
) -> Vec<(Binding, At<'a>)> {
    let mut out = Vec::new();
    for (i, (name, c)) in entries.0.iter().enumerate() {
        let at_c = at.repeated_in("constants", &entries.0, i);
        let value = c.value();
        if matches!(value, Literal::Float(f) if !f.is_finite()) {
            at_c.error_hint(
                cx,
                format!("constant `{name}` is not a finite number"),
                "JSON has no infinity or NaN; write a plain number",
            );
            continue;
        }
        let loc = c.location();
        let keys = Keys {
            in_: loc.in_.as_deref(),
            at: loc.at.as_deref(),
            name: loc.name.as_deref(),
            template: loc.template.as_deref(),
        };
        let Some(first) = place(&at_c, keys, Some(name), cx) else {
            continue;
        };
        let extra = also_places(&at_c, c.also(), Some(name), cx);
        for (p, at_p) in std::iter::once((first, at_c)).chain(extra) {
            let location = match p {
                Place::Fixed(l) => l,
                Place::Member(n) => Location::Body(member_at(&n)),
            };
            out.push((
                Binding {
                    source: ValueSource::Constant(value.clone()),
                    location,
                },
                at_p,
            ));
        }
    }
    out
}

pub(super) fn check_request<'a>(
    at_root: &At<'a>,
    request: &spec::RequestSpec,
    response: Option<&spec::ProviderResponseSpec>,
    cx: &mut Ctxt,
) -> Option<Wire<'a>> {
    let at = at_root.key("request");
    let encodings = parse_encodings(&at.key("encodings"), &request.encodings, ENCODINGS, cx);
    if let Some(encodings) = &encodings {
        check_xml_settings(
            &at,
            encodings,
            request.xml_root.as_deref(),
            request.soap_namespace.as_deref(),
            cx,
        );
    }
    let verb = verb(&at.key("http"), request.http.as_deref(), cx);
    let method_name = request.method_name.as_ref().and_then(|m| {
        let at_m = at.key("method_name");
        let keys = Keys {
            in_: m.in_.as_deref(),
            at: m.at.as_deref(),
            name: m.name.as_deref(),
            template: m.template.as_deref(),
        };
        match place(&at_m, keys, None, cx)? {
            Place::Fixed(l) => Some((l, at_m)),
            Place::Member(n) => Some((Location::Body(member("", &n)), at_m)),
        }
    });
    let params_at = request.params_at.clone().unwrap_or_default();
    setting_pointer(&at.key("params_at"), &params_at, true, cx);
    for (i, j) in request.json_string.iter().enumerate() {
        setting_pointer(&at.key("json_string").index(i), j, false, cx);
    }
    let constants = check_constants(&at, &request.constants, &|n| member("", n), cx);
    let handshake = request
        .handshake
        .as_ref()
        .and_then(|h| check_handshake(&at.key("handshake"), h, cx));
    let (request_id, request_id_check) = match &request.request_id {
        Some(r) => match check_request_id(&at.key("request_id"), r, cx) {
            Some((binding, at_r, check)) => (Some((binding, at_r)), check),
            None => (None, None),
        },
        None => (None, None),
    };

    let at_r = at_root.key("response");
    let payload = response.and_then(|r| r.payload.clone()).unwrap_or_default();
    setting_pointer(&at_r.key("payload"), &payload, true, cx);
    let rules = response.map(|r| r.error_rules.as_slice()).unwrap_or(&[]);
    let error_rules = check_rules(&at_r.key("error_rules"), rules, cx);
    let encodings = encodings?;
    let numeric =
        code_numeric(&error_rules).or(encodings.contains(&Encoding::Soap11).then_some(false));
    Some(Wire {
        protocol: Protocol {
            encodings,
            xml_root: request.xml_root.clone(),
            soap_namespace: request.soap_namespace.clone(),
            handshake,
            request_id_check,
        },
        verb: verb?,
        method_name,
        params_at,
        positional: request.positional.unwrap_or(false),
        json_strings: request.json_string.clone(),
        constants,
        request_id,
        payload,
        error_rules,
        numeric,
        v1: None,
    })
}

/// A method's own `encoding`: any body encoding but SOAP (which is the
/// whole provider's); `xml` needs the provider's `xml_root`.
pub(super) fn method_encoding(
    at: &At,
    text: &str,
    protocol: &Protocol,
    cx: &mut Ctxt,
) -> Option<Encoding> {
    let encoding = match text {
        "form" => Encoding::Form,
        "query" => Encoding::Query,
        "json" => Encoding::Json,
        "xml" => Encoding::Xml,
        "none" => Encoding::None,
        other => {
            at.error_hint(
                cx,
                format!("unknown encoding `{other}`"),
                "use one of: form, query, json, xml, none (SOAP is the whole provider's)",
            );
            return None;
        }
    };
    if protocol.encodings.contains(&Encoding::Soap11) {
        at.error_hint(
            cx,
            "a method of a SOAP provider cannot have its own encoding",
            "a SOAP API has only SOAP: remove `encoding`",
        );
        return None;
    }
    if encoding == Encoding::Xml && protocol.xml_root.as_deref().is_none_or(str::is_empty) {
        at.error_hint(
            cx,
            "the `xml` encoding needs `xml_root`, which provider.yaml lacks",
            "name the root element of request bodies in `request.xml_root`",
        );
        return None;
    }
    Some(encoding)
}
