"""Small pieces shared by the panes: the jump message and a list with vim keys."""
from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList


class OpenPassage(Message):
    """Open the reader at a passage: the one operation behind every jump."""

    def __init__(self, doc: str, passage: int, query: str = "", marks=(), quote: str = "",
                 at: int = -1) -> None:
        super().__init__()
        self.doc = doc
        self.passage = passage
        self.query = query
        self.marks = tuple(marks)
        self.quote = quote
        self.at = at


class VimList(OptionList):
    """An option list that also moves with j/k, g g and G."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g", "top", "Top (g g)", show=False, id="list.top"),
        Binding("G", "last", "Bottom", show=False, id="list.bottom"),
    ]

    _pending_g = False

    def action_top(self) -> None:
        if self._pending_g:
            self.action_first()
        self._pending_g = not self._pending_g

    def on_key(self, event) -> None:
        if event.key != "g":
            self._pending_g = False

    def go_top(self) -> None:
        """The first row that can be chosen, scrolled into view with what is above it."""
        first = next((i for i, o in enumerate(self.options) if not o.disabled), None)
        if first is not None:
            self.highlighted = first
        self.scroll_home(animate=False)


def highlighted(text: str, spans, style: str = "bold black on yellow") -> Text:
    """Article text, literal, with spans styled. Never markup."""
    out = Text(text)
    for start, end in spans:
        out.stylize(style, start, end)
    return out


def place_line(title: str, date: str | None, doc: str, passage: int) -> Text:
    line = Text(title or doc, style="bold")
    line.append(f"  {date or 'undated'} · {doc} §{passage}", style="dim")
    return line
