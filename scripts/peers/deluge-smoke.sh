#!/usr/bin/env bash
# With the deluge peer up (deluge-up.sh), checks the login answers that
# docs/peers/deluge.md records, byte for byte. Exits non-zero on a difference.
set -euo pipefail
# shellcheck source=scripts/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=/dev/null
. "$PEERS_DIR/${DELUGE_PEER_NAME:-deluge}/peer.env"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bad=0
# rpc NAME BODY [COOKIE] -> posts BODY to /json; the body lands in $tmp/NAME.body,
# the response headers in $tmp/NAME.head.
rpc() {
    local cookie=()
    [ -n "${3:-}" ] && cookie=(-H "Cookie: _session_id=$3")
    curl -sS -o "$tmp/$1.body" -D "$tmp/$1.head" "${cookie[@]}" \
        -H 'Content-Type: application/json' --data-binary "$2" "$JSON_URL"
}
expect() { # NAME WANTED-BODY
    local got
    got="$(cat "$tmp/$1.body")"
    if [ "$got" = "$2" ]; then echo "ok   $1"; else echo "FAIL $1: got '$got', want '$2'"; bad=1; fi
}

login="$(python3 -c 'import json,sys; print(json.dumps({"method": "auth.login", "params": [sys.argv[1]], "id": 1}))' "$PASSWORD")"
rpc login "$login"
expect login '{"result": true, "error": null, "id": 1}'
sid="$(tr -d '\r' <"$tmp/login.head" | sed -n 's/^Set-Cookie: _session_id=\([0-9a-f]\{64\}[0-9]\{4\}\); Expires=[^;]* GMT; Path=\/json$/\1/p')"
if [ -n "$sid" ]; then echo "ok   login sets _session_id (64 hex + 4-digit checksum, Path=/json)"; else
    echo "FAIL login: no _session_id cookie of the documented form"; sed 's/^/     /' "$tmp/login.head"; bad=1; fi

rpc wrong '{"method": "auth.login", "params": ["not-the-password"], "id": "w-2"}'
expect wrong '{"result": false, "error": null, "id": "w-2"}'
if grep -qi '^Set-Cookie' "$tmp/wrong.head"; then echo "FAIL wrong: sets a cookie"; bad=1; fi

rpc anon '{"method": "core.get_session_status", "params": [["upload_rate"]], "id": 3}'
expect anon '{"result": null, "error": {"message": "Not authenticated", "code": 1}, "id": 3}'

rpc unknown '{"method": "core.no_such_method", "params": [], "id": 4}' "$sid"
expect unknown '{"result": null, "error": {"message": "Unknown method", "code": 2}, "id": 4}'

# A call through to the daemon (a string result); session-status numbers vary
# between 0 and 0.0, so they are not compared here.
rpc version '{"method": "daemon.get_version", "params": [], "id": 5}' "$sid"
expect version '{"result": "2.0.3", "error": null, "id": 5}'

rpc connected '{"method": "web.connected", "params": [], "id": "c-5"}' "$sid"
expect connected '{"result": true, "error": null, "id": "c-5"}'

rpc logout '{"method": "auth.delete_session", "params": [], "id": 6}' "$sid"
expect logout '{"result": true, "error": null, "id": 6}'

rpc dead '{"method": "auth.check_session", "params": [], "id": 7}' "$sid"
expect dead '{"result": false, "error": null, "id": 7}'

exit $bad
