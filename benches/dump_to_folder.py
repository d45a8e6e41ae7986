"""Write each document of a `newsclean train --dump` TSV as a text file.

    newsclean train --view text --gold ../shared/eval/wcxb-dev --input ../shared/eval/wcxb-dev \
        --folds 2 --trees 5 -q -o /tmp/m.json --dump /tmp/dump.tsv
    python3 benches/dump_to_folder.py /tmp/dump.tsv /tmp/wcxb-text

The files are the scraped-text view of real pages (every block in the scraped
span, boilerplate included), one per page, blocks separated by blank lines:
a folder of distinct documents for `benches/e2e_text.sh`-style runs, where the
seeds repeated 800 times let every cache warm up. Only a document's first view
is written (training also reads each page's story span alone). Never commit
the output: it is benchmark text.
"""

import csv
import sys
from pathlib import Path


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    dump, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    csv.field_size_limit(1 << 30)
    docs: dict[str, list[str]] = {}
    done: set[str] = set()
    with dump.open(newline="", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows)
        name_at, block_at, text_at = header.index("name"), header.index("block"), header.index("text")
        for row in rows:
            name, block = row[name_at], int(row[block_at])
            blocks = docs.setdefault(name, [])
            if name in done:
                continue
            if block == 0 and blocks:
                done.add(name)
                continue
            blocks.append(row[text_at].replace("\\n", "\n") if len(row) > text_at else "")
    size = 0
    for name, blocks in docs.items():
        text = "\n\n".join(blocks) + "\n"
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode())
    print(f"{len(docs)} documents, {size} bytes in {out}")


if __name__ == "__main__":
    main()
