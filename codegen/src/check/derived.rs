//! Rules for derived parameters (`derived: [...]`): values a call computes
//! at send time from its other parameters, text, a nonce or the time, by
//! hashes, HMAC and text encodings.

use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec::{DerivedItemSpec, DerivedMapSpec, FieldSpec};

/// Words of a `derived` list.
pub const DERIVED_WORDS: &[&str] = &[
    "unix_time",
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "hex",
    "base64",
    "base64url",
];

/// The longest nonce a spec may ask for.
const MAX_NONCE: i64 = 1024;

/// A derived parameter waiting for the method's other parameters.
pub(super) struct Pending<'s, 'a> {
    pub wire: String,
    pub spec: &'s FieldSpec,
    pub at: At<'a>,
}

/// Checks every derived parameter of a method against the method's plain
/// parameters (`params`, `in: none` ones included) and each other. Returns
/// one binding source per pending entry, `None` where it is broken.
pub(super) fn check_derived(
    pending: &[Pending],
    params: &[Field],
    cx: &mut Ctxt,
) -> Vec<Option<ValueSource>> {
    let mut pipelines: Vec<Option<Derived>> = pending
        .iter()
        .map(|p| pipeline(p, pending, params, cx))
        .collect();
    // A cycle among derived values: report each member once, drop them all.
    let cyclic: Vec<usize> = (0..pending.len())
        .filter(|&i| reaches(i, i, &pipelines, pending, &mut Vec::new()))
        .collect();
    for i in cyclic {
        pending[i].at.key("derived").error_hint(
            cx,
            format!(
                "`{}` is derived, through its parts, from itself",
                pending[i].wire
            ),
            "a derived value reads parameters and other derived values, never itself",
        );
        pipelines[i] = None;
    }
    (0..pending.len())
        .map(|i| {
            let derived = pipelines[i].clone()?;
            Some(ValueSource::Derived {
                name: pending[i].wire.clone(),
                secret: secret(i, &pipelines, pending, params, &mut Vec::new()),
                pipeline: derived,
            })
        })
        .collect()
}

/// The wire names a pipeline reads (parts and HMAC keys).
fn inputs(d: &Derived) -> impl Iterator<Item = &str> {
    let parts = d.parts.iter().filter_map(|p| match p {
        DerivedPart::Param(n) => Some(n.as_str()),
        _ => None,
    });
    let keys = d.steps.iter().filter_map(|s| match s {
        DerivedStep::Hmac { key, .. } => Some(key.as_str()),
        _ => None,
    });
    parts.chain(keys)
}

fn reaches(
    from: usize,
    target: usize,
    pipelines: &[Option<Derived>],
    pending: &[Pending],
    seen: &mut Vec<usize>,
) -> bool {
    let Some(d) = &pipelines[from] else {
        return false;
    };
    for name in inputs(d) {
        if let Some(j) = pending.iter().position(|p| p.wire == name) {
            if j == target {
                return true;
            }
            if !seen.contains(&j) {
                seen.push(j);
                if reaches(j, target, pipelines, pending, seen) {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether a derived value is computed, at any depth, from a secret.
fn secret(
    i: usize,
    pipelines: &[Option<Derived>],
    pending: &[Pending],
    params: &[Field],
    seen: &mut Vec<usize>,
) -> bool {
    if pending[i].spec.secret {
        return true;
    }
    seen.push(i);
    let Some(d) = &pipelines[i] else {
        return false;
    };
    inputs(d).any(|name| {
        if params.iter().any(|f| f.wire == name && f.secret) {
            return true;
        }
        match pending.iter().position(|p| p.wire == name) {
            Some(j) if !seen.contains(&j) => secret(j, pipelines, pending, params, seen),
            _ => false,
        }
    })
}

fn pipeline(p: &Pending, all: &[Pending], params: &[Field], cx: &mut Ctxt) -> Option<Derived> {
    let at = p.at.key("derived");
    let items = p.spec.derived.as_deref().unwrap_or_default();
    let before = cx.error_count();
    for (key, given) in [
        ("default", p.spec.default.is_some()),
        ("in", p.spec.in_.as_deref() == Some("none")),
        ("transform", p.spec.transform.is_some()),
        ("constraints", p.spec.constraints.is_some()),
    ] {
        if given {
            p.at.key(key).error_hint(
                cx,
                format!("a derived parameter cannot have `{key}` here"),
                match key {
                    "default" => "a derived value is computed on every call; remove `default`",
                    "in" => "a derived value exists to be sent; give it a location, or drop it",
                    "transform" => "write the transform as steps of `derived` (`sha256, base64`)",
                    _ => "the caller does not set a derived value, so there is nothing to check",
                },
            );
        }
    }
    if !p.spec.required {
        p.at.key("required").error_hint(
            cx,
            "a derived parameter is always sent",
            "remove `required: false`",
        );
    }
    if p.spec.ty != "string" {
        p.at.key("type").error_hint(
            cx,
            format!("a derived value is text, not `{}`", p.spec.ty),
            "write `type: string`",
        );
    }
    let mut parts = Vec::new();
    let mut steps = Vec::new();
    // Whether the bytes so far are text (parts and encodings) or raw (hashes).
    let mut text = true;
    for (i, item) in items.iter().enumerate() {
        let at_i = at.index(i);
        let step = match item {
            DerivedItemSpec::Word(w) => match w.as_str() {
                "unix_time" => {
                    part_here(&at_i, &steps, cx);
                    parts.push(DerivedPart::UnixTime);
                    continue;
                }
                "md5" | "sha1" | "sha256" | "sha512" => DerivedStep::Hash(hash(w)?),
                "hex" => DerivedStep::Hex,
                "base64" => DerivedStep::Base64,
                "base64url" => DerivedStep::Base64Url,
                other => {
                    at_i.error_hint(
                        cx,
                        format!("unknown derived item `{other}`"),
                        format!(
                            "use one of: {}, or a map `param`, `text`, `nonce` or `hmac`",
                            DERIVED_WORDS.join(", ")
                        ),
                    );
                    continue;
                }
            },
            DerivedItemSpec::Map(map) => {
                let Some(item) = map_item(&at_i, map, p, all, params, cx) else {
                    continue;
                };
                match item {
                    Item::Part(part) => {
                        part_here(&at_i, &steps, cx);
                        parts.push(part);
                        continue;
                    }
                    Item::Step(step) => step,
                }
            }
        };
        text = matches!(
            step,
            DerivedStep::Hex | DerivedStep::Base64 | DerivedStep::Base64Url
        );
        steps.push(step);
    }
    if parts.is_empty() && cx.error_count() == before {
        at.error_hint(
            cx,
            "a derived value needs at least one part",
            "start the list with parts: `{param: NAME}`, `{text: …}`, `{nonce: {len: 16}}` or `unix_time`",
        );
    }
    if !text {
        at.error_hint(
            cx,
            "the pipeline ends in raw bytes (a hash or HMAC), which cannot be sent as text",
            "end it with `hex`, `base64` or `base64url`",
        );
    }
    (cx.error_count() == before).then_some(Derived { parts, steps })
}

fn part_here(at: &At, steps: &[DerivedStep], cx: &mut Ctxt) {
    if !steps.is_empty() {
        at.error_hint(
            cx,
            "a part after a step: parts are concatenated first, then the steps run",
            "move the part before the first hash, HMAC or encoding",
        );
    }
}

enum Item {
    Part(DerivedPart),
    Step(DerivedStep),
}

fn hash(name: &str) -> Option<HashFn> {
    Some(match name {
        "md5" => HashFn::Md5,
        "sha1" => HashFn::Sha1,
        "sha256" => HashFn::Sha256,
        "sha512" => HashFn::Sha512,
        _ => return None,
    })
}

fn map_item(
    at: &At,
    map: &DerivedMapSpec,
    me: &Pending,
    all: &[Pending],
    params: &[Field],
    cx: &mut Ctxt,
) -> Option<Item> {
    let given = [
        map.param.is_some(),
        map.text.is_some(),
        map.nonce.is_some(),
        map.hmac.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        at.error_hint(
            cx,
            "a derived item map has exactly one key",
            "write one of `{param: NAME}`, `{text: …}`, `{nonce: {len: N}}`, `{hmac: {hash: …, key: {param: NAME}}}`",
        );
        return None;
    }
    if let Some(name) = &map.param {
        input(&at.key("param"), name, me, all, params, cx)?;
        return Some(Item::Part(DerivedPart::Param(name.clone())));
    }
    if let Some(text) = &map.text {
        return Some(Item::Part(DerivedPart::Text(text.clone())));
    }
    if let Some(nonce) = &map.nonce {
        let at_n = at.key("nonce");
        if !(1..=MAX_NONCE).contains(&nonce.len) {
            at_n.key("len").error_hint(
                cx,
                format!("a nonce of {} characters", nonce.len),
                format!("give a length from 1 to {MAX_NONCE}"),
            );
            return None;
        }
        let alphabet = match nonce.alphabet.as_deref().unwrap_or("hex") {
            "hex" => Alphabet::Hex,
            "alnum" => Alphabet::Alnum,
            "digits" => Alphabet::Digits,
            other => {
                at_n.key("alphabet").error_hint(
                    cx,
                    format!("unknown nonce alphabet `{other}`"),
                    "use one of: hex, alnum, digits",
                );
                return None;
            }
        };
        return Some(Item::Part(DerivedPart::Nonce {
            len: u32::try_from(nonce.len).ok()?,
            alphabet,
        }));
    }
    let hmac = map.hmac.as_ref()?;
    let at_h = at.key("hmac");
    let Some(h) = hash(&hmac.hash) else {
        at_h.key("hash").error_hint(
            cx,
            format!("unknown hash `{}`", hmac.hash),
            "use one of: md5, sha1, sha256, sha512",
        );
        return None;
    };
    let key = &hmac.key;
    let Some(name) = key
        .param
        .as_ref()
        .filter(|_| key.text.is_none() && key.nonce.is_none() && key.hmac.is_none())
    else {
        at_h.key("key").error_hint(
            cx,
            "an HMAC key must be a parameter",
            "write `key: {param: NAME}`, naming a (secret) parameter, so no key is written into the spec",
        );
        return None;
    };
    input(&at_h.key("key").key("param"), name, me, all, params, cx)?;
    Some(Item::Step(DerivedStep::Hmac {
        hash: h,
        key: name.clone(),
    }))
}

/// A parameter a pipeline reads: one of the method's, set on every call, scalar.
fn input(
    at: &At,
    name: &str,
    me: &Pending,
    all: &[Pending],
    params: &[Field],
    cx: &mut Ctxt,
) -> Option<()> {
    if name == me.wire {
        at.error_hint(
            cx,
            format!("`{name}` is derived from itself"),
            "name another parameter",
        );
        return None;
    }
    if all.iter().any(|p| p.wire == name) {
        return Some(());
    }
    let Some(field) = params.iter().find(|f| f.wire == name) else {
        let mut known: Vec<&str> = params.iter().map(|f| f.wire.as_str()).collect();
        known.extend(
            all.iter()
                .map(|p| p.wire.as_str())
                .filter(|n| *n != me.wire),
        );
        at.error_hint(
            cx,
            format!("`{name}` is not a parameter of this method"),
            if known.is_empty() {
                "declare it under `params` (with `in: none` if it is only an input)".to_string()
            } else {
                format!("parameters here: {}", known.join(", "))
            },
        );
        return None;
    };
    if field.is_optional() {
        at.error_hint(
            cx,
            format!("`{name}` is optional, so a call may lack it"),
            "make it required (or give it a default)",
        );
        return None;
    }
    if !matches!(field.ty, Ty::String | Ty::Bool | Ty::Int(_)) {
        at.error_hint(
            cx,
            format!("`{name}` is not a string, integer or bool, so it has no single text"),
            "read a scalar parameter",
        );
        return None;
    }
    Some(())
}
