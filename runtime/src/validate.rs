//! Client-side parameter checks that generated `validate` methods call.

use crate::error::Invalid;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

fn invalid(field: &'static str, reason: String) -> Invalid {
    Invalid { field, reason }
}

/// Length in characters within `min..=max`.
pub fn length(
    field: &'static str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), Invalid> {
    let len = value.chars().count();
    match (min, max) {
        (Some(min), _) if len < min => Err(invalid(
            field,
            format!("must be at least {min} characters, got {len}"),
        )),
        (_, Some(max)) if len > max => Err(invalid(
            field,
            format!("must be at most {max} characters, got {len}"),
        )),
        _ => Ok(()),
    }
}

/// A number within `min..=max` (the value is not secret, so it is shown).
pub fn range(
    field: &'static str,
    value: i128,
    min: Option<i128>,
    max: Option<i128>,
) -> Result<(), Invalid> {
    match (min, max) {
        (Some(min), _) if value < min => Err(invalid(
            field,
            format!("must be at least {min}, got {value}"),
        )),
        (_, Some(max)) if value > max => Err(invalid(
            field,
            format!("must be at most {max}, got {value}"),
        )),
        _ => Ok(()),
    }
}

/// Hexadecimal text encoding exactly `bytes` bytes.
pub fn hex_bytes(field: &'static str, value: &str, bytes: usize) -> Result<(), Invalid> {
    if value.len() != bytes * 2 {
        return Err(invalid(
            field,
            format!(
                "must be {} hexadecimal digits ({bytes} bytes), got {}",
                bytes * 2,
                value.len()
            ),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid(
            field,
            "must contain only hexadecimal digits".into(),
        ));
    }
    Ok(())
}

/// The whole value matches `pattern`. The generator has checked that each
/// pattern compiles.
pub fn pattern(field: &'static str, value: &str, pattern: &'static str) -> Result<(), Invalid> {
    match whole_match(pattern, value) {
        Ok(true) => Ok(()),
        Ok(false) => Err(invalid(field, format!("must match the pattern {pattern}"))),
        Err(e) => Err(invalid(field, format!("pattern does not compile: {e}"))),
    }
}

/// Whether `pattern`, anchored as `^(?:pattern)$`, matches the whole of
/// `text`. Compiled patterns are cached.
pub(crate) fn whole_match(pattern: &'static str, text: &str) -> Result<bool, regex_lite::Error> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, regex_lite::Regex>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let regex = match cache.get(pattern) {
        Some(regex) => regex,
        None => {
            let regex = regex_lite::Regex::new(&format!("^(?:{pattern})$"))?;
            cache.entry(pattern).or_insert(regex)
        }
    };
    Ok(regex.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        assert!(length("f", "abc", Some(1), Some(3)).is_ok());
        assert_eq!(
            length("f", "abcd", Some(1), Some(3)).unwrap_err().reason,
            "must be at most 3 characters, got 4"
        );
        assert!(range("f", 0, Some(1), None).is_err());
        assert!(hex_bytes("f", "00112233445566778899aabbccddeeff", 16).is_ok());
        assert!(hex_bytes("f", "00112233445566778899aabbccddeefg", 16).is_err());
        assert!(hex_bytes("f", "0011", 16).is_err());
        assert!(pattern("f", "ab12", "[a-z]+[0-9]+").is_ok());
        assert!(pattern("f", "ab12x", "[a-z]+[0-9]+").is_err());
    }
}
