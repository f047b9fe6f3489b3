#!/usr/bin/env bash
# Stops the Node-RED that node-red-up.sh started; keeps its user folder.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
peer_stop node-red
