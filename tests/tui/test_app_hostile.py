"""Articles that try to style, link, move the cursor or overflow: the app shows them literally."""
from __future__ import annotations

import pytest

from conftest import write_files
from helpers_app import make_app, no_controls, screen_text, search, settle, shown

LONG = "long" + "o" * 3000 + "word"
HOSTILE = ("Mekong [bold]Bold?[/] [link=http://e.x]y[/link] [red]x[/red] "
           "\x1b[2J\x1b[31mclear\x1b[0m \x1b]0;pwned title\x07 \x1b]8;;http://evil\x1b\\osc8"
           "\x1b]8;;\x1b\\ bell\x07 back\x08 vt\x0b del\x7f csi\x9b31m nul\x00 "
           "RTL \u202eevil\u202c Arabic \u0645\u0631\u062d\u0628\u0627 zero\u200bwidth "
           f"\u2066isolate\u2069 {LONG} end.\n\n"
           "Second passage about the Mekong, with [italic]more[/italic] markup.\n")
LITERAL = ["[bold]Bold?[/]", "[link=http://e.x]y[/link]", "[red]x[/red]",
           "\u202eevil\u202c", "\u0645\u0631\u062d\u0628\u0627", "zero\u200bwidth"]


@pytest.fixture
def corpus(tmp_path):
    return write_files(tmp_path / "corpus", {
        "hostile.txt": HOSTILE,
        "front.md": "---\ntitle: \"[bold]T\\e[31mitle\\a\"\n---\nMekong front matter body.\n",
    })


async def test_markup_escapes_and_odd_characters_are_shown_literally(corpus, tmp_path):
    app = make_app(tmp_path / "ix", tmp_path, folders=[corpus])
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "Mekong")
        hits = app.query_one("#search-pane").result.hits
        assert {h.doc for h in hits} == {"hostile", "front"}
        first = str(app.query_one("#hits").get_option_at_index(0).prompt)
        screen = screen_text(app)
        assert "[bold]Bold?[/]" in screen and "[link=http://e.x]y[/link]" in screen
        assert "[bold]Title" in screen or "[bold]Title" in first     # the title too
        assert no_controls(screen)
        index = next(i for i, h in enumerate(hits) if (h.doc, h.passage) == ("hostile", 1))
        await pilot.press("enter", *["down"] * index, "enter")
        await settle(pilot)
        reader = app.query_one("#reader-pane")
        assert (reader.doc.id, reader.passage) == ("hostile", 1)
        text = shown(app, "#p-1")
        for part in LITERAL:
            assert part in text, part
        assert no_controls(text)
        rest = "".join(shown(app, f"#p-{p.number}").removeprefix(f"§{p.number} ")
                       for p in reader.doc.passages[1:])
        assert LONG in rest                 # the engine cuts it into passages; none is lost
        screen = screen_text(app)
        assert "[bold]Bold?[/]" in screen and "[link=http://e.x]y[/link]" in screen
        assert "o" * 60 in screen                        # the long word, wrapped, not lost
        assert no_controls(screen)
        await pilot.press("r")                           # related passages and the copy too
        await settle(pilot)
        await pilot.press("c")
        assert "[bold]Bold?[/]" in app.clipboard and "\x1b" not in app.clipboard


@pytest.mark.parametrize("pane", ["1", "2", "3", "4"])
async def test_a_tiny_terminal_does_not_break_any_pane(corpus, tmp_path, pane):
    app = make_app(tmp_path / "ix", tmp_path, folders=[corpus])
    async with app.run_test(size=(40, 12)) as pilot:
        await search(pilot, "Mekong")
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("escape", "escape", pane, "j", "j", "enter")
        await settle(pilot)
        assert no_controls(screen_text(app))
        assert app.is_running and app.return_code is None
