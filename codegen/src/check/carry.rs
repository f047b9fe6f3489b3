//! Where the session key goes: the provider's `session.carry` (a location,
//! or v1's `field` / `query`, plus `also`), and a method's own `carry`,
//! which replaces the provider's (when it has a location) or adds places to
//! it (`also` alone). Verdaccio's logout sends the key as a Bearer header
//! and in its path; Node-RED's revoke as a Bearer header and a form member.

use super::bindings::{also_places, check_one, check_place, place, Frame, Keys, Place};
use super::request::Wire;
use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec::CarrySpec;

/// The places of one `carry`, each with where it is written.
pub(super) type KeyPlaces<'a> = Vec<(Place, At<'a>)>;

/// Reads a `carry` at `at_carry`: the primary place (if any) first, then
/// those of `also`. `method`: a method's own carry, which may be `also` alone.
/// Returns whether a primary place was given, and the places.
pub(super) fn carry_places<'a>(
    at_carry: &At<'a>,
    c: &CarrySpec,
    method: bool,
    cx: &mut Ctxt,
) -> Option<(bool, KeyPlaces<'a>)> {
    let located = c.in_.is_some() || c.at.is_some() || c.name.is_some() || c.template.is_some();
    let primary = match (&c.field, &c.query, located) {
        (Some(name), None, false) => Some((Place::Member(name.clone()), "field")),
        (None, Some(name), false) => Some((Place::Fixed(Location::Query(name.clone())), "query")),
        (None, None, true) => {
            let keys = Keys {
                in_: c.in_.as_deref(),
                at: c.at.as_deref(),
                name: c.name.as_deref(),
                template: c.template.as_deref(),
            };
            Some((place(at_carry, keys, None, cx)?, "name"))
        }
        (None, None, false) if method && !c.also.is_empty() => None,
        _ => {
            let (message, hint) = if method {
                (
                    "a method's `carry` needs a location (it replaces the provider's), or `also` alone (places added to the provider's)",
                    "e.g. `carry: {also: [{in: path, name: token}]}`",
                )
            } else {
                (
                    "`carry` needs a location (`in`, `at`, `name`, `template`), or exactly one of v1's `field` and `query`",
                    "e.g. `carry: {in: body, name: sessionKey}`, `carry: {in: query, name: Token}` or `carry: {in: header, name: Authorization, template: \"Bearer {value}\"}`",
                )
            };
            at_carry.error_hint(cx, message, hint);
            return None;
        }
    };
    let mut places = Vec::new();
    if let Some((p, key)) = primary.as_ref() {
        let empty = match p {
            Place::Member(n) | Place::Fixed(Location::Query(n)) => n.trim().is_empty(),
            _ => false,
        };
        if empty {
            at_carry.key(key).error_hint(
                cx,
                "the session key's name is empty",
                "write its wire name",
            );
            return None;
        }
        places.push((p.clone(), at_carry.key(key)));
    }
    let also = also_places(at_carry, &c.also, None, cx);
    if also.len() != c.also.len() {
        return None;
    }
    places.extend(also);
    Some((primary.is_some(), places))
}

/// A key binding of place `p` in a method whose body members go at `members_at`.
pub(super) fn key_binding(p: &Place, members_at: &str) -> Binding {
    let location = match p {
        Place::Fixed(l) => l.clone(),
        Place::Member(n) => Location::Body(super::bindings::member(members_at, n)),
    };
    Binding {
        source: ValueSource::SessionKey,
        location,
    }
}

/// The provider's places must not go where a method using the provider's
/// carry already sends something; each place is reported once, at its own
/// line. A place in a path is checked in every method (each must have the
/// placeholder), other values once.
pub(super) fn check_provider_carry(
    places: &KeyPlaces,
    wire: &Wire,
    methods: &[Method],
    cx: &mut Ctxt,
) -> bool {
    let mut ok = true;
    for (i, (p, at_p)) in places.iter().enumerate() {
        let mut checked_value = false;
        let users = methods
            .iter()
            .filter(|m| m.session != MethodSession::None && !m.carry_replaced);
        for m in users {
            let placeholders = super::wire::placeholders(&m.path).unwrap_or_default();
            let frame = Frame {
                protocol: &wire.protocol,
                json_strings: &m.json_strings,
                placeholders: &placeholders,
                params: &m.params,
            };
            let before: Vec<Binding> = places[..i]
                .iter()
                .map(|(q, _)| key_binding(q, &m.members_at))
                .collect();
            let earlier: Vec<&Binding> = m.bindings.iter().chain(&before).collect();
            let b = key_binding(p, &m.members_at);
            let value = !checked_value || matches!(b.location, Location::Path(_));
            let fine = if value {
                checked_value = true;
                check_one(&frame, &earlier, &b, at_p, cx)
            } else {
                check_place(&earlier, &b, at_p, &frame, cx)
            };
            if !fine {
                ok = false;
                break;
            }
        }
    }
    ok
}

/// Where a method sends the session key: its own `carry` (replacing the
/// provider's places, or adding to them with `also` alone), checked against
/// what the method already sends. Returns the method's own key bindings,
/// whether they replace the provider's, and every place the key goes (path
/// placeholders it fills count as filled).
pub(super) fn method_keys(
    at_carry: &At,
    carry: Option<&CarrySpec>,
    uses_session: bool,
    (bound, members_at): (&[Binding], &str),
    provider: Option<&KeyPlaces>,
    frame: &Frame,
    cx: &mut Ctxt,
) -> (Vec<Binding>, bool, Vec<Binding>) {
    let (own, replaced) = match carry {
        Some(_) if !uses_session => {
            at_carry.error_hint(
                cx,
                "`carry` says where the session key goes, but the method does not use the session",
                "add `session: use` (or `end`), or remove `carry`",
            );
            (Vec::new(), false)
        }
        Some(c) => method_carry((at_carry, c), bound, members_at, provider, frame, cx),
        None => (Vec::new(), false),
    };
    let mut keys = own.clone();
    if uses_session && !replaced {
        let provider = provider.into_iter().flatten();
        keys.extend(provider.map(|(p, _)| key_binding(p, members_at)));
    }
    (own, replaced, keys)
}

/// A method's own `carry` (where it is written, and the spec): its places,
/// checked against what the method sends (`bound`) and, when they add to
/// the provider's, against those. Returns the key bindings and whether they
/// replace the provider's.
fn method_carry(
    (at_carry, c): (&At, &CarrySpec),
    bound: &[Binding],
    members_at: &str,
    provider: Option<&KeyPlaces>,
    frame: &Frame,
    cx: &mut Ctxt,
) -> (Vec<Binding>, bool) {
    let Some((replaces, own)) = carry_places(at_carry, c, true, cx) else {
        return (Vec::new(), false);
    };
    let mut earlier: Vec<Binding> = bound.to_vec();
    if !replaces {
        let provider = provider.into_iter().flatten();
        earlier.extend(provider.map(|(p, _)| key_binding(p, members_at)));
    }
    let mut out = Vec::new();
    for (p, at_p) in &own {
        let b = key_binding(p, members_at);
        let refs: Vec<&Binding> = earlier.iter().collect();
        if check_one(frame, &refs, &b, at_p, cx) {
            earlier.push(b.clone());
            out.push(b);
        }
    }
    (out, replaces)
}
