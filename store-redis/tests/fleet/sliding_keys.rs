//! A sliding session keeps its key alive in the store while any process
//! uses it.

use super::harness::{account, redis_url, Fleet, Setup, Tally};
use super::standin::{Rules, StandIn};
use super::{worker, RIGHT};
use std::time::Duration;

/// The stand-in ends a token 1.5 s after its last use, and the login says
/// so; sessions count 0.75 s of it as fresh (half, the cap on the margin).
/// Three processes call for two lifetimes; a fourth that joins then takes
/// the key from Redis rather than logging in: one login in all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sliding_key_stays_shared_past_its_first_lifetime() {
    let Some(redis) = redis_url() else { return };
    let lifetime = Duration::from_millis(1500);
    let rules = Rules {
        lifetime: Some(lifetime),
        sliding: true,
        ..Rules::default()
    };
    let standin = StandIn::with_rules(RIGHT, rules).await;
    let setup =
        Setup::new(&redis, &standin, &account("sliding"), RIGHT).with(worker::PROVIDER, "sliding");
    let mut fleet = Fleet::spawn(4, &setup).await;
    let (callers, joiner) = fleet.0.split_at_mut(3);
    for caller in callers.iter_mut() {
        assert_eq!(caller.ask("start 2").await, "ok");
    }
    // Not a timed assertion: how long the callers go on before the fourth
    // process joins (calls_past_lifetime below checks it was long enough).
    tokio::time::sleep(lifetime * 2).await;
    let joined = Tally::parse(&joiner[0].ask("run 10").await);
    let mut total = Tally::default();
    for caller in callers.iter_mut() {
        total += Tally::parse(&caller.ask("stop").await);
    }
    let counts = standin.counts();
    eprintln!("sliding: joiner {joined:?}, callers {total:?}, {counts:?}");
    assert_eq!(joined, Tally::ok(10));
    assert_eq!((total.failed, total.refused), (0, 0));
    assert!(
        counts.calls_past_lifetime > 0,
        "the calls outlived one lifetime"
    );
    assert_eq!(
        (counts.logins, counts.evictions, counts.calls_refused),
        (1, 0, 0)
    );
}
