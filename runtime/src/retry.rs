//! The `Retry-After` header (RFC 9110 §10.2.3): how long a server asks a
//! client to wait, as whole seconds or as an HTTP date.

use std::time::{Duration, SystemTime};
use time::format_description::well_known::Rfc2822;
use time::OffsetDateTime;

/// A server may ask for any delay; a session holds off no longer than this,
/// so a hostile or confused server cannot park a client for years.
pub(crate) const LONGEST: Duration = Duration::from_secs(24 * 60 * 60);

/// The delay `value` asks for, from `now`; `None` when it is neither form.
/// A date in the past means no delay.
pub(crate) fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let delay = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is still "a very long time".
        Duration::from_secs(value.parse().unwrap_or(u64::MAX))
    } else {
        // HTTP's IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) is an RFC 2822 date.
        let at = OffsetDateTime::parse(value, &Rfc2822).ok()?;
        let delta = at - OffsetDateTime::from(now);
        delta.try_into().unwrap_or(Duration::ZERO)
    };
    Some(delay.min(LONGEST))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_dates() {
        // 1994-11-06 08:49:37 UTC
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:51:37 GMT", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
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
