"""The Reader pane: a whole document, passages numbered, the query's hits highlighted."""
from __future__ import annotations

import os
import shlex
from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static
from textual.worker import get_current_worker

from search.cli.render import highlighted
from search.index.highlight import merge_spans

from tui import external, opener
from tui.history import Place
from tui.messages import DocumentLoaded, OpenPassage, WorkFailed
from tui.panes.related import RelatedList
from tui.state import AppState
from tui.widgets import DoubleG, entity_marks, entity_names, one_line, plural

HIT = "bold black on yellow"
CURRENT_HIT = "bold underline white on dark_red"   # unlike HIT on any palette


class Passages(DoubleG, VerticalScroll):
    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="reader.down"),
        Binding("k", "scroll_up", "Up", show=False, id="reader.up"),
        Binding("G", "scroll_end", "Bottom", show=False, id="reader.bottom"),
        Binding("g", "top", "Top (g g)", show=False, id="reader.top"),
    ]

    def to_top(self) -> None:
        self.scroll_home(animate=False)


class ReaderPane(Vertical):
    HELP = ("The whole document, passages numbered §1, §2 …, the query's matches highlighted. "
            "n/N go to the next and previous match, [ and ] to the previous and next passage, "
            "r lists related passages, c copies the passage with its citation, o opens the file.")
    HITS = Binding.Group("hit", compact=False)
    PASSAGES = Binding.Group("§", compact=False)
    HISTORY = Binding.Group("back/fwd", compact=False)
    BINDINGS = [
        Binding("n", "next_hit", "Next hit", id="reader.next_hit", group=HITS),
        Binding("N", "previous_hit", "Previous hit", id="reader.previous_hit", group=HITS),
        Binding("left_square_bracket", "previous_passage", "Previous passage",
                id="reader.previous_passage", group=PASSAGES),
        Binding("right_square_bracket", "next_passage", "Next passage",
                id="reader.next_passage", group=PASSAGES),
        Binding("r", "related", "Related", id="reader.related"),
        Binding("c", "copy", "Copy", id="reader.copy"),
        Binding("o", "open_file", "Open", id="reader.open_file"),
        Binding("b", "app.back", "Back", id="reader.back", group=HISTORY),
        Binding("f", "app.forward", "Forward", id="reader.forward", group=HISTORY),
        Binding("escape", "up", "Up", show=False, id="reader.up_pane"),
    ]

    def __init__(self, state: AppState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.doc = None
        self.passage = 0
        self.hit_query = ""
        self.place = None
        self.matches: list[tuple[int, int, int]] = []    # (passage, start, end)
        self.match = -1
        self.origin = None
        self.preview = False
        self._seq = 0             # the latest open; an older worker's answer is dropped
        self._shown = None        # the place of the document shown, should an open fail

    def compose(self) -> ComposeResult:
        yield Static(Text("Nothing open yet: Enter on a search hit, a mention or an event "
                          "opens it here.", style="dim"), id="reader-title")
        yield Static("", id="reader-status")
        with Horizontal(id="reader-body"):
            yield Passages(id="passages")
            yield RelatedList(self.state, id="related")

    def focus_default(self) -> None:
        self.query_one("#passages", Passages).focus()

    def snapshot(self):
        """Where the reader is, for the history (None when nothing is open)."""
        return self.place

    # -- opening --------------------------------------------------------------
    def open(self, place, preview: bool = False) -> None:
        """Show a place. A preview (the hit list moving, on a wide screen) is not a visit:
        it leaves the history alone."""
        self.preview = preview
        self.place = place
        self._seq += 1
        self._load(place, self._seq)

    @work(thread=True, exclusive=True, group="reader")
    def _load(self, place: Place, seq: int) -> None:
        """The document and the matches to light, off the screen's thread. A newer open
        cancels this one (exclusive): it stops between steps and posts nothing. A failure
        is said in one line; what is shown stays."""
        worker = get_current_worker()
        try:
            engine = self.state.engine
            doc = engine.document(place.doc)
            matches = list(place.marks)
            if doc is not None and place.quote:
                text = next((p.text for p in doc.passages if p.number == place.passage), "")
                at = text.find(place.quote)
                if at >= 0:
                    matches.append((place.passage, at, at + len(place.quote)))
            elif doc is not None and place.query and not place.marks:
                if worker.is_cancelled:
                    return
                result = engine.search(place.query, limit=len(doc.passages), doc=place.doc)
                for hit in result.hits:
                    matches += [(hit.passage, s, e) for s, e in hit.spans]
                index = self.state.entity_index      # entity: terms match the entity field
                matches += entity_marks(entity_names(place.query, index), index, place.doc)
                matches = [(n, s, e) for n in sorted({m[0] for m in matches}) for s, e in
                           merge_spans([(s, e) for m, s, e in matches if m == n])]
        except Exception as e:
            if not worker.is_cancelled:
                title = self.state.titles.get(place.doc, ("",))[0]
                self.post_message(WorkFailed(f"Cannot open {title or place.doc} ({place.doc}) "
                                             f"§{place.passage}", one_line(e), seq))
            return
        if not worker.is_cancelled:
            self.post_message(DocumentLoaded(doc, place, sorted(matches), seq))

    def on_work_failed(self, message: WorkFailed) -> None:
        if message.seq != self._seq:
            return
        self.app.notify(f"{message.what}: {message.error}", severity="error")
        # the document shown before stays, and its place (or none: a later open tries again)
        self.place = replace(self._shown, passage=self.passage) if self._shown else None

    async def on_document_loaded(self, message: DocumentLoaded) -> None:
        if message.seq != self._seq:
            return                   # a newer open is coming or came
        if message.doc is None:
            self.app.notify("That document is no longer in the index.", severity="warning")
            return
        place = message.place
        self.origin = (place.doc, place.passage)      # the result it was opened from
        same = self.doc is not None and self.doc.id == message.doc.id
        self.doc, self.hit_query, self.matches = message.doc, place.query, message.matches
        self.place = self._shown = place
        numbers = [p.number for p in self.doc.passages]
        self.passage = place.passage if place.passage in numbers else numbers[0]
        self.match = next((i for i, m in enumerate(self.matches)
                           if (m[0], m[1]) == (self.passage, place.at)), None)
        if self.match is None:
            self.match = self._first_in(self.passage)
        self._title()
        if not same:
            box = self.query_one("#passages", Passages)
            await box.remove_children()
            await box.mount_all([Static(self._passage_text(p), id=f"p-{p.number}", classes="passage")
                           for p in self.doc.passages])
        else:
            self._rerender()
        self.call_after_refresh(self._goto, self.passage)
        if self.query_one("#related", RelatedList).display:
            self.action_related(toggle=False)

    def _title(self) -> None:
        d = self.doc
        t = Text(d.title, style="bold")
        meta = [d.date or "undated", d.source or "", ", ".join(d.authors), d.id]
        t.append("\n" + " · ".join(m for m in meta if m), style="dim")
        self.query_one("#reader-title", Static).update(t)

    def _passage_text(self, p) -> Text:
        spans = [(s, e) for n, s, e in self.matches if n == p.number]
        out = Text()          # (a style given to Text() would colour the whole passage)
        out.append(f"§{p.number} " + (f"p. {p.page} " if p.page else ""),
                   style="bold")      # the theme's own colour: readable
        body = highlighted(p.text, spans, HIT)
        if 0 <= self.match < len(self.matches) and self.matches[self.match][0] == p.number:
            _, s, e = self.matches[self.match]
            body.stylize(CURRENT_HIT, s, e)
        out.append_text(body)
        return out

    def _rerender(self, numbers=None) -> None:
        for p in self.doc.passages:
            if numbers is None or p.number in numbers:
                self.query_one(f"#p-{p.number}", Static).update(self._passage_text(p))

    def _first_in(self, number: int) -> int:
        """The first match in passage `number`, or -1."""
        return next((i for i, m in enumerate(self.matches) if m[0] == number), -1)

    def _goto(self, number: int) -> None:
        if self.doc is None:
            return
        self.passage = number
        for w in self.query(".passage"):
            w.set_class(w.id == f"p-{number}", "-current")
        self._scroll_to(number)
        self._status()
        self.place = replace(self.place, passage=number)
        if not self.preview:
            self.app.moved_to(self.place)

    def _scroll_to(self, number: int) -> None:
        found = self.query(f"#p-{number}")
        if not found:               # a late call (after a resize) for a document since replaced
            return
        self.query_one("#passages", Passages).scroll_to_widget(found.first(), animate=False,
                                                               top=True)

    def on_resize(self) -> None:
        """Text rewraps at a new width: keep the current passage at the top."""
        if self.doc is not None:
            self.call_after_refresh(lambda: self._scroll_to(self.passage))

    def _status(self) -> None:
        line = Text(f"§{self.passage} of {len(self.doc.passages)}", style="bold")
        if self.hit_query or self.matches:
            if self.matches:
                where = f"hit {self.match + 1} of {len(self.matches)}" if self.match >= 0 \
                    else plural(len(self.matches), "hit")
                line.append(f" · {where}", style="bold")
            else:
                line.append(" · no hits in this document", style="dim")
            if self.hit_query:
                line.append(" for ", style="dim")
                line.append(self.hit_query, style="italic")
        self.query_one("#reader-status", Static).update(line)

    # -- moving ---------------------------------------------------------------
    def _step_hit(self, delta: int) -> None:
        if not self.matches:
            self.app.notify("No query hits in this document.", severity="warning")
            return
        old = self.matches[self.match][0] if self.match >= 0 else None
        found = [i for i, m in enumerate(self.matches)      # from a passage without hits
                 if (m[0] > self.passage if delta > 0 else m[0] < self.passage)]
        if self.match >= 0 and 0 <= self.match + delta < len(self.matches):
            self.match += delta
        elif self.match < 0 and found:
            self.match = found[0] if delta > 0 else found[-1]
        else:                   # past the last (first) hit here: the next result, or wrap
            if self._next_result(delta):
                return
            self.match = 0 if delta > 0 else len(self.matches) - 1
            self.app.notify(f"Wrapped to the {'first' if delta > 0 else 'last'} hit in this "
                            "document.")
        new = self.matches[self.match][0]
        self._rerender({old, new})
        self._goto(new)

    def _next_result(self, delta: int) -> bool:
        """Past this document's last (or first) hit: open the next (previous) hit of the
        Search pane's result list in another document, saying so. False when there is none
        (the reader was not opened from that search)."""
        from tui.panes.search import SearchPane
        result = self.app.query_one(SearchPane).result
        if result is None or not self.hit_query or self.place.marks or \
                result.query != self.hit_query:
            return False
        hits = result.hits
        here = next((i for i, h in enumerate(hits) if (h.doc, h.passage) == self.origin), None)
        if here is None:
            here = next((i for i, h in enumerate(hits) if h.doc == self.doc.id), None)
        if here is None:
            return False
        order = range(here + 1, len(hits)) if delta > 0 else range(here - 1, -1, -1)
        target = next((i for i in order if hits[i].doc != self.doc.id), None)
        if target is None:
            return False
        hit = hits[target]
        self.app.notify(f"{'Last' if delta > 0 else 'First'} hit in this document: "
                        f"{'on' if delta > 0 else 'back'} to result {target + 1} of "
                        f"{len(hits)}, {hit.title or hit.doc} §{hit.passage}.")
        self.post_message(OpenPassage(Place(hit.doc, hit.passage, self.hit_query)))
        return True

    def action_next_hit(self) -> None:
        self._step_hit(1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    def _step_passage(self, delta: int) -> None:
        if self.doc is None:
            return
        numbers = [p.number for p in self.doc.passages]
        i = max(0, min(len(numbers) - 1, numbers.index(self.passage) + delta))
        old = self.matches[self.match][0] if self.match >= 0 else None
        self.match = self._first_in(numbers[i])     # the current hit stays with the passage
        self._rerender({old, numbers[i]})
        self._goto(numbers[i])

    def action_next_passage(self) -> None:
        self._step_passage(1)

    def action_previous_passage(self) -> None:
        self._step_passage(-1)

    async def action_up(self) -> None:
        related = self.query_one("#related", RelatedList)
        if related.has_focus:
            self.query_one("#passages", Passages).focus()
        else:
            await self.app.action_show_pane("search")

    def action_related(self, toggle: bool = True) -> None:
        if self.doc is None:
            return
        related = self.query_one("#related", RelatedList)
        if toggle and related.display:
            related.display = False
            self.query_one("#passages", Passages).focus()
            self.call_after_refresh(self._goto, self.passage)
            return
        related.display = True
        related.show_for(self.doc.id, self.passage, self.hit_query)
        self.call_after_refresh(self._goto, self.passage)
        if toggle:
            related.focus()

    # -- copy and open --------------------------------------------------------
    def current_passage(self):
        if self.doc is None:
            return None
        return next(p for p in self.doc.passages if p.number == self.passage)

    def citation(self) -> str:
        d = self.doc
        parts = [f"“{d.title}”"]
        if d.authors:
            parts.append(", ".join(d.authors))
        parts.append(d.date or "undated")
        if d.source:
            parts.append(d.source)
        page = self.current_passage().page
        parts.append(f"document {d.id}, passage {self.passage}"
                     + (f", page {page}" if page else ""))
        return "— " + ", ".join(parts)

    def action_copy(self) -> None:
        """OSC 52 to the terminal (which may drop it: we cannot know), and tmux's buffer."""
        p = self.current_passage()
        if p is None:
            return
        text = f"{p.text}\n\n{self.citation()}\n"
        self.app.copy_to_clipboard(text)
        said = f"§{p.number} and its citation sent to the terminal clipboard (OSC 52)"
        if os.environ.get("TMUX"):
            problem = external.tmux_buffer(text)
            said += "; not to tmux's buffer: " + problem if problem else \
                " and to tmux's paste buffer"
        else:
            said += "; if your terminal ignores OSC 52, nothing was copied"
        self.app.notify(said + ".", markup=False)

    def action_open_file(self) -> None:
        """The source file in $PAGER (or $EDITOR), at the passage's line when it takes +N.
        A missing or failing program gives a message and the app comes back intact."""
        if self.doc is None:
            return
        viewer, path, detached = opener.how_to_open(self.doc)   # PDFs, pages, Word files
        if detached:
            self.app.notify(opener.launch(viewer, path), markup=False)
            return
        command = shlex.join(viewer) if viewer else \
            os.environ.get("PAGER") or os.environ.get("EDITOR") or "less"
        p = self.current_passage()
        line = external.line_of(path, p.text) if p and not viewer else None
        argv = external.open_command(command, path, line)
        if not argv:
            self.app.notify(f"Cannot open {path}: the command {command!r} is empty "
                            "or unreadable ($PAGER / $EDITOR).", severity="error", markup=False)
            return
        try:
            with self.app.suspend():
                outcome = external.run(argv)     # never raises: the app must resume
        except Exception as e:                    # no terminal to hand over (SuspendNotSupported)
            outcome = f"cannot hand the terminal over: {e}"
        if outcome:
            self.app.notify(f"Cannot open {path} with {argv[0]}: {outcome}",
                            severity="error", markup=False, timeout=10)
        self.app.refresh()

    @on(RelatedList.OptionSelected, "#related")
    def _open_related(self, event) -> None:
        event.stop()
        target = self.query_one("#related", RelatedList).target(event.option)
        if target:
            self.post_message(OpenPassage(Place(target[0], target[1], self.hit_query
                                                if not self.place.marks else "")))
