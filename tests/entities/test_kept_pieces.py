"""What `kept.load` keeps beside the index: summed up a window of records at a time, stored in
pieces read one at a time (the app's typing never waits on one long decode), and read only
as far as a command needs (`entity NAME` reads its own entity, not the others)."""
from __future__ import annotations

import json
import marshal
import shutil
import sys

import pytest

from search.engine import Engine
from search.entities import extracted as X
from search.entities import kept as K
from search.entities import pieces as P
from test_entities_stored import everything, fresh, synthetic


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return synthetic(tmp_path_factory.mktemp("c"), 60)


def _engine(corpus, ix):
    engine = Engine([corpus], ix)
    engine.update()
    return engine


def test_summing_up_window_by_window_equals_reading_everything(corpus, tmp_path, monkeypatch):
    """Records read a document at a time (a window smaller than any document), over two chunks
    (an update), never a whole chunk: the same lists, mentions, company and timeline."""
    shutil.copytree(corpus, tmp_path / "c")
    engine = _engine(tmp_path / "c", tmp_path / "ix")
    try:
        target = sorted((tmp_path / "c").rglob("*.md"))[4]
        target.write_text(target.read_text(encoding="utf-8") + "\n\nVietnam and Japan signed "
                          "a trade agreement in March 2019.\n", encoding="utf-8")
        engine.update()
        assert len(X.records_of(engine.store)._chunks) == 2
        reads = []
        real_read = X._Chunk.read

        def read(self, at, size):
            reads.append(size)
            return real_read(self, at, size)

        def whole(self):
            raise AssertionError("a whole chunk was read into memory")
        monkeypatch.setattr(X._Chunk, "read", read)
        monkeypatch.setattr(X._Chunk, "whole", whole)
        monkeypatch.setattr(X, "WINDOW", 1)
        index, events = K.load(engine)
        assert len(reads) >= 2 * 60         # two passes, a document per read
        monkeypatch.undo()
        got = everything(engine, index)
        assert got == fresh(engine)
        assert [e.to_dict() for e in events] == got["timeline"]
    finally:
        engine.close()


def test_the_kept_files_are_pieces_read_one_at_a_time(corpus, tmp_path, monkeypatch):
    """Small pieces: each decode holds little; the load reads them one by one and lets other
    threads run between two (time.sleep(0)); what it gives is what the first load gave."""
    monkeypatch.setattr(P, "PIECE_BYTES", 2048)
    engine = _engine(corpus, tmp_path / "ix")
    try:
        first = everything(engine, K.load(engine)[0])
        for name in (X.SUMMARY, X.MENTIONS):
            assert (tmp_path / "ix" / name).read_bytes().startswith(P.MAGIC)
        decoded, pauses = [], []
        real_piece, real_sleep = P.Pieces.piece, P.time.sleep

        def piece(self, name, i):
            got = real_piece(self, name, i)
            decoded.append((name, len(marshal.dumps(got)), len(got) if isinstance(got, (list, dict)) else 1))
            return got

        def sleep(s):
            pauses.append(s)
            real_sleep(s)
        monkeypatch.setattr(P.Pieces, "piece", piece)
        monkeypatch.setattr(P.time, "sleep", sleep)
        index, _ = K.load(engine)
        assert isinstance(index, K.KeptEntityIndex)
        names = {name for name, _, _ in decoded}
        assert {"entities", "events", "lookup", "names"} <= names
        assert sum(1 for n, _, _ in decoded if n == "entities") > 3
        for name, size, items in decoded:       # a piece is small unless it is one item
            assert size <= 2 * 2048 or items == 1, (name, size, items)
        assert len(pauses) >= len(decoded) - 10      # one pause between two pieces of a part
        monkeypatch.undo()
        assert everything(engine, index) == first
    finally:
        engine.close()


def test_one_entity_reads_its_own_entry_and_equals_a_fresh_extraction(corpus, tmp_path, monkeypatch,
                                                                      capsys):
    """`entity NAME --json`: what json.dumps writes of a fresh extraction's answer, read from
    the kept files without the entity list, the timeline or the other entities' postings."""
    from search.cli.main import run
    from search.entities import gazetteer as G
    from search.entities import mentions as E
    engine = _engine(corpus, tmp_path / "ix")
    K.load(engine)
    try:
        full = E.extract([engine.document(d["id"]) for d in engine.documents()], G.load(None))
        full.texts = E._texts(engine)
        names = [e.name for e in full.entities()[:3]] + [full.entities()[-1].name]
        want = {name: json.dumps({
            "entity": full.entity(name).to_dict(),
            "mentions": [m.to_dict() for m in full.mentions(name)],
            "cooccurring": [{"name": n, "count": c} for n, c in full.cooccurring(name)]},
            indent=2, ensure_ascii=False) + "\n" for name in names}
    finally:
        engine.close()
    real_get, real_item, items = P.Pieces.get, P.Pieces.item, []

    def get(self, name, pause=True):
        if name in ("entities", "events", "postings"):
            raise AssertionError(f"read every {name} for one entity")
        return real_get(self, name, pause)

    def item(self, name, i):
        items.append(name)
        return real_item(self, name, i)
    monkeypatch.setattr(P.Pieces, "get", get)
    monkeypatch.setattr(P.Pieces, "item", item)
    for name in names:
        assert run(["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"),
                    "entity", name, "--json"]) == 0
        assert capsys.readouterr().out == want[name], name
    assert items.count("entities") == len(names) and items.count("postings") == len(names)


def test_kept_files_of_another_format_or_cut_short_are_worked_out_again(corpus, tmp_path, capsys):
    """A kept file from an older vnexplore (one marshal dict), or one cut short by a full
    disk: the next command sums up the records again and answers the same."""
    from search.cli.main import run
    ix = tmp_path / "ix"
    args = ["--corpus", str(corpus), "--index-dir", str(ix)]
    assert run([*args, "entity", "Vietnam", "--json"]) == 0
    want = capsys.readouterr().out
    assert '"mentions": [' in want
    for damage in ("old", "short"):
        mentions = ix / X.MENTIONS
        if damage == "old":
            mentions.write_bytes(marshal.dumps({"key": None, "names": []}))
        else:
            mentions.write_bytes(mentions.read_bytes()[:-100])
        assert run([*args, "entity", "Vietnam", "--json"]) == 0
        assert capsys.readouterr().out == want, damage
        assert mentions.read_bytes().startswith(P.MAGIC)


def test_the_cycle_collector_is_paused_while_summing_up_and_restored(corpus, tmp_path,
                                                                     monkeypatch):
    """Each full collection walked every tuple the summing-up made (60-90 ms at 10,000
    articles, the app's keys waiting): it is paused for the summing-up, then as before."""
    import gc
    from search.entities import summing
    real, seen = summing.sum_up, []

    def sum_up(*a, **k):
        seen.append(gc.isenabled())
        return real(*a, **k)
    monkeypatch.setattr(summing, "sum_up", sum_up)
    engine = _engine(corpus, tmp_path / "ix")
    try:
        assert gc.isenabled()
        index, events = K.load(engine)
        assert seen == [False] and gc.isenabled() and index.entities() and events
        gc.disable()                     # a caller that had it off keeps it off
        try:
            for name in (X.SUMMARY, X.MENTIONS):
                (tmp_path / "ix" / name).unlink()
            K.load(engine)
            assert seen == [False, False] and not gc.isenabled()
        finally:
            gc.enable()
    finally:
        engine.close()
