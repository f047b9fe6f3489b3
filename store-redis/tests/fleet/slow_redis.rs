//! A Redis that stops answering for a while.

use super::harness::{account, redis, redis_url, Fleet, OwnRedis, Setup, Tally};
use super::standin::StandIn;
use super::{worker, RIGHT};

/// How long Redis holds every client's commands back.
const PAUSE_MS: u32 = 1500;

/// Redis stops answering mid-run (`CLIENT PAUSE … ALL`: every command
/// waits until the pause ends) while the server forgets the key. Every call
/// of that phase succeeds: the processes' claims time out after 200 ms, they
/// warn and log in on their own, at most one login per process (in-process
/// single flight). Once Redis answers again, the fleet shares one login.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_redis_means_logging_in_alone_then_sharing_again() {
    if redis_url().is_none() {
        return;
    }
    let own = OwnRedis::start().await;
    let standin = StandIn::start(RIGHT).await;
    let setup = Setup::new(&own.url(), &standin, &account("slow"), RIGHT)
        .with(worker::TIMEOUT_MS, "200")
        .with(worker::LEASE_MS, "1000");
    let mut fleet = Fleet::spawn(4, &setup).await;
    assert_eq!(fleet.run(50).await, Tally::ok(4 * 50));
    assert_eq!(standin.counts().logins, 1);

    let mut conn = redis(&own.url()).await;
    let () = redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(PAUSE_MS)
        .arg("ALL")
        .query_async(&mut conn)
        .await
        .expect("CLIENT PAUSE");
    standin.expire_all();
    assert_eq!(fleet.run(50).await, Tally::ok(4 * 50));
    let slow = standin.counts().logins - 1;
    let warned = fleet.warnings().await;
    // A PING is answered once the pause is over (each try may time out).
    let ping = redis::cmd("PING");
    let mut tries = 0;
    while ping.query_async::<String>(&mut conn).await.is_err() {
        tries += 1;
        assert!(tries < 100, "Redis stayed paused");
    }

    standin.expire_all();
    assert_eq!(fleet.run(50).await, Tally::ok(4 * 50));
    let after = standin.counts().logins - 1 - slow;
    eprintln!("slow redis: {slow} logins while paused, warnings {warned:?}, {after} after");
    assert!((1..=4).contains(&slow), "{slow} logins for 4 processes");
    assert!(warned.iter().sum::<u32>() >= 1, "no warning: {warned:?}");
    assert_eq!(after, 1, "the store is shared again");
    assert_eq!(standin.counts().evictions, 0);
}
