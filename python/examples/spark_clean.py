"""Clean a folder of scraped documents with PySpark, newsclean on every partition.

    python python/examples/spark_clean.py DIR [--partitions N]

Runs Spark in local mode (one worker thread per core). Each partition builds
one newsclean.Cleaner and cleans its documents with Cleaner.clean_many, so the
rules are compiled once per partition and the GIL is released while cleaning.
Prints one line per document (name, bytes before and after, blocks removed)
and the totals.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Iterable, Iterator, Tuple


def clean_partition(rows: Iterable[Tuple[str, bytes]]) -> Iterator[Tuple[str, int, int, int, str]]:
    import newsclean  # imported on the executor

    rows = list(rows)
    cleaner = newsclean.Cleaner(lossy=True)
    results = cleaner.clean_many([raw for _, raw in rows], jobs=1)
    for (name, raw), out in zip(rows, results):
        yield name, len(raw), len(out.text.encode("utf-8")), len(out.removed), out.text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, help="folder of .txt or .html documents")
    parser.add_argument("--partitions", type=int, default=2)
    args = parser.parse_args()
    files = sorted(p for p in args.dir.iterdir() if p.is_file() and p.suffix in (".txt", ".html", ".htm"))
    if not files:
        print(f"spark_clean: no documents in {args.dir}", file=sys.stderr)
        return 1

    # The workers run this interpreter, the one that has newsclean installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[*]")
        .appName("newsclean")
        .config("spark.ui.enabled", "false")
        .config("spark.log.level", "ERROR")
        .getOrCreate()
    )
    try:
        docs = spark.sparkContext.parallelize([(p.name, p.read_bytes()) for p in files], args.partitions)
        cleaned = docs.mapPartitions(clean_partition).collect()
    finally:
        spark.stop()
    chars_in = chars_out = removed = 0
    for name, n_in, n_out, n_removed, _text in cleaned:
        print(f"{name}\t{n_in} -> {n_out} bytes\t{n_removed} blocks removed")
        chars_in, chars_out, removed = chars_in + n_in, chars_out + n_out, removed + n_removed
    print(f"{len(cleaned)} documents, {chars_in} -> {chars_out} bytes, {removed} blocks removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
