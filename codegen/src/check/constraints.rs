//! Rules for a parameter's client-side `constraints`.

use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec;

pub(super) fn check_constraints(
    at: &At,
    spec: &spec::ConstraintsSpec,
    ty: &Ty,
    cx: &mut Ctxt,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let is_string = *ty == Ty::String;
    if let Some(b) = &spec.length {
        let at_l = at.key("length");
        if !is_string {
            at_l.error_hint(
                cx,
                "`length` applies only to strings",
                "use `range` for numbers",
            );
        } else if b.clamp {
            at_l.key("clamp")
                .error_hint(cx, "strings cannot be clamped", "remove `clamp`");
        } else if bounds_ok(&at_l, b, (0, i128::from(i64::MAX)), cx) {
            checks.push(Check::Length {
                min: b.min,
                max: b.max,
            });
        }
    }
    if let Some(b) = &spec.range {
        let at_r = at.key("range");
        match ty {
            Ty::Int(int) => {
                if bounds_ok(&at_r, b, int.bounds(), cx) {
                    checks.push(Check::Range {
                        min: b.min,
                        max: b.max,
                        clamp: b.clamp,
                    });
                }
            }
            _ => at_r.error_hint(
                cx,
                "`range` applies only to integers",
                "use `length` for strings",
            ),
        }
    }
    if let Some(p) = &spec.pattern {
        if !is_string {
            at.key("pattern")
                .error_hint(cx, "`pattern` applies only to strings", "remove it");
        } else if whole_match_regex(&at.key("pattern"), p, "value", cx).is_some() {
            checks.push(Check::Pattern(p.clone()));
        }
    }
    if let Some(n) = spec.hex_bytes {
        if !is_string {
            at.key("hex_bytes")
                .error_hint(cx, "`hex_bytes` applies only to strings", "remove it");
        } else if n == 0 {
            at.key("hex_bytes").error_hint(
                cx,
                "`hex_bytes` must be at least 1",
                "give the number of bytes the hex text encodes",
            );
        } else {
            checks.push(Check::HexBytes(n));
        }
    }
    checks
}

pub(super) fn bounds_ok(
    at: &At,
    b: &spec::BoundsSpec,
    (lo, hi): (i128, i128),
    cx: &mut Ctxt,
) -> bool {
    let mut ok = true;
    if b.min.is_none() && b.max.is_none() {
        at.error_hint(
            cx,
            "bounds need `min`, `max` or both",
            "add the limits the docs give",
        );
        ok = false;
    }
    for (key, value) in [("min", b.min), ("max", b.max)] {
        if let Some(v) = value {
            if !(lo..=hi).contains(&i128::from(v)) {
                at.key(key).error_hint(
                    cx,
                    format!("{key} {v} is outside what the type can hold ({lo}..={hi})"),
                    "use a bound the type can hold, or a wider type",
                );
                ok = false;
            }
        }
    }
    if let (Some(min), Some(max)) = (b.min, b.max) {
        if min > max {
            at.key("min").error_hint(
                cx,
                format!("impossible bounds: min {min} is greater than max {max}"),
                "swap them or fix the typo",
            );
            ok = false;
        }
    }
    ok
}

/// A regular expression the runtime matches against a whole text (`what`)
/// by anchoring it as `^(?:p)$` (`rt::validate`): it must compile both
/// alone and anchored.
pub(super) fn whole_match_regex(at: &At, p: &str, what: &str, cx: &mut Ctxt) -> Option<()> {
    if let Err(err) = regex_lite::Regex::new(p) {
        at.error_hint(
            cx,
            format!("pattern does not compile: {err}"),
            format!(
                "write a regular expression (regex-lite syntax); it must match the whole {what}"
            ),
        );
        return None;
    }
    // An `(?x)` comment that runs to the end swallows the `)$`. Without an
    // inline flag a pattern that compiles alone also compiles anchored, so
    // only those are compiled twice.
    if p.contains("(?") && regex_lite::Regex::new(&format!("^(?:{p})$")).is_err() {
        at.error_hint(
            cx,
            "pattern does not compile once anchored as `^(?:pattern)$`",
            "a `#` comment in `(?x)` mode runs to the end of the line and swallows the anchor; end the comment with a line break, or drop it",
        );
        return None;
    }
    Some(())
}
