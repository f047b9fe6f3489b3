//! Rules for one method file.

use super::errors::check_errors;
use super::fields::check_field;
use super::names::{is_snake_ident, RESERVED_METHODS};
use super::types::{check_type_def, Role, Seen};
use super::wire::{check_header_value, check_path, check_xml_name};
use super::{session, At, Scope};
use crate::diag::{Ctxt, Source};
use crate::model::*;
use crate::spec::MethodSpec;
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

pub(super) fn check_method(
    src: &Source,
    spec: &MethodSpec,
    scope: &Scope,
    cx: &mut Ctxt,
) -> Option<Method> {
    let (protocol, table) = (scope.protocol, scope.table);
    let at = At::root(src);
    if spec.method.trim().is_empty() {
        at.key("method").error_hint(
            cx,
            "method name is empty",
            "write the method's name on the wire, e.g. verifyUser",
        );
        return None;
    }
    let default_rust = spec.method.replace(['/', '.', '-'], "_").to_snake_case();
    let rust = spec.rust_name.clone().unwrap_or(default_rust);
    if !is_snake_ident(&rust) {
        let at_n = if spec.rust_name.is_some() {
            at.key("rust_name")
        } else {
            at.key("method")
        };
        at_n.error_hint(
            cx,
            format!("method name `{rust}` is not a usable snake_case Rust name"),
            "set `rust_name` to a snake_case identifier that is not a keyword",
        );
    }
    if RESERVED_METHODS.contains(&rust.as_str()) {
        at.key(if spec.rust_name.is_some() {
            "rust_name"
        } else {
            "method"
        })
        .error_hint(
            cx,
            format!("method name `{rust}` is taken by the generated `Client` or `Session`"),
            format!("set `rust_name`, e.g. `{rust}_call`"),
        );
    }
    let type_prefix = rust.to_upper_camel_case();

    let path = match (&protocol.method_name, &spec.path) {
        (MethodName::Path, Some(p)) => p.clone(),
        (MethodName::Path, None) => spec.method.clone(),
        (_, Some(_)) => {
            at.key("path").error_hint(
                cx,
                "`path` has no effect: the protocol does not put the method name in the URL",
                "remove `path`",
            );
            String::new()
        }
        (_, None) => String::new(),
    };
    // Without `path:`, the wire name is the path.
    check_path(
        &at.key(if spec.path.is_some() {
            "path"
        } else {
            "method"
        }),
        &path,
        cx,
    );
    let soap = match (&protocol.method_name, &spec.soap) {
        (MethodName::SoapAction, Some(s)) => {
            let at_s = at.key("soap");
            check_header_value(&at_s.key("action"), "SOAP action", &s.action, cx);
            check_xml_name(
                &at_s.key("request_element"),
                "request element",
                &s.request_element,
                cx,
            );
            check_xml_name(
                &at_s.key("response_element"),
                "response element",
                &s.response_element,
                cx,
            );
            Some(Soap {
                action: s.action.clone(),
                request_element: s.request_element.clone(),
                response_element: s.response_element.clone(),
            })
        }
        (MethodName::SoapAction, None) => {
            at.error_hint(
                cx,
                "a SOAP method needs a `soap` section",
                "add `soap: {action, request_element, response_element}` from the WSDL",
            );
            None
        }
        (_, Some(_)) => {
            at.key("soap").error_hint(
                cx,
                "`soap` has no effect: the provider does not use soap11",
                "remove `soap`",
            );
            None
        }
        (_, None) => None,
    };

    // Packed parameters travel inside one JSON document, never as elements.
    let writes_xml = protocol.pack_params.is_none()
        && protocol
            .encodings
            .iter()
            .any(|e| matches!(e, Encoding::Xml | Encoding::Soap11));
    let mut seen = Seen::default();
    let mut params = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        let at_p = at.key("params").index(i);
        if let Some(field) = check_field(&at_p, p, table, Role::Param, cx) {
            if field.rust == "new" && field.presence != Presence::Required {
                // Optional parameters get a setter of their own name.
                at_p.key("name").error_hint(
                    cx,
                    "an optional parameter cannot be called `new` in Rust: the request's constructor has that name",
                    "set `rust_name`, e.g. `new_value`",
                );
            }
            // Packed parameters live inside their own JSON document.
            if protocol.pack_params.is_none() && scope.protocol_fields.contains(&field.wire) {
                at_p.key("name").error_hint(
                    cx,
                    format!("parameter `{}` would overwrite the field the protocol sends under that name", field.wire),
                    "rename the parameter; the protocol already sends this field",
                );
            }
            if writes_xml {
                check_xml_name(&at_p.key("name"), "parameter", &field.wire, cx);
            }
            if !seen.clash(&at_p, &field, cx) {
                params.push(field);
            }
        }
    }
    let mut constants = Vec::new();
    for (i, (name, value)) in spec.constants.0.iter().enumerate() {
        if seen.wire.contains(name) || constants.iter().any(|(n, _): &(String, Literal)| n == name)
        {
            at.repeated_in("constants", &spec.constants.0, i)
                .error_hint(
                    cx,
                    format!("`{name}` is already sent by this method"),
                    "a constant needs its own field name",
                );
        }
        if scope.protocol_fields.contains(name) {
            at.repeated_in("constants", &spec.constants.0, i).error_hint(
                cx,
                format!("constant `{name}` would overwrite the field the protocol sends under that name"),
                "remove the constant; the protocol already sends this field",
            );
        }
        if writes_xml {
            check_xml_name(
                &at.repeated_in("constants", &spec.constants.0, i),
                "constant",
                name,
                cx,
            );
        }
        if matches!(value, Literal::Float(f) if !f.is_finite()) {
            at.repeated_in("constants", &spec.constants.0, i)
                .error_hint(
                    cx,
                    format!("constant `{name}` is not a finite number"),
                    "JSON has no infinity or NaN; write a plain number",
                );
        }
        constants.push((name.clone(), value.clone()));
    }

    let xml = protocol.reads_xml();
    let response_name = format!("{type_prefix}Response");
    if spec.response.enum_values.is_some() || spec.response.flags.is_some() {
        at.key("response").error_hint(
            cx,
            "a response must be a struct",
            "give it `fields` or `extends`",
        );
        return None;
    }
    let response_def = check_type_def(
        &at.key("response"),
        &response_name,
        &spec.response,
        scope.types,
        table,
        Role::Response { xml },
        cx,
    );

    let own_errors = check_errors(
        &at.key("errors"),
        &spec.errors,
        Some(protocol.error.numeric),
        cx,
    );
    let mut errors = own_errors.clone();
    for e in scope.errors {
        let overridden = own_errors.iter().any(|o| match (&o.code, &e.code) {
            (Some(a), Some(b)) => a == b,
            (None, None) => o.http_status == e.http_status,
            _ => false,
        });
        if overridden {
            continue;
        }
        if let Some(i) = own_errors.iter().position(|o| o.name == e.name) {
            at.key("errors").index(i).key("name").error_hint(
                cx,
                format!(
                    "error name `{}` is also a provider-wide error with another code",
                    e.name
                ),
                "rename this error",
            );
        }
        errors.push(e.clone());
    }

    let mut examples = Vec::new();
    let mut example_names = BTreeSet::new();
    for (i, ex) in spec.examples.iter().enumerate() {
        let at_x = at.key("examples").index(i);
        let name = format!("{rust}_{}", ex.name.to_snake_case());
        if !is_snake_ident(&name) {
            at_x.key("name").error_hint(
                cx,
                format!("example name `{}` does not make a test name", ex.name),
                "use words and digits",
            );
        }
        if !example_names.insert(name.clone()) {
            at_x.key("name").error_hint(
                cx,
                format!("example `{}` is listed twice", ex.name),
                "give each example its own name",
            );
        }
        if let Some(variant) = &ex.error {
            if !errors.iter().any(|e| &e.name == variant) {
                let names: Vec<&str> = errors.iter().map(|e| e.name.as_str()).collect();
                at_x.key("error").error_hint(
                    cx,
                    format!("example expects unknown error `{variant}`"),
                    if names.is_empty() {
                        "this method declares no errors; remove `error` for a success sample"
                            .to_string()
                    } else {
                        format!("this method's errors are: {}", names.join(", "))
                    },
                );
            }
        }
        examples.push(Example {
            name,
            status: ex.status,
            body: ex.body.clone(),
            error: ex.error.clone(),
        });
    }

    Some(Method {
        wire: spec.method.clone(),
        rust,
        type_prefix,
        doc: spec.doc.clone(),
        docs_url: spec.docs_url.clone(),
        path,
        soap,
        constants,
        params,
        response: NamedType {
            name: response_name,
            doc: spec.response.doc.clone(),
            def: response_def?,
        },
        errors,
        examples,
        session: session::method_session(
            &at.key("session"),
            spec.session.as_deref(),
            scope.has_session,
            cx,
        ),
    })
}
