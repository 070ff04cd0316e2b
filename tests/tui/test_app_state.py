"""The app's messages and state (issue 11): typed messages in one module, progress that does
not flood the screen, one state object the panes read."""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

from textual.message import Message

import tui
import tui.panes
from helpers_app import make_app, settle
from tui.messages import IndexProgress
from tui.state import AppState


def tui_messages() -> dict[str, type]:
    """Every Message class defined in tui/, module level or inside a class."""
    found = {}
    modules = [*pkgutil.iter_modules(tui.__path__, "tui."),
               *pkgutil.iter_modules(tui.panes.__path__, "tui.panes.")]
    for info in modules:
        module = importlib.import_module(info.name)
        classes = [c for c in vars(module).values() if inspect.isclass(c)]
        classes += [n for c in list(classes) for n in vars(c).values() if inspect.isclass(n)]
        for c in classes:
            if issubclass(c, Message) and c.__module__.startswith("tui"):
                found[f"{c.__module__}.{c.__qualname__}"] = c
    return found


def test_every_message_the_app_posts_is_a_typed_dataclass_in_one_module():
    found = tui_messages()
    assert len(found) >= 8, sorted(found)
    assert [name for name in found if not name.startswith("tui.messages.")] == []
    for name, cls in found.items():
        assert dataclasses.is_dataclass(cls), name
        assert all(f.type for f in dataclasses.fields(cls)), name


def test_open_passage_carries_the_place_it_opens():
    from tui.history import Place
    from tui.messages import OpenPassage
    place = Place("d1", 3, "trade", marks=((3, 0, 5),), at=0)
    assert OpenPassage(place).place is place
    assert [f.name for f in dataclasses.fields(OpenPassage)] == ["place"]


async def test_progress_waiting_in_the_queue_is_replaced_by_the_newest(seed_index_dir, tmp_path):
    """A first build of 10,000 files posts 10,000 progress messages: the screen shows the
    newest and skips those it had no time for, and the bar ends where the files do."""
    handled = []
    app = make_app(seed_index_dir, tmp_path)
    hook = (lambda m: handled.append((m.done, m.total)) if isinstance(m, IndexProgress) else None)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot)
        handled.clear()
        for done in range(1, 1001):                   # faster than the screen takes them
            app.post_message(IndexProgress(done, 1000))
        await pilot.pause()
        await pilot.pause()
        bar = app.query_one("#progress")
        assert (bar.progress, bar.total) == (1000, 1000)
        assert handled[-1] == (1000, 1000) and len(handled) < 10


async def test_the_panes_read_one_state_the_app_hands_them(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "3", "4", "1")           # Entities and Timeline are made
        await settle(pilot)
        state = app.state
        assert isinstance(state, AppState) and state.engine is app.engine is not None
        panes = [app.query_one(f"#{n}-pane") for n in ("search", "reader", "entities",
                                                           "timeline")]
        for widget in [*panes, app.query_one("#related")]:
            assert widget.state is state, widget.id
        assert state.titles and state.summary.startswith("63 passages in 4 documents")
        # what the panes show comes from it: the palette's documents, a list's titles
        doc, (title, _) = next(iter(state.titles.items()))
        assert state.place_label(doc, 2).plain.startswith(title)


def test_no_pane_reads_the_apps_attributes_by_name():
    import re
    from pathlib import Path
    root = Path(tui.__file__).parent
    by_name = re.compile(r"getattr\(self\.app\b|\bapp\.(engine|entity_index|events|titles|"
                         r"summary|wide|history)\b")
    for path in [*root.glob("panes/*.py"), root / "commands.py", root / "help.py"]:
        found = [line for line in path.read_text().splitlines() if by_name.search(line)]
        assert found == [], path.name
