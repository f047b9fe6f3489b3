//! The figures of BENCHMARKS.md §5: logins per key as the fleet grows.

use super::harness::{account, redis_url, Fleet, Setup};
use super::standin::StandIn;
use super::{worker, RIGHT};

/// Expiries (keys the server forgets) per fleet, and calls per process
/// and key.
const KEYS: u32 = 3;
const CALLS: usize = 50;

/// Logins for 3 keys as the fleet grows from 1 to 16 processes, with the
/// Redis store and without it, as a Markdown table. Counts, not timings.
/// BENCHMARKS.md gives the command:
/// `scripts/redis/up.sh && cargo test -p loginspec-store-redis --test fleet -- --ignored fleet_sizes --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measures; run by hand"]
async fn fleet_sizes() {
    let Some(redis) = redis_url() else { return };
    println!("| processes | with the Redis store | without |");
    println!("|---|---|---|");
    for n in [1, 2, 4, 8, 16] {
        let mut row = format!("| {n} |");
        for store in [true, false] {
            let standin = StandIn::start(RIGHT).await;
            let mut setup = Setup::new(&redis, &standin, &account("sizes"), RIGHT);
            if !store {
                setup = setup.with(worker::NO_STORE, "1");
            }
            let mut fleet = Fleet::spawn(n, &setup).await;
            let total = fleet.phases(KEYS, CALLS, || standin.expire_all()).await;
            let c = standin.counts();
            let calls = total.ok + total.failed + total.refused;
            row += &format!(
                " {} logins ({:.1} per key), {} evictions, {} failed of {calls} |",
                c.logins,
                f64::from(c.logins) / f64::from(KEYS),
                c.evictions,
                total.failed
            );
        }
        println!("{row}");
    }
}
