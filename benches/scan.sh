#!/usr/bin/env bash
# `logredact scan` beside the pipe filter, in one run, on the same input.
#
#   benches/scan.sh [SIZE_MB]     (default 1000)
#
# Builds SIZE_MB of input from ../shared/corpus with benches/make_mix.py
# (95% loghub lines, 5% pii-dev lines; and `dense`, pii-dev lines alone,
# a quarter the size), gives it as a file argument, and times the filter
# (`logredact -jN FILE > /dev/null`) and `logredact scan -jN --format
# jsonl FILE > /dev/null` with 1 thread and with all cores, and `scan
# --find-file` (one pass), best of 3; MB/s and peak RSS (/usr/bin/time
# -f %M). WORK=DIR reuses the inputs there (made once); BIN=path times
# that binary instead of this tree's release build.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1000}
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "needs $corpus" >&2; exit 2; }
. benches/common.sh
if [ -n "${WORK:-}" ]; then
    work_in=$WORK
else
    work_in=$work
fi
[ -f "$work_in/mix.log" ] ||
    python3 benches/make_mix.py "$corpus" "$work_in" "$size_mb"
# A token from pii-dev's truth file would do as well: this one is
# synthetic, seeded nowhere, so --find reads everything and finds nothing.
printf 'sk_live_51Bench0Needle0Zz9Yy8Xx7Ww\n' > "$work/needle"

cores=$(nproc)
run() { # label, file, command...
    local label=$1 file=$2; shift 2
    local best=999999 rss=0 t0 t1 secs kb
    for _ in 1 2 3; do
        t0=$(date +%s%N)
        /usr/bin/time -f "%M" -o "$work/t" "$@" "$file" > /dev/null || [ $? -le 1 ]
        t1=$(date +%s%N)
        secs=$(python3 -c "print(($t1 - $t0) / 1e9)")
        # The last line: `time` says first when the status was not 0
        # (scan exits 1 on findings).
        kb=$(tail -n 1 "$work/t")
        best=$(python3 -c "print(min($best, $secs))")
        rss=$(( kb > rss ? kb : rss ))
    done
    python3 -c "
import os
mb = os.path.getsize('$file') / 1e6
print(f'{\"$label\":<34} {mb:8.1f} MB {$best:7.3f} s {mb / max($best, 0.001):8.1f} MB/s  peak RSS {$rss/1024:6.1f} MiB')
"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $cores cores"
for input in mix dense; do
    f="$work_in/$input.log"
    echo "== $input ($(du -m "$f" | cut -f1) MB)"
    run "filter -j1" "$f" "$bin" -j1
    run "scan -j1" "$f" "$bin" scan -j1 --format jsonl
    run "filter -j$cores" "$f" "$bin" "-j$cores"
    run "scan -j$cores" "$f" "$bin" scan "-j$cores" --format jsonl
    run "scan --find-file (one pass)" "$f" "$bin" scan --format jsonl \
        --find-file "$work/needle"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
