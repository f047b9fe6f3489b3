#!/usr/bin/env bash
# Stops the Deluge web UI and daemon that deluge-up.sh started (DELUGE_PEER_NAME as there).
set -euo pipefail
# shellcheck source=scripts/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
peer_stop "${DELUGE_PEER_NAME:-deluge}"
