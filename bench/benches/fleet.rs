//! What sharing a session through Redis adds to a call (issue 14):
//!
//! - `hot/in_process` vs `hot/redis`: a session whose key is fresh, as every
//!   call but one per key lifetime finds it. The Redis store must add
//!   nothing here: the session uses its own copy without asking Redis.
//! - `renewal/redis_claim`: what a renewal that takes another process's key
//!   costs: one claim (one script run, one round trip) on the store.
//! - `sliding/in_process` vs `sliding/redis`: a call through `with_key` on a
//!   sliding session, whose lifetime starts again with every call. With a
//!   store the session also moves the store's copy on, but at most 8 times
//!   per lifetime and in a task of its own: the call never waits for Redis.
//!
//! The Redis side needs the redis-server of `scripts/redis/up.sh`; without
//! it those benchmarks are left out with a note.

use criterion::{criterion_group, criterion_main, Criterion};
use loginspec_client::erply;
use loginspec_runtime::__generated::v1::{self as rt, Grant, Secret, SessionState, SystemClock};
use loginspec_store_redis::{RedisConfig, RedisStores};
use std::sync::Arc;
use std::time::Duration;

type State = SessionState<erply::VerifyUserError>;

/// A login that always succeeds at once, with a key for an hour.
async fn login() -> Result<Grant, rt::Error<erply::VerifyUserError>> {
    Ok(Grant {
        key: Secret::new("bench-session-key"),
        lifetime: Some(Duration::from_secs(3600)),
        refresh: None,
    })
}

/// Erply's rules, but sliding (as Wialon's and Aukro's sessions are).
const SLIDING: rt::SessionRules = rt::SessionRules {
    refresh_margin: Duration::from_secs(30),
    sliding: true,
};

/// One use of the session's key that the server accepts.
async fn use_key(session: &State) {
    let used = session
        .with_key(login, |_key| async { Ok::<(), rt::KeyError<()>>(()) })
        .await;
    used.expect("fresh key").expect("accepted");
}

fn redis_url() -> Option<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/peers/redis/peer.env"
    );
    let text = std::fs::read_to_string(path).ok()?;
    let url = text
        .lines()
        .find_map(|l| l.strip_prefix("URL="))?
        .to_owned();
    let port = text.lines().find_map(|l| l.strip_prefix("PORT="))?;
    std::net::TcpStream::connect(format!("127.0.0.1:{port}")).ok()?;
    Some(url)
}

fn fleet(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut g = c.benchmark_group("fleet");
    g.warm_up_time(Duration::from_millis(300));
    g.measurement_time(Duration::from_secs(2));

    let local = State::new(erply::SESSION, Arc::new(SystemClock));
    runtime.block_on(local.ensure(login)).expect("login");
    g.bench_function("hot/in_process", |b| {
        b.iter(|| runtime.block_on(local.ensure(login)).expect("fresh key"))
    });
    let sliding = State::new(SLIDING, Arc::new(SystemClock));
    runtime.block_on(sliding.ensure(login)).expect("login");
    g.bench_function("sliding/in_process", |b| {
        b.iter(|| runtime.block_on(use_key(&sliding)))
    });

    let Some(url) = redis_url() else {
        eprintln!("fleet: redis-server is not up (scripts/redis/up.sh); Redis benchmarks left out");
        return;
    };
    let stores = runtime
        .block_on(async { RedisStores::new(&url, RedisConfig::default()) })
        .expect("redis url");
    let account = format!("bench-{}", std::process::id());
    let store = stores.session("erply", &account);
    // A session on the store, logged in (the first takes the lock, the
    // second the key the first left).
    let on_store = |rules| {
        let state = State::with_store(
            rules,
            Arc::new(SystemClock),
            Arc::clone(&store),
            &erply::PROTOCOL,
            &erply::VERIFY_USER,
        );
        runtime.block_on(state.ensure(login)).expect("login");
        state
    };
    let shared = on_store(erply::SESSION);
    g.bench_function("hot/redis", |b| {
        b.iter(|| runtime.block_on(shared.ensure(login)).expect("fresh key"))
    });
    let sliding = on_store(SLIDING);
    g.bench_function("sliding/redis", |b| {
        b.iter(|| runtime.block_on(use_key(&sliding)))
    });
    g.bench_function("renewal/redis_claim", |b| {
        b.iter(|| match runtime.block_on(store.claim(None, false)) {
            Ok(rt::Claimed::Key(_)) => {}
            other => panic!("the shared key should be there: {other:?}"),
        })
    });
    g.finish();
}

criterion_group!(benches, fleet);
criterion_main!(benches);
