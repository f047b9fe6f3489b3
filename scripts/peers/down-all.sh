#!/usr/bin/env bash
# Stops the peers that up-all.sh (or NAME-up.sh) started: every peer that has
# a down script, or only the ones named as arguments. Idempotent: a peer that
# is not running is reported as such. Stops only what the up scripts started.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"

if [ $# -gt 0 ]; then
    peers=("$@")
else
    peers=()
    for script in "$here"/*-down.sh; do
        name="$(basename "$script" -down.sh)"
        [ "$name" = all ] || peers+=("$name")
    done
fi
status=0
for name in "${peers[@]}"; do
    if [ -x "$here/$name-down.sh" ]; then
        "$here/$name-down.sh" || status=1
    else
        echo "no peer named $name ($here/$name-down.sh)" >&2
        status=2
    fi
done
exit "$status"
