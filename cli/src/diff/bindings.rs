//! How requests are built: the provider's protocol settings and each
//! method's bindings.
//!
//! A change here leaves the Rust API as it is, so most would be patches.
//! Those that change the *shape* of the request are breaking: a server that
//! understood the old calls cannot understand the new ones, whatever the
//! names (a value in another place or no longer sent, another HTTP method,
//! body encoding or parameter layout, a member sent as JSON text or not, a
//! derived value computed otherwise, the session key carried elsewhere, a
//! handshake the client no longer follows). A corrected name, path or code
//! stays a patch, as does anything that only changes how answers are read.

use super::compare::Changes;
use super::*;
use loginspec_codegen::model::{Encoding, Location, Verb};

/// The provider's protocol settings, compared one by one.
pub(super) fn protocol(out: &mut Changes, a: &Provider, b: &Provider) {
    let (x, y) = (&a.protocol, &b.protocol);
    if x.encodings.first() != y.encodings.first() {
        out.push(
            Class::Breaking,
            "encoding_changed",
            format!(
                "the default body encoding changed from {} to {}: a server reads one format",
                encoding(x.encodings.first()),
                encoding(y.encodings.first())
            ),
        );
    }
    for e in x.encodings.iter().filter(|e| !y.encodings.contains(e)) {
        out.push(
            Class::Breaking,
            "encoding_removed",
            format!(
                "encoding {} removed: a client built with it is refused",
                encoding(Some(e))
            ),
        );
    }
    for e in y.encodings.iter().filter(|e| !x.encodings.contains(e)) {
        out.push(
            Class::Additive,
            "encoding_added",
            format!("encoding {} added", encoding(Some(e))),
        );
    }
    match (&x.handshake, &y.handshake) {
        (None, Some((status, header))) => out.push(
            Class::Patch,
            "handshake_added",
            format!("a session-id handshake ({status} with `{header}`) is followed; a server without one never asks for it"),
        ),
        (Some(_), None) => out.push(
            Class::Breaking,
            "handshake_removed",
            "the session-id handshake is no longer followed: a server that demands it refuses every call".into(),
        ),
        (Some(old), Some(new)) if old != new => out.push(
            Class::Breaking,
            "handshake_changed",
            format!(
                "the session-id handshake changed from {} with `{}` to {} with `{}`",
                old.0, old.1, new.0, new.1
            ),
        ),
        _ => {}
    }
    if x.request_id_check != y.request_id_check {
        out.push(
            Class::Patch,
            "request_id_check_changed",
            format!(
                "answers are checked for the request id at {} instead of {}",
                pointer(y.request_id_check.as_deref()),
                pointer(x.request_id_check.as_deref())
            ),
        );
    }
}

/// Whether the settings left to `protocol_changed` differ.
pub(super) fn protocol_rest_changed(a: &Provider, b: &Provider) -> bool {
    a.protocol.xml_root != b.protocol.xml_root
        || a.protocol.soap_namespace != b.protocol.soap_namespace
}

/// Where the session key goes; the other session rules are compared in `session_rules`.
pub(super) fn carry(out: &mut Changes, a: &Session, b: &Session) {
    if a.carry != b.carry {
        out.push(
            Class::Breaking,
            "session_carry_changed",
            format!(
                "the session key moved from {} to {}: a server looks for it where it was",
                place(&a.carry),
                place(&b.carry)
            ),
        );
    }
}

/// A change of one method's request shape: (class, kind, message).
pub(super) type Shape = (Class, &'static str, String);

/// The changes to how `a`'s requests are built, in a stable order.
pub(super) fn request_shape(a: &Method, b: &Method) -> Vec<Shape> {
    let mut out: Vec<Shape> = Vec::new();
    if a.verb != b.verb {
        out.push((
            Class::Breaking,
            "verb_changed",
            format!(
                "HTTP method changed from {} to {}: on one path they are different operations",
                verb(a.verb),
                verb(b.verb)
            ),
        ));
    }
    if a.encoding != b.encoding {
        out.push((
            Class::Breaking,
            "method_encoding_changed",
            format!(
                "the body encoding changed from {} to {}: a server parses one of them",
                a.encoding
                    .as_ref()
                    .map_or("the client's".into(), |e| encoding(Some(e))),
                b.encoding
                    .as_ref()
                    .map_or("the client's".into(), |e| encoding(Some(e)))
            ),
        ));
    }
    if a.json_strings != b.json_strings {
        out.push((
            Class::Breaking,
            "json_string_changed",
            format!(
                "the members sent as JSON text changed from [{}] to [{}]: a server parses either text or a document",
                a.json_strings.join(", "),
                b.json_strings.join(", ")
            ),
        ));
    }
    if containers(a) != containers(b) {
        out.push((
            Class::Breaking,
            "params_layout_changed",
            format!(
                "the parameters' container changed from {} to {} (`params_at` or `positional`)",
                describe(&containers(a)),
                describe(&containers(b))
            ),
        ));
    }
    for (xs, ys) in sources(a, b) {
        match (xs.first(), ys.first()) {
            (Some(_), Some(y)) if places(&xs) != places(&ys) => out.push((
                Class::Breaking,
                moved_kind(&y.source),
                format!(
                    "{} moved from {} to {}: a server reads it where it was",
                    what(&y.source),
                    places(&xs).join(" and "),
                    places(&ys).join(" and ")
                ),
            )),
            (Some(x), Some(y)) => {
                if let (
                    ValueSource::Derived { pipeline: p, .. },
                    ValueSource::Derived { pipeline: q, .. },
                ) = (&x.source, &y.source)
                {
                    if p != q {
                        out.push((
                            Class::Breaking,
                            "derived_changed",
                            format!(
                                "{} is computed differently: a server checks it the old way",
                                what(&y.source)
                            ),
                        ));
                    }
                }
            }
            (Some(x), None) => out.extend(gone(b, x)),
            (None, Some(y)) => out.extend(came(a, y)),
            (None, None) => {}
        }
    }
    out
}

/// A value the old method sent and the new one `b` does not.
fn gone(b: &Method, x: &Binding) -> Option<Shape> {
    Some(match &x.source {
        ValueSource::Param(n) if b.params.iter().any(|f| f.wire == *n) => (
            Class::Breaking,
            "param_no_longer_sent",
            format!("parameter `{n}` is no longer sent (`in: none`): a server that needs it misses it"),
        ),
        ValueSource::Derived { name, .. } => (
            Class::Breaking,
            "derived_removed",
            format!("derived value `{name}` is no longer sent"),
        ),
        ValueSource::RequestId => (
            Class::Breaking,
            "request_id_removed",
            "the request id is no longer sent: a JSON-RPC 2.0 server does not answer a call without one".into(),
        ),
        ValueSource::MethodName => (
            Class::Breaking,
            "method_name_location_changed",
            "the method name is no longer sent: a server routes by it".into(),
        ),
        // A removed parameter or variable is reported with the Rust API.
        _ => return None,
    })
}

/// A value the new method sends and the old one `a` did not.
fn came(a: &Method, y: &Binding) -> Option<Shape> {
    Some(match &y.source {
        ValueSource::Param(n) if a.params.iter().any(|f| f.wire == *n) => (
            Class::Breaking,
            "param_now_sent",
            format!("parameter `{n}`, an input only before (`in: none`), is now sent"),
        ),
        ValueSource::Derived { name, .. } => (
            Class::Breaking,
            "derived_added",
            format!("derived value `{name}` is now sent, computed at send time"),
        ),
        ValueSource::RequestId => (
            Class::Patch,
            "request_id_added",
            "a request id (a counter per client) is sent with every call".into(),
        ),
        ValueSource::MethodName => (
            Class::Breaking,
            "method_name_location_changed",
            "the method name is now sent: a server that routes by path sees a new member".into(),
        ),
        _ => return None,
    })
}

fn moved_kind(source: &ValueSource) -> &'static str {
    match source {
        ValueSource::Variable(_) => "variable_location_changed",
        ValueSource::MethodName => "method_name_location_changed",
        ValueSource::RequestId => "request_id_location_changed",
        _ => "param_location_changed",
    }
}

/// The bindings of both methods grouped by what they send: parameters and
/// derived values by wire name, variables by name, the method name and the
/// request id; a value bound at several places (`also`) has all of them.
/// Constants, containers and the session key are compared elsewhere.
type Places<'a> = Vec<&'a Binding>;

fn sources<'a>(a: &'a Method, b: &'a Method) -> Vec<(Places<'a>, Places<'a>)> {
    let id = |s: &ValueSource| -> Option<String> {
        Some(match s {
            ValueSource::Param(n) | ValueSource::Derived { name: n, .. } => format!("p {n}"),
            ValueSource::Variable(n) => format!("v {n}"),
            ValueSource::MethodName => "method".into(),
            ValueSource::RequestId => "id".into(),
            _ => return None,
        })
    };
    let of = |m: &'a Method, k: &str| -> Places<'a> {
        m.bindings
            .iter()
            .filter(|x| id(&x.source).as_deref() == Some(k))
            .collect()
    };
    let mut keys: Vec<String> = Vec::new();
    for x in a.bindings.iter().chain(&b.bindings) {
        if let Some(k) = id(&x.source).filter(|k| !keys.contains(k)) {
            keys.push(k);
        }
    }
    let mut out: Vec<_> = keys.iter().map(|k| (of(a, k), of(b, k))).collect();
    // A plain parameter turned derived (or back) is a new kind of value, not a move.
    out.retain(|(xs, ys)| match (xs.first(), ys.first()) {
        (Some(x), Some(y)) => {
            let derived = |b: &Binding| matches!(b.source, ValueSource::Derived { .. });
            derived(x) == derived(y) || places(xs) != places(ys)
        }
        _ => true,
    });
    out
}

/// Where a value is sent, place by place.
fn places(bindings: &[&Binding]) -> Vec<String> {
    bindings.iter().map(|b| place(&b.location)).collect()
}

/// The empty containers a method always writes (`{}` or `[]` at `params_at`).
fn containers(m: &Method) -> Vec<(String, bool)> {
    m.bindings
        .iter()
        .filter_map(|b| match (&b.source, &b.location) {
            (ValueSource::EmptyObject, Location::Body(at)) => Some((at.clone(), false)),
            (ValueSource::EmptyArray, Location::Body(at)) => Some((at.clone(), true)),
            _ => None,
        })
        .collect()
}

fn describe(containers: &[(String, bool)]) -> String {
    match containers {
        [] => "none".into(),
        _ => containers
            .iter()
            .map(|(at, array)| {
                format!(
                    "{} at `{at}`",
                    if *array {
                        "a positional array"
                    } else {
                        "named members"
                    }
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn what(source: &ValueSource) -> String {
    match source {
        ValueSource::Param(n) => format!("parameter `{n}`"),
        ValueSource::Derived { name, .. } => format!("derived value `{name}`"),
        ValueSource::Variable(n) => format!("variable `{n}`"),
        ValueSource::MethodName => "the method name".into(),
        ValueSource::RequestId => "the request id".into(),
        _ => "a value".into(),
    }
}

/// A location as a spec writes it.
pub(super) fn place(location: &Location) -> String {
    match location {
        Location::Body(at) => format!("the body at `{at}`"),
        Location::Query(n) => format!("the query parameter `{n}`"),
        Location::Path(n) => format!("the path placeholder `{{{n}}}`"),
        Location::Header { name, template } if template == "{value}" => {
            format!("the header `{name}`")
        }
        Location::Header { name, template } => format!("the header `{name}: {template}`"),
        Location::Cookie(n) => format!("the cookie `{n}`"),
        Location::BasicUser => "the Basic user name".into(),
        Location::BasicPassword => "the Basic password".into(),
    }
}

fn verb(v: Verb) -> &'static str {
    match v {
        Verb::Get => "GET",
        Verb::Post => "POST",
        Verb::Put => "PUT",
        Verb::Patch => "PATCH",
        Verb::Delete => "DELETE",
    }
}

fn encoding(e: Option<&Encoding>) -> String {
    e.map_or("none".into(), |e| format!("`{e:?}`").to_lowercase())
}

fn pointer(p: Option<&str>) -> String {
    p.map_or("no pointer (unchecked)".into(), |p| format!("`{p}`"))
}
