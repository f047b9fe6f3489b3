//! A fleet of real OS processes (this binary run again as `fleet_worker`)
//! sharing one account's session through the redis-server that
//! scripts/redis/up.sh starts on 127.0.0.1, against a stand-in homeserver
//! that counts logins and closes the oldest of more than 10 sessions.
//!
//! The key expiries are the server's: between phases it forgets every key,
//! so each phase needs exactly one new login fleet-wide, whatever the timing.
//! Without the redis-server the tests print a note and pass; with
//! `LOGINSPEC_REQUIRE_PEERS=1` (CI) they fail.

mod harness;
mod login_once;
mod logout;
mod refresh;
mod sizes;
mod sliding_keys;
mod slow_redis;
mod standin;
mod worker;

mod peers {
    loginspec::client!("../tests/peers/specs/synapse");
    // The stand-in's wire with a lifetime that each call restarts.
    loginspec::client!("tests/fleet/specs/sliding");
}
use peers::{sliding, synapse};

const RIGHT: &str = "fleet-pass-4Rt9";
const WRONG: &str = "fleet-pass-typo";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "one process of a fleet: the other tests start it"]
async fn fleet_worker() {
    if std::env::var_os(worker::SERVER).is_some() {
        worker::run().await;
    }
}
