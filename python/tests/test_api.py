"""The Python API: results, options, clean_many, and errors as exceptions."""

import json
import threading

import pytest

import newsclean
from conftest import ARTICLE, PAGE, REPO


def test_clean_removes_boilerplate_and_keeps_the_story_in_order():
    out = newsclean.clean(ARTICLE)
    assert out.paragraphs[0] == "Harbour ferry service to resume in spring"
    assert "Advertisement" not in out.paragraphs
    assert "Read more" not in out.paragraphs
    assert out.paragraphs[-1].startswith("Passengers with season tickets")
    assert out.text == "\n\n".join(out.paragraphs) + "\n"
    # Kept paragraphs come from the input, in input order.
    positions = [ARTICLE.index(p) for p in out.paragraphs]
    assert positions == sorted(positions)
    ad = next(r for r in out.removed if r.text == "Advertisement")
    assert (ad.rule, ad.kind) == ("en.ad.marker", "ad")
    assert ad.score is None
    assert [r.index for r in out.removed] == sorted(r.index for r in out.removed)
    assert out.metadata["language"] == "en"


def test_str_and_bytes_give_the_same_result():
    assert newsclean.clean(ARTICLE) == newsclean.clean(ARTICLE.encode("utf-8"))
    assert newsclean.clean(ARTICLE) == newsclean.clean(bytearray(ARTICLE.encode("utf-8")))
    assert newsclean.clean(ARTICLE) != newsclean.clean("Another story entirely, about the weather today.")


def test_the_bundled_sample_prints_the_clean_article():
    out = newsclean.clean((REPO / "samples" / "harbour-bridge.txt").read_text(encoding="utf-8"))
    assert out.text.startswith("Council approves new harbour bridge after years of delay\n\n")
    assert "Share Tweet Email" not in out.text
    assert out.metadata["date"] == "2025-03-14"


def test_an_html_page_gives_its_article_and_page_metadata():
    out = newsclean.clean(PAGE)
    assert out.paragraphs[0] == "Library reopens after flood repairs"
    assert any(p.startswith("The town library reopened on Saturday") for p in out.paragraphs)
    assert out.paragraphs[-1].startswith("The children's room")
    for chrome in ("Home", "Copyright", "Volunteers carry boxes"):
        assert not any(chrome in p for p in out.paragraphs), chrome
    assert all(r.line == 0 for r in out.removed)
    assert out.metadata["title"] == "Library reopens after flood repairs"
    # Forcing the text reader treats the same page as text: the markup stays.
    assert "<p>" in newsclean.clean(PAGE, input="text").text
    # Bytes in a declared charset are decoded as the page says.
    latin = PAGE.replace("utf-8", "iso-8859-1").replace("children's", "enfants’s".replace("’", "é"))
    out = newsclean.clean(latin.encode("iso-8859-1"))
    assert any("enfantsés room" in p for p in out.paragraphs)


def test_to_json_matches_the_fields():
    out = newsclean.clean(ARTICLE)
    data = json.loads(out.to_json())
    assert data["text"] == out.text
    assert data["paragraphs"] == out.paragraphs
    assert [r["rule"] for r in data["removed"]] == [r.rule for r in out.removed]
    assert data["metadata"] == out.metadata


def test_model_decisions_carry_a_score_and_model_false_turns_the_model_off():
    doc = ARTICLE + "\nJan Kowalski · Gazeta · 14.03.2025, 18:42\n\nThe authority will publish the new timetable soon.\n"
    with_model = newsclean.clean(doc)
    by_model = [r for r in with_model.removed if r.kind == "model"]
    for r in by_model:
        assert r.rule == "model" and 0.0 <= r.score <= 1.0 and r.features
    rules_alone = newsclean.clean(doc, model=False)
    assert not [r for r in rules_alone.removed if r.kind == "model"]
    assert by_model, "the model should drop the byline of a language without rules"


def promo_rules(tmp_path):
    """A user rules file naming one ad phrase, and the article with that phrase as its ad line."""
    rules = tmp_path / "extra.toml"
    rules.write_text(
        'language = "xx"\nstopwords = "zz"\n[[rule]]\nname = "ad.promo"\nkind = "ad"\nphrases = ["Buy a ferry pass"]\n',
        encoding="utf-8",
    )
    return rules, ARTICLE.replace("Advertisement", "Buy a ferry pass")


def test_lang_option_and_a_user_rules_file(tmp_path):
    rules, doc = promo_rules(tmp_path)
    assert any(p == "Buy a ferry pass" for p in newsclean.clean(doc).paragraphs)
    out = newsclean.clean(doc, rules=[rules])
    assert not any(p == "Buy a ferry pass" for p in out.paragraphs)
    assert "xx.ad.promo" in [r.rule for r in out.removed]
    assert newsclean.Cleaner(rules=str(rules)).clean(doc) == out
    assert newsclean.clean(ARTICLE, lang="de").metadata["language"] == "de"


def test_clean_many_keeps_input_order_and_equals_clean():
    docs = [ARTICLE, PAGE, b"", ARTICLE.replace("April", "May").encode(), "One line only."] * 50
    cleaner = newsclean.Cleaner()
    expected = [cleaner.clean(d) for d in docs]
    for jobs in (1, 2, 3):
        got = cleaner.clean_many(docs, jobs=jobs)
        assert len(got) == len(docs)
        assert got == expected
    assert cleaner.clean_many(iter(docs[:5])) == expected[:5]
    assert cleaner.clean_many([]) == []


def test_clean_many_workers_clean_with_every_option_of_their_cleaner(tmp_path):
    # Each worker thread makes its own cleaner from the options: they must all hold.
    rules, doc = promo_rules(tmp_path)
    docs = [doc, PAGE, ARTICLE] * 30
    for options in ({"rules": [rules]}, {"lang": "de", "model": False}, {"input": "text"}):
        cleaner = newsclean.Cleaner(**options)
        expected = [cleaner.clean(d) for d in docs]
        for jobs in (2, 1, 2):
            assert cleaner.clean_many(docs, jobs=jobs) == expected, options
    got = newsclean.Cleaner(rules=[rules]).clean_many([doc] * 8, jobs=2)
    assert all("xx.ad.promo" in [r.rule for r in out.removed] for out in got)
    assert newsclean.Cleaner(input="text").clean_many([PAGE], jobs=2)[0] != newsclean.clean(PAGE)


def test_clean_many_releases_the_gil():
    cleaner = newsclean.Cleaner()
    docs = [ARTICLE] * 400
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(1)

    t = threading.Thread(target=count)
    t.start()
    try:
        cleaner.clean_many(docs, jobs=1)
    finally:
        done.set()
        t.join()
    assert len(ticks) > 100


def test_input_errors_name_the_problem():
    with pytest.raises(newsclean.InputError, match=r"invalid UTF-8 at byte 4 \(strict_utf8=True; pass lossy=True"):
        newsclean.clean(b"bad \xff byte", strict_utf8=True)
    assert "bad \ufffd byte" in newsclean.clean(b"bad \xff byte", lossy=True).text
    with pytest.raises(newsclean.InputError, match="binary data"):
        newsclean.clean(b"abc\x00def")
    with pytest.raises(newsclean.InputError, match="over the limit of 10 bytes"):
        newsclean.clean(ARTICLE, max_size=10)
    assert issubclass(newsclean.InputError, newsclean.Error)
    with pytest.raises(TypeError, match="expected str or bytes, got int"):
        newsclean.clean(42)
    with pytest.raises(ValueError, match="input must be"):
        newsclean.clean(ARTICLE, input="pdf")


def test_clean_many_names_the_failing_document():
    cleaner = newsclean.Cleaner(strict_utf8=True)
    with pytest.raises(newsclean.InputError, match=r"^document 2: invalid UTF-8"):
        cleaner.clean_many([ARTICLE, ARTICLE, b"ok \xff bad"], jobs=2)
    with pytest.raises(TypeError, match="document 1: expected str or bytes"):
        cleaner.clean_many([ARTICLE, None])
    with pytest.raises(ValueError, match="jobs"):
        cleaner.clean_many([ARTICLE], jobs=0)


def test_rules_model_and_profile_errors(tmp_path):
    missing = tmp_path / "missing.toml"
    with pytest.raises(newsclean.RulesError, match="missing.toml: cannot read rules file"):
        newsclean.Cleaner(rules=[missing])
    bad = tmp_path / "bad.toml"
    bad.write_text('language = "xx"\n[[rule]]\nname = "x"\nkind = "ad"\npattern = "("\n', encoding="utf-8")
    with pytest.raises(newsclean.RulesError, match="bad.toml"):
        newsclean.Cleaner(rules=bad)
    model = tmp_path / "model.json"
    model.write_text("{not json", encoding="utf-8")
    with pytest.raises(newsclean.ModelError, match="model.json"):
        newsclean.Cleaner(model=model)
    with pytest.raises(newsclean.ModelError):
        newsclean.Cleaner(model=tmp_path / "none.json")
    profile = tmp_path / "profile.json"
    profile.write_text("[]", encoding="utf-8")
    with pytest.raises(newsclean.ProfileError, match="profile.json"):
        newsclean.Cleaner(profile=profile, site="example.com")
    with pytest.raises(ValueError, match="needs site"):
        newsclean.Cleaner(profile=profile)
    with pytest.raises(TypeError):
        newsclean.Cleaner(rules=3)


def test_legacy_encodings_are_detected_and_mojibake_repaired():
    text = "Le maire a démissionné lundi après une longue réunion du conseil municipal à Lyon.\n"
    out = newsclean.clean(text.encode("cp1252"))
    assert out.paragraphs == [text.strip()]
    assert out.metadata["encoding"] == "windows-1252"
    garbled = text.encode("utf-8").decode("cp1252")
    repaired = newsclean.clean(garbled)
    assert repaired.paragraphs == [text.strip()] and repaired.metadata["mojibake_fixed"] > 0
    # Off, the mojibake stays (only the odd spaces are normalised, as always).
    assert "dÃ©missionnÃ©" in newsclean.clean(garbled, fix_mojibake=False).text
