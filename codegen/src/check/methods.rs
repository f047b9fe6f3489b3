//! Rules for one method file.

use super::answer::{check_rules, code_numeric, header_field, method_answer};
use super::bindings::{also_places, check_all, member, place, Frame, Keys, Place};
use super::carry::method_keys;
use super::credentials::check_handshake_clash;
use super::derived::{check_derived, Pending};
use super::errors::{check_errors, entry_label, same_entry};
use super::fields::check_field;
use super::names::{is_snake_ident, RESERVED_METHODS};
use super::request::check_constants;
use super::types::{check_type_def, Role, Seen};
use super::wire::{check_path, check_xml_name};
use super::{session, At, Scope};
use crate::diag::{Ctxt, Source};
use crate::model::*;
use crate::spec::MethodSpec;
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Variables are provider-wide, so a body member named without `at` goes at
/// the top level, like the provider's constants and the method name.
pub(super) fn variable_location(place: &Place) -> Location {
    match place {
        Place::Fixed(l) => l.clone(),
        Place::Member(n) => Location::Body(member("", n)),
    }
}

pub(super) fn check_method(
    src: &Source,
    spec: &MethodSpec,
    scope: &Scope,
    cx: &mut Ctxt,
) -> Option<Method> {
    let table = scope.table;
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

    let wire = scope.wire;
    let verb = match &spec.http {
        Some(h) => super::request::verb(&at.key("http"), Some(h), cx).unwrap_or(wire.verb),
        None => wire.verb,
    };
    let own_encoding = spec
        .encoding
        .as_deref()
        .and_then(|e| super::request::method_encoding(&at.key("encoding"), e, &wire.protocol, cx));
    // What this method's values are checked against: its own encoding, if any.
    let protocol = match own_encoding {
        Some(e) => Protocol {
            encodings: vec![e],
            ..wire.protocol.clone()
        },
        None => wire.protocol.clone(),
    };
    let v1 = wire.v1.unwrap_or_default();
    let path = match (&spec.path, v1.path_is_method) {
        (Some(p), _) => p.clone(),
        (None, true) => spec.method.clone(),
        (None, false) => String::new(),
    };
    if spec.path.is_some() && wire.v1.is_some() && !v1.path_is_method {
        at.key("path").error_hint(
            cx,
            "`path` has no effect: the protocol does not put the method name in the URL",
            "remove `path`, or move the provider to `request:` (spec format v2), where every method may have a path",
        );
    }
    // Without `path:`, the wire name is the path.
    let at_path = at.key(if spec.path.is_some() {
        "path"
    } else {
        "method"
    });
    let placeholders = if path.is_empty() {
        Vec::new()
    } else {
        check_path(&at_path, &path, cx)
    };
    let soap = check_soap(&at, spec, scope, cx);
    if let Some(p) = &spec.params_at {
        super::request::setting_pointer(&at.key("params_at"), p, true, cx);
    }
    let params_at = spec
        .params_at
        .clone()
        .or_else(|| soap.as_ref().map(|s| member("", &s.request_element)))
        .unwrap_or_else(|| wire.params_at.clone());
    let positional = spec.positional.unwrap_or(wire.positional);

    let mut seen = Seen::default();
    let mut params = Vec::new();
    let mut param_places = Vec::new();
    let mut pending = Vec::new();
    let mut unsent = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        let at_p = at.key("params").index(i);
        if let Some(field) = check_field(&at_p, p, table, Role::Param, cx) {
            if p.derived.is_some() || p.in_.as_deref() == Some("none") {
                if let Some(entry) = input_or_derived(&at_p, p, &field, &mut seen, cx) {
                    match entry {
                        Some(place) => {
                            let extra = also_places(&at_p, &p.also, Some(&field.wire), cx);
                            param_places.push((field.wire.clone(), place, at_p.clone(), extra));
                            pending.push(Pending {
                                wire: field.wire.clone(),
                                spec: p,
                                at: at_p,
                            });
                        }
                        None => {
                            unsent.push((field.wire.clone(), at_p));
                            params.push(field);
                        }
                    }
                }
                continue;
            }
            if field.rust == "new" && field.presence != Presence::Required {
                // Optional parameters get a setter of their own name.
                at_p.key("name").error_hint(
                    cx,
                    "an optional parameter cannot be called `new` in Rust: the request's constructor has that name",
                    "set `rust_name`, e.g. `new_value`",
                );
            }
            if positional && p.at.is_some() {
                at_p.key("at").error_hint(
                    cx,
                    "a positional parameter's place is its position, so it cannot have `at`",
                    "remove `at`, or set `positional: false` on the method",
                );
            }
            let keys = Keys {
                in_: p.in_.as_deref(),
                at: p.at.as_deref(),
                name: None,
                template: p.template.as_deref(),
            };
            let place = place(&at_p, keys, Some(&field.wire), cx);
            let extra = also_places(&at_p, &p.also, Some(&field.wire), cx);
            if !seen.clash(&at_p, &field, cx) {
                if let Some(place) = place {
                    param_places.push((field.wire.clone(), place, at_p, extra));
                }
                params.push(field);
            }
        }
    }

    // Wire order: method name, variables, constants, parameters.
    let mut list: Vec<(Binding, At)> = Vec::new();
    if let Some((location, at_mn)) = &wire.method_name {
        list.push((
            Binding {
                source: ValueSource::MethodName,
                location: location.clone(),
            },
            at_mn.clone(),
        ));
    }
    for (name, place, at_v) in scope.variables {
        list.push((
            Binding {
                source: ValueSource::Variable(name.clone()),
                location: variable_location(place),
            },
            at_v.clone(),
        ));
    }
    list.extend(wire.constants.iter().cloned());
    list.extend(wire.request_id.iter().cloned());
    let own_from = list.len();
    if let Some(s) = &soap {
        list.push((
            Binding {
                source: ValueSource::Constant(Literal::Str(s.action.clone())),
                location: Location::Header {
                    name: "SOAPAction".into(),
                    template: "\"{value}\"".into(),
                },
            },
            at.key("soap").key("action"),
        ));
    }
    list.extend(check_constants(
        &at,
        &spec.constants,
        &|n| wire.member_at(&params_at, n),
        cx,
    ));
    let params_from = list.len();
    let mut index = 0;
    let derived = check_derived(&pending, &params, cx);
    for (name, at_p) in unsent {
        let read = pending.iter().any(|p| {
            p.spec.derived.iter().flatten().any(|item| match item {
                crate::spec::DerivedItemSpec::Map(m) => {
                    m.param.as_ref() == Some(&name)
                        || m.hmac.as_ref().and_then(|h| h.key.param.as_ref()) == Some(&name)
                }
                crate::spec::DerivedItemSpec::Word(_) => false,
            })
        });
        if !read {
            at_p.key("in").error_hint(
                cx,
                format!("`{name}` goes `in: none`, and no derived value reads it"),
                "read it in a `derived` list (`{param: NAME}`), or give it a location",
            );
        }
    }
    let mut derived = derived.into_iter();
    let pending: Vec<String> = pending.into_iter().map(|p| p.wire).collect();
    for (name, place, at_p, extra) in param_places {
        let source = if pending.contains(&name) {
            match derived.next().flatten() {
                Some(source) => source,
                None => continue,
            }
        } else {
            ValueSource::Param(name)
        };
        let location = match (&place, positional) {
            (Place::Member(_), true) => {
                index += 1;
                Location::Body(format!("{params_at}/{}", index - 1))
            }
            // Parameters go under `params_at` even where v1 kept other members at the root.
            (Place::Member(n), false) => Location::Body(member(&params_at, n)),
            (Place::Fixed(l), _) => l.clone(),
        };
        list.push((
            Binding {
                source: source.clone(),
                location,
            },
            at_p,
        ));
        // `also`: the same value in more places, checked like any other binding.
        for (place, at_a) in extra {
            let location = match place {
                Place::Member(_) if positional => {
                    at_a.error_hint(
                        cx,
                        "a positional parameter's position is its primary place, so a place of `also` needs `at` or another `in`",
                        "write e.g. `{in: body, at: /name}` or `{in: path}`",
                    );
                    continue;
                }
                Place::Member(n) => Location::Body(member(&params_at, &n)),
                Place::Fixed(l) => l,
            };
            list.push((
                Binding {
                    source: source.clone(),
                    location,
                },
                at_a,
            ));
        }
    }
    // The parameters' container exists even when no parameter is set.
    if !params_at.is_empty() && !protocol.encodings.contains(&Encoding::None) {
        let first_inside = list
            .iter()
            .position(|(b, _)| matches!(&b.location, Location::Body(p) if p.starts_with(&format!("{params_at}/"))))
            .unwrap_or(params_from)
            .max(own_from);
        let source = if positional {
            ValueSource::EmptyArray
        } else {
            ValueSource::EmptyObject
        };
        list.insert(
            first_inside,
            (
                Binding {
                    source,
                    location: Location::Body(params_at.clone()),
                },
                at.key("params"),
            ),
        );
    }
    let frame = Frame {
        protocol: &protocol,
        json_strings: &wire.json_strings,
        placeholders: &placeholders,
        params: &params,
    };
    let session = session::method_session(
        &at.key("session"),
        spec.session.as_deref(),
        scope.has_session,
        cx,
    );
    let members_at = wire.members_base(&params_at);
    let bound: Vec<Binding> = list.iter().map(|(b, _)| b.clone()).collect();
    let (key_bindings, carry_replaced, keys) = method_keys(
        &at.key("carry"),
        spec.carry.as_ref(),
        session != MethodSession::None,
        (&bound, &members_at),
        scope.carry,
        &frame,
        cx,
    );
    check_all(&frame, &list, own_from, &keys, &at_path, cx);
    check_handshake_clash(wire.protocol.handshake.as_ref(), &list[own_from..], cx);

    let xml = protocol.reads_xml();
    let response_name = format!("{type_prefix}Response");
    let at_r = at.key("response");
    let answer = method_answer(&at_r, &spec.response, table, cx)?;
    let response_def = if answer == Answer::Object {
        check_type_def(
            &at_r,
            &response_name,
            &spec.response.as_type(),
            scope.types,
            table,
            Role::Response { xml },
            cx,
        )
    } else {
        Some(TypeDef::Struct {
            base: None,
            base_field_count: 0,
            fields: Vec::new(),
        })
    };
    let mut header_fields = Vec::new();
    if let (Some(TypeDef::Struct { fields, .. }), Some(specs)) =
        (&response_def, &spec.response.fields)
    {
        for (i, f) in specs.iter().enumerate() {
            let Some(checked) = fields.iter().find(|c| c.wire == f.name) else {
                continue;
            };
            if let Some(source) = header_field(&at_r.key("fields").index(i), f, &checked.ty, cx) {
                header_fields.push((f.name.clone(), source));
            }
        }
    }
    if let Some(p) = &spec.response.payload {
        super::request::setting_pointer(&at_r.key("payload"), p, true, cx);
    }
    let payload = spec
        .response
        .payload
        .clone()
        .or_else(|| soap.as_ref().map(|s| member("", &s.response_element)))
        .unwrap_or_else(|| wire.payload.clone());
    let mut error_rules = check_rules(&at_r.key("error_rules"), &spec.response.error_rules, cx);
    let own_error_rules = error_rules.len();
    error_rules.extend(wire.error_rules.iter().cloned());
    let numeric = if error_rules.iter().any(|r| r.code != CodeSource::Status) {
        code_numeric(&error_rules)
    } else {
        wire.numeric
    };

    let own_errors = check_errors(&at.key("errors"), &spec.errors, numeric, cx);
    let own_error_count = own_errors.len();
    let mut errors = own_errors.clone();
    for e in scope.errors {
        // An own entry of the same code and `match` re-documents the
        // provider's for this method; it must keep the provider's name.
        if let Some(i) = own_errors.iter().position(|o| same_entry(o, e)) {
            if own_errors[i].name != e.name {
                at.key("errors").index(i).key("name").error_hint(
                    cx,
                    format!(
                        "{} is the provider-wide error `{}`; a method may document it again only under that name",
                        entry_label(e),
                        e.name
                    ),
                    format!(
                        "rename `{}` to `{}` and say in `doc` what it means for this method (or give it a `match` to tell it apart)",
                        own_errors[i].name, e.name
                    ),
                );
            }
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
        verb,
        path,
        bindings: list.into_iter().map(|(b, _)| b).collect(),
        json_strings: wire.json_strings.clone(),
        members_at,
        payload,
        answer,
        header_fields,
        error_rules,
        own_error_rules,
        params,
        response: NamedType {
            name: response_name,
            doc: spec.response.doc.clone(),
            def: response_def?,
        },
        errors,
        own_errors: own_error_count,
        examples,
        session,
        key_bindings,
        carry_replaced,
        encoding: own_encoding,
    })
}

/// SOAP names of one operation (`soap:`), lowered by the caller to the
/// request element as `params_at`, a `SOAPAction` header and the response
/// element as the payload.
struct Soap {
    action: String,
    request_element: String,
    response_element: String,
}

fn check_soap(at: &At, spec: &MethodSpec, scope: &Scope, cx: &mut Ctxt) -> Option<Soap> {
    let soap11 = scope.wire.protocol.encodings.contains(&Encoding::Soap11);
    let required = scope.wire.v1.is_some_and(|v| v.soap_action);
    match &spec.soap {
        Some(s) if soap11 => {
            let at_s = at.key("soap");
            let request_ok = check_xml_name(
                &at_s.key("request_element"),
                "request element",
                &s.request_element,
                cx,
            );
            let response_ok = check_xml_name(
                &at_s.key("response_element"),
                "response element",
                &s.response_element,
                cx,
            );
            // A bad name is reported once, not again at every member under it.
            (request_ok && response_ok).then(|| Soap {
                action: s.action.clone(),
                request_element: s.request_element.clone(),
                response_element: s.response_element.clone(),
            })
        }
        Some(_) => {
            at.key("soap").error_hint(
                cx,
                "`soap` has no effect: the provider does not use soap11",
                "remove `soap`",
            );
            None
        }
        None if required => {
            at.error_hint(
                cx,
                "a SOAP method needs a `soap` section",
                "add `soap: {action, request_element, response_element}` from the WSDL",
            );
            None
        }
        None => None,
    }
}

/// A parameter that is not a plain one: `in: none` (an input of derived
/// values, a request member that is never sent: `Some(None)`) or derived
/// (sent, not a request member: `Some(Some(place))`). `None`: broken.
fn input_or_derived(
    at_p: &At,
    p: &crate::spec::FieldSpec,
    field: &Field,
    seen: &mut Seen,
    cx: &mut Ctxt,
) -> Option<Option<Place>> {
    if p.derived.is_none() {
        for (key, given) in [
            ("at", p.at.is_some()),
            ("template", p.template.is_some()),
            ("also", !p.also.is_empty()),
        ] {
            if given {
                at_p.key(key).error_hint(
                    cx,
                    format!("`{key}` places a value, but this one goes `in: none`"),
                    "remove it: a value `in: none` is only read by derived values",
                );
            }
        }
        return (!seen.clash(at_p, field, cx)).then_some(None);
    }
    if p.in_.as_deref() == Some("none") {
        // Reported by `check_derived`, which knows the whole pipeline.
        return Some(Some(Place::Member(field.wire.clone())));
    }
    let keys = Keys {
        in_: p.in_.as_deref(),
        at: p.at.as_deref(),
        name: None,
        template: p.template.as_deref(),
    };
    let place = place(at_p, keys, Some(&field.wire), cx)?;
    (!seen.clash(at_p, field, cx)).then_some(Some(place))
}
