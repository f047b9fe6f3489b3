#!/usr/bin/env bash
# Compile cost of generated code (issue 6, item 3).
#
#   scripts/compile-cost.sh [N ...]        default: 5 50 500
#   PROFILES="dev release" (default both)  COMPILE_COST_DIR=target/compile-cost
#
# For each N, writes N synthetic methods (bench/src/synth.rs), generates their
# code once, and builds it as the only code of a scratch crate that depends on
# loginspec-runtime. Dependencies are built first and not counted; each
# measured build starts from a clean state of the scratch crate (no
# incremental cache), like a first build. Reported per build: wall time,
# CPU time (user+sys) and peak RSS of the largest process (rustc), from GNU
# time. Then, in release, a program that calls every method once (each call
# instantiates the generic transport code for its types, as in a user's
# crate; the library alone has nothing generic to compile). Then the no-op
# rebuild of generated-client, and its rebuild after a spec file is touched. Load averages are printed with every row, because
# wall times taken on a busy machine are not comparable.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${COMPILE_COST_DIR:-$root/target/compile-cost}"
profiles="${PROFILES:-dev release}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5 50 500)
TIME=/usr/bin/time
if ! [ -x "$TIME" ]; then
    echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2
    exit 1
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }

# Prints "wall_s cpu_s maxrss_mib" of a command, from GNU time's -v report.
measure() {
    local report
    report="$(mktemp)"
    if ! "$TIME" -v "$@" >"$report.out" 2>"$report"; then
        cat "$report.out" "$report" >&2
        return 1
    fi
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + t[i] }
        /User time/ { cpu += $2 }
        /System time/ { cpu += $2 }
        /Maximum resident set size/ { rss = $2 / 1024 }
        END { printf "%.2f %.2f %.0f\n", wall, cpu, rss }' "$report"
    rm -f "$report" "$report.out"
}

echo "# machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(rustc --version)"
cargo build --quiet --release --locked -p loginspec-bench --bin synth --manifest-path "$root/Cargo.toml"
synth="$root/target/release/synth"

crate="$work/client"
mkdir -p "$crate/src"
cat >"$crate/Cargo.toml" <<TOML
[package]
name = "synth-client"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
loginspec-runtime = { path = "$root/runtime", features = ["xml", "hashing", "timestamps"] }

[features]
caller = []

[[bin]]
name = "call_all"
path = "src/call_all.rs"
required-features = ["caller"]

# Not part of the loginspec workspace.
[workspace]
TOML
cp "$root/Cargo.lock" "$crate/Cargo.lock"
cat >"$crate/src/lib.rs" <<'RS'
//! Code generated from synthetic specs, built to measure its compile cost.
#![forbid(unsafe_code)]
pub use loginspec_runtime as runtime;
include!("generated.rs");
RS

build() { # profile
    local flag=()
    [ "$1" = release ] && flag=(--release)
    (cd "$crate" && cargo build --quiet --offline "${flag[@]}")
}

# Dependencies first, once per profile.
"$synth" 5 "$work/specs" "$crate/src/generated.rs" "$crate/src/call_all.rs" 2>/dev/null
for profile in $profiles; do
    build "$profile"
done
(cd "$crate" && cargo build --quiet --offline --release --features caller)

echo
echo "| N | profile | wall s | CPU s | peak RSS MiB | wall ms/method | generated lines | load (1/5/15 min) |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    "$synth" "$n" "$work/specs" "$crate/src/generated.rs" 2>/dev/null
    lines=$(wc -l <"$crate/src/generated.rs")
    for profile in $profiles; do
        flag=()
        [ "$profile" = release ] && flag=(--release)
        (cd "$crate" && cargo clean --quiet --offline "${flag[@]}" -p synth-client)
        before="$(load)"
        read -r wall cpu rss < <(cd "$crate" && measure cargo build --quiet --offline "${flag[@]}")
        per=$(awk -v w="$wall" -v n="$n" 'BEGIN { printf "%.1f", w * 1000 / n }')
        echo "| $n | $profile | $wall | $cpu | $rss | $per | $lines | $before |"
    done
done

echo
echo "| N | calls every method, release: wall s | CPU s | peak RSS MiB | wall ms/method | load (1/5/15 min) |"
echo "|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    "$synth" "$n" "$work/specs" "$crate/src/generated.rs" "$crate/src/call_all.rs" 2>/dev/null
    (cd "$crate" && cargo clean --quiet --offline --release -p synth-client)
    before="$(load)"
    read -r wall cpu rss < <(cd "$crate" && measure cargo build --quiet --offline --release --features caller)
    per=$(awk -v w="$wall" -v n="$n" 'BEGIN { printf "%.1f", w * 1000 / n }')
    echo "| $n | $wall | $cpu | $rss | $per | $before |"
done

echo
echo "| generated-client | wall s | CPU s | peak RSS MiB | load (1/5/15 min) |"
echo "|---|---|---|---|---|"
cd "$root"
cargo build --quiet --locked -p loginspec-client
before="$(load)"
read -r wall cpu rss < <(measure cargo build --quiet --locked -p loginspec-client)
echo "| no-op rebuild | $wall | $cpu | $rss | $before |"
# A spec edit: the build script reruns and the crate recompiles.
touch specs/erply/verify_user.yaml
before="$(load)"
read -r wall cpu rss < <(measure cargo build --quiet --locked -p loginspec-client)
echo "| after touching one spec file | $wall | $cpu | $rss | $before |"
