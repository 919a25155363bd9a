#!/usr/bin/env bash
# `logredact serve` under load, beside the pipe filter on the same data.
#
#   benches/serve.sh [SIZE_MB] [RATE] [SECONDS] [IDLE_CONNS]
#                     (default 100 MB, 10000 lines/s, 10 s, 1000)
#
# Builds SIZE_MB of input from ../shared/corpus (95% loghub lines, 5%
# pii-dev lines, fixed seed, as benches/throughput.sh), then measures on
# loopback (benches/serve_load.py): the pipe filter (-j1 and -jN, best of
# 2) and the sidecar (the file sent over 1 and 4 connections, forwarded
# to a discarding sink, best of 2) in lines/s and MB/s; the latency of a
# line from send to arrival at the sink at RATE lines/s (p50/p99/max);
# and the sidecar's RSS with IDLE_CONNS idle connections.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-100}
rate=${2:-10000}
secs=${3:-10}
idle=${4:-1000}
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "needs $corpus" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/logredact
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 benches/make_mix.py "$corpus" "$work" "$size_mb"

f=$work/mix.log
lines=$(wc -l < "$f")
mb=$(python3 -c "import os; print(os.path.getsize('$f') / 1e6)")
echo "== input: $lines lines, $mb MB"
cores=$(nproc)
for j in 1 "$cores"; do
    best=999999
    for _ in 1 2; do
        /usr/bin/time -f "%e" -o "$work/t" "$bin" "-j$j" "$f" > /dev/null
        best=$(python3 -c "print(min($best, float(open('$work/t').read().split()[-1])))")
    done
    python3 -c "print(f'pipe filter -j$j: {$lines / $best:,.0f} lines/s, {$mb / $best:.1f} MB/s ({$best:.2f} s)')"
done
python3 benches/serve_load.py "$bin" "$f" "$rate" "$secs" "$idle"
