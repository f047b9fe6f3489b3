//! Rules for `provider.yaml` as a whole: its name, variables and base URL,
//! and the order in which the rest of a provider is checked.

use super::answer::reject_from;
use super::bindings::{check_one, place, Frame, Keys, Place};
use super::constraints::check_constraints;
use super::credentials::{check_handshake_clash, check_secret_variable};
use super::errors::{check_errors, check_method_error_names};
use super::methods::check_method;
use super::names::{
    is_camel_ident, is_snake_ident, rust_field_name, RESERVED_MODULES, RESERVED_TYPES,
};
use super::protocol::check_protocol;
use super::request::{check_request, Wire};
use super::types::{check_type_def, Role};
use super::wire::check_base_url_parts;
use super::{parse, session, At, Scope, TypeTable};
use crate::diag::{Ctxt, Source};
use crate::load::ProviderFiles;
use crate::model::*;
use crate::spec::{MethodSpec, ProviderSpec, TypeSpec};
use heck::ToUpperCamelCase;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check_provider(pf: &ProviderFiles, cx: &mut Ctxt) -> Option<Provider> {
    let src = &pf.provider;
    let spec: Option<ProviderSpec> = parse(src, cx);
    let methods: Vec<(&Source, MethodSpec)> = pf
        .methods
        .iter()
        .filter_map(|m| parse::<MethodSpec>(m, cx).map(|spec| (m, spec)))
        .collect();
    let spec = spec?;
    let at = At::root(src);

    if !is_snake_ident(&spec.provider) {
        at.key("provider").error_hint(
            cx,
            format!(
                "provider name `{}` is not a snake_case Rust identifier",
                spec.provider
            ),
            "use lowercase letters, digits and `_`, e.g. `erply`",
        );
    } else if RESERVED_MODULES.contains(&spec.provider.as_str()) {
        at.key("provider").error_hint(
            cx,
            format!(
                "provider name `{}` is taken by the generated crate",
                spec.provider
            ),
            "pick another name, e.g. the vendor's",
        );
    } else if spec.provider != pf.dir_name {
        at.key("provider").error_hint(
            cx,
            format!(
                "provider `{}` lives in folder `{}`",
                spec.provider, pf.dir_name
            ),
            format!(
                "rename the folder to `{}` or set `provider: {}`",
                spec.provider, pf.dir_name
            ),
        );
    }

    let (variables, variable_places) = check_variables(&at, &spec, cx);
    check_base_url(&at.key("base_url"), &spec.base_url, &variables, cx);
    let wire = match (&spec.protocol, &spec.request) {
        (Some(protocol), None) => {
            if spec.response.is_some() {
                at.key("response").error_hint(
                    cx,
                    "`response` belongs to spec format v2, and this provider has the v1 `protocol`",
                    "move the provider to `request:` + `response:` (docs/spec-format.md), or remove `response`",
                );
            }
            check_protocol(&at.key("protocol"), protocol, cx)
        }
        (None, Some(request)) => check_request(&at, request, spec.response.as_ref(), cx),
        (Some(_), Some(_)) => {
            at.key("protocol").error_hint(
                cx,
                "a provider has either the v1 `protocol` or the v2 `request`, not both",
                "remove `protocol`: `request` and `response` say all it said",
            );
            None
        }
        (None, None) => {
            at.error_hint(
                cx,
                "the provider says nothing about its wire format",
                "add `request: {encodings: [json]}` (and `response:` for the payload and error rules)",
            );
            None
        }
    };
    let paths_appended = match wire.as_ref().and_then(|w| w.v1) {
        Some(v1) => v1.path_is_method,
        None => methods.iter().any(|(_, m)| m.path.is_some()),
    };
    check_base_url_parts(&at.key("base_url"), &spec.base_url, paths_appended, cx);
    if let Some(wire) = &wire {
        check_provider_bindings(wire, &variable_places, cx);
    }

    // Type names first, so fields may refer to types declared later.
    let mut table = TypeTable::new();
    for (i, (name, ty)) in spec.types.0.iter().enumerate() {
        let at_ty = at.repeated_in("types", &spec.types.0, i);
        if !is_camel_ident(name) {
            at_ty.error_hint(
                cx,
                format!("type name `{name}` is not UpperCamelCase"),
                format!("use `{}`", name.to_upper_camel_case()),
            );
        }
        if RESERVED_TYPES.contains(&name.as_str()) {
            at_ty.error_hint(
                cx,
                format!("type name `{name}` is reserved for the generated code"),
                "pick another name",
            );
        }
        let kind = match (&ty.fields, &ty.enum_values, &ty.flags) {
            (_, None, None) => NamedKind::Struct,
            (None, Some(_), None) => NamedKind::Enum,
            (None, None, Some(_)) => NamedKind::Flags,
            _ => {
                at_ty.error_hint(
                    cx,
                    format!("type `{name}` mixes `fields`, `enum` and `flags`"),
                    "a type is exactly one of them",
                );
                NamedKind::Struct
            }
        };
        if table.insert(name.clone(), kind).is_some() {
            at_ty.error_hint(
                cx,
                format!("type `{name}` is defined twice"),
                "rename or remove one of them",
            );
        }
    }

    let xml = wire.as_ref().is_some_and(|w| w.protocol.reads_xml());
    let mut types = Vec::new();
    for (i, (name, ty)) in spec.types.0.iter().enumerate() {
        let at_ty = at.repeated_in("types", &spec.types.0, i);
        for (j, f) in ty.fields.iter().flatten().enumerate() {
            reject_from(&at_ty.key("fields").index(j), f, Role::Response { xml }, cx);
        }
        if let Some(def) = check_type_def(
            &at_ty,
            name,
            ty,
            &spec.types.0,
            &table,
            Role::Response { xml },
            cx,
        ) {
            types.push(NamedType {
                name: name.clone(),
                doc: ty.doc.clone(),
                def,
            });
        }
    }

    check_recursion(&at, &spec.types.0, &types, cx);
    let code_numeric = wire.as_ref().and_then(|w| w.numeric);
    let provider_errors = check_errors(&at.key("errors"), &spec.errors, code_numeric, cx);

    let carry = spec.session.as_ref().and_then(|s| {
        let at_carry = at.key("session").key("carry");
        super::carry::carry_places(&at_carry, &s.carry, false, cx).map(|(_, places)| places)
    });
    let mut checked_methods: Vec<Method> = Vec::new();
    let mut checked_sources: Vec<&Source> = Vec::new();
    let mut method_names: BTreeMap<String, String> = BTreeMap::new();
    let mut type_prefixes: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut example_names: BTreeMap<String, String> = BTreeMap::new();
    for (msrc, mspec) in &methods {
        let Some(wire) = &wire else { continue };
        let scope = Scope {
            wire,
            types: &spec.types.0,
            table: &table,
            errors: &provider_errors,
            variables: &variable_places,
            has_session: spec.session.is_some(),
            carry: carry.as_ref(),
        };
        let Some(method) = check_method(msrc, mspec, &scope, cx) else {
            continue;
        };
        for (j, example) in method.examples.iter().enumerate() {
            match example_names.get(&example.name) {
                Some(other) if *other != msrc.file => At::root(msrc)
                    .key("examples")
                    .index(j)
                    .key("name")
                    .error_hint(
                        cx,
                        format!(
                            "example test `example_{}` is also made from {other}",
                            example.name
                        ),
                        "rename one of the examples",
                    ),
                Some(_) => {}
                None => {
                    example_names.insert(example.name.clone(), msrc.file.clone());
                }
            }
        }
        if let Some(other) = method_names.insert(method.rust.clone(), msrc.file.clone()) {
            At::root(msrc).key("rust_name").error_hint(
                cx,
                format!("method name `{}` is also used by {other}", method.rust),
                "set a different `rust_name` on one of them",
            );
        } else if let Some((other, other_rust)) = type_prefixes.insert(
            method.type_prefix.clone(),
            (msrc.file.clone(), method.rust.clone()),
        ) {
            // `get2fa` and `get_2fa` are two Rust names with one UpperCamelCase form.
            let key = if mspec.rust_name.is_some() {
                "rust_name"
            } else {
                "method"
            };
            let prefix = &method.type_prefix;
            At::root(msrc).key(key).error_hint(
                cx,
                format!(
                    "methods `{other_rust}` ({other}) and `{}` both make the types `{prefix}Request`, `{prefix}Response` and `{prefix}Error`",
                    method.rust
                ),
                "set `rust_name` on one of them so that their UpperCamelCase forms differ",
            );
        }
        let stat = method.rust.to_uppercase();
        if table.get(&stat) == Some(&NamedKind::Flags) {
            // A flags type is a tuple struct, so it shares the value namespace with the method's `static`.
            At::root(msrc).key("method").error_hint(
                cx,
                format!(
                    "the method's wire table `static {stat}` clashes with the flags type `{stat}`"
                ),
                "rename the flags type, or set `rust_name` on the method",
            );
        }
        for suffix in ["Request", "Response", "Error", "Args"] {
            let generated = format!("{}{suffix}", method.type_prefix);
            if table.contains_key(&generated) {
                At::root(msrc).key("method").error_hint(
                    cx,
                    format!("the generated type `{generated}` clashes with a shared type of the same name"),
                    "rename the shared type or set `rust_name` on the method",
                );
            }
        }
        if method.type_prefix == "Provider" {
            At::root(msrc).key("method").error_hint(
                cx,
                "the method's error enum would be `ProviderError`, the name of the provider-wide errors",
                "set `rust_name` on the method",
            );
        }
        checked_methods.push(method);
        checked_sources.push(msrc);
    }
    let mut seen_errors = Vec::new();
    for (m, msrc) in checked_methods.iter().zip(&checked_sources) {
        check_method_error_names(
            &At::root(msrc),
            &msrc.file,
            m,
            &provider_errors,
            &mut seen_errors,
            cx,
        );
    }
    check_param_types(&at, &types, &checked_methods, cx);
    let session = match (&spec.session, &wire) {
        // With a method missing, names would fail to resolve for the wrong reason.
        (Some(session), Some(wire)) if checked_methods.len() == pf.methods.len() => {
            let carry = carry.as_ref();
            session::check_session(
                &at.key("session"),
                session,
                carry,
                wire,
                &mut checked_methods,
                cx,
            )
        }
        _ => None,
    };
    if methods.is_empty() && pf.methods.is_empty() {
        at.error_hint(
            cx,
            "the provider has no method files",
            "add one YAML file per method next to provider.yaml",
        );
    }

    let type_names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
    let credential_groups = super::credentials::check_credential_groups(
        &at.key("credentials"),
        &spec.credentials,
        &variables,
        &type_names,
        cx,
    );
    let mut sources = vec![src.file.clone()];
    sources.extend(pf.methods.iter().map(|m| m.file.clone()));
    Some(Provider {
        name: spec.provider.clone(),
        title: spec.title.clone(),
        doc: spec.doc.clone(),
        docs_url: spec.docs_url.clone(),
        base_url: spec.base_url.clone(),
        variables,
        error_rules: wire
            .as_ref()
            .map(|w| w.error_rules.clone())
            .unwrap_or_default(),
        errors: provider_errors,
        protocol: wire?.protocol,
        types,
        methods: checked_methods,
        sources,
        session,
        credential_groups,
    })
}

/// A struct that holds itself (directly or through other structs, without a
/// list or map in between) would have infinite size.
pub(super) fn check_recursion(
    at: &At,
    specs: &[(String, TypeSpec)],
    types: &[NamedType],
    cx: &mut Ctxt,
) {
    let inner = |name: &str| -> Vec<String> {
        match types.iter().find(|t| t.name == name).map(|t| &t.def) {
            Some(TypeDef::Struct { fields, .. }) => fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Ty::Named(n, NamedKind::Struct) => Some(n.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    for (i, (name, _)) in specs.iter().enumerate() {
        let mut stack = inner(name);
        let mut seen = BTreeSet::new();
        while let Some(next) = stack.pop() {
            if next == *name {
                at.repeated_in("types", specs, i).error_hint(
                    cx,
                    format!("type `{name}` contains itself, so it would have infinite size"),
                    "hold the nested value in a `list<...>`, or break the cycle",
                );
                break;
            }
            if seen.insert(next.clone()) {
                stack.extend(inner(&next));
            }
        }
    }
}

/// Shared structs sent as parameters are serialized as they are, so they
/// cannot hold what only a decoder understands.
pub(super) fn check_param_types(at: &At, types: &[NamedType], methods: &[Method], cx: &mut Ctxt) {
    for name in types_in_params(types, methods) {
        let Some(TypeDef::Struct { fields, .. }) =
            types.iter().find(|t| t.name == name).map(|t| &t.def)
        else {
            continue;
        };
        for (i, f) in fields.iter().enumerate() {
            if matches!(f.ty, Ty::Timestamp(_)) || f.lenient || f.embedded_json {
                at.key("types").key(&name).key("fields").index(i).error_hint(
                    cx,
                    format!(
                        "type `{name}` is sent as a parameter, so its field `{}` cannot be a timestamp, lenient or embedded_json",
                        f.wire
                    ),
                    "use a plain type for request data, or a separate type for the answer",
                );
            }
        }
    }
}

/// Variables, and where those sent with every call go.
pub(super) fn check_variables<'a>(
    at: &At<'a>,
    spec: &ProviderSpec,
    cx: &mut Ctxt,
) -> (Vec<Variable>, Vec<(String, Place, At<'a>)>) {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut places = Vec::new();
    for (i, v) in spec.variables.iter().enumerate() {
        let at_v = at.key("variables").index(i);
        let rust = rust_field_name(&at_v, &v.name, v.rust_name.as_deref(), cx);
        if !seen.insert(v.name.clone()) {
            at_v.key("name").error_hint(
                cx,
                format!("variable `{}` is declared twice", v.name),
                "remove one",
            );
        } else if rust == "options" || out.iter().any(|o: &Variable| o.rust == rust) {
            // Variables become arguments of `Client::with_options(…, options)`.
            let key = if v.rust_name.is_some() {
                "rust_name"
            } else {
                "name"
            };
            at_v.key(key).error_hint(
                cx,
                format!(
                    "variable `{}` becomes the argument `{rust}`, which is already taken",
                    v.name
                ),
                "set a different `rust_name`",
            );
        }
        let checks = v
            .constraints
            .as_ref()
            .map(|c| check_constraints(&at_v.key("constraints"), c, &Ty::String, cx))
            .unwrap_or_default();
        check_secret_variable(&at_v, v, &spec.base_url, cx);
        if v.send_as_field && v.in_.is_some() {
            at_v.key("send_as_field").error_hint(
                cx,
                "`send_as_field` is the v1 spelling of `in: body`; write one of them",
                "remove `send_as_field`",
            );
        }
        if v.in_.as_deref() == Some("path") {
            // Methods' paths differ; a value every call sends cannot fill one placeholder in each.
            at_v.key("in").error_hint(
                cx,
                format!("variable `{}` cannot go `in: path`", v.name),
                format!(
                    "leave `in` out: a variable fills `{{{}}}` in `base_url`",
                    v.name
                ),
            );
        }
        let sent = v.send_as_field || v.in_.is_some() || v.at.is_some() || v.template.is_some();
        if sent {
            let keys = Keys {
                in_: v.in_.as_deref(),
                at: v.at.as_deref(),
                name: None,
                template: v.template.as_deref(),
            };
            if let Some(p) = place(&at_v, keys, Some(&v.name), cx) {
                places.push((v.name.clone(), p, at_v.clone()));
            }
        }
        out.push(Variable {
            wire: v.name.clone(),
            rust,
            doc: v.doc.clone(),
            sent,
            secret: v.secret,
            checks,
            example: v.example.clone(),
        });
    }
    (out, places)
}

/// The provider-wide bindings (method name, variables, constants), checked
/// once here rather than in every method.
fn check_provider_bindings(wire: &Wire, variables: &[(String, Place, At)], cx: &mut Ctxt) {
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
    for (name, place, at_v) in variables {
        let location = super::methods::variable_location(place);
        list.push((
            Binding {
                source: ValueSource::Variable(name.clone()),
                location,
            },
            at_v.clone(),
        ));
    }
    list.extend(wire.constants.iter().cloned());
    list.extend(wire.request_id.iter().cloned());
    check_handshake_clash(wire.protocol.handshake.as_ref(), &list, cx);
    let frame = Frame {
        protocol: &wire.protocol,
        json_strings: &wire.json_strings,
        // A path placeholder is the method's to declare.
        placeholders: &[],
        params: &[],
    };
    for (i, (b, at_b)) in list.iter().enumerate() {
        if matches!(b.location, Location::Path(_)) {
            continue;
        }
        let earlier: Vec<&Binding> = list[..i].iter().map(|(b, _)| b).collect();
        check_one(&frame, &earlier, b, at_b, cx);
    }
}

pub(super) fn check_base_url(at: &At, url: &str, variables: &[Variable], cx: &mut Ctxt) {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        at.error_hint(
            cx,
            format!("base URL `{url}` does not start with http:// or https://"),
            "write the full URL",
        );
    }
    let mut rest = url;
    let mut used = BTreeSet::new();
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            at.error_hint(
                cx,
                "base URL has a `}` without a matching `{`",
                "placeholders look like `{clientCode}`",
            );
            return;
        }
        let Some(close) = rest[open..].find('}') else {
            at.error_hint(
                cx,
                "base URL has a `{` without a matching `}`",
                "placeholders look like `{clientCode}`",
            );
            return;
        };
        let name = &rest[open + 1..open + close];
        if !variables.iter().any(|v| v.wire == name) {
            at.error_hint(
                cx,
                format!("base URL placeholder `{{{name}}}` names no variable"),
                format!("declare it under `variables:` (name: {name}) or remove it from the URL"),
            );
        }
        used.insert(name.to_string());
        rest = &rest[open + close + 1..];
    }
    for v in variables {
        if !used.contains(&v.wire) && !v.sent {
            at.error_hint(
                cx,
                format!(
                    "variable `{}` is neither used in the base URL nor sent with calls",
                    v.wire
                ),
                "use it as a `{placeholder}` in base_url, send it with `in: body` (or another location), or remove it",
            );
        }
    }
}
