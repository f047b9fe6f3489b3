#!/usr/bin/env bash
# With the qbittorrent peer up (qbittorrent-up.sh), checks the login answers
# that docs/peers/qbittorrent.md records. Exits non-zero on a difference.
# Sends one wrong password (a later right one clears the failure count).
set -euo pipefail
# shellcheck source=scripts/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=/dev/null
. "$PEERS_DIR/${QBT_PEER_NAME:-qbittorrent}/peer.env"

api="${URL}api/v2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bad=0
# call NAME CURL-ARGS... -> the status, body and headers land in $tmp/NAME.*
call() {
    local name="$1"
    shift
    curl -sS -o "$tmp/$name.body" -D "$tmp/$name.head" -w '%{http_code}' "$@" >"$tmp/$name.status"
}
expect() { # NAME STATUS BODY
    local got
    got="$(cat "$tmp/$1.status") $(cat "$tmp/$1.body")"
    if [ "$got" = "$2 $3" ]; then echo "ok   $1"; else echo "FAIL $1: got '$got', want '$2 $3'"; bad=1; fi
}
login() { call "$1" --data-urlencode "username=$USER" --data-urlencode "password=$2" "${@:3}" "$api/auth/login"; }

login wrong not-the-password
expect wrong 200 'Fails.'
if grep -qi '^set-cookie' "$tmp/wrong.head"; then echo "FAIL wrong: sets a cookie"; bad=1; fi

login csrf "$PASSWORD" -H 'Origin: http://other.invalid'
expect csrf 401 'Unauthorized'

login login "$PASSWORD"
expect login 200 'Ok.'
sid="$(tr -d '\r' <"$tmp/login.head" | sed -n 's/^set-cookie: SID=\([^;]*\); HttpOnly; path=\/; SameSite=Strict$/\1/Ip')"
if [ -n "$sid" ]; then echo "ok   login sets SID (HttpOnly; path=/; SameSite=Strict)"; else
    echo "FAIL login: no SID cookie of the documented form"; sed 's/^/     /' "$tmp/login.head"; bad=1; fi

call anon "$api/app/version"
expect anon 403 'Forbidden'

call version -H "Cookie: SID=$sid" "$api/app/version"
expect version 200 'v4.5.2'

call webapi -H "Cookie: SID=$sid" "$api/app/webapiVersion"
expect webapi 200 '2.8.19'

call logout -H "Cookie: SID=$sid" -X POST "$api/auth/logout"
expect logout 200 ''

call dead -H "Cookie: SID=$sid" "$api/app/version"
expect dead 403 'Forbidden'

exit $bad
