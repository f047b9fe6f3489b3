//! The deprecated v1 `protocol` section, lowered to the same provider-wide
//! settings (`Wire`) as v2's `request`/`response`: the method name field
//! becomes a body binding, `pack_params` a JSON-text member, the error rule a
//! rule list. Emit and runtime see one mechanism.

use super::answer::lower_v1_rule;
use super::bindings::member;
use super::request::{check_xml_settings, parse_encodings, Wire, V1};
use super::wire::check_pointer;
use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec;

/// Values of v1 `protocol.encodings`.
pub const V1_ENCODINGS: &[&str] = &["form", "query", "json", "xml", "soap11"];

pub(super) fn check_protocol<'a>(
    at: &At<'a>,
    spec: &spec::ProtocolSpec,
    cx: &mut Ctxt,
) -> Option<Wire<'a>> {
    let parsed = parse_encodings(&at.key("encodings"), &spec.encodings, V1_ENCODINGS, cx);
    let ok = parsed.is_some();
    let encodings = parsed.unwrap_or_default();
    let soap = encodings.contains(&Encoding::Soap11);

    let mn = &spec.method_name;
    let given = [
        mn.path.is_some(),
        mn.field.is_some(),
        mn.soap_action.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let method_name = match (mn.path, &mn.field, mn.soap_action) {
        _ if given != 1 => {
            at.key("method_name").error_hint(
                cx,
                "method_name must have exactly one of `path`, `field`, `soap_action`",
                "e.g. `method_name: {field: request}` or `method_name: {path: true}`",
            );
            None
        }
        (Some(true), _, _) => Some(MethodName::Path),
        (_, Some(field), _) if !field.is_empty() => Some(MethodName::Field(field.clone())),
        (_, _, Some(true)) => Some(MethodName::SoapAction),
        _ => {
            at.key("method_name").error_hint(
                cx,
                "method_name is switched off or empty",
                "set `path: true`, `field: NAME` or `soap_action: true`",
            );
            None
        }
    };
    if soap != (method_name == Some(MethodName::SoapAction)) && method_name.is_some() {
        at.key("method_name").error_hint(
            cx,
            "`soap_action` goes together with the `soap11` encoding, and only with it",
            "for SOAP use `method_name: {soap_action: true}` and `encodings: [soap11]`",
        );
    }
    check_xml_settings(
        at,
        &encodings,
        spec.xml_root.as_deref(),
        spec.soap_namespace.as_deref(),
        cx,
    );
    if spec.pack_params.is_some()
        && encodings
            .iter()
            .any(|e| !matches!(e, Encoding::Form | Encoding::Query))
    {
        at.key("pack_params").error_hint(
            cx,
            "`pack_params` only works with the `form` and `query` encodings",
            "remove it or use `encodings: [form]`",
        );
    }
    if soap && !spec.payload.is_empty() {
        at.key("payload").error_hint(
            cx,
            "a SOAP payload is always the method's response element",
            "remove `payload` for soap11",
        );
    }
    check_pointer(&at.key("payload"), &spec.payload, cx);
    if !spec.payload.is_empty() && !spec.payload.starts_with('/') {
        at.key("payload").error_hint(
            cx,
            format!("payload path `{}` does not start with `/`", spec.payload),
            "write it like `/records/0`, or leave it out for the root",
        );
    }

    let (error_rules, numeric) = match &spec.error {
        None => (Vec::new(), !soap),
        Some(rule) => {
            let at_e = at.key("error");
            let numeric = match rule.code_type.as_str() {
                "int" => true,
                "string" => false,
                other => {
                    at_e.key("code_type").error_hint(
                        cx,
                        format!("unknown code_type `{other}`"),
                        "use `int` or `string`",
                    );
                    true
                }
            };
            for (key, path) in [("code", &rule.code), ("message", &rule.message)] {
                if let Some(path) = path {
                    check_pointer(&at_e.key(key), path, cx);
                    if !path.starts_with('/') {
                        at_e.key(key).error_hint(
                            cx,
                            format!("path `{path}` does not start with `/`"),
                            "write it like `/status/errorCode`",
                        );
                    }
                }
            }
            if rule.code_optional && rule.code.is_none() {
                at_e.key("code_optional").error_hint(
                    cx,
                    "`code_optional` needs a `code` path",
                    if soap {
                        "remove it: soap11 reads the code from the Fault"
                    } else {
                        "add `code`, or remove `code_optional`"
                    },
                );
            }
            if soap && rule.code.is_some() {
                at_e.key("code").error_hint(
                    cx,
                    "SOAP errors are read from the Fault's faultcode",
                    "remove `code` for soap11",
                );
            }
            if soap && numeric {
                at_e.key("code_type").error_hint(
                    cx,
                    "SOAP fault codes are text",
                    "use `code_type: string` for soap11",
                );
            }
            if soap && rule.message.is_some() {
                at_e.key("message").error_hint(
                    cx,
                    "SOAP error messages are read from the Fault's faultstring",
                    "remove `message` for soap11",
                );
            }
            for (i, code) in rule.success.iter().enumerate() {
                if matches!(code, CodeValue::Int(_)) != numeric {
                    at_e.key("success").index(i).error_hint(
                        cx,
                        format!("success code `{code}` does not match code_type"),
                        "write codes of the declared code_type",
                    );
                }
            }
            let rules = lower_v1_rule(
                rule.code.as_deref(),
                rule.message.as_deref(),
                rule.code_optional,
                numeric,
                &rule.success,
            );
            (rules, numeric)
        }
    };
    if !ok {
        return None;
    }
    let method_name = method_name?;
    let pack = spec.pack_params.clone();
    let at_mn = at.key("method_name");
    Some(Wire {
        protocol: Protocol {
            encodings,
            xml_root: spec.xml_root.clone(),
            soap_namespace: spec.soap_namespace.clone(),
            handshake: None,
            request_id_check: None,
        },
        verb: Verb::Post,
        method_name: match &method_name {
            MethodName::Field(f) => Some((Location::Body(member("", f)), at_mn.key("field"))),
            _ => None,
        },
        params_at: pack.as_deref().map(|p| member("", p)).unwrap_or_default(),
        positional: false,
        json_strings: pack.iter().map(|p| member("", p)).collect(),
        constants: Vec::new(),
        request_id: None,
        // A SOAP payload is the method's response element.
        payload: spec.payload.clone(),
        error_rules,
        numeric: Some(numeric),
        v1: Some(V1 {
            path_is_method: method_name == MethodName::Path,
            soap_action: method_name == MethodName::SoapAction,
            members_at_root: pack.is_some(),
        }),
    })
}

#[derive(PartialEq)]
enum MethodName {
    Path,
    Field(String),
    SoapAction,
}
