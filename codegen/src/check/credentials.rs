//! Rules for what a client sends on every call without a login: secret
//! variables (client credentials), the session-id handshake and the
//! request id.

use super::bindings::{member, place, token, Keys, Place};
use super::request::setting_pointer;
use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec::{HandshakeSpec, RequestIdSpec, VariableSpec};

/// A secret variable is a credential: sent with every call, never put into
/// the base URL (which shows in logs and errors).
pub(super) fn check_secret_variable(at: &At, v: &VariableSpec, base_url: &str, cx: &mut Ctxt) {
    if !v.secret {
        return;
    }
    if base_url.contains(&format!("{{{}}}", v.name)) {
        at.key("secret").error_hint(
            cx,
            format!(
                "secret variable `{}` fills a `{{{}}}` placeholder of the base URL, which shows in logs and errors",
                v.name, v.name
            ),
            "send it with `in: basic_password`, `in: header` (with `template`), `in: query` or `in: cookie`, and remove the placeholder",
        );
    } else if v.in_.is_none() && !v.send_as_field && v.at.is_none() {
        at.key("secret").error_hint(
            cx,
            format!("secret variable `{}` is sent nowhere", v.name),
            "say where every call sends it: `in: basic_user`, `basic_password`, `header` (with `template`), `query`, `cookie` or `body`",
        );
    }
    if let Some(c) = &v.constraints {
        if c.pattern.is_some() {
            at.key("constraints").key("pattern").error_hint(
                cx,
                format!("secret variable `{}` cannot have a `pattern`", v.name),
                "a pattern check's error would describe the secret; check its length only",
            );
        }
    }
}

/// `request.handshake`: a client-error status and a header name.
pub(super) fn check_handshake(
    at: &At,
    spec: &HandshakeSpec,
    cx: &mut Ctxt,
) -> Option<(u16, String)> {
    let mut ok = true;
    if !(400..=499).contains(&spec.status) {
        at.key("status").error_hint(
            cx,
            format!(
                "handshake status {} is not a client error (400-499)",
                spec.status
            ),
            "the status of the answer that hands out a new value, such as 409",
        );
        ok = false;
    }
    ok &= token(&at.key("header"), "header", &spec.header, cx).is_some();
    let reserved = [
        "authorization",
        "cookie",
        "content-type",
        "content-length",
        "host",
        "accept",
    ];
    if reserved.contains(&spec.header.to_ascii_lowercase().as_str()) {
        at.key("header").error_hint(
            cx,
            format!("the handshake header cannot be `{}`, which the client writes itself", spec.header),
            "name the header the server hands the value out in, such as `X-Transmission-Session-Id`",
        );
        ok = false;
    }
    ok.then(|| (spec.status, spec.header.clone()))
}

/// `request.request_id`: where the counter goes, and where answers echo it.
pub(super) fn check_request_id<'a>(
    at: &At<'a>,
    spec: &RequestIdSpec,
    cx: &mut Ctxt,
) -> Option<(Binding, At<'a>, Option<String>)> {
    let kind = spec.in_.as_deref().unwrap_or("body");
    if matches!(kind, "path" | "basic_user" | "basic_password") {
        at.key("in").error_hint(
            cx,
            format!("a request id cannot go `in: {kind}`"),
            "send it in the body (`at: /id`), a query parameter, a header or a cookie",
        );
        return None;
    }
    let keys = Keys {
        in_: spec.in_.as_deref(),
        at: spec.at.as_deref(),
        name: spec.name.as_deref(),
        template: spec.template.as_deref(),
    };
    let location = match place(at, keys, Some("id"), cx)? {
        Place::Fixed(l) => l,
        Place::Member(n) => Location::Body(member("", &n)),
    };
    let check = match &spec.check {
        Some(p) if setting_pointer(&at.key("check"), p, false, cx) => Some(p.clone()),
        Some(_) => return None,
        None => None,
    };
    let binding = Binding {
        source: ValueSource::RequestId,
        location,
    };
    Some((binding, at.clone(), check))
}

/// The header a binding writes, if any (Basic halves write `Authorization`,
/// cookies one `Cookie`).
fn header_of(location: &Location) -> Option<&str> {
    match location {
        Location::Header { name, .. } => Some(name),
        Location::BasicUser | Location::BasicPassword => Some("Authorization"),
        Location::Cookie(_) => Some("Cookie"),
        _ => None,
    }
}

/// A binding that writes the handshake's header would be replaced by it.
pub(super) fn check_handshake_clash(
    handshake: Option<&(u16, String)>,
    list: &[(Binding, At)],
    cx: &mut Ctxt,
) {
    let Some((_, header)) = handshake else {
        return;
    };
    for (b, at_b) in list {
        if header_of(&b.location).is_some_and(|h| h.eq_ignore_ascii_case(header)) {
            at_b.error_hint(
                cx,
                format!("this value goes in the header `{header}`, which the handshake sends"),
                "send it elsewhere, or drop `request.handshake`",
            );
        }
    }
}

/// `credentials`: alternative groups of client variables. Each names
/// variables that are sent (a group only decides what is sent), no group is
/// empty, and no two send the same set (the choice would mean nothing).
pub(super) fn check_credential_groups(
    at: &At,
    groups: &[crate::spec::CredentialGroupSpec],
    variables: &[Variable],
    type_names: &[&str],
    cx: &mut Ctxt,
) -> Vec<CredentialGroup> {
    use heck::ToUpperCamelCase;
    let mut out: Vec<CredentialGroup> = Vec::new();
    if !groups.is_empty() && type_names.contains(&"Credentials") {
        at.error_hint(
            cx,
            "a shared type is named `Credentials`, the enum the credential groups make",
            "rename the type",
        );
    }
    if !groups.is_empty() {
        // `Client::new(credentials, …)` takes the other variables after it.
        if let Some(v) = variables.iter().find(|v| v.rust == "credentials") {
            at.error_hint(
                cx,
                format!(
                    "variable `{}` becomes the argument `credentials`, which the credential groups take",
                    v.wire
                ),
                "set a different `rust_name` on the variable",
            );
        }
    }
    let mut names = std::collections::BTreeSet::new();
    for (i, g) in groups.iter().enumerate() {
        let at_g = at.index(i);
        if !super::names::is_snake_ident(&g.name) {
            at_g.key("name").error_hint(
                cx,
                format!("credential group name `{}` is not snake_case", g.name),
                "use a snake_case name such as `password` or `api_key`",
            );
            continue;
        }
        if !names.insert(g.name.clone()) {
            at_g.key("name").error_hint(
                cx,
                format!("credential group `{}` is declared twice", g.name),
                "give each group its own name",
            );
            continue;
        }
        if g.variables.is_empty() {
            at_g.key("variables").error_hint(
                cx,
                format!("credential group `{}` has no variables", g.name),
                "list the variables this way of authenticating sends",
            );
            continue;
        }
        let mut members = Vec::new();
        for (j, name) in g.variables.iter().enumerate() {
            let at_v = at_g.key("variables").index(j);
            let Some(k) = variables.iter().position(|v| &v.wire == name) else {
                let known: Vec<&str> = variables.iter().map(|v| v.wire.as_str()).collect();
                at_v.error_hint(
                    cx,
                    format!("`{name}` is not a variable of the provider"),
                    if known.is_empty() {
                        "declare it under `variables:`".to_string()
                    } else {
                        format!("the variables are: {}", known.join(", "))
                    },
                );
                continue;
            };
            if members.contains(&k) {
                at_v.error_hint(
                    cx,
                    format!("`{name}` is listed twice in group `{}`", g.name),
                    "remove one",
                );
            } else if !variables[k].sent {
                at_v.error_hint(
                    cx,
                    format!("variable `{name}` is not sent, so choosing its group changes nothing"),
                    "give it a location (`in: query`, `header`, `basic_user`, …)",
                );
            } else {
                members.push(k);
            }
        }
        let mut sorted = members.clone();
        sorted.sort_unstable();
        if let Some(other) = out.iter().find(|o| {
            let mut theirs = o.variables.clone();
            theirs.sort_unstable();
            theirs == sorted
        }) {
            at_g.key("variables").error_hint(
                cx,
                format!(
                    "credential groups `{}` and `{}` send the same variables",
                    other.name, g.name
                ),
                "merge the two groups, or make them differ",
            );
            continue;
        }
        out.push(CredentialGroup {
            name: g.name.clone(),
            variant: g.name.to_upper_camel_case(),
            doc: g.doc.clone(),
            variables: members,
        });
    }
    out
}
