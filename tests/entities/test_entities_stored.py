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
from search.entities import gazetteer as G
from search.engine import Engine
from search.paths import bundled_seeds
from search.timeline.build import build_timeline, ladder

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
    index = E.load_entity_index(engine)
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
    before = E.load_entity_index(engine, [extra]).entity("Ruritania")
    assert before is None or before.type != "country"
    engine.close()
    extra.write_text("entities:\n  - name: Ruritania\n    type: country\n", encoding="utf-8")
    engine = Engine([corpus], tmp_path / "ix", E.index_hook([extra]))
    report = engine.update()
    try:
        assert report.built
        index = E.load_entity_index(engine, [extra])
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
    records, _ = engine.store.extracted()
    assert sorted(records) == sorted(d["id"] for d in engine.documents())
    engine.close()


# -- the app: the first screen never waits for the entities; quitting ends their loading --------
async def test_first_screen_before_entities_and_quit_ends_their_loading(tmp_path, monkeypatch):
    from tui.app import VnExploreApp
    gate, reading = threading.Event(), threading.Event()
    real = X.read

    def slow_read(gen):             # the real read, held until the test lets it go
        reading.set()
        gate.wait(20)
        return real(gen)
    monkeypatch.setattr(X, "read", slow_read)
    app = VnExploreApp(None, tmp_path / "ix", config_path=tmp_path / "config.yaml")
    async with app.run_test() as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if reading.is_set():
                break
        assert reading.is_set(), "entity loading did not start"
        await pilot.press("slash", *"hanoi")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.query_one("#hits").option_count:
                break
        assert app.query_one("#hits").option_count, "search waited for the entities"
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
