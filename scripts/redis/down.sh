#!/usr/bin/env bash
# Stops the redis-server scripts/redis/up.sh started (only that one).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../peers/lib.sh"
peer_stop redis
