#!/usr/bin/env bash
# With the Node-RED peer up, checks the answers documented in
# docs/peers/node-red.md: scheme, token (right and wrong password), an
# authenticated call, revoke.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/peers/smoke-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/smoke-lib.sh"
smoke_begin node-red
grant() {
    curl -sS -o "$work/$1" -w '%{http_code}' "$base$TOKEN_PATH" \
        --data-urlencode "client_id=$CLIENT_ID" --data-urlencode grant_type=password \
        --data-urlencode 'scope=*' --data-urlencode "username=$2" --data-urlencode "password=$3"
}

call scheme 200 "$base/auth/login" &&
    same scheme '{"type":"credentials","prompts":[{"id":"username","type":"text","label":"user.username"},{"id":"password","type":"password","label":"user.password"}]}'

status="$(grant token "$USER" "$PASSWORD")"
token=""
if [ "$status" = 200 ]; then
    token="$(python3 - "$work/token" "$SESSION_EXPIRY_SECONDS" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
ok = sorted(body) == ["access_token", "expires_in", "token_type"] \
    and body["token_type"] == "Bearer" and body["expires_in"] == int(sys.argv[2]) \
    and len(body["access_token"]) == 172
print(body["access_token"] if ok else "")
PY
)"
    [ -n "$token" ] && echo "ok   token: 200" || { echo "FAIL token: unexpected body shape" >&2; fail=1; }
else
    echo "FAIL token: status $status, want 200" >&2
    fail=1
fi

if [ -n "$token" ]; then
    call settings 200 -H "Authorization: Bearer $token" "$base/settings" &&
        python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); sys.exit(b["user"]!={"username":sys.argv[2],"permissions":"*"})' \
            "$work/settings" "$USER" || { echo "FAIL settings body" >&2; fail=1; }
    # The token holds + / =, so the form body must be percent-encoded.
    call revoke 200 -H "Authorization: Bearer $token" --data-urlencode "token=$token" "$base$REVOKE_PATH" &&
        same revoke ''
    call after_revoke 401 -H "Authorization: Bearer $token" "$base/settings" && same after_revoke 'Unauthorized'
fi

status="$(grant wrong_password "$USER" "wrong-$PASSWORD")"
if [ "$status" = 403 ]; then
    echo "ok   wrong_password: 403"
    same wrong_password '{"error":"invalid_grant","error_description":"Invalid resource owner credentials"}'
else
    echo "FAIL wrong_password: status $status, want 403" >&2
    fail=1
fi

[ "$fail" = 0 ] && echo "node-red smoke: all as documented" || { echo "node-red smoke: FAILED" >&2; exit 1; }
