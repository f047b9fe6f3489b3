//! JSON pointer tokens (RFC 6901), as documents are built and read.

/// An array index token: `0`, or digits without a leading zero.
pub(crate) fn index(token: &str) -> Option<usize> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

/// A pointer token with `~1` and `~0` resolved (RFC 6901 §4).
pub(crate) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
