//! What methods and types are made of: fields, errors, named types, and
//! how their changes are described.

use super::compare::Changes;
use super::*;

/// Struct fields: response fields or fields of a shared struct type.
/// `literal`: the old struct is exhaustive, as users build it with a struct
/// literal (a shared struct that a request holds).
pub(super) fn fields(out: &mut Changes, noun: &str, a: &TypeDef, b: &TypeDef, literal: bool) {
    let (TypeDef::Struct { fields: a, .. }, TypeDef::Struct { fields: b, .. }) = (a, b) else {
        return;
    };
    for item in pair_up(a, b, |f| f.wire.clone(), |f| f.rust.clone()) {
        match item {
            Pair::Removed(f) => out.push(
                Class::Breaking,
                "field_removed",
                format!("{noun} `{}` removed", f.rust),
            ),
            Pair::Added(f) if literal => out.push(
                Class::Breaking,
                "field_added_exhaustive",
                format!(
                    "{noun} `{}` added; the struct is built with a struct literal, which now misses it",
                    f.rust
                ),
            ),
            Pair::Added(f) => out.push(
                Class::Additive,
                "field_added",
                format!(
                    "{noun} `{}` ({}{}) added",
                    f.rust,
                    if f.is_optional() { "optional " } else { "" },
                    ty_name(&f.ty)
                ),
            ),
            Pair::Both(x, y) => {
                field_renames(out, noun, "field", x, y);
                let what = format!("{noun} `{}`", y.rust);
                match (x.is_optional(), y.is_optional()) {
                    (false, true) => out.push(
                        Class::Breaking,
                        "field_became_optional",
                        format!("{what} became optional: `{}` is now `Option<{0}>`", ty_name(&y.ty)),
                    ),
                    (true, false) => out.push(
                        Class::Breaking,
                        "field_became_required",
                        format!("{what} became required: `Option<{}>` is now `{0}` (and a reply without it fails to decode)", ty_name(&y.ty)),
                    ),
                    _ => {}
                }
                type_change(out, "field", &what, x, y);
            }
        }
    }
}

pub(super) fn field_renames(out: &mut Changes, noun: &str, kind: &str, x: &Field, y: &Field) {
    if x.rust != y.rust {
        out.push(
            Class::Breaking,
            if kind == "param" {
                "param_renamed"
            } else {
                "field_renamed"
            },
            format!(
                "{noun} `{}` renamed to `{}` (wire name `{}`)",
                x.rust, y.rust, y.wire
            ),
        );
    } else if x.wire != y.wire {
        out.push(
            Class::Patch,
            if kind == "param" {
                "param_wire_renamed"
            } else {
                "field_wire_renamed"
            },
            format!(
                "{noun} `{}`: wire name changed from `{}` to `{}`",
                y.rust, x.wire, y.wire
            ),
        );
    }
}

pub(super) fn type_change(out: &mut Changes, kind: &str, what: &str, x: &Field, y: &Field) {
    if x.ty != y.ty {
        out.push(
            Class::Breaking,
            if kind == "param" {
                "param_type_changed"
            } else {
                "field_type_changed"
            },
            format!(
                "{what}: type changed from {} to {}",
                ty_name(&x.ty),
                ty_name(&y.ty)
            ),
        );
    }
    if x.secret != y.secret {
        out.push(
            Class::Breaking,
            if kind == "param" {
                "param_secret_changed"
            } else {
                "field_secret_changed"
            },
            format!(
                "{what} {} `Secret`",
                if y.secret {
                    "is now held in"
                } else {
                    "is no longer held in"
                }
            ),
        );
    }
}

/// The error variants of one enum: `whose` is `"error"` for a method's own,
/// `"provider-wide error"` for `ProviderError`'s (reported once, not per method).
pub(super) fn errors(out: &mut Changes, whose: &str, a: &[ErrorVariant], b: &[ErrorVariant]) {
    let code = |e: &ErrorVariant| match (&e.code, e.http_status) {
        (Some(c), _) => format!("code {c}"),
        (None, Some(s)) => format!("HTTP {s}"),
        (None, None) => "no code".into(),
    };
    // Variants are what callers name, so they pair by name; a new name for
    // the same code is a rename.
    for item in pair_up(a, b, |e| e.name.clone(), code) {
        match item {
            Pair::Removed(e) => out.push(
                Class::Breaking,
                "error_removed",
                format!("{whose} `{}` ({}) removed", e.name, code(e)),
            ),
            Pair::Added(e) => out.push(
                Class::Additive,
                "error_added",
                format!(
                    "{whose} `{}` ({}) added; the error enum is #[non_exhaustive]",
                    e.name,
                    code(e)
                ),
            ),
            Pair::Both(x, y) => {
                if x.name != y.name {
                    out.push(
                        Class::Breaking,
                        "error_renamed",
                        format!("{whose} `{}` renamed to `{}` ({})", x.name, y.name, code(y)),
                    );
                } else if code(x) != code(y) {
                    out.push(
                        Class::Patch,
                        "error_code_changed",
                        format!("{whose} `{}`: {} instead of {}", y.name, code(y), code(x)),
                    );
                }
                if x.class != y.class {
                    out.push(
                        Class::Patch,
                        "error_class_changed",
                        format!(
                            "{whose} `{}`: class changed from {:?} to {:?}",
                            y.name, x.class, y.class
                        ),
                    );
                }
                if x.cooldown != y.cooldown {
                    let secs = |c: Option<u64>| c.map_or("none".to_string(), |s| format!("{s} s"));
                    out.push(
                        Class::Patch,
                        "error_cooldown_changed",
                        format!(
                            "{whose} `{}`: cooldown {} instead of {}",
                            y.name,
                            secs(y.cooldown),
                            secs(x.cooldown)
                        ),
                    );
                }
            }
        }
    }
}

/// A method's errors beside its own variants: errors that moved between the
/// method's enum and `ProviderError` (a new path to match), and the class
/// or cooldown the method gives a provider-wide error when that changed
/// otherwise than in provider.yaml.
pub(super) fn method_errors(
    out: &mut Changes,
    a: (&Method, &[ErrorVariant]),
    b: (&Method, &[ErrorVariant]),
) {
    let own = |(m, p): (&Method, &[ErrorVariant])| -> Vec<ErrorVariant> {
        m.errors[..m.own_errors]
            .iter()
            .filter(|e| !p.iter().any(|q| q.name == e.name))
            .cloned()
            .collect()
    };
    let (own_a, own_b) = (own(a), own(b));
    let moved = |e: &ErrorVariant, to: &[ErrorVariant]| to.iter().any(|q| q.name == e.name);
    for e in &own_a {
        if moved(e, b.1) {
            out.push(
                Class::Breaking,
                "error_moved",
                format!(
                    "error `{0}` is now provider-wide: match `Provider(ProviderError::{0})`",
                    e.name
                ),
            );
        }
    }
    for e in &own_b {
        if moved(e, a.1) {
            out.push(
                Class::Breaking,
                "error_moved",
                format!(
                    "provider-wide error `{0}` is now the method's own variant `{0}`",
                    e.name
                ),
            );
        }
    }
    let keep = |list: Vec<ErrorVariant>, other: &[ErrorVariant]| -> Vec<ErrorVariant> {
        list.into_iter().filter(|e| !moved(e, other)).collect()
    };
    errors(out, "error", &keep(own_a, b.1), &keep(own_b, a.1));
    for pb in b.1 {
        let Some(pa) = a.1.iter().find(|q| q.name == pb.name) else {
            continue;
        };
        let by_name = |e: &&ErrorVariant| e.name == pb.name;
        let (Some(x), Some(y)) = (
            a.0.errors.iter().find(by_name),
            b.0.errors.iter().find(by_name),
        ) else {
            continue;
        };
        if (x.class, y.class) != (pa.class, pb.class) && x.class != y.class {
            out.push(
                Class::Patch,
                "error_class_changed",
                format!(
                    "provider-wide error `{}` in this method: class changed from {:?} to {:?}",
                    y.name, x.class, y.class
                ),
            );
        }
        if (x.cooldown, y.cooldown) != (pa.cooldown, pb.cooldown) && x.cooldown != y.cooldown {
            out.push(
                Class::Patch,
                "error_cooldown_changed",
                format!(
                    "provider-wide error `{}` in this method: cooldown changed",
                    y.name
                ),
            );
        }
    }
}

/// The comparison traits a struct derives: losing one breaks callers'
/// `==`. Gaining one is new API, but it only follows another change (a
/// secret or float field gone), which is reported itself.
pub(super) fn comparable(out: &mut Changes, what: &str, x: Comparable, y: Comparable) {
    let traits = |c: Comparable| match c {
        Comparable::No => "neither `PartialEq` nor `Eq` (a field holds a secret)",
        Comparable::PartialEq => "`PartialEq` but not `Eq` (a field holds a float)",
        Comparable::Eq => "`PartialEq` and `Eq`",
    };
    if y < x {
        out.push(
            Class::Breaking,
            "derive_removed",
            format!("{what} now derives {} instead of {}", traits(y), traits(x)),
        );
    }
}

/// `literal`: the shared structs users build with a struct literal (the
/// old version's structs that requests hold).
pub(super) fn named_types(
    out: &mut Changes,
    a: &[NamedType],
    b: &[NamedType],
    literal: &BTreeSet<String>,
) {
    for item in pair_up(a, b, |t| t.name.clone(), |t| t.name.clone()) {
        match item {
            Pair::Removed(t) => out.push(
                Class::Breaking,
                "type_removed",
                format!("type `{}` removed", t.name),
            ),
            Pair::Added(t) => out.push(
                Class::Additive,
                "type_added",
                format!("type `{}` added", t.name),
            ),
            Pair::Both(x, y) => match (&x.def, &y.def) {
                (TypeDef::Struct { fields: f1, .. }, TypeDef::Struct { fields: f2, .. }) => {
                    let exhaustive = literal.contains(&x.name);
                    fields(
                        out,
                        &format!("field of `{}`", y.name),
                        &x.def,
                        &y.def,
                        exhaustive,
                    );
                    comparable(
                        out,
                        &format!("`{}`", y.name),
                        Comparable::of_fields(a, f1),
                        Comparable::of_fields(b, f2),
                    );
                }
                (TypeDef::Enum { values: v1 }, TypeDef::Enum { values: v2 }) => {
                    for p in pair_up(v1, v2, |v| v.name.clone(), |v| v.value.to_string()) {
                        match p {
                            Pair::Removed(v) => out.push(
                                Class::Breaking,
                                "enum_value_removed",
                                format!("enum `{}`: variant `{}` removed", y.name, v.name),
                            ),
                            // Enums are #[non_exhaustive] with an `Unknown(raw)`
                            // variant: matches already have a wildcard arm.
                            Pair::Added(v) => out.push(
                                Class::Additive,
                                "enum_value_added",
                                format!("enum `{}`: variant `{}` added; the enum is #[non_exhaustive], and the value was `Unknown({})` before", y.name, v.name, v.value),
                            ),
                            Pair::Both(v, w) if v.name != w.name => out.push(
                                Class::Breaking,
                                "enum_value_renamed",
                                format!("enum `{}`: variant `{}` renamed to `{}`", y.name, v.name, w.name),
                            ),
                            Pair::Both(v, w) if v.value != w.value => out.push(
                                Class::Patch,
                                "enum_value_changed",
                                format!("enum `{}`: `{}` is {} on the wire instead of {}", y.name, w.name, w.value, v.value),
                            ),
                            Pair::Both(..) => {}
                        }
                    }
                }
                (TypeDef::Flags { flags: f1 }, TypeDef::Flags { flags: f2 }) => {
                    for p in pair_up(f1, f2, |f| f.name.clone(), |f| f.value.to_string()) {
                        match p {
                            Pair::Removed(f) => out.push(
                                Class::Breaking,
                                "flag_removed",
                                format!("flags `{}`: `{}` removed", y.name, f.name),
                            ),
                            Pair::Added(f) => out.push(
                                Class::Additive,
                                "flag_added",
                                format!("flags `{}`: `{}` added", y.name, f.name),
                            ),
                            Pair::Both(f, g) if f.name != g.name => out.push(
                                Class::Breaking,
                                "flag_renamed",
                                format!("flags `{}`: `{}` renamed to `{}`", y.name, f.name, g.name),
                            ),
                            Pair::Both(f, g) if f.value != g.value => out.push(
                                Class::Patch,
                                "flag_value_changed",
                                format!(
                                    "flags `{}`: `{}` is {:#x} instead of {:#x}",
                                    y.name, g.name, g.value, f.value
                                ),
                            ),
                            Pair::Both(..) => {}
                        }
                    }
                }
                _ => out.push(
                    Class::Breaking,
                    "type_kind_changed",
                    format!("type `{}` changed between struct, enum and flags", y.name),
                ),
            },
        }
    }
}

pub(super) enum Pair<'a, T> {
    Removed(&'a T),
    Added(&'a T),
    Both(&'a T, &'a T),
}

/// Pairs old and new items by `key`; items left over on both sides that
/// share `alt` are paired too (a rename). Output follows the new order,
/// with removed items first.
pub(super) fn pair_up<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> String,
    alt: impl Fn(&T) -> String,
) -> Vec<Pair<'a, T>> {
    let mut old_left: Vec<Option<&T>> = old.iter().map(Some).collect();
    let mut matched: Vec<Option<&T>> = new
        .iter()
        .map(|n| {
            let k = key(n);
            let slot = old_left
                .iter_mut()
                .find(|o| o.is_some_and(|o| key(o) == k))?;
            slot.take()
        })
        .collect();
    for (i, n) in new.iter().enumerate() {
        if matched[i].is_some() {
            continue;
        }
        let a = alt(n);
        if let Some(slot) = old_left.iter_mut().find(|o| o.is_some_and(|o| alt(o) == a)) {
            matched[i] = slot.take();
        }
    }
    let mut out: Vec<Pair<'a, T>> = old_left.into_iter().flatten().map(Pair::Removed).collect();
    for (n, m) in new.iter().zip(matched) {
        out.push(match m {
            Some(o) => Pair::Both(o, n),
            None => Pair::Added(n),
        });
    }
    out
}

/// A type as a spec writes it.
pub(super) fn ty_name(ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Bool => "bool".into(),
        Ty::Int(i) => i.name().into(),
        Ty::Float(f) => format!("{f:?}").to_lowercase(),
        Ty::Any => "any".into(),
        Ty::Timestamp(f) => format!("timestamp ({f:?})"),
        Ty::List(inner) => format!("list<{}>", ty_name(inner)),
        Ty::Map(inner) => format!("map<{}>", ty_name(inner)),
        Ty::Named(name, _) => name.clone(),
    }
}

pub(super) fn literal(l: &loginspec_codegen::model::Literal) -> String {
    use loginspec_codegen::model::Literal;
    match l {
        Literal::Null => "null".into(),
        Literal::Bool(b) => b.to_string(),
        Literal::Int(i) => i.to_string(),
        Literal::Float(f) => f.to_string(),
        Literal::Str(s) => format!("{s:?}"),
    }
}

/// Every session rule by wire names and values, leaving docs out.
pub(super) fn session_rules(s: &Session) -> String {
    let lifetime = match &s.lifetime {
        Lifetime::Unknown => "unknown".to_string(),
        Lifetime::Seconds(n) => format!("{n} s"),
        Lifetime::Response(f, unit) => format!("response `{}` ({unit:?})", f.wire),
        Lifetime::Param(f, unit) => format!("param `{}` ({unit:?})", f.wire),
    };
    // A new, dropped or changed refresh method changes how the session renews.
    let renewal = s.refresh.as_ref().map(|r| {
        format!(
            "token {} param {} rotated {}",
            r.token.wire,
            r.param.wire,
            r.rotated.is_some()
        )
    });
    let refresh = s.refresh_param.as_ref().map(|r| {
        let args: Vec<String> = r
            .args
            .iter()
            .map(|(f, arg)| match arg {
                Arg::Param(p) => format!("{}={{param: {}}}", f.wire, p.wire),
                Arg::Value(v) => format!("{}={}", f.wire, literal(v)),
            })
            .collect();
        format!(
            "{} on {} from {} {:?}",
            r.param.wire, r.on, r.field.wire, args
        )
    });
    // The carry is compared on its own (`session_carry_changed`).
    format!(
        "key {} lifetime {lifetime} sliding {} margin {} refresh {refresh:?} renewal {renewal:?}",
        s.key.wire, s.sliding, s.refresh_margin
    )
}

/// A method's answer as a spec writes it.
pub(super) fn answer(a: &loginspec_codegen::model::Answer) -> String {
    use loginspec_codegen::model::Answer;
    match a {
        Answer::Object => "a struct".into(),
        Answer::Value(ty) => format!("`type: {}`", ty_name(ty)),
        Answer::Secret => "a secret string".into(),
        Answer::Text => "`kind: text`".into(),
        Answer::Nothing => "`kind: none`".into(),
    }
}
