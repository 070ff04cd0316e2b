"""What each pane looks like at 80x24 (one pane at a time) and 160x48 (side by side)."""
import pytest
from textual.widgets import Input

from helpers_app import make_app, open_pane, search, settle

SIZES = [(80, 24), (160, 48)]


async def _search(pilot):
    await search(pilot, "strategic partnership")


async def _reader(pilot):
    await search(pilot, "Boeing")
    await pilot.press("enter", "enter")
    await settle(pilot)


async def _related(pilot):
    await _reader(pilot)
    await pilot.press("r")
    await settle(pilot)


async def _entities(pilot):
    await open_pane(pilot, "3")
    await pilot.press("j", "j")
    await pilot.pause()


async def _timeline(pilot):
    await open_pane(pilot, "4")
    await pilot.press("j")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("pane", [_search, _reader, _related, _entities, _timeline],
                         ids=lambda f: f.__name__.strip("_"))
def test_pane_looks_right(snap_compare, seed_index_dir, tmp_path, pane, size):
    app = make_app(seed_index_dir, tmp_path)

    async def steady(pilot):
        await pane(pilot)
        for box in app.query(Input):          # a blinking cursor would make the picture flaky
            box.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=steady)
