//! One process of a fleet: this test binary run again as `fleet_worker`,
//! driven by lines on its stdin, answering with `FLEET …` lines on stdout.
//!
//! * `run N`: N concurrent `whoami` calls through one `Session`; answers
//!   `FLEET done ok=… failed=… refused=…` (refused: the login was refused
//!   as bad credentials);
//! * `creds PASSWORD`: new credentials; answers `FLEET ok`;
//! * end of input: exit.

use super::synapse;
use loginspec::runtime::{ClientOptions, ErrorClass};
use loginspec_store_redis::{RedisConfig, RedisStores};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The settings a worker reads from its environment.
pub const REDIS: &str = "FLEET_REDIS";
pub const SERVER: &str = "FLEET_SERVER";
pub const ACCOUNT: &str = "FLEET_ACCOUNT";
pub const PASSWORD: &str = "FLEET_PASSWORD";
pub const LEASE_MS: &str = "FLEET_LEASE_MS";
/// Set to leave the store out (to see the test fail without it).
pub const NO_STORE: &str = "FLEET_NO_STORE";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

pub async fn run() {
    // The store's warnings (Redis away) show in the test's output.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(if std::env::var_os("FLEET_DEBUG").is_some() {
            tracing::Level::DEBUG
        } else {
            tracing::Level::WARN
        })
        .init();
    let lease: u64 = env(LEASE_MS).parse().expect("lease in ms");
    let client = synapse::Client::with_options(ClientOptions::default().base_url(env(SERVER)))
        .expect("client");
    let credentials = synapse::LoginRequest::new("fleet", env(PASSWORD).as_str());
    let session = if std::env::var_os(NO_STORE).is_some() {
        synapse::Session::new(client, credentials)
    } else {
        let config = RedisConfig {
            lease: Duration::from_millis(lease),
            timeout: Duration::from_millis(lease),
            ..RedisConfig::default()
        };
        let stores = RedisStores::new(&env(REDIS), config).expect("redis url");
        synapse::Session::with_store(
            client,
            credentials,
            stores.session("synapse", &env(ACCOUNT)),
        )
    };
    println!("FLEET ready");
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let (command, arg) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        match command {
            "run" => {
                let n: usize = arg.parse().expect("a number of calls");
                let calls = (0..n).map(|_| {
                    let session = session.clone();
                    tokio::spawn(async move { session.whoami(synapse::WhoamiRequest::new()).await })
                });
                let (mut ok, mut failed, mut refused) = (0, 0, 0);
                for call in calls.collect::<Vec<_>>() {
                    match call.await.expect("call task") {
                        Ok(_) => ok += 1,
                        Err(e) if e.class() == Some(ErrorClass::BadCredentials) => refused += 1,
                        Err(e) => {
                            eprintln!("worker call failed: {e}");
                            failed += 1;
                        }
                    }
                }
                println!("FLEET done ok={ok} failed={failed} refused={refused}");
            }
            "debug" => eprintln!("---- phase"),
            "creds" => {
                session.set_credentials(synapse::LoginRequest::new("fleet", arg));
                println!("FLEET ok");
            }
            other => panic!("unknown command {other}"),
        }
    }
}
