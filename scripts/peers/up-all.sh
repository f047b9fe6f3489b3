#!/usr/bin/env bash
# Brings up the real servers that tests/real_servers/ talks to (or the ones
# named as arguments): what CI runs before `cargo test`. Idempotent (a running
# peer is reused), non-interactive, safe to run as root on a fresh Debian 12.
#
#   scripts/peers/up-all.sh                 # the tested peers
#   scripts/peers/up-all.sh synapse deluge  # only these
#
# Parallel where it is safe: dpkg takes one install at a time, so the Debian
# packages go in peer by peer, in the order given, and each peer's up script
# starts in the background as soon as its packages are in (pip and npm
# install into each peer's own folder, every server takes its own free port).
# So Synapse's pip install runs while apt installs Node.js for the next ones.
# Each peer's output goes to $PEERS_DIR/NAME.up.log; a failing peer's log
# tail is shown and the exit status is non-zero, the others stay up.
set -euo pipefail
# shellcheck source=scripts/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here="$(dirname "${BASH_SOURCE[0]}")"
# Synapse first: its pip install is the longest and runs while apt installs
# the others' packages.
tested=(synapse qbittorrent transmission deluge node-red verdaccio)
if [ $# -gt 0 ]; then peers=("$@"); else peers=("${tested[@]}"); fi
for name in "${peers[@]}"; do
    [ -x "$here/$name-up.sh" ] || { echo "no peer named $name ($here/$name-up.sh)" >&2; exit 2; }
done

export DEBIAN_FRONTEND=noninteractive
# tests/real_servers/ waits for a Verdaccio token to expire: keep that short
# (the peer's own default is 60 s). Node-RED's tokens live 20 s by default.
export VERDACCIO_TOKEN_SECONDS="${VERDACCIO_TOKEN_SECONDS:-20}"
mkdir -p "$PEERS_DIR"
started=$SECONDS
export PEERS_APT_ONCE=1

declare -A pids
for name in "${peers[@]}"; do
    peer_install "$name"
    echo "$name: Debian packages ready at $((SECONDS - started))s"
    (
        t0=$SECONDS
        "$here/$name-up.sh" >"$PEERS_DIR/$name.up.log" 2>&1 </dev/null
        echo "$name: up in $((SECONDS - t0))s, at $((SECONDS - started))s" >>"$PEERS_DIR/$name.up.log"
    ) &
    pids[$name]=$!
done

failed=()
for name in "${peers[@]}"; do
    if wait "${pids[$name]}"; then
        tail -n 1 "$PEERS_DIR/$name.up.log"
    else
        failed+=("$name")
        echo "$name: FAILED; the end of $PEERS_DIR/$name.up.log:" >&2
        tail -n 25 "$PEERS_DIR/$name.up.log" >&2
    fi
done
echo "all done in $((SECONDS - started))s"
[ ${#failed[@]} -eq 0 ] || { echo "peers that did not come up: ${failed[*]}" >&2; exit 1; }
