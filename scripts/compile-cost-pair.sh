#!/usr/bin/env bash
# Side-by-side compile cost of two builds of the generated code: the
# calls-every-method release build of scratch crates that
# scripts/compile-cost.sh set up, alternating A, B, A, B, … so that both see
# the same machine load. Compare CPU time (user + sys), not wall time.
#
#   COMPILE_COST_DIR=/tmp/cc-a scripts/compile-cost.sh 50   # in checkout A
#   COMPILE_COST_DIR=/tmp/cc-b scripts/compile-cost.sh 50   # in checkout B
#   scripts/compile-cost-pair.sh 2 /tmp/cc-a/client /tmp/cc-b/client
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 ROUNDS SCRATCH_CRATE..." >&2
    exit 2
fi
rounds=$1
shift
echo "| round | crate | wall s | CPU s | peak RSS MiB | load (1 min) |"
echo "|---|---|---|---|---|---|"
for round in $(seq "$rounds"); do
    for crate in "$@"; do
        (cd "$crate" && cargo clean --quiet --offline --release -p synth-client)
        load=$(cut -d' ' -f1 /proc/loadavg)
        read -r wall user sys rss < <(cd "$crate" &&
            /usr/bin/time -f "%e %U %S %M" cargo build --quiet --offline --release --features caller 2>&1 |
            tail -n 1)
        awk -v r="$round" -v c="$crate" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v l="$load" \
            'BEGIN { printf "| %s | %s | %.2f | %.2f | %.0f | %s |\n", r, c, w, u + s, m / 1024, l }'
    done
done
