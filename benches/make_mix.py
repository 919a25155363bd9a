#!/usr/bin/env python3
"""Bench inputs from ../shared/corpus, the same for every bench script.

  make_mix.py CORPUS WORKDIR SIZE_MB

writes WORKDIR/mix.log (SIZE_MB of 95% loghub lines and 5% pii-dev
lines, drawn with a fixed seed) and WORKDIR/dense.log (SIZE_MB / 4 of
pii-dev lines alone).
"""
import glob, random, sys
corpus, work, size = sys.argv[1], sys.argv[2], int(sys.argv[3]) * 10**6
random.seed(1)
lh = []
for f in sorted(glob.glob(corpus + "/loghub/*.log")):
    lh += [l for l in open(f, "rb").read().replace(b"\r\n", b"\n").split(b"\n") if l]
pii = [l for l in open(corpus + "/pii-dev.log", "rb").read().split(b"\n") if l]
for name, mix in (("mix", 0.05), ("dense", 1.0)):
    n, out = 0, []
    target = size if name == "mix" else size // 4
    while n < target:
        l = random.choice(pii) if random.random() < mix else random.choice(lh)
        out.append(l); n += len(l) + 1
    open(f"{work}/{name}.log", "wb").write(b"\n".join(out) + b"\n")
