#!/usr/bin/env bash
# What the filter changes in ../shared/corpus/reallogs (real logs from
# public projects' test data: Zeek, cloud and SaaS audit events, Kafka,
# MySQL), explained by `--explain`: lines changed per file, then each
# masked span grouped by file, detector/rule and key, with a count and
# one example of the words before it. Never prints a masked value.
#
#   benches/reallogs.sh            (BIN=path/to/logredact to use another)
#
# Used to judge every change (issue 16): see benches/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/reallogs
[ -d "$corpus" ] || { echo "needs $corpus" >&2; exit 2; }
. benches/common.sh
total=0 changed=0
while IFS= read -r -d '' f; do
    rel=${f#"$corpus"/}
    "$bin" --explain "$f" > "$work/out" 2> "$work/why"
    n=$(wc -l < "$f")
    c=$(diff "$f" "$work/out" | grep -c '^<' || true)
    total=$((total + n)) changed=$((changed + c))
    [ "$c" -gt 0 ] && printf '%-55s %6d lines %4d changed\n' "$rel" "$n" "$c"
    sed "s|^$f:|$rel:|" "$work/why" >> "$work/all"
done < <(find "$corpus" -type f ! -name README.md -print0 | sort -z)
echo "TOTAL $changed of $total lines changed"
echo
echo "count  file  kind/rule  key  (context of the first)"
python3 - "$work/all" <<'PY'
import re, sys, collections
groups = collections.OrderedDict()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r'([^:]+):\d+: bytes \d+-\d+ (\S+) \(detector "[^"]*"\)(?: key=("(?:[^"\\]|\\.)*"))?.* context=(.*)$', line.rstrip("\n"))
    if not m:
        continue
    k = (m.group(1), m.group(2), m.group(3) or "-")
    if k not in groups:
        groups[k] = [0, m.group(4)[-48:]]
    groups[k][0] += 1
for (f, rule, key), (n, ctx) in sorted(groups.items(), key=lambda kv: (kv[0][0], -kv[1][0])):
    print(f"{n:5d}  {f}  {rule}  {key}  {ctx}")
PY
