//! Rules for the `session` section of `provider.yaml`: every name it uses
//! must resolve to a method, parameter or field of the right type.

use super::bindings::{member, Place};
use super::carry::{check_provider_carry, key_binding, KeyPlaces};
use super::fields::literal_fits;
use super::request::Wire;
use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec::{ArgSpec, CodeValue, SessionSpec};

/// Default for `refresh_margin`, in seconds.
const DEFAULT_REFRESH_MARGIN: u64 = 30;

/// Values of a method's `session` key.
pub(super) fn method_session(
    at: &At,
    value: Option<&str>,
    provider_has_session: bool,
    cx: &mut Ctxt,
) -> MethodSession {
    let session = match value {
        None => return MethodSession::None,
        Some("use") => MethodSession::Use,
        Some("end") => MethodSession::End,
        Some(other) => {
            at.error_hint(
                cx,
                format!("unknown session use `{other}`"),
                "write `use` (the call carries the session key) or `end` (it also ends the session)",
            );
            return MethodSession::None;
        }
    };
    if !provider_has_session {
        at.error_hint(
            cx,
            "the method uses a session, but provider.yaml declares none",
            "add a `session` section to provider.yaml, or remove this key",
        );
    }
    session
}

pub(super) fn check_session(
    at: &At,
    spec: &SessionSpec,
    carry: Option<&KeyPlaces>,
    wire: &Wire,
    all: &mut [Method],
    cx: &mut Ctxt,
) -> Option<Session> {
    let carry = carry.filter(|places| check_provider_carry(places, wire, all, cx));
    let methods: &[Method] = all;
    let login = find_method(&at.key("login"), &spec.login, methods, cx);
    let login_method = login.map(|i| &methods[i]);
    if let Some(m) = login_method.filter(|m| m.session != MethodSession::None) {
        at.key("login").error_hint(
            cx,
            format!("login method `{}` cannot itself use the session", m.wire),
            format!("remove `session` from the file of `{}`", m.wire),
        );
    }
    let key_is_answer = spec.key.is_empty();
    let key = login_method.and_then(|m| {
        let at_key = at.key("key");
        if key_is_answer {
            return answer_as_key(at, m, cx);
        }
        let field = find_field(&at_key, &spec.key, response_fields(m), "response field", cx)?;
        if field.ty != Ty::String || field.presence != Presence::Required {
            at_key.error_hint(
                cx,
                format!("session key `{}` is not a required string field", spec.key),
                "the key must be a `type: string` field that every successful login returns",
            );
            return None;
        }
        if !field.secret {
            at_key.error_hint(
                cx,
                format!("session key `{}` is not marked secret", spec.key),
                "add `secret: true` to the field, so the login response never shows the key",
            );
            return None;
        }
        Some(field.clone())
    });
    let lifetime = login_method.and_then(|m| check_lifetime(at, spec, m, cx));
    if spec.refresh_margin.is_some() && matches!(lifetime, Some(Lifetime::Unknown)) {
        at.key("refresh_margin").error_hint(
            cx,
            "a refresh margin needs a lifetime to count back from",
            "add a `lifetime`, or remove `refresh_margin`",
        );
    }
    let sliding = spec.lifetime.as_ref().is_some_and(|l| l.sliding);
    if sliding && matches!(lifetime, Some(Lifetime::Unknown)) {
        at.key("lifetime").key("sliding").error_hint(
            cx,
            "a sliding session needs a lifetime",
            "add `seconds`, `from_response` or `from_param`",
        );
    }
    let refresh_param = match (&spec.refresh_param, login) {
        (Some(_), None) => None,
        (Some(_), Some(login)) => Some(check_refresh_param(at, spec, login, methods, cx)?),
        (None, _) => None,
    };
    let refresh = match (&spec.refresh, login, &key, &lifetime) {
        (None, ..) => None,
        (Some(r), Some(login), Some(key), Some(lifetime)) => Some(super::refresh::check_refresh(
            &at.key("refresh"),
            r,
            login,
            key,
            lifetime,
            methods,
            cx,
        )?),
        (Some(_), ..) => None,
    };
    let steps = match login {
        Some(_) if spec.steps.is_none() => Some((Vec::new(), Vec::new())),
        Some(login) => super::steps::check_steps(at, spec, login, methods, cx),
        None => None,
    };
    let (login, key, carry, lifetime) = (login?, key?, carry?, lifetime?);
    let (steps, credentials) = steps?;
    // The key goes last, after everything else the call sends: the
    // provider's places (unless the method replaces them), then its own.
    let (first, _) = carry.first()?;
    let mut shown = None;
    for m in all.iter_mut().filter(|m| m.session != MethodSession::None) {
        let mut keys: Vec<Binding> = Vec::new();
        if !m.carry_replaced {
            keys.extend(carry.iter().map(|(p, _)| key_binding(p, &m.members_at)));
            shown.get_or_insert_with(|| key_binding(first, &m.members_at).location);
        }
        keys.append(&mut m.key_bindings);
        m.bindings.extend(keys);
    }
    Some(Session {
        login,
        key,
        key_is_answer,
        carry: shown.unwrap_or_else(|| match first {
            Place::Fixed(l) => l.clone(),
            Place::Member(n) => Location::Body(member("", n)),
        }),
        lifetime,
        sliding,
        refresh_margin: spec.refresh_margin.unwrap_or(DEFAULT_REFRESH_MARGIN),
        refresh_param,
        refresh,
        steps,
        credentials,
    })
}

fn check_lifetime(at: &At, spec: &SessionSpec, login: &Method, cx: &mut Ctxt) -> Option<Lifetime> {
    let Some(l) = &spec.lifetime else {
        return Some(Lifetime::Unknown);
    };
    let at_l = at.key("lifetime");
    let unit = match l.unit.as_deref() {
        None | Some("s") => Unit::Seconds,
        Some("ms") => Unit::Millis,
        Some(other) => {
            at_l.key("unit").error_hint(
                cx,
                format!("unknown unit `{other}`"),
                "use `s` (seconds) or `ms` (milliseconds)",
            );
            return None;
        }
    };
    if l.unit.is_some() && l.from_response.is_none() && l.from_param.is_none() {
        at_l.key("unit").error_hint(
            cx,
            "a unit applies to `from_response` or `from_param`",
            "`seconds` is always in seconds: remove `unit`",
        );
        return None;
    }
    match (l.seconds, &l.from_response, &l.from_param) {
        (None, None, None) => Some(Lifetime::Unknown),
        (Some(0), None, None) => {
            at_l.key("seconds").error_hint(
                cx,
                "a lifetime of 0 seconds would log in before every call",
                "write the lifetime the vendor documents, e.g. 3600",
            );
            None
        }
        (Some(seconds), None, None) => Some(Lifetime::Seconds(seconds)),
        (None, Some(name), None) => {
            let at_f = at_l.key("from_response");
            let field = find_field(&at_f, name, response_fields(login), "response field", cx)?;
            integer_lifetime(&at_f, field, cx).then(|| Lifetime::Response(field.clone(), unit))
        }
        (None, None, Some(name)) => {
            let at_f = at_l.key("from_param");
            let field = find_field(&at_f, name, &login.params, "parameter", cx)?;
            integer_lifetime(&at_f, field, cx).then(|| Lifetime::Param(field.clone(), unit))
        }
        _ => {
            at_l.error_hint(
                cx,
                "a lifetime has at most one of `seconds`, `from_response` and `from_param`",
                "keep the one the vendor documents",
            );
            None
        }
    }
}

pub(super) fn integer_lifetime(at: &At, field: &Field, cx: &mut Ctxt) -> bool {
    if matches!(field.ty, Ty::Int(_)) {
        return true;
    }
    at.error_hint(
        cx,
        format!("lifetime field `{}` is not an integer", field.wire),
        "the lifetime must be a whole number of seconds, or of milliseconds with `unit: ms` (an `i*` or `u*` type)",
    );
    false
}

fn check_refresh_param(
    at: &At,
    spec: &SessionSpec,
    login: usize,
    methods: &[Method],
    cx: &mut Ctxt,
) -> Option<RefreshParam> {
    let r = spec.refresh_param.as_ref()?;
    let at_r = at.key("refresh_param");
    let login_m = &methods[login];
    let param = find_field(
        &at_r.key("param"),
        &r.param,
        &login_m.params,
        "parameter",
        cx,
    );
    let on = login_m
        .errors
        .iter()
        .find(|e| e.code.as_ref() == Some(&r.on));
    if on.is_none() {
        let codes: Vec<String> = login_m
            .errors
            .iter()
            .filter_map(|e| e.code.as_ref().map(CodeValue::to_string))
            .collect();
        let same_text = codes.iter().any(|c| *c == r.on.to_string());
        let hint = if codes.is_empty() {
            format!("`{}` declares no error codes", login_m.wire)
        } else if same_text {
            "write the code as the provider's `code_type` says: a number or a quoted string"
                .to_string()
        } else {
            format!("its codes are: {}", codes.join(", "))
        };
        at_r.key("on").error_hint(
            cx,
            format!("`{}` is not an error code of `{}`", r.on, login_m.wire),
            hint,
        );
    }
    let method = find_method(&at_r.key("method"), &r.method, methods, cx)?;
    let m = &methods[method];
    if method == login {
        at_r.key("method").error_hint(
            cx,
            "the login method cannot fetch its own parameter",
            "name the method that returns the fresh value",
        );
        return None;
    }
    if m.session != MethodSession::None {
        at_r.key("method").error_hint(
            cx,
            format!(
                "`{}` cannot refresh a login parameter: it needs a session itself",
                m.wire
            ),
            "name a method that works without logging in",
        );
        return None;
    }
    let field = find_field(
        &at_r.key("field"),
        &r.field,
        response_fields(m),
        "response field",
        cx,
    );
    let (param, field) = (param?, field?);
    if field.ty != param.ty || field.secret != param.secret || field.presence != Presence::Required
    {
        at_r.key("field").error_hint(
            cx,
            format!(
                "`{}` of `{}` cannot fill login parameter `{}`",
                field.wire, m.wire, param.wire
            ),
            "the field must be required, have the parameter's type, and be secret exactly when the parameter is",
        );
        return None;
    }
    let mut args = Vec::new();
    let mut ok = true;
    for (i, (name, value)) in r.args.0.iter().enumerate() {
        let at_a = at_r.repeated_in("args", &r.args.0, i);
        if r.args.0[..i].iter().any(|(n, _)| n == name) {
            at_a.error_hint(cx, format!("argument `{name}` is given twice"), "keep one");
            ok = false;
            continue;
        }
        let Some(target) = find_field(&at_a, name, &m.params, "parameter", cx) else {
            ok = false;
            continue;
        };
        let arg = match value {
            ArgSpec::Param { param } => {
                let at_p = at_a.key("param");
                let Some(source) = find_field(&at_p, param, &login_m.params, "parameter", cx)
                else {
                    ok = false;
                    continue;
                };
                if source.ty != target.ty
                    || source.secret != target.secret
                    || source.presence != Presence::Required
                {
                    at_p.error_hint(
                        cx,
                        format!("login parameter `{param}` cannot fill `{name}`"),
                        "use a required login parameter of the same type (and secret exactly when this one is), or a literal",
                    );
                    ok = false;
                    continue;
                }
                Arg::Param(source.clone())
            }
            ArgSpec::Value(literal) => {
                if !literal_fits(literal, &target.ty) {
                    at_a.error_hint(
                        cx,
                        format!("value for `{name}` does not fit its type"),
                        "write a literal of the parameter's type",
                    );
                    ok = false;
                    continue;
                }
                Arg::Value(literal.clone())
            }
        };
        args.push((target.clone(), arg));
    }
    for p in m.params.iter().filter(|p| p.presence == Presence::Required) {
        if ok && !args.iter().any(|(f, _)| f.wire == p.wire) {
            at_r.key("args").error_hint(
                cx,
                format!(
                    "required parameter `{}` of `{}` has no argument",
                    p.wire, m.wire
                ),
                format!(
                    "add `{}: <value>` or `{}: {{param: <login parameter>}}`",
                    p.wire, p.wire
                ),
            );
            ok = false;
        }
    }
    // Arguments in the method's own parameter order, so the emitted call reads naturally.
    args.sort_by_key(|(f, _)| m.params.iter().position(|p| p.wire == f.wire));
    let on = on?.name.clone();
    ok.then(|| RefreshParam {
        param: param.clone(),
        on,
        method,
        field: field.clone(),
        args,
    })
}

pub(super) fn find_method(at: &At, wire: &str, methods: &[Method], cx: &mut Ctxt) -> Option<usize> {
    let found = methods.iter().position(|m| m.wire == wire);
    if found.is_none() {
        let names: Vec<&str> = methods.iter().map(|m| m.wire.as_str()).collect();
        at.error_hint(
            cx,
            format!("no method `{wire}` in this provider"),
            format!("its methods are: {}", names.join(", ")),
        );
    }
    found
}

pub(super) fn find_field<'f>(
    at: &At,
    wire: &str,
    fields: &'f [Field],
    what: &str,
    cx: &mut Ctxt,
) -> Option<&'f Field> {
    let found = fields.iter().find(|f| f.wire == wire);
    if found.is_none() {
        let names: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
        at.error_hint(
            cx,
            format!("no {what} `{wire}`"),
            if names.is_empty() {
                "there are none".to_string()
            } else {
                format!("the {what}s are: {}", names.join(", "))
            },
        );
    }
    found
}

pub(super) fn response_fields(m: &Method) -> &[Field] {
    match &m.response.def {
        TypeDef::Struct { fields, .. } => fields,
        _ => &[],
    }
}

/// `key` left out: the login's answer must be a secret string, and is the key.
fn answer_as_key(at: &At, m: &Method, cx: &mut Ctxt) -> Option<Field> {
    match &m.answer {
        Answer::Secret => Some(Field {
            wire: String::new(),
            rust: "response".into(),
            ty: Ty::String,
            presence: Presence::Required,
            doc: String::new(),
            secret: true,
            transform: None,
            lenient: false,
            embedded_json: false,
            checks: Vec::new(),
            example: None,
        }),
        Answer::Value(Ty::String) => {
            at.key("login").error_hint(
                cx,
                format!(
                    "the answer of `{}` is the session key, and is not secret",
                    m.wire
                ),
                format!(
                    "add `secret: true` under `response` in the file of `{}`",
                    m.wire
                ),
            );
            None
        }
        _ => {
            at.error_hint(
                cx,
                "the session has no `key`",
                format!(
                    "write `key: FIELD`, naming the field of `{}`'s answer that holds the key; only a `type: string` answer can be the key itself",
                    m.wire
                ),
            );
            None
        }
    }
}
