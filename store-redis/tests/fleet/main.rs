//! A fleet of real OS processes (this binary run again as `fleet_worker`)
//! sharing one account's session through the redis-server that
//! scripts/redis/up.sh starts on 127.0.0.1, against a stand-in homeserver
//! that counts logins and closes the oldest of more than 10 sessions.
//!
//! The key expiries are the server's: between phases it forgets every key,
//! so each phase needs exactly one new login fleet-wide, whatever the timing.
//! Without the redis-server the tests print a note and pass; with
//! `LOGINSPEC_REQUIRE_PEERS=1` (CI) they fail.

mod standin;
mod worker;

mod peers {
    loginspec::client!("../tests/peers/specs/synapse");
}
use peers::synapse;

use loginspec_store_redis::key_prefix;
use standin::StandIn;
use std::ops::AddAssign;
use std::process::Stdio;
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

const RIGHT: &str = "fleet-pass-4Rt9";
const WRONG: &str = "fleet-pass-typo";
/// Short, so a dead lock holder costs the tests little, yet longer than a
/// login and a Redis round trip take on a loaded machine.
const LEASE_MS: &str = "2000";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "one process of a fleet: the other tests start it"]
async fn fleet_worker() {
    if std::env::var_os(worker::SERVER).is_some() {
        worker::run().await;
    }
}

/// 8 processes × 200 concurrent calls across 3 keys (the server forgets
/// the key twice): 3 logins in all, no session closed, no call failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_log_in_once_per_key() {
    let Some(redis) = redis_url() else { return };
    let standin = StandIn::start(RIGHT).await;
    let mut fleet = Fleet::spawn(8, &redis, &standin, &account("eight"), RIGHT).await;
    let mut total = Tally::default();
    for phase in 0..3 {
        if phase > 0 {
            standin.expire_all();
        }
        let tally = fleet.run(200).await;
        eprintln!("phase {phase}: {tally:?} {:?}", standin.counts());
        total += tally;
    }
    let (requests, logins, evictions, ok, _) = standin.counts();
    eprintln!(
        "8 processes: {logins} logins, {requests} requests, {evictions} evictions, {total:?}"
    );
    assert_eq!(total, Tally::ok(8 * 200 * 3));
    assert_eq!((logins, requests, evictions), (3, 3, 0));
    assert_eq!(ok, 8 * 200 * 3);
}

/// A wrong password rolled out to 8 processes: one login request in all,
/// however many calls; new credentials in one process log in once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_sent_once_by_the_fleet() {
    let Some(redis) = redis_url() else { return };
    let standin = StandIn::start(RIGHT).await;
    let mut fleet = Fleet::spawn(8, &redis, &standin, &account("wrong"), WRONG).await;
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
    first.send(&format!("creds {RIGHT}")).await;
    assert_eq!(first.answer().await, "ok");
    first.send("run 10").await;
    assert_eq!(Tally::parse(&first.answer().await), Tally::ok(10));
    let (requests, logins, evictions, _, _) = standin.counts();
    assert_eq!((requests, logins, evictions), (2, 1, 0));
}

/// The lock holder dies mid-login (its login never answers): once its lease
/// ends, another process takes the lock (fencing token 2) and logs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_holder_killed_mid_login_blocks_only_for_its_lease() {
    let Some(redis) = redis_url() else { return };
    let standin = StandIn::start(RIGHT).await;
    let account = account("killed");
    standin.hang_next_login(Duration::from_secs(30));
    let mut holder = Fleet::spawn(1, &redis, &standin, &account, RIGHT).await;
    holder.0[0].send("run 1").await;
    while standin.login_requests() < 1 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    holder.0[0]
        .child
        .kill()
        .await
        .expect("kill the lock holder");
    let mut fleet = Fleet::spawn(3, &redis, &standin, &account, RIGHT).await;
    assert_eq!(fleet.run(20).await, Tally::ok(3 * 20));
    let (requests, logins, evictions, _, _) = standin.counts();
    assert_eq!((requests, logins, evictions), (2, 1, 0));
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
    let Some(shared) = redis_url() else { return };
    let _ = shared;
    let mut redis = OwnRedis::start().await;
    let standin = StandIn::start(RIGHT).await;
    let mut fleet = Fleet::spawn(4, &redis.url(), &standin, &account("restart"), RIGHT).await;
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
    let (requests, logins, evictions, _, _) = standin.counts();
    eprintln!("redis restart: {logins} logins ({requests} requests), {evictions} evictions");
    assert_eq!(evictions, 0);
}

/// The figures of BENCHMARKS.md: logins for 3 keys as the fleet grows, with
/// the store and without (`FLEET_NO_STORE=1`). Run by hand:
/// `cargo test -p loginspec-store-redis --test fleet -- --ignored fleet_sizes --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measures; run by hand"]
async fn fleet_sizes() {
    let Some(redis) = redis_url() else { return };
    for n in [1, 2, 4, 8, 16] {
        let standin = StandIn::start(RIGHT).await;
        let mut fleet = Fleet::spawn(n, &redis, &standin, &account("sizes"), RIGHT).await;
        let mut total = Tally::default();
        for phase in 0..3 {
            if phase > 0 {
                standin.expire_all();
            }
            total += fleet.run(50).await;
        }
        let (requests, logins, evictions, _, _) = standin.counts();
        println!("{n:>2} processes × 50 calls × 3 keys: {logins} logins ({requests} requests), {evictions} evictions, {total:?}");
    }
}

// ------------------------------------------------------------ harness

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    ok: u32,
    failed: u32,
    refused: u32,
}

impl Tally {
    fn ok(ok: u32) -> Self {
        Tally {
            ok,
            ..Tally::default()
        }
    }
    fn parse(line: &str) -> Self {
        let field = |name: &str| -> u32 {
            line.split(' ')
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
                .unwrap_or_else(|| panic!("no {name} in {line:?}"))
        };
        Tally {
            ok: field("ok"),
            failed: field("failed"),
            refused: field("refused"),
        }
    }
}

impl AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.ok += other.ok;
        self.failed += other.failed;
        self.refused += other.refused;
    }
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
}

impl Worker {
    async fn send(&mut self, line: &str) {
        let line = format!("{line}\n");
        self.stdin
            .write_all(line.as_bytes())
            .await
            .expect("worker stdin");
        self.stdin.flush().await.expect("worker stdin");
    }

    /// The worker's next `FLEET` line, without the prefix.
    async fn answer(&mut self) -> String {
        loop {
            let line = self.lines.next_line().await.expect("worker stdout");
            let line = line.expect("the worker ended early (see its stderr)");
            // libtest may print `test fleet_worker ... ` first on the line.
            if let Some(at) = line.find("FLEET ") {
                return line[at + "FLEET ".len()..].to_owned();
            }
        }
    }
}

struct Fleet(Vec<Worker>);

impl Fleet {
    async fn spawn(
        n: usize,
        redis: &str,
        standin: &StandIn,
        account: &str,
        password: &str,
    ) -> Fleet {
        let exe = std::env::current_exe().expect("this test binary");
        let mut workers = Vec::new();
        for _ in 0..n {
            let mut command = Command::new(&exe);
            command
                .args([
                    "fleet_worker",
                    "--exact",
                    "--ignored",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(worker::REDIS, redis)
                .env(worker::SERVER, standin.url())
                .env(worker::ACCOUNT, account)
                .env(worker::PASSWORD, password)
                .env(worker::LEASE_MS, LEASE_MS)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .kill_on_drop(true);
            let mut child = command.spawn().expect("start a worker");
            let stdin = child.stdin.take().expect("stdin");
            let stdout = child.stdout.take().expect("stdout");
            let mut worker = Worker {
                child,
                stdin,
                lines: BufReader::new(stdout).lines(),
            };
            assert_eq!(worker.answer().await, "ready");
            workers.push(worker);
        }
        Fleet(workers)
    }

    /// `n` concurrent calls in every process at once; the sum of their tallies.
    async fn run(&mut self, n: usize) -> Tally {
        for worker in &mut self.0 {
            worker.send(&format!("run {n}")).await;
        }
        let mut total = Tally::default();
        for worker in &mut self.0 {
            total += Tally::parse(&worker.answer().await);
        }
        total
    }
}

/// An account id no earlier run used, so keys left in Redis do not count.
fn account(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{test}-{}-{nanos}", std::process::id())
}

/// The redis-server of scripts/redis/up.sh (its peer.env), if it answers.
fn peer_env() -> Option<std::collections::HashMap<String, String>> {
    let dir = std::env::var("PEERS_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/peers").into());
    let text = std::fs::read_to_string(format!("{dir}/redis/peer.env")).ok()?;
    Some(
        text.lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    )
}

fn redis_url() -> Option<String> {
    let env = peer_env();
    let up = env.as_ref().and_then(|env| {
        let port = env.get("PORT")?;
        std::net::TcpStream::connect(format!("127.0.0.1:{port}")).ok()?;
        env.get("URL").cloned()
    });
    if up.is_none() {
        let note = "redis-server is not up: run scripts/redis/up.sh";
        assert!(
            std::env::var_os("LOGINSPEC_REQUIRE_PEERS").is_none(),
            "{note}"
        );
        eprintln!("skipped: {note}");
    }
    up
}

async fn redis_get(url: &str, key: &str) -> Option<String> {
    let client = redis::Client::open(url).expect("redis url");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    redis::cmd("GET")
        .arg(key)
        .query_async(&mut conn)
        .await
        .expect("GET")
}

/// A redis-server of this test's own, to kill and start again.
struct OwnRedis {
    port: u16,
    child: Option<Child>,
}

impl OwnRedis {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut own = OwnRedis { port, child: None };
        own.restart().await;
        own
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    async fn restart(&mut self) {
        let server = peer_env()
            .and_then(|env| env.get("SERVER").cloned())
            .unwrap_or_else(|| "redis-server".into());
        let child = Command::new(server)
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(["--port", &self.port.to_string()])
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.expect("kill redis-server");
        }
    }
}
