//! One process of a fleet: this test binary run again as `fleet_worker`,
//! driven by lines on its stdin, answering with `FLEET …` lines on stdout.
//!
//! * `run N`: N concurrent `whoami` calls through one `Session`; answers
//!   `FLEET done ok=… failed=… refused=…` (refused: the login was refused
//!   as bad credentials);
//! * `start N`: N tasks that call `whoami` one call after another (10 ms
//!   apart) until `stop`; answers `FLEET ok`;
//! * `stop`: ends them; answers their tally as `run` does;
//! * `logout`: the session's logout; answers `FLEET logout=ok|gone|failed`;
//! * `warnings`: answers `FLEET warned=N`, the warnings logged so far;
//! * `creds PASSWORD`: new credentials; answers `FLEET ok`;
//! * end of input: exit.

use super::{sliding, synapse};
use loginspec::runtime::{ClientOptions, ErrorClass, SessionStore};
use loginspec_store_redis::{RedisConfig, RedisStores};
use std::future::Future;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::task::JoinHandle;

/// The settings a worker reads from its environment.
pub const REDIS: &str = "FLEET_REDIS";
pub const SERVER: &str = "FLEET_SERVER";
pub const ACCOUNT: &str = "FLEET_ACCOUNT";
pub const PASSWORD: &str = "FLEET_PASSWORD";
pub const LEASE_MS: &str = "FLEET_LEASE_MS";
/// The store's timeout per operation (default: the lease).
pub const TIMEOUT_MS: &str = "FLEET_TIMEOUT_MS";
/// `sliding` for the test provider whose sessions slide; else Synapse.
pub const PROVIDER: &str = "FLEET_PROVIDER";
/// Set to leave the store out (to see the test fail without it).
pub const NO_STORE: &str = "FLEET_NO_STORE";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

/// How one call ended.
enum Outcome {
    Ok,
    /// The login was refused as bad credentials.
    Refused,
    Failed(String),
}

/// What the worker does with a generated session, whichever the provider.
trait Calls: Clone + Send + Sync + 'static {
    fn whoami(&self) -> impl Future<Output = Outcome> + Send;
    /// `Ok(true)`: logged out; `Ok(false)`: the server had ended it already.
    fn logout(&self) -> impl Future<Output = Result<bool, String>> + Send;
    fn set_password(&self, password: &str);
}

/// The session of provider module `$m`, with the store unless `NO_STORE`.
macro_rules! session {
    ($m:ident) => {{
        let options = ClientOptions::default().base_url(env(SERVER));
        let client = $m::Client::with_options(options).expect("client");
        let credentials = $m::LoginRequest::new("fleet", env(PASSWORD).as_str());
        match store() {
            Some(store) => $m::Session::with_store(client, credentials, store),
            None => $m::Session::new(client, credentials),
        }
    }};
}

macro_rules! calls {
    ($m:ident) => {
        impl Calls for $m::Session {
            async fn whoami(&self) -> Outcome {
                match $m::Session::whoami(self, $m::WhoamiRequest::new()).await {
                    Ok(_) => Outcome::Ok,
                    Err(e) if e.class() == Some(ErrorClass::BadCredentials) => Outcome::Refused,
                    Err(e) => Outcome::Failed(e.to_string()),
                }
            }

            async fn logout(&self) -> Result<bool, String> {
                match $m::Session::logout(self, $m::LogoutRequest::new()).await {
                    Ok(_) => Ok(true),
                    Err(e) if e.class() == Some(ErrorClass::SessionExpired) => Ok(false),
                    Err(e) => Err(e.to_string()),
                }
            }

            fn set_password(&self, password: &str) {
                self.set_credentials($m::LoginRequest::new("fleet", password));
            }
        }
    };
}
calls!(synapse);
calls!(sliding);

fn store() -> Option<Arc<dyn SessionStore>> {
    if std::env::var_os(NO_STORE).is_some() {
        return None;
    }
    let ms = |name: &str| -> Option<Duration> {
        let value = std::env::var(name).ok()?;
        Some(Duration::from_millis(value.parse().expect("milliseconds")))
    };
    let lease = ms(LEASE_MS).expect("a lease");
    let config = RedisConfig {
        lease,
        timeout: ms(TIMEOUT_MS).unwrap_or(lease),
        ..RedisConfig::default()
    };
    let stores = RedisStores::new(&env(REDIS), config).expect("redis url");
    Some(stores.session(&provider(), &env(ACCOUNT)))
}

/// The provider the worker calls: its module, and its store's prefix.
pub fn provider() -> String {
    std::env::var(PROVIDER).unwrap_or_else(|_| "synapse".into())
}

/// Warnings logged so far (the store's, when Redis is away or slow).
static WARNED: AtomicU32 = AtomicU32::new(0);

/// Stderr, counting the warnings written through it (one write per event).
struct Counting;

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.windows(4).any(|w| w == b"WARN") {
            WARNED.fetch_add(1, Ordering::SeqCst);
        }
        std::io::stderr().write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

pub async fn run() {
    // The store's warnings (Redis away) show in the test's output.
    tracing_subscriber::fmt()
        .with_writer(|| Counting)
        .with_ansi(false)
        .with_max_level(if std::env::var_os("FLEET_DEBUG").is_some() {
            tracing::Level::DEBUG
        } else {
            tracing::Level::WARN
        })
        .init();
    if provider() == "sliding" {
        serve(session!(sliding)).await;
    } else {
        serve(session!(synapse)).await;
    }
}

#[derive(Default)]
struct Tally {
    ok: u32,
    failed: u32,
    refused: u32,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Ok => self.ok += 1,
            Outcome::Refused => self.refused += 1,
            Outcome::Failed(e) => {
                eprintln!("worker call failed: {e}");
                self.failed += 1;
            }
        }
    }

    fn line(&self) -> String {
        let Tally {
            ok,
            failed,
            refused,
        } = self;
        format!("FLEET done ok={ok} failed={failed} refused={refused}")
    }
}

async fn serve(session: impl Calls) {
    println!("FLEET ready");
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let stop = Arc::new(AtomicBool::new(false));
    let mut looping: Vec<JoinHandle<Tally>> = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let (command, arg) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        match command {
            "run" => {
                let n: usize = arg.parse().expect("a number of calls");
                let calls = (0..n).map(|_| {
                    let session = session.clone();
                    tokio::spawn(async move { session.whoami().await })
                });
                let mut tally = Tally::default();
                for call in calls.collect::<Vec<_>>() {
                    tally.add(call.await.expect("call task"));
                }
                println!("{}", tally.line());
            }
            "start" => {
                let n: usize = arg.parse().expect("a number of tasks");
                stop.store(false, Ordering::SeqCst);
                looping.extend((0..n).map(|_| {
                    let (session, stop) = (session.clone(), Arc::clone(&stop));
                    tokio::spawn(async move {
                        let mut tally = Tally::default();
                        while !stop.load(Ordering::SeqCst) {
                            tally.add(session.whoami().await);
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                        tally
                    })
                }));
                println!("FLEET ok");
            }
            "stop" => {
                stop.store(true, Ordering::SeqCst);
                let mut total = Tally::default();
                for task in looping.drain(..) {
                    let tally = task.await.expect("calling task");
                    total.ok += tally.ok;
                    total.failed += tally.failed;
                    total.refused += tally.refused;
                }
                println!("{}", total.line());
            }
            "logout" => match session.logout().await {
                Ok(true) => println!("FLEET logout=ok"),
                Ok(false) => println!("FLEET logout=gone"),
                Err(e) => {
                    eprintln!("worker logout failed: {e}");
                    println!("FLEET logout=failed");
                }
            },
            "warnings" => println!("FLEET warned={}", WARNED.load(Ordering::SeqCst)),
            "creds" => {
                session.set_password(arg);
                println!("FLEET ok");
            }
            other => panic!("unknown command {other}"),
        }
    }
}
