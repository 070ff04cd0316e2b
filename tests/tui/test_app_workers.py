"""The panes' workers (issue 11): a failing engine call is said in one line and the app keeps
working; an answer a newer request superseded is never shown.

The engine here is the real one over the bundled articles. It repairs or rebuilds around every
failure of its files we could cause (index or corpus folder removed or replaced, damaged
files), so the failure is raised at its method, as a disk or network share gives it: EIO.
Superseded answers are made late by holding a real call until the test lets it go."""
from __future__ import annotations

import errno
import threading

from helpers_app import make_app, open_first_hit, settle, shown, until
from tui.history import Place
from tui.messages import OpenPassage


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def failing(monkeypatch, engine, method: str) -> None:
    def fail(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr(engine, method, fail)


def held(monkeypatch, engine, method: str, doc: str) -> threading.Event:
    """Hold the real `method` for `doc` until the returned event is set."""
    gate, real = threading.Event(), getattr(engine, method)

    def slow(doc_id, *args, **kwargs):
        if doc_id == doc:
            gate.wait(30)
        return real(doc_id, *args, **kwargs)
    monkeypatch.setattr(engine, method, slow)
    return gate


async def test_a_document_that_cannot_be_read_is_said_and_the_reader_keeps_working(
        seed_index_dir, tmp_path, monkeypatch):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        hit = await open_first_hit(pilot, "Boeing")
        reader = app.query_one("#reader-pane")
        other = next(d["id"] for d in app.engine.documents() if d["id"] != hit.doc)
        failing(monkeypatch, app.engine, "document")
        app.post_message(OpenPassage(Place(other, 1)))
        await settle(pilot)
        said = [t for t in toasts(app) if t.startswith("Cannot open")]
        assert len(said) == 1 and "\n" not in said[0]
        assert f"({other}) §1: [Errno 5] Input/output error" in said[0]
        assert app.is_running and reader.display
        assert reader.doc.id == hit.doc and reader.place.doc == hit.doc   # what was shown stays
        before = reader.passage
        await pilot.press("left_square_bracket")                          # and still moves
        assert reader.passage == before - 1 and f"§{before - 1} of" in shown(app, "#reader-status")
        monkeypatch.undo()                                                # the disk is back
        app.post_message(OpenPassage(Place(other, 1)))
        await settle(pilot)
        assert reader.doc.id == other


async def test_related_passages_that_cannot_be_found_are_said_in_the_panel(
        seed_index_dir, tmp_path, monkeypatch):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        hit = await open_first_hit(pilot, "Boeing")
        failing(monkeypatch, app.engine, "related")
        await pilot.press("r")
        await settle(pilot)
        related = app.query_one("#related")
        line = f"Cannot find passages related to §{hit.passage}: [Errno 5] Input/output error"
        assert line in toasts(app)
        assert related.display and related.option_count == 1
        assert str(related.get_option_at_index(0).prompt) == line     # not "Finding…" forever
        assert app.is_running
        monkeypatch.undo()
        await pilot.press("r", "r")                                   # closed, opened again
        await settle(pilot)
        assert "More like this" in str(related.get_option_at_index(0).prompt)


async def test_an_open_overtaken_by_another_never_shows(seed_index_dir, tmp_path, monkeypatch):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first, second = [d["id"] for d in app.engine.documents()][:2]
        gate = held(monkeypatch, app.engine, "document", first)
        reader = app.query_one("#reader-pane")
        app.post_message(OpenPassage(Place(first, 1)))
        await pilot.pause(0.2)
        app.post_message(OpenPassage(Place(second, 1)))        # the user went on meanwhile
        await until(pilot, lambda: reader.doc is not None, "the second document shown")
        assert reader.doc.id == second
        gate.set()                                               # the first answer comes late
        await settle(pilot)
        await pilot.pause(0.2)
        assert reader.doc.id == second and reader.place.doc == second
        assert app.titles[second][0] in shown(app, "#reader-title")


async def test_related_passages_overtaken_by_a_newer_request_never_show(
        seed_index_dir, tmp_path, monkeypatch):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        hit = await open_first_hit(pilot, "Boeing")
        other = next(d["id"] for d in app.engine.documents() if d["id"] != hit.doc)
        wanted = [(h.doc, h.passage) for h in app.engine.related(other, 1, limit=8) or []]
        assert wanted
        gate = held(monkeypatch, app.engine, "related", hit.doc)
        await pilot.press("r")                  # held: the panel says it is looking
        await pilot.pause(0.2)
        related = app.query_one("#related")
        assert "Finding passages related" in str(related.get_option_at_index(0).prompt)
        app.post_message(OpenPassage(Place(other, 1)))     # the panel follows the new passage
        await until(pilot, lambda: any("More like this" in str(o.prompt)
                                       for o in related.options),
                    "related passages of the new document")
        gate.set()
        await settle(pilot)
        await pilot.pause(0.2)
        assert related.targets[:len(wanted)] == wanted
        assert app.query_one("#reader-pane").doc.id == other


async def test_a_burst_of_opens_ends_on_the_last_one(seed_index_dir, tmp_path):
    """Holding Enter on the palette, or n racing through results: twelve opens in a row,
    each overtaking the one before; the Reader ends on the last, and Back still works."""
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        docs = [d["id"] for d in app.engine.documents()]
        places = [Place(docs[i % len(docs)], 1 + i % 3, "Vietnam") for i in range(12)]
        for place in places:
            app.post_message(OpenPassage(place))
        await settle(pilot)
        reader = app.query_one("#reader-pane")
        assert (reader.doc.id, reader.passage) == (places[-1].doc, places[-1].passage)
        assert reader.hit_query == "Vietnam" and reader.matches
        assert not [t for t in toasts(app) if t.startswith("Cannot")]
        await pilot.press("b")
        await settle(pilot)
        assert (reader.doc.id, reader.passage) == (places[-2].doc, places[-2].passage)
