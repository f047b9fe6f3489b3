//! What `loginspec-mock` serves on loopback (issue 12), for one provider
//! (Erply, a form-encoded login and a session call), through the generated
//! client on 127.0.0.1 over HTTP/1.1 with keep-alive:
//!
//! - `login/sequential`: `verifyUser` one call at a time: routing,
//!   validation of every binding, the account check, a new key, the example
//!   answer with the key put in;
//! - `session_call/sequential`: `getSessionKeyInfo` with that key, one at a
//!   time (the key checked and its sliding lifetime moved on);
//! - `login/concurrent_32`: 32 logins at once from one client (its
//!   connection pool), reported as requests per second.
//!
//! The request log grows by one entry per request; it is emptied between
//! samples, outside the timing. Memory is measured by
//! `examples/mock_memory.rs` (BENCHMARKS.md §6).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use loginspec_client::erply;
use std::time::{Duration, Instant};

#[path = "support/erply_mock.rs"]
mod erply_mock;
use erply_mock::{erply_on_the_mock, login_request};

const CONCURRENT: usize = 32;

fn mock(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (mock, client) = runtime.block_on(erply_on_the_mock());
    let served = mock.provider("erply");
    // Every call must work before any is timed.
    let key = runtime
        .block_on(client.verify_user(login_request()))
        .expect("login")
        .session_key;
    let info = || client.get_session_key_info(&key, erply::GetSessionKeyInfoRequest::new());
    runtime.block_on(info()).expect("session call");
    assert!(served.violations().is_empty());

    let mut g = c.benchmark_group("mock");
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1));
    g.bench_function("login/sequential", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                runtime
                    .block_on(client.verify_user(login_request()))
                    .expect("login");
            }
            let took = start.elapsed();
            served.clear_log();
            took
        })
    });
    g.bench_function("session_call/sequential", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                runtime.block_on(info()).expect("session call");
            }
            let took = start.elapsed();
            served.clear_log();
            took
        })
    });
    g.throughput(Throughput::Elements(CONCURRENT as u64));
    g.bench_function("login/concurrent_32", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                runtime.block_on(async {
                    let mut calls = tokio::task::JoinSet::new();
                    for _ in 0..CONCURRENT {
                        let client = client.clone();
                        calls.spawn(async move { client.verify_user(login_request()).await });
                    }
                    while let Some(done) = calls.join_next().await {
                        done.expect("task").expect("login");
                    }
                });
            }
            let took = start.elapsed();
            served.clear_log();
            took
        })
    });
    g.finish();
    assert!(served.violations().is_empty());
}

criterion_group!(benches, mock);
criterion_main!(benches);
