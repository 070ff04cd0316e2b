"""The Search pane: a query box searched as you type, the hit count, the list of passage hits."""
from __future__ import annotations

import re

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from search.cli.render import highlighted
from search.model import SearchResult
from search.searchproc import ProcessGone, SearchProcess, Superseded, search_as_typed
from tui.history import Place
from tui.messages import OpenPassage, SearchDone, ServerDown, ServerUp
from tui.state import AppState
from tui.widgets import VimList, entity_marks, entity_names, one_line, place_line, plural

LIMIT = 100
TYPING_LIMIT = 20     # hits asked for while typing (a screenful or two; 100 took ~80 ms to lay out)
SERVER_FROM = 5_000   # passages from which searches run in a process of their own (below, a
                      # search takes a few ms: a process would only cost its start)
STATUS_LINES = 8     # the status line's max-height (app.tcss)
RESTARTS = 3          # a search process that keeps dying is not started again


class QueryBox(Input):
    """The query box. A key typed in a Textual Input sets its virtual size (the text's width)
    and so lays the whole screen out again (~15 ms at 10,000 articles, as long as a search's
    rows); the box's own size is fixed (a line), so a key only repaints it."""

    _typing = False

    def _watch_value(self, value: str) -> None:
        self._typing = True
        try:
            super()._watch_value(value)
        finally:
            self._typing = False

    def refresh(self, *regions, repaint: bool = True, layout: bool = False,
                recompose: bool = False):
        return super().refresh(*regions, repaint=repaint, layout=layout and not self._typing,
                               recompose=recompose)


class HitList(VimList):
    """The hits. A new result changes the list's length, and so its virtual size, which
    Textual answers with a layout of the whole screen; only the list's scrollbar depends on
    it (and showing or hiding the scrollbar lays out again by itself)."""

    virtual_size = Reactive(Size(0, 0), layout=False)


LAST_WORD = re.compile(r"(?:^|\s)([^\W_][^\s\"():*?~^\[\]{}]{2,})$")
OPERATORS = {"AND", "OR", "NOT", "TO"}


def typing_prefix(value: str) -> str:
    """The word being typed, when it should match as a prefix: the last word, plain (no field,
    quote, wildcard or operator), three letters or more, not yet ended by a space."""
    if not value or value[-1].isspace() or value.count('"') % 2:
        return ""
    m = LAST_WORD.search(value)
    if not m or m.group(1) in OPERATORS or not m.group(1)[-1].isalnum():
        return ""
    return m.group(1)


class SearchPane(Vertical):
    HELP = ("Type to search; results follow as you type. Words are matched in any form "
            "(visit, visits, visited); \"quoted words\" are a phrase; AND OR NOT, title:, "
            "date:2025, date:2024-03..2025, entity:China narrow it. Enter or Down goes to the hits, "
            "Enter opens one; s sorts them by date, newest first (s again: by relevance).")
    BINDINGS = [
        # priority: checked before the query box itself, so "/" never types itself there
        Binding("slash", "focus_query", "Query", priority=True, id="search.focus_query"),
        Binding("escape", "up", "Up", show=False, id="search.up"),
        Binding("s", "toggle_sort", "Sort", id="search.sort"),   # typed as s in the box
    ]
    server_from = SERVER_FROM       # passages from which a search process is opened
    server_command: list[str] | None = None      # instead of `python -m search.searchproc`

    def __init__(self, state: AppState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.result = None
        self.pending = False        # a search is waiting for its worker
        self._timer = None          # (kept for callers that check it; no debounce any more)
        self._inflight = None       # the seq of the search worker at work, if one is
        self._again = False         # the query changed meanwhile: search it when it ends
        self._select = ""           # the hit to select when the results come (history)
        self._seq = 0               # the latest search asked for; older answers are dropped
        self.limit = LIMIT          # hits asked for; grows as the user goes down the list
        self._prefix = ""           # the word taken as a prefix in the shown result
        self.sort = "relevance"     # or "date": every passage with all words, newest first
        self.server: SearchProcess | None = None     # searches as you type, when it is up
        self._starting: SearchProcess | None = None  # the one being opened
        self._restarts = 0
        self._typing = False        # the search awaited is one of typing (not Enter, history)
        self._said: Text | None = None      # the status of the result shown, unpadded

    def compose(self) -> ComposeResult:
        yield QueryBox(placeholder="Search the passages (/ to come back here)", id="query",
                       select_on_focus=False)
        yield Static("Indexing the articles…", id="search-status")
        yield HitList(id="hits")

    @property
    def query_text(self) -> str:
        return self.query_one("#query", Input).value.strip()

    def set_query(self, text: str) -> None:
        box = self.query_one("#query", Input)
        with self.prevent(Input.Changed):        # searched now, not again after a debounce
            box.value = text
        box.cursor_position = len(text)
        self.run_search()

    def snapshot(self):
        """The query and the selected hit, for the history."""
        from tui.history import Place
        hit = self._selected_hit()
        return Place(pane="search", query=self.query_one("#query", Input).value,
                     selected=f"{hit.doc}#{hit.passage}" if hit else "")

    def restore(self, place) -> None:
        """Back to a query and its selected hit (searched again: the index may have changed)."""
        self._select = place.selected
        if place.query != self.query_one("#query", Input).value or self.result is None:
            self.set_query(place.query)
        else:
            self._pick(place.selected)
        self.focus_default()

    def _selected_hit(self):
        hits = self.query_one("#hits", VimList)
        option = hits.highlighted_option
        if self.result is None or option is None or not (option.id or "").startswith("hit-"):
            return None
        return self.result.hits[int(option.id.split("-")[1])]

    def _pick(self, key: str) -> None:
        """Highlight the hit `doc#passage`, when it is in the list."""
        if not key or self.result is None:
            return
        hits = self.query_one("#hits", VimList)
        for i, hit in enumerate(self.result.hits):
            if f"{hit.doc}#{hit.passage}" == key:
                index = hits.get_option_index(f"hit-{i}")
                hits.highlighted = index
                hits.scroll_to_highlight(top=True)
                return

    def focus_default(self) -> None:
        hits = self.query_one("#hits", VimList)
        (hits if hits.option_count else self.query_one("#query", Input)).focus()

    def action_focus_query(self, select: bool = True) -> None:
        """Focus the query: `/` selects its text (typing replaces it, arrows keep it); Escape
        and the spelling suggestion put the cursor at its end (a stray key only adds)."""
        box = self.query_one("#query", Input)
        box.focus()
        if select:
            box.select_all()
        else:
            box.cursor_position = len(box.value)

    def action_up(self) -> None:
        """Escape goes up one level and never into the text box: from the query to the hits;
        in the hits, to the top of the list."""
        hits = self.query_one("#hits", VimList)
        if hits.has_focus:
            hits.go_top()
        else:
            hits.focus()

    def action_toggle_sort(self) -> None:
        """s: the hits by date (newest first, all of them ordered by the engine) or relevance."""
        self.sort = "date" if self.sort == "relevance" else "relevance"
        if self.query_text:
            self._select = ""
            self.run_search(typing=bool(self._prefix))
        else:
            self.show_summary(self.state.summary)

    def show_summary(self, text: str) -> None:
        if not self.query_text:
            self.query_one("#search-status", Static).update(Text(text))

    # -- searching ------------------------------------------------------------
    @on(Input.Changed, "#query")
    def _changed(self) -> None:
        """Searched at once when no search is running; else once it ends, for the text the
        box has then (keys typed meanwhile are one search, and no key waits on one). A
        search process is told to stop the one it is at: its answer would be stale."""
        self.pending = True
        if self._inflight is not None:
            self._again = True
            if self.server is not None:
                self.server.cancel()
        else:
            self.run_search(typing=True)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        """Enter: the query as typed (its last word whole, not a prefix), then the hits.
        Searched here and now, so the list Enter goes to is the one for this query."""
        text = " ".join(self.query_text.split())
        if self.pending or self.result is None or self.result.query != text:
            if text and self.state.engine is not None:
                self._again = False
                if self._timer is not None:
                    self._timer.stop()
                    self._timer = None
                self._seq += 1
                self._typing = False
                self.limit = LIMIT
                self.on_search_done(SearchDone(self.state.engine.search(
                    text, limit=LIMIT, sort=self.sort), self._seq))
            else:
                self.run_search()
        elif self._typing and self._said is not None:
            self._typing = False            # typing is done: the status fits its text again
            self._status(self._said)
        hits = self.query_one("#hits", VimList)
        if hits.option_count:
            hits.focus()

    def on_key(self, event) -> None:
        if event.key == "down" and self.query_one("#query", Input).has_focus:
            self.query_one("#hits", VimList).focus()
            event.stop()

    def run_search(self, typing: bool = False) -> None:
        """Search the query in a worker; while `typing`, its last word is a prefix."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.state.engine is None:
            self.pending = False
            return
        text = self.query_text
        if not text:
            self.pending = False
            self._again = False
            self._seq += 1          # a search still running for the old text is dropped
            self.result = None
            self.query_one("#hits", VimList).clear_options()
            self.query_one("#search-status", Static).update(Text(self.state.summary))
            return
        self.pending = True
        self._seq += 1
        self._typing = typing
        self.limit = TYPING_LIMIT if typing else LIMIT
        prefix = typing_prefix(self.query_one("#query", Input).value) if typing else ""
        self._start(text, self._seq, prefix)

    def _start(self, text: str, seq: int, prefix: str = "", more: bool = False) -> None:
        self._inflight, self._again = seq, False
        self._search(text, seq, prefix, more)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, text: str, seq: int, prefix: str = "", more: bool = False) -> None:
        """In the search process when it is up (waiting on it leaves the screen free),
        else here; `more`: the same query (as searched), further down."""
        ask = dict(prefix=prefix, more=more, limit=self.limit, sort=self.sort)
        server, answer = self.server, None
        if server is not None:
            try:
                answer = server.search(text, **ask)
            except Superseded:      # stopped: the text changed meanwhile
                self.post_message(SearchDone(None, seq, prefix, more))
                return
            except (ProcessGone, RuntimeError) as e:    # gone, or its engine failed (a
                self.post_message(ServerDown(server, str(e), starting=False))  # damaged
                                    # index: searched here, the app repairs it and says so)
        if answer is None:
            try:
                answer = search_as_typed(self.state.engine, text, **ask)
            except Exception as e:      # the engine failed: said in the pane, which stays usable
                answer = SearchResult(text, 0, [], error=f"the search failed: {one_line(e)}"), ""
        self.post_message(SearchDone(answer[0], seq, answer[1], more))   # stale ones dropped

    # -- the search process ---------------------------------------------------
    def start_server(self) -> None:
        """Open a search process on the app's index (now current), when the index is big
        enough for a search to be felt, is on disk, and has none yet."""
        engine = self.state.engine
        if engine is None or self.server is not None or self._starting is not None:
            return
        report = engine.report
        if engine.store.temporary or report is None or report.passages < self.server_from:
            return
        server = SearchProcess(engine.folders, engine.store.dir,
                               self.state.entity_files or None,
                               command=self.server_command)
        self._starting = server
        try:
            server.start()          # here: the child dies with this thread, the app's
        except ProcessGone as e:
            self.post_message(ServerDown(server, str(e), starting=True))
            return
        self._await_server(server)

    @work(thread=True, group="search-process")
    def _await_server(self, server: SearchProcess) -> None:
        try:
            server.wait_ready()
        except ProcessGone as e:
            self.post_message(ServerDown(server, str(e), starting=True))
            return
        self.post_message(ServerUp(server))

    def on_server_up(self, message: ServerUp) -> None:
        if message.server is self._starting:
            self._starting, self.server = None, message.server
        else:                       # one the pane let go of meanwhile
            message.server.close()

    def on_server_down(self, message: ServerDown) -> None:
        server = message.server
        if server is not self._starting and server is not self.server:
            return                  # already reported
        self._starting = None
        self.server = None
        server.close()
        if message.starting:
            self.app.notify(f"Searching inside the app: the search process could not start "
                            f"({message.reason}); typing may lag on a large index.",
                            severity="warning", timeout=8)
            return
        self._restarts += 1
        again = self._restarts <= RESTARTS
        self.app.notify(f"The search process stopped ({message.reason}); "
                        + ("restarting it." if again else "searching inside the app from now."),
                        severity="warning", timeout=8)
        if again:
            self.start_server()

    def on_unmount(self) -> None:
        """Quitting ends the search process."""
        for server in (self.server, self._starting):
            if server is not None:
                server.close()
        self.server = self._starting = None

    def _load_more(self) -> None:
        """Near the end of the list: ask for the next LIMIT hits (the list keeps its place)."""
        if self.result is None or self.pending or len(self.result.hits) < self.limit:
            return
        self.limit += LIMIT
        self.pending = True
        self._seq += 1
        self._start(self.result.query, self._seq, self._prefix, more=True)

    def on_search_done(self, message: SearchDone) -> None:
        result = message.result
        if message.seq == self._inflight:
            self._inflight = None
            if self._again or (result is None and message.seq == self._seq):
                self.run_search(typing=True)    # typing went on while it ran (and it was
                return                          # stopped): the box's text now
        if message.seq != self._seq or result is None:
            return                  # a newer search is coming or came
        shown_before = len(self.result.hits) if message.more and self.result else 0
        self.result = result
        self._prefix = message.prefix
        self.pending = False
        hits = self.query_one("#hits", VimList)
        options = []                # set at once: one by one, each re-measures the list
        if result.error:
            if not message.more:
                hits.clear_options()
            self._status(Text(result.error, style="bold red"))
            return
        line = Text()
        if result.hits:
            line.append(f"{plural(result.total, 'passage')} "
                        f"match{'es' * (result.total == 1)} all words", style="bold")
            extra = len(result.hits) - min(result.total, len(result.hits))
            if extra > 0:
                line.append(f"; then {extra} matching some", style="dim")
            if self.sort == "date":
                line.append(", newest first (s: by relevance)", style="bold")
            if len(result.hits) < result.total:
                line.append(f"\nshowing {len(result.hits):,} of {result.total:,}; more as "
                            "you go down the list", style="dim")
        else:
            line.append("No passages found.", style="bold")
            if result.suggestion:
                line.append(" Enter on the suggestion below to search it.", style="dim")
                options.append(Option(Text.assemble("Did you mean: ", (result.suggestion,
                                      "bold underline")), id="suggestion"))
        if message.prefix:
            line.append(f"\n“{message.prefix}…” as the start of a word; a space or Enter: "
                        "the word alone", style="dim")
        if result.notice:
            line.append(f"\nnote: {result.notice}", style="yellow")
        self._status(line)
        index = self.state.entity_index
        names = entity_names(result.query, index)
        for i, hit in enumerate(result.hits[shown_before:], start=shown_before):
            if i:
                options.append(None)
            extra = [(s, e) for _, s, e in entity_marks(names, index, hit.doc, hit.passage)]
            options.append(Option(self._prompt(hit, extra), id=f"hit-{i}"))
        if message.more:
            hits.add_options(options)
        else:
            hits.set_options(options)
            if hits.option_count:
                hits.highlighted = 0
        if self._select:
            self._pick(self._select)
            self._select = ""

    def _status(self, line: Text) -> None:
        """The status line of a result. While a query is typed it keeps its height (blank
        lines below when it has less to say): the hits do not jump up and down as the notes
        come and go, and the screen is not laid out again for each result (~15 ms at 10,000
        articles, keys waiting meanwhile); it grows when it must."""
        status = self.query_one("#search-status", Static)
        self._said = line
        room = status.content_size
        if room.width:
            height = min(Content.from_rich_text(line).get_height(status.styles, room.width),
                         STATUS_LINES)
            if height < room.height and self._typing:
                line = line.copy()
                line.append("\n" * (room.height - height))
                height = room.height
        status.update(line, layout=not room.width or height != room.height)

    @staticmethod
    def _prompt(hit, extra=()) -> Text:
        """The hit's place, then a snippet with its matches (and `extra` spans: entity
        mentions, which the index matched in the entity field) highlighted."""
        from search.index.highlight import merge_spans, snippet
        text, spans = snippet(hit.text, merge_spans([*hit.spans, *extra]), width=200)
        out = place_line(hit.title, hit.date, hit.doc, hit.passage, hit.page)
        out.append("\n")
        out.append_text(highlighted(text, spans))
        return out

    @on(VimList.OptionHighlighted, "#hits")
    def _preview(self, event) -> None:
        """On a wide screen the Reader beside the list follows the hit (focus stays here).
        Near the end of the list, more hits are loaded."""
        if event.option_list.highlighted is not None and \
                event.option_list.highlighted >= event.option_list.option_count - 3:
            self._load_more()
        if self.state.wide and event.option_list.has_focus and \
                (event.option.id or "").startswith("hit-"):
            hit = self.result.hits[int(event.option.id.split("-")[1])]
            self.app.preview(hit.doc, hit.passage, self.result.query)

    @on(VimList.OptionSelected, "#hits")
    def _open(self, event: VimList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "suggestion":
            self.set_query(self.result.suggestion)
            self.action_focus_query(select=False)
            return
        hit = self.result.hits[int(event.option.id.split("-")[1])]
        self.post_message(OpenPassage(Place(hit.doc, hit.passage, self.result.query)))
