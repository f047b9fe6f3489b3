//! Rules for named types (structs, enums, flags) and type expressions.

use super::fields::check_field;
use super::names::{is_camel_ident, is_ident};
use super::{At, TypeTable};
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec::{self, TypeSpec};
use crate::yaml::Seg;
use heck::{ToShoutySnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

pub(super) const SCALARS: &[&str] = &[
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

/// How deeply `list<…>` and `map<…>` may nest in one type.
pub(super) const MAX_TYPE_DEPTH: usize = 32;
/// Values of `format` on a timestamp field.
pub const TIME_FORMATS: &[&str] = &[
    "unix_seconds",
    "unix_millis",
    "dotnet_date",
    "rfc3339",
    "iso8601",
];

/// Whether fields are request parameters or parts of an answer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Param,
    Response { xml: bool },
}

pub(super) fn check_type_def(
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
pub(super) struct Seen {
    pub(super) wire: BTreeSet<String>,
    rust: BTreeMap<String, String>,
}

impl Seen {
    pub(super) fn note(&mut self, field: &Field) {
        self.wire.insert(field.wire.clone());
        self.rust.insert(field.rust.clone(), field.wire.clone());
    }

    /// Reports a clash with an earlier field; records the field otherwise.
    pub(super) fn clash(&mut self, at: &At, field: &Field, cx: &mut Ctxt) -> bool {
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

pub(super) fn check_enum(
    at: &At,
    values: &[spec::EnumValueSpec],
    cx: &mut Ctxt,
) -> Option<TypeDef> {
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
        if v.name == "Unknown" {
            // The generated enum's catch-all for values the spec does not list.
            at_v.key("name").error_hint(
                cx,
                "enum value name `Unknown` is taken by the variant that keeps unlisted values",
                "choose another name, such as `Unspecified`",
            );
        } else if !names.insert(v.name.clone()) {
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

pub(super) fn check_flags(at: &At, flags: &[spec::FlagSpec], cx: &mut Ctxt) -> Option<TypeDef> {
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

pub(super) fn parse_type(
    at: &At,
    text: &str,
    format: Option<&spec::FormatSpec>,
    table: &TypeTable,
    cx: &mut Ctxt,
) -> Option<Ty> {
    // Peeled in a loop, not by recursion: `list<list<…>>` thousands deep
    // must not overflow the stack.
    let mut text = text.trim();
    let mut wrappers: Vec<fn(Box<Ty>) -> Ty> = Vec::new();
    'peel: loop {
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
                if wrappers.len() == MAX_TYPE_DEPTH {
                    at.error_hint(
                        cx,
                        format!("the type nests lists and maps more than {MAX_TYPE_DEPTH} deep"),
                        "a field needs a few levels at most; give an inner level a named type",
                    );
                    return None;
                }
                wrappers.push(wrap);
                text = inner.trim();
                continue 'peel;
            }
        }
        break;
    }
    let ty = parse_scalar_type(at, text, format, table, cx)?;
    Some(
        wrappers
            .into_iter()
            .rev()
            .fold(ty, |ty, wrap| wrap(Box::new(ty))),
    )
}

/// A type without `list<…>` or `map<…>` around it.
fn parse_scalar_type(
    at: &At,
    text: &str,
    format: Option<&spec::FormatSpec>,
    table: &TypeTable,
    cx: &mut Ctxt,
) -> Option<Ty> {
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
            let format = match format.map(|f| match f {
                spec::FormatSpec::Name(name) => Err(name.0.as_str()),
                // Checked where it is written (`check::timestamps`).
                spec::FormatSpec::Custom(c) => Ok(TimeFormat::Custom(c.pattern.clone())),
            }) {
                Some(Ok(custom)) => custom,
                Some(Err("unix_seconds")) => TimeFormat::UnixSeconds,
                Some(Err("unix_millis")) => TimeFormat::UnixMillis,
                Some(Err("dotnet_date")) => TimeFormat::DotNetDate,
                Some(Err("rfc3339")) => TimeFormat::Rfc3339,
                Some(Err("iso8601")) => TimeFormat::Iso8601,
                Some(Err(other)) => {
                    at.error_hint(
                        cx,
                        format!("unknown timestamp format `{other}`"),
                        format!(
                            "use one of: {}, or a custom `{{pattern: \"[year]-[month]-[day] …\"}}`",
                            TIME_FORMATS.join(", ")
                        ),
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

pub(super) fn known_types_hint(table: &TypeTable) -> String {
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
