//! How a shared key and a latch are written as Redis values, and the
//! optional encryption of the key (XChaCha20-Poly1305, a random nonce per
//! value, bound to the session's prefix and the key's version).

use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use loginspec_runtime::{ErrorCode, Latch, Secret, SharedKey, StoreError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// A key the user supplies to encrypt session keys at rest in Redis.
#[derive(Clone)]
pub struct EncryptionKey(XChaCha20Poly1305);

impl EncryptionKey {
    /// From 32 bytes the user keeps outside Redis (not a password: random).
    pub fn new(bytes: [u8; 32]) -> Self {
        EncryptionKey(XChaCha20Poly1305::new(&bytes.into()))
    }
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EncryptionKey(***)")
    }
}

/// A shared key as stored: `<version>:<json>`; the version leads so the
/// claim script can compare it without reading JSON.
#[derive(Serialize, Deserialize)]
struct Entry {
    /// The key, plain or `nonce‖ciphertext` in base64.
    k: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<String>,
    /// The key's whole lifetime in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    l: Option<u64>,
    /// Whether `k` and `r` are encrypted.
    #[serde(default)]
    e: bool,
}

pub(crate) struct Codec {
    /// Additional data of every encrypted value: which session it is.
    prefix: String,
    cipher: Option<EncryptionKey>,
}

impl Codec {
    pub(crate) fn new(prefix: String, cipher: Option<EncryptionKey>) -> Self {
        Codec { prefix, cipher }
    }

    pub(crate) fn write_key(&self, key: &SharedKey) -> Result<String, StoreError> {
        let seal = |s: &Secret| self.seal(key.version, s);
        let entry = Entry {
            k: seal(&key.key)?,
            r: key.refresh.as_ref().map(seal).transpose()?,
            l: key.lifetime.map(millis),
            e: self.cipher.is_some(),
        };
        let json = serde_json::to_string(&entry).map_err(|e| StoreError::Failed(e.to_string()))?;
        Ok(format!("{}:{json}", key.version))
    }

    /// Reads an entry the claim script found, with what is left of its time.
    pub(crate) fn read_key(&self, value: &str, pttl: i64) -> Result<SharedKey, StoreError> {
        let (version, entry) = self.entry(value, "shared key")?;
        let open = |s: &str| self.open(version, s);
        Ok(SharedKey {
            key: open(&entry.k)?,
            refresh: entry.r.as_deref().map(open).transpose()?,
            version,
            lifetime: entry.l.map(Duration::from_millis),
            fresh_for: remaining(pttl),
        })
    }

    /// The refresh token of key `version`, as kept apart from the key (it
    /// outlives the key's time in Redis): an entry with only the token.
    pub(crate) fn write_refresh(&self, version: u64, token: &Secret) -> Result<String, StoreError> {
        let entry = Entry {
            k: self.seal(version, token)?,
            r: None,
            l: None,
            e: self.cipher.is_some(),
        };
        let json = serde_json::to_string(&entry).map_err(|e| StoreError::Failed(e.to_string()))?;
        Ok(format!("{version}:{json}"))
    }

    pub(crate) fn read_refresh(&self, value: &str) -> Result<Secret, StoreError> {
        let (version, entry) = self.entry(value, "refresh token")?;
        self.open(version, &entry.k)
    }

    /// `<version>:<json>`, written with this store's encryption setting.
    fn entry(&self, value: &str, what: &str) -> Result<(u64, Entry), StoreError> {
        let unreadable = |why: &str| StoreError::Unreadable(format!("{what}: {why}"));
        let (version, json) = value
            .split_once(':')
            .ok_or_else(|| unreadable("no version"))?;
        let version: u64 = version.parse().map_err(|_| unreadable("bad version"))?;
        let entry: Entry = serde_json::from_str(json).map_err(|_| unreadable("not JSON"))?;
        if entry.e != self.cipher.is_some() {
            return Err(unreadable("encrypted with another setting"));
        }
        Ok((version, entry))
    }

    fn seal(&self, version: u64, secret: &Secret) -> Result<String, StoreError> {
        let Some(EncryptionKey(cipher)) = &self.cipher else {
            return Ok(secret.expose().to_owned());
        };
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|e| StoreError::Failed(e.to_string()))?;
        let aad = self.aad(version);
        let payload = Payload {
            msg: secret.expose().as_bytes(),
            aad: aad.as_bytes(),
        };
        let sealed = cipher
            .encrypt(&XNonce::from(nonce), payload)
            .map_err(|_| StoreError::Failed("could not encrypt the key".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(B64.encode(out))
    }

    fn open(&self, version: u64, value: &str) -> Result<Secret, StoreError> {
        let Some(EncryptionKey(cipher)) = &self.cipher else {
            return Ok(Secret::new(value));
        };
        let failed = || StoreError::Unreadable("the shared key does not decrypt".into());
        let bytes = B64.decode(value).map_err(|_| failed())?;
        if bytes.len() < 24 {
            return Err(failed());
        }
        let (nonce, sealed) = bytes.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| failed())?;
        let aad = self.aad(version);
        let payload = Payload {
            msg: sealed,
            aad: aad.as_bytes(),
        };
        let plain = cipher
            .decrypt(&XNonce::from(nonce), payload)
            .map_err(|_| failed())?;
        String::from_utf8(plain)
            .map(Secret::new)
            .map_err(|_| failed())
    }

    fn aad(&self, version: u64) -> String {
        format!("{}:{version}", self.prefix)
    }
}

/// A latch as stored: the server's code, status and message (no secret:
/// the transport blanked them), never the credentials.
#[derive(Serialize, Deserialize)]
struct StoredLatch {
    /// `{"i": 5}`, `{"t": "ERR"}` or `{"h": 403}`.
    c: StoredCode,
    s: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    m: Option<String>,
}

#[derive(Serialize, Deserialize)]
enum StoredCode {
    #[serde(rename = "i")]
    Int(i64),
    #[serde(rename = "t")]
    Text(String),
    #[serde(rename = "h")]
    Http(u16),
}

pub(crate) fn write_latch(latch: &Latch) -> Result<String, StoreError> {
    let c = match &latch.code {
        ErrorCode::Int(i) => StoredCode::Int(*i),
        ErrorCode::Text(t) => StoredCode::Text(t.clone()),
        ErrorCode::HttpStatus(h) => StoredCode::Http(*h),
        // A kind of code added later: kept as its text.
        other => StoredCode::Text(other.to_string()),
    };
    let stored = StoredLatch {
        c,
        s: latch.status,
        m: latch.message.clone(),
    };
    serde_json::to_string(&stored).map_err(|e| StoreError::Failed(e.to_string()))
}

pub(crate) fn read_latch(value: &str, pttl: i64) -> Result<Latch, StoreError> {
    let stored: StoredLatch = serde_json::from_str(value)
        .map_err(|_| StoreError::Unreadable("latch: not JSON".into()))?;
    let code = match stored.c {
        StoredCode::Int(i) => ErrorCode::Int(i),
        StoredCode::Text(t) => ErrorCode::Text(t),
        StoredCode::Http(h) => ErrorCode::HttpStatus(h),
    };
    Ok(Latch {
        code,
        status: stored.s,
        message: stored.m,
        holds_for: remaining(pttl),
    })
}

/// A Redis `PTTL`: `-1` (no expiry) is `None`; anything else is what is left.
fn remaining(pttl: i64) -> Option<Duration> {
    (pttl >= 0).then(|| Duration::from_millis(pttl.unsigned_abs()))
}

/// Milliseconds for `PX`: at least 1 (Redis refuses 0).
pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(version: u64) -> SharedKey {
        SharedKey {
            key: Secret::new("syt_secret_key"),
            refresh: Some(Secret::new("syr_refresh")),
            version,
            lifetime: Some(Duration::from_millis(900)),
            fresh_for: None,
        }
    }

    #[test]
    fn an_encrypted_key_reads_back_and_shows_nothing() {
        let codec = Codec::new("p".into(), Some(EncryptionKey::new([7; 32])));
        let value = codec.write_key(&key(42)).expect("written");
        assert!(value.starts_with("42:"));
        assert!(!value.contains("syt_secret_key") && !value.contains("syr_refresh"));
        let back = codec.read_key(&value, 500).expect("read");
        assert_eq!(back.key.expose(), "syt_secret_key");
        assert_eq!(back.refresh.expect("refresh").expose(), "syr_refresh");
        assert_eq!(back.fresh_for, Some(Duration::from_millis(500)));
        // Another account's prefix, another version or another key: refused.
        let other = Codec::new("q".into(), Some(EncryptionKey::new([7; 32])));
        assert!(other.read_key(&value, 500).is_err());
        let moved = value.replacen("42:", "43:", 1);
        assert!(codec.read_key(&moved, 500).is_err());
        let wrong = Codec::new("p".into(), Some(EncryptionKey::new([8; 32])));
        assert!(wrong.read_key(&value, 500).is_err());
        let refresh = codec
            .write_refresh(42, &Secret::new("syr_refresh"))
            .expect("written");
        assert!(refresh.starts_with("42:") && !refresh.contains("syr_refresh"));
        assert_eq!(
            codec.read_refresh(&refresh).expect("read").expose(),
            "syr_refresh"
        );
        assert!(wrong.read_refresh(&refresh).is_err());
        let plain = Codec::new("p".into(), None);
        assert!(plain.read_refresh(&refresh).is_err());
        assert_eq!(
            format!("{:?}", EncryptionKey::new([7; 32])),
            "EncryptionKey(***)"
        );
    }

    #[test]
    fn a_latch_reads_back() {
        let latch = Latch {
            code: ErrorCode::Text("M_FORBIDDEN".into()),
            status: 403,
            message: Some("Invalid username or password".into()),
            holds_for: None,
        };
        let value = write_latch(&latch).expect("written");
        assert_eq!(read_latch(&value, -1).expect("read"), latch);
    }
}
