"""Search as you type in a process of its own (issue 13, item 9): the app works when it
cannot start, a killed one is reported and replaced, a stale answer never replaces a newer
one, a search typed past is stopped early, and quitting leaves no process behind."""
from __future__ import annotations

import os
import signal
import sys

import pytest

from search.engine import Engine
from search.paths import bundled_seeds
from search import searchproc
from helpers_app import make_app, search, settle, shown
from tui.messages import SearchDone
from tui.panes.search import SearchPane


@pytest.fixture
def process_on_small_index(monkeypatch):
    """The bundled articles are far below the size a search process is opened from."""
    monkeypatch.setattr(SearchPane, "server_from", 0)


def said(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_searches_run_in_a_process_that_quitting_ends(
        process_on_small_index, seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one("#search-pane")
        server = pane.server
        assert server is not None and server.alive() and server.pid != os.getpid()
        await search(pilot, "Algeria")
        assert server.answered >= 1                     # answered there, not here
        assert "1 passage matches all words" in shown(app, "#search-status")
        first = app.query_one("#hits").get_option_at_index(0).prompt
        assert "Vietnam elevates partnerships with Algeria" in first.plain
        pid = server.pid
    assert server.proc.poll() is not None and gone(pid)


async def test_a_small_index_is_searched_in_the_app(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "Algeria")
        assert app.query_one("#search-pane").server is None
        assert "1 passage matches all words" in shown(app, "#search-status")


async def test_a_killed_search_process_is_reported_restarted_and_search_still_works(
        process_on_small_index, seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        pane = app.query_one("#search-pane")
        old = pane.server
        os.kill(old.pid, signal.SIGKILL)
        old.proc.wait()
        await search(pilot, "Boeing")                    # searched here meanwhile
        assert pane.result.query.startswith("Boeing") and pane.result.hits
        assert "Boeing" in app.query_one("#hits").get_option_at_index(0).prompt.plain
        assert any("The search process stopped (killed by signal 9); restarting it." in m
                   for m in said(app))
        new = pane.server
        assert new is not None and new is not old and new.alive() and gone(old.pid)
        answered = new.answered
        await search(pilot, "\b" * 6 + "Algeria")        # and the new one answers again
        assert new.answered > answered
        assert "1 passage matches all words" in shown(app, "#search-status")
        pid = new.pid
    assert gone(pid)


@pytest.mark.parametrize("command, reason", [
    ([sys.executable, "-c", "import sys; sys.exit(3)"], "exit status 3"),
    (["/nonexistent/python3"], "cannot run /nonexistent/python3"),
])
async def test_when_the_search_process_cannot_start_the_app_searches_with_a_note(
        process_on_small_index, monkeypatch, seed_index_dir, tmp_path, command, reason):
    monkeypatch.setattr(SearchPane, "server_command", command)
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await search(pilot, "Algeria")
        assert app.query_one("#search-pane").server is None
        assert any(m.startswith("Searching inside the app: the search process could not "
                                f"start ({reason}") for m in said(app)), said(app)
        assert "1 passage matches all words" in shown(app, "#search-status")


async def test_an_answer_that_comes_after_a_newer_one_is_dropped(
        process_on_small_index, seed_index_dir, tmp_path):
    """The process is held (SIGSTOP) while "Boeing" is typed, then Enter searches it here;
    the process's answer for the first key, let go afterwards, must not replace it."""
    done = []

    def hook(message):
        if isinstance(message, SearchDone):
            done.append(message.seq)

    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot)
        pane = app.query_one("#search-pane")
        server = pane.server
        os.kill(server.pid, signal.SIGSTOP)
        try:
            await pilot.press("slash", *"Boeing")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            entered = pane._seq
            assert pane.result.query == "Boeing" and pane.result.hits
            assert not done or max(done) < entered
        finally:
            os.kill(server.pid, signal.SIGCONT)
        await settle(pilot)
        assert [s for s in done if s < entered]          # the stale answer did come...
        assert pane.result.query == "Boeing"              # ...and changed nothing
        assert "Boeing" in app.query_one("#hits").get_option_at_index(0).prompt.plain
        assert "start of a word" not in shown(app, "#search-status")


def test_a_search_the_user_typed_past_is_stopped_in_the_process(seed_index_dir):
    """SIGUSR1 stops the search at work (here it arrives inside the engine's search), the
    process answers {"superseded"} and serves on: its next answers are whole and right."""
    engine = Engine([bundled_seeds()], seed_index_dir)
    engine.update()

    class Interrupted:
        """The engine, with the app's stop arriving as a search starts."""
        def search(self, *args, **kwargs):
            os.kill(os.getpid(), signal.SIGUSR1)
            return engine.search(*args, **kwargs)

    before = signal.signal(signal.SIGUSR1, searchproc._stop)
    try:
        line = '{"text": "bamboo diplo", "prefix": "diplo", "limit": 20}'
        assert searchproc._answer(Interrupted(), line) == {"superseded": True}
        assert not searchproc._searching
        answer = searchproc._answer(engine, line)
        os.kill(os.getpid(), signal.SIGUSR1)         # when idle, a stop is ignored
    finally:
        signal.signal(signal.SIGUSR1, before)
    want, prefix = searchproc.search_as_typed(engine, "bamboo diplo", "diplo", limit=20)
    assert answer["prefix"] == prefix == "diplo" and want.hits
    assert searchproc.result_from(answer["result"]) == want
    engine.close()


def test_cancel_sends_nothing_when_no_search_is_asked(seed_index_dir):
    server = searchproc.SearchProcess([bundled_seeds()], seed_index_dir)
    server.start()
    try:
        assert server.wait_ready() == 63
        assert server.cancel() is False              # nothing asked: nothing to stop
        result, prefix = server.search("Algeria")
        assert result.total == 1 and prefix == ""
        assert server.alive()
    finally:
        server.close()
    assert not server.alive()


async def test_a_key_in_the_query_box_repaints_it_without_laying_out_the_screen(
        seed_index_dir, tmp_path, monkeypatch):
    """A layout of the whole screen costs as much as a search's rows: a key typed (the box
    is one line whatever its text) must not ask for one. Long queries still scroll."""
    from textual.widget import Widget
    asked = []
    real = Widget.refresh

    def refresh(self, *regions, layout=False, **kwargs):
        if layout and self.id == "query":
            asked.append(self.value)
        return real(self, *regions, layout=layout, **kwargs)

    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Widget, "refresh", refresh)
        engine, app.state.engine = app.state.engine, None      # keys only: no results to lay out
        text = " ".join(f"word{i}" for i in range(20))       # wider than the box
        await pilot.press("slash", *text)
        await pilot.pause(0.1)
        box = app.query_one("#query")
        assert box.value == text and asked == []
        app.state.engine = engine
        assert box.scroll_offset.x > 0                           # the end, where one types
        assert box.scroll_offset.x + box.scrollable_content_region.width >= len(text)
        await pilot.press("home")
        await pilot.pause()
        assert box.scroll_offset.x == 0


def test_the_search_process_imports_no_textual():
    import subprocess
    code = ("import sys, search.searchproc, search.engine, search.entities.mentions\n"
            "sys.exit(1 if any(m.split('.')[0] == 'textual' for m in sys.modules) else 0)\n")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


async def test_what_the_session_keeps_is_out_of_the_collectors_way_until_quitting(
        seed_index_dir, tmp_path):
    """At 10,000 articles the entity index is a million objects: a full collection walked
    them all (1.7 s) while keys waited. Loaded, they are frozen; quitting lets them go."""
    import gc
    gc.unfreeze()
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(50):
            if app.entities_ready is not None:
                break
            await pilot.pause(0.1)
        await pilot.pause()
        assert app.state.entity_index is not None and gc.get_freeze_count() > 0
        await search(pilot, "Algeria")                   # and the app works on
        assert "1 passage matches all words" in shown(app, "#search-status")
    assert gc.get_freeze_count() == 0
