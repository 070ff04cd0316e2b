"""Traps an analyst must never meet (issue 13, items 1-3): article text that becomes markup or
clickable actions, a pager that hangs the app, a copy that claims what it cannot know."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from textual.command import CommandList
from textual.drivers.headless_driver import HeadlessDriver

from conftest import write_files
from helpers_app import make_app, no_controls, screen_text, search, settle
from tui.help import HelpScreen

TITLE = "Markup [bold red]test[/] :smile: [@click=app.quit]quit[/]"
PARTNER = "Zq[b]land[/b]"
PERSON = "[@click=app.quit]Minister[/]"
FILE = "[@click=app.quit]file[b]x[-b]"
ARTICLE = f"""---
title: "{TITLE}"
date: 2024-05-01
authors: ["[i]Nguyen[/i] :smile:"]
source: "[@click=app.bell]Src[/]"
---
Vietnam and {PARTNER} established a comprehensive strategic partnership in March 2024, said
{PERSON} :smile: officials.

Vietnam and {PARTNER} signed a trade agreement on 3 April 2024 in Hanoi.
"""
ENTITIES = f"""country:
- name: "{PARTNER}"
person:
- name: "{PERSON}"
"""


@pytest.fixture
def hostile(tmp_path):
    corpus = write_files(tmp_path / "corpus", {f"{FILE}.md": ARTICLE})
    entities = tmp_path / "ents.yaml"
    entities.write_text(ENTITIES, encoding="utf-8")
    config = tmp_path / "[b]cfg" / "config.yaml"
    config.parent.mkdir()
    config.write_text("keys: '[@click=app.quit]quit[/]'\n")
    from tui.app import VnExploreApp
    return VnExploreApp([corpus], tmp_path / "ix", [entities], config_path=config)


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def click_on(pilot, word: str, line_with: str) -> None:
    """Click on `word` where it shows on the screen, in the row that also shows `line_with`."""
    rows = screen_text(pilot.app).split("\n")
    y = next(i for i, row in enumerate(rows) if line_with in row and word in row)
    await pilot.click(offset=(rows[y].index(word, rows[y].index(line_with)) + 1, y))
    await pilot.pause()


async def test_hostile_titles_names_files_and_settings_show_literally_everywhere(
        hostile, monkeypatch):
    app = hostile
    monkeypatch.setenv("PAGER", "nosuchpager")
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await settle(pilot)
        assert any("[b]cfg" in t for t in toasts(app))      # a config problem, as a toast
        assert "[b]cfg" in screen_text(app)
        # Search: the title in the hit list
        await search(pilot, "Zqland")
        await search(pilot, "\b" * 6 + "trade")
        assert "[bold red]test[/] :smile: [@click=app.quit]quit[/]" in screen_text(app)
        # Reader: title, authors, source, passage text
        await pilot.press("enter", "enter")
        await settle(pilot)
        screen = screen_text(app)
        for part in (TITLE, "[i]Nguyen[/i] :smile:", "[@click=app.bell]Src[/]", PARTNER, FILE):
            assert part in screen, part
        await click_on(pilot, "quit", "Markup")
        assert app.is_running
        # A toast naming the file (the pager is missing)
        await pilot.press("o")
        await pilot.pause()
        assert any(FILE in t for t in toasts(app))
        assert FILE in screen_text(app)
        # The command palette: documents, entities, events
        await pilot.press("ctrl+p", *"Markup")
        for _ in range(50):
            await pilot.pause(0.02)
            lists = app.screen.query(CommandList)
            if lists and lists.first().option_count:
                break
        assert TITLE in screen_text(app)
        await click_on(pilot, "quit", "Markup")        # chooses the entry: opens, never quits
        await settle(pilot)
        assert app.is_running and app.query_one("#reader-pane").doc.title == TITLE
        await pilot.press("ctrl+p", *"entity: zq")
        await pilot.pause(0.3)
        assert PARTNER in screen_text(app)
        await pilot.press("escape")
        # Entities: the list, the side panel and the mentions
        await pilot.press("3", "slash", *"Zq", "enter")
        await settle(pilot)
        screen = screen_text(app)
        assert PARTNER in screen and "[@click=app.quit]Minister[/]" in screen
        # Timeline: events, the detail with its quote, the partner's ladder
        await pilot.press("4", "slash", *"Zq", "enter")
        await settle(pilot)
        screen = screen_text(app)
        assert f"{PARTNER}: now comprehensive strategic partnership" in screen   # ladder
        assert f"{PARTNER} [comprehensive strategic partnership]" in screen      # the list
        assert PERSON in screen and FILE in screen                              # evidence
        # Help: the settings path
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "[b]cfg" in screen_text(app)
        await pilot.press("escape")
        assert no_controls(screen_text(app))
        assert app.is_running and app.return_code is None


class SuspendableDriver(HeadlessDriver):
    """The test driver, able to hand the terminal over like a real one, and saying whether
    it got it back."""
    suspended = False

    @property
    def can_suspend(self) -> bool:
        return True

    def suspend_application_mode(self) -> None:
        self.suspended = True

    def resume_application_mode(self) -> None:
        self.suspended = False


async def open_boeing(pilot):
    await search(pilot, "Boeing")
    await pilot.press("enter", "enter")
    await settle(pilot)
    return pilot.app.query_one("#reader-pane")


@pytest.mark.parametrize("pager, message", [
    ("nosuchpager", "nosuchpager: no such program"),
    ("false", "false: it exited with status 1"),
    ("'unbalanced", "is empty or unreadable"),
])
async def test_a_missing_or_failing_pager_gives_a_message_and_the_app_comes_back(
        seed_index_dir, tmp_path, monkeypatch, pager, message):
    monkeypatch.setenv("PAGER", pager)
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app._driver.__class__ = SuspendableDriver
        reader = await open_boeing(pilot)
        before = reader.passage
        await pilot.press("o")
        await pilot.pause()
        assert not app._driver.suspended, "the terminal was never given back to the app"
        said = [t for t in toasts(app) if reader.doc.path in t]
        assert said and message in said[-1], toasts(app)
        await pilot.press("right_square_bracket")            # and the app still works
        assert reader.passage == before + 1 and app.is_running


async def test_o_opens_the_pager_at_the_passage_line(seed_index_dir, tmp_path, monkeypatch):
    args = tmp_path / "args"
    less = tmp_path / "bin" / "less"                          # a pager that notes its argv
    less.parent.mkdir()
    less.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{args}"\n')
    less.chmod(0o755)
    monkeypatch.setenv("PAGER", str(less))
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app._driver.__class__ = SuspendableDriver
        reader = await open_boeing(pilot)
        await pilot.press("o")
        await pilot.pause()
        plus, path = args.read_text().split("\n")[:2]
        assert path == reader.doc.path and plus.startswith("+")
        line = open(path, encoding="utf-8").read().split("\n")[int(plus[1:]) - 1]
        text = reader.current_passage().text
        assert " ".join(text.split()[:5]) in " ".join(line.split()), (line, text)
        assert not [t for t in toasts(app) if "Cannot open" in t]


async def test_copy_says_what_was_done_and_cites_the_authors(seed_index_dir, tmp_path,
                                                              monkeypatch):
    monkeypatch.delenv("TMUX", raising=False)
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_boeing(pilot)
        assert reader.doc.authors
        await pilot.press("c")
        assert ", ".join(reader.doc.authors) in app.clipboard
        said = toasts(app)[-1]
        assert "sent to the terminal clipboard" in said and "Copied" not in said


@pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux")
async def test_copy_inside_tmux_loads_tmux_paste_buffer(seed_index_dir, tmp_path, monkeypatch):
    sock = str(tmp_path / "tmux.sock")
    tmux = ["tmux", "-S", sock]
    subprocess.run([*tmux, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24"],
                   check=True)
    try:
        pid = subprocess.run([*tmux, "display", "-p", "#{pid}"], capture_output=True,
                             text=True, check=True).stdout.strip()
        monkeypatch.setenv("TMUX", f"{sock},{pid},0")
        app = make_app(seed_index_dir, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_boeing(pilot)
            await pilot.press("c")
            buffer = subprocess.run([*tmux, "show-buffer"], capture_output=True, text=True)
            assert buffer.stdout == app.clipboard and "passage" in buffer.stdout
            assert "tmux's paste buffer" in toasts(app)[-1]
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
