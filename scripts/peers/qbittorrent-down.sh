#!/usr/bin/env bash
# Stops the qBittorrent-nox that qbittorrent-up.sh started (QBT_PEER_NAME as there).
set -euo pipefail
# shellcheck source=scripts/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
peer_stop "${QBT_PEER_NAME:-qbittorrent}"
