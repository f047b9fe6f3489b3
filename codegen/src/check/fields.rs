//! Rules for one field: a request parameter or a response field.

use super::constraints::check_constraints;
use super::names::rust_field_name;
use super::types::{parse_type, Role};
use super::{At, TypeTable};
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec::FieldSpec;

/// Values of `transform` on a parameter.
pub const TRANSFORMS: &[&str] = &["sha256_base64"];

pub(super) fn check_field(
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
    if let Some(crate::spec::FormatSpec::Custom(custom)) = &spec.format {
        super::timestamps::check_pattern(&at.key("format").key("pattern"), &custom.pattern, cx)?;
    }
    let ty = parse_type(&at.key("type"), &spec.ty, spec.format.as_ref(), table, cx)?;
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
    if response {
        for (key, given) in [
            ("in", spec.in_.is_some()),
            ("at", spec.at.is_some()),
            ("template", spec.template.is_some()),
            ("also", !spec.also.is_empty()),
        ] {
            if given {
                at.key(key).error_hint(
                    cx,
                    format!("`{key}` applies only to parameters"),
                    "answers are read at their place; for a header or cookie of the answer write `from: {header: NAME}`",
                );
            }
        }
    } else {
        super::answer::reject_from(at, spec, role, cx);
    }
    let literal =
        |key: &str, value: &Option<Literal>, fits: bool, hints: [&str; 2], cx: &mut Ctxt| {
            let value = value.as_ref()?;
            if response {
                at.key(key)
                    .error_hint(cx, format!("`{key}` applies only to parameters"), hints[0]);
                return None;
            }
            if !fits || !literal_fits(value, &ty) {
                at.key(key).error_hint(
                    cx,
                    format!("{key} does not fit type `{}`", spec.ty),
                    hints[1],
                );
            }
            Some(value.clone())
        };
    let default = literal(
        "default",
        &spec.default,
        !spec.secret,
        [
            "make the field `required: false` instead",
            "give a plain value of the field's type",
        ],
        cx,
    );
    let example = literal(
        "example",
        &spec.example,
        true,
        [
            "answers have their samples under the method's `examples`",
            "give a plain value of the field's type, as the vendor's docs show it",
        ],
        cx,
    );
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
        example,
    })
}

pub(super) fn lenient_applies(ty: &Ty) -> bool {
    match ty {
        Ty::Bool | Ty::Int(_) | Ty::Float(_) | Ty::Timestamp(_) => true,
        Ty::List(inner) | Ty::Map(inner) => lenient_applies(inner),
        _ => false,
    }
}

pub(super) fn literal_fits(value: &Literal, ty: &Ty) -> bool {
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
