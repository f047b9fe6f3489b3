//! Turns parsed specs into the [`Model`], or into diagnostics.
//!
//! Every rule reports through the shared [`Ctxt`] and carries on, so one run
//! lists all problems. Nothing here panics on any input.

use crate::diag::{Ctxt, Source};
use crate::load::ProviderFiles;
use crate::model::*;
use crate::spec::{self, FieldSpec, MethodSpec, ProviderSpec, TypeSpec};
use crate::yaml::{self, Seg};
use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

mod session;

/// Values of `class` on an error.
pub const ERROR_CLASSES: &[&str] = &[
    "bad_credentials",
    "session_expired",
    "rate_limited",
    "locked",
    "invalid_input",
    "access_denied",
    "server",
    "other",
];
/// The longest `cooldown` (seconds): a day, as long as a session ever waits.
const MAX_COOLDOWN: u64 = 24 * 60 * 60;
/// Values of `protocol.encodings`.
pub const ENCODINGS: &[&str] = &["form", "query", "json", "xml", "soap11"];
const SCALARS: &[&str] = &[
    "string",
    "bool",
    "i8",
    "i16",
    "i32",
    "i64",
    "u8",
    "u16",
    "u32",
    "u64",
    "f32",
    "f64",
    "any",
    "timestamp",
];
/// Values of `format` on a timestamp field.
pub const TIME_FORMATS: &[&str] = &["unix_seconds", "unix_millis", "dotnet_date"];
/// Values of `transform` on a parameter.
pub const TRANSFORMS: &[&str] = &["sha256_base64"];
/// Names every provider module defines itself, and prelude names its code uses.
const RESERVED_TYPES: &[&str] = &[
    "Client",
    "Session",
    "SessionInner",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "From",
    "Into",
    "TryFrom",
    "Self",
];
/// Module names taken in the generated crate (`loginspec_client::runtime`).
const RESERVED_MODULES: &[&str] = &["runtime"];
/// Methods every generated `Client` and `Session` has.
/// (`protocol` would make a `static PROTOCOL` twice, `session` a `static SESSION`.)
const RESERVED_METHODS: &[&str] = &[
    "new",
    "with_options",
    "base_url",
    "protocol",
    "session",
    "with_clock",
    "client",
    "ensure_login",
    "login_count",
    "set_credentials",
];

/// Checks all providers; problems go to `cx`.
pub fn check(files: &[ProviderFiles], cx: &mut Ctxt) -> Model {
    let mut providers: Vec<Provider> = files
        .iter()
        .filter_map(|pf| check_provider(pf, cx))
        .collect();
    providers.sort_by(|a, b| a.name.cmp(&b.name));
    Model { providers }
}

/// A place in a spec file, for reporting.
#[derive(Clone)]
struct At<'a> {
    src: &'a Source,
    path: Vec<Seg>,
}

impl<'a> At<'a> {
    fn root(src: &'a Source) -> Self {
        At {
            src,
            path: Vec::new(),
        }
    }
    fn key(&self, key: &str) -> Self {
        let mut path = self.path.clone();
        path.push(Seg::Key(key.to_string()));
        At {
            src: self.src,
            path,
        }
    }
    /// Entry `i` of the map under `key`, told apart from earlier entries
    /// with the same name (a map read as [`spec::Entries`] keeps them all).
    fn repeated_in<T>(&self, key: &str, entries: &[(String, T)], i: usize) -> Self {
        let name = &entries[i].0;
        let nth = entries[..i].iter().filter(|(n, _)| n == name).count();
        let mut path = self.path.clone();
        path.push(Seg::Key(key.to_string()));
        path.push(Seg::Repeated(name.clone(), nth));
        At {
            src: self.src,
            path,
        }
    }
    fn index(&self, index: usize) -> Self {
        let mut path = self.path.clone();
        path.push(Seg::Index(index));
        At {
            src: self.src,
            path,
        }
    }
    fn error_hint(&self, cx: &mut Ctxt, message: impl Into<String>, hint: impl Into<String>) {
        cx.error(self.src, &self.path, message, Some(hint.into()));
    }
}

fn parse<T: serde::de::DeserializeOwned>(src: &Source, cx: &mut Ctxt) -> Option<T> {
    match yaml::parse(&src.text) {
        Ok(value) => Some(value),
        Err(err) => {
            let hint = parse_hint(&err.message);
            cx.error_at(src, err.path, err.pos, err.message, hint);
            None
        }
    }
}

fn parse_hint(message: &str) -> Option<String> {
    if message.contains("unknown field") {
        Some("check the spelling; docs/spec-format.md lists every key".into())
    } else if message.contains("missing field") {
        Some("add the key; docs/spec-format.md says what it holds".into())
    } else if message.contains("duplicate field") {
        Some("a key may appear only once in a map; remove one".into())
    } else if message.contains("invalid type") {
        Some("the value has the wrong YAML type; docs/spec-format.md gives each key's type".into())
    } else {
        None
    }
}

/// Kinds of the provider's shared types, by name, known before any is checked.
type TypeTable = BTreeMap<String, NamedKind>;

fn check_provider(pf: &ProviderFiles, cx: &mut Ctxt) -> Option<Provider> {
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

    let variables = check_variables(&at, &spec, cx);
    check_base_url(&at.key("base_url"), &spec.base_url, &variables, cx);
    let protocol = check_protocol(&at.key("protocol"), &spec.protocol, cx);

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

    let xml = protocol.as_ref().is_some_and(Protocol::reads_xml);
    let mut types = Vec::new();
    for (i, (name, ty)) in spec.types.0.iter().enumerate() {
        let at_ty = at.repeated_in("types", &spec.types.0, i);
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
    let code_numeric = protocol.as_ref().map(|p| p.error.numeric);
    let provider_errors = check_errors(&at.key("errors"), &spec.errors, code_numeric, cx);

    let mut checked_methods: Vec<Method> = Vec::new();
    let mut method_names: BTreeMap<String, String> = BTreeMap::new();
    let mut example_names: BTreeMap<String, String> = BTreeMap::new();
    for (msrc, mspec) in &methods {
        let Some(protocol) = &protocol else { continue };
        let scope = Scope {
            protocol,
            types: &spec.types.0,
            table: &table,
            errors: &provider_errors,
            protocol_fields: protocol_fields(protocol, &variables),
            has_session: spec.session.is_some(),
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
        }
        for suffix in ["Request", "Response", "Error"] {
            let generated = format!("{}{suffix}", method.type_prefix);
            if table.contains_key(&generated) {
                At::root(msrc).key("method").error_hint(
                    cx,
                    format!("the generated type `{generated}` clashes with a shared type of the same name"),
                    "rename the shared type or set `rust_name` on the method",
                );
            }
        }
        checked_methods.push(method);
    }
    check_param_types(&at, &types, &checked_methods, cx);
    let session = match (&spec.session, &protocol) {
        // With a method missing, names would fail to resolve for the wrong reason.
        (Some(session), Some(protocol)) if checked_methods.len() == pf.methods.len() => {
            session::check_session(
                &at.key("session"),
                session,
                &protocol_fields(protocol, &variables),
                &checked_methods,
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

    let mut sources = vec![src.file.clone()];
    sources.extend(pf.methods.iter().map(|m| m.file.clone()));
    Some(Provider {
        name: spec.provider.clone(),
        title: spec.title.clone(),
        doc: spec.doc.clone(),
        docs_url: spec.docs_url.clone(),
        base_url: spec.base_url.clone(),
        variables,
        protocol: protocol?,
        types,
        methods: checked_methods,
        sources,
        session,
    })
}

/// A struct that holds itself (directly or through other structs, without a
/// list or map in between) would have infinite size.
fn check_recursion(at: &At, specs: &[(String, TypeSpec)], types: &[NamedType], cx: &mut Ctxt) {
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
fn check_param_types(at: &At, types: &[NamedType], methods: &[Method], cx: &mut Ctxt) {
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

fn check_variables(at: &At, spec: &ProviderSpec, cx: &mut Ctxt) -> Vec<Variable> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
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
        out.push(Variable {
            wire: v.name.clone(),
            rust,
            doc: v.doc.clone(),
            send_as_field: v.send_as_field,
            checks,
        });
    }
    out
}

fn check_base_url(at: &At, url: &str, variables: &[Variable], cx: &mut Ctxt) {
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
        if !used.contains(&v.wire) && !v.send_as_field {
            at.error_hint(
                cx,
                format!(
                    "variable `{}` is neither used in the base URL nor sent as a field",
                    v.wire
                ),
                "use it as a `{placeholder}` in base_url, set `send_as_field: true`, or remove it",
            );
        }
    }
}

fn check_protocol(at: &At, spec: &spec::ProtocolSpec, cx: &mut Ctxt) -> Option<Protocol> {
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

/// Whether fields are request parameters or parts of an answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Param,
    Response { xml: bool },
}

fn check_type_def(
    at: &At,
    name: &str,
    spec: &TypeSpec,
    all: &[(String, TypeSpec)],
    table: &TypeTable,
    role: Role,
    cx: &mut Ctxt,
) -> Option<TypeDef> {
    if spec.extends.is_some() && (spec.enum_values.is_some() || spec.flags.is_some()) {
        at.key("extends").error_hint(
            cx,
            "only struct types can extend another type",
            "remove `extends`",
        );
    }
    if let Some(values) = &spec.enum_values {
        return check_enum(&at.key("enum"), values, cx);
    }
    if let Some(flags) = &spec.flags {
        return check_flags(&at.key("flags"), flags, cx);
    }
    // A struct: the chain of bases first, then its own fields.
    let mut chain: Vec<(&str, &TypeSpec)> = Vec::new();
    let mut base = spec.extends.as_deref();
    while let Some(base_name) = base {
        if base_name == name || chain.iter().any(|(n, _)| *n == base_name) {
            at.key("extends").error_hint(
                cx,
                format!(
                    "type `{name}` extends itself: {}",
                    std::iter::once(name)
                        .chain(chain.iter().map(|(n, _)| *n))
                        .chain([base_name])
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
                "break the cycle of `extends`",
            );
            return None;
        }
        let Some((_, base_spec)) = all.iter().find(|(n, _)| n == base_name) else {
            at.key("extends").error_hint(
                cx,
                format!("`extends` names unknown type `{base_name}`"),
                known_types_hint(table),
            );
            return None;
        };
        if table.get(base_name) != Some(&NamedKind::Struct) {
            at.key("extends").error_hint(
                cx,
                format!("`{base_name}` is not a struct type"),
                "only types with `fields` can be extended",
            );
            return None;
        }
        chain.push((base_name, base_spec));
        base = base_spec.extends.as_deref();
    }
    let mut fields = Vec::new();
    let mut base_field_count = 0;
    let mut seen = Seen::default();
    for (base_name, base_spec) in chain.iter().rev() {
        // Base fields are checked (and reported) where the base is defined.
        let base_at = At {
            src: at.src,
            path: vec![Seg::Key("types".into()), Seg::Key(base_name.to_string())],
        };
        let mut quiet = Ctxt::default();
        for (i, f) in base_spec.fields.iter().flatten().enumerate() {
            if let Some(field) =
                check_field(&base_at.key("fields").index(i), f, table, role, &mut quiet)
            {
                seen.note(&field);
                fields.push(field);
            }
        }
        base_field_count = fields.len();
    }
    if spec.fields.is_none() && spec.extends.is_none() {
        at.error_hint(
            cx,
            format!("type `{name}` has no `fields`, `enum`, `flags` or `extends`"),
            "give the struct its fields",
        );
    }
    for (i, f) in spec.fields.iter().flatten().enumerate() {
        let at_f = at.key("fields").index(i);
        if let Some(field) = check_field(&at_f, f, table, role, cx) {
            if seen.clash(&at_f, &field, cx) {
                continue;
            }
            fields.push(field);
        }
    }
    Some(TypeDef::Struct {
        base: spec.extends.clone(),
        base_field_count,
        fields,
    })
}

/// Wire and Rust names already used in one field list.
#[derive(Default)]
struct Seen {
    wire: BTreeSet<String>,
    rust: BTreeMap<String, String>,
}

impl Seen {
    fn note(&mut self, field: &Field) {
        self.wire.insert(field.wire.clone());
        self.rust.insert(field.rust.clone(), field.wire.clone());
    }

    /// Reports a clash with an earlier field; records the field otherwise.
    fn clash(&mut self, at: &At, field: &Field, cx: &mut Ctxt) -> bool {
        if self.wire.contains(&field.wire) {
            at.key("name").error_hint(
                cx,
                format!("field `{}` is defined twice", field.wire),
                "remove one, or rename it",
            );
            return true;
        }
        if let Some(other) = self.rust.get(&field.rust) {
            at.key("name").error_hint(
                cx,
                format!(
                    "fields `{other}` and `{}` both become `{}` in Rust",
                    field.wire, field.rust
                ),
                "set `rust_name` on one of them",
            );
            return true;
        }
        self.note(field);
        false
    }
}

fn check_enum(at: &At, values: &[spec::EnumValueSpec], cx: &mut Ctxt) -> Option<TypeDef> {
    if values.is_empty() {
        at.error_hint(
            cx,
            "an enum needs at least one value",
            "list its values with name, value and doc",
        );
        return None;
    }
    let numeric = matches!(values[0].value, CodeValue::Int(_));
    let mut names = BTreeSet::new();
    let mut wire = BTreeSet::new();
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let at_v = at.index(i);
        if !is_camel_ident(&v.name) {
            at_v.key("name").error_hint(
                cx,
                format!("enum value name `{}` is not UpperCamelCase", v.name),
                format!("use `{}`", v.name.to_upper_camel_case()),
            );
        }
        if !names.insert(v.name.clone()) {
            at_v.key("name").error_hint(
                cx,
                format!("enum value name `{}` is used twice", v.name),
                "rename one",
            );
        }
        if !wire.insert(v.value.clone()) {
            at_v.key("value").error_hint(
                cx,
                format!("enum value `{}` is listed twice", v.value),
                "remove one",
            );
        }
        if matches!(v.value, CodeValue::Int(_)) != numeric {
            at_v.key("value").error_hint(
                cx,
                "enum mixes integer and string values",
                "make all values integers or all strings",
            );
        }
        out.push(EnumValue {
            name: v.name.clone(),
            value: v.value.clone(),
            doc: v.doc.clone(),
        });
    }
    Some(TypeDef::Enum { values: out })
}

fn check_flags(at: &At, flags: &[spec::FlagSpec], cx: &mut Ctxt) -> Option<TypeDef> {
    if flags.is_empty() {
        at.error_hint(
            cx,
            "a flags type needs at least one flag",
            "list its bits with name, value and doc",
        );
        return None;
    }
    let mut names = BTreeSet::new();
    let mut values = BTreeSet::new();
    let mut out = Vec::new();
    for (i, f) in flags.iter().enumerate() {
        let at_f = at.index(i);
        if f.name != f.name.to_shouty_snake_case() || !is_ident(&f.name) {
            at_f.key("name").error_hint(
                cx,
                format!("flag name `{}` is not SCREAMING_SNAKE_CASE", f.name),
                format!("use `{}`", f.name.to_shouty_snake_case()),
            );
        }
        if !names.insert(f.name.clone()) {
            at_f.key("name").error_hint(
                cx,
                format!("flag `{}` is listed twice", f.name),
                "rename or remove one",
            );
        }
        if f.value == 0 {
            at_f.key("value").error_hint(
                cx,
                "a flag cannot be 0",
                "give each flag its bit value, e.g. 0x4",
            );
        } else if !values.insert(f.value) {
            at_f.key("value").error_hint(
                cx,
                format!("flag value {:#x} is used twice", f.value),
                "each flag needs its own bits",
            );
        }
        out.push(Flag {
            name: f.name.clone(),
            value: f.value,
            doc: f.doc.clone(),
        });
    }
    Some(TypeDef::Flags { flags: out })
}

fn check_field(
    at: &At,
    spec: &FieldSpec,
    table: &TypeTable,
    role: Role,
    cx: &mut Ctxt,
) -> Option<Field> {
    if spec.name.is_empty() {
        at.key("name")
            .error_hint(cx, "field name is empty", "write the name used on the wire");
        return None;
    }
    let rust = rust_field_name(at, &spec.name, spec.rust_name.as_deref(), cx);
    let ty = parse_type(&at.key("type"), &spec.ty, spec.format.as_deref(), table, cx)?;
    let response = matches!(role, Role::Response { .. });
    let param = !response;
    let is_string = ty == Ty::String;

    if spec.format.is_some() && !matches!(ty, Ty::Timestamp(_)) {
        at.key("format").error_hint(
            cx,
            "`format` applies only to `timestamp` fields",
            "remove it or change the type to timestamp",
        );
    }
    if spec.secret && !is_string {
        at.key("secret").error_hint(
            cx,
            "only `string` fields can be secret",
            "change the type to string",
        );
    }
    let transform = match spec.transform.as_deref() {
        None => None,
        Some(_) if response => {
            at.key("transform").error_hint(
                cx,
                "`transform` applies only to parameters",
                "remove it",
            );
            None
        }
        Some("sha256_base64") => {
            if !is_string || !spec.secret {
                at.key("transform").error_hint(
                    cx,
                    "`sha256_base64` needs a secret string parameter",
                    "set `type: string` and `secret: true`",
                );
            }
            if !spec.required || spec.default.is_some() {
                at.key("transform").error_hint(
                    cx,
                    "a transformed parameter must be required",
                    "set `required: true` and remove `default`",
                );
            }
            Some(Transform::Sha256Base64)
        }
        Some(other) => {
            at.key("transform").error_hint(
                cx,
                format!("unknown transform `{other}`"),
                format!("use one of: {}", TRANSFORMS.join(", ")),
            );
            None
        }
    };
    if spec.lenient && (param || !lenient_applies(&ty)) {
        at.key("lenient").error_hint(
            cx,
            "`lenient` applies only to number, bool and timestamp response fields",
            "remove it",
        );
    }
    if spec.embedded_json && (param || is_string) {
        at.key("embedded_json").error_hint(
            cx,
            "`embedded_json` applies only to non-string response fields",
            "type the field as the document inside the string",
        );
    }
    if param && matches!(ty, Ty::Timestamp(_)) {
        at.key("type").error_hint(
            cx,
            "timestamp parameters are not supported",
            "send the number as an integer type",
        );
    }
    let default = match &spec.default {
        None => None,
        Some(_) if response => {
            at.key("default").error_hint(
                cx,
                "`default` applies only to parameters",
                "make the field `required: false` instead",
            );
            None
        }
        Some(value) => {
            if !literal_fits(value, &ty) || spec.secret {
                at.key("default").error_hint(
                    cx,
                    format!("default does not fit type `{}`", spec.ty),
                    "give a plain value of the field's type",
                );
            }
            Some(value.clone())
        }
    };
    let checks = match &spec.constraints {
        Some(_) if response => {
            at.key("constraints").error_hint(
                cx,
                "constraints apply only to parameters",
                "remove them; answers are not checked",
            );
            Vec::new()
        }
        Some(c) => check_constraints(&at.key("constraints"), c, &ty, cx),
        None => Vec::new(),
    };
    let lenient =
        spec.lenient || (matches!(role, Role::Response { xml: true }) && lenient_applies(&ty));
    Some(Field {
        wire: spec.name.clone(),
        rust,
        ty,
        presence: match (default, spec.required) {
            (Some(value), _) => Presence::Default(value),
            (None, true) => Presence::Required,
            (None, false) => Presence::Optional,
        },
        doc: spec.doc.clone(),
        secret: spec.secret,
        transform,
        lenient,
        embedded_json: spec.embedded_json,
        checks,
    })
}

fn lenient_applies(ty: &Ty) -> bool {
    match ty {
        Ty::Bool | Ty::Int(_) | Ty::Float(_) | Ty::Timestamp(_) => true,
        Ty::List(inner) | Ty::Map(inner) => lenient_applies(inner),
        _ => false,
    }
}

fn literal_fits(value: &Literal, ty: &Ty) -> bool {
    match (value, ty) {
        (Literal::Str(_), Ty::String) | (Literal::Bool(_), Ty::Bool) => true,
        (Literal::Int(i), Ty::Int(int)) => {
            let (min, max) = int.bounds();
            (min..=max).contains(&i128::from(*i))
        }
        (Literal::Int(_), Ty::Float(_)) => true,
        (Literal::Float(f), Ty::Float(FloatTy::F32)) => f.abs() <= f64::from(f32::MAX),
        (Literal::Float(f), Ty::Float(FloatTy::F64)) => f.is_finite(),
        _ => false,
    }
}

fn check_constraints(at: &At, spec: &spec::ConstraintsSpec, ty: &Ty, cx: &mut Ctxt) -> Vec<Check> {
    let mut checks = Vec::new();
    let is_string = *ty == Ty::String;
    if let Some(b) = &spec.length {
        let at_l = at.key("length");
        if !is_string {
            at_l.error_hint(
                cx,
                "`length` applies only to strings",
                "use `range` for numbers",
            );
        } else if b.clamp {
            at_l.key("clamp")
                .error_hint(cx, "strings cannot be clamped", "remove `clamp`");
        } else if bounds_ok(&at_l, b, (0, i128::from(i64::MAX)), cx) {
            checks.push(Check::Length {
                min: b.min,
                max: b.max,
            });
        }
    }
    if let Some(b) = &spec.range {
        let at_r = at.key("range");
        match ty {
            Ty::Int(int) => {
                if bounds_ok(&at_r, b, int.bounds(), cx) {
                    checks.push(Check::Range {
                        min: b.min,
                        max: b.max,
                        clamp: b.clamp,
                    });
                }
            }
            _ => at_r.error_hint(
                cx,
                "`range` applies only to integers",
                "use `length` for strings",
            ),
        }
    }
    if let Some(p) = &spec.pattern {
        if !is_string {
            at.key("pattern")
                .error_hint(cx, "`pattern` applies only to strings", "remove it");
        } else if let Err(err) = regex_lite::Regex::new(p) {
            at.key("pattern").error_hint(
                cx,
                format!("pattern does not compile: {err}"),
                "write a regular expression (regex-lite syntax); it must match the whole value",
            );
        } else {
            checks.push(Check::Pattern(p.clone()));
        }
    }
    if let Some(n) = spec.hex_bytes {
        if !is_string {
            at.key("hex_bytes")
                .error_hint(cx, "`hex_bytes` applies only to strings", "remove it");
        } else if n == 0 {
            at.key("hex_bytes").error_hint(
                cx,
                "`hex_bytes` must be at least 1",
                "give the number of bytes the hex text encodes",
            );
        } else {
            checks.push(Check::HexBytes(n));
        }
    }
    checks
}

fn bounds_ok(at: &At, b: &spec::BoundsSpec, (lo, hi): (i128, i128), cx: &mut Ctxt) -> bool {
    let mut ok = true;
    if b.min.is_none() && b.max.is_none() {
        at.error_hint(
            cx,
            "bounds need `min`, `max` or both",
            "add the limits the docs give",
        );
        ok = false;
    }
    for (key, value) in [("min", b.min), ("max", b.max)] {
        if let Some(v) = value {
            if !(lo..=hi).contains(&i128::from(v)) {
                at.key(key).error_hint(
                    cx,
                    format!("{key} {v} is outside what the type can hold ({lo}..={hi})"),
                    "use a bound the type can hold, or a wider type",
                );
                ok = false;
            }
        }
    }
    if let (Some(min), Some(max)) = (b.min, b.max) {
        if min > max {
            at.key("min").error_hint(
                cx,
                format!("impossible bounds: min {min} is greater than max {max}"),
                "swap them or fix the typo",
            );
            ok = false;
        }
    }
    ok
}

fn parse_type(
    at: &At,
    text: &str,
    format: Option<&str>,
    table: &TypeTable,
    cx: &mut Ctxt,
) -> Option<Ty> {
    let text = text.trim();
    for (prefix, wrap) in [
        ("list<", Ty::List as fn(Box<Ty>) -> Ty),
        ("map<", Ty::Map as fn(Box<Ty>) -> Ty),
    ] {
        if let Some(inner) = text.strip_prefix(prefix) {
            let Some(inner) = inner.strip_suffix('>') else {
                at.error_hint(
                    cx,
                    format!("type `{text}` is missing its closing `>`"),
                    format!("write `{prefix}string>`"),
                );
                return None;
            };
            return parse_type(at, inner, format, table, cx).map(|t| wrap(Box::new(t)));
        }
    }
    let ty = match text {
        "string" => Ty::String,
        "bool" => Ty::Bool,
        "i8" => Ty::Int(IntTy::I8),
        "i16" => Ty::Int(IntTy::I16),
        "i32" => Ty::Int(IntTy::I32),
        "i64" => Ty::Int(IntTy::I64),
        "u8" => Ty::Int(IntTy::U8),
        "u16" => Ty::Int(IntTy::U16),
        "u32" => Ty::Int(IntTy::U32),
        "u64" => Ty::Int(IntTy::U64),
        "f32" => Ty::Float(FloatTy::F32),
        "f64" => Ty::Float(FloatTy::F64),
        "any" => Ty::Any,
        "timestamp" => {
            let format = match format {
                Some("unix_seconds") => TimeFormat::UnixSeconds,
                Some("unix_millis") => TimeFormat::UnixMillis,
                Some("dotnet_date") => TimeFormat::DotNetDate,
                Some(other) => {
                    at.error_hint(
                        cx,
                        format!("unknown timestamp format `{other}`"),
                        format!("use one of: {}", TIME_FORMATS.join(", ")),
                    );
                    return None;
                }
                None => {
                    at.error_hint(
                        cx,
                        "a timestamp needs a `format`",
                        format!("add `format:` with one of: {}", TIME_FORMATS.join(", ")),
                    );
                    return None;
                }
            };
            Ty::Timestamp(format)
        }
        name => match table.get(name) {
            Some(kind) => Ty::Named(name.to_string(), *kind),
            None => {
                at.error_hint(
                    cx,
                    format!("unknown type `{name}`"),
                    known_types_hint(table),
                );
                return None;
            }
        },
    };
    Some(ty)
}

fn known_types_hint(table: &TypeTable) -> String {
    let mut hint = format!(
        "built-in types are {}, list<T> and map<T>",
        SCALARS.join(", ")
    );
    if !table.is_empty() {
        let names: Vec<&str> = table.keys().map(String::as_str).collect();
        hint.push_str(&format!("; this provider defines {}", names.join(", ")));
    }
    hint
}

fn check_errors(
    at: &At,
    specs: &[spec::ErrorSpec],
    numeric: Option<bool>,
    cx: &mut Ctxt,
) -> Vec<ErrorVariant> {
    let mut names = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let mut statuses = BTreeSet::new();
    let mut out = Vec::new();
    for (i, e) in specs.iter().enumerate() {
        let at_e = at.index(i);
        if !is_camel_ident(&e.name) {
            at_e.key("name").error_hint(
                cx,
                format!("error name `{}` is not UpperCamelCase", e.name),
                format!("use `{}`", e.name.to_upper_camel_case()),
            );
        } else if e.name == "Unknown" {
            at_e.key("name").error_hint(
                cx,
                "`Unknown` is reserved for undocumented codes",
                "pick a more specific name",
            );
        }
        if !names.insert(e.name.clone()) {
            at_e.key("name").error_hint(
                cx,
                format!("error name `{}` is used twice", e.name),
                "each error needs its own variant name",
            );
        }
        match &e.code {
            Some(code) => {
                if !codes.insert(code.clone()) {
                    at_e.key("code").error_hint(
                        cx,
                        format!("error code `{code}` is listed twice"),
                        "merge the two entries",
                    );
                }
                if let Some(numeric) = numeric {
                    if matches!(code, CodeValue::Int(_)) != numeric {
                        let want = if numeric { "an integer" } else { "a string" };
                        at_e.key("code").error_hint(cx, format!("error code `{code}` should be {want}, as protocol.error.code_type says"), "fix the code or the code_type");
                    }
                }
            }
            None => match e.http_status {
                None => at_e.error_hint(
                    cx,
                    format!("error `{}` has neither `code` nor `http_status`", e.name),
                    "give the code the server sends, or the HTTP status",
                ),
                Some(status) => {
                    if !statuses.insert(status) {
                        at_e.key("http_status").error_hint(
                            cx,
                            format!("HTTP status {status} is listed twice without a code"),
                            "merge the two entries",
                        );
                    }
                }
            },
        }
        if let Some(status) = e.http_status {
            if !(100..=599).contains(&status) {
                at_e.key("http_status").error_hint(
                    cx,
                    format!("{status} is not an HTTP status"),
                    "use a status between 100 and 599",
                );
            }
        }
        let class = match e.class.as_deref().unwrap_or("other") {
            "bad_credentials" => ErrorClass::BadCredentials,
            "session_expired" => ErrorClass::SessionExpired,
            "rate_limited" => ErrorClass::RateLimited,
            "locked" => ErrorClass::Locked,
            "invalid_input" => ErrorClass::InvalidInput,
            "access_denied" => ErrorClass::AccessDenied,
            "server" => ErrorClass::Server,
            "other" => ErrorClass::Other,
            other => {
                at_e.key("class").error_hint(
                    cx,
                    format!("unknown error class `{other}`"),
                    format!("use one of: {}", ERROR_CLASSES.join(", ")),
                );
                ErrorClass::Other
            }
        };
        if let Some(seconds) = e.cooldown {
            if !matches!(class, ErrorClass::Locked | ErrorClass::RateLimited) {
                at_e.key("cooldown").error_hint(
                    cx,
                    format!("error `{}` has a cooldown but is not locked or rate_limited", e.name),
                    "a cooldown says how long a session waits before logging in again; give the class `locked` or `rate_limited`, or remove it",
                );
            } else if !(1..=MAX_COOLDOWN).contains(&seconds) {
                at_e.key("cooldown").error_hint(
                    cx,
                    format!("cooldown {seconds} is outside 1..={MAX_COOLDOWN} seconds"),
                    "a session waits at most a day; for a lock only a person can lift, leave `cooldown` out",
                );
            }
        }
        out.push(ErrorVariant {
            code: e.code.clone(),
            name: e.name.clone(),
            doc: e.doc.clone(),
            class,
            http_status: e.http_status,
            cooldown: e.cooldown,
        });
    }
    out
}

/// What a method file is checked against: its provider's settings.
struct Scope<'a> {
    protocol: &'a Protocol,
    types: &'a [(String, TypeSpec)],
    table: &'a TypeTable,
    /// Provider-wide errors.
    errors: &'a [ErrorVariant],
    /// Fields the protocol itself sends with every call.
    protocol_fields: Vec<String>,
    /// Whether provider.yaml declares a session.
    has_session: bool,
}

/// The method-name field, the field parameters are packed into, and the
/// variables sent as fields: a constant or parameter of the same name would
/// overwrite one of them.
fn protocol_fields(protocol: &Protocol, variables: &[Variable]) -> Vec<String> {
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

fn check_method(src: &Source, spec: &MethodSpec, scope: &Scope, cx: &mut Ctxt) -> Option<Method> {
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
    if path.starts_with('/') {
        at.key("path").error_hint(
            cx,
            format!("path `{path}` starts with `/`"),
            "paths are relative to the base URL; drop the leading `/`",
        );
    }
    let soap = match (&protocol.method_name, &spec.soap) {
        (MethodName::SoapAction, Some(s)) => Some(Soap {
            action: s.action.clone(),
            request_element: s.request_element.clone(),
            response_element: s.response_element.clone(),
        }),
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

fn rust_field_name(at: &At, wire: &str, explicit: Option<&str>, cx: &mut Ctxt) -> String {
    let name = explicit.map_or_else(|| wire.to_snake_case(), str::to_string);
    if !is_snake_ident(&name) {
        let at_n = if explicit.is_some() {
            at.key("rust_name")
        } else {
            at.key("name")
        };
        let (reason, suggestion) = if is_keyword(&name) {
            ("is a Rust keyword", format!("{name}_value"))
        } else {
            ("is not a snake_case Rust identifier", name.to_snake_case())
        };
        let hint = if is_snake_ident(&suggestion) {
            format!("set `rust_name` for `{wire}`, e.g. `{suggestion}`")
        } else {
            format!("set `rust_name` for `{wire}` to a snake_case identifier")
        };
        at_n.error_hint(cx, format!("`{name}` {reason}"), hint);
    }
    name
}

/// Letters, digits and `_`, not starting with a digit.
fn ident_shaped(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && name != "_"
}

fn is_ident(name: &str) -> bool {
    ident_shaped(name) && !is_keyword(name)
}

fn is_snake_ident(name: &str) -> bool {
    is_ident(name) && name == name.to_snake_case()
}

fn is_camel_ident(name: &str) -> bool {
    is_ident(name) && name == name.to_upper_camel_case()
}

fn is_keyword(name: &str) -> bool {
    // `syn` knows the full, edition-aware list; `Self` and friends are not idents either.
    ident_shaped(name)
        && (syn::parse_str::<syn::Ident>(name).is_err()
            || matches!(name, "self" | "Self" | "super" | "crate"))
}
