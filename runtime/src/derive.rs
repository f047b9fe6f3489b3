//! Values computed from other values before a call is sent: a declared
//! pipeline of concatenation, hashing, HMAC and text encodings.
//!
//! A spec writes, for example, Subsonic's token as
//! `md5(password + salt)` in lower-case hex: the parts `[password, salt]`
//! then the steps `[md5, hex]`. Aukro's `userHashPassword` is
//! `[password]` then `[sha256, base64]`. Fresh values that a pipeline may
//! read (a nonce, the time) are made by [`nonce`] and [`unix_seconds`] and
//! bound like any other value, so one nonce can be both sent and hashed.

use base64::Engine as _;
#[cfg(feature = "hashing")]
use hmac::{digest::KeyInit, Mac};
#[cfg(feature = "hashing")]
use sha2::Digest as _;

/// One piece of a pipeline's input, concatenated in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The value of a parameter or derived value of the same call, by wire name.
    Value(&'static str),
    /// Fixed text from the spec.
    Literal(&'static str),
    /// A fresh random string, made anew each time the pipeline runs. To send
    /// the same nonce that is hashed, a spec derives it once under its own
    /// name and reads that name (`Value`) in the hash's pipeline.
    Nonce { len: usize, alphabet: Alphabet },
    /// The current Unix time in seconds, as decimal text.
    UnixTime,
}

/// A hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

/// One step of a pipeline; each turns the bytes so far into new bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The raw digest.
    Hash(Hash),
    /// The raw HMAC, keyed with the bytes of a value of the same call.
    Hmac { hash: Hash, key: Part },
    /// Lower-case hexadecimal.
    Hex,
    /// Standard base64 with padding (RFC 4648 §4).
    Base64,
    /// URL-safe base64 without padding (RFC 4648 §5, as JWTs use it).
    Base64Url,
}

/// A derived value: its parts and the steps applied to their concatenation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derived {
    pub parts: &'static [Part],
    pub steps: &'static [Step],
}

/// Why a derived value could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeriveError {
    /// A part names a value the call does not have (an unset optional parameter).
    Missing(&'static str),
    /// The last step left bytes that are not text; the spec must end with an encoding.
    NotText,
    /// The operating system's random generator failed.
    Random,
    /// A step needs a cargo feature this runtime was built without (the
    /// generated code's `requires!` check makes this unreachable).
    NotBuilt(&'static str),
}

impl Derived {
    /// Runs the pipeline. `value` looks up the call's values by wire name;
    /// generated parts are made fresh (see [`Part::Nonce`]).
    pub fn compute(
        &self,
        mut value: impl FnMut(&'static str) -> Option<String>,
    ) -> Result<String, DeriveError> {
        let mut read = |part: &Part| match *part {
            Part::Value(name) => value(name).ok_or(DeriveError::Missing(name)),
            Part::Literal(text) => Ok(text.to_string()),
            Part::Nonce { len, alphabet } => fresh_nonce(len, alphabet),
            Part::UnixTime => Ok(unix_seconds()),
        };
        let mut bytes = Vec::new();
        for part in self.parts {
            bytes.extend_from_slice(read(part)?.as_bytes());
        }
        for step in self.steps {
            bytes = match *step {
                Step::Hash(hash) => digest(hash, &bytes)?,
                Step::Hmac { hash, key } => hmac(hash, read(&key)?.as_bytes(), &bytes)?,
                Step::Hex => hex(&bytes).into_bytes(),
                Step::Base64 => base64::engine::general_purpose::STANDARD
                    .encode(&bytes)
                    .into_bytes(),
                Step::Base64Url => base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .encode(&bytes)
                    .into_bytes(),
            };
        }
        String::from_utf8(bytes).map_err(|_| DeriveError::NotText)
    }
}

/// Lower-case hexadecimal (no crate: two lines do it).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(feature = "hashing")]
fn digest(hash: Hash, bytes: &[u8]) -> Result<Vec<u8>, DeriveError> {
    Ok(match hash {
        Hash::Md5 => md5::Md5::digest(bytes).to_vec(),
        Hash::Sha1 => sha1::Sha1::digest(bytes).to_vec(),
        Hash::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
    })
}

#[cfg(not(feature = "hashing"))]
fn digest(_: Hash, _: &[u8]) -> Result<Vec<u8>, DeriveError> {
    Err(DeriveError::NotBuilt("hashing"))
}

#[cfg(not(feature = "hashing"))]
fn hmac(_: Hash, _: &[u8], _: &[u8]) -> Result<Vec<u8>, DeriveError> {
    Err(DeriveError::NotBuilt("hashing"))
}

#[cfg(feature = "hashing")]
fn hmac(hash: Hash, key: &[u8], bytes: &[u8]) -> Result<Vec<u8>, DeriveError> {
    fn run<M: Mac + KeyInit>(key: &[u8], bytes: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length, so this cannot fail.
        match <M as KeyInit>::new_from_slice(key) {
            Ok(mut mac) => {
                mac.update(bytes);
                mac.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }
    Ok(match hash {
        Hash::Md5 => run::<hmac::Hmac<md5::Md5>>(key, bytes),
        Hash::Sha1 => run::<hmac::Hmac<sha1::Sha1>>(key, bytes),
        Hash::Sha256 => run::<hmac::Hmac<sha2::Sha256>>(key, bytes),
        Hash::Sha512 => run::<hmac::Hmac<sha2::Sha512>>(key, bytes),
    })
}

#[cfg(not(test))]
fn fresh_nonce(len: usize, alphabet: Alphabet) -> Result<String, DeriveError> {
    nonce(len, alphabet).map_err(|_| DeriveError::Random)
}

#[cfg(test)]
thread_local! {
    /// Tests only: the nonce every pipeline of this thread gets, so vendor
    /// examples with a fixed salt can be checked byte for byte.
    pub(crate) static FIXED_NONCE: std::cell::RefCell<Option<&'static str>> =
        const { std::cell::RefCell::new(None) };
}

#[cfg(test)]
fn fresh_nonce(len: usize, alphabet: Alphabet) -> Result<String, DeriveError> {
    match FIXED_NONCE.with(|f| *f.borrow()) {
        Some(fixed) => Ok(fixed.to_string()),
        None => nonce(len, alphabet).map_err(|_| DeriveError::Random),
    }
}

/// The characters a nonce is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// `0-9a-f`
    Hex,
    /// `0-9A-Za-z`
    Alphanumeric,
    /// `0-9`
    Digits,
}

impl Alphabet {
    fn chars(self) -> &'static [u8] {
        match self {
            Alphabet::Hex => b"0123456789abcdef",
            Alphabet::Alphanumeric => {
                b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            }
            Alphabet::Digits => b"0123456789",
        }
    }
}

/// A fresh random string of `len` characters from the operating system's
/// generator, for one request only.
pub fn nonce(len: usize, alphabet: Alphabet) -> Result<String, getrandom::Error> {
    let chars = alphabet.chars();
    // Bytes at or above the largest multiple of the alphabet's size are
    // drawn again, so every character is equally likely.
    let limit = 256 - 256 % chars.len();
    let mut out = String::with_capacity(len);
    let mut pool = [0u8; 64];
    while out.len() < len {
        getrandom::fill(&mut pool)?;
        for &byte in &pool {
            if out.len() == len {
                break;
            }
            if usize::from(byte) < limit {
                out.push(char::from(chars[usize::from(byte) % chars.len()]));
            }
        }
    }
    Ok(out)
}

/// Seconds since the Unix epoch, as text (0 if the clock is before 1970).
pub fn unix_seconds() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(parts: &'static [Part], steps: &'static [Step], values: &[(&str, &str)]) -> String {
        let derived = Derived { parts, steps };
        derived
            .compute(|name| {
                values
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            })
            .expect("computes")
    }

    #[test]
    fn subsonic_token_is_md5_of_password_and_salt_in_hex() {
        // The worked example of Subsonic's API docs: password "sesame", salt "c19b2d".
        let token = run(
            &[Part::Value("p"), Part::Value("s")],
            &[Step::Hash(Hash::Md5), Step::Hex],
            &[("p", "sesame"), ("s", "c19b2d")],
        );
        assert_eq!(token, "26719a1196d2a940705a59634eb18eab");
    }

    #[test]
    fn aukro_password_hash_is_base64_of_sha256() {
        let hash = run(
            &[Part::Value("password")],
            &[Step::Hash(Hash::Sha256), Step::Base64],
            &[("password", "password")],
        );
        assert_eq!(hash, "XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=");
    }

    #[test]
    fn hashes_match_their_standard_vectors() {
        let hex = |hash| {
            run(
                &[Part::Literal("abc")],
                leak(&[Step::Hash(hash), Step::Hex]),
                &[],
            )
        };
        assert_eq!(hex(Hash::Md5), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(hex(Hash::Sha1), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            hex(Hash::Sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(hex(Hash::Sha512).starts_with("ddaf35a193617aba"));
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = run(
            &[Part::Literal("what do ya want for nothing?")],
            &[
                Step::Hmac {
                    hash: Hash::Sha256,
                    key: Part::Value("key"),
                },
                Step::Hex,
            ],
            &[("key", "Jefe")],
        );
        assert_eq!(
            mac,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn url_safe_base64_has_no_padding() {
        // Standard base64 of ">>>?" is "Pj4+Pw==".
        let text = run(&[Part::Literal(">>>?")], &[Step::Base64Url], &[]);
        assert_eq!(text, "Pj4-Pw");
    }

    #[test]
    fn a_missing_value_and_raw_bytes_are_errors() {
        let derived = Derived {
            parts: &[Part::Value("salt")],
            steps: &[Step::Hash(Hash::Md5)],
        };
        assert_eq!(derived.compute(|_| None), Err(DeriveError::Missing("salt")));
        assert_eq!(
            derived.compute(|_| Some("x".into())),
            Err(DeriveError::NotText)
        );
    }

    #[test]
    fn nonces_have_the_length_and_alphabet_asked_for() {
        for alphabet in [Alphabet::Hex, Alphabet::Alphanumeric, Alphabet::Digits] {
            let value = nonce(40, alphabet).expect("the OS generator works");
            assert_eq!(value.len(), 40);
            assert!(
                value.bytes().all(|b| alphabet.chars().contains(&b)),
                "{value}"
            );
        }
        assert_ne!(nonce(32, Alphabet::Hex).ok(), nonce(32, Alphabet::Hex).ok());
        assert_eq!(nonce(0, Alphabet::Digits).ok().as_deref(), Some(""));
    }

    fn leak(steps: &[Step]) -> &'static [Step] {
        Box::leak(steps.to_vec().into_boxed_slice())
    }
}
