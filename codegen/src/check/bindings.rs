//! Rules for where values go: one location per parameter, variable,
//! constant, method name and session key, and the method's whole list of
//! bindings (no two values in one place, Basic in pairs, path placeholders
//! filled, body values only where a body is written).

use super::wire::{check_pointer, check_xml_name};
use super::At;
use crate::diag::Ctxt;
use crate::model::*;

/// Values of `in`.
pub const LOCATIONS: &[&str] = &[
    "body",
    "query",
    "path",
    "header",
    "cookie",
    "basic_user",
    "basic_password",
];

/// Values of `in` on a method parameter: a location, or `none` (an input
/// of derived values only).
pub const PARAM_LOCATIONS: &[&str] = &[
    "body",
    "query",
    "path",
    "header",
    "cookie",
    "basic_user",
    "basic_password",
    "none",
];

/// A location as written, before the method's `params_at` is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Place {
    Fixed(Location),
    /// A body member of this name under the method's `params_at`.
    Member(String),
}

/// The location keys of one entry.
#[derive(Default, Clone, Copy)]
pub(super) struct Keys<'s> {
    pub in_: Option<&'s str>,
    pub at: Option<&'s str>,
    pub name: Option<&'s str>,
    pub template: Option<&'s str>,
}

/// Reads the location keys at `at`; `default_name` is the wire name when
/// `name` is absent (parameters, variables, constants).
pub(super) fn place(
    at: &At,
    keys: Keys,
    default_name: Option<&str>,
    cx: &mut Ctxt,
) -> Option<Place> {
    let kind = keys.in_.unwrap_or("body");
    if !LOCATIONS.contains(&kind) {
        at.key("in").error_hint(
            cx,
            format!("unknown location `in: {kind}`"),
            format!("use one of: {}", LOCATIONS.join(", ")),
        );
        return None;
    }
    if keys.at.is_some() && kind != "body" {
        at.key("at").error_hint(
            cx,
            format!("`at` places a value in the body, but this one goes `in: {kind}`"),
            "remove `at`, or write `in: body`",
        );
        return None;
    }
    if keys.template.is_some() && kind != "header" {
        at.key("template").error_hint(
            cx,
            format!("`template` applies to headers, but this value goes `in: {kind}`"),
            "remove `template`, or write `in: header`",
        );
        return None;
    }
    let name = keys.name.or(default_name);
    let named = |cx: &mut Ctxt| -> Option<String> {
        match name {
            Some(n) if !n.trim().is_empty() => Some(n.to_string()),
            _ => {
                at.key("name").error_hint(
                    cx,
                    format!("a value `in: {kind}` needs a name"),
                    "write the wire name with `name: …`",
                );
                None
            }
        }
    };
    let location = match kind {
        "body" => {
            if let Some(pointer) = keys.at {
                if !pointer.starts_with('/') {
                    at.key("at").error_hint(
                        cx,
                        format!("body pointer `{pointer}` does not start with `/`"),
                        "write an absolute JSON pointer such as `/params/user`",
                    );
                    return None;
                }
                let before = cx.error_count();
                check_pointer(&at.key("at"), pointer, cx);
                if cx.error_count() > before {
                    return None;
                }
                return Some(Place::Fixed(Location::Body(pointer.to_string())));
            }
            return named(cx).map(Place::Member);
        }
        "query" => Location::Query(named(cx)?),
        "path" => Location::Path(named(cx)?),
        "cookie" => {
            let n = named(cx)?;
            token(&at.key("name"), "cookie", &n, cx)?;
            Location::Cookie(n)
        }
        "header" => {
            let n = named(cx)?;
            token(&at.key("name"), "header", &n, cx)?;
            let template = keys.template.unwrap_or("{value}");
            check_template(&at.key("template"), template, cx)?;
            Location::Header {
                name: n,
                template: template.to_string(),
            }
        }
        "basic_user" => Location::BasicUser,
        _ => Location::BasicPassword,
    };
    Some(Place::Fixed(location))
}

/// The extra places of an `also` list (one value in several places): each
/// entry is a location read as `place` reads one, its `name` defaulting to
/// the value's wire name. Entries that are broken are reported and left out.
pub(super) fn also_places<'a>(
    at: &At<'a>,
    also: &[crate::spec::LocationSpec],
    default_name: Option<&str>,
    cx: &mut Ctxt,
) -> Vec<(Place, At<'a>)> {
    let mut out = Vec::new();
    for (i, l) in also.iter().enumerate() {
        let at_l = at.key("also").index(i);
        let keys = Keys {
            in_: l.in_.as_deref(),
            at: l.at.as_deref(),
            name: l.name.as_deref(),
            template: l.template.as_deref(),
        };
        if let Some(p) = place(&at_l, keys, default_name, cx) {
            out.push((p, at_l));
        }
    }
    out
}

/// Header and cookie names are HTTP tokens (RFC 9110 §5.6.2).
pub(super) fn token(at: &At, what: &str, name: &str, cx: &mut Ctxt) -> Option<()> {
    let ok = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if ok && !name.is_empty() {
        return Some(());
    }
    at.error_hint(
        cx,
        format!(
            "{what} name `{}` is not an HTTP token",
            name.escape_default()
        ),
        "names hold only letters, digits and `!#$%&'*+-.^_`|~` (no spaces, `:` or line breaks)",
    );
    None
}

fn check_template(at: &At, template: &str, cx: &mut Ctxt) -> Option<()> {
    if template.matches("{value}").count() != 1 {
        at.error_hint(
            cx,
            format!(
                "header template `{}` must hold `{{value}}` exactly once",
                template.escape_default()
            ),
            "e.g. `Bearer {value}`",
        );
        return None;
    }
    if let Some(c) = template.chars().find(|c| matches!(c, '\r' | '\n' | '\0')) {
        at.error_hint(
            cx,
            format!("header template holds `{}`", c.escape_default()),
            "a header is one line: remove line breaks and NUL",
        );
        return None;
    }
    Some(())
}

/// Joins a member name to a body pointer, escaped as RFC 6901 says.
pub(super) fn member(base: &str, name: &str) -> String {
    format!("{base}/{}", name.replace('~', "~0").replace('/', "~1"))
}

/// The steps of a pointer, unescaped.
fn steps(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape).collect()
}

/// Whether `outer` names `inner` or a container on the way to it.
/// Steps are compared as written and unescaped only when they differ: every
/// method compares each binding with all before it, so this must not allocate.
fn contains(outer: &str, inner: &str) -> bool {
    let mut inner_steps = inner.split('/').skip(1);
    outer
        .split('/')
        .skip(1)
        .all(|o| inner_steps.next().is_some_and(|i| same_step(o, i)))
}

/// Whether two steps, as written in pointers, name the same member.
fn same_step(a: &str, b: &str) -> bool {
    a == b || ((a.contains('~') || b.contains('~')) && unescape(a) == unescape(b))
}

fn unescape(step: &str) -> String {
    step.replace("~1", "/").replace("~0", "~")
}

/// What a binding sends, for messages.
fn describe(source: &ValueSource) -> String {
    match source {
        ValueSource::Param(n) => format!("parameter `{n}`"),
        ValueSource::Constant(_) => "a constant".into(),
        ValueSource::EmptyObject | ValueSource::EmptyArray => "the parameters' container".into(),
        ValueSource::MethodName => "the method name".into(),
        ValueSource::Variable(n) => format!("variable `{n}`"),
        ValueSource::SessionKey => "the session key".into(),
        ValueSource::RequestId => "the request id".into(),
        ValueSource::Derived { name, .. } => format!("derived parameter `{name}`"),
    }
}

fn where_(location: &Location) -> String {
    match location {
        Location::Body(p) if p.is_empty() => "the whole body".into(),
        Location::Body(p) => format!("body `{p}`"),
        Location::Query(n) => format!("query parameter `{n}`"),
        Location::Path(n) => format!("path placeholder `{{{n}}}`"),
        Location::Header { name, .. } => format!("header `{name}`"),
        Location::Cookie(n) => format!("cookie `{n}`"),
        Location::BasicUser => "the Basic user".into(),
        Location::BasicPassword => "the Basic password".into(),
    }
}

/// Whether `inner` is a named member of the array `outer` (positional
/// parameters hold positions, not names).
fn named_in_array(source: &ValueSource, outer: &str, inner: &str) -> bool {
    let next = steps(inner).into_iter().nth(steps(outer).len());
    *source == ValueSource::EmptyArray
        && next.is_some_and(|step| step.is_empty() || !step.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `b` cannot go where `a` already goes.
fn clash(a: &Binding, b: &Binding, query_encoding: bool) -> bool {
    let container =
        |s: &ValueSource| matches!(s, ValueSource::EmptyObject | ValueSource::EmptyArray);
    match (&a.location, &b.location) {
        (Location::Body(x), Location::Body(y)) => {
            x == y
                || (contains(x, y) && (!container(&a.source) || named_in_array(&a.source, x, y)))
                || (contains(y, x) && (!container(&b.source) || named_in_array(&b.source, y, x)))
        }
        (Location::Header { name: x, .. }, Location::Header { name: y, .. }) => {
            x.eq_ignore_ascii_case(y)
        }
        (Location::Query(x), Location::Query(y))
        | (Location::Path(x), Location::Path(y))
        | (Location::Cookie(x), Location::Cookie(y)) => x == y,
        // The query encoding writes top-level body members into the query string.
        (Location::Body(p), Location::Query(q)) | (Location::Query(q), Location::Body(p)) => {
            query_encoding && p.split('/').nth(1).is_some_and(|step| unescape(step) == *q)
        }
        (Location::BasicUser, Location::BasicUser)
        | (Location::BasicPassword, Location::BasicPassword) => true,
        _ => false,
    }
}

/// What a method's bindings are checked against.
pub(super) struct Frame<'f> {
    pub protocol: &'f Protocol,
    pub json_strings: &'f [String],
    /// Placeholders of the method's path.
    pub placeholders: &'f [String],
    /// Types of the parameters, by wire name.
    pub params: &'f [Field],
}

/// Checks `b` (at `at_b`) against the bindings before it; reports at `at_b`.
pub(super) fn check_one(
    frame: &Frame,
    earlier: &[&Binding],
    b: &Binding,
    at_b: &At,
    cx: &mut Ctxt,
) -> bool {
    if !check_place(earlier, b, at_b, frame, cx) {
        return false;
    }
    check_value(frame, b, at_b, cx)
}

/// Reports `b` when it goes where an earlier binding already goes.
pub(super) fn check_place(
    earlier: &[&Binding],
    b: &Binding,
    at_b: &At,
    frame: &Frame,
    cx: &mut Ctxt,
) -> bool {
    let query_encoding = frame.protocol.encodings.contains(&Encoding::Query);
    if let Some(a) = earlier.iter().find(|a| clash(a, b, query_encoding)) {
        at_b.error_hint(
            cx,
            format!(
                "{} goes to {}, where {} already goes ({})",
                describe(&b.source),
                where_(&b.location),
                describe(&a.source),
                where_(&a.location)
            ),
            "give each value its own place: another name or `at`",
        );
        return false;
    }
    true
}

/// What a value may be where it goes.
fn check_value(frame: &Frame, b: &Binding, at_b: &At, cx: &mut Ctxt) -> bool {
    let mut ok = true;
    match &b.location {
        Location::Body(pointer) => {
            let container = matches!(b.source, ValueSource::EmptyObject | ValueSource::EmptyArray);
            if frame.protocol.encodings.contains(&Encoding::None) && !container {
                at_b.error_hint(
                    cx,
                    format!(
                        "{} goes into the body, but the encodings include `none`",
                        describe(&b.source)
                    ),
                    "send it `in: query`, `header` or `cookie`, or drop `none` from `encodings`",
                );
                ok = false;
            }
            if frame.protocol.reads_xml() {
                // Members inside a JSON-text member are JSON, not elements.
                let inside_json = frame
                    .json_strings
                    .iter()
                    .any(|j| contains(j, pointer) && j != pointer);
                if !inside_json {
                    for step in steps(pointer) {
                        ok &= check_xml_name(at_b, "body member", &step, cx);
                    }
                }
            }
        }
        Location::Path(name) if !frame.placeholders.contains(name) => {
            at_b.error_hint(
                cx,
                format!(
                    "{} goes to the path placeholder `{{{name}}}`, which the method's path lacks",
                    describe(&b.source)
                ),
                format!("write `{{{name}}}` into the method's `path`"),
            );
            ok = false;
        }
        Location::BasicUser | Location::BasicPassword => {
            let text = match &b.source {
                ValueSource::Param(n) => frame
                    .params
                    .iter()
                    .find(|p| &p.wire == n)
                    .is_none_or(|p| p.ty == Ty::String),
                ValueSource::Constant(l) => matches!(l, Literal::Str(_)),
                ValueSource::EmptyObject | ValueSource::EmptyArray => false,
                _ => true,
            };
            if !text {
                at_b.error_hint(
                    cx,
                    format!(
                        "{} is not text, so it cannot be a Basic credential",
                        describe(&b.source)
                    ),
                    "Basic credentials are strings: use a `string` (or secret) value",
                );
                ok = false;
            }
        }
        Location::Header { name, template } => {
            if let ValueSource::Constant(Literal::Str(s)) = &b.source {
                let quoted = template.contains('"');
                if let Some(c) = s.chars().find(|c| c.is_control() || (quoted && *c == '"')) {
                    let hint = if quoted {
                        "header values are one line of text; remove line breaks, control characters and `\"` (the value is sent inside quotes)"
                    } else {
                        "header values are one line of text; remove line breaks and control characters"
                    };
                    at_b.error_hint(
                        cx,
                        format!("the `{name}` header value holds `{}`, which cannot be sent in an HTTP header as written", c.escape_default()),
                        hint,
                    );
                    ok = false;
                }
            }
        }
        _ => {}
    }
    ok
}

/// Checks a method's whole list: each of its own bindings (from `own_from`
/// on; the provider's are checked once, by the provider) against those
/// before it, then what only the whole shows (Basic halves in pairs,
/// placeholders all filled, by the list or by the session key's `keys`).
pub(super) fn check_all(
    frame: &Frame,
    list: &[(Binding, At)],
    own_from: usize,
    keys: &[Binding],
    at_path: &At,
    cx: &mut Ctxt,
) {
    for (i, (b, at_b)) in list.iter().enumerate().skip(own_from) {
        let earlier: Vec<&Binding> = list[..i].iter().map(|(b, _)| b).collect();
        check_one(frame, &earlier, b, at_b, cx);
    }
    let has = |l: &Location| list.iter().any(|(b, _)| &b.location == l);
    for (given, missing, name) in [
        (
            Location::BasicUser,
            Location::BasicPassword,
            "basic_password",
        ),
        (Location::BasicPassword, Location::BasicUser, "basic_user"),
    ] {
        if has(&given) && !has(&missing) {
            if let Some((_, at_b)) = list.iter().find(|(b, _)| b.location == given) {
                at_b.error_hint(
                    cx,
                    "HTTP Basic needs both halves, and only one is given",
                    format!("add a value `in: {name}`"),
                );
            }
        }
    }
    let filled = |p: &String| {
        let l = Location::Path(p.clone());
        has(&l) || keys.iter().any(|k| k.location == l)
    };
    for p in frame.placeholders {
        if !filled(p) {
            at_path.error_hint(
                cx,
                format!("path placeholder `{{{p}}}` is filled by no parameter"),
                format!("add a parameter `{p}` with `in: path`, or remove the placeholder"),
            );
        }
    }
}
