//! How a client is set up: its options and its client-wide variables.

#[cfg(feature = "test-hooks")]
use crate::encode::EncodedRequest;
use crate::protocol::Encoding;
use crate::redirect::Redirects;
use crate::secret::Secret;
use std::time::Duration;

/// How a client is set up. Every setting has a sensible default.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub(super) base_url: Option<String>,
    pub(super) timeout: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) user_agent: String,
    pub(super) http: Option<reqwest::Client>,
    pub(super) encoding: Option<Encoding>,
    pub(super) max_response_bytes: usize,
    pub(super) redirects: Redirects,
    #[cfg(feature = "test-hooks")]
    pub(super) rewrite: Option<Rewrite>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            base_url: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("loginspec/", env!("CARGO_PKG_VERSION")).to_string(),
            http: None,
            encoding: None,
            max_response_bytes: 4 * 1024 * 1024,
            redirects: Redirects::Refuse,
            #[cfg(feature = "test-hooks")]
            rewrite: None,
        }
    }
}

impl ClientOptions {
    /// Replaces the spec's base URL (a test server, an on-premise host).
    /// `{variable}` placeholders are filled in as in the default.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Limit for a whole call, from connecting to the last byte of the answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit for establishing the connection (ignored with [`ClientOptions::http_client`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header (ignored with [`ClientOptions::http_client`]).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Uses the caller's own `reqwest::Client` (proxies, certificates, pools).
    ///
    /// Build it with `redirect(reqwest::redirect::Policy::none())`: a
    /// client's own redirect policy cannot be changed from here, and reqwest's
    /// default follows `307` and `308` to any host with the body, so the
    /// password, hash, token or session key would travel there before the
    /// answer is refused (reqwest drops `Authorization` and `Cookie` on such
    /// a hop, but not an API key in another header). The call still refuses an answer that came from
    /// another origin ([`Error::Redirect`](crate::Error::Redirect)), and redirects the client does
    /// not follow are handled by [`ClientOptions::redirects`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Picks one of the encodings the provider accepts (Aktion: JSON or XML).
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// Which redirects a call follows (default: none). A redirect to another
    /// origin is never followed; see [`Redirects`].
    pub fn redirects(mut self, redirects: Redirects) -> Self {
        self.redirects = redirects;
        self
    }

    /// Answers longer than this are refused rather than read (default 4 MiB).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Tests only (cargo feature `test-hooks`), not API: `rewrite` sees each
    /// request as encoded (URL with its query, binding headers, body) and may
    /// change it just before it is sent, once per call. It sees the secrets
    /// the call sends, as the caller's own code does; a secret it changes is
    /// no longer blanked from errors, so a hook must not print what it sees.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn rewrite_requests(
        mut self,
        rewrite: impl Fn(&mut EncodedRequest) + Send + Sync + 'static,
    ) -> Self {
        self.rewrite = Some(Rewrite(std::sync::Arc::new(rewrite)));
        self
    }
}

/// A test's hook on outgoing requests; `Debug` shows only that there is one.
#[cfg(feature = "test-hooks")]
#[derive(Clone)]
pub(super) struct Rewrite(pub(super) std::sync::Arc<dyn Fn(&mut EncodedRequest) + Send + Sync>);

#[cfg(feature = "test-hooks")]
impl std::fmt::Debug for Rewrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rewrite(..)")
    }
}

/// A client-wide value: it fills a `{name}` in the base URL (a plain one
/// only), and is sent wherever a method's `Source::Variable` binding puts it.
/// A secret one (a password, an API key) is never shown in `Debug`.
#[derive(Clone)]
pub struct Variable {
    pub name: &'static str,
    /// `None`: a variable of a credential group the client was not built
    /// with; it is not sent.
    pub(super) value: Option<Secret>,
    pub(super) secret: bool,
}

impl Variable {
    /// A value that may be shown (an account number, a host name).
    pub fn plain(name: &'static str, value: impl Into<String>) -> Self {
        let value: String = value.into();
        Variable {
            name,
            value: Some(Secret::new(value)),
            secret: false,
        }
    }

    /// A credential: sent, never shown, blanked from errors.
    pub fn secret(name: &'static str, value: impl Into<Secret>) -> Self {
        Variable {
            name,
            value: Some(value.into()),
            secret: true,
        }
    }

    /// A variable the client has no value for (one of a credential group
    /// other than the one chosen): every binding of it is left out.
    pub fn unset(name: &'static str) -> Self {
        Variable {
            name,
            value: None,
            secret: true,
        }
    }
}

impl std::fmt::Debug for Variable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Variable");
        out.field("name", &self.name);
        if self.secret {
            out.field("value", &self.value);
        } else {
            out.field("value", &self.value.as_ref().map(Secret::expose));
        }
        out.finish()
    }
}
