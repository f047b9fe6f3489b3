#!/usr/bin/env bash
# Stops the Synapse homeserver that synapse-up.sh started; keeps its data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
peer_stop synapse
