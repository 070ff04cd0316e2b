"""How the index is built: the bulk analysis, the worker processes, merging segments.

Each way of writing must give the same index as the plain one-process build: the same
words, and for each passage the same weights, positions and character spans."""
import os
import shutil
import threading
import time

import pytest
from whoosh.analysis import RegexTokenizer

import helpers_faults as H
from search.index import buildproc
from search.index import generations as R
from search.index.write import writer
from search.index.write.options import DEFAULT, IndexOptions
from search.index.analysis import NAME_STOPS, TOKEN_PATTERN, FoldFilter, fold_words
from search.engine import Engine
from search.index.codec.fields import Spans
from search.index.write.segment import FastSegmentWriter
from search.index.write import parallel
from search.index.write.parallel import shares
from search.index.write.pool import MemoryPool
from search.index.schema import make_schema
from search.paths import bundled_seeds
from search.index.store import IndexStore, IndexUnusable

TRICKY = ["The U.S. and Viet Nam agreed: 5 per cent of U.S.A. trade, said Tô Lâm in Đà Nẵng.",
          "To Lam met An Giang officials. To China, Can Tho is far; to Lam it can be near.",
          "To-Lam, Long An. An\nGiang, To  Lam",
          "China’s “comprehensive strategic partnership” with the United  States—and us.",
          "", "   ", "a an the", "x" * 50 + " ... O'Brien's rock-n-roll 2026-02-03"]


def slow_words(text: str):
    """Whoosh's way: a Token at a time through the regex tokenizer and the fold filter; a
    stop word that may be part of a name (To Lam) is kept beside a capitalised word."""
    tokens = [(t.text, t.startchar, t.endchar) for t in
              RegexTokenizer(TOKEN_PATTERN)(text, positions=True, chars=True)]
    out = []
    for k, (surface, start, end) in enumerate(tokens):
        near = [t for t in tokens[max(0, k - 1):k + 2]
                if t[1] == end + 1 and text[end] == " " or t[2] == start - 1 and text[t[2]] == " "]
        if surface in NAME_STOPS and any(t[0][:1].isupper() for t in near):
            out.append((surface.lower(), start, end))
            continue
        out.extend((t.text, start, end) for t in FoldFilter()(
            RegexTokenizer(TOKEN_PATTERN)(surface, positions=True, chars=True)))
    return out


def test_bulk_folding_equals_the_token_by_token_analysis():
    texts = TRICKY + [p for f in sorted(bundled_seeds().glob("*.txt"))
                      for p in f.read_text(encoding="utf-8").split("\n") if p]
    for text in texts:
        words, starts, ends, surfaces = fold_words(text)
        assert list(zip(words, starts, ends)) == slow_words(text), text
        assert surfaces == [text[a:b] for a, b in zip(starts, ends)]


def postings(reader) -> dict:
    """Every field's words, each with its postings keyed by (document, passage number)."""
    where = {d: (f["doc"], f["number"]) for d, f in reader.iter_docs()}
    out = {}
    for field in sorted(set(reader.indexed_field_names())):
        spans = isinstance(reader.schema[field].format, Spans) if field in reader.schema \
            else False
        for word in reader.lexicon(field):
            m = reader.postings(field, word)
            found = []
            while m.is_active():
                value = m.value_as("characters") if spans else None
                found.append((where.get(m.id(), m.id()), round(m.weight(), 4), value))
                m.next()
            out[(field, word)] = sorted(found, key=repr)
            if field.startswith("spell_"):     # one posting a word (per segment): how often
                out[(field, word)] = sum(weight for _, weight, _ in found)
    return out


def build(corpus, index, monkeypatch, parallel: bool) -> Engine:
    engine = Engine([corpus], index, options=IndexOptions(parallel_from=1 if parallel else 10**9))
    engine.update(rebuild=True)
    engine.store.options = IndexOptions(parallel_from=10**9)
    return engine


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    for copy in ("a", "b"):
        shutil.copytree(bundled_seeds(), folder / copy)
    (folder / "b" / "extra.md").write_text(
        "---\ntitle: Extra\n---\nTô Lâm met U.S. envoys in Đà Nẵng. Tô Lâm, again.\n",
        encoding="utf-8")
    return folder


def test_workers_build_the_same_index_as_one_process(corpus, tmp_path, monkeypatch):
    one = build(corpus, tmp_path / "one", monkeypatch, parallel=False)
    two = build(corpus, tmp_path / "two", monkeypatch, parallel=True)
    assert one.searcher.reader().is_atomic()
    assert len(two.searcher.reader().leaf_readers()) == 2
    expected = postings(one.searcher.reader())
    assert ("text", b"nang") in expected and ("pairs", b"to lam") in expected
    assert postings(two.searcher.reader()) == expected
    one.close()
    two.close()


def test_workers_store_the_same_entities_and_events_as_one_process(corpus, tmp_path, monkeypatch):
    """Each worker extracts the entities and events of its own files (and their passages'
    entity field from that extraction): the records and the field are those of one process."""
    one = build(corpus, tmp_path / "one", monkeypatch, parallel=False)
    two = build(corpus, tmp_path / "two", monkeypatch, parallel=True)
    assert len(two.searcher.reader().leaf_readers()) == 2
    records = one.store.extracted()
    assert len(records) == 9 and "b/extra" in records
    assert two.store.extracted().all() == records.all()
    assert all(records.get(doc)[0][0] for doc in records.docs)     # gazetteer mentions in each
    field = {k: v for k, v in postings(one.searcher.reader()).items() if k[0] == "entity"}
    assert [d for (_, w), d in field.items() if w == b"da nang"] == [[(("b/extra", 1), 1.0, None)]]
    assert {k: v for k, v in postings(two.searcher.reader()).items() if k[0] == "entity"} == field
    one.close()
    two.close()


def test_merging_segments_keeps_every_posting(corpus, tmp_path, monkeypatch):
    """Merging reads postings back into the writer's pool (Whoosh's add_reader)."""
    engine = build(corpus, tmp_path / "ix", monkeypatch, parallel=True)
    ix = engine.store.ix
    before = postings(ix.reader())
    FastSegmentWriter(ix, codec=writer.Codec()).commit(optimize=True)
    with ix.reader() as merged:
        assert merged.is_atomic()
        assert postings(merged) == before
    engine.close()


def test_passages_are_numbered_the_same_whichever_worker_finishes_first(corpus, tmp_path,
                                                                     monkeypatch):
    """Two builds of the same files number the passages alike (ties in a ranking are broken
    by that number), though the workers finish in either order."""
    index_share = parallel._index_share

    def order(slow_first: bool) -> list:
        def share(storage, indexname, kwargs, items, indexes, read, put):
            if (indexes[0] == 0) == slow_first:
                time.sleep(1.0)            # this worker reports its segment last
            index_share(storage, indexname, kwargs, items, indexes, read, put)
        monkeypatch.setattr(parallel, "_index_share", share)
        engine = build(corpus, tmp_path / f"ix-{slow_first}", monkeypatch, parallel=True)
        reader = engine.searcher.reader()
        assert len(reader.leaf_readers()) == 2
        numbered = [(f["doc"], f["number"]) for _, f in reader.iter_docs()]
        engine.close()
        return numbered

    first = order(slow_first=True)
    assert len(first) > 20 and len(set(first)) == len(first)
    assert order(slow_first=False) == first


def test_work_is_shared_out_evenly_and_once():
    sizes = [900, 10, 10, 500, 400, 30, 20, 1000, 5, 5]
    parts = shares(sizes, 2)
    assert sorted(i for part in parts for i in part) == list(range(len(sizes)))
    loads = [sum(sizes[i] for i in part) for part in parts]
    assert max(loads) - min(loads) <= max(sizes) // 10
    assert all(part == sorted(part) for part in parts)
    assert shares([5], 4) == [[0]]


def test_a_full_disk_in_a_worker_falls_back_to_an_index_in_memory(corpus, tmp_path,
                                                                monkeypatch):
    parent = os.getpid()
    finalize = FastSegmentWriter._finalize_segment

    def full(self):
        if os.getpid() != parent:            # in a worker only
            raise OSError(28, "No space left on device")
        return finalize(self)
    monkeypatch.setattr(FastSegmentWriter, "_finalize_segment", full)
    engine = Engine([corpus], tmp_path / "ix", options=IndexOptions(parallel_from=1))
    report = engine.update()
    assert engine.store.temporary
    assert any("No space left" in m and "memory" in m for m in report.messages)
    assert engine.search("Hanoi").total > 0
    engine.close()


def test_a_worker_that_dies_is_reported_not_waited_for(corpus, tmp_path, monkeypatch):
    def die(self, **fields):
        os._exit(3)
    monkeypatch.setattr(FastSegmentWriter, "add_document", die)
    engine = Engine([corpus], tmp_path / "ix", options=IndexOptions(parallel_from=1))
    with pytest.raises(IndexUnusable, match="worker stopped"):
        engine.update()
    assert not [p for p in (tmp_path / "ix").iterdir() if p.name.startswith(R.GEN_PREFIX)]


@pytest.fixture()
def threaded():
    """Another thread alive, as in the app: the build may not fork from this process."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    yield
    stop.set()
    thread.join()


@pytest.fixture()
def big(tmp_path):
    folder = H.make_corpus(tmp_path / "big", DEFAULT.parallel_from + 20)
    (folder / "noise.txt").write_bytes(b"\x00\x01\x02 binary \x00" * 50)
    return folder


def spy_on_child(monkeypatch) -> list:
    runs = []
    run = buildproc.Child.run

    def spied(self, *args):
        runs.append(run(self, *args))
        return runs[-1]
    monkeypatch.setattr(buildproc.Child, "run", spied)
    return runs


def test_a_big_update_from_a_threaded_process_runs_in_a_child(big, tmp_path, threaded,
                                                               monkeypatch):
    runs = spy_on_child(monkeypatch)
    seen = []
    engine = Engine([big], tmp_path / "ix")
    report = engine.update(progress=lambda done, total, _: seen.append((done, total)))
    assert runs == [True]
    total = DEFAULT.parallel_from + 21
    assert seen[-1] == (total, total) and len(seen) == total
    assert report.passages == Engine([big], tmp_path / "alone").update().passages
    assert [w.message for w in report.warnings] == ["binary file (contains NUL bytes); skipped"]
    assert engine.search("reef").total > 0
    engine.close()


def test_when_the_child_cannot_run_the_update_is_done_here(big, tmp_path, threaded,
                                                          monkeypatch):
    runs = spy_on_child(monkeypatch)
    monkeypatch.setattr(buildproc.sys, "executable", str(tmp_path / "no-such-python"))
    engine = Engine([big], tmp_path / "ix")
    report = engine.update()
    assert runs == [False]
    assert report.built and len(report.added) == DEFAULT.parallel_from + 21
    assert len(report.warnings) == 1
    engine.close()


def test_an_update_in_a_child_can_be_stopped(big, tmp_path, threaded):
    engine = Engine([big], tmp_path / "ix")
    outcome = []

    def update():
        try:
            engine.update()
        except IndexUnusable as e:
            outcome.append(str(e))
    worker = threading.Thread(target=update)
    worker.start()
    deadline = time.monotonic() + 30
    while (engine.store.child is None or engine.store.child.proc is None) \
            and time.monotonic() < deadline:
        time.sleep(0.01)
    engine.store.stop()
    worker.join(30)
    assert not worker.is_alive() and outcome == ["the update was stopped"]


def test_a_rebuild_from_a_threaded_process_is_done_once_in_the_child(big, tmp_path, threaded,
                                                                     monkeypatch):
    engine = Engine([big], tmp_path / "ix")
    engine.update()
    runs = spy_on_child(monkeypatch)
    here = []                                   # builds in this process
    write = IndexStore._write_generation
    monkeypatch.setattr(IndexStore, "_write_generation",
                        lambda self, *a: here.append(1) or write(self, *a))
    before = R.read_state(tmp_path / "ix")[0].generation
    report = engine.update(rebuild=True)
    after = R.read_state(tmp_path / "ix")[0].generation
    assert runs == [True] and here == [] and report.built and after != before
    assert len(report.added) == DEFAULT.parallel_from + 21
    assert len([p for p in (tmp_path / "ix").iterdir() if p.name.startswith(R.GEN_PREFIX)]) == 1
    engine.close()


def test_the_short_path_indexes_as_whoosh_itself_would():
    """The segment writer's own path for text and pairs (search.index.write.pool) against Whoosh's
    field.index, which runs the analyzer a token at a time (used for boosted documents)."""
    schema = make_schema()
    texts = TRICKY + [p for f in sorted(bundled_seeds().glob("*.txt"))
                      for p in f.read_text(encoding="utf-8").split("\n") if p]
    for text in texts:
        for field in ("text", "pairs"):
            pool = MemoryPool(schema)
            if field == "text":
                pool.add_words(field, 0, text, None)
            else:
                pool.add_pairs(field, 0, text)
            short = {}
            for word in pool.fields.get(field, {}):
                _, weights, values = pool.postings(field, word)
                value = values[1] if isinstance(values, tuple) else values[0]
                short[word.encode("utf-8")] = (weights[0], bytes(value))
            whoosh = {w: (weight, bytes(v)) for w, _, weight, v in schema[field].index(text)}
            assert short == whoosh, (field, text)
