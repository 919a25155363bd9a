#!/usr/bin/env python3
"""Same-run A/B of logredact builds: CPU time of each binary on one file.

    python3 benches/compare.py FILE BIN_A BIN_B [...]   (N=8 rounds)

The binaries run alternately (-j1, output to /dev/null), N rounds; min and
median user+system time are printed. On a machine whose speed drifts
(a shared VM), this compares builds fairly where two separate runs of
throughput.sh do not.
"""
import os
import resource
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    path, bins = sys.argv[1], sys.argv[2:]
    rounds = int(os.environ.get("N", "8"))
    times = {b: [] for b in bins}
    for _ in range(rounds):
        for b in bins:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([b, "-j1", path], stdout=subprocess.DEVNULL,
                           check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times[b].append(after.ru_utime - before.ru_utime
                            + after.ru_stime - before.ru_stime)
    mb = os.path.getsize(path) / 1e6
    for b in bins:
        t = sorted(times[b])
        print(f"{b:40s} min {t[0] * 1000:8.1f} ms ({mb / t[0]:6.1f} MB/s)"
              f"  median {t[len(t) // 2] * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
