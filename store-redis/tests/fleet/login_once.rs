//! One login per key for the whole fleet: the lock, the latch, a dead lock
//! holder and a Redis that restarts.

use super::harness::{account, redis_get, redis_url, Fleet, OwnRedis, Setup, Tally};
use super::standin::StandIn;
use super::{RIGHT, WRONG};
use loginspec_store_redis::key_prefix;
use std::time::Duration;

/// 8 processes × 200 concurrent calls across 3 keys (the server forgets
/// the key twice): 3 logins in all, no session closed, no call failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_log_in_once_per_key() {
    let Some(redis) = redis_url() else { return };
    let standin = StandIn::start(RIGHT).await;
    let setup = Setup::new(&redis, &standin, &account("eight"), RIGHT);
    let mut fleet = Fleet::spawn(8, &setup).await;
    let total = fleet.phases(3, 200, || standin.expire_all()).await;
    let counts = standin.counts();
    eprintln!("8 processes: {counts:?}, {total:?}");
    assert_eq!(total, Tally::ok(8 * 200 * 3));
    assert_eq!(
        (counts.logins, counts.login_requests, counts.evictions),
        (3, 3, 0)
    );
    assert_eq!(counts.calls_ok, 8 * 200 * 3);
}

/// A wrong password rolled out to 8 processes: one login request in all,
/// however many calls; new credentials in one process log in once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_sent_once_by_the_fleet() {
    let Some(redis) = redis_url() else { return };
    let standin = StandIn::start(RIGHT).await;
    let setup = Setup::new(&redis, &standin, &account("wrong"), WRONG);
    let mut fleet = Fleet::spawn(8, &setup).await;
    for _ in 0..2 {
        let tally = fleet.run(50).await;
        assert_eq!(
            tally,
            Tally {
                refused: 8 * 50,
                ..Tally::default()
            }
        );
        assert_eq!(standin.login_requests(), 1);
    }
    let first = &mut fleet.0[0];
    assert_eq!(first.ask(&format!("creds {RIGHT}")).await, "ok");
    assert_eq!(Tally::parse(&first.ask("run 10").await), Tally::ok(10));
    let counts = standin.counts();
    assert_eq!(
        (counts.login_requests, counts.logins, counts.evictions),
        (2, 1, 0)
    );
}

/// The lock holder dies mid-login (its login never answers): once its lease
/// ends, another process takes the lock (fencing token 2) and logs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_holder_killed_mid_login_blocks_only_for_its_lease() {
    let Some(redis) = redis_url() else { return };
    let standin = StandIn::start(RIGHT).await;
    let account = account("killed");
    let setup = Setup::new(&redis, &standin, &account, RIGHT);
    standin.hang_next_login(Duration::from_secs(30));
    let mut holder = Fleet::spawn(1, &setup).await;
    holder.0[0].send("run 1").await;
    while standin.login_requests() < 1 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    holder.0[0]
        .child
        .kill()
        .await
        .expect("kill the lock holder");
    let mut fleet = Fleet::spawn(3, &setup).await;
    assert_eq!(fleet.run(20).await, Tally::ok(3 * 20));
    let counts = standin.counts();
    assert_eq!(
        (counts.login_requests, counts.logins, counts.evictions),
        (2, 1, 0)
    );
    let fence = redis_get(
        &redis,
        &format!("{}:fence", key_prefix("synapse", &account)),
    )
    .await;
    assert_eq!(fence.as_deref(), Some("2"));
}

/// Redis killed between phases and started again on its port: no call
/// fails; the processes log in on their own while it is away.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_go_on_while_redis_restarts() {
    if redis_url().is_none() {
        return;
    }
    let mut redis = OwnRedis::start().await;
    let standin = StandIn::start(RIGHT).await;
    let setup = Setup::new(&redis.url(), &standin, &account("restart"), RIGHT);
    let mut fleet = Fleet::spawn(4, &setup).await;
    let mut total = fleet.run(100).await;
    redis.kill().await;
    standin.expire_all();
    total += fleet.run(100).await;
    redis.restart().await;
    standin.expire_all();
    total += fleet.run(100).await;
    standin.expire_all();
    total += fleet.run(100).await;
    assert_eq!(total, Tally::ok(4 * 100 * 4));
    let counts = standin.counts();
    eprintln!(
        "redis restart: {} logins ({} requests), {} evictions",
        counts.logins, counts.login_requests, counts.evictions
    );
    assert_eq!(counts.evictions, 0);
}
