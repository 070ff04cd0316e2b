"""Driving the app in tests: the Pilot sequences every app test shares."""
from __future__ import annotations

from textual.command import CommandList
from textual.widgets import Static

from tui.app import VnExploreApp


def make_app(index_dir, tmp_path, folders=None, config_text=None) -> VnExploreApp:
    path = tmp_path / "config" / "config.yaml"
    if config_text is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(config_text)
    return VnExploreApp(folders, index_dir, config_path=path)


async def settle(pilot) -> None:
    """Wait until the index, the search as you type and the reader have finished."""
    app = pilot.app
    for _ in range(100):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        search = app.query_one("#search-pane")
        busy = search.pending or search._timer is not None or app.engine is None
        if not busy and not any(w.is_running for w in app.workers):
            return
        await pilot.pause(0.05)
    raise AssertionError("the app did not settle")


async def until(pilot, done, what: str, tries: int = 200) -> None:
    """Wait (pausing 50 ms at a time) until done() is true; else fail naming what."""
    for _ in range(tries):
        await pilot.pause(0.05)
        if done():
            return
    raise AssertionError(f"never: {what}")


async def search(pilot, text: str) -> None:
    await settle(pilot)
    if not pilot.app.query_one("#query").has_focus:
        await pilot.press("slash")
    await pilot.press(*["backspace" if c == "\b" else c for c in text])
    await settle(pilot)


def shown(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def open_first_hit(pilot, text: str):
    await search(pilot, text)
    await pilot.press("enter", "enter")
    await settle(pilot)
    return pilot.app.query_one("#search-pane").result.hits[0]


async def palette_wait(pilot, text: str) -> None:
    """Type into the command palette and wait for its (background) matches."""
    await pilot.press("ctrl+p", *text)
    for _ in range(50):
        await pilot.pause(0.02)
        lists = pilot.app.screen.query(CommandList)
        if lists and lists.first().option_count:
            break


async def palette_pick(pilot, text: str) -> None:
    """Type into the command palette, wait for its matches, take the first."""
    await palette_wait(pilot, text)
    await pilot.press("down", "enter")
    await settle(pilot)


async def open_pane(pilot, key: str) -> None:
    """From wherever focus is, go to a pane by its number key (1-4) once the app is idle."""
    await settle(pilot)
    await pilot.press("escape", key)
    await settle(pilot)


def screen_text(app) -> str:
    """What the terminal would show, row by row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def no_controls(text: str) -> bool:
    return not [c for c in text if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
