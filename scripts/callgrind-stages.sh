#!/usr/bin/env bash
# Instruction counts of each generation stage, under valgrind's callgrind.
# Counts do not depend on what else the machine is doing, so they compare
# across runs where wall times taken on a busy machine do not.
#
#   scripts/callgrind-stages.sh [N ...]     default: 50 500
#
# Runs the `pipeline` binary (bench/src/bin/pipeline.rs) stopping after each
# stage; the difference between successive runs is that stage's count.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${CALLGRIND_DIR:-$root/target/callgrind}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(50 500)
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }
cargo build --quiet --release --locked -p loginspec-bench --bins --manifest-path "$root/Cargo.toml"
mkdir -p "$work"

count() { # args... -> instructions
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$root/target/release/pipeline" "$@" 2>&1 >/dev/null |
        awk '/Collected :/ { print $NF }'
}

echo "| N | load | check | emit | plain print | pretty (syn + prettyplease) | total, build-script path | total, pretty | per method (build-script path) |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    "$root/target/release/synth" "$n" "$work/specs$n"
    base=$(count /nonexistent --stop-after load || true)
    load=$(count "$work/specs$n" --stop-after load)
    check=$(count "$work/specs$n" --stop-after check)
    emit=$(count "$work/specs$n" --stop-after emit)
    plain=$(count "$work/specs$n" --plain)
    pretty=$(count "$work/specs$n")
    awk -v n="$n" -v b="${base:-0}" -v l="$load" -v c="$check" -v e="$emit" -v p="$plain" -v f="$pretty" 'BEGIN {
        m = 1e6
        printf "| %d | %.1f M | %.1f M | %.1f M | %.1f M | %.1f M | %.1f M | %.1f M | %.2f M |\n",
            n, (l - b) / m, (c - l) / m, (e - c) / m, (p - e) / m, (f - e) / m, (p - b) / m, (f - b) / m, (p - b) / m / n
    }'
done
