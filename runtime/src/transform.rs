//! Transforms a spec can apply to a parameter before it is sent. Each is a
//! `serialize_with` function, so the caller's value is never changed.

use crate::derive::{Derived, Hash, Part, Step};
use crate::secret::Secret;
use serde::Serializer;

/// Base64 of the raw 32-byte SHA-256 digest (Aukro's `userHashPassword`).
pub fn sha256_base64<S: Serializer>(value: &Secret, serializer: S) -> Result<S::Ok, S::Error> {
    const PIPELINE: Derived = Derived {
        parts: &[Part::Value("value")],
        steps: &[Step::Hash(Hash::Sha256), Step::Base64],
    };
    let hashed = PIPELINE
        .compute(|_| Some(value.expose().to_string()))
        .map_err(|e| serde::ser::Error::custom(format!("{e:?}")))?;
    serializer.serialize_str(&hashed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn aukro_test_vector() {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::new(&mut out);
        super::sha256_base64(&crate::secret::Secret::from("password"), &mut ser).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=\""
        );
    }
}
