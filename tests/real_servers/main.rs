//! The real servers of the corpus (docs/peers/, started by scripts/peers/)
//! through clients that `loginspec::client!` generates from
//! tests/peers/specs. For each server: a login with the right password, a
//! wrong password (class `bad_credentials`), one other documented error, a
//! call through `Session` carrying the key, and a logout or expiry followed
//! by a new login.
//!
//! A server is used when its `peer.env` exists under `$PEERS_DIR` (default
//! target/peers, as scripts/peers/lib.sh has it) and its port answers;
//! otherwise the test prints a note and passes, so the suite runs without the
//! servers. `scripts/peers/up-all.sh` starts them; with
//! `LOGINSPEC_REQUIRE_PEERS=1` (CI) a server that is not up fails the test.

use loginspec::runtime::{ClientOptions, ErrorClass, ManualClock, Secret};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

mod peers {
    loginspec::client!("peers/specs/deluge");
    loginspec::client!("peers/specs/node_red");
    loginspec::client!("peers/specs/qbittorrent");
    loginspec::client!("peers/specs/synapse");
    loginspec::client!("peers/specs/transmission");
    loginspec::client!("peers/specs/verdaccio");
}
use peers::{deluge, node_red, qbittorrent, synapse, transmission, verdaccio};

/// One running peer: its peer.env.
struct Peer(HashMap<String, String>);

impl Peer {
    /// The peer NAME, or `None` (with a note) when it is not up.
    fn up(name: &str) -> Option<Peer> {
        let dir = std::env::var_os("PEERS_DIR").map_or_else(
            || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/peers"),
            std::path::PathBuf::from,
        );
        let env_file = dir.join(name).join("peer.env");
        let peer = std::fs::read_to_string(&env_file).ok().map(|text| {
            Peer(
                text.lines()
                    .filter_map(|line| line.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        });
        let listening = peer.as_ref().is_some_and(|p| {
            std::net::TcpStream::connect(("127.0.0.1", p["PORT"].parse::<u16>().unwrap())).is_ok()
        });
        if listening {
            return peer;
        }
        let note = format!(
            "{name} is not up ({} or its port); run scripts/peers/up-all.sh",
            env_file.display()
        );
        assert!(
            std::env::var_os("LOGINSPEC_REQUIRE_PEERS").is_none(),
            "{note}"
        );
        eprintln!("skipped: {note}");
        None
    }

    /// Client options for the API at `path` below the server's URL.
    fn options(&self, path: &str) -> ClientOptions {
        ClientOptions::default().base_url(format!("{}{path}", self["URL"]))
    }
}

impl std::ops::Index<&str> for Peer {
    type Output = String;
    fn index(&self, key: &str) -> &String {
        self.0
            .get(key)
            .unwrap_or_else(|| panic!("peer.env has no {key}"))
    }
}

/// A name no earlier run has used (Synapse counts failed logins per name).
fn fresh_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

mod captured;
mod captured_requests;
mod deluge_flows;
mod node_red_flows;
mod qbittorrent_flows;
mod recorder;
mod shapes;
mod synapse_flows;
mod transmission_flows;
mod verdaccio_flows;
