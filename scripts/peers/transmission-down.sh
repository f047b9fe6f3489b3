#!/usr/bin/env bash
# Stops the Transmission daemon started by transmission-up.sh (and nothing else).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

peer_stop transmission
