//! Rules for the `protocol` section: encodings, where the method name goes,
//! and how errors are recognised.

use super::wire::{check_pointer, check_xml_name};
use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec;

/// Values of `protocol.encodings`.
pub const ENCODINGS: &[&str] = &["form", "query", "json", "xml", "soap11"];

pub(super) fn check_protocol(
    at: &At,
    spec: &spec::ProtocolSpec,
    cx: &mut Ctxt,
) -> Option<Protocol> {
    let mut ok = true;
    let mut encodings = Vec::new();
    for (i, e) in spec.encodings.iter().enumerate() {
        let encoding = match e.as_str() {
            "form" => Encoding::Form,
            "query" => Encoding::Query,
            "json" => Encoding::Json,
            "xml" => Encoding::Xml,
            "soap11" => Encoding::Soap11,
            other => {
                at.key("encodings").index(i).error_hint(
                    cx,
                    format!("unknown encoding `{other}`"),
                    format!("use one of: {}", ENCODINGS.join(", ")),
                );
                ok = false;
                continue;
            }
        };
        if encodings.contains(&encoding) {
            at.key("encodings").index(i).error_hint(
                cx,
                format!("encoding `{e}` is listed twice"),
                "remove one",
            );
        }
        encodings.push(encoding);
    }
    if spec.encodings.is_empty() {
        at.key("encodings").error_hint(
            cx,
            "no encodings listed",
            format!("list at least one of: {}", ENCODINGS.join(", ")),
        );
        ok = false;
    }
    let soap = encodings.contains(&Encoding::Soap11);
    if soap && encodings.len() > 1 {
        at.key("encodings").error_hint(
            cx,
            "`soap11` cannot be combined with other encodings",
            "a SOAP API has only SOAP",
        );
    }

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
    if soap && spec.soap_namespace.is_none() {
        at.key("soap_namespace").error_hint(
            cx,
            "a SOAP protocol needs `soap_namespace`",
            "copy the targetNamespace from the WSDL",
        );
    }
    if let Some(root) = spec.xml_root.as_deref().filter(|r| !r.is_empty()) {
        check_xml_name(&at.key("xml_root"), "xml_root", root, cx);
    }
    if let (Some(field), true) = (
        &mn.field,
        encodings.iter().any(|e| matches!(e, Encoding::Xml)),
    ) {
        check_xml_name(
            &at.key("method_name").key("field"),
            "method name field",
            field,
            cx,
        );
    }
    if encodings.contains(&Encoding::Xml) && spec.xml_root.as_deref().is_none_or(str::is_empty) {
        at.key("xml_root").error_hint(
            cx,
            "the `xml` encoding needs `xml_root`",
            "name the root element of request bodies, e.g. `Request`",
        );
    }
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

    let error = match &spec.error {
        None => ErrorRule {
            numeric: !soap,
            ..ErrorRule::default()
        },
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
            ErrorRule {
                code: rule.code.clone(),
                code_optional: rule.code_optional,
                message: rule.message.clone(),
                numeric,
                success: rule.success.clone(),
            }
        }
    };
    if !ok {
        return None;
    }
    Some(Protocol {
        encodings,
        method_name: method_name?,
        pack_params: spec.pack_params.clone(),
        xml_root: spec.xml_root.clone(),
        soap_namespace: spec.soap_namespace.clone(),
        payload: spec.payload.clone(),
        error,
    })
}

/// The method-name field, the field parameters are packed into, and the
/// variables sent as fields: a constant or parameter of the same name would
/// overwrite one of them.
pub(super) fn protocol_fields(protocol: &Protocol, variables: &[Variable]) -> Vec<String> {
    let mut fields: Vec<String> = variables
        .iter()
        .filter(|v| v.send_as_field)
        .map(|v| v.wire.clone())
        .collect();
    if let MethodName::Field(name) = &protocol.method_name {
        fields.push(name.clone());
    }
    fields.extend(protocol.pack_params.clone());
    fields
}
