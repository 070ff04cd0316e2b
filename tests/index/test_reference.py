"""The project's index and fast paths held to plain Whoosh (issue #11).

The same corpus (the seeds and 150 generated articles of benchmarks/make_corpus.py, then
files deleted, changed and added: several segments, deleted passages) is indexed twice:
by the Engine (the project's codec and writer, blocks of 16 postings) and by Whoosh's own
SegmentWriter and W3Codec with the same schema and analyzers. Postings are compared term by
term (docnums, weights, positions, character spans), through Whoosh's matchers and through
the codec's bulk interface, and so are field lengths. A query set is run through Whoosh's
own searcher on the plain index and through the Engine's fast paths, which are checked to
have run (search.index.score spied, as in test_fastpath_property). A fast path given
postings it cannot read in bulk raises: it never falls back quietly to a slow one."""
from __future__ import annotations

import shutil
import sys
from types import SimpleNamespace

import pytest
from whoosh import query
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from conftest import ROOT
from search.corpus import files as corpus
from search.engine import Engine
from search.index import query as Q
from search.index.schema import make_schema, passage_fields
from search.index.score import bulk
from search.index.score import top as fastscore
from search.index.score.bm25 import LENGTH
from search.index.store import INDEX_NAME
from search.index.whooshapi import WhooshChanged
from search.index.write.options import IndexOptions
from search.paths import bundled_seeds
from test_fastpath_property import reference, spied, whoosh_ranking  # noqa: F401 (a fixture)

QUERIES = ["Vietnam", "partnership", "Hanoi", "reef", '"South China Sea"',
           '"comprehensive strategic partnership"', "China AND Vietnam",
           "China AND Vietnam NOT Washington", "Hanoi OR Washington", "sea NOT China",
           "partnrship~", "maritme~", "diplom*", "partner*", "title:Vietnam", "entity:China",
           "title:report OR Mekong", "Vietnam defence cooperation with Japan", "date:2025 trade",
           "Hanoi AND diplom*", "zzzunknownword"]
# (An OR of compound branches is left to test_search_speedups: Whoosh's terms=True, which
# reference() reads, marks words of a branch that did not match; see its matched_at.)
LIMITS = (1, 10, 500)
FAST_PATHS = ["bulk scoring", "one word by blocks", "pruned AND", "pruned OR", "evaluator"]


def _documents(folders, docs=None) -> list:
    """(doc id, [fields of each passage]) of the files, in the order the store reads them."""
    out = []
    for src in corpus.scan(folders, []):
        if docs is None or src.doc in docs:
            doc, _ = corpus.read_source(src, [])
            out.append((src.doc, list(passage_fields(doc, ENTITIES[0])) if doc else []))
    return out


ENTITIES: list = [None]     # the engine's entity names, so both indexes get the same field


def _plain_commit(ix, folders, removed=(), docs=None) -> None:
    """Whoosh's own writer and codec: deletions, then each file's passages, then commit."""
    w = SegmentWriter(ix, codec=W3Codec())
    for doc in removed:
        w.delete_by_term("doc", doc)
    for doc, passages in _documents(folders, docs):
        for fields in passages:
            w.add_document(**fields)
    w.commit()


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(engine on the project's index, a searcher of the plain Whoosh index) of one history."""
    tmp = tmp_path_factory.mktemp("reference")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_corpus
    seeds = tmp / "seeds"
    shutil.copytree(bundled_seeds(), seeds)
    gen = make_corpus.build(150, 200, out=tmp / "gen", quiet=True)
    folders = [seeds, gen]
    engine = Engine(folders, tmp / "project",
                    options=IndexOptions(block_postings=16, parallel_from=10**9))
    engine.update()
    ENTITIES[0] = engine.store.entity_names
    plain = FileStorage(str(tmp / "plain")).create().create_index(make_schema(),
                                                                   indexname=INDEX_NAME)
    _plain_commit(plain, folders)

    articles = sorted(gen.rglob("*.md"))
    removed = [corpus.scan([gen], [])[i].doc for i in (3, 40, 41, 90)]
    for path in articles:
        if any(str(path).endswith(f"{doc}.md") for doc in removed):
            path.unlink()
    changed = sorted(seeds.glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nVietnam and China met "
                       "again over the South China Sea, said Hanoi.\n", encoding="utf-8")
    added = gen / "extra-reef.md"
    added.write_text("---\ntitle: Reef report\ndate: 2025-05-01\n---\n\nA reef off Hanoi's "
                     "coast, and partnership talks with Japan on the reef.\n", encoding="utf-8")
    report = engine.update()
    assert sorted(report.removed) == sorted(removed) and len(report.changed) == 1 \
        and report.added == ["extra-reef"]
    _plain_commit(plain, folders, removed + report.changed, set(report.changed + report.added))
    s = plain.searcher()
    yield engine, s
    s.close()
    engine.close()


def _leaves(reader) -> list:
    return [reader] if reader.is_atomic() else [r for r, _ in reader.leaf_readers()]


def _whoosh_postings(reader, field, word) -> list:
    """(docnum, weight, value) of a term's live postings, through Whoosh's matchers."""
    m, out = reader.postings(field, word), []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value() or b""))
        m.next()
    return out


def test_the_same_segments_documents_and_deletions(pair):
    engine, plain = pair
    ours, theirs = engine.searcher.reader(), plain.reader()
    assert len(_leaves(ours)) == len(_leaves(theirs)) >= 2
    assert any(r.has_deletions() for r in _leaves(ours))
    for a, b in zip(_leaves(ours), _leaves(theirs)):
        assert a.doc_count_all() == b.doc_count_all() and a.doc_count() == b.doc_count()
        assert set(a.all_doc_ids()) == set(b.all_doc_ids())
    assert [f for _, f in ours.iter_docs()] == [f for _, f in theirs.iter_docs()]


def test_postings_equal_whooshs_own_term_by_term(pair):
    engine, plain = pair
    tally = {"terms": 0, "postings": 0, "with spans": 0}
    for a, b in zip(_leaves(engine.searcher.reader()), _leaves(plain.reader())):
        terms = list(b.all_terms())
        assert list(a.all_terms()) == terms
        deleted = b.deleted_docs_set if b.has_deletions() else set()
        for field, word in terms:
            if field.startswith("spell_"):    # one posting a word, weighted by its count
                assert sum(w for _, w, _ in _whoosh_postings(a, field, word)) == \
                    sum(w for _, w, _ in _whoosh_postings(b, field, word)), (field, word)
                continue
            expected = _whoosh_postings(b, field, word)
            assert _whoosh_postings(a, field, word) == expected, (field, word)
            ids, weights, dead = bulk.postings(a, field, word)      # the bulk interface
            live = [(d, w) for d, w in zip(ids, weights) if d not in (dead or ())]
            assert live == [(d, w) for d, w, _ in expected], (field, word)
            assert set(dead or ()) == deleted
            if field == "text":
                decode = a.schema["text"].format.decode_characters
                values = bulk.values_at(a, field, word, [d for d, _, _ in expected])
                assert {d: decode(v) for d, v in values.items()} == \
                    {d: decode(v) for d, _, v in expected}, word
                tally["with spans"] += 1
            tally["terms"] += 1
            tally["postings"] += len(expected)
    assert tally["terms"] > 5000 and tally["postings"] > 50_000 and tally["with spans"] > 2000


def test_field_lengths_equal_whooshs_own(pair):
    engine, plain = pair
    for a, b in zip(_leaves(engine.searcher.reader()), _leaves(plain.reader())):
        for field in ("text", "pairs", "title", "source", "entity"):
            expected = [b.doc_field_length(d, field, 0) for d in range(b.doc_count_all())]
            assert [a.doc_field_length(d, field, 0) for d in range(a.doc_count_all())] == \
                expected, field
            # (Whoosh gives None for a length of 0)
            assert [LENGTH[x] for x in bulk.lengths(a, field)] == [n or 0 for n in expected], \
                field
            assert a.field_length(field) == b.field_length(field)


def _fast_vs_plain(engine, plain, text: str, calls: list) -> int:
    """Compare Engine.search and search.index.score.top with Whoosh on the plain index."""
    as_engine = SimpleNamespace(searcher=plain)          # what reference() reads
    for limit in LIMITS:
        total, expected = reference(as_engine, text, limit)
        calls.clear()
        result = engine.search(text, limit=limit)
        assert calls and all(c is not None for c in calls), f"{text}: not the fast path"
        got = [(engine.docnum(h.doc, h.passage), h.score, h.spans) for h in result.hits]
        where = f"{text!r} limit {limit}"
        assert result.total == total, where
        assert [g[0] for g in got] == [e[0] for e in expected], where
        assert [g[1] for g in got] == pytest.approx([e[1] for e in expected], abs=1.5e-4), where
        assert [g[2] for g in got] == [e[2] for e in expected], where
    ours = engine.searcher
    mine = Q.parse(text, ours.schema, ours.reader())
    theirs = Q.parse(text, plain.schema, plain.reader())
    for q, p in zip(filter(None, [mine.all_words, mine.any_words]),
                    filter(None, [theirs.all_words, theirs.any_words])):
        ranked = whoosh_ranking(plain, p)
        for limit, count in [(10, True), (10, False), (500, True)]:
            fast = fastscore.top(ours, q, limit, count=count)
            assert fast is not None, f"{text}: {q} not the fast path"
            hits, total = fast
            assert [h.docnum for h in hits] == [d for d, _ in ranked[:limit]], (text, limit)
            assert [h.score for h in hits] == pytest.approx(
                [sc for _, sc in ranked[:limit]], rel=1e-6, abs=1e-6), (text, limit)
            if count:
                assert total == len(ranked), text
    return len(LIMITS)


def test_queries_find_score_and_mark_what_plain_whoosh_does(pair, spied):
    engine, plain = pair
    tally, calls = spied
    searches = sum(_fast_vs_plain(engine, plain, text, calls) for text in QUERIES)
    assert searches == len(QUERIES) * len(LIMITS)
    for path in FAST_PATHS:
        assert tally[path] > 0, f"the {path} path never ran"


def test_postings_the_codec_did_not_write_are_refused_not_read_slowly(pair):
    """On Whoosh's own postings (the plain index) the fast paths raise instead of reading
    one posting at a time (a Whoosh change, or an index written by another codec)."""
    _, plain = pair
    leaf = _leaves(plain.reader())[0]
    with pytest.raises(bulk.NotBulk, match="W3LeafMatcher"):
        bulk.postings(leaf, "text", "vietnam")
    with pytest.raises(WhooshChanged):
        fastscore.top(plain, query.Term("text", "vietnam"), 10)
    with pytest.raises(WhooshChanged):
        fastscore.top(plain, query.And([query.Term("text", "vietnam"),
                                        query.Term("text", "china")]), 10)


def test_a_whoosh_without_the_private_names_used_fails_loudly(pair, monkeypatch):
    """A Whoosh whose per-document reader no longer caches column readers by that name:
    an error naming what changed, not a search that quietly reads lengths one by one."""
    engine, _ = pair
    monkeypatch.delattr(W3PerDocReader, "_cached_reader")
    s = engine.store.ix.searcher()                 # new segment readers: nothing cached
    try:
        with pytest.raises(WhooshChanged, match="_cached_reader"):
            fastscore.top(s, query.Term("text", "vietnam"), 10)
    finally:
        monkeypatch.undo()
        s.close()
