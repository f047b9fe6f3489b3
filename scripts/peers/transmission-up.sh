#!/usr/bin/env bash
# Starts Transmission's daemon (Debian transmission-daemon) on 127.0.0.1 with
# HTTP Basic authentication on its RPC endpoint. Wire facts: docs/peers/transmission.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

name=transmission
dir="$(peer_dir "$name")"
# A recorded pid is not enough: a daemon that exited by itself (RPC
# session-close) can linger as a zombie, so the port must answer too.
if peer_running "$name" && [ -s "$dir/peer.env" ] &&
    wait_http "$(sed -n 's/^URL=//p' "$dir/peer.env")" 1 2>/dev/null; then
    cat "$dir/peer.env"
    exit 0
fi
peer_stop "$name" >/dev/null

# Pinned to Debian 12's build (RPC version 16); peer_install also stops the
# system daemon the package starts on a systemd machine (lib.sh).
peer_install transmission

user=loginspec
password='tr-pass-7Kq2'
port="$(free_port)"
peer_port="$(free_port)"

# A fresh config each start: the daemon rewrites settings.json on exit (with the
# password salted), so regenerating keeps the plain password known. Everything
# that would talk to the outside (DHT, LPD, PEX, uTP, UPnP/NAT-PMP, blocklist)
# is off, and the peer listener is on loopback only.
rm -rf "$dir/config"
mkdir -p "$dir/config" "$dir/downloads"
cat >"$dir/config/settings.json" <<JSON
{
    "bind-address-ipv4": "127.0.0.1",
    "bind-address-ipv6": "::1",
    "blocklist-enabled": false,
    "dht-enabled": false,
    "download-dir": "$dir/downloads",
    "incomplete-dir-enabled": false,
    "lpd-enabled": false,
    "message-level": 2,
    "peer-port": $peer_port,
    "peer-port-random-on-start": false,
    "pex-enabled": false,
    "port-forwarding-enabled": false,
    "rpc-authentication-required": true,
    "rpc-bind-address": "127.0.0.1",
    "rpc-enabled": true,
    "rpc-host-whitelist-enabled": true,
    "rpc-password": "$password",
    "rpc-port": $port,
    "rpc-url": "/transmission/",
    "rpc-username": "$user",
    "rpc-whitelist": "127.0.0.1,::1",
    "rpc-whitelist-enabled": true,
    "start-added-torrents": false,
    "utp-enabled": false,
    "watch-dir-enabled": false
}
JSON

peer_start "$name" transmission-daemon -f -g "$dir/config" \
    --rpc-bind-address 127.0.0.1 -p "$port" --log-info
# Any status means the RPC server is listening (it answers 401 without
# credentials); give up at once, with the log, if the daemon exits instead.
for ((try = 0; ; try++)); do
    wait_http "http://127.0.0.1:$port/transmission/rpc" 1 2>/dev/null && break
    if ! peer_running "$name" || [ "$try" -ge 30 ]; then
        echo "$name did not come up; its log:" >&2
        tail -n 20 "$dir/log" >&2
        exit 1
    fi
done

peer_env "$name" \
    "URL=http://127.0.0.1:$port/transmission/rpc" \
    "PORT=$port" \
    "USER=$user" \
    "PASSWORD=$password" \
    "PEER_PORT=$peer_port" \
    "RPC_VERSION=16"
