#!/usr/bin/env bash
# With the peer up (scripts/peers/verdaccio-up.sh), checks the login facts of
# docs/peers/verdaccio.md against the running registry: npm's PUT login with
# the right and wrong password, the Bearer token on whoami, a bad token, the
# refused sign-up, and the web UI login.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck disable=SC1091
source "$PEERS_DIR/verdaccio/peer.env"
command -v curl >/dev/null || apt_install curl

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "verdaccio smoke: FAIL: $*" >&2; exit 1; }

# call NAME CURL-ARGS... -> status, headers and body under $tmp/NAME.*
call() {
    local n="$1"
    shift
    curl -sS -o "$tmp/$n.body" -D "$tmp/$n.head" -w '%{http_code}' "$@" >"$tmp/$n.status"
}
expect() { # NAME STATUS BODY-FIELD JSON-VALUE
    local got
    got="$(cat "$tmp/$1.status")"
    [ "$got" = "$2" ] || fail "$1: status $got, want $2 ($(cat "$tmp/$1.body"))"
    got="$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1])).get(sys.argv[2])))' "$tmp/$1.body" "$3")"
    [ "$got" = "$4" ] || fail "$1: $3 is $got, want $4"
}
header() { awk -v k="$2" -F': ' 'tolower($1) == tolower(k) { sub(/\r$/, "", $2); print $2 }' "$tmp/$1.head"; }
login_body() { printf '{"name":"%s","password":"%s"}' "$1" "$2"; }
json='Content-Type: application/json'

# 1. Login: PUT with Basic credentials naming the same user as the body.
call login -X PUT "${URL}-/user/org.couchdb.user:$USER" -u "$USER:$PASSWORD" -H "$json" \
    -d "$(login_body "$USER" "$PASSWORD")"
expect login 201 ok "\"you are authenticated as '$USER'\""
[ "$(header login Cache-Control)" = 'no-cache, no-store' ] || fail "login: Cache-Control"
token="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' "$tmp/login.body")"
[[ "$token" =~ ^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] || fail "login: token is not a JWT"

# 2. The token as Bearer on whoami.
call whoami "${URL}-/whoami" -H "Authorization: Bearer $token"
expect whoami 200 username "\"$USER\""

# 3. Wrong password in both places: 401 from the sign-up path.
call wrong -X PUT "${URL}-/user/org.couchdb.user:$USER" -u "$USER:not-$PASSWORD" -H "$json" \
    -d "$(login_body "$USER" "not-$PASSWORD")"
expect wrong 401 error '"unauthorized access"'
[ "$(header wrong WWW-Authenticate)" = 'Basic, Bearer' ] || fail "wrong password: WWW-Authenticate"

# 4. Right Basic, wrong body password: 401 from the login path.
call mixed -X PUT "${URL}-/user/org.couchdb.user:$USER" -u "$USER:$PASSWORD" -H "$json" \
    -d "$(login_body "$USER" "not-$PASSWORD")"
expect mixed 401 error '"bad username/password, access denied"'

# 5. A bad token is not an error on whoami: the caller is just anonymous.
call badtoken "${URL}-/whoami" -H "Authorization: Bearer not.a.jwt"
expect badtoken 200 username null
[ "$(cat "$tmp/badtoken.body")" = '{}' ] || fail "bad token: body $(cat "$tmp/badtoken.body")"

# 6. Sign-up beyond max_users is refused.
call signup -X PUT "${URL}-/user/org.couchdb.user:smoke-newcomer" -H "$json" \
    -d "$(login_body smoke-newcomer smoke-newcomer-pw)"
expect signup 403 error '"maximum amount of users reached"'

# 7. Web UI login: JSON username/password -> {token, username}; wrong -> 401.
call web -X POST "${URL}-/verdaccio/sec/login" -H "$json" \
    -d "{\"username\":\"$USER\",\"password\":\"$PASSWORD\"}"
expect web 200 username "\"$USER\""
call webwrong -X POST "${URL}-/verdaccio/sec/login" -H "$json" \
    -d "{\"username\":\"$USER\",\"password\":\"not-$PASSWORD\"}"
expect webwrong 401 error '"bad username/password, access denied"'

echo "verdaccio smoke: ok (PUT login, whoami, wrong passwords, bad token, sign-up refused, web login)"
