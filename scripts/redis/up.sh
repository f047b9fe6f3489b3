#!/usr/bin/env bash
# Starts a redis-server on 127.0.0.1 for the fleet tests of store-redis/:
# no persistence, a free port (the one it had before, when still free), its
# pid and peer.env under target/peers/redis (scripts/peers/lib.sh). Installs
# Debian's redis-server when it is missing. Idempotent: a running one is reused.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../peers/lib.sh"

name=redis
dir="$(peer_dir "$name")"
if peer_running "$name" && [ -s "$dir/peer.env" ] &&
    redis-cli -p "$(sed -n 's/^PORT=//p' "$dir/peer.env")" ping 2>/dev/null | grep -q PONG; then
    cat "$dir/peer.env"
    exit 0
fi
peer_stop "$name" >/dev/null

command -v redis-server >/dev/null && command -v redis-cli >/dev/null || apt_install redis-server

port="$(sed -n 's/^PORT=//p' "$dir/peer.env" 2>/dev/null || true)"
if [ -z "$port" ] || ! python3 -c 'import socket,sys; socket.socket().bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; then
    port="$(free_port)"
fi
# Nothing is written to disk: no RDB snapshots, no append-only file.
peer_start "$name" "$(command -v redis-server)" --bind 127.0.0.1 --port "$port" \
    --save '' --appendonly no --dir "$dir" --protected-mode yes
for ((i = 0; i < 80; i++)); do
    redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
    sleep 0.25
done
if ! redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
    echo "redis-server did not answer on port $port" >&2
    cat "$dir/log" >&2
    exit 1
fi
cat >"$dir/peer.env" <<ENV
URL=redis://127.0.0.1:$port/
PORT=$port
SERVER=$(command -v redis-server)
ENV
cat "$dir/peer.env"
