//! Lint rules on how values are bound to the wire (spec format v2). They
//! read the checked model, where verbs, locations and secrecy are resolved
//! (a provider default, a v1 `protocol`, a derived value computed from a
//! secret), and report at the spec line that decides it.
//!
//! - `body-on-get`: a GET or DELETE call that sends a body; many servers,
//!   proxies and caches ignore or refuse one;
//! - `secret-in-url`: a secret (parameter, derived value, variable) or the
//!   session key in the query string or the path; URLs end up in access
//!   logs, proxy logs, browser history and `Referer` headers;
//! - `plaintext-credential`: a credential sent to a plain `http://` base URL
//!   whose host is not loopback;
//! - `login-bad-credentials`: a `Session`'s login with no error of class
//!   `bad_credentials`, so a wrong password looks like any other failure
//!   (and the session retries it like one);
//! - `request-id-unchecked`: a request id without `check`: an answer meant
//!   for another request would be taken for this one;
//! - `weak-nonce`: a derived nonce of fewer than 32 random bits, which
//!   repeats after some tens of thousands of requests.
//!
//! Each is a warning, waived with a reason where the vendor leaves no
//! choice (`lint_allow: {secret-in-url: "the API takes the token only in the query"}`).

use super::{key, with, Lints};
use loginspec_codegen::diag::Source;
use loginspec_codegen::model::{
    Alphabet, Binding, Encoding, ErrorClass, Location, Method, Provider, ValueSource, Verb,
};
use loginspec_codegen::spec::{DerivedItemSpec, MethodSpec, ProviderSpec};
use loginspec_codegen::yaml::Seg;

pub const BODY_ON_GET: &str = "body-on-get";
pub const SECRET_IN_URL: &str = "secret-in-url";
pub const PLAINTEXT_CREDENTIAL: &str = "plaintext-credential";
pub const LOGIN_BAD_CREDENTIALS: &str = "login-bad-credentials";
pub const REQUEST_ID_UNCHECKED: &str = "request-id-unchecked";
pub const WEAK_NONCE: &str = "weak-nonce";

/// Fewer random bits than this in a nonce is a warning.
const NONCE_BITS: f64 = 32.0;

/// The findings located in `provider.yaml`.
pub(super) fn provider(l: &mut Lints, src: &Source, spec: &ProviderSpec, p: &Provider) {
    if let Some(session) = &p.session {
        if in_url(p, &session.carry) {
            l.warn(
                src,
                vec![key("session"), key("carry")],
                SECRET_IN_URL,
                format!("the session key is sent in the {}", url_part(p, &session.carry)),
                "URLs end up in access logs and Referer headers: carry the key in a header or cookie, or waive the rule with the vendor's reason",
            );
        }
    }
    for (i, v) in spec.variables.iter().enumerate() {
        let Some(var) = p.variables.iter().find(|x| x.wire == v.name) else {
            continue;
        };
        let sent = p.methods.iter().flat_map(|m| &m.bindings).find(|b| {
            matches!(&b.source, ValueSource::Variable(n) if *n == var.wire)
                && in_url(p, &b.location)
        });
        if let (true, Some(b)) = (var.secret, sent) {
            l.warn(
                src,
                vec![key("variables"), Seg::Index(i), key("in")],
                SECRET_IN_URL,
                format!(
                    "secret variable `{}` is sent in the {}",
                    v.name,
                    url_part(p, &b.location)
                ),
                "URLs end up in access logs and Referer headers: send it in a header or the body, or waive the rule with the vendor's reason",
            );
        }
    }
    if let Some(host) = plain_http_host(&p.base_url) {
        let sent = p.methods.iter().find_map(|m| {
            let b = m.bindings.iter().find(|b| is_secret(p, m, b))?;
            Some((m, b))
        });
        if let Some((m, b)) = sent {
            l.warn(
                src,
                vec![key("base_url")],
                PLAINTEXT_CREDENTIAL,
                format!(
                    "credentials go over plain HTTP to `{host}` ({} of `{}`, among others)",
                    what(&b.source),
                    m.wire
                ),
                "use an https:// base URL; plain http is only safe on loopback (127.0.0.1, ::1, localhost)",
            );
        }
    }
    if let Some(rid) = spec.request.as_ref().and_then(|r| r.request_id.as_ref()) {
        if rid.check.is_none() {
            l.warn(
                src,
                vec![key("request"), key("request_id")],
                REQUEST_ID_UNCHECKED,
                "the request id is sent but answers are not checked for it".into(),
                "when the server echoes the id, add `check: /POINTER` (JSON-RPC: `check: /id`) so an answer to another request is refused",
            );
        }
    }
}

/// The findings located in a method file.
pub(super) fn method(l: &mut Lints, src: &Source, spec: &MethodSpec, p: &Provider, m: &Method) {
    let verb = match m.verb {
        Verb::Get => Some("GET"),
        Verb::Delete => Some("DELETE"),
        _ => None,
    };
    let body = m.bindings.iter().find(|b| match &b.location {
        // An empty container at the root writes no document.
        Location::Body(at) => !(at.is_empty() && container(&b.source)),
        _ => false,
    });
    if let (Some(verb), Some(b), false) = (verb, body, bodiless(p)) {
        let path = if spec.http.is_some() {
            "http"
        } else {
            "method"
        };
        l.warn(
            src,
            vec![key(path)],
            BODY_ON_GET,
            format!("this {verb} call sends a body ({})", what(&b.source)),
            "many servers and proxies ignore or refuse a body on GET and DELETE: send the values with `in: query` or `in: path`, or use POST",
        );
    }
    for (i, f) in spec.params.iter().enumerate() {
        let bound = m.bindings.iter().find(|b| match &b.source {
            ValueSource::Param(n) | ValueSource::Derived { name: n, .. } => *n == f.name,
            _ => false,
        });
        if let Some(b) = bound.filter(|b| is_secret(p, m, b) && in_url(p, &b.location)) {
            let place = if f.in_.is_some() { "in" } else { "name" };
            l.warn(
                src,
                vec![key("params"), Seg::Index(i), key(place)],
                SECRET_IN_URL,
                format!(
                    "secret {} is sent in the {}",
                    what(&b.source),
                    url_part(p, &b.location)
                ),
                "URLs end up in access logs and Referer headers: send it in the body or a header, or waive the rule with the vendor's reason",
            );
        }
        for (j, item) in f.derived.iter().flatten().enumerate() {
            let DerivedItemSpec::Map(map) = item else {
                continue;
            };
            let Some(nonce) = &map.nonce else { continue };
            let (alphabet, size) = match nonce.alphabet.as_deref() {
                Some("alnum") => (Alphabet::Alnum, 62.0),
                Some("digits") => (Alphabet::Digits, 10.0),
                _ => (Alphabet::Hex, 16.0_f64),
            };
            let bits = nonce.len as f64 * f64::log2(size);
            if bits < NONCE_BITS {
                l.warn(
                    src,
                    with(
                        &[key("params"), Seg::Index(i), key("derived"), Seg::Index(j)],
                        [key("nonce"), key("len")],
                    ),
                    WEAK_NONCE,
                    format!(
                        "a nonce of {} {alphabet:?} characters has {bits:.0} random bits",
                        nonce.len
                    ),
                    "use at least 8 hex, 6 alnum or 10 digit characters, so values do not repeat and cannot be guessed",
                );
            }
        }
    }
    let is_login = p.session.as_ref().is_some_and(|s| {
        p.methods
            .get(s.login)
            .is_some_and(|login| login.wire == m.wire)
    });
    if is_login
        && !m
            .errors
            .iter()
            .any(|e| e.class == ErrorClass::BadCredentials)
    {
        let path = if spec.errors.is_empty() {
            "method"
        } else {
            "errors"
        };
        l.warn(
            src,
            vec![key(path)],
            LOGIN_BAD_CREDENTIALS,
            format!(
                "the session's login `{}` has no error of class `bad_credentials`",
                m.wire
            ),
            "give the vendor's wrong-password error `class: bad_credentials`, so callers can tell it from a fault",
        );
    }
}

/// Whether the provider's default encoding sends no body document
/// (`query` puts body members in the query string).
fn bodiless(p: &Provider) -> bool {
    matches!(
        p.protocol.encodings.first(),
        Some(Encoding::Query | Encoding::None)
    )
}

/// Whether a value at `location` ends up in the URL.
fn in_url(p: &Provider, location: &Location) -> bool {
    match location {
        Location::Query(_) | Location::Path(_) => true,
        Location::Body(_) => p.protocol.encodings.first() == Some(&Encoding::Query),
        _ => false,
    }
}

fn url_part(p: &Provider, location: &Location) -> &'static str {
    match location {
        Location::Path(_) => "URL path",
        Location::Body(_) if in_url(p, location) => "query string (the `query` encoding)",
        _ => "query string",
    }
}

fn container(source: &ValueSource) -> bool {
    matches!(source, ValueSource::EmptyObject | ValueSource::EmptyArray)
}

/// Whether a bound value is a credential.
fn is_secret(p: &Provider, m: &Method, b: &Binding) -> bool {
    match &b.source {
        ValueSource::Param(n) => m.params.iter().any(|f| f.wire == *n && f.secret),
        ValueSource::Derived { secret, .. } => *secret,
        ValueSource::Variable(n) => p.variables.iter().any(|v| v.wire == *n && v.secret),
        ValueSource::SessionKey => true,
        _ => false,
    }
}

fn what(source: &ValueSource) -> String {
    match source {
        ValueSource::Param(n) => format!("parameter `{n}`"),
        ValueSource::Derived { name, .. } => format!("derived value `{name}`"),
        ValueSource::Variable(n) => format!("variable `{n}`"),
        ValueSource::SessionKey => "the session key".into(),
        ValueSource::Constant(_) => "a constant".into(),
        ValueSource::EmptyObject | ValueSource::EmptyArray => "the parameters' container".into(),
        ValueSource::MethodName => "the method name".into(),
        ValueSource::RequestId => "the request id".into(),
    }
}

/// The host of a plain `http://` base URL, unless it is loopback.
fn plain_http_host(base_url: &str) -> Option<&str> {
    let rest = base_url.strip_prefix("http://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    let lower = host.to_ascii_lowercase();
    let loopback = lower == "localhost"
        || lower.ends_with(".localhost")
        || lower == "::1"
        || lower
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    (!loopback).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::plain_http_host;

    #[test]
    fn loopback_hosts_are_not_plaintext() {
        for url in [
            "http://127.0.0.1:8080/api/",
            "http://127.3.4.5/",
            "http://localhost/",
            "http://LOCALHOST:1/",
            "http://app.localhost/",
            "http://[::1]:9091/rpc",
            "https://api.example.com/",
            "{base}/api",
        ] {
            assert_eq!(plain_http_host(url), None, "{url}");
        }
        assert_eq!(
            plain_http_host("http://zabbix.test/api"),
            Some("zabbix.test")
        );
        assert_eq!(plain_http_host("http://10.0.0.1:80/"), Some("10.0.0.1"));
        assert_eq!(plain_http_host("http://{host}:9091/"), Some("{host}"));
        assert_eq!(
            plain_http_host("http://127.0.0.1.evil.test/"),
            Some("127.0.0.1.evil.test")
        );
    }
}
