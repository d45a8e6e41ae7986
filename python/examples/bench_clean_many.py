"""Throughput of Cleaner.clean_many on 1 and 2 cores.

    python python/examples/bench_clean_many.py [SEEDS_DIR] [--docs 20000] [--repeat 3]

Cleans the seed documents repeated to --docs documents with jobs=1 and jobs=2,
interleaved --repeat times, and prints the best wall time of each, documents
per second and the speed-up; then checks that clean_many's output equals clean
one by one. The load average is printed too: other work on the machine takes
cores from jobs=2.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import newsclean


def main() -> None:
    here = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", type=Path, default=here.parent / "shared" / "seeds")
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    seeds = [p.read_bytes() for p in sorted(args.seeds.iterdir()) if p.is_file()]
    docs = [seeds[i % len(seeds)] for i in range(args.docs)]
    mb = sum(map(len, docs)) / 1e6
    cleaner = newsclean.Cleaner()
    cleaner.clean_many(docs[:200], jobs=2)  # warm up both pools' threads
    best = {1: float("inf"), 2: float("inf")}
    print(f"{len(docs)} documents, {mb:.1f} MB, load average before: {os.getloadavg()[0]:.2f}")
    for r in range(args.repeat):
        for jobs in (1, 2):
            # Free the last run's results first: their deallocation is not
            # clean_many's work, and would be timed with the next call.
            out = None
            t = time.perf_counter()
            out = cleaner.clean_many(docs, jobs=jobs)
            dt = time.perf_counter() - t
            best[jobs] = min(best[jobs], dt)
            print(f"  run {r + 1} jobs={jobs}: {dt:.2f} s, {len(out) / dt:,.0f} docs/s, {mb / dt:.1f} MB/s")
    print(f"best: jobs=1 {len(docs) / best[1]:,.0f} docs/s, jobs=2 {len(docs) / best[2]:,.0f} docs/s, "
          f"speed-up {best[1] / best[2]:.2f}x; load average after: {os.getloadavg()[0]:.2f}")
    one_by_one = [cleaner.clean(d) for d in docs]
    assert cleaner.clean_many(docs, jobs=2) == one_by_one
    print("clean_many(jobs=2) equals clean one by one on all documents")


if __name__ == "__main__":
    main()
