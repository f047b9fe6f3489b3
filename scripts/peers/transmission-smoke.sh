#!/usr/bin/env bash
# With the peer up (scripts/peers/transmission-up.sh), checks the login facts of
# docs/peers/transmission.md against the running daemon: Basic credentials plus
# the session-id handshake, a wrong password, and an unknown method.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck disable=SC1091
source "$PEERS_DIR/transmission/peer.env"
command -v curl >/dev/null || apt_install curl

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "transmission smoke: FAIL: $*" >&2; exit 1; }

# call NAME CURL-ARGS... -> status in $tmp/NAME.status, headers, body alongside.
call() {
    local n="$1"
    shift
    curl -sS -o "$tmp/$n.body" -D "$tmp/$n.head" -w '%{http_code}' -X POST "$URL" "$@" >"$tmp/$n.status"
}
status() { cat "$tmp/$1.status"; }
header() { awk -v k="$2" -F': ' 'tolower($1) == tolower(k) { sub(/\r$/, "", $2); print $2 }' "$tmp/$1.head"; }
json() { python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$tmp/$1.body" "$2"; }

# 1. Right password, no session id: 409 and a fresh id in the header.
call handshake -u "$USER:$PASSWORD" -d '{"method":"session-get","arguments":{},"tag":7}'
[ "$(status handshake)" = 409 ] || fail "handshake: status $(status handshake), want 409"
sid="$(header handshake X-Transmission-Session-Id)"
[[ "$sid" =~ ^[0-9A-Za-z]{48}$ ]] || fail "handshake: no 48-character X-Transmission-Session-Id"

# 2. The same call with the id echoed: 200, result "success", tag echoed.
call login -u "$USER:$PASSWORD" -H "X-Transmission-Session-Id: $sid" \
    -d '{"method":"session-get","arguments":{"fields":["rpc-version"]},"tag":7}'
[ "$(status login)" = 200 ] || fail "login: status $(status login), want 200"
[ "$(json login result)" = '"success"' ] || fail "login: result $(json login result)"
[ "$(json login tag)" = 7 ] || fail "login: tag not echoed"
[ "$(json login arguments)" = '{"rpc-version": 16}' ] || fail "login: arguments $(json login arguments)"

# 3. Wrong password (even with a valid id): 401, Basic challenge, HTML body.
call wrong -u "$USER:not-$PASSWORD" -H "X-Transmission-Session-Id: $sid" -d '{"method":"session-get"}'
[ "$(status wrong)" = 401 ] || fail "wrong password: status $(status wrong), want 401"
[ "$(header wrong WWW-Authenticate)" = 'Basic realm="Transmission"' ] || fail "wrong password: challenge"
grep -q '^<h1>401: Unauthorized</h1><p>Unauthorized User\. [0-9]* unsuccessful login attempts\.</p>$' "$tmp/wrong.body" \
    || fail "wrong password: body $(cat "$tmp/wrong.body")"

# 4. Unknown method: still HTTP 200; the error is the result string.
call unknown -u "$USER:$PASSWORD" -H "X-Transmission-Session-Id: $sid" -d '{"method":"no-such-method","tag":8}'
[ "$(status unknown)" = 200 ] || fail "unknown method: status $(status unknown), want 200"
[ "$(json unknown result)" = '"method name not recognized"' ] || fail "unknown method: result $(json unknown result)"

echo "transmission smoke: ok (session id handshake, wrong password, unknown method)"
