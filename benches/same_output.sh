#!/usr/bin/env bash
# Checks that a refactor changed no output: builds BASE (a git revision,
# default HEAD) and the working tree, runs both release binaries over the
# same inputs and compares the outputs with `cmp`.
#
#   benches/same_output.sh [BASE] [SIZE_MB]     (defaults HEAD, 200)
#
# Inputs: ../shared/corpus/pii-dev.log, every LogHub and reallogs file,
# and the mix and dense inputs of benches/throughput.sh (make_mix.py,
# SIZE_MB). Each is run with `--format auto` (the default) and, for the
# dev corpus, with every other format forced. Differences are listed
# (VERBOSE=1 lists every input); exits 1 on any.
# BASE is built once per revision into target/same-output/BASE-SHA (or
# $SAME_OUTPUT_CACHE/BASE-SHA), and the inputs made once, to be shared.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD}
size_mb=${2:-200}
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "needs $corpus" >&2; exit 2; }
sha=$(git rev-parse --short=12 "$base^{commit}")
root=$(pwd)
cache=${SAME_OUTPUT_CACHE:-$root/target/same-output}
old=$cache/$sha/bin/logredact
if ! [ -x "$old" ]; then
    src=$(mktemp -d)
    trap 'git worktree remove --force "$src" 2>/dev/null || true' EXIT
    git worktree add --detach --quiet "$src" "$sha"
    (cd "$src" && CARGO_TARGET_DIR=$cache/target \
        cargo build --release --quiet --bin logredact)
    mkdir -p "$cache/$sha/bin"
    cp "$cache/target/release/logredact" "$old"
fi
cargo build --release --quiet --bin logredact
new=$root/target/release/logredact
work=$cache/inputs-$size_mb
if ! [ -f "$work/mix.log" ]; then
    mkdir -p "$work"
    python3 benches/make_mix.py "$corpus" "$work" "$size_mb"
fi
out=$(mktemp -d)
fail=0 files=0 bytes=0
check() { # label, args...
    local label=$1; shift
    "$old" "$@" > "$out/old" 2> "$out/old.err" || true
    "$new" "$@" > "$out/new" 2> "$out/new.err" || true
    files=$((files + 1))
    bytes=$((bytes + $(stat -c %s "$out/new")))
    if cmp -s "$out/old" "$out/new"; then
        [ -z "${VERBOSE:-}" ] || printf '%-44s identical\n' "$label"
    else
        printf '%-44s DIFFERENT\n' "$label"
        fail=1
    fi
}
check "pii-dev.log" "$corpus/pii-dev.log"
for f in plain json logfmt syslog; do
    check "pii-dev.log --format $f" --format "$f" "$corpus/pii-dev.log"
done
for f in "$corpus"/loghub/*.log; do check "loghub/$(basename "$f")" "$f"; done
while IFS= read -r f; do
    check "reallogs/${f#"$corpus"/reallogs/}" "$f"
done < <(find "$corpus/reallogs" -type f ! -name README.md | sort)
check "mix ($size_mb MB)" "$work/mix.log"
check "dense ($((size_mb / 4)) MB)" "$work/dense.log"
rm -rf "$out"
[ "$fail" = 0 ] || exit 1
echo "all $files outputs ($bytes bytes) identical to $sha"
