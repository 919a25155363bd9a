#!/usr/bin/env bash
# Score the release binary on the held-out corpus (issue 16): both halves
# of tests/heldout/ (tune, report), generated fresh with fixed seeds.
#
#   benches/heldout.sh [LINES]      (default 20000 lines per half)
#
# Needs Python 3 with Faker (`pip install faker`; this script installs
# nothing) and ../shared/tools (gen_corpus.py, score.py). The generated
# corpora go to a temp dir that is removed on exit (they are large and
# are not committed). BIN=path/to/logredact scores that binary instead of
# building this tree. SHOW=N prints N examples of each kind of miss, lost
# decoy and changed clean line (default 0: summary only).
#
# Rule: tune the detectors on `tune` only; quote the `report` figures.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-20000}
show=${SHOW:-0}
tools=../shared/tools
[ -f "$tools/gen_corpus.py" ] || { echo "needs $tools/gen_corpus.py" >&2; exit 2; }
python3 -c 'import faker' 2>/dev/null || {
    echo "needs Faker: pip install faker" >&2; exit 2; }
. benches/common.sh

# half:seed -- fixed seeds, so every run scores the same bytes (for one
# Faker version).
for hs in tune:1 report:2; do
    half=${hs%%:*} seed=${hs##*:}
    prefix="$work/$half"
    echo "== $half (seed $seed, $lines lines, Faker $(python3 -c 'import faker; print(faker.VERSION)'))"
    python3 "$tools/gen_corpus.py" --templates "tests/heldout/${half}_templates.py" \
        --seed "$seed" --lines "$lines" --out "$prefix" | head -1
    "$bin" "$prefix.log" > "$prefix.out"
    # score.py's summary: recall per kind, per format, decoy survival,
    # clean lines changed, JSON broken, and the final line.
    python3 "$tools/score.py" --truth "$prefix.truth.jsonl" \
        --input "$prefix.log" --output "$prefix.out" --show "$show"
done
