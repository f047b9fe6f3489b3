//! Resident memory of `loginspec-mock` serving every seed spec (issue 12):
//! the process's VmRSS (and its peak, VmHWM) from /proc/self/status before
//! the mock starts, once it serves `specs/`, after a number of Erply logins
//! and session calls through the generated client (the request log keeps
//! the latest 10,000 requests, and each login leaves a key), and after the
//! log is emptied.
//!
//! ```sh
//! cargo run --release -p loginspec-bench --example mock_memory [-- REQUESTS]
//! ```
//!
//! Linux only (it reads /proc). BENCHMARKS.md §6 has the figures.

use loginspec_client::erply;

#[path = "../benches/support/erply_mock.rs"]
mod erply_mock;

/// VmRSS and VmHWM of this process, in KiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn show(what: &str) {
    let (rss, peak) = memory();
    println!(
        "{what:<44} RSS {:>7.1} MiB  (peak {:>7.1} MiB)",
        rss as f64 / 1024.0,
        peak as f64 / 1024.0
    );
}

fn main() {
    let requests: usize = std::env::args()
        .nth(1)
        .map_or(10_000, |n| n.parse().expect("REQUESTS is a number"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    show("runtime, nothing served");
    let (mock, client) = runtime.block_on(erply_mock::erply_on_the_mock());
    show(&format!(
        "serving {} providers, a client made",
        mock.providers().len()
    ));
    let served = mock.provider("erply");
    runtime.block_on(async {
        let login = || client.verify_user(erply_mock::login_request());
        let key = login().await.expect("login").session_key;
        show("after the first login");
        // Half logins (a new key each), half session calls.
        for n in 1..requests / 2 {
            login().await.expect("login");
            let info = erply::GetSessionKeyInfoRequest::new();
            client
                .get_session_key_info(&key, info)
                .await
                .expect("session call");
            if n == requests / 20 || 2 * n + 1 == loginspec_mock::DEFAULT_LOG_LIMIT + 1 {
                show(&format!("after {} requests", 2 * n + 1));
            }
        }
    });
    show(&format!(
        "after {requests} requests ({} kept in the log)",
        served.log().len()
    ));
    assert!(served.violations().is_empty());
    served.clear_log();
    show("log emptied");
}
