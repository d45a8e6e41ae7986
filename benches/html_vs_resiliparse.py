"""Timing half of benches/html-vs-resiliparse.sh: newsclean (a subprocess, as
a user runs it) and Resiliparse (in this process), alternately, best of N.
A second newsclean binary (an older build) is timed in the same rounds."""
import os
import resource
import subprocess
import sys
import time

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import bytes_to_str, detect_encoding


def newsclean(binary, folder):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    with open(os.devnull, "wb") as out:
        subprocess.run([binary, "--jobs", "1", "-q", folder], stdout=out, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def resiliparse(files):
    c, t = time.process_time(), time.perf_counter()
    chars = 0
    for path in files:
        with open(path, "rb") as f:
            raw = f.read()
        html = bytes_to_str(raw, detect_encoding(raw))
        chars += len(extract_plain_text(html, main_content=True))
    return time.process_time() - c, time.perf_counter() - t, chars


def main():
    binary, folder, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    before = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if not f.startswith("."))
    size = sum(os.path.getsize(f) for f in files)
    nc, old, rp = [], [], []
    for _ in range(runs):
        nc.append(newsclean(binary, folder))
        if before:
            old.append(newsclean(before, folder))
        rp.append(resiliparse(files)[:2])
    best = lambda xs: (min(c for c, _ in xs), min(w for _, w in xs))
    (nc_cpu, nc_wall), (rp_cpu, rp_wall) = best(nc), best(rp)
    mb = size / 1e6
    print(f"{len(files)} pages, {mb:.1f} MB, best of {runs}, one core")
    print(f"newsclean   cpu {nc_cpu:6.3f} s  wall {nc_wall:6.3f} s  ({mb / nc_wall:5.1f} MB/s wall)  {binary}")
    if before:
        old_cpu, old_wall = best(old)
        print(f"before      cpu {old_cpu:6.3f} s  wall {old_wall:6.3f} s  ({mb / old_wall:5.1f} MB/s wall)  {before}")
    print(f"resiliparse cpu {rp_cpu:6.3f} s  wall {rp_wall:6.3f} s  ({mb / rp_wall:5.1f} MB/s wall)")
    print(f"newsclean speed / resiliparse speed: cpu {rp_cpu / nc_cpu:.2f}x  wall {rp_wall / nc_wall:.2f}x")
    if before:
        print(f"before speed / resiliparse speed:    cpu {rp_cpu / old_cpu:.2f}x  wall {rp_wall / old_wall:.2f}x")
        print(f"newsclean speed / before speed:      cpu {old_cpu / nc_cpu:.2f}x  wall {old_wall / nc_wall:.2f}x")


if __name__ == "__main__":
    main()
