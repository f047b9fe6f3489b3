#!/usr/bin/env bash
# Starts Verdaccio (the private npm registry, from npm) on 127.0.0.1 with
# htpasswd accounts and short-lived JWT API tokens. Wire facts: docs/peers/verdaccio.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

name=verdaccio
dir="$(peer_dir "$name")"
# A pid alone is not proof: an exited server can linger as a zombie.
if peer_running "$name" && [ -s "$dir/peer.env" ] &&
    wait_http "$(sed -n 's/^URL=//p' "$dir/peer.env")-/ping" 1 2>/dev/null; then
    cat "$dir/peer.env"
    exit 0
fi
peer_stop "$name" >/dev/null

# Node >= 18 (Debian 12 ships 18): Verdaccio 6.5.2 is the newest 6.x that
# still runs on it. The exact dependency tree is pinned by the committed lock.
peer_install verdaccio
version=6.5.2
prefix="$PEERS_DIR/npm-$name"
installed="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$prefix/node_modules/verdaccio/package.json" 2>/dev/null || true)"
if [ "$installed" != "$version" ]; then
    mkdir -p "$prefix"
    cp "$peers_root/scripts/peers/verdaccio/package.json" "$peers_root/scripts/peers/verdaccio/package-lock.json" "$prefix/"
    npm ci --prefix "$prefix" --no-audit --no-fund --loglevel=error
fi

user=loginspec
password='vd-pass-4Rt8'
user2=loginspec2
password2='vd-pass2-9Zw1'
token_seconds="${VERDACCIO_TOKEN_SECONDS:-60}"
port="$(free_port)"

# Fresh state each start: accounts are made by self-registration below, and
# max_users (2) refuses every further sign-up. No uplinks, so nothing is
# fetched from the public registry; no audit middleware for the same reason.
rm -rf "$dir/storage" "$dir/htpasswd"
mkdir -p "$dir/storage"
cat >"$dir/config.yaml" <<YAML
storage: $dir/storage
auth:
  htpasswd:
    file: $dir/htpasswd
    max_users: 2
    algorithm: bcrypt
    rounds: 10
security:
  api:
    legacy: false
    jwt:
      sign:
        expiresIn: ${token_seconds}s
  web:
    sign:
      expiresIn: ${token_seconds}s
web:
  enable: true
  login: true
  title: loginspec peer
uplinks: {}
packages:
  '@*/*':
    access: \$authenticated
    publish: \$authenticated
    unpublish: \$authenticated
  '**':
    access: \$authenticated
    publish: \$authenticated
    unpublish: \$authenticated
listen: 127.0.0.1:$port
log: { type: stdout, format: pretty, level: http }
YAML

HOME="$dir" peer_start "$name" "$prefix/node_modules/.bin/verdaccio" --config "$dir/config.yaml"
url="http://127.0.0.1:$port/"
# Give up at once, with the log, if the server exits instead of answering.
for ((try = 0; ; try++)); do
    wait_http "${url}-/ping" 1 2>/dev/null && break
    if ! peer_running "$name" || [ "$try" -ge 60 ]; then
        echo "$name did not come up; its log:" >&2
        tail -n 20 "$dir/log" >&2
        exit 1
    fi
done

# npm's sign-up: the same PUT as login, made without credentials.
for account in "$user:$password" "$user2:$password2"; do
    python3 - "$url" "${account%%:*}" "${account#*:}" <<'PY'
import json, sys, urllib.request
url, name, password = sys.argv[1:]
body = json.dumps({"name": name, "password": password}).encode()
req = urllib.request.Request(f"{url}-/user/org.couchdb.user:{name}", data=body, method="PUT",
                             headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=30) as r:
    if r.status != 201:
        sys.exit(f"sign-up of {name}: HTTP {r.status}")
PY
done

peer_env "$name" \
    "URL=$url" \
    "PORT=$port" \
    "USER=$user" \
    "PASSWORD=$password" \
    "USER2=$user2" \
    "PASSWORD2=$password2" \
    "TOKEN_SECONDS=$token_seconds"
