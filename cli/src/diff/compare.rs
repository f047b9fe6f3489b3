//! The comparison itself: providers, methods, sessions and parameters.

use super::bindings::{self, Shape};
use super::members::*;
use super::*;

/// Every change from `old` to `new`, providers and methods in name order.
pub fn compare(old: &Model, new: &Model) -> Vec<Change> {
    let mut out = Changes::default();
    let olds: BTreeMap<&str, &Provider> =
        old.providers.iter().map(|p| (p.name.as_str(), p)).collect();
    let news: BTreeMap<&str, &Provider> =
        new.providers.iter().map(|p| (p.name.as_str(), p)).collect();
    let names: std::collections::BTreeSet<&str> = olds.keys().chain(news.keys()).copied().collect();
    for name in names {
        out.provider = name.to_string();
        out.method = None;
        match (olds.get(name), news.get(name)) {
            (Some(_), None) => out.push(
                Class::Breaking,
                "provider_removed",
                format!("provider module `{name}` removed"),
            ),
            (None, Some(_)) => out.push(
                Class::Additive,
                "provider_added",
                format!("provider module `{name}` added"),
            ),
            (Some(a), Some(b)) => provider(&mut out, a, b),
            (None, None) => {}
        }
    }
    out.changes
}

/// Collects changes, remembering where they are.
#[derive(Default)]
pub(super) struct Changes {
    pub(super) provider: String,
    pub(super) method: Option<String>,
    pub(super) changes: Vec<Change>,
    /// The provider's wire changed for every method: reported once, not per method.
    pub(super) provider_wide_wire: bool,
    /// Request shape changes every method has: reported once, for the provider.
    pub(super) provider_wide_shape: Vec<Shape>,
    /// The shared types of the old and the new provider.
    pub(super) types: [Vec<NamedType>; 2],
}

impl Changes {
    pub(super) fn push(&mut self, class: Class, kind: &'static str, message: String) {
        self.changes.push(Change {
            class,
            kind,
            provider: self.provider.clone(),
            method: self.method.clone(),
            message,
        });
    }
}

pub(super) fn provider(out: &mut Changes, a: &Provider, b: &Provider) {
    if a.base_url != b.base_url {
        out.push(
            Class::Patch,
            "base_url_changed",
            format!(
                "default base URL changed from `{}` to `{}`",
                a.base_url, b.base_url
            ),
        );
    }
    // Variables are the arguments of `Client::new`, in order.
    let args = |p: &Provider| {
        p.variables
            .iter()
            .map(|v| v.rust.clone())
            .collect::<Vec<_>>()
    };
    if args(a) != args(b) {
        out.push(
            Class::Breaking,
            "client_arguments_changed",
            format!(
                "`Client::new` takes ({}) instead of ({})",
                args(b).join(", "),
                args(a).join(", ")
            ),
        );
    }
    // The model's protocol types have no PartialEq; their Debug text holds
    // every setting, so it serves for "anything changed". A provider-wide
    // answer setting (payload, error rules) lives in every method's table:
    // changed in all of them, it is one protocol change.
    let methods_wire: Vec<(&Method, &Method)> = a
        .methods
        .iter()
        .filter_map(|x| b.methods.iter().find(|y| y.wire == x.wire).map(|y| (x, y)))
        .collect();
    let all_wire = !methods_wire.is_empty() && methods_wire.iter().all(|(x, y)| wire_changed(x, y));
    out.provider_wide_wire = all_wire;
    if bindings::protocol_rest_changed(a, b) || all_wire {
        out.push(
            Class::Patch,
            "protocol_changed",
            "wire protocol changed (XML names, payload or error rules)".into(),
        );
    }
    bindings::protocol(out, a, b);
    out.types = [a.types.clone(), b.types.clone()];
    named_types(
        out,
        &a.types,
        &b.types,
        &types_in_params(&a.types, &a.methods),
    );
    errors(out, "provider-wide error", &a.errors, &b.errors);
    session(out, a, b);

    let pairs = pair_up(
        &a.methods,
        &b.methods,
        |m| m.wire.clone(),
        |m| m.rust.clone(),
    );
    // A provider-wide setting (`request.http`, a variable's place) changes
    // every method the same way: one report instead of one per method.
    let shapes: Vec<Vec<Shape>> = pairs
        .iter()
        .filter_map(|p| match p {
            Pair::Both(x, y) => Some(bindings::request_shape(x, y)),
            _ => None,
        })
        .collect();
    out.provider_wide_shape = match shapes.split_first() {
        Some((first, rest)) if !rest.is_empty() => first
            .iter()
            .filter(|c| rest.iter().all(|s| s.contains(c)))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    for (class, kind, message) in out.provider_wide_shape.clone() {
        out.push(class, kind, message);
    }
    for item in pairs {
        match item {
            Pair::Removed(m) => {
                out.method = Some(m.rust.clone());
                out.push(
                    Class::Breaking,
                    "method_removed",
                    format!("method `{}` (`{}`) removed", m.rust, m.wire),
                );
            }
            Pair::Added(m) => {
                out.method = Some(m.rust.clone());
                out.push(
                    Class::Additive,
                    "method_added",
                    format!("method `{}` (`{}`) added", m.rust, m.wire),
                );
            }
            Pair::Both(x, y) => {
                out.method = Some(y.rust.clone());
                method(out, x, y);
                method_errors(out, (x, &a.errors), (y, &b.errors));
            }
        }
    }
    out.method = None;
}

/// Whether how a method's answer is read changed (the request's shape is
/// compared in `bindings`, the answer's Rust type in `method`).
pub(super) fn wire_changed(a: &Method, b: &Method) -> bool {
    a.payload != b.payload || a.error_rules != b.error_rules || a.header_fields != b.header_fields
}

pub(super) fn method(out: &mut Changes, a: &Method, b: &Method) {
    if a.rust != b.rust {
        out.push(
            Class::Breaking,
            "method_renamed",
            format!(
                "method `{}` renamed to `{}` (wire name `{}`)",
                a.rust, b.rust, b.wire
            ),
        );
    } else if a.wire != b.wire {
        out.push(
            Class::Patch,
            "method_wire_renamed",
            format!("wire name changed from `{}` to `{}`", a.wire, b.wire),
        );
    }
    if a.path != b.path && a.wire == b.wire {
        out.push(
            Class::Patch,
            "method_path_changed",
            format!("path changed from `{}` to `{}`", a.path, b.path),
        );
    }
    let constants = |m: &Method| -> Vec<Binding> {
        m.bindings
            .iter()
            .filter(|b| matches!(b.source, ValueSource::Constant(_)))
            .cloned()
            .collect()
    };
    if constants(a) != constants(b) {
        out.push(
            Class::Patch,
            "constants_changed",
            "the constant fields sent on every call changed".into(),
        );
    }
    for shape in bindings::request_shape(a, b) {
        if !out.provider_wide_shape.contains(&shape) {
            out.push(shape.0, shape.1, shape.2);
        }
    }
    if wire_changed(a, b) && !out.provider_wide_wire {
        out.push(
            Class::Patch,
            "wire_changed",
            "how the answer is read changed (payload pointer, header or document fields, or error rules)".into(),
        );
    }
    if a.answer != b.answer {
        out.push(
            Class::Breaking,
            "response_type_changed",
            format!(
                "the response changed from {} to {}: `{}Response` is another type",
                answer(&a.answer),
                answer(&b.answer),
                b.type_prefix
            ),
        );
    }
    if a.session != b.session {
        let uses = |m: &Method| m.session != MethodSession::None;
        let (class, kind, message) = match (uses(a), uses(b)) {
            (false, true) => (
                Class::Breaking,
                "method_session_added",
                "now carries the session key: the `Client` method takes it as its first argument".to_string(),
            ),
            (true, false) => (
                Class::Breaking,
                "method_session_removed",
                "no longer carries the session key: the `Client` method drops that argument and `Session` loses the method".to_string(),
            ),
            _ => (
                Class::Patch,
                "method_session_changed",
                format!("session use changed from {:?} to {:?}", a.session, b.session),
            ),
        };
        out.push(class, kind, message);
    }
    let derived = |m: &Method| -> Vec<String> {
        m.bindings
            .iter()
            .filter_map(|b| match &b.source {
                ValueSource::Derived { name, .. } => Some(name.clone()),
                _ => None,
            })
            .collect()
    };
    params(out, &a.params, &b.params, [&derived(a), &derived(b)]);
    let [old_types, new_types] = std::mem::take(&mut out.types);
    comparable(
        out,
        &format!("`{}Request`", b.type_prefix),
        Comparable::of_fields(&old_types, &a.params),
        Comparable::of_fields(&new_types, &b.params),
    );
    // Another kind of answer is one change, not its fields one by one.
    if a.answer == b.answer {
        fields(
            out,
            "response field",
            &a.response.def,
            &b.response.def,
            false,
        );
        if let (TypeDef::Struct { fields: f1, .. }, TypeDef::Struct { fields: f2, .. }) =
            (&a.response.def, &b.response.def)
        {
            comparable(
                out,
                &format!("`{}Response`", b.type_prefix),
                Comparable::of_fields(&old_types, f1),
                Comparable::of_fields(&new_types, f2),
            );
        }
    }
    out.types = [old_types, new_types];
}

/// The provider's `Session`: whether it exists, what `Session::new` takes,
/// and the session rules (which only change behaviour).
pub(super) fn session(out: &mut Changes, a: &Provider, b: &Provider) {
    let login = |p: &Provider| {
        p.session
            .as_ref()
            .map(|s| p.methods[s.login].type_prefix.clone())
    };
    match (&a.session, &b.session) {
        (None, None) => {}
        (Some(_), None) => out.push(
            Class::Breaking,
            "session_removed",
            "`Session` removed (the spec no longer declares a session)".into(),
        ),
        (None, Some(_)) => out.push(
            Class::Additive,
            "session_added",
            "`Session` added (the spec declares a session)".into(),
        ),
        (Some(x), Some(y)) => {
            if login(a) != login(b) {
                out.push(
                    Class::Breaking,
                    "session_login_changed",
                    format!(
                        "`Session::new` takes `{}Request` instead of `{}Request`",
                        login(b).unwrap_or_default(),
                        login(a).unwrap_or_default()
                    ),
                );
            }
            bindings::carry(out, x, y);
            // The login is compared by name above, not by its position.
            if session_rules(x) != session_rules(y) {
                out.push(
                    Class::Patch,
                    "session_rules_changed",
                    "session rules changed (key, lifetime, margin or refresh)".into(),
                );
            }
        }
    }
}

/// `derived`: the names of the derived values of the old and the new method.
pub(super) fn params(out: &mut Changes, a: &[Field], b: &[Field], derived: [&[String]; 2]) {
    for item in pair_up(a, b, |f| f.wire.clone(), |f| f.rust.clone()) {
        match item {
            Pair::Removed(f) if derived[1].contains(&f.wire) => out.push(
                Class::Breaking,
                "param_became_derived",
                format!(
                    "parameter `{}` is now derived (computed at send time): callers no longer set it",
                    f.rust
                ),
            ),
            Pair::Added(f) if derived[0].contains(&f.wire) => out.push(
                Class::Breaking,
                "param_no_longer_derived",
                format!(
                    "parameter `{}` is no longer derived: callers must set it",
                    f.rust
                ),
            ),
            Pair::Removed(f) => out.push(
                Class::Breaking,
                "param_removed",
                format!("parameter `{}` removed", f.rust),
            ),
            Pair::Added(f) if f.presence == Presence::Required => out.push(
                Class::Breaking,
                "param_added_required",
                format!(
                    "required parameter `{}` ({}) added: `new(..)` takes another argument",
                    f.rust,
                    ty_name(&f.ty)
                ),
            ),
            Pair::Added(f) => out.push(
                Class::Additive,
                "param_added_optional",
                format!(
                    "optional parameter `{}` ({}) added, with a setter",
                    f.rust,
                    ty_name(&f.ty)
                ),
            ),
            Pair::Both(x, y) => {
                field_renames(out, "parameter", "param", x, y);
                let what = format!("parameter `{}`", y.rust);
                match (&x.presence, &y.presence) {
                    (Presence::Required, Presence::Required) => {}
                    (Presence::Required, _) => out.push(
                        Class::Breaking,
                        "param_became_optional",
                        format!("{what} is no longer required: it moved from `new(..)` to a setter"),
                    ),
                    (_, Presence::Required) => out.push(
                        Class::Breaking,
                        "param_became_required",
                        format!("{what} became required: `new(..)` takes another argument"),
                    ),
                    (Presence::Default(d1), Presence::Default(d2)) if d1 != d2 => out.push(
                        Class::Patch,
                        "param_default_changed",
                        if x.secret || y.secret {
                            // Never print a secret's value (check rejects such defaults today).
                            format!("{what}: default changed")
                        } else {
                            format!("{what}: default changed from {} to {}", literal(d1), literal(d2))
                        },
                    ),
                    (Presence::Optional, Presence::Default(_)) | (Presence::Default(_), Presence::Optional) => out.push(
                        Class::Breaking,
                        "param_default_changed",
                        format!("{what}: the field changed between `Option<T>` and a value with a default"),
                    ),
                    _ => {}
                }
                type_change(out, "param", &what, x, y);
                if x.checks != y.checks {
                    // Values accepted before may now be rejected before sending, or the reverse.
                    out.push(
                        Class::Patch,
                        "param_constraints_changed",
                        format!("{what}: client-side checks changed"),
                    );
                }
            }
        }
    }
}
