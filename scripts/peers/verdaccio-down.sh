#!/usr/bin/env bash
# Stops the Verdaccio started by verdaccio-up.sh (and nothing else).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

peer_stop verdaccio
