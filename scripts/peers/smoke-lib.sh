# shellcheck shell=bash
# Shared by smoke scripts that check a peer's answers with curl. Source it
# after lib.sh, then call `smoke_begin NAME`.

# smoke_begin NAME -> loads NAME's peer.env; sets base (URL without its
# trailing /), work (a scratch folder removed on exit) and fail=0.
smoke_begin() {
    local env_file="$PEERS_DIR/$1/peer.env"
    [ -s "$env_file" ] || { echo "$1 is not up (no $env_file)" >&2; exit 1; }
    # shellcheck disable=SC1090
    source "$env_file"
    base="${URL%/}"
    work="$(mktemp -d)"
    # shellcheck disable=SC2064
    trap "rm -rf '$work'" EXIT
    fail=0
}

# call NAME EXPECTED_STATUS CURL_ARGS... -> body in $work/NAME, checks status.
call() {
    local name="$1" want="$2" got
    shift 2
    got="$(curl -sS -o "$work/$name" -w '%{http_code}' "$@")"
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: status $got, want $want: $(cat "$work/$name")" >&2
        fail=1
        return 1
    fi
    echo "ok   $name: $got"
}

# same NAME EXPECTED_BODY -> the body must be exactly these bytes.
same() {
    if [ "$(cat "$work/$1")" != "$2" ]; then
        echo "FAIL $1: body $(cat "$work/$1"), want $2" >&2
        fail=1
    fi
}
