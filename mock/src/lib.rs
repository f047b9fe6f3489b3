//! A spec-driven stand-in of every provider, for testing code that uses
//! loginspec clients without the vendor.
//!
//! [`Mock::start`] serves each provider of a checked model on its own
//! 127.0.0.1 port. Every request is routed to a method by its bindings and
//! validated against them (verb, path, media type, every value at its place,
//! types, constraints, constants, derived values, the session key); a
//! violation is answered with the provider's documented error for it where
//! there is one, else a 400 naming it, and is logged. Good requests get the
//! spec's example answers (or answers built from the types) with keys the
//! mock issues. Nothing here names a provider: a spec folder is a mock.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = loginspec_mock::Mock::from_specs("specs").await?;
//! let erply = mock.provider("erply");
//! erply.set_account(loginspec_mock::Account::new().with("username", "demo").with("password", "pw"));
//! // point the client at erply.base_url(), call it, then:
//! erply.next_error("UserBlocked")?;
//! assert!(erply.violations().is_empty());
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

mod accounts;
mod admin;
mod answer;
mod log;
mod protocol;
mod provider;
mod refine;
mod route;
mod scenario;
mod server;
mod session;
mod steps;
mod validate;

pub use accounts::Account;
pub use log::{Logged, Outcome, Violation, DEFAULT_LOG_LIMIT};

use loginspec_codegen::model::{self, Model, ValueSource};
use loginspec_runtime::__generated::v1::derive as rt;
use provider::State;
use scenario::Next;
use session::Clock;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::watch;

/// Why a mock could not start, or a scenario was refused.
#[derive(Debug)]
pub enum MockError {
    /// The specs have errors (the rendered diagnostics).
    Specs(String),
    Io(std::io::Error),
    /// No method of the provider documents an error of this name or code.
    UnknownError(String),
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MockError::Specs(text) => write!(f, "the specs have errors:\n{text}"),
            MockError::Io(e) => write!(f, "cannot serve on 127.0.0.1: {e}"),
            MockError::UnknownError(name) => {
                write!(f, "no method of the provider documents the error `{name}`")
            }
        }
    }
}

impl std::error::Error for MockError {}

/// Settings of a mock; [`Mock::start`] uses the defaults.
#[derive(Debug, Clone)]
pub struct Options {
    /// First port; providers get consecutive ports in name order. `None`: any free ports.
    pub port_base: Option<u16>,
    /// How fast session lifetimes run against real time (1.0: real time).
    pub time_scale: f64,
    /// How many requests each provider's log keeps; older ones go first,
    /// but their violations stay ([`ProviderMock::violations`]). Default:
    /// [`DEFAULT_LOG_LIMIT`].
    pub log_limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            port_base: None,
            time_scale: 1.0,
            log_limit: DEFAULT_LOG_LIMIT,
        }
    }
}

/// Every provider of a model, served. Dropping it stops the servers.
pub struct Mock {
    providers: Vec<ProviderMock>,
    clock: Arc<Clock>,
    _stop: watch::Sender<bool>,
}

impl Mock {
    /// Loads and checks the specs in `dir`, then serves them.
    pub async fn from_specs(dir: impl AsRef<Path>) -> Result<Mock, MockError> {
        Mock::from_specs_with(dir, Options::default()).await
    }

    pub async fn from_specs_with(
        dir: impl AsRef<Path>,
        options: Options,
    ) -> Result<Mock, MockError> {
        let (model, _) = loginspec_codegen::load_and_check(dir.as_ref())
            .map_err(|d| MockError::Specs(d.to_string()))?;
        Mock::start_with(&model, options).await
    }

    pub async fn start(model: &Model) -> Result<Mock, MockError> {
        Mock::start_with(model, Options::default()).await
    }

    /// Serves each provider of `model` on its own port of 127.0.0.1.
    pub async fn start_with(model: &Model, options: Options) -> Result<Mock, MockError> {
        let clock = Arc::new(Clock::new(options.time_scale));
        let (stop, stopped) = watch::channel(false);
        let mut providers = Vec::new();
        for (i, provider) in model.providers.iter().enumerate() {
            let port = match options.port_base {
                Some(base) => u16::try_from(usize::from(base) + i)
                    .map_err(|_| MockError::Io(std::io::ErrorKind::InvalidInput.into()))?,
                None => 0,
            };
            let (listener, addr) = server::bind(port).await.map_err(MockError::Io)?;
            let base_path = provider::base_path(&provider.base_url);
            let state = Arc::new(State {
                derivations: Derivations::of(provider),
                provider: provider.clone(),
                base_url: format!("http://{addr}{base_path}"),
                base_path,
                clock: clock.clone(),
                inner: Mutex::new(provider::Inner {
                    account: Account::from_examples(provider),
                    lockout: accounts::Lockout::from_spec(provider),
                    log: log::RequestLog::new(options.log_limit),
                    ..provider::Inner::default()
                }),
            });
            tokio::spawn(server::serve(listener, state.clone(), stopped.clone()));
            providers.push(ProviderMock { state });
        }
        Ok(Mock {
            providers,
            clock,
            _stop: stop,
        })
    }

    /// The mock of the provider `name`, if the model has it.
    pub fn get(&self, name: &str) -> Option<&ProviderMock> {
        self.providers.iter().find(|p| p.name() == name)
    }

    /// The mock of the provider `name`.
    ///
    /// # Panics
    /// When the model has no such provider (a mistake in the calling test).
    pub fn provider(&self, name: &str) -> &ProviderMock {
        match self.get(name) {
            Some(provider) => provider,
            None => panic!("the mock serves no provider `{name}`"),
        }
    }

    pub fn providers(&self) -> &[ProviderMock] {
        &self.providers
    }

    /// Moves the mock's clock on (session lifetimes), without waiting.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.providers).finish()
    }
}

/// One provider's server: its address, scenarios and log.
pub struct ProviderMock {
    pub(crate) state: Arc<State>,
}

impl fmt::Debug for ProviderMock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderMock")
            .field("name", &self.name())
            .field("base_url", &self.base_url())
            .finish()
    }
}

impl ProviderMock {
    pub fn name(&self) -> &str {
        &self.state.provider.name
    }

    /// The base URL a client uses for this provider (`http://127.0.0.1:PORT/api/`).
    pub fn base_url(&self) -> &str {
        &self.state.base_url
    }

    /// Only this account logs in; others get the spec's `bad_credentials`
    /// error. It replaces the account of the spec's examples, if any (an
    /// empty `Account::new()` lets any credentials log in), and counts
    /// failed logins from zero again.
    pub fn set_account(&self, account: Account) -> &Self {
        let mut inner = self.state.lock();
        inner.account = Some(account);
        inner.lockout.failures = 0;
        drop(inner);
        self
    }

    /// After `failures` wrong logins in a row, logins get the spec's
    /// `locked` error (the one with `after_failures`, if the spec gives it;
    /// this replaces its number).
    pub fn lockout_after(&self, failures: u32) -> &Self {
        self.state.lock().lockout.after = Some(failures);
        self
    }

    /// The next request whose method documents this error (by variant name
    /// or wire code) is answered with it, whatever it sends; requests to
    /// other methods pass. Several queue up in order.
    pub fn next_error(&self, name: &str) -> Result<&Self, MockError> {
        let known = self
            .state
            .provider
            .methods
            .iter()
            .any(|m| provider::find_variant(m, name).is_some());
        if !known {
            return Err(MockError::UnknownError(name.to_string()));
        }
        self.state
            .lock()
            .scenarios
            .queue
            .push_back(Next::Error(name.to_string()));
        Ok(self)
    }

    /// The next request gets this answer as it is (a proxy's 502 page).
    pub fn respond_raw(&self, status: u16, body: impl Into<String>) -> &Self {
        let body = body.into();
        self.state
            .lock()
            .scenarios
            .queue
            .push_back(Next::Raw { status, body });
        self
    }

    /// Every later answer waits this long (zero: no wait).
    pub fn delay(&self, delay: Duration) -> &Self {
        self.state.lock().scenarios.delay = delay;
        self
    }

    /// Every key issued so far is expired from now on.
    pub fn expire_sessions(&self) -> &Self {
        self.state.lock().sessions.expire_all();
        self
    }

    /// The spec's session-id handshake value changes (as a server's does
    /// on restart): the next request gets the handshake answer again.
    pub fn rotate_handshake(&self) -> &Self {
        self.state.lock().handshake = None;
        self
    }

    /// The requests so far, oldest first: the latest [`Options::log_limit`]
    /// of them.
    pub fn log(&self) -> Vec<Logged> {
        self.state.lock().log.entries()
    }

    /// The violations of the requests so far, those of requests the log let
    /// go included (the first [`Options::log_limit`] of those): empty only
    /// when no request broke a rule.
    pub fn violations(&self) -> Vec<Violation> {
        self.state.lock().log.violations()
    }

    /// How many requests the log let go for its limit since it was cleared.
    pub fn log_dropped(&self) -> u64 {
        self.state.lock().log.dropped()
    }

    /// Empties the log, the violations it kept and its count of requests
    /// let go.
    pub fn clear_log(&self) -> &Self {
        self.state.lock().log.clear();
        self
    }
}

/// The derived values of a provider's methods as runtime pipelines, which
/// the mock runs to check what a client sent (the same code a client runs).
#[derive(Default)]
pub(crate) struct Derivations {
    by_method: HashMap<(String, String), rt::Derived>,
}

impl Derivations {
    fn of(provider: &model::Provider) -> Self {
        let mut by_method = HashMap::new();
        for method in &provider.methods {
            for binding in &method.bindings {
                if let ValueSource::Derived { name, pipeline, .. } = &binding.source {
                    by_method.insert((method.wire.clone(), name.clone()), to_runtime(pipeline));
                }
            }
        }
        Derivations { by_method }
    }

    pub(crate) fn get(&self, method: &str, name: &str) -> Option<&rt::Derived> {
        self.by_method.get(&(method.to_string(), name.to_string()))
    }
}

fn to_runtime(pipeline: &model::Derived) -> rt::Derived {
    let hash = |h: &model::HashFn| match h {
        model::HashFn::Md5 => rt::Hash::Md5,
        model::HashFn::Sha1 => rt::Hash::Sha1,
        model::HashFn::Sha256 => rt::Hash::Sha256,
        model::HashFn::Sha512 => rt::Hash::Sha512,
    };
    let parts: Vec<rt::Part> = pipeline
        .parts
        .iter()
        .map(|p| match p {
            model::DerivedPart::Param(n) => rt::Part::Value(leak(n)),
            model::DerivedPart::Text(t) => rt::Part::Literal(leak(t)),
            model::DerivedPart::Nonce { len, alphabet } => rt::Part::Nonce {
                len: *len as usize,
                alphabet: match alphabet {
                    model::Alphabet::Hex => rt::Alphabet::Hex,
                    model::Alphabet::Alnum => rt::Alphabet::Alphanumeric,
                    model::Alphabet::Digits => rt::Alphabet::Digits,
                },
            },
            model::DerivedPart::UnixTime => rt::Part::UnixTime,
        })
        .collect();
    let steps: Vec<rt::Step> = pipeline
        .steps
        .iter()
        .map(|s| match s {
            model::DerivedStep::Hash(h) => rt::Step::Hash(hash(h)),
            model::DerivedStep::Hmac { hash: h, key } => rt::Step::Hmac {
                hash: hash(h),
                key: rt::Part::Value(leak(key)),
            },
            model::DerivedStep::Hex => rt::Step::Hex,
            model::DerivedStep::Base64 => rt::Step::Base64,
            model::DerivedStep::Base64Url => rt::Step::Base64Url,
        })
        .collect();
    rt::Derived {
        parts: leak_slice(parts),
        steps: leak_slice(steps),
    }
}

/// The runtime's tables are `'static` (generated code writes them as
/// literals). The mock builds them at run time, so it keeps one copy of each
/// distinct text for the life of the process, and its pipelines' small
/// tables (a few words per derived value each time a mock starts).
pub(crate) fn leak(text: &str) -> &'static str {
    static TEXTS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut texts = TEXTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    match texts.get(text) {
        Some(kept) => kept,
        None => {
            let kept: &'static str = Box::leak(text.to_string().into_boxed_str());
            texts.insert(kept);
            kept
        }
    }
}

fn leak_slice<T: PartialEq + Send + Sync + 'static>(items: Vec<T>) -> &'static [T] {
    if items.is_empty() {
        return &[];
    }
    Box::leak(items.into_boxed_slice())
}
