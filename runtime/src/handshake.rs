//! State a client keeps between calls, shared by its clones (and so by a
//! `Session`'s client): the value of a session-id handshake and the
//! request-id counter.

use crate::error::ConfigError;
use crate::protocol::Handshake;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// The handshake value a client sends and learns (a CSRF token: not a
/// credential, but not shown in `Debug` either).
#[derive(Clone)]
pub(crate) struct HandshakeState {
    status: u16,
    name: HeaderName,
    value: Arc<Mutex<Option<HeaderValue>>>,
}

impl HandshakeState {
    pub(crate) fn new(handshake: Handshake) -> Result<Self, ConfigError> {
        let name = HeaderName::from_bytes(handshake.header.as_bytes()).map_err(|_| {
            ConfigError::Invalid {
                field: "handshake",
                reason: format!("`{}` is not a header name", handshake.header),
            }
        })?;
        Ok(HandshakeState {
            status: handshake.status,
            name,
            value: Arc::default(),
        })
    }

    /// The value to send, if one was learnt.
    pub(crate) fn current(&self) -> Option<HeaderValue> {
        self.value
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Adds the current value to `headers` (replacing any other), and
    /// returns what was sent.
    pub(crate) fn stamp(&self, headers: &mut HeaderMap) -> Option<HeaderValue> {
        let value = self.current()?;
        headers.insert(self.name.clone(), value.clone());
        Some(value)
    }

    /// Keeps the value an answer of the client's own origin carries. Returns
    /// whether the call must be repeated: the answer has the handshake
    /// status and a value other than the one the call sent.
    pub(crate) fn learn(
        &self,
        status: u16,
        headers: &HeaderMap,
        sent: Option<&HeaderValue>,
    ) -> bool {
        let Some(found) = headers.get(&self.name) else {
            return false;
        };
        let mut value = found.clone();
        value.set_sensitive(true);
        *self.value.lock().unwrap_or_else(PoisonError::into_inner) = Some(value.clone());
        status == self.status && sent != Some(&value)
    }
}

impl fmt::Debug for HandshakeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HandshakeState({}: ***)", self.name)
    }
}

/// Request ids: 1 for a client's first call, then one more per call.
#[derive(Debug, Clone)]
pub(crate) struct Counter(Arc<AtomicU64>);

impl Default for Counter {
    fn default() -> Self {
        Counter(Arc::new(AtomicU64::new(1)))
    }
}

impl Counter {
    pub(crate) fn next(&self) -> u64 {
        self.0.fetch_add(1, Ordering::Relaxed)
    }
}
