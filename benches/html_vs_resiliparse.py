"""Timing half of benches/html-vs-resiliparse.sh: newsclean (a subprocess, as
a user runs it) and Resiliparse (in this process), alternately, best of N."""
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
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if not f.startswith("."))
    size = sum(os.path.getsize(f) for f in files)
    nc, rp = [], []
    for _ in range(runs):
        nc.append(newsclean(binary, folder))
        rp.append(resiliparse(files)[:2])
    nc_cpu, nc_wall = min(c for c, _ in nc), min(w for _, w in nc)
    rp_cpu, rp_wall = min(c for c, _ in rp), min(w for _, w in rp)
    mb = size / 1e6
    print(f"{len(files)} pages, {mb:.1f} MB, best of {runs}, one core")
    print(f"newsclean   cpu {nc_cpu:6.3f} s  wall {nc_wall:6.3f} s  ({mb / nc_wall:5.1f} MB/s wall)")
    print(f"resiliparse cpu {rp_cpu:6.3f} s  wall {rp_wall:6.3f} s  ({mb / rp_wall:5.1f} MB/s wall)")
    print(f"newsclean speed / resiliparse speed: cpu {rp_cpu / nc_cpu:.2f}x  wall {rp_wall / nc_wall:.2f}x")


if __name__ == "__main__":
    main()
