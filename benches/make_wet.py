#!/usr/bin/env python3
"""Write a synthetic Common Crawl WET file for measuring `newsclean FILE.warc.wet.gz`.

There is no real WET file in this repository (nor network access on the
project machine), so this builds one as Common Crawl lays it out: a
`warcinfo` record, then one `conversion` record per page, each record its
own gzip member, the text one line per block with no blank lines (as
Common Crawl's extractor writes it). The pages are the repository's own
test fixtures (tests/fixtures/text, 16 languages, half of each article
boilerplate) and samples/, repeated under many hosts, with a share of their
lines left out or repeated at random so that no two records are the same.

    python3 benches/make_wet.py OUT.warc.wet.gz [MEGABYTES]   # default 50 (uncompressed text)
"""
import gzip
import pathlib
import random
import sys
import uuid

root = pathlib.Path(__file__).resolve().parent.parent
out = pathlib.Path(sys.argv[1])
target = int(sys.argv[2] if len(sys.argv) > 2 else 50) << 20
rng = random.Random(12)

pages = []
for p in sorted((root / "tests/fixtures/text").glob("*.txt")) + sorted((root / "samples").glob("*.txt")):
    lines = [l.strip() for l in p.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")]
    pages.append((p.stem.split("_")[0], [l for l in lines if l]))

def record(kind, headers, body):
    head = f"WARC/1.0\r\nWARC-Type: {kind}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    head += f"Content-Length: {len(body)}\r\n\r\n"
    return gzip.compress(head.encode() + body + b"\r\n\r\n", compresslevel=6)

written = docs = 0
with open(out, "wb") as f:
    info = b"software: newsclean benches/make_wet.py\r\nformat: WARC File Format 1.0\r\n"
    f.write(record("warcinfo", [("WARC-Date", "2026-01-01T00:00:00Z"), ("Content-Type", "application/warc-fields")], info))
    while written < target:
        lang, lines = pages[rng.randrange(len(pages))]
        kept = [l for l in lines if rng.random() > 0.1]
        if kept and rng.random() < 0.3:
            kept.insert(rng.randrange(len(kept)), rng.choice(kept))
        body = ("\n".join(kept) + "\n").encode()
        host = f"news{rng.randrange(400)}.example.{lang if len(lang) == 2 else 'com'}"
        rid = uuid.UUID(int=rng.getrandbits(128))
        headers = [
            ("WARC-Target-URI", f"https://{host}/{docs}"),
            ("WARC-Date", f"2026-01-{docs % 28 + 1:02d}T12:00:00Z"),
            ("WARC-Record-ID", f"<urn:uuid:{rid}>"),
            ("WARC-Refers-To", f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>"),
            ("WARC-Block-Digest", "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            ("WARC-Identified-Content-Language", lang),
            ("Content-Type", "text/plain"),
        ]
        f.write(record("conversion", headers, body))
        written += len(body)
        docs += 1
print(f"{out}: {docs} documents, {written / 1e6:.1f} MB of text, {out.stat().st_size / 1e6:.1f} MB gzipped", file=sys.stderr)
