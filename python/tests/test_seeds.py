"""The real scraped seeds come out exactly as their expected files, through Python."""

import newsclean


def seeds(shared_dir):
    names = sorted(p.name for p in (shared_dir / "seeds").iterdir())
    assert names, "no seeds"
    return [
        (n, (shared_dir / "seeds" / n).read_bytes(), (shared_dir / "expected" / n).read_text(encoding="utf-8"))
        for n in names
    ]


def test_every_seed_matches_its_expected_output_as_bytes_and_as_str(shared_dir):
    for name, raw, expected in seeds(shared_dir):
        for doc in (raw, raw.decode("utf-8")):
            got = newsclean.clean(doc).text
            assert got.rstrip("\n") == expected.rstrip("\n"), f"{name} ({type(doc).__name__})"


def test_clean_many_on_the_seeds_equals_clean_one_by_one(shared_dir):
    docs = [raw for _, raw, _ in seeds(shared_dir)] * 40
    cleaner = newsclean.Cleaner()
    one_by_one = [cleaner.clean(d) for d in docs]
    for jobs in (1, 2, None):
        assert cleaner.clean_many(docs, jobs=jobs) == one_by_one
