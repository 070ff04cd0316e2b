"""Entities and events worked out per document at index time (search/entities/extracted.py): what the
panes and commands show from the stored records is exactly what reading every document again
gives, after a build and after an update, and loading them never holds up the app."""
from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import pytest

from search.entities import mentions as E
from search.entities import extracted as X
from search.entities import kept as K
from search.entities import gazetteer as G
from search.engine import Engine
from search.paths import bundled_seeds
from search.timeline.build import build_timeline, ladder
from helpers_app import until

ROOT = Path(__file__).resolve().parents[2]


def synthetic(folder: Path, n: int) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_corpus
    return make_corpus.build(n, 400, out=folder, quiet=True)


def everything(engine: Engine, index) -> dict:
    """All a user can see of entities and events: lists, every mention with its context,
    companions, the timeline and the partner ladder."""
    events = build_timeline(engine, index)
    return {
        "entities": [e.to_dict() for e in index.entities()],
        "mentions": {e.name: [m.to_dict() for m in index.mentions(e.name)] for e in index.entities()},
        "companions": {e.name: index.cooccurring(e.name) for e in index.entities()[:50]},
        "timeline": [e.to_dict() for e in events],
        "partners": [p.to_dict() for p in ladder(events)],
    }


def fresh(engine: Engine) -> dict:
    """What reading every document of the index again gives (the old way, no stored records)."""
    docs = [engine.document(d["id"]) for d in engine.documents()]
    index = E.extract(docs, G.load(None))
    index.texts = E._texts(engine)
    return everything(engine, index)


def stored(engine: Engine) -> dict:
    index = K.load_entity_index(engine)
    assert index.doc_events is not None, "the records stored with the index were not used"
    return everything(engine, index)


@pytest.mark.parametrize("which", ["seeds", "synthetic"])
def test_stored_entities_and_events_equal_a_fresh_extraction(tmp_path, which):
    folder = bundled_seeds() if which == "seeds" else synthetic(tmp_path / "c", 300)
    engine = Engine([folder], tmp_path / "ix")
    engine.update()
    try:
        got, want = stored(engine), fresh(engine)
        assert got["entities"] and got["timeline"] and got["partners"]
        assert got == want
    finally:
        engine.close()


def test_an_update_gives_what_a_full_rebuild_gives(tmp_path):
    corpus = synthetic(tmp_path / "c", 80)
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    files = sorted(p for p in corpus.rglob("*.md"))
    # one changed (another article's text, so its names and events change), one added, one removed
    files[3].write_text(files[40].read_text(encoding="utf-8").replace("article", "report"),
                        encoding="utf-8")
    shutil.copy(files[41], corpus / "added-article.md")
    removed = files[5]
    removed.unlink()
    report = engine.update()
    assert report.changed and report.added and report.removed and not report.built
    rebuilt = Engine([corpus], tmp_path / "ix-full")
    rebuilt.update()
    try:
        after_update = stored(engine)
        assert after_update == stored(rebuilt) == fresh(rebuilt)
        gone = removed.relative_to(corpus).with_suffix("").as_posix()
        assert all(gone not in e["docs"] for e in after_update["entities"])
    finally:
        engine.close()
        rebuilt.close()


def test_editing_the_gazetteer_re_derives_the_stored_mentions(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("entities:\n  - name: Zalmoria\n    type: country\n", encoding="utf-8")
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.md").write_text("# A\n\nVietnam and Ruritania established diplomatic relations in 1975. "
                                 "Ruritania sent envoys.\n", encoding="utf-8")
    engine = Engine([corpus], tmp_path / "ix", E.index_hook([extra]))
    engine.update()
    before = K.load_entity_index(engine, [extra]).entity("Ruritania")
    assert before is None or before.type != "country"
    engine.close()
    extra.write_text("entities:\n  - name: Ruritania\n    type: country\n", encoding="utf-8")
    engine = Engine([corpus], tmp_path / "ix", E.index_hook([extra]))
    report = engine.update()
    try:
        assert report.built
        index = K.load_entity_index(engine, [extra])
        assert index.doc_events is not None
        assert index.entity("Ruritania").type == "country"
        assert any("Ruritania" in e.partners for e in build_timeline(engine, index))
    finally:
        engine.close()


def test_records_are_part_of_the_generation_and_its_checksums(tmp_path):
    engine = Engine([bundled_seeds()], tmp_path / "ix")
    engine.update()
    from search.index import generations as R
    state, _ = R.read_state(tmp_path / "ix")
    assert X.RECORDS in state.index_files and X.WORDS in state.index_files
    records = engine.store.extracted()
    assert sorted(records.docs) == sorted(d["id"] for d in engine.documents())
    assert all(name in state.index_files for name in gen_chunks(tmp_path / "ix" / state.generation))
    engine.close()


# -- the app: the first screen never waits for the entities; quitting ends their loading --------
async def test_first_screen_before_entities_and_quit_ends_their_loading(tmp_path, monkeypatch):
    from tui.app import VnExploreApp
    gate, reading = threading.Event(), threading.Event()
    real = X.open_records

    def slow_read(gen):             # the real read, held until the test lets it go
        reading.set()
        gate.wait(20)
        return real(gen)
    monkeypatch.setattr(X, "open_records", slow_read)
    app = VnExploreApp(None, tmp_path / "ix", config_path=tmp_path / "config.yaml")
    async with app.run_test() as pilot:
        await until(pilot, reading.is_set, "entity loading started")
        await pilot.press("slash", *"hanoi")
        await until(pilot, lambda: app.query_one("#hits").option_count,
                    "a search while the entities load (it waited for them)", tries=100)
        assert app.entities_ready is None
        worker = next(w for w in app.workers if w.group == "entities")
        await pilot.press("ctrl+q")
    gate.set()
    worker._thread.join(5) if getattr(worker, "_thread", None) else None
    for _ in range(100):
        if not worker.is_running:
            break
        threading.Event().wait(0.05)
    assert worker.is_cancelled and not worker.is_running
    assert app.entities_ready is None


def gen_chunks(gen: Path) -> list[str]:
    return [p.name for p in gen.glob("extracted-*.chunk")]


def test_commands_keep_their_results_for_the_next_one(tmp_path, capsys):
    """`entities`, `timeline`, `partners` print the same from what an earlier command kept."""
    from search.entities import extracted
    from tui.main import main
    ix = tmp_path / "ix"
    outputs = {}
    for cmd in (["entities", "--json"], ["timeline", "--json"], ["partners", "--json"],
                ["entities", "--type", "country", "--json"]):
        runs = []
        for _ in range(2):
            (ix / extracted.SUMMARY).unlink(missing_ok=True) if not runs else None
            assert main(["--index-dir", str(ix), *cmd]) == 0
            runs.append(capsys.readouterr().out)
            assert (ix / extracted.SUMMARY).exists()
        assert runs[0] == runs[1] and len(runs[0]) > 100
        outputs[cmd[0]] = runs[0]
    assert '"Vietnam"' in outputs["entities"]


# -- records per update (chunks), the kept entity index -------------------------------------
def _head(ix: Path) -> tuple[Path, dict]:
    import marshal
    from search.index import generations as R
    state, _ = R.read_state(ix)
    gen = ix / state.generation
    return gen, marshal.loads((gen / X.RECORDS).read_bytes())


def test_an_update_writes_only_its_own_records(tmp_path):
    """One changed file: the records of the other documents are not rewritten (their chunk
    is the earlier generation's very file), the new chunk holds that document alone."""
    corpus = synthetic(tmp_path / "c", 30)
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    gen0, head0 = _head(tmp_path / "ix")
    inode = (gen0 / head0["chunks"][0]).stat().st_ino
    target = sorted(corpus.rglob("*.md"))[7]
    target.write_text(target.read_text(encoding="utf-8") + "\n\nVietnam and Japan signed a "
                      "trade agreement in March 2019.\n", encoding="utf-8")
    report = engine.update()
    doc = report.changed[0]
    try:
        gen1, head1 = _head(tmp_path / "ix")
        assert gen1 != gen0 and len(head1["chunks"]) == 2
        assert (gen1 / head1["chunks"][0]).stat().st_ino == inode      # not written again
        assert list(X.open_records(gen1)._chunks[1].header) == [doc]
        assert head1["docs"][doc] == 1 and len(head1["docs"]) == 30
        assert any(ev.date.startswith("2019-03") and "Japan" in ev.partners
                   for ev in build_timeline(engine, K.load_entity_index(engine))
                   if any(v.doc == doc for v in ev.evidence))
    finally:
        engine.close()


def test_many_updates_merge_their_chunks_and_match_a_rebuild(tmp_path, monkeypatch):
    monkeypatch.setattr(X, "MAX_CHUNKS", 2)
    corpus = synthetic(tmp_path / "c", 40)
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    files = sorted(corpus.rglob("*.md"))
    for i in range(5):          # a change, an addition and a removal in each update
        files[i].write_text(files[20 + i].read_text(encoding="utf-8"), encoding="utf-8")
        shutil.copy(files[30 + i], corpus / f"added-{i}.md")
        files[10 + i].unlink()
        engine.update()
        gen, head = _head(tmp_path / "ix")
        assert len(head["chunks"]) <= 2
        assert sorted(p.name for p in gen.glob("extracted-*.chunk")) == sorted(head["chunks"])
    rebuilt = Engine([corpus], tmp_path / "ix-full")
    rebuilt.update()
    try:
        assert stored(engine) == stored(rebuilt) == fresh(rebuilt)
        assert X.open_records(gen).lower == X.open_records(_head(tmp_path / "ix-full")[0]).lower
    finally:
        engine.close()
        rebuilt.close()


def test_the_second_start_reads_the_kept_index_and_matches_the_first(tmp_path, monkeypatch):
    """What `load` keeps beside the index gives the same lists, mentions (with context),
    company, passages' mentions and timeline, without summing up the records again."""
    from search.entities import kept, summing
    corpus = synthetic(tmp_path / "c", 60)
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    try:
        first = kept.load(engine)[0]
        want = everything(engine, first)
        places = [(m.doc, m.passage) for e in first.entities()[:20] for m in first.mentions(e.name, 3)]
        read_again = E.extract([engine.document(d["id"]) for d in engine.documents()], G.load(None))
        want_in = [[m.to_dict() for m in read_again.in_passage(*p)] for p in places]
        assert [[m.to_dict() for m in first.in_passage(*p)] for p in places] == want_in

        def no_summing_up(*a, **k):
            raise AssertionError("the records were summed up again")
        monkeypatch.setattr(summing, "sum_up", no_summing_up)
        again = kept.load(engine)[0]
        assert isinstance(again, kept.KeptEntityIndex)
        assert everything(engine, again) == want == fresh(engine)
        assert [[m.to_dict() for m in again.in_passage(*p)] for p in places] == want_in
        assert want_in and all(want_in)
    finally:
        engine.close()


async def test_the_panes_show_progress_while_the_entities_are_summed_up(tmp_path, monkeypatch):
    """The first start after an update sums up the stored records: the panes say how far it
    is, then fill in when it is done."""
    from search.entities import summing
    from tui.app import VnExploreApp
    monkeypatch.setattr(summing, "PROGRESS_EVERY", 1)
    gate, held = threading.Event(), threading.Event()
    real = X.Records.items

    def slow_items(self):           # the real records, held after the second document
        for i, item in enumerate(real(self)):
            if i == 2:
                held.set()
                gate.wait(20)
            yield item
    monkeypatch.setattr(X.Records, "items", slow_items)
    app = VnExploreApp([bundled_seeds()], tmp_path / "ix", config_path=tmp_path / "config.yaml")
    try:
        async with app.run_test() as pilot:
            await until(pilot, held.is_set, "the entities summed up from the records", tries=400)
            await pilot.press("escape", "3")
            await pilot.pause(0.2)
            info = str(app.query_one("#entity-info").render())
            assert "Reading the entities… 2 of 4 documents" in info, info
            await pilot.press("4")
            await pilot.pause(0.2)
            assert "Reading the timeline… 2 of 4 documents" in str(app.query_one("#event-detail").render())
            gate.set()
            for _ in range(200):
                await pilot.pause(0.05)
                if app.entities_ready is not None:
                    break
            await pilot.pause(0.2)
            assert app.query_one("#events").option_count > 1
            await pilot.press("3")
            await pilot.pause(0.2)
            assert "Vietnam" in app.query_one("#entity-list").get_option_at_index(1).prompt.plain
    finally:
        gate.set()


async def test_quitting_while_indexing_in_the_apps_process_stops_the_indexing(tmp_path, monkeypatch):
    """Ctrl+Q during an update run in the app's own process ends it at the next file (it
    would otherwise hold the interpreter while the app shuts down); nothing is committed."""
    import time
    from search.index import generations as R
    from search.index import store
    from tui.app import VnExploreApp
    corpus = synthetic(tmp_path / "c", 40)
    real, read = store._read, []

    def slow_read(item, entity_names):       # the real reading, a file every 50 ms
        read.append(item[0].doc)
        time.sleep(0.05)
        return real(item, entity_names)
    monkeypatch.setattr(store, "_read", slow_read)
    app = VnExploreApp([corpus], tmp_path / "ix", config_path=tmp_path / "config.yaml")
    async with app.run_test() as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if len(read) >= 3:
                break
        worker = next(w for w in app.workers if w.group == "index")
        await pilot.press("ctrl+q")
    time.sleep(2.5)                 # time enough to read every file, were it still reading
    assert not worker.is_running
    assert len(read) < 40, f"{len(read)} of 40 files read after quit"
    assert R.read_state(tmp_path / "ix")[0] is None      # no generation was committed
