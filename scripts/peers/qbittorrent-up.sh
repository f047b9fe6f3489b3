#!/usr/bin/env bash
# Starts qBittorrent-nox with its Web API (/api/v2/...) on 127.0.0.1.
# Wire facts: docs/peers/qbittorrent.md.
#
# Failed logins count per client IP and ban it (every test runs from
# 127.0.0.1): QBT_MAX_FAILS and QBT_BAN_SECONDS set the limit and the ban.
# The defaults keep a test suite that sends a few wrong passwords unbanned;
# a lockout test starts its own peer with a small limit (see the doc).
set -euo pipefail
# shellcheck source=scripts/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

name="${QBT_PEER_NAME:-qbittorrent}"
dir="$(peer_dir "$name")"
if peer_running "$name"; then
    cat "$dir/peer.env"
    exit 0
fi

# Debian 12 package, pinned (lib.sh, peer_debs).
peer_install qbittorrent

user="${QBT_USER:-admin}"
password="${QBT_PASSWORD:-qbt-peer-pass}"
max_fails="${QBT_MAX_FAILS:-1000}"
ban_seconds="${QBT_BAN_SECONDS:-3600}"
session_timeout="${QBT_SESSION_TIMEOUT:-3600}"
web_port="$(free_port)"
bt_port="$(free_port)"
profile="$dir/profile"
# A fresh profile on every start (sessions live in memory only).
rm -rf "$profile"
mkdir -p "$profile/qBittorrent/config" "$dir/downloads" "$dir/home"

python3 - "$profile/qBittorrent/config/qBittorrent.conf" "$user" "$password" \
    "$max_fails" "$ban_seconds" "$session_timeout" "$web_port" "$bt_port" "$dir/downloads" <<'PY'
import base64, hashlib, os, sys

path, user, password, max_fails, ban, timeout, web_port, bt_port, downloads = sys.argv[1:]
# qBittorrent's stored form: PBKDF2-HMAC-SHA512, 100000 rounds, 16-byte salt, base64 "salt:hash".
salt = os.urandom(16)
key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100000)
stored = base64.b64encode(salt).decode() + ":" + base64.b64encode(key).decode()
with open(path, "w") as f:
    f.write(f"""[LegalNotice]
Accepted=true

[BitTorrent]
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\Port={bt_port}
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\DefaultSavePath={downloads}
Session\\TempPath={downloads}/temp

[Network]
PortForwardingEnabled=false

[Preferences]
Connection\\UPnP=false
Connection\\ResolvePeerCountries=false
General\\Locale=en
WebUI\\Enabled=true
WebUI\\Address=127.0.0.1
WebUI\\Port={web_port}
WebUI\\Username={user}
WebUI\\Password_PBKDF2="@ByteArray({stored})"
WebUI\\LocalHostAuth=true
WebUI\\AuthSubnetWhitelistEnabled=false
WebUI\\MaxAuthenticationFailCount={max_fails}
WebUI\\BanDuration={ban}
WebUI\\SessionTimeout={timeout}
WebUI\\CSRFProtection=true
WebUI\\ClickjackingProtection=true
WebUI\\SecureCookie=true
WebUI\\HostHeaderValidation=true
WebUI\\ServerDomains=*
WebUI\\UseUPnP=false
WebUI\\HTTPS\\Enabled=false
""")
PY

start=$(date +%s.%N)
peer_start "$name" env HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" \
    XDG_DATA_HOME="$dir/home/.local/share" XDG_CACHE_HOME="$dir/home/.cache" \
    qbittorrent-nox --profile="$profile" --webui-port="$web_port"
# A peer that did not come up properly is stopped again, its log shown.
failed() { tail -n 20 "$dir/log" >&2; peer_stop "$name" >&2; exit 1; }
wait_http "http://127.0.0.1:$web_port/api/v2/app/webapiVersion" 60 || failed
# Check the account once (a success also clears the failure count), then log out.
if ! python3 - "http://127.0.0.1:$web_port/api/v2/" "$user" "$password" <<'PY'
import sys, urllib.parse, urllib.request
base, user, password = sys.argv[1:]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
form = urllib.parse.urlencode({"username": user, "password": password}).encode()
if opener.open(base + "auth/login", form, timeout=5).read() != b"Ok.":
    sys.exit("the configured password was refused")
opener.open(base + "auth/logout", b"", timeout=5)
PY
then failed; fi
echo "$name: up in $(python3 -c "print(round($(date +%s.%N) - $start, 2))")s"

peer_env "$name" \
    "URL=http://127.0.0.1:$web_port/" \
    "PORT=$web_port" \
    "USER=$user" \
    "PASSWORD=$password" \
    "MAX_FAILS=$max_fails" \
    "BAN_SECONDS=$ban_seconds"
