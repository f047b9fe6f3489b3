//! A Redis [`SessionStore`] for loginspec sessions: every process of a fleet
//! that logs in to one provider account shares one key, one login lock and
//! one refused-login latch.
//!
//! # Protocol
//!
//! A session's keys share the prefix `loginspec:{<provider>:<account hash>}`
//! (the account id is hashed with SHA-256; the braces keep them in one
//! cluster slot):
//!
//! * `…:key` — `<version>:<json>`, the key (encrypted when the store has an
//!   [`EncryptionKey`]) and its refresh token, with `PX` = the time until it
//!   is due for renewal, so it disappears when no one may use it any more. A
//!   sliding session that uses it moves the `PX` on (a script that
//!   lengthens it only, and only for the same version), at most 8 times per
//!   lifetime per process and off the caller's path. A logout deletes it
//!   (only that version: a newer key another process published stays);
//! * `…:lock` — the login lock, `SET` with `PX` = the lease, holding the
//!   holder's fencing token;
//! * `…:fence` — the fencing counter (`INCR`), one more per lock taken;
//! * `…:latch` — the server's answer to a refused login (code, status,
//!   message), with `PX` = the wait, or none for "until the credentials
//!   change";
//! * `…:refresh` — `<version>:<json>`, the refresh token of the latest key
//!   (sealed like it), without `PX`: it outlives the key's time in Redis,
//!   so a lock holder that missed the fleet's last refresh renews with the
//!   token that refresh left, never with one already spent. A key without
//!   a refresh token or a latch deletes it, and so does a logout of its
//!   version.
//!
//! A claim is one script run: the latch if set, else the key unless it is
//! the version a caller just saw refused, else the lock (a new fencing
//! token), else "busy". A busy caller claims again after a pause doubling
//! from 2 ms (bounded), so it takes the new key without logging in, or the
//! lock once the holder's lease ends. A holder publishes with a second
//! script that writes only if its token is still the latest (a holder whose
//! lease ran out and was overtaken keeps its key to itself). A holder of a
//! provider with a refresh method reads `…:refresh` first (one `GET`).
//!
//! Passwords never reach Redis. Every operation has a timeout; on any
//! failure the session warns and logs in on its own, and the connection
//! manager reconnects in the background.

use loginspec_runtime::{
    Claimed, LockToken, Outcome, Secret, SessionStore, SharedKey, StoreError, StoreFuture,
};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::Script;
use sha2::{Digest, Sha256};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

mod codec;
pub use codec::EncryptionKey;
use codec::{millis, read_latch, write_latch, Codec};

/// How the stores of one Redis behave.
#[derive(Debug, Clone)]
pub struct RedisConfig {
    /// How long a login lock holder may take before another may log in.
    /// Make it longer than a login takes (the transport's timeout).
    pub lease: Duration,
    /// The longest any one Redis operation may take; past it, the session
    /// goes on without the store for that renewal.
    pub timeout: Duration,
    /// Encrypts keys and refresh tokens at rest in Redis.
    pub encryption: Option<EncryptionKey>,
}

impl Default for RedisConfig {
    fn default() -> Self {
        RedisConfig {
            lease: Duration::from_secs(30),
            timeout: Duration::from_millis(250),
            encryption: None,
        }
    }
}

/// A connection to Redis, from which each session gets its store.
#[derive(Clone)]
pub struct RedisStores {
    conn: ConnectionManager,
    config: RedisConfig,
}

impl fmt::Debug for RedisStores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStores")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl RedisStores {
    /// Connects lazily (on first use, and again after the connection is
    /// lost), so a Redis that is down now does not stop the process.
    /// Call within a Tokio runtime.
    pub fn new(url: &str, config: RedisConfig) -> Result<Self, StoreError> {
        let failed = |e: redis::RedisError| StoreError::Failed(e.to_string());
        let client = redis::Client::open(url).map_err(failed)?;
        let manager = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(config.timeout))
            .set_response_timeout(Some(config.timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let conn = ConnectionManager::new_lazy_with_config(client, manager).map_err(failed)?;
        Ok(RedisStores { conn, config })
    }

    /// The store of one provider's account: `provider` as the spec names it,
    /// `account` the user name or id (hashed; never a password).
    pub fn session(&self, provider: &str, account: &str) -> Arc<dyn SessionStore> {
        let prefix = key_prefix(provider, account);
        Arc::new(RedisStore {
            conn: self.conn.clone(),
            keys: ["key", "lock", "fence", "latch", "refresh"].map(|k| format!("{prefix}:{k}")),
            codec: Codec::new(prefix, self.config.encryption.clone()),
            lease: self.config.lease,
            timeout: self.config.timeout,
        })
    }
}

/// The prefix of one account's Redis keys (`…:key`, `…:lock`, `…:fence`,
/// `…:latch`): the account id appears only hashed.
pub fn key_prefix(provider: &str, account: &str) -> String {
    let digest = Sha256::digest(account.as_bytes());
    format!("loginspec:{{{provider}:{}}}", hex::encode(&digest[..16]))
}

/// One session's store.
struct RedisStore {
    conn: ConnectionManager,
    /// key, lock, fence, latch, refresh.
    keys: [String; 5],
    codec: Codec,
    lease: Duration,
    timeout: Duration,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.keys[0].trim_end_matches(":key"))
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

/// KEYS: key, lock, fence, latch. ARGV: stale version or "", "1" to pass
/// over the latch, lease in ms.
static CLAIM: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if ARGV[2] ~= '1' then
  local latch = redis.call('GET', KEYS[4])
  if latch then return {'latch', latch, tostring(redis.call('PTTL', KEYS[4]))} end
end
local entry = redis.call('GET', KEYS[1])
if entry then
  if string.match(entry, '^([^:]*):') ~= ARGV[1] then
    return {'key', entry, tostring(redis.call('PTTL', KEYS[1]))}
  end
  redis.call('DEL', KEYS[1])
end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'busy'} end
local token = redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], 86400000)
redis.call('SET', KEYS[2], token, 'PX', ARGV[3])
return {'locked', tostring(token)}
",
    )
});

/// KEYS: key, lock, fence, latch, refresh. ARGV: token, "key" | "latch" |
/// "release", value, PX in ms ("0": none), the key's refresh token entry or
/// "". Writes only if no newer lock was taken since `token`. The refresh
/// token is kept without PX (it outlives the key's time in Redis) until a
/// key without one or a latch replaces it.
static PUBLISH: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
local function put(key)
  if ARGV[4] == '0' then redis.call('SET', key, ARGV[3])
  else redis.call('SET', key, ARGV[3], 'PX', ARGV[4]) end
end
if ARGV[2] == 'key' then
  put(KEYS[1])
  redis.call('DEL', KEYS[4])
  if ARGV[5] ~= '' then redis.call('SET', KEYS[5], ARGV[5])
  else redis.call('DEL', KEYS[5]) end
elseif ARGV[2] == 'latch' then
  put(KEYS[4])
  redis.call('DEL', KEYS[1], KEYS[5])
end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
",
    )
});

/// KEYS: lock. ARGV: token, lease in ms.
static EXTEND: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
",
    )
});

impl RedisStore {
    /// Runs an operation within the timeout.
    async fn bounded<T>(
        &self,
        op: impl Future<Output = redis::RedisResult<T>>,
    ) -> Result<T, StoreError> {
        match tokio::time::timeout(self.timeout, op).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(StoreError::Failed(error.to_string())),
            Err(_) => Err(StoreError::Timeout(self.timeout)),
        }
    }

    async fn claim_once(&self, stale: Option<u64>, ignore: bool) -> Result<Claimed, StoreError> {
        let mut conn = self.conn.clone();
        let mut call = CLAIM.prepare_invoke();
        call.key(&self.keys[..4])
            .arg(stale.map(|v| v.to_string()).unwrap_or_default())
            .arg(if ignore { "1" } else { "0" })
            .arg(millis(self.lease));
        let reply: Vec<String> = self.bounded(call.invoke_async(&mut conn)).await?;
        let pttl = |i: usize| {
            reply
                .get(i)
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(-1)
        };
        let odd = || StoreError::Unreadable(format!("claim answered {}", reply.len()));
        match reply.first().map(String::as_str) {
            Some("key") => {
                let value = reply.get(1).ok_or_else(odd)?;
                self.codec.read_key(value, pttl(2)).map(Claimed::Key)
            }
            Some("latch") => {
                let value = reply.get(1).ok_or_else(odd)?;
                read_latch(value, pttl(2)).map(Claimed::Latched)
            }
            Some("locked") => {
                let token = reply.get(1).and_then(|t| t.parse().ok()).ok_or_else(odd)?;
                Ok(Claimed::Locked(LockToken(token)))
            }
            Some("busy") => Ok(Claimed::Busy),
            _ => Err(odd()),
        }
    }

    async fn publish_once(&self, lock: LockToken, outcome: Outcome) -> Result<bool, StoreError> {
        let (kind, value, px) = match &outcome {
            Outcome::Key(key) => ("key", self.codec.write_key(key)?, key.fresh_for),
            Outcome::Latch(latch) => ("latch", write_latch(latch)?, latch.holds_for),
            Outcome::Release => ("release", String::new(), None),
        };
        let refresh = match &outcome {
            Outcome::Key(SharedKey {
                refresh: Some(token),
                version,
                ..
            }) => self.codec.write_refresh(*version, token)?,
            _ => String::new(),
        };
        let mut conn = self.conn.clone();
        let mut call = PUBLISH.prepare_invoke();
        call.key(&self.keys[..])
            .arg(lock.0.to_string())
            .arg(kind)
            .arg(value)
            .arg(px.map_or(0, millis))
            .arg(refresh);
        let written: i64 = self.bounded(call.invoke_async(&mut conn)).await?;
        Ok(written == 1)
    }
}

/// KEYS: key. ARGV: version, PX in ms. Lengthens the key's time to live
/// to PX if it is that version and has less (never adds one it lacks).
static SLIDE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local entry = redis.call('GET', KEYS[1])
if not entry or string.match(entry, '^([^:]*):') ~= ARGV[1] then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left >= 0 and left < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
",
    )
});

/// KEYS: key, refresh. ARGV: version. Deletes each that is that version
/// (the refresh token belonged to the session the logout ended); answers
/// whether the key was.
static FORGET: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local function ours(key)
  local entry = redis.call('GET', key)
  return entry and string.match(entry, '^([^:]*):') == ARGV[1]
end
if ours(KEYS[2]) then redis.call('DEL', KEYS[2]) end
if not ours(KEYS[1]) then return 0 end
redis.call('DEL', KEYS[1])
return 1
",
    )
});

impl RedisStore {
    async fn refresh_once(&self) -> Result<Option<Secret>, StoreError> {
        let mut conn = self.conn.clone();
        let get = redis::cmd("GET").arg(&self.keys[4]).to_owned();
        let value: Option<String> = self.bounded(get.query_async(&mut conn)).await?;
        value.map(|v| self.codec.read_refresh(&v)).transpose()
    }

    async fn forget_once(&self, version: u64) -> Result<bool, StoreError> {
        let mut conn = self.conn.clone();
        let mut call = FORGET.prepare_invoke();
        call.key(&self.keys[0])
            .key(&self.keys[4])
            .arg(version.to_string());
        let forgotten: i64 = self.bounded(call.invoke_async(&mut conn)).await?;
        Ok(forgotten == 1)
    }

    async fn slide_once(&self, version: u64, fresh_for: Duration) -> Result<bool, StoreError> {
        let mut conn = self.conn.clone();
        let mut call = SLIDE.prepare_invoke();
        call.key(&self.keys[0])
            .arg(version.to_string())
            .arg(millis(fresh_for));
        let slid: i64 = self.bounded(call.invoke_async(&mut conn)).await?;
        Ok(slid == 1)
    }

    async fn extend_once(&self, lock: LockToken) -> Result<bool, StoreError> {
        let mut conn = self.conn.clone();
        let mut call = EXTEND.prepare_invoke();
        call.key(&self.keys[1])
            .arg(lock.0.to_string())
            .arg(millis(self.lease));
        let extended: i64 = self.bounded(call.invoke_async(&mut conn)).await?;
        Ok(extended == 1)
    }
}

impl SessionStore for RedisStore {
    fn claim(&self, stale: Option<u64>, ignore_latch: bool) -> StoreFuture<'_, Claimed> {
        Box::pin(self.claim_once(stale, ignore_latch))
    }

    fn publish(&self, lock: LockToken, outcome: Outcome) -> StoreFuture<'_, bool> {
        Box::pin(self.publish_once(lock, outcome))
    }

    fn extend(&self, lock: LockToken) -> StoreFuture<'_, bool> {
        Box::pin(self.extend_once(lock))
    }

    fn lease(&self) -> Duration {
        self.lease
    }

    fn slide(&self, version: u64, fresh_for: Duration) -> StoreFuture<'_, bool> {
        Box::pin(self.slide_once(version, fresh_for))
    }

    fn forget(&self, version: u64) -> StoreFuture<'_, bool> {
        Box::pin(self.forget_once(version))
    }

    fn refresh_token(&self) -> StoreFuture<'_, Option<Secret>> {
        Box::pin(self.refresh_once())
    }
}
