//! Starting and driving a fleet of worker processes, the redis-servers they
//! share, and the tallies they answer with.

use super::standin::StandIn;
use super::worker;
use std::ops::AddAssign;
use std::process::Stdio;
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// Short, so a dead lock holder costs the tests little, yet longer than a
/// login and a Redis round trip take on a loaded machine.
const LEASE_MS: &str = "2000";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub ok: u32,
    pub failed: u32,
    pub refused: u32,
}

impl Tally {
    pub fn ok(ok: u32) -> Self {
        Tally {
            ok,
            ..Tally::default()
        }
    }

    pub fn parse(line: &str) -> Self {
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

/// What a fleet's workers are started with: their environment.
#[derive(Clone)]
pub struct Setup {
    env: Vec<(&'static str, String)>,
}

impl Setup {
    pub fn new(redis: &str, standin: &StandIn, account: &str, password: &str) -> Setup {
        Setup {
            env: vec![
                (worker::REDIS, redis.into()),
                (worker::SERVER, standin.url()),
                (worker::ACCOUNT, account.into()),
                (worker::PASSWORD, password.into()),
                (worker::LEASE_MS, LEASE_MS.into()),
            ],
        }
    }

    /// The same, with `name` set to `value` (one of `worker`'s settings).
    pub fn with(mut self, name: &'static str, value: &str) -> Setup {
        self.env.retain(|(n, _)| *n != name);
        self.env.push((name, value.into()));
        self
    }
}

pub struct Worker {
    pub child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
}

impl Worker {
    pub async fn send(&mut self, line: &str) {
        let line = format!("{line}\n");
        self.stdin
            .write_all(line.as_bytes())
            .await
            .expect("worker stdin");
        self.stdin.flush().await.expect("worker stdin");
    }

    /// The worker's next `FLEET` line, without the prefix.
    pub async fn answer(&mut self) -> String {
        loop {
            let line = self.lines.next_line().await.expect("worker stdout");
            let line = line.expect("the worker ended early (see its stderr)");
            // libtest may print `test fleet_worker ... ` first on the line.
            if let Some(at) = line.find("FLEET ") {
                return line[at + "FLEET ".len()..].to_owned();
            }
        }
    }

    /// Sends `line` and returns the answer.
    pub async fn ask(&mut self, line: &str) -> String {
        self.send(line).await;
        self.answer().await
    }

    /// How many warnings the worker logged so far.
    pub async fn warnings(&mut self) -> u32 {
        let answer = self.ask("warnings").await;
        let count = answer.strip_prefix("warned=").and_then(|n| n.parse().ok());
        count.unwrap_or_else(|| panic!("not a warning count: {answer:?}"))
    }
}

pub struct Fleet(pub Vec<Worker>);

impl Fleet {
    pub async fn spawn(n: usize, setup: &Setup) -> Fleet {
        let mut fleet = Fleet(Vec::new());
        fleet.add(n, setup).await;
        fleet
    }

    /// Starts `n` more workers.
    pub async fn add(&mut self, n: usize, setup: &Setup) {
        let exe = std::env::current_exe().expect("this test binary");
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
                .envs(setup.env.iter().map(|(k, v)| (k, v)))
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
            self.0.push(worker);
        }
    }

    /// `n` concurrent calls in every process at once; the sum of their tallies.
    pub async fn run(&mut self, n: usize) -> Tally {
        self.each(&format!("run {n}")).await
    }

    /// `phases` rounds of `calls` concurrent calls in every process, with
    /// `expire` (the server ending the key) before each round but the first.
    pub async fn phases(&mut self, phases: u32, calls: usize, expire: impl Fn()) -> Tally {
        let mut total = Tally::default();
        for phase in 0..phases {
            if phase > 0 {
                expire();
            }
            total += self.run(calls).await;
        }
        total
    }

    /// Sends `line` to every worker at once, and sums the tallies they answer.
    pub async fn each(&mut self, line: &str) -> Tally {
        for worker in &mut self.0 {
            worker.send(line).await;
        }
        let mut total = Tally::default();
        for worker in &mut self.0 {
            total += Tally::parse(&worker.answer().await);
        }
        total
    }

    /// The warnings every worker logged so far.
    pub async fn warnings(&mut self) -> Vec<u32> {
        let mut counts = Vec::new();
        for worker in &mut self.0 {
            counts.push(worker.warnings().await);
        }
        counts
    }
}

/// An account id no earlier run used, so keys left in Redis do not count.
pub fn account(test: &str) -> String {
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

pub fn redis_url() -> Option<String> {
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

/// A connection of the test's own, beside the workers'.
pub async fn redis(url: &str) -> redis::aio::MultiplexedConnection {
    let client = redis::Client::open(url).expect("redis url");
    client
        .get_multiplexed_async_connection()
        .await
        .expect("redis")
}

pub async fn redis_get(url: &str, key: &str) -> Option<String> {
    redis::cmd("GET")
        .arg(key)
        .query_async(&mut redis(url).await)
        .await
        .expect("GET")
}

/// A redis-server of this test's own, to kill and start again.
pub struct OwnRedis {
    port: u16,
    child: Option<Child>,
}

impl OwnRedis {
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut own = OwnRedis { port, child: None };
        own.restart().await;
        own
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    pub async fn restart(&mut self) {
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

    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.expect("kill redis-server");
        }
    }
}
