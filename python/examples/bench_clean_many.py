"""Throughput of Cleaner.clean_many on 1 and 2 cores.

    python python/examples/bench_clean_many.py [SEEDS_DIR] [--docs 20000] [--repeat 5] [--jobs 1,2]

Cleans the seed documents repeated to --docs documents with jobs=1 and jobs=2
in interleaved pairs (1, 2, 1, 2, ...), --repeat pairs, so that other work on
the machine hits both alike. Each run prints its wall time, documents per
second, and the process's user and system CPU time, minor page faults and
context switches; each pair its speed-up. At the end: the best and the median
of each, the median of the pairs' speed-ups, and the load average before and
after (other work on the machine takes cores from jobs=2). Then it checks that
clean_many's output equals clean one by one.

`--jobs 1` (or `--jobs 2`) runs one configuration alone, for `perf stat` or
`valgrind --tool=callgrind` of each.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

import newsclean


def usage() -> tuple[float, float, int, int]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime, r.ru_minflt, r.ru_nvcsw + r.ru_nivcsw


def main() -> None:
    here = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", type=Path, default=here.parent / "shared" / "seeds")
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", default="1,2", help="the jobs values to interleave (default 1,2)")
    parser.add_argument("--no-check", action="store_true", help="skip the check against clean one by one")
    args = parser.parse_args()
    jobs_list = [int(j) for j in args.jobs.split(",")]
    seeds = [p.read_bytes() for p in sorted(args.seeds.iterdir()) if p.is_file()]
    docs = [seeds[i % len(seeds)] for i in range(args.docs)]
    mb = sum(map(len, docs)) / 1e6
    cleaner = newsclean.Cleaner()
    for jobs in jobs_list:
        cleaner.clean_many(docs[:4096], jobs=jobs)  # warm up: threads, lazy automata, allocator
    walls: dict[int, list[float]] = {j: [] for j in jobs_list}
    ratios = []
    load_before = os.getloadavg()
    print(f"{len(docs)} documents, {mb:.1f} MB, load average before: {load_before[0]:.2f}")
    for r in range(args.repeat):
        for jobs in jobs_list:
            # Free the last run's results first: their deallocation is not
            # clean_many's work, and would be timed with the next call.
            out = None
            u0, s0, f0, c0 = usage()
            t = time.perf_counter()
            out = cleaner.clean_many(docs, jobs=jobs)
            dt = time.perf_counter() - t
            u1, s1, f1, c1 = usage()
            walls[jobs].append(dt)
            print(
                f"  run {r + 1} jobs={jobs}: {dt:.2f} s, {len(out) / dt:,.0f} docs/s, "
                f"CPU {u1 - u0:.2f} user + {s1 - s0:.2f} sys = {(u1 - u0 + s1 - s0) / dt:.2f}x wall, "
                f"{f1 - f0} faults, {c1 - c0} switches"
            )
        if 1 in jobs_list and 2 in jobs_list:
            ratios.append(walls[1][-1] / walls[2][-1])
            print(f"  pair {r + 1}: speed-up {ratios[-1]:.2f}x")
    out = None
    for jobs in jobs_list:
        w = walls[jobs]
        print(
            f"jobs={jobs}: best {len(docs) / min(w):,.0f} docs/s, median {len(docs) / statistics.median(w):,.0f} docs/s"
        )
    if ratios:
        print(
            f"speed-up jobs=2/jobs=1: best-of {min(walls[1]) / min(walls[2]):.2f}x, "
            f"median of pairs {statistics.median(ratios):.2f}x "
            f"(pairs: {', '.join(f'{x:.2f}' for x in ratios)})"
        )
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    if not args.no_check:
        one_by_one = [cleaner.clean(d) for d in docs]
        assert cleaner.clean_many(docs, jobs=max(jobs_list)) == one_by_one
        print(f"clean_many(jobs={max(jobs_list)}) equals clean one by one on all documents")


if __name__ == "__main__":
    main()
