//! Rules for `session.refresh`: a method that trades the refresh token a
//! login handed over for a new key, and maybe a new refresh token.

use super::session::{find_field, find_method, integer_lifetime, response_fields};
use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec::RefreshSpec;

pub(super) fn check_refresh(
    at: &At,
    spec: &RefreshSpec,
    login: usize,
    key: &Field,
    lifetime: &Lifetime,
    methods: &[Method],
    cx: &mut Ctxt,
) -> Option<Refresh> {
    let login_m = &methods[login];
    let at_token = at.key("token");
    let token = find_field(
        &at_token,
        &spec.token,
        response_fields(login_m),
        "response field",
        cx,
    );
    let token = token.filter(|t| secret_string(&at_token, t, "refresh token field", cx));
    if spec.token == key.wire {
        at_token.error_hint(
            cx,
            format!(
                "the refresh token field `{}` is the session key",
                spec.token
            ),
            "name the login answer's field that holds the refresh token, not the key",
        );
        return None;
    }
    let at_m = at.key("method");
    let method = find_method(&at_m, &spec.method, methods, cx)?;
    let m = &methods[method];
    if method == login {
        at_m.error_hint(
            cx,
            format!("the refresh method `{}` is the login method", m.wire),
            "name the method that takes the refresh token; without one, leave `refresh` out and the session logs in again",
        );
        return None;
    }
    if m.session != MethodSession::None {
        at_m.error_hint(
            cx,
            format!("the refresh method `{}` uses the session itself", m.wire),
            format!(
                "remove `session` from the file of `{}`: its credential is the refresh token",
                m.wire
            ),
        );
        return None;
    }
    let at_p = at.key("param");
    let param = find_field(&at_p, &spec.param, &m.params, "parameter", cx)
        .filter(|p| secret_string(&at_p, p, "refresh token parameter", cx));
    let mut ok = true;
    // Only once the token has its parameter: otherwise that is the mistake.
    let others = m
        .params
        .iter()
        .filter(|p| param.is_some() && p.presence == Presence::Required);
    for p in others {
        if p.wire != spec.param {
            at_p.error_hint(
                cx,
                format!(
                    "required parameter `{}` of `{}` would have no value",
                    p.wire, m.wire
                ),
                "the session fills only the refresh token: give the other parameters a `default` or a constant",
            );
            ok = false;
        }
    }
    let fields = response_fields(m);
    let new_key = fields.iter().find(|f| f.wire == key.wire);
    let new_key = match new_key {
        Some(f) if f.ty == Ty::String && f.presence == Presence::Required && f.secret => f,
        found => {
            let what = if found.is_some() {
                "is not a required secret string"
            } else {
                "is missing"
            };
            at_m.error_hint(
                cx,
                format!(
                    "the session key field `{}` of the refresh answer {what}",
                    key.wire
                ),
                format!(
                    "the response of `{}` needs a required `type: string`, `secret: true` field `{}`, like the login's",
                    m.wire, key.wire
                ),
            );
            return None;
        }
    };
    let rotated = match fields.iter().find(|f| f.wire == spec.token) {
        None => None,
        Some(f) if f.ty == Ty::String && f.secret => Some(f.clone()),
        Some(f) => {
            at_token.error_hint(
                cx,
                format!("the refresh answer's `{}` is not a secret string", f.wire),
                format!(
                    "make `{}` of `{}` a `type: string`, `secret: true` field",
                    f.wire, m.wire
                ),
            );
            return None;
        }
    };
    let lifetime = match lifetime {
        Lifetime::Response(f, _) => match fields.iter().find(|r| r.wire == f.wire) {
            Some(r) => {
                integer_lifetime(&at_m, r, cx).then_some(())?;
                Some(r.clone())
            }
            None => None,
        },
        _ => None,
    };
    let (token, param) = (token?, param?);
    ok.then(|| Refresh {
        method,
        token: token.clone(),
        param: param.clone(),
        key: new_key.clone(),
        rotated,
        lifetime,
    })
}

/// A refresh token is a secret string wherever it appears.
fn secret_string(at: &At, f: &Field, what: &str, cx: &mut Ctxt) -> bool {
    if f.ty == Ty::String && f.secret {
        return true;
    }
    at.error_hint(
        cx,
        format!("{what} `{}` is not a secret string", f.wire),
        "a refresh token is a credential: make it `type: string` with `secret: true`",
    );
    false
}
