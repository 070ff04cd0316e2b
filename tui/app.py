"""The vnexplore app: panes over the engine, index built in a worker, history, help, config."""
from __future__ import annotations

import gc
import sys

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Footer, Label, ProgressBar, Tab, Tabs

from tui import config as cfg
from tui.commands import PaletteCommands
from tui.help import HelpScreen
from tui.history import Place
from tui.messages import (DocumentsReady, EntitiesProgress, EntitiesReady, IndexFailed,
                          IndexProgress, IndexReady, OpenPassage)
from tui.panes.reader import Passages, ReaderPane
from tui.panes.search import SearchPane
from tui.state import AppState

PANES = ("search", "reader", "entities", "timeline")
WIDE = 160
NARROW = 60


class VnExploreApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "vnexplore"
    COMMANDS = App.COMMANDS | {PaletteCommands}
    BINDINGS = [
        Binding("q,ctrl+q", "quit", "Quit", id="app.quit"),   # ctrl+q also while typing
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, priority=True,
                id="app.next_pane"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, priority=True,
                id="app.previous_pane"),
        Binding("1", "show_pane('search')", "Search", show=False, id="app.pane_search"),
        Binding("2", "show_pane('reader')", "Reader", show=False, id="app.pane_reader"),
        Binding("3", "show_pane('entities')", "Entities", show=False, id="app.pane_entities"),
        Binding("4", "show_pane('timeline')", "Timeline", show=False, id="app.pane_timeline"),
        Binding("b,alt+left", "back", "Back", show=False, id="app.back"),
        Binding("f,alt+right", "forward", "Forward", show=False, id="app.forward"),
    ]

    def __init__(self, folders=None, index_dir=None, entity_files=None,
                 config_path: Path | None = None) -> None:
        self.state = AppState(cfg.load(config_path),      # what the panes read
                              entity_files=list(entity_files or []))
        super().__init__()
        self.folders = [Path(f) for f in folders] if folders else None
        self.index_dir = Path(index_dir) if index_dir else None
        self.entity_files = list(entity_files or [])
        self._preparing = None             # the engine being opened or updated
        self.entities_ready: EntitiesReady | None = None     # kept for panes mounted later
        self.entities_progress: tuple[int, int] | None = None     # (done, total) while loading
        self.pane = "search"
        self.set_keymap(self.state.config.keys)

    # Read-only views of the state, for scripts and tests (the panes read `state`).
    config = property(lambda self: self.state.config)
    engine = property(lambda self: self.state.engine)
    entity_index = property(lambda self: self.state.entity_index)
    events = property(lambda self: self.state.events)
    titles = property(lambda self: self.state.titles)
    history = property(lambda self: self.state.history)
    summary = property(lambda self: self.state.summary)

    def compose(self) -> ComposeResult:
        yield Tabs(Tab("1 Search", id="tab-search"), Tab("2 Reader", id="tab-reader"),
                   Tab("3 Entities", id="tab-entities"), Tab("4 Timeline", id="tab-timeline"),
                   id="tabs")
        with Vertical(id="loading"):
            yield Label("Indexing the articles (first run, or files changed)…", id="loading-label")
            yield ProgressBar(id="progress", show_eta=False)
        with Horizontal(id="panes"):
            yield SearchPane(self.state, id="search-pane")
            yield ReaderPane(self.state, id="reader-pane")
            # Entities and Timeline are built when first shown (_pane): a faster first paint
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.state.config.theme in self.available_themes:
            self.theme = self.state.config.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        problem = self.state.config.problem
        if problem:
            self.notify(problem + "; using default settings", severity="warning")
        self.query_one("#tabs", Tabs).can_focus = False
        self._arrange()
        self.query_one("#query").focus()
        self.call_after_refresh(self._prepare)     # after the first paint: no GIL contest

    def on_unmount(self) -> None:
        """Let go of the index, so the next update can sweep the copies it replaced."""
        gc.unfreeze()                     # what the session kept can be collected again
        if self.state.engine is not None:    # (one still being opened closes itself: _prepare)
            self.state.engine.close()
        elif self._preparing is not None:   # a big update in a child process: end it now
            self._preparing.store.stop()

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Markup is off unless asked for: messages carry file names, titles, config values."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _remember_theme(self, theme) -> None:
        config = self.state.config
        config.theme = theme.name
        try:
            config.save()
        except OSError as e:
            self.notify(f"Cannot save the theme to {config.path}: {e}", severity="warning")

    # -- the index ------------------------------------------------------------
    @work(thread=True, exclusive=True, group="index")
    def _prepare(self) -> None:
        from search.engine import Engine
        from search.entities.mentions import index_hook
        from search.model import Stopped
        from textual.worker import get_current_worker
        worker = get_current_worker()

        def progress(done: int, total: int, _) -> None:
            if worker.is_cancelled:     # quitting: end the update now (a child build is
                engine.store.stop()     # killed; one in this process stops at this file), or
                raise Stopped()         # it holds the GIL while the app shuts down
            self.post_message(IndexProgress(done, total))
        try:
            engine = self._preparing = Engine(self.folders, self.index_dir,
                                              index_hook(self.entity_files or None))
            report = engine.update(progress=progress)
            if worker.is_cancelled:             # the app quit while indexing
                engine.close()
                return
        except Stopped:                 # the index is crash-safe: this update never happened
            engine.close()
            return
        except Exception as e:          # the index cannot be opened or written: say why
            self.post_message(IndexFailed(str(e) or e.__class__.__name__))
            return
        self.post_message(IndexReady(engine, report))     # the first screen: search now
        try:                            # then the documents' titles (for lists naming places)
            docs = engine.documents()
        except Exception as e:
            self.post_message(DocumentsReady(None, {}, str(e) or e.__class__.__name__))
            return
        self.post_message(DocumentsReady(len(docs), {d["id"]: (d["title"] or "", d["date"])
                                                     for d in docs}))

    def on_index_progress(self, message: IndexProgress) -> None:
        self.query_one("#progress", ProgressBar).update(total=message.total,
                                                        progress=message.done)

    def on_index_failed(self, message: IndexFailed) -> None:
        self.query_one("#loading-label", Label).update(
            Text(f"The index cannot be used: {message.error}", style="bold red"))
        self.query_one("#progress", ProgressBar).display = False

    def on_index_ready(self, message: IndexReady) -> None:
        self.state.engine = message.engine
        if message.titles:
            self.state.titles = message.titles
        self.query_one("#loading").display = False
        self._summarise(message.documents)
        search = self.query_one(SearchPane)
        search.start_server()                 # searches as you type, off the screen's thread
        if search.query_text:
            search.run_search()
        for m in message.report.messages:    # rebuilt, served from memory, or not the newest
            self.notify(m[0].upper() + m[1:] + ".", title="The index", severity="warning",
                        timeout=10, markup=False)
        self._load_entities()

    def on_documents_ready(self, message: DocumentsReady) -> None:
        self.state.titles = message.titles
        if message.error:
            self.notify(f"Cannot list the documents: {message.error}", severity="warning")
        self._summarise(message.documents)

    def _summarise(self, documents: int | None) -> None:
        """The Search pane's line when no query: what the index holds, and its problems."""
        report = self.state.engine.report
        held = f"{report.passages} passages" + (f" in {documents} documents" if documents
                                                 is not None else "")
        lines = [f"{held}. Type to search; ? for help."]
        lines += [f"⚠ {m}" for m in report.messages]           # about the index itself
        lines += [f"⚠ {self._short(w.path)}: {w.message}" for w in report.warnings[:5]]
        if len(report.warnings) > 5:
            lines.append(f"⚠ and {len(report.warnings) - 5} more file problems")
        self.state.summary = "\n".join(lines)
        self.query_one(SearchPane).show_summary(self.state.summary)

    def _short(self, path: str) -> str:
        """A warning's file, relative to its corpus folder when it is inside one."""
        for folder in self.state.engine.folders:
            try:
                return str(Path(path).relative_to(folder))
            except ValueError:
                continue
        return path

    @work(thread=True, exclusive=True, group="entities")
    def _load_entities(self) -> None:
        from textual.worker import get_current_worker
        worker = get_current_worker()

        def stop() -> bool:                # checked per document: quitting ends the work
            return worker.is_cancelled
        try:
            from search.entities.mentions import Stopped
            from search.entities.kept import load
        except ImportError:
            self.post_message(EntitiesReady(None, [], "entity extraction is not installed"))
            return
        try:
            index, events = load(self.state.engine, self.entity_files or None, stop,
                                 lambda d, t: self.post_message(EntitiesProgress(d, t)))
        except Stopped:
            return
        except Exception as e:
            self.post_message(EntitiesReady(None, [], f"cannot read the entities: {e}"))
            return
        if not worker.is_cancelled:
            self.post_message(EntitiesReady(index, events))

    def on_entities_progress(self, message: EntitiesProgress) -> None:
        self.entities_progress = (message.done, message.total)
        for pane in self.query("#entities-pane, #timeline-pane"):
            pane.progress(message.done, message.total)

    def on_entities_ready(self, message: EntitiesReady) -> None:
        self.state.entity_index, self.state.events = message.entity_index, message.events
        self.entities_ready = message
        # The entity index is a million objects kept all session: out of the cycle
        # collector's way (each full collection walked them for 1.7 s while keys waited)
        gc.freeze()
        for pane in self.query("#entities-pane, #timeline-pane"):
            self._feed(pane)

    def _feed(self, pane) -> None:
        m = self.entities_ready
        if m is None:
            if self.entities_progress:
                pane.progress(*self.entities_progress)
            return
        if pane.id == "entities-pane":
            pane.load(m.entity_index, m.error)
        else:
            pane.load(m.events, m.timeline_error)

    async def _pane(self, name: str):
        """A pane, mounted the first time it is asked for."""
        try:
            return self.query_one(f"#{name}-pane")
        except NoMatches:
            pass
        if name == "entities":
            from tui.panes.entities import EntitiesPane as Pane
        else:
            from tui.panes.timeline import TimelinePane as Pane
        pane = Pane(self.state, id=f"{name}-pane")
        pane.display = False
        await self.query_one("#panes").mount(pane)
        self._feed(pane)
        return pane

    # -- panes and layout -----------------------------------------------------
    def on_resize(self, event) -> None:
        self.state.wide = event.size.width >= WIDE
        self.set_class(self.state.wide, "-wide")
        self.set_class(event.size.width < NARROW, "-narrow")
        self._arrange()

    def _arrange(self) -> None:
        together = self.state.wide and self.pane in ("search", "reader")
        for pane in self.query_one("#panes").children:
            name = pane.id.removesuffix("-pane")
            pane.display = name == self.pane or (together and name in ("search", "reader"))
        self.query_one("#tabs", Tabs).active = f"tab-{self.pane}"

    async def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        name = event.tab.id.removeprefix("tab-")
        if name != self.pane:
            await self.action_show_pane(name)

    async def action_show_pane(self, name: str) -> None:
        if name != self.pane:
            self._leave()
        pane = await self._pane(name)
        self.pane = name
        self._arrange()
        if self.focused is None or pane not in self.focused.ancestors_with_self:
            pane.focus_default()
        here = self._here()
        if here is not None:
            self.state.history.leave(here)

    async def action_cycle_pane(self, step: int) -> None:
        await self.action_show_pane(PANES[(PANES.index(self.pane) + step) % len(PANES)])

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("cycle_pane", "back", "forward") and \
                self.screen is not self.screen_stack[0]:
            return False          # not behind a dialog (help, palette)
        return True

    def action_help(self) -> None:
        pane = self.query_one(f"#{self.pane}-pane")
        bindings = [(b.binding, b.enabled) for b in self.screen.active_bindings.values()]
        self.push_screen(HelpScreen(self.pane, getattr(pane, "HELP", ""), bindings))

    # -- jumps and history ----------------------------------------------------
    def _here(self) -> Place | None:
        """Where the user is in the pane shown: a place to come back to, or None."""
        try:
            pane = self.query_one(f"#{self.pane}-pane")
        except NoMatches:
            return None
        return pane.snapshot()

    def _leave(self) -> None:
        here = self._here()
        if here is not None:
            self.state.history.leave(here)

    def on_open_passage(self, message: OpenPassage) -> None:
        self._leave()
        self.state.history.visit(message.place)
        self._show_place(self.state.history.current)

    def _show_place(self, place: Place) -> None:
        self.query_one(ReaderPane).open(place)
        self.pane = "reader"
        self._arrange()
        self.query_one(Passages).focus()

    def place_label(self, doc: str, passage: int, width: int = 0) -> Text:
        """How lists name a passage (the state's; kept for callers of the app's)."""
        return self.state.place_label(doc, passage, width)

    def preview(self, doc: str, passage: int, query: str) -> None:
        """Show a passage in the Reader beside the list, without a visit or a focus change."""
        reader = self.query_one(ReaderPane)
        if reader.place != Place(doc, passage, query) and reader.display:
            reader.open(Place(doc, passage, query), preview=True)

    def moved_to(self, place: Place) -> None:
        self.state.history.leave(place)

    async def _restore(self, place: Place) -> None:
        if place.pane == "reader":
            self._show_place(place)
            return
        pane = await self._pane(place.pane)
        self.pane = place.pane
        self._arrange()
        pane.restore(place)

    async def action_back(self) -> None:
        self._leave()             # so that forward comes back to exactly here
        place = self.state.history.back()
        if place is None:
            self.notify("Nothing further back.")
        else:
            await self._restore(place)

    async def action_forward(self) -> None:
        self._leave()
        place = self.state.history.forward()
        if place is None:
            self.notify("Nothing further forward.")
        else:
            await self._restore(place)

    async def show_entity(self, name: str) -> None:
        await self.action_show_pane("entities")
        self.query_one("#entities-pane").select(name)
        self.state.history.leave(self._here())

    async def show_event(self, event) -> None:
        await self.action_show_pane("timeline")
        self.query_one("#timeline-pane").select(event)
        self.state.history.leave(self._here())

    async def search_for(self, text: str) -> None:
        await self.action_show_pane("search")
        self.query_one(SearchPane).set_query(text)
        self.query_one("#hits").focus()


def run_app(args) -> int:
    app = VnExploreApp(getattr(args, "corpus", None), getattr(args, "index_dir", None),
                       getattr(args, "entities", None))
    code = 0
    try:
        app.run()
    except KeyboardInterrupt:
        code = 130
    _exit_now_if_busy(code)
    return code


def _exit_now_if_busy(code: int) -> None:
    """Quit is quick: a worker thread still reading (entities, an update in this process)
    cannot be interrupted, and Python would wait for it at exit. Its work is thrown away as
    a kill would (the index is crash-safe; a child build is ended by on_unmount)."""
    import os
    import threading
    busy = [t for t in threading.enumerate()
            if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    if busy:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
