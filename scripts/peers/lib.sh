# shellcheck shell=bash
# Shared by scripts/peers/<name>-up.sh and <name>-down.sh. Source it; do not run it.
#
# Every real server of the corpus lives in its own state folder,
# $PEERS_DIR/<name> (default target/peers/<name>): its config, data, log,
# the pid of what *we* started, and peer.env, which the tests read:
#
#   URL=http://127.0.0.1:PORT/      base URL of the API
#   PORT=PORT
#   USER=...  PASSWORD=...          the account the up script created
#   (more NAME=value lines as a server needs)
#
# Rules every up script keeps: idempotent (a running peer is reused), installs
# what is missing, binds 127.0.0.1 only, prints peer.env, and a down script
# stops only the process its up script started.

peers_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PEERS_DIR="${PEERS_DIR:-$peers_root/target/peers}"

# peer_dir NAME -> prints the state folder, creating it.
peer_dir() {
    mkdir -p "$PEERS_DIR/$1"
    printf '%s\n' "$PEERS_DIR/$1"
}

# free_port -> prints a TCP port that is free on 127.0.0.1 right now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL [SECONDS] -> waits until URL answers with any HTTP status.
# One curl per try (a python3 start per try is slow on a loaded machine).
wait_http() {
    local url="$1" limit="${2:-60}" deadline
    command -v curl >/dev/null || apt_install curl
    deadline=$((SECONDS + limit))
    while ((SECONDS < deadline)); do
        # curl prints 000 when nothing answered.
        [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true)" != 000 ] && return 0
        sleep 0.25
    done
    echo "no answer from $url within ${limit}s" >&2
    return 1
}

# peer_running NAME -> true when the pid we recorded for NAME is alive. A
# process that exited but was not reaped yet (a zombie) counts as gone.
peer_running() {
    local pidfile="$PEERS_DIR/$1/pid" pid state
    [ -s "$pidfile" ] || return 1
    pid="$(cat "$pidfile")"
    kill -0 "$pid" 2>/dev/null || return 1
    state="$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || echo Z)"
    [ "$state" != Z ]
}

# peer_start NAME COMMAND... -> starts COMMAND in the background in its own
# process group, logging to NAME/log, and records its pid.
peer_start() {
    local name="$1" dir
    shift
    dir="$(peer_dir "$name")"
    setsid "$@" >"$dir/log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
}

# peer_stop NAME -> stops the process group we started for NAME, if any.
peer_stop() {
    local name="$1" pidfile="$PEERS_DIR/$1/pid" pid i
    if ! peer_running "$name"; then
        rm -f "$pidfile"
        echo "$name: not running"
        return 0
    fi
    pid="$(cat "$pidfile")"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
    echo "$name: stopped"
}

# peer_env NAME KEY=VALUE... -> writes NAME/peer.env and prints it.
peer_env() {
    local name="$1" dir
    shift
    dir="$(peer_dir "$name")"
    printf '%s\n' "$@" >"$dir/peer.env"
    echo "$name is up:"
    sed 's/^/  /' "$dir/peer.env"
}

# apt_install PACKAGE[=VERSION]... -> installs the Debian packages that are
# missing or at another version. Waits for a dpkg lock another install holds.
apt_install() {
    local missing=() spec name version have
    for spec in "$@"; do
        name="${spec%%=*}"
        version=""
        [ "$name" != "$spec" ] && version="${spec#*=}"
        have="$(dpkg-query -W -f '${Status}|${Version}' "$name" 2>/dev/null || true)"
        if [ "${have%%|*}" = "install ok installed" ] && { [ -z "$version" ] || [ "${have#*|}" = "$version" ]; }; then
            continue
        fi
        missing+=("$spec")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    # Scripts run side by side (the peers, redis) take turns at apt: dpkg's
    # own lock timeout does not cover the package lists of `apt-get update`.
    local lock="${TMPDIR:-/tmp}/loginspec-apt.lock"
    # One index update per run of up-all.sh (it sets PEERS_APT_UPDATED).
    if [ -z "${PEERS_APT_UPDATED:-}" ]; then
        flock "$lock" apt-get -o DPkg::Lock::Timeout=600 update -qq
        if [ -n "${PEERS_APT_ONCE:-}" ]; then export PEERS_APT_UPDATED=1; fi
    fi
    DEBIAN_FRONTEND=noninteractive flock "$lock" apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends --allow-downgrades "${missing[@]}"
}

# venv NAME -> prints the path of a Python virtualenv shared by the peers
# under $PEERS_DIR/venv-NAME, creating it.
venv() {
    local dir="$PEERS_DIR/venv-$1"
    [ -x "$dir/bin/python" ] || python3 -m venv "$dir"
    printf '%s\n' "$dir"
}

# peer_debs NAME -> prints the Debian packages peer NAME needs beyond what
# peer_install always brings (python3, curl, ca-certificates), one a line.
# Servers that come from Debian are pinned to Debian 12's build. One list for
# every peer, used by the up scripts and by up-all.sh.
peer_debs() {
    case "$1" in
    deluge) printf '%s\n' deluge-web=2.0.3-4 deluge-common=2.0.3-4 python3-libtorrent=2.0.8-1+b1 ;;
    qbittorrent) echo qbittorrent-nox=4.5.2-3+deb12u1 ;;
    transmission) echo transmission-daemon=3.00-2.1+deb12u1 ;;
    synapse) python3 -c 'import ensurepip, venv' 2>/dev/null || echo python3-venv ;;
    # Any Node.js >= 18.5 will do (Debian 12 ships 18.19); keep one that is there.
    node-red | verdaccio) command -v node >/dev/null && command -v npm >/dev/null || printf '%s\n' nodejs npm ;;
    esac
}

# peer_install NAME... -> installs what the named peers need from Debian,
# in one apt run. On a systemd machine the transmission-daemon package starts
# a system daemon of its own (port 9091, all interfaces): when this run is
# what installed it, that service is stopped and disabled again.
peer_install() {
    local debs=(python3 curl ca-certificates) name had_transmission=yes
    for name in "$@"; do
        mapfile -t -O "${#debs[@]}" debs < <(peer_debs "$name")
    done
    dpkg-query -W -f '${Status}' transmission-daemon 2>/dev/null | grep -q '^install ok installed$' ||
        had_transmission=no
    apt_install "${debs[@]}"
    if [ "$had_transmission" = no ] && [ -d /run/systemd/system ] &&
        dpkg-query -W -f '${Status}' transmission-daemon 2>/dev/null | grep -q '^install ok installed$'; then
        systemctl disable --now transmission-daemon.service >/dev/null 2>&1 || true
    fi
}
