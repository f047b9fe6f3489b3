//! What a call does when the server answers with a redirect.
//!
//! reqwest never follows one by itself (its policy is `none`): a redirect
//! reaches the transport as an answer, and this module decides, so that what
//! is sent again is under our control. A redirect to another origin is never
//! followed, whatever the setting: following it would either send the
//! credentials, session key or body to a host they were not meant for, or,
//! sent bare, let that host answer a login with a key of its choosing.

use reqwest::header::LOCATION;
use reqwest::{StatusCode, Url};

/// Which redirects a call follows; set with
/// [`ClientOptions::redirects`](crate::ClientOptions::redirects).
///
/// Whatever the setting, a redirect to another origin (scheme, host or
/// port) is refused with [`Error::Redirect`](crate::Error::Redirect), which
/// names the target's origin only, and no `Referer` header is ever sent.
/// A followed redirect repeats the headers the method's bindings send
/// (`Authorization`, `Cookie`, API keys, `SOAPAction`): it goes to the same
/// origin, which had them already, and a key-carrying call needs them there.
/// None of them, nor the body, ever reaches another origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Redirects {
    /// Follow none: any redirect is an [`Error::Redirect`](crate::Error::Redirect).
    #[default]
    Refuse,
    /// Follow redirects that keep scheme, host and port, at most `max_hops`
    /// in a row. `307` and `308` repeat the request with its body (the same
    /// server already had it); `301`, `302` and `303` continue with a `GET`
    /// without a body, as browsers do.
    SameOrigin {
        /// Redirects followed in one call before the next is refused.
        max_hops: u8,
    },
}

/// What to do with an answer.
pub(crate) enum Step {
    /// Not a redirect: read it.
    Answer,
    /// Send again to `url`; without the body (as a `GET`) unless `keep_body`.
    Follow { url: Url, keep_body: bool },
    /// Refuse; the target's origin, for the error.
    Refuse { origin: String },
}

/// Decides on an answer with `status` and `location` to a request sent to
/// `from`, after `hops` redirects were followed in this call.
pub(crate) fn step(
    policy: Redirects,
    hops: u8,
    from: &Url,
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
) -> Step {
    let keep_body = match status.as_u16() {
        307 | 308 => true,
        301..=303 => false,
        _ => return Step::Answer,
    };
    let Some(location) = headers.get(LOCATION) else {
        return Step::Answer;
    };
    let target = location
        .to_str()
        .ok()
        .and_then(|location| from.join(location).ok());
    let Some(url) = target else {
        return Step::Refuse {
            origin: "an unreadable Location".into(),
        };
    };
    let origin = origin(&url);
    let allowed = match policy {
        Redirects::Refuse => false,
        Redirects::SameOrigin { max_hops } => {
            hops < max_hops
                && origin == self::origin(from)
                && matches!(url.scheme(), "http" | "https")
        }
    };
    if allowed {
        Step::Follow { url, keep_body }
    } else {
        Step::Refuse { origin }
    }
}

/// `scheme://host:port` of `url`, port always written; never a path, query
/// or user name.
pub(crate) fn origin(url: &Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{}://{host}:{port}", url.scheme()),
        (Some(host), None) => format!("{}://{host}", url.scheme()),
        (None, _) => format!("{}:", url.scheme()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn answer(status: u16, location: &str) -> Step {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_str(location).unwrap());
        let from = Url::parse("http://127.0.0.1:8080/api/login?Token=k").unwrap();
        let status = StatusCode::from_u16(status).unwrap();
        step(
            Redirects::SameOrigin { max_hops: 2 },
            0,
            &from,
            status,
            &headers,
        )
    }

    #[test]
    fn origins_name_scheme_host_and_port_only() {
        let url = Url::parse("https://u:p@example.com/a/b?token=1#f").unwrap();
        assert_eq!(origin(&url), "https://example.com:443");
        let url = Url::parse("http://127.0.0.1:9/x").unwrap();
        assert_eq!(origin(&url), "http://127.0.0.1:9");
    }

    #[test]
    fn same_origin_hops_are_followed_and_others_refused() {
        assert!(matches!(
            answer(307, "/api/other"),
            Step::Follow {
                keep_body: true,
                ..
            }
        ));
        assert!(matches!(
            answer(303, "http://127.0.0.1:8080/x"),
            Step::Follow {
                keep_body: false,
                ..
            }
        ));
        match answer(308, "http://127.0.0.1:8081/api/login?Token=k") {
            Step::Refuse { origin } => assert_eq!(origin, "http://127.0.0.1:8081"),
            _ => panic!("another port is another origin"),
        }
        assert!(matches!(
            answer(302, "https://127.0.0.1:8080/"),
            Step::Refuse { .. }
        ));
        assert!(matches!(answer(304, "/x"), Step::Answer));
    }

    proptest::proptest! {
        #[test]
        fn any_location_is_followed_only_to_the_same_origin(
            location in "[ -~]{0,60}",
            status in proptest::sample::select(vec![301u16, 302, 303, 307, 308]),
        ) {
            let Ok(value) = HeaderValue::from_str(&location) else { return Ok(()) };
            let mut headers = HeaderMap::new();
            headers.insert(LOCATION, value);
            let from = Url::parse("http://127.0.0.1:8080/api/").unwrap();
            let status = StatusCode::from_u16(status).unwrap();
            let policy = Redirects::SameOrigin { max_hops: 1 };
            match step(policy, 0, &from, status, &headers) {
                Step::Follow { url, .. } => proptest::prop_assert_eq!(origin(&url), origin(&from)),
                Step::Refuse { origin } => {
                    let host_and_port = origin.split_once("://").map_or("", |(_, rest)| rest);
                    proptest::prop_assert!(!host_and_port.contains('/'), "{}", origin);
                    proptest::prop_assert!(!origin.contains('?'));
                }
                Step::Answer => proptest::prop_assert!(false, "a redirect status is never an answer"),
            }
        }
    }
}
