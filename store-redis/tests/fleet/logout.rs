//! A logout ends the session for the whole fleet.

use super::harness::{account, redis_get, redis_url, Fleet, Setup, Tally};
use super::standin::StandIn;
use super::RIGHT;
use loginspec_store_redis::key_prefix;

/// A logout in one process drops the key from Redis: a process that joins
/// then logs in rather than taking the dead key, and the others, refused
/// once, take that new key. A logout with a key older than the one in Redis
/// (the server had ended it anyway) leaves the newer key alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logout_drops_the_shared_key_but_not_a_newer_one() {
    let Some(redis) = redis_url() else { return };
    let standin = StandIn::start(RIGHT).await;
    let account = account("logout");
    let key = format!("{}:key", key_prefix("synapse", &account));
    let stored = || redis_get(&redis, &key);
    let setup = Setup::new(&redis, &standin, &account, RIGHT);
    let mut fleet = Fleet::spawn(3, &setup).await;
    assert_eq!(fleet.run(10).await, Tally::ok(3 * 10));
    assert!(stored().await.is_some());

    assert_eq!(fleet.0[0].ask("logout").await, "logout=ok");
    assert_eq!(stored().await, None, "the logged-out key left Redis");
    fleet.add(1, &setup).await;
    let joined = Tally::parse(&fleet.0[3].ask("run 10").await);
    assert_eq!(joined, Tally::ok(10));
    let counts = standin.counts();
    assert_eq!(
        (counts.logouts, counts.logins, counts.calls_refused),
        (1, 2, 0)
    );
    assert_eq!(fleet.run(10).await, Tally::ok(4 * 10));
    assert_eq!(standin.counts().logins, 2);

    // The server forgets the key; only the newest process needs a new one,
    // so the others still hold the old one when the second logs out.
    standin.expire_all();
    let renewed = Tally::parse(&fleet.0[3].ask("run 10").await);
    assert_eq!(renewed, Tally::ok(10));
    let newest = stored().await;
    assert!(newest.is_some());
    assert_eq!(fleet.0[1].ask("logout").await, "logout=gone");
    assert_eq!(
        stored().await,
        newest,
        "an old key's logout kept the newer key"
    );
    fleet.add(1, &setup).await;
    let joined = Tally::parse(&fleet.0[4].ask("run 10").await);
    assert_eq!(joined, Tally::ok(10));
    let counts = standin.counts();
    eprintln!("logout: {counts:?}");
    assert_eq!((counts.logouts, counts.logins, counts.evictions), (1, 3, 0));
}
