//! Rules for `session.steps`: a login made of several calls, where a value
//! one answer hands over (a flow id, a challenge, a code) goes into a later
//! call. Every name must resolve, every taken value must fit the parameter it
//! fills, and the parameters nobody takes become one credentials struct.

use super::session::{find_field, find_method, response_fields};
use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec::{SessionSpec, StepSpec, TakeSpec};

/// The steps and the credentials they need from the user, or `None` after a
/// diagnostic. `login` is the session's login method, which must come last.
pub(super) fn check_steps(
    at: &At,
    spec: &SessionSpec,
    login: usize,
    methods: &[Method],
    cx: &mut Ctxt,
) -> Option<(Vec<Step>, Vec<Field>)> {
    let at_s = at.key("steps");
    let login_m = &methods[login];
    let list = spec.steps.as_deref().unwrap_or_default();
    if list.len() < 2 {
        at_s.error_hint(
            cx,
            "a login of several calls needs at least two steps",
            format!(
                "list every call in order, ending with `{}`; a login of one call needs no `steps`",
                login_m.wire
            ),
        );
        return None;
    }
    let mut ok = true;
    for (what, present) in [
        ("`refresh_param`", spec.refresh_param.is_some()),
        (
            "`lifetime.from_param`",
            spec.lifetime
                .as_ref()
                .is_some_and(|l| l.from_param.is_some()),
        ),
    ] {
        if present {
            at_s.error_hint(
                cx,
                format!("{what} cannot be combined with `steps` yet"),
                "take the lifetime from the login answer (`from_response`) or give `seconds`",
            );
            ok = false;
        }
    }
    let mut indices: Vec<Option<usize>> = Vec::new();
    for (i, step) in list.iter().enumerate() {
        let at_m = at_s.index(i).key("method");
        let found = find_method(&at_m, &step.method, methods, cx);
        if let Some(m) = found {
            ok &= step_method_fits(&at_m, i, spec, m, login, methods, &indices, cx);
        }
        ok &= found.is_some();
        indices.push(found);
    }
    if !ok {
        return None;
    }
    let indices: Vec<usize> = indices.into_iter().flatten().collect();
    let mut steps = Vec::new();
    for (i, step) in list.iter().enumerate() {
        let takes = check_takes(&at_s.index(i), i, step, &indices, spec, methods, cx);
        ok &= takes.is_some();
        steps.push(Step {
            method: indices[i],
            takes: takes.unwrap_or_default(),
        });
    }
    let credentials = ok.then(|| credentials(&at_s, &steps, methods, cx))??;
    Some((steps, credentials))
}

/// A step's method: not twice, not a method that needs the session, not the
/// refresh method, and the login exactly at the end.
#[allow(clippy::too_many_arguments)]
fn step_method_fits(
    at: &At,
    i: usize,
    spec: &SessionSpec,
    m: usize,
    login: usize,
    methods: &[Method],
    earlier: &[Option<usize>],
    cx: &mut Ctxt,
) -> bool {
    let wire = &methods[m].wire;
    let last = i + 1 == spec.steps.as_ref().map_or(0, Vec::len);
    if earlier.contains(&Some(m)) {
        at.error_hint(
            cx,
            format!("`{wire}` is a step twice"),
            "each step calls a method of its own; for a call repeated with other values, write a second method file",
        );
        return false;
    }
    if last && m != login {
        at.error_hint(
            cx,
            format!("the last step is `{wire}`, not the login method `{}`", methods[login].wire),
            "the last step is the call whose answer holds the key: end the list with `login`'s method",
        );
        return false;
    }
    if !last && m == login {
        at.error_hint(
            cx,
            format!("the login method `{wire}` is not the last step"),
            "its answer holds the key, so it comes last",
        );
        return false;
    }
    if methods[m].session != MethodSession::None {
        at.error_hint(
            cx,
            format!("step `{wire}` uses the session it is logging in to"),
            format!("remove `session` from the file of `{wire}`"),
        );
        return false;
    }
    if spec.refresh.as_ref().is_some_and(|r| r.method == *wire) {
        at.error_hint(
            cx,
            format!("`{wire}` is both a login step and the refresh method"),
            "a refresh trades a refresh token for a key; name a method of its own",
        );
        return false;
    }
    true
}

/// A step's `take`: each parameter of the step, filled from a field of an
/// earlier step's answer of the same type.
fn check_takes(
    at: &At,
    i: usize,
    step: &StepSpec,
    indices: &[usize],
    spec: &SessionSpec,
    methods: &[Method],
    cx: &mut Ctxt,
) -> Option<Vec<Take>> {
    let m = &methods[indices[i]];
    let list = spec.steps.as_deref().unwrap_or_default();
    let mut takes = Vec::new();
    let mut ok = true;
    for (k, (name, source)) in step.take.0.iter().enumerate() {
        let at_t = at.repeated_in("take", &step.take.0, k);
        if step.take.0[..k].iter().any(|(n, _)| n == name) {
            at_t.error_hint(cx, format!("`{name}` is taken twice"), "keep one");
            ok = false;
            continue;
        }
        let Some(param) = find_field(&at_t, name, &m.params, "parameter", cx) else {
            ok = false;
            continue;
        };
        let (from, field_name, at_f) = match source {
            TakeSpec::Field(f) => {
                if i == 0 {
                    at_t.error_hint(
                        cx,
                        "the first step has no earlier answer to take from",
                        "the first step's parameters come from the credentials: remove `take`",
                    );
                    ok = false;
                    continue;
                }
                (i - 1, f, at_t.clone())
            }
            TakeSpec::From { step: from, field } => {
                let at_step = at_t.key("step");
                match list.iter().position(|s| &s.method == from) {
                    Some(j) if j < i => (j, field, at_t.key("field")),
                    Some(j) => {
                        let when = if j == i {
                            "is this step"
                        } else {
                            "runs after this step"
                        };
                        at_step.error_hint(
                            cx,
                            format!("step `{from}` {when}: its answer is not there yet"),
                            "take values only from steps listed before this one",
                        );
                        ok = false;
                        continue;
                    }
                    None => {
                        let names: Vec<&str> =
                            list[..i].iter().map(|s| s.method.as_str()).collect();
                        at_step.error_hint(
                            cx,
                            format!("`{from}` is not a step of this login"),
                            format!("the steps before this one are: {}", names.join(", ")),
                        );
                        ok = false;
                        continue;
                    }
                }
            }
        };
        let source_m = &methods[indices[from]];
        let answer = response_fields(source_m);
        let Some(field) = answer.iter().find(|f| &f.wire == field_name) else {
            let names: Vec<&str> = answer.iter().map(|f| f.wire.as_str()).collect();
            at_f.error_hint(
                cx,
                format!("`{}` answers no field `{field_name}`", source_m.wire),
                if names.is_empty() {
                    "its answer has no fields to take".to_string()
                } else {
                    format!("its response fields are: {}", names.join(", "))
                },
            );
            ok = false;
            continue;
        };
        if field.ty != param.ty {
            at_f.error_hint(
                cx,
                format!(
                    "`{}` of `{}` does not fit parameter `{}` of `{}`",
                    field.wire, source_m.wire, param.wire, m.wire
                ),
                "the field and the parameter must have the same type",
            );
            ok = false;
            continue;
        }
        if field.secret && !param.secret {
            at_f.error_hint(
                cx,
                format!(
                    "the secret `{}` of `{}` would go into parameter `{}`, which is not secret",
                    field.wire, source_m.wire, param.wire
                ),
                format!(
                    "add `secret: true` to parameter `{}` of `{}`",
                    param.wire, m.wire
                ),
            );
            ok = false;
            continue;
        }
        takes.push(Take {
            param: param.clone(),
            from,
            field: field.clone(),
        });
    }
    ok.then_some(takes)
}

/// The parameters no step takes, once per wire name: the user gives them
/// once, and every step that has one sends the same value.
fn credentials(at: &At, steps: &[Step], methods: &[Method], cx: &mut Ctxt) -> Option<Vec<Field>> {
    let mut fields: Vec<(Field, &str)> = Vec::new();
    let mut ok = true;
    for (i, step) in steps.iter().enumerate() {
        let m = &methods[step.method];
        for p in &m.params {
            if step.takes.iter().any(|t| t.param.wire == p.wire) {
                continue;
            }
            let same = fields
                .iter()
                .find(|(f, _)| f.wire == p.wire || f.rust == p.rust);
            match same {
                None => fields.push((p.clone(), &m.wire)),
                Some((f, first)) => {
                    let fits = f.wire == p.wire
                        && f.rust == p.rust
                        && f.ty == p.ty
                        && f.secret == p.secret
                        && f.presence == p.presence
                        && f.checks == p.checks;
                    if !fits {
                        at.index(i).key("method").error_hint(
                            cx,
                            format!(
                                "parameter `{}` of `{}` and `{}` of `{first}` would be one credential, and differ",
                                p.wire, m.wire, f.wire
                            ),
                            "the user gives each credential once for all steps: give both the same wire name, Rust name, type, secrecy, default and constraints, or `take` one of them",
                        );
                        ok = false;
                    }
                }
            }
        }
    }
    ok.then(|| fields.into_iter().map(|(f, _)| f).collect())
}
