#!/usr/bin/env python3
"""Start-up of two (or more) builds measured in turn: each round runs every
binary once on FILE, so load on a shared host hits all of them alike. Prints
per binary the wall time (mean, median, fastest, 90th percentile), the CPU
time (user + system, from wait4) and the peak resident set, then each
binary's ratio to the last one.

    python3 benches/startup_alt.py ROUNDS FILE NEW [OLD ...]
    python3 benches/startup_alt.py 200 samples/harbour-bridge.txt target/release/newsclean OLD_BINARY
"""
import os
import statistics
import sys
import time


def run(binary, path):
    devnull = os.open(os.devnull, os.O_WRONLY)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        try:
            os.execv(binary, [binary, path])
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"startup_alt: {binary} {path} failed ({status})")
    return wall * 1e3, (usage.ru_utime + usage.ru_stime) * 1e3, usage.ru_maxrss / 1024


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    rounds, path, bins = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    for b in bins:  # warm the page cache
        run(b, path)
    res = {b: [] for b in bins}
    for _ in range(rounds):
        for b in bins:
            res[b].append(run(b, path))
    load = os.getloadavg()[0]
    print(f"{rounds} rounds in turn, {path}, load {load:.1f} at the end")
    means = {}
    for b in bins:
        wall = sorted(r[0] for r in res[b])
        cpu = statistics.mean(r[1] for r in res[b])
        means[b] = (statistics.mean(wall), statistics.median(wall), cpu)
        print(
            f"{b}: wall mean {means[b][0]:.2f} ms, median {means[b][1]:.2f}, fastest {wall[0]:.2f}, "
            f"p90 {wall[int(len(wall) * 0.9)]:.2f}; CPU {cpu:.2f} ms; peak RSS {max(r[2] for r in res[b]):.1f} MB"
        )
    last = bins[-1]
    for b in bins[:-1]:
        m, l = means[b], means[last]
        print(f"{b} against {last}: wall mean {l[0] / m[0]:.2f}x, median {l[1] / m[1]:.2f}x, CPU {l[2] / m[2]:.2f}x as fast")


if __name__ == "__main__":
    main()
