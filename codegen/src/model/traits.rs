//! Which comparison traits a generated type can derive, and the shape of a
//! request's constructor: both are part of the API users compile against,
//! so `emit` and `loginspec diff` read them from here.

use super::*;

/// The comparison traits a generated struct derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Comparable {
    /// A field holds a `Secret`, which is never compared with `==`.
    No,
    /// `PartialEq` only: a field holds a float.
    PartialEq,
    /// `PartialEq` and `Eq`.
    Eq,
}

impl Comparable {
    /// What a struct with these fields derives; `types` resolves named types.
    pub fn of_fields<'a>(
        types: &[NamedType],
        fields: impl IntoIterator<Item = &'a Field>,
    ) -> Comparable {
        fields_comparable(types, fields, &mut BTreeSet::new())
    }
}

fn fields_comparable<'a>(
    types: &[NamedType],
    fields: impl IntoIterator<Item = &'a Field>,
    seen: &mut BTreeSet<String>,
) -> Comparable {
    fields
        .into_iter()
        .map(|f| {
            if f.secret {
                Comparable::No
            } else {
                ty_comparable(types, &f.ty, seen)
            }
        })
        .min()
        .unwrap_or(Comparable::Eq)
}

fn ty_comparable(types: &[NamedType], ty: &Ty, seen: &mut BTreeSet<String>) -> Comparable {
    match ty {
        Ty::Float(_) => Comparable::PartialEq,
        Ty::List(inner) | Ty::Map(inner) => ty_comparable(types, inner, seen),
        // A type met again on the way down adds nothing new.
        Ty::Named(name, _) if !seen.insert(name.clone()) => Comparable::Eq,
        Ty::Named(name, _) => match types.iter().find(|t| &t.name == name).map(|t| &t.def) {
            Some(TypeDef::Struct { fields, .. }) => fields_comparable(types, fields, seen),
            _ => Comparable::Eq,
        },
        _ => Comparable::Eq,
    }
}

/// Whether `new` of a request with these required parameters takes one
/// named-fields `..Args` struct instead of positional arguments: when two
/// of them take the same kind of value (two texts, two secrets, two
/// numbers...), positional arguments could be swapped without an error.
pub fn takes_args_struct(required: &[&Field]) -> bool {
    let kinds: Vec<String> = required.iter().map(|f| arg_kind(f)).collect();
    kinds
        .iter()
        .enumerate()
        .any(|(i, k)| kinds[i + 1..].contains(k))
}

/// The kinds of value one literal could fill.
fn arg_kind(f: &Field) -> String {
    if f.secret {
        return "secret".into();
    }
    match &f.ty {
        Ty::String => "text".into(),
        Ty::Int(_) => "integer".into(),
        Ty::Float(_) => "float".into(),
        other => format!("{other:?}"),
    }
}
