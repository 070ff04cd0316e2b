"""Issue #10 item 2: after an update, a word's first postings block may hold only deleted
passages; the fast paths must still find every live passage and score it by its own block
(the best match was missing and 116 of 300 hits lost)."""
from __future__ import annotations

import json

import pytest

from search.index.write.options import IndexOptions
from search.cli.main import run
from search.engine import Engine


def _write(corpus, i: int, text: str) -> None:
    (corpus / f"a{i:03d}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def updated_dirs(tmp_path_factory):
    """The issue's corpus: 300 articles indexed by one process, then 140 of them revised:
    (corpus folder, index folder)."""
    one = IndexOptions(parallel_from=10**9)         # one process, as under 400 files
    tmp = tmp_path_factory.mktemp("issue10")
    corpus = tmp / "C"
    corpus.mkdir()
    for i in range(300):
        extra = " Mekong Mekong Mekong delta." if i == 200 else ""
        _write(corpus, i, f"Article {i:03d} on the Mekong river and regional trade.{extra}\n")
    engine = Engine([corpus], tmp / "I", options=one)
    engine.update()
    engine.close()
    for i in range(140):
        _write(corpus, i, f"Article {i:03d}, revised, on the Mekong river and regional trade.\n")
    engine = Engine([corpus], tmp / "I", options=one)
    report = engine.update()
    engine.close()
    assert len(report.changed) == 140 and not report.built
    return corpus, tmp / "I"


@pytest.fixture()
def updated(updated_dirs):
    engine = Engine([updated_dirs[0]], updated_dirs[1])
    yield engine
    engine.close()


def test_every_passage_is_found_after_an_update_best_first(updated):
    reader = updated.searcher.reader()
    assert any(r.has_deletions() for r, _ in ([(reader, 0)] if reader.is_atomic()
                                               else reader.leaf_readers()))
    result = updated.search("Mekong", limit=1000)
    docs = [h.doc for h in result.hits]
    assert result.total == 300
    assert docs[0] == "a200"
    assert sorted(docs) == [f"a{i:03d}" for i in range(300)]
    for hit in result.hits:                # each hit's highlight is its own passage's word
        assert [hit.text[s:e] for s, e in hit.spans][:1] == ["Mekong"]


def test_the_best_match_tops_the_other_shapes_too(updated):
    """The same word through the AND, OR and wildcard paths, and the top few only."""
    for text in ["Mekong delta", "Mekong AND river", "Mekong OR zzz", "Mekon*"]:
        result = updated.search(text, limit=3)
        assert result.hits and result.hits[0].doc == "a200", text
    assert updated.search("Mekong", limit=1).hits[0].doc == "a200"
    assert updated.search("Mekong AND river", limit=1000).total == 300


def test_cli_lists_all_300_with_the_best_match_first(updated_dirs, capsys):
    corpus, index = updated_dirs
    code = run(["--corpus", str(corpus), "--index-dir", str(index),
                "search", "Mekong", "--limit", "1000", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["total"] == 300 and len(out["hits"]) == 300
    assert out["hits"][0]["doc"] == "a200"
