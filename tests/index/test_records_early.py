"""A parallel build writes the entities and events of the new generation as soon as the last
file has been read, while its workers are still writing their segments (before, the parent
did it alone after them). The files written are those of a one-process build, byte for byte,
and a build that fails after they were written leaves the index as it was."""
from __future__ import annotations

import marshal
import shutil

import pytest

from search.engine import Engine
from search.entities import extracted as X
from search.index import generations as R
from search.index.write import parallel
from search.index.write.options import IndexOptions
from search.index.write.segment import FastSegmentWriter
from search.paths import bundled_seeds

TWO = IndexOptions(parallel_from=1, max_procs=2)
ONE = IndexOptions(parallel_from=10**9)


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    for copy in ("a", "b"):
        shutil.copytree(bundled_seeds(), folder / copy)
    (folder / "b" / "extra.md").write_text(
        "---\ntitle: Extra\n---\nTô Lâm met U.S. envoys in Đà Nẵng. “Tô Lâm”, again.\n",
        encoding="utf-8")
    return folder


def _generation(index):
    state, _ = R.read_state(index)
    return index / state.generation


def _record_files(gen) -> dict:
    """The records' files by what they are (a chunk's name is a time, not its content)."""
    return {("chunk" if p.name.endswith(".chunk") else p.name): p.read_bytes()
            for p in gen.iterdir() if p.name.startswith("extracted")}


def test_records_are_written_while_the_workers_finish(corpus, tmp_path, monkeypatch):
    events = []
    add_each, write = parallel.ParallelWriter.add_each, X.write

    def watched_add_each(self, *args, **kwargs):
        yield from add_each(self, *args, **kwargs)
        events.append(("workers done", len(self.new_segments)))

    def watched_write(*args, **kwargs):
        events.append(("records written", None))
        return write(*args, **kwargs)

    monkeypatch.setattr(parallel.ParallelWriter, "add_each", watched_add_each)
    monkeypatch.setattr(X, "write", watched_write)
    two = Engine([corpus], tmp_path / "two", options=TWO)
    two.update(rebuild=True)
    assert [e for e, _ in events] == ["records written", "workers done"]
    assert events[1][1] == 2                 # two workers, each with its segment
    one = Engine([corpus], tmp_path / "one", options=ONE)
    one.update(rebuild=True)
    files = _record_files(_generation(tmp_path / "two"))
    assert files.keys() == {"chunk", X.RECORDS, X.WORDS}
    assert {k: v for k, v in files.items() if k != X.RECORDS} == \
        {k: v for k, v in _record_files(_generation(tmp_path / "one")).items() if k != X.RECORDS}
    assert two.store.extracted().all() == one.store.extracted().all()
    assert "b/extra" in two.store.extracted()
    one.close()
    two.close()


def test_the_word_counts_are_those_of_a_plain_count(corpus, tmp_path):
    """Counted in C now: the same counts, in the same order (the file's bytes)."""
    engine = Engine([corpus], tmp_path / "ix", options=TWO)
    engine.update(rebuild=True)
    gen = _generation(tmp_path / "ix")
    records = X.open_records(gen)
    words: dict[str, int] = {}
    for doc in sorted(records._where):
        for word in X._unpack(records._chunks[records._where[doc]].raw(doc)[2]):
            words[word] = words.get(word, 0) + 1
    assert len(words) > 100 and "again" in words
    # (marshal marks objects referenced more than once: the keys are in both dicts, as there,
    # and the bytes are made outside the assert, which would hold the dict)
    expected = marshal.dumps({w: n for w, n in words.items()})
    assert (gen / X.WORDS).read_bytes() == expected
    # an update that changes and removes documents counts them down the same way
    (corpus / "b" / "extra.md").write_text("---\ntitle: Extra\n---\nHà Nội, again.\n",
                                           encoding="utf-8")
    removed = sorted((corpus / "a").iterdir())[0]
    removed.unlink()
    engine.update()
    gen2 = _generation(tmp_path / "ix")
    assert gen2 != gen
    for doc in ("b/extra", "a/" + removed.stem):
        for word in X._unpack(records._chunks[records._where[doc]].raw(doc)[2]):
            words[word] -= 1
    new = X.open_records(gen2)
    for word in X._unpack(new._chunks[new._where["b/extra"]].raw("b/extra")[2]):
        words[word] = words.get(word, 0) + 1
    expected = marshal.dumps({w: n for w, n in words.items() if n > 0})
    assert (gen2 / X.WORDS).read_bytes() == expected
    engine.close()


def test_a_build_failing_after_the_records_leaves_the_index_as_it_was(corpus, tmp_path,
                                                                      monkeypatch):
    engine = Engine([corpus], tmp_path / "ix", options=TWO)
    engine.update(rebuild=True)
    before = _generation(tmp_path / "ix")
    records = engine.store.extracted().all()
    engine.close()

    def broken(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FastSegmentWriter, "_finalize_segment", broken)   # in the workers
    (corpus / "b" / "extra.md").write_text("---\ntitle: Extra\n---\nHà Nội, again.\n",
                                           encoding="utf-8")
    failing = Engine([corpus], tmp_path / "ix", options=TWO)
    with pytest.raises(Exception, match="No space left"):
        failing.update(rebuild=True)
    failing.close()
    gens = [p for p in (tmp_path / "ix").iterdir() if p.name.startswith(R.GEN_PREFIX)]
    assert gens == [before]                  # the new generation and its records are gone
    monkeypatch.undo()
    again = Engine([corpus], tmp_path / "ix", options=ONE)
    assert _generation(tmp_path / "ix") == before
    assert again.store.extracted() is None or again.store.extracted().all() == records


def test_records_failing_to_write_stop_the_workers_and_keep_the_index(corpus, tmp_path,
                                                                      monkeypatch):
    """The records are now written while the workers run: a disk that fills up there stops
    the build, its workers are gone, the index on disk is the one before, and the user is
    told (the store's answer to a full disk: a temporary index in memory)."""
    import multiprocessing
    engine = Engine([corpus], tmp_path / "ix", options=ONE)
    engine.update(rebuild=True)
    before = _generation(tmp_path / "ix")
    engine.close()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(X, "write", full)
    failing = Engine([corpus], tmp_path / "ix", options=TWO)
    report = failing.update(rebuild=True)
    assert any("No space left" in m and "in memory" in m for m in report.messages)
    assert "b/extra" in failing.store.extracted()
    failing.close()
    assert multiprocessing.active_children() == []
    assert [p for p in (tmp_path / "ix").iterdir() if p.name.startswith(R.GEN_PREFIX)] == [before]
