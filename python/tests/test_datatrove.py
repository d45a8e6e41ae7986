"""NewscleanExtractor in a datatrove pipeline, with datatrove from PyPI."""

import json
import pickle

import pytest

pytest.importorskip("datatrove")

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.extractors.base import BaseExtractor  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import newsclean  # noqa: E402
from conftest import ARTICLE, PAGE  # noqa: E402
from newsclean.datatrove import NewscleanExtractor  # noqa: E402


def test_is_a_datatrove_extractor_that_cleans_text():
    step = NewscleanExtractor()
    assert isinstance(step, BaseExtractor)
    assert step.extract(ARTICLE) == newsclean.clean(ARTICLE).text
    assert step.extract(PAGE) == newsclean.clean(PAGE).text
    # datatrove pickles steps for its workers: the cleaner is rebuilt there.
    again = pickle.loads(pickle.dumps(step))
    assert again.extract(ARTICLE) == step.extract(ARTICLE)


def test_bad_options_fail_when_the_step_is_built(tmp_path):
    with pytest.raises(newsclean.RulesError):
        NewscleanExtractor(rules=[tmp_path / "missing.toml"])


def test_runs_in_a_local_pipeline(tmp_path):
    docs = [
        Document(text=ARTICLE, id="article"),
        Document(text=PAGE, id="page", metadata={"url": "https://gazette.example/library"}),
        Document(text="Advertisement\n\nRead more\n", id="only-boilerplate"),
    ]
    out_dir = tmp_path / "out"
    LocalPipelineExecutor(
        pipeline=[docs, NewscleanExtractor(), JsonlWriter(str(out_dir), compression=None)],
        tasks=1,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    rows = [json.loads(line) for f in sorted(out_dir.glob("*.jsonl")) for line in f.read_text().splitlines()]
    by_id = {r["id"]: r for r in rows}
    # A document with nothing left is dropped, as for any extractor.
    assert sorted(by_id) == ["article", "page"]
    assert by_id["article"]["text"] == newsclean.clean(ARTICLE).text
    assert by_id["page"]["text"] == newsclean.clean(PAGE).text
    assert "Advertisement" not in by_id["article"]["text"]
    assert by_id["page"]["metadata"]["url"] == "https://gazette.example/library"
