//! Rules for documented error codes, provider-wide or per method.

use super::names::is_camel_ident;
use super::At;
use crate::diag::Ctxt;
use crate::model::*;
use crate::spec;
use heck::ToUpperCamelCase;
use std::collections::BTreeSet;

/// Values of `class` on an error.
pub const ERROR_CLASSES: &[&str] = &[
    "bad_credentials",
    "session_expired",
    "rate_limited",
    "locked",
    "invalid_input",
    "access_denied",
    "server",
    "other",
];
/// The longest `cooldown` (seconds): a day, as long as a session ever waits.
const MAX_COOLDOWN: u64 = 24 * 60 * 60;
/// The most wrong logins `after_failures` may name (Transmission's 100 fits).
const MAX_AFTER_FAILURES: u32 = 1000;

pub(super) fn check_errors(
    at: &At,
    specs: &[spec::ErrorSpec],
    numeric: Option<bool>,
    cx: &mut Ctxt,
) -> Vec<ErrorVariant> {
    let mut names = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let mut statuses = BTreeSet::new();
    let mut out = Vec::new();
    for (i, e) in specs.iter().enumerate() {
        let at_e = at.index(i);
        if !is_camel_ident(&e.name) {
            at_e.key("name").error_hint(
                cx,
                format!("error name `{}` is not UpperCamelCase", e.name),
                format!("use `{}`", e.name.to_upper_camel_case()),
            );
        } else if e.name == "Unknown" {
            at_e.key("name").error_hint(
                cx,
                "`Unknown` is reserved for undocumented codes",
                "pick a more specific name",
            );
        } else if e.name == "Provider" {
            at_e.key("name").error_hint(
                cx,
                "`Provider` is reserved: it is the variant that wraps the provider-wide errors",
                "pick a more specific name",
            );
        }
        if !names.insert(e.name.clone()) {
            at_e.key("name").error_hint(
                cx,
                format!("error name `{}` is used twice", e.name),
                "each error needs its own variant name",
            );
        }
        let refine = e
            .refine
            .as_ref()
            .and_then(|m| check_match(&at_e.key("match"), m, cx));
        // Entries of one code differ by `match`: one without (the fallback),
        // any number with, each with its own.
        let refine_key = e.refine.clone();
        match &e.code {
            Some(code) => {
                if !codes.insert((code.clone(), refine_key)) {
                    at_e.key("code").error_hint(
                        cx,
                        format!("error code `{code}` is listed twice"),
                        "merge the two entries",
                    );
                }
                if let Some(numeric) = numeric {
                    if matches!(code, CodeValue::Int(_)) != numeric {
                        let want = if numeric { "an integer" } else { "a string" };
                        at_e.key("code").error_hint(cx, format!("error code `{code}` should be {want}, as the error rules' `code_type` says"), "fix the code or the code_type");
                    }
                }
            }
            None => match e.http_status {
                None => at_e.error_hint(
                    cx,
                    format!("error `{}` has neither `code` nor `http_status`", e.name),
                    "give the code the server sends, or the HTTP status",
                ),
                Some(status) => {
                    if !statuses.insert((status, e.refine.clone())) {
                        at_e.key("http_status").error_hint(
                            cx,
                            format!("HTTP status {status} is listed twice without a code"),
                            "merge the two entries",
                        );
                    }
                }
            },
        }
        if let Some(status) = e.http_status {
            if !(100..=599).contains(&status) {
                at_e.key("http_status").error_hint(
                    cx,
                    format!("{status} is not an HTTP status"),
                    "use a status between 100 and 599",
                );
            }
        }
        let class = match e.class.as_deref().unwrap_or("other") {
            "bad_credentials" => ErrorClass::BadCredentials,
            "session_expired" => ErrorClass::SessionExpired,
            "rate_limited" => ErrorClass::RateLimited,
            "locked" => ErrorClass::Locked,
            "invalid_input" => ErrorClass::InvalidInput,
            "access_denied" => ErrorClass::AccessDenied,
            "server" => ErrorClass::Server,
            "other" => ErrorClass::Other,
            other => {
                at_e.key("class").error_hint(
                    cx,
                    format!("unknown error class `{other}`"),
                    format!("use one of: {}", ERROR_CLASSES.join(", ")),
                );
                ErrorClass::Other
            }
        };
        let waiting = matches!(class, ErrorClass::Locked | ErrorClass::RateLimited);
        let cooldown = WaitingKey {
            key: "cooldown",
            what: "a cooldown",
            max: MAX_COOLDOWN,
            unit: " seconds",
            class_hint: "a cooldown says how long a session waits before logging in again; give the class `locked` or `rate_limited`, or remove it",
            range_hint: "a session waits at most a day; for a lock only a person can lift, leave `cooldown` out",
        };
        cooldown.check(&at_e, &e.name, waiting, e.cooldown, cx);
        let after_failures = WaitingKey {
            key: "after_failures",
            what: "`after_failures`",
            max: MAX_AFTER_FAILURES.into(),
            unit: "",
            class_hint: "`after_failures` says after how many wrong logins the provider locks the account or slows logins down; give the class `locked` or `rate_limited`, or remove it",
            range_hint: "give the number of wrong logins in a row the vendor's docs name",
        };
        after_failures.check(&at_e, &e.name, waiting, e.after_failures.map(u64::from), cx);
        out.push(ErrorVariant {
            code: e.code.clone(),
            name: e.name.clone(),
            doc: e.doc.clone(),
            class,
            http_status: e.http_status,
            cooldown: e.cooldown,
            refine,
            after_failures: e.after_failures,
        });
    }
    out
}

/// A number only errors of class `locked` or `rate_limited` take, from 1 to `max`.
struct WaitingKey {
    key: &'static str,
    what: &'static str,
    max: u64,
    unit: &'static str,
    class_hint: &'static str,
    range_hint: &'static str,
}

impl WaitingKey {
    fn check(&self, at_e: &At, error: &str, waiting: bool, value: Option<u64>, cx: &mut Ctxt) {
        let Some(value) = value else {
            return;
        };
        let (key, max, unit) = (self.key, self.max, self.unit);
        if !waiting {
            at_e.key(key).error_hint(
                cx,
                format!(
                    "error `{error}` has {} but is not locked or rate_limited",
                    self.what
                ),
                self.class_hint,
            );
        } else if !(1..=max).contains(&value) {
            at_e.key(key).error_hint(
                cx,
                format!("{key} {value} is outside 1..={max}{unit}"),
                self.range_hint,
            );
        }
    }
}

/// Whether two entries document one error: the same code (or, both
/// status-only, the same status) and the same `match`.
pub(super) fn same_entry(a: &ErrorVariant, b: &ErrorVariant) -> bool {
    a.refine == b.refine
        && match (&a.code, &b.code) {
            (Some(x), Some(y)) => x == y,
            (None, None) => a.http_status == b.http_status,
            _ => false,
        }
}

/// "error code `1`", "HTTP status 403", with "(with this `match`)" when refined.
pub(super) fn entry_label(e: &ErrorVariant) -> String {
    let what = match (&e.code, e.http_status) {
        (Some(code), _) => format!("error code `{code}`"),
        (None, status) => format!("HTTP status {}", status.unwrap_or(0)),
    };
    match e.refine {
        Some(_) => format!("{what} (with this `match`)"),
        None => what,
    }
}

/// One name per error across a provider's methods: an error (a code, or a
/// status without one, and its `match`) that several methods document
/// has the same variant name in each. Provider-wide errors are held to
/// their names by `check_method`; this covers the methods' own.
pub(super) fn check_method_error_names<'m>(
    at: &At,
    file: &'m str,
    method: &'m Method,
    provider: &[ErrorVariant],
    seen: &mut Vec<(&'m ErrorVariant, &'m str)>,
    cx: &mut Ctxt,
) {
    // Against other methods only: twice in one method is `check_errors`' report.
    let before = seen.len();
    for (i, e) in method.errors[..method.own_errors].iter().enumerate() {
        if provider.iter().any(|p| same_entry(p, e)) {
            continue;
        }
        match seen[..before].iter().find(|(o, _)| same_entry(o, e)) {
            Some((o, other)) if o.name != e.name => {
                at.key("errors").index(i).key("name").error_hint(
                    cx,
                    format!(
                        "{} is named `{}` in {other}; one error has one name in every method",
                        entry_label(e),
                        o.name
                    ),
                    format!(
                        "rename `{}` to `{}` and say in `doc` what it means for this method",
                        e.name, o.name
                    ),
                );
            }
            Some(_) => {}
            None => seen.push((e, file)),
        }
    }
}

/// An error entry's `match`: a message test, a header test, or both.
fn check_match(at: &At, spec: &spec::ErrorMatchSpec, cx: &mut Ctxt) -> Option<ErrorMatch> {
    if spec.message.is_none() && spec.header.is_none() {
        at.error_hint(
            cx,
            "`match` tests nothing",
            "give `message: {contains: TEXT}` or `header: {name: NAME, contains: TEXT}`, or remove `match`",
        );
        return None;
    }
    let message = match &spec.message {
        Some(t) => Some(text_test(
            &at.key("message"),
            t.contains.as_deref(),
            t.matches.as_deref(),
            "message",
            cx,
        )?),
        None => None,
    };
    let header = match &spec.header {
        Some(h) => {
            let at_h = at.key("header");
            super::bindings::token(&at_h.key("name"), "header", &h.name, cx);
            let test = text_test(
                &at_h,
                h.contains.as_deref(),
                h.matches.as_deref(),
                "header value",
                cx,
            )?;
            Some((h.name.clone(), test))
        }
        None => None,
    };
    Some(ErrorMatch { message, header })
}

fn text_test(
    at: &At,
    contains: Option<&str>,
    matches: Option<&str>,
    what: &str,
    cx: &mut Ctxt,
) -> Option<TextTest> {
    match (contains, matches) {
        (Some(_), Some(_)) | (None, None) => {
            at.error_hint(
                cx,
                format!("a test of the {what} needs exactly one of `contains` and `matches`"),
                "`contains: TEXT` for plain text, `matches: REGEX` for a pattern of the whole text",
            );
            None
        }
        (Some(""), None) => {
            at.key("contains").error_hint(
                cx,
                "`contains` is empty, so it always holds",
                "give the text that tells this error apart",
            );
            None
        }
        (Some(text), None) => Some(TextTest::Contains(text.to_string())),
        (None, Some(p)) => {
            super::constraints::whole_match_regex(&at.key("matches"), p, what, cx)?;
            Some(TextTest::Matches(p.to_string()))
        }
    }
}
