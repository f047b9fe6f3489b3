//! Checks a routed request against its method's bindings: every value at
//! its place, of its type, within its constraints; constants as declared;
//! derived values recomputed; nothing sent that the spec does not bind.

use crate::accounts::Account;
use crate::log::Violation;
use crate::route::{self, Received};
use crate::Derivations;
use loginspec_codegen::model::{
    Binding, Check, Encoding, Field, Literal, Location, Method, NamedKind, Presence, Provider, Ty,
    TypeDef, ValueSource,
};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// What checking found besides violations.
#[derive(Default)]
pub(crate) struct Checked {
    pub(crate) violations: Vec<Violation>,
    /// The session key the request carries.
    pub(crate) key: Option<String>,
    /// A credential differs from the account's.
    pub(crate) bad_credentials: bool,
    /// Scalar values sent, as text, by wire name.
    pub(crate) values: HashMap<String, String>,
    /// The request id sent, as sent (answers echo it).
    pub(crate) request_id: Option<Value>,
}

/// A constant as JSON.
pub(crate) fn literal(literal: &Literal) -> Value {
    match literal {
        Literal::Null => Value::Null,
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Int(i) => Value::from(*i),
        Literal::Float(f) => Value::from(*f),
        Literal::Str(s) => Value::from(s.as_str()),
    }
}

/// A value as text on the wire outside JSON: strings raw, other scalars as JSON writes them.
pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// How a violation names a place.
pub(crate) fn place_name(location: &Location) -> String {
    match location {
        Location::Body(pointer) => pointer.rsplit('/').next().unwrap_or("body").to_string(),
        Location::Query(name) | Location::Path(name) | Location::Cookie(name) => name.clone(),
        Location::Header { name, .. } => name.clone(),
        Location::BasicUser | Location::BasicPassword => "Authorization".into(),
    }
}

/// Checks `rx`, routed to `method` and read in `encoding`.
pub(crate) fn check(
    provider: &Provider,
    method: &Method,
    encoding: Encoding,
    rx: &Received,
    derivations: &Derivations,
    account: Option<&Account>,
) -> Checked {
    let mut out = Checked::default();
    let expected_verb = route::verb_name(method, encoding);
    if rx.verb != expected_verb {
        out.violations
            .push(Violation::new("method", format!("must be {expected_verb}")));
    }
    check_media_type(method, encoding, rx, &mut out.violations);
    let document = match route::document(provider, method, encoding, rx) {
        Ok(document) => document,
        Err(violation) => {
            out.violations.push(violation);
            return out;
        }
    };
    let captures = rx
        .path
        .as_deref()
        .and_then(|path| route::match_path(&method.path, path))
        .unwrap_or_default();
    for binding in &method.bindings {
        let got = match route::received(binding, rx, &document, &captures) {
            Ok(got) => got,
            Err(violation) => {
                out.violations.push(violation);
                continue;
            }
        };
        check_binding(provider, method, binding, got, &mut out);
    }
    check_derived(method, derivations, account, &mut out);
    if let Some(account) =
        account.filter(|_| method.session == loginspec_codegen::model::MethodSession::None)
    {
        for name in account.names() {
            if let (Some(sent), Some(want)) = (out.values.get(name), account.get(name)) {
                if sent != want {
                    out.bad_credentials = true;
                }
            }
        }
    }
    unknown_members(method, &document, rx, &mut out.violations);
    out
}

fn check_media_type(method: &Method, encoding: Encoding, rx: &Received, out: &mut Vec<Violation>) {
    let own = method
        .bindings
        .iter()
        .find_map(|b| match (&b.source, &b.location) {
            (ValueSource::Constant(Literal::Str(value)), Location::Header { name, .. })
                if name.eq_ignore_ascii_case("content-type") =>
            {
                Some(value.to_ascii_lowercase())
            }
            _ => None,
        });
    let want = own.or_else(|| route::media_type(encoding).map(str::to_string));
    match (want, rx.media_type()) {
        (Some(want), Some(got)) if want == got => {
            let charset = rx.header("content-type").unwrap_or("").to_ascii_lowercase();
            if encoding == Encoding::Soap11 && !charset.contains("charset=utf-8") {
                out.push(Violation::media_type("must name charset=utf-8 (SOAP 1.1)"));
            }
        }
        (Some(want), Some(_)) => out.push(Violation::media_type(format!("must be {want}"))),
        (Some(want), None) if !rx.body.is_empty() => {
            out.push(Violation::media_type(format!("is missing; must be {want}")))
        }
        (None, Some(_)) if !rx.body.is_empty() => {
            out.push(Violation::media_type("is sent, but the method has no body"))
        }
        _ => {}
    }
}

fn check_binding(
    provider: &Provider,
    method: &Method,
    binding: &Binding,
    got: Option<Value>,
    out: &mut Checked,
) {
    let place = place_name(&binding.location);
    match &binding.source {
        ValueSource::Param(name) => {
            let Some(field) = method.params.iter().find(|f| &f.wire == name) else {
                return;
            };
            match got {
                None | Some(Value::Null) if field.presence == Presence::Optional => {}
                None | Some(Value::Null) => out
                    .violations
                    .push(Violation::input(name.as_str(), "is required but missing")),
                Some(value) => {
                    if let Some((inside, reason)) = type_error(provider, &field.ty, &value, 0) {
                        out.violations
                            .push(Violation::input(format!("{name}{inside}"), reason));
                    } else if let Some(reason) = check_error(field, &value) {
                        out.violations.push(Violation::input(name.as_str(), reason));
                    }
                    if let Some(text) = text(&value) {
                        out.values.insert(name.clone(), text);
                    }
                }
            }
        }
        ValueSource::Constant(constant) => {
            let want = literal(constant);
            let ok = match (&want, &got) {
                // A null is left out of forms, queries and XML.
                (Value::Null, None | Some(Value::Null)) => true,
                (_, Some(got)) => text(&want) == text(got) && (want.is_string() || !got.is_null()),
                (_, None) => false,
            };
            if !ok {
                out.violations.push(Violation::new(
                    place,
                    format!("must be the constant {want}"),
                ));
            }
        }
        ValueSource::EmptyObject | ValueSource::EmptyArray => {
            let ok = match (&binding.source, &got) {
                (ValueSource::EmptyObject, Some(Value::Object(_))) => true,
                (ValueSource::EmptyArray, Some(Value::Array(_))) => true,
                // XML cannot tell an empty container from empty text.
                (_, Some(Value::String(s))) => s.is_empty(),
                _ => false,
            };
            if !ok {
                out.violations.push(Violation::new(
                    place,
                    "must be a container (object or list)",
                ));
            }
        }
        ValueSource::MethodName => {
            if got.as_ref().and_then(text).as_deref() != Some(method.wire.as_str()) {
                out.violations
                    .push(Violation::new(place, format!("must be `{}`", method.wire)));
            }
        }
        ValueSource::Variable(name) => {
            let variable = provider.variables.iter().find(|v| &v.wire == name);
            match got.as_ref().and_then(text) {
                None => out
                    .violations
                    .push(Violation::input(name.as_str(), "is required but missing")),
                Some(value) => {
                    for check in variable.map(|v| v.checks.as_slice()).unwrap_or(&[]) {
                        if let Some(reason) = one_check(check, &value) {
                            out.violations.push(Violation::input(name.as_str(), reason));
                        }
                    }
                    out.values.insert(name.clone(), value);
                }
            }
        }
        ValueSource::SessionKey => match got.as_ref().and_then(text) {
            Some(key) if !key.is_empty() => out.key = Some(key),
            _ => out
                .violations
                .push(Violation::session(place, "must carry the session key")),
        },
        ValueSource::RequestId => {
            out.request_id.clone_from(&got);
            if got
                .as_ref()
                .and_then(text)
                .and_then(|t| t.parse::<u64>().ok())
                .is_none()
            {
                out.violations.push(Violation::input(
                    place,
                    "must be the request id (an integer)",
                ));
            }
        }
        ValueSource::Derived { name, .. } => match got.as_ref().and_then(text) {
            Some(value) => {
                out.values.insert(name.clone(), value);
            }
            None => out
                .violations
                .push(Violation::input(name.as_str(), "is required but missing")),
        },
    }
}

/// Recomputes each derived value from the values sent (and the account's,
/// for inputs that never travel). A mismatch reading an account value is a
/// wrong credential, any other one a violation. Pipelines with a fresh nonce
/// or the time of their own cannot be recomputed and are skipped.
fn check_derived(
    method: &Method,
    derivations: &Derivations,
    account: Option<&Account>,
    out: &mut Checked,
) {
    for binding in &method.bindings {
        let ValueSource::Derived { name, .. } = &binding.source else {
            continue;
        };
        let (Some(pipeline), Some(sent)) =
            (derivations.get(&method.wire, name), out.values.get(name))
        else {
            continue;
        };
        let mut used_account = false;
        let mut missing = false;
        let computed = pipeline.compute(|part| match out.values.get(part) {
            Some(v) if part != name => Some(v.clone()),
            _ => match account.and_then(|a| a.get(part)) {
                Some(v) => {
                    used_account = true;
                    Some(v.to_string())
                }
                None => {
                    missing = true;
                    None
                }
            },
        });
        let fresh = pipeline.parts.iter().any(|p| {
            matches!(
                p,
                loginspec_runtime::__generated::v1::derive::Part::Nonce { .. }
                    | loginspec_runtime::__generated::v1::derive::Part::UnixTime
            )
        });
        match computed {
            Ok(value) if !fresh && &value != sent => {
                if used_account {
                    out.bad_credentials = true;
                } else {
                    out.violations.push(Violation::input(
                        name.as_str(),
                        "is not its declared derivation of the values sent",
                    ));
                }
            }
            Err(_) if !missing => out.violations.push(Violation::input(
                name.as_str(),
                "cannot be recomputed from the values sent",
            )),
            _ => {}
        }
    }
}

/// Nested structs and lists are checked this deep (a deeper value passes).
const MAX_DEPTH: usize = 16;

/// Why `value` is not of type `ty` (text is read as the type for forms and
/// XML): where inside the value (`""`, `/0/sku`), and the reason. The
/// members of a struct are checked as parameters are: each required one
/// there, each of its type, none the type does not have; so are the items
/// of lists and the values of maps.
fn type_error(
    provider: &Provider,
    ty: &Ty,
    value: &Value,
    depth: usize,
) -> Option<(String, String)> {
    let here = |reason: String| Some((String::new(), reason));
    let as_int = || match value {
        Value::Number(n) => n.as_i64().map(i128::from).or(n.as_u64().map(i128::from)),
        Value::String(s) => s.trim().parse::<i128>().ok(),
        _ => None,
    };
    match ty {
        Ty::String | Ty::Timestamp(_) => match value {
            Value::Object(_) | Value::Array(_) => here("must be a scalar".into()),
            _ => None,
        },
        Ty::Any => None,
        Ty::Bool => match value {
            Value::Bool(_) => None,
            Value::String(s) if matches!(s.as_str(), "true" | "false" | "0" | "1") => None,
            Value::Number(n) if n.as_u64().is_some_and(|n| n <= 1) => None,
            _ => here("must be a boolean".into()),
        },
        Ty::Int(int) => match as_int() {
            Some(n) => {
                let (min, max) = int.bounds();
                (n < min || n > max).then(|| (String::new(), format!("must fit in {}", int.name())))
            }
            None => here(format!("must be an integer ({})", int.name())),
        },
        Ty::Float(_) => match value {
            Value::Number(_) => None,
            Value::String(s) if s.trim().parse::<f64>().is_ok() => None,
            _ => here("must be a number".into()),
        },
        Ty::List(inner) => match value {
            Value::Array(items) if depth < MAX_DEPTH => {
                items.iter().enumerate().find_map(|(i, item)| {
                    let (inside, reason) = type_error(provider, inner, item, depth + 1)?;
                    Some((format!("/{i}{inside}"), reason))
                })
            }
            Value::Array(_) => None,
            _ => here("must be a list".into()),
        },
        Ty::Map(inner) => match value {
            Value::Object(members) if depth < MAX_DEPTH => {
                members.iter().find_map(|(key, member)| {
                    let (inside, reason) = type_error(provider, inner, member, depth + 1)?;
                    Some((format!("/{key}{inside}"), reason))
                })
            }
            Value::Object(_) => None,
            _ => here("must be an object".into()),
        },
        Ty::Named(name, kind) => {
            let def = provider.type_def(name);
            match (kind, def) {
                (NamedKind::Flags, _) => as_int()
                    .filter(|n| *n >= 0)
                    .is_none()
                    .then(|| (String::new(), "must be a set of flags (an integer)".into())),
                (NamedKind::Enum, Some(TypeDef::Enum { values })) => {
                    let got = text(value);
                    (!values.iter().any(|v| Some(v.value.to_string()) == got)).then(|| {
                        (
                            String::new(),
                            format!("must be one of the values of {name}"),
                        )
                    })
                }
                (NamedKind::Struct, def) => match (value, def) {
                    (Value::Object(members), Some(TypeDef::Struct { fields, .. }))
                        if depth < MAX_DEPTH =>
                    {
                        struct_error(provider, name, fields, members, depth)
                    }
                    (Value::Object(_), _) => None,
                    _ => here("must be an object".into()),
                },
                _ => None,
            }
        }
    }
}

/// The first member of a struct value that breaks its type `name`.
fn struct_error(
    provider: &Provider,
    name: &str,
    fields: &[Field],
    members: &Map<String, Value>,
    depth: usize,
) -> Option<(String, String)> {
    for field in fields {
        let at = format!("/{}", field.wire);
        match members.get(&field.wire) {
            None | Some(Value::Null) if field.is_optional() => {}
            None | Some(Value::Null) => return Some((at, "is required but missing".into())),
            Some(member) => {
                if let Some((inside, reason)) = type_error(provider, &field.ty, member, depth + 1) {
                    return Some((format!("{at}{inside}"), reason));
                }
            }
        }
    }
    let unknown = members
        .keys()
        .find(|key| !fields.iter().any(|f| &f.wire == *key))?;
    Some((format!("/{unknown}"), format!("is not a field of {name}")))
}

fn check_error(field: &Field, value: &Value) -> Option<String> {
    let text = text(value)?;
    field
        .checks
        .iter()
        .find_map(|check| one_check(check, &text))
}

/// A constraint's verdict, through the runtime's own client-side checks.
fn one_check(check: &Check, value: &str) -> Option<String> {
    use loginspec_runtime::__generated::v1::validate;
    let to_usize = |n: Option<i64>| n.and_then(|n| usize::try_from(n).ok());
    let result = match check {
        Check::Length { min, max } => {
            validate::length("value", value, to_usize(*min), to_usize(*max))
        }
        Check::Range { min, max, clamp } => match value.trim().parse::<i128>() {
            // A clamped maximum is the client's to apply; the server accepts more.
            Ok(n) => validate::range(
                "value",
                n,
                min.map(i128::from),
                max.filter(|_| !clamp).map(i128::from),
            ),
            Err(_) => return Some("must be an integer".into()),
        },
        Check::Pattern(pattern) => validate::pattern("value", value, crate::leak(pattern)),
        Check::HexBytes(bytes) => validate::hex_bytes("value", value, *bytes as usize),
    };
    result.err().map(|e| e.reason)
}

/// Members of the body document, or query parameters, that no binding places.
fn unknown_members(method: &Method, document: &Value, rx: &Received, out: &mut Vec<Violation>) {
    let pointers: Vec<&str> = method
        .bindings
        .iter()
        .filter_map(|b| match &b.location {
            Location::Body(pointer) => Some(pointer.as_str()),
            _ => None,
        })
        .collect();
    walk(document, "", &pointers, out);
    for (name, _) in &rx.query {
        let bound = method
            .bindings
            .iter()
            .any(|b| matches!(&b.location, Location::Query(n) if n == name));
        if !bound {
            out.push(Violation::new(
                name.as_str(),
                "is not a parameter of the method",
            ));
        }
    }
}

fn walk(value: &Value, at: &str, pointers: &[&str], out: &mut Vec<Violation>) {
    // A container binding (`params={}`) with members bound below it is walked.
    let below = format!("{at}/");
    if pointers.contains(&at) && !pointers.iter().any(|p| p.starts_with(&below)) {
        return;
    }
    let Value::Object(members) = value else {
        return;
    };
    walk_members(members, at, pointers, out);
}

fn walk_members(
    members: &Map<String, Value>,
    at: &str,
    pointers: &[&str],
    out: &mut Vec<Violation>,
) {
    for (name, value) in members {
        let pointer = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
        let inside = pointers
            .iter()
            .any(|p| *p == pointer || p.starts_with(&format!("{pointer}/")));
        if inside {
            walk(value, &pointer, pointers, out);
        } else {
            out.push(Violation::new(
                name.as_str(),
                "is not a member the method sends",
            ));
        }
    }
}
