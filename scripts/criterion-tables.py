#!/usr/bin/env python3
"""Prints BENCHMARKS.md's tables from criterion's results in target/criterion.

Run after `cargo bench -p loginspec-bench`. Uses each benchmark's median
(criterion's `new/estimates.json`) and, for the interval, its 95% bounds.
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
results = {}
for bench in root.glob("**/new/benchmark.json"):
    meta = json.loads(bench.read_text())
    est = json.loads((bench.parent / "estimates.json").read_text())["median"]
    results[meta["full_id"]] = (
        est["point_estimate"],
        est["confidence_interval"]["lower_bound"],
        est["confidence_interval"]["upper_bound"],
    )


def ms(ns):
    return f"{ns / 1e6:.2f}"


stages = ["load", "parse", "check", "emit", "plain", "format", "total_build", "total_pretty"]
sizes = sorted({int(k.split("/")[1].split("=")[1]) for k in results if k.startswith("generate/n=")})
if sizes:
    print("Milliseconds per run (median), then microseconds per method:\n")
    print("| N | " + " | ".join(stages) + " |")
    print("|---" * (len(stages) + 1) + "|")
    for n in sizes:
        row = [results.get(f"generate/n={n}/{s}") for s in stages]
        print(f"| {n} | " + " | ".join(ms(r[0]) if r else "–" for r in row) + " |")
    for n in sizes:
        row = [results.get(f"generate/n={n}/{s}") for s in stages]
        print(f"| µs/method at {n} | " + " | ".join(f"{r[0] / 1e3 / n:.0f}" if r else "–" for r in row) + " |")
    print()

groups = [("encode", "generated", "baseline"), ("decode", "generated", "baseline"),
          ("roundtrip", "generated", "raw_reqwest")]
for group, ours, theirs in groups:
    names = sorted({k.split("/")[1] for k in results if k.startswith(group + "/")})
    if not names:
        continue
    print(f"| {group} | generated (median, 95% CI) | {theirs.replace('_', ' ')} | ratio |")
    print("|---|---|---|---|")
    for name in names:
        a = results.get(f"{group}/{name}/{ours}")
        b = results.get(f"{group}/{name}/{theirs}")
        if not (a and b):
            continue
        fmt = lambda r: f"{r[0] / 1e3:.2f} µs ({r[1] / 1e3:.2f}–{r[2] / 1e3:.2f})"
        print(f"| {name} | {fmt(a)} | {fmt(b)} | {a[0] / b[0]:.2f}× |")
    print()

parts = sorted(k for k in results if k.startswith("decode_parts/"))
if parts:
    print("| step | median (95% CI) |")
    print("|---|---|")
    for k in parts:
        r = results[k]
        print(f"| {k.split('/', 1)[1]} | {r[0] / 1e3:.2f} µs ({r[1] / 1e3:.2f}–{r[2] / 1e3:.2f}) |")
    print()
