//! A string that never shows itself in Debug output and is wiped on drop.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// A password, hash, token or session key.
///
/// `Debug` prints `Secret(***)`; there is no `Display`. The memory is zeroed
/// when the value is dropped. Read the value with [`Secret::expose`].
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The secret value. Call it only where the value is really needed.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

/// Serializing puts the plain value on the wire: it is how requests are built.
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

/// The secret values a client sent lately, shared by its clones: a
/// session's password and keys are blanked out of the errors of its later
/// calls too, though those calls do not send them. Bounded, oldest first out.
#[derive(Clone, Default)]
pub(crate) struct Recent(Arc<Mutex<VecDeque<Secret>>>);

impl Recent {
    /// How many distinct values are kept.
    const KEPT: usize = 16;

    /// Remembers the values in `sent` (a value already kept is not kept twice).
    pub(crate) fn remember(&self, sent: &[Secret]) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        for secret in sent {
            if !kept.iter().any(|k| k.expose() == secret.expose()) {
                kept.push_back(secret.clone());
            }
        }
        while kept.len() > Self::KEPT {
            kept.pop_front();
        }
    }

    /// Every value kept, oldest first.
    pub(crate) fn kept(&self) -> Vec<Secret> {
        let kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.iter().cloned().collect()
    }
}

impl fmt::Debug for Recent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Recent(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::from("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn recent_secrets_are_kept_once_each_and_bounded() {
        let recent = Recent::default();
        recent.remember(&[Secret::from("a"), Secret::from("b")]);
        recent.remember(&[Secret::from("a")]);
        let kept = recent.kept();
        let values: Vec<&str> = kept.iter().map(Secret::expose).collect();
        assert_eq!(values, ["a", "b"]);
        let many: Vec<Secret> = (0..40).map(|i| Secret::new(i.to_string())).collect();
        recent.remember(&many);
        assert_eq!(recent.kept().len(), Recent::KEPT);
        assert_eq!(format!("{recent:?}"), "Recent(***)");
    }
}
