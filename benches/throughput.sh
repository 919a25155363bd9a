#!/usr/bin/env bash
# End-to-end throughput of the release binary beside `cat`, in one run.
#
#   benches/throughput.sh [SIZE_MB]     (default 200)
#
# Builds SIZE_MB of input from ../shared/corpus (95% loghub lines, 5%
# pii-dev lines, drawn with a fixed seed) and a dense input of pii-dev lines
# alone, then times `cat` and `logredact` with 1 thread and with all cores
# (best of 5), and reports MB/s, the ratio to cat and peak RSS
# (/usr/bin/time -v). BIN=path/to/logredact times that binary instead of
# building this tree (e.g. a base revision's, from benches/same_output.sh,
# to compare builds in the same hour).
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-200}
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "needs $corpus" >&2; exit 2; }
. benches/common.sh

python3 benches/make_mix.py "$corpus" "$work" "$size_mb"

cores=$(nproc)
run() { # label, file, command...
    local label=$1 file=$2; shift 2
    local best=999999 rss=0 t0 t1 secs kb
    for _ in 1 2 3 4 5; do
        # Wall time to the microsecond (`time`'s %e rounds to 10 ms, 2% of
        # a 0.5 s run); peak RSS from `time`.
        t0=$(date +%s%N)
        /usr/bin/time -f "%M" -o "$work/t" "$@" "$file" > /dev/null
        t1=$(date +%s%N)
        secs=$(python3 -c "print(($t1 - $t0) / 1e9)")
        read -r kb < "$work/t"
        best=$(python3 -c "print(min($best, $secs))")
        rss=$kb
    done
    local mb
    mb=$(python3 -c "import os; print(os.path.getsize('$file') / 1e6)")
    python3 -c "
mbs = $mb / max($best, 0.001)
print(f'{\"$label\":<28} {$mb:8.1f} MB {$best:7.3f} s {mbs:9.1f} MB/s  peak RSS {$rss/1024:6.1f} MiB')
"
    echo "$mb $best" > "$work/last"
}

for input in mix dense; do
    f="$work/$input.log"
    echo "== $input ($(du -m "$f" | cut -f1) MB)"
    run "cat" "$f" cat
    read -r _ cat_s < "$work/last"
    run "logredact -j1" "$f" "$bin" -j1
    read -r _ one_s < "$work/last"
    run "logredact -j$cores" "$f" "$bin" "-j$cores"
    read -r _ all_s < "$work/last"
    python3 -c "print(f'  logredact -j1 / cat time: {$one_s / max($cat_s, 0.001):.1f}x   -j$cores speed-up over -j1: {$one_s / max($all_s, 0.001):.2f}x')"
done
