#!/usr/bin/env bash
# With the Synapse peer up, checks the answers documented in
# docs/peers/synapse.md: login (right and wrong password), whoami, logout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/peers/smoke-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/smoke-lib.sh"
smoke_begin synapse
login_body() {
    printf '{"type":"m.login.password","identifier":{"type":"m.id.user","user":"%s"},"password":"%s"}' "$1" "$2"
}

if call login 200 -H 'Content-Type: application/json' \
    --data-binary "$(login_body "$USER" "$PASSWORD")" "$base$LOGIN_PATH"; then
    token="$(python3 - "$work/login" "$USER_ID" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
ok = body.get("user_id") == sys.argv[2] and body.get("home_server") == "localhost" \
    and str(body.get("access_token", "")).startswith("syt_") and body.get("device_id") \
    and "refresh_token" not in body and "expires_in_ms" not in body
print(body["access_token"] if ok else "")
PY
)"
    if [ -z "$token" ]; then
        echo "FAIL login: unexpected body shape" >&2
        fail=1
    else
        call whoami 200 -H "Authorization: Bearer $token" "$base$WHOAMI_PATH" &&
            python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); sys.exit(b["user_id"]!=sys.argv[2] or b["is_guest"] is not False)' \
                "$work/whoami" "$USER_ID" || { echo "FAIL whoami body" >&2; fail=1; }
        call logout 200 -X POST -H "Authorization: Bearer $token" "$base$LOGOUT_PATH" && same logout '{}'
        call after_logout 401 -H "Authorization: Bearer $token" "$base$WHOAMI_PATH" &&
            same after_logout '{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed.","soft_logout":false}'
    fi
fi

# USER2 takes the wrong password, so USER's failed-login bucket stays empty.
call wrong_password 403 -H 'Content-Type: application/json' \
    --data-binary "$(login_body "$USER2" "wrong-$PASSWORD2")" "$base$LOGIN_PATH" &&
    same wrong_password '{"errcode":"M_FORBIDDEN","error":"Invalid username or password"}'

[ "$fail" = 0 ] && echo "synapse smoke: all as documented" || { echo "synapse smoke: FAILED" >&2; exit 1; }
