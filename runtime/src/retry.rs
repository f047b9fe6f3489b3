//! The `Retry-After` header (RFC 9110 §10.2.3): how long a server asks a
//! client to wait, as whole seconds or as an HTTP date.

use std::time::SystemTime;

/// A server may ask for any delay; a session holds off no longer than this
/// (a day, in seconds), so a hostile or confused server cannot park a
/// client for years.
pub(crate) const LONGEST: u32 = 24 * 60 * 60;

/// The delay an answer's `Retry-After` header asks for, from now.
pub(crate) fn header_retry_after(headers: &reqwest::header::HeaderMap) -> Option<u32> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    retry_after(value, SystemTime::now())
}

/// The delay `value` asks for from `now`, in whole seconds (a date is
/// rounded up); `None` when it is neither form. A past date means no delay.
pub(crate) fn retry_after(value: &str, now: SystemTime) -> Option<u32> {
    let value = value.trim();
    let seconds = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is still "a very long time".
        value.parse().unwrap_or(u64::MAX)
    } else {
        // An HTTP date: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), or
        // the obsolete RFC 850 and asctime forms recipients must accept.
        let at = httpdate::parse_http_date(value).ok()?;
        // A date in the past asks for no delay.
        let delta = at.duration_since(now).unwrap_or_default();
        delta.as_secs() + u64::from(delta.subsec_nanos() > 0)
    };
    Some(u32::try_from(seconds).map_or(LONGEST, |s| s.min(LONGEST)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn seconds_and_dates() {
        // 1994-11-06 08:49:37 UTC
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(retry_after("120", now), Some(120));
        assert_eq!(retry_after(" 0 ", now), Some(0));
        assert_eq!(retry_after("Sun, 06 Nov 1994 08:51:37 GMT", now), Some(120));
        let later = now + Duration::from_millis(500);
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:51:37 GMT", later),
            Some(120)
        );
        assert_eq!(retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Some(0));
        // RFC 9110 §5.6.7's obsolete forms of the same instant, two minutes on.
        assert_eq!(
            retry_after("Sunday, 06-Nov-94 08:51:37 GMT", now),
            Some(120)
        );
        assert_eq!(retry_after("Sun Nov  6 08:51:37 1994", now), Some(120));
        assert_eq!(retry_after("99999999999999999999999", now), Some(LONGEST));
        assert_eq!(
            retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now),
            Some(LONGEST)
        );
        for junk in ["", "-5", "1.5", "soon", "06/11/1994"] {
            assert_eq!(retry_after(junk, now), None, "{junk:?}");
        }
    }
}
