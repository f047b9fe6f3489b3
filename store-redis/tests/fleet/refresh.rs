//! Refresh tokens shared by the fleet: one refresh per expiry, and a
//! rotated refresh token never sent twice.

use super::harness::{account, redis, redis_get, redis_url, Fleet, Setup, Tally};
use super::standin::{Rules, StandIn};
use super::RIGHT;
use loginspec_store_redis::key_prefix;

const REFRESH: Rules = Rules {
    lifetime: None,
    sliding: false,
    refresh: true,
};

/// 8 processes × 100 concurrent calls across 3 access tokens (all of them
/// expire between phases; the refresh tokens stay): one login, then one
/// refresh per expiry for the whole fleet, no refresh token used twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fleet_refreshes_once_per_expiry() {
    let Some(redis) = redis_url() else { return };
    let standin = StandIn::with_rules(RIGHT, REFRESH).await;
    let setup = Setup::new(&redis, &standin, &account("refresh"), RIGHT);
    let mut fleet = Fleet::spawn(8, &setup).await;
    let total = fleet.phases(3, 100, || standin.expire_access()).await;
    let counts = standin.counts();
    eprintln!("refresh, 8 processes: {counts:?}, {total:?}");
    assert_eq!(total, Tally::ok(8 * 100 * 3));
    assert_eq!(
        (counts.logins, counts.refreshes, counts.refresh_reuses),
        (1, 2, 0)
    );
    assert_eq!(counts.evictions, 0);
}

/// A process that sat out two refreshes still holds the first refresh
/// token, which the fleet has rotated twice since. When its key is refused
/// and Redis no longer has a key to hand over (its time there was up), it
/// takes the lock and refreshes with the token the fleet used last. A
/// logout then takes the refresh token out of Redis with the key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_that_sat_out_refreshes_with_the_fleets_latest_token() {
    let Some(redis_url) = redis_url() else { return };
    let standin = StandIn::with_rules(RIGHT, REFRESH).await;
    let account = account("sat-out");
    let setup = Setup::new(&redis_url, &standin, &account, RIGHT);
    let mut fleet = Fleet::spawn(3, &setup).await;
    assert_eq!(fleet.run(10).await, Tally::ok(3 * 10));
    let (busy, idle) = fleet.0.split_at_mut(2);
    for _ in 0..2 {
        standin.expire_access();
        for worker in busy.iter_mut() {
            assert_eq!(Tally::parse(&worker.ask("run 10").await), Tally::ok(10));
        }
    }
    // As when the key's time in Redis is up.
    let key = format!("{}:key", key_prefix("synapse", &account));
    let deleted: u32 = redis::cmd("DEL")
        .arg(&key)
        .query_async(&mut redis(&redis_url).await)
        .await
        .expect("DEL");
    assert_eq!(deleted, 1);
    assert_eq!(Tally::parse(&idle[0].ask("run 10").await), Tally::ok(10));
    let counts = standin.counts();
    eprintln!("sat out: {counts:?}");
    assert_eq!(
        (counts.logins, counts.refreshes, counts.refresh_reuses),
        (1, 3, 0)
    );
    // A logout ends the refresh token with the key: both leave Redis.
    let refresh = format!("{}:refresh", key_prefix("synapse", &account));
    assert!(redis_get(&redis_url, &refresh).await.is_some());
    assert_eq!(idle[0].ask("logout").await, "logout=ok");
    assert_eq!(redis_get(&redis_url, &key).await, None);
    assert_eq!(redis_get(&redis_url, &refresh).await, None);
}
