"""Where the text model's errors sit, from a `newsclean train --dump` TSV.

    models/train.sh   # or: newsclean train --view text ... --dump /tmp/dump.tsv
    python3 models/errors.py /tmp/dump.tsv [SOURCE]     # SOURCE: wcxb-dev (default)

Counts tokens of the scored view of each page (its first view; training also
reads the story span alone), at the block level: a block in scope is kept when
its out-of-fold score is below its fold's threshold. The guards of
src/model/mod.rs are not applied, so the totals differ a little from the
report's. Prints the boilerplate tokens kept (FP) by where they sit against
the story span (first to last story block: before it is the two-block margin,
after it the six-block one), by block size, how many repeat a story block's
text, how few documents carry them, and the story tokens dropped (FN) by
who dropped them. The dump holds benchmark text: never commit it.
"""

import csv
import sys
from collections import Counter


def docs(path):
    csv.field_size_limit(1 << 30)
    seen, cur = set(), None
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        for r in rows:
            src, name, block = r[0], r[1], int(r[3])
            if block == 0:
                if cur:
                    yield cur
                key = (src, name)
                cur = {"src": src, "name": name, "scored": key not in seen, "b": []}
                seen.add(key)
            score = float(r[6]) if r[6] else None
            kept = r[5] == "1" and score is not None and score < float(r[7])
            cur["b"].append((r[4] == "1", kept, r[5] == "1", int(r[8]), r[9] if len(r) > 9 else ""))
    if cur:
        yield cur


def size(t):
    return "<=5" if t <= 5 else "6-15" if t <= 15 else "16-40" if t <= 40 else "41-100" if t <= 100 else ">100"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    source = sys.argv[2] if len(sys.argv) > 2 else "wcxb-dev"
    tp = fp = 0
    where, sizes, fn, per_doc, dup = Counter(), Counter(), Counter(), Counter(), 0
    n = 0
    for d in docs(sys.argv[1]):
        if not d["scored"] or d["src"] != source:
            continue
        n += 1
        b = d["b"]
        story = [i for i, x in enumerate(b) if x[0]]
        if not story:
            continue
        first, last = story[0], story[-1]
        story_texts = {x[4] for x in b if x[0]}
        for i, (is_story, kept, scope, tokens, text) in enumerate(b):
            if is_story:
                if kept:
                    tp += tokens
                else:
                    fn["rule" if not scope else "model"] += tokens
            elif kept:
                fp += tokens
                per_doc[d["name"]] += tokens
                where["before" if i < first else "after" if i > last else "inside"] += tokens
                sizes[size(tokens)] += tokens
                dup += tokens if tokens >= 8 and text in story_texts else 0
    lost = sum(fn.values())
    p, r = tp / max(1, tp + fp), tp / max(1, tp + lost)
    print(f"{source}: {n} documents; block-level P {p:.4f} R {r:.4f} F1 {2 * p * r / max(1e-9, p + r):.4f}")
    print(f"boilerplate kept: {fp} tokens")
    for name, c in [("where", where), ("block tokens", sizes)]:
        print(f"  by {name}: " + ", ".join(f"{k} {v} ({v / max(1, fp):.1%})" for k, v in sorted(c.items())))
    print(f"  repeating a story block's text (8+ tokens): {dup} ({dup / max(1, fp):.1%})")
    ranked = [v for _, v in per_doc.most_common()]
    for top in (5, 20, 50, 100):
        print(f"  the {top} worst documents carry {sum(ranked[:top]) / max(1, fp):.1%}")
    print(f"story dropped: {lost} tokens: " + ", ".join(f"by the {k} {v}" for k, v in sorted(fn.items())))


if __name__ == "__main__":
    main()
