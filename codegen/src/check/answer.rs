//! Rules for reading answers: error rules (v2 `error_rules`, and v1's one
//! `error` lowered to the same), the payload pointer, and the shape of a
//! method's response (`fields`, `type`, `kind: text | none`, `from`).

use super::request::setting_pointer;
use super::types::{parse_type, Role};
use super::wire::check_pointer;
use super::{At, TypeTable};
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec::{self, ErrorRuleV2Spec, MethodResponseSpec};

/// The single code type of the rules that read or fix a code, if they agree.
pub(super) fn code_numeric(rules: &[ErrorRule]) -> Option<bool> {
    let mut kinds = rules.iter().filter_map(|r| match &r.code {
        CodeSource::At(_) => Some(r.numeric),
        CodeSource::Int(_) => Some(true),
        CodeSource::Text(_) => Some(false),
        CodeSource::Status => None,
    });
    let first = kinds.next()?;
    kinds.all(|k| k == first).then_some(first)
}

fn pointer(at: &At, p: &str, cx: &mut Ctxt) -> bool {
    setting_pointer(at, p, false, cx)
}

/// Parses `"500-599"` or an int into an inclusive range of statuses.
fn status_range(code: &CodeValue) -> Option<(u16, u16)> {
    let (lo, hi) = match code {
        CodeValue::Int(i) => (*i, *i),
        CodeValue::Str(s) => {
            let (lo, hi) = s.split_once('-')?;
            (lo.trim().parse().ok()?, hi.trim().parse().ok()?)
        }
    };
    let ok = (100..=599).contains(&lo) && (100..=599).contains(&hi) && lo <= hi;
    ok.then_some((lo as u16, hi as u16))
}

/// The rules, each kept even when something in it was reported: its code
/// type still tells how the documented codes must be written.
pub(super) fn check_rules(at: &At, rules: &[ErrorRuleV2Spec], cx: &mut Ctxt) -> Vec<ErrorRule> {
    rules
        .iter()
        .enumerate()
        .map(|(i, r)| check_rule(&at.index(i), r, cx))
        .collect()
}

fn check_rule(at: &At, r: &ErrorRuleV2Spec, cx: &mut Ctxt) -> ErrorRule {
    let mut when = When::default();
    if let Some(w) = &r.when {
        let at_w = at.key("when");
        for (i, s) in w.status.iter().enumerate() {
            match status_range(s) {
                Some(range) => when.status.push(range),
                None => at_w.key("status").index(i).error_hint(
                    cx,
                    format!("`{s}` is not an HTTP status or range"),
                    "write a status such as `401`, or a range such as `\"500-599\"` (100 to 599, low first)",
                ),
            }
        }
        for (key, p, slot) in [
            ("present", &w.present, &mut when.present),
            ("absent", &w.absent, &mut when.absent),
        ] {
            if let Some(p) = p {
                if pointer(&at_w.key(key), p, cx) {
                    *slot = Some(p.clone());
                }
            }
        }
        if let Some(e) = &w.equals {
            if pointer(&at_w.key("equals").key("at"), &e.at, cx) {
                when.equals = Some((e.at.clone(), e.value.clone()));
            }
        }
        if let Some(t) = &w.text {
            if t.trim().is_empty() {
                at_w.key("text").error_hint(
                    cx,
                    "`text` is empty",
                    "write the whole body the server sends, e.g. `Fails.`",
                );
            }
            when.text = Some(t.trim().to_string());
        }
        when.header.clone_from(&w.header);
    }
    let numeric = match r.code_type.as_deref() {
        None => None,
        Some("int") => Some(true),
        Some("string") => Some(false),
        Some(other) => {
            at.key("code_type").error_hint(
                cx,
                format!("unknown code_type `{other}`"),
                "use `int` or `string`",
            );
            None
        }
    };
    let code = match (&r.code, &r.code_value) {
        (Some(_), Some(_)) => {
            at.key("code_value").error_hint(
                cx,
                "a rule reads its code at `code` or fixes it with `code_value`, not both",
                "keep one of them",
            );
            CodeSource::Status
        }
        (Some(p), None) => {
            pointer(&at.key("code"), p, cx);
            if r.code_type.is_none() {
                at.key("code").error_hint(
                    cx,
                    "a code read at a pointer needs `code_type`",
                    "add `code_type: int` or `code_type: string`",
                );
            }
            CodeSource::At(p.clone())
        }
        (None, Some(CodeValue::Int(i))) => CodeSource::Int(*i),
        (None, Some(CodeValue::Str(s))) => CodeSource::Text(s.clone()),
        (None, None) => CodeSource::Status,
    };
    let numeric = match (&code, numeric) {
        (CodeSource::Int(_), Some(false)) | (CodeSource::Text(_), Some(true)) => {
            at.key("code_type").error_hint(
                cx,
                "`code_value` does not have the declared `code_type`",
                "write the code as a number for `int`, as text for `string`",
            );
            true
        }
        (CodeSource::Text(_), None) => false,
        (_, n) => n.unwrap_or(true),
    };
    if r.code_optional && !matches!(code, CodeSource::At(_)) {
        at.key("code_optional").error_hint(
            cx,
            "`code_optional` needs a `code` pointer",
            "add `code`, or remove `code_optional`",
        );
    }
    if !r.success.is_empty() && !matches!(code, CodeSource::At(_)) {
        at.key("success").error_hint(
            cx,
            "`success` codes need a `code` pointer to compare with",
            "add `code`, or remove `success`",
        );
    }
    for (i, c) in r.success.iter().enumerate() {
        if matches!(c, CodeValue::Int(_)) != numeric {
            at.key("success").index(i).error_hint(
                cx,
                format!("success code `{c}` does not match code_type"),
                "write codes of the declared code_type",
            );
        }
    }
    let message = r
        .message
        .as_ref()
        .map(spec::OneOrMany::items)
        .unwrap_or_default();
    let at_m = at.key("message");
    for (i, m) in message.iter().enumerate() {
        let at_i = if matches!(r.message, Some(spec::OneOrMany::Many(_))) {
            at_m.index(i)
        } else {
            at_m.clone()
        };
        pointer(&at_i, m, cx);
    }
    let retry_after = r.retry_after.as_ref().and_then(|ra| {
        let at_r = at.key("retry_after");
        let ms = match ra.unit.as_deref() {
            None | Some("s") => false,
            Some("ms") => true,
            Some(other) => {
                at_r.key("unit").error_hint(
                    cx,
                    format!("unknown unit `{other}`"),
                    "use `s` (seconds) or `ms` (milliseconds)",
                );
                false
            }
        };
        pointer(&at_r.key("at"), &ra.at, cx).then(|| (ra.at.clone(), ms))
    });
    ErrorRule {
        when,
        code,
        code_optional: r.code_optional,
        numeric,
        success: r.success.clone(),
        message,
        retry_after,
    }
}

/// v1's `error` as a rule list: a code at a pointer, or, with only a
/// message, the HTTP status of an error answer.
pub(super) fn lower_v1_rule(
    code: Option<&str>,
    message: Option<&str>,
    code_optional: bool,
    numeric: bool,
    success: &[CodeValue],
) -> Vec<ErrorRule> {
    let message: Vec<String> = message.map(str::to_string).into_iter().collect();
    match code {
        Some(code) => vec![ErrorRule {
            when: When::default(),
            code: CodeSource::At(code.to_string()),
            code_optional,
            numeric,
            success: success.to_vec(),
            message,
            retry_after: None,
        }],
        None if !message.is_empty() => vec![ErrorRule {
            when: When {
                status: vec![(100, 199), (300, 599)],
                ..When::default()
            },
            code: CodeSource::Status,
            code_optional: false,
            numeric,
            success: Vec::new(),
            message,
            retry_after: None,
        }],
        None => Vec::new(),
    }
}

/// The shape of a method's answer. `Object` leaves the struct to the caller.
pub(super) fn method_answer(
    at: &At,
    r: &MethodResponseSpec,
    table: &TypeTable,
    cx: &mut Ctxt,
) -> Option<Answer> {
    let has_struct = r.fields.is_some() || r.extends.is_some();
    if r.enum_values.is_some() || r.flags.is_some() {
        at.error_hint(
            cx,
            "a response must be a struct, a `type`, or a `kind`",
            "give it `fields` or `extends`; `type: T` for a scalar or list; `kind: text` or `kind: none`",
        );
        return None;
    }
    let kind = match r.kind.as_deref() {
        None => None,
        Some("text") => Some(Answer::Text),
        Some("none") => Some(Answer::Nothing),
        Some(other) => {
            at.key("kind").error_hint(
                cx,
                format!("unknown response kind `{other}`"),
                "use `text` (the whole body as a string) or `none` (no payload)",
            );
            return None;
        }
    };
    let given = [has_struct, r.ty.is_some(), kind.is_some()]
        .iter()
        .filter(|b| **b)
        .count();
    if given > 1 {
        let key = if r.ty.is_some() { "type" } else { "kind" };
        at.key(key).error_hint(
            cx,
            "a response is one of: a struct (`fields`/`extends`), a `type`, or a `kind`",
            "keep one of them",
        );
        return None;
    }
    if let Some(ty) = &r.ty {
        let ty = parse_type(&at.key("type"), ty, None, table, cx)?;
        if r.secret {
            if ty != Ty::String {
                at.key("secret").error_hint(
                    cx,
                    "only a `string` answer can be secret",
                    "write `type: string`, or remove `secret`",
                );
                return None;
            }
            return Some(Answer::Secret);
        }
        return Some(Answer::Value(ty));
    }
    if r.secret {
        at.key("secret").error_hint(
            cx,
            "`secret` on a response applies to a `type: string` answer",
            "mark the secret fields themselves with `secret: true`",
        );
        return None;
    }
    Some(kind.unwrap_or(Answer::Object))
}

/// A response field's `from`: read from a header or cookie of the answer.
pub(super) fn header_field(
    at: &At,
    f: &spec::FieldSpec,
    ty: &Ty,
    cx: &mut Ctxt,
) -> Option<HeaderSource> {
    let from = f.from.as_ref()?;
    let at_f = at.key("from");
    let source = match (&from.header, &from.cookie, &from.at) {
        (Some(h), None, None) => HeaderSource::Header(h.clone()),
        (None, Some(c), None) => HeaderSource::Cookie(c.clone()),
        (None, None, Some(p)) => {
            // Any type: the value is read from the document as it is.
            let at_p = at_f.key("at");
            if !p.starts_with('/') {
                at_p.error_hint(
                    cx,
                    format!("`from: {{at: {p}}}` is not an absolute pointer"),
                    "write a pointer from the document's root, e.g. `/result`",
                );
                return None;
            }
            let before = cx.error_count();
            check_pointer(&at_p, p, cx);
            return (cx.error_count() == before).then(|| HeaderSource::Document(p.clone()));
        }
        _ => {
            at_f.error_hint(
                cx,
                "`from` needs exactly one of `header`, `cookie` and `at`",
                "e.g. `from: {header: X-Session}`, `from: {cookie: SID}` or `from: {at: /result}`",
            );
            return None;
        }
    };
    if *ty != Ty::String {
        at.key("type").error_hint(
            cx,
            "a field read from a header or cookie must be a `string`",
            "headers carry text; use `type: string` (secret allowed)",
        );
        return None;
    }
    Some(source)
}

/// `from` outside a method's response fields.
pub(super) fn reject_from(at: &At, f: &spec::FieldSpec, role: Role, cx: &mut Ctxt) {
    if f.from.is_some() {
        let hint = match role {
            Role::Param => "parameters are sent; `from` reads an answer's header",
            Role::Response { .. } => "only a method's own response fields can be read from headers or cookies; move the field there",
        };
        at.key("from")
            .error_hint(cx, "`from` has no effect here", hint);
    }
}
