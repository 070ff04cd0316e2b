"""Small pieces shared by the panes: a list with vim keys, how a passage is named and lit."""
from __future__ import annotations

import re

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList


class DoubleG:
    """`g g` goes to the top, as in vi: a first g waits for the second, any other key forgets it."""

    _pending_g = False

    def action_top(self) -> None:
        if self._pending_g:
            self.to_top()
        self._pending_g = not self._pending_g

    def on_key(self, event) -> None:
        if event.key != "g":
            self._pending_g = False


class VimList(DoubleG, OptionList):
    """An option list that also moves with j/k, g g and G."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g", "top", "Top (g g)", show=False, id="list.top"),
        Binding("G", "last", "Bottom", show=False, id="list.bottom"),
    ]

    def to_top(self) -> None:
        self.action_first()

    def go_top(self) -> None:
        """The first row that can be chosen, scrolled into view with what is above it."""
        first = next((i for i, o in enumerate(self.options) if not o.disabled), None)
        if first is not None:
            self.highlighted = first
        self.scroll_home(animate=False)


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 hit', '2 hits', '18,454 passages'."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def one_line(error: BaseException) -> str:
    """An error as one line for a notification: its first line, else its kind."""
    text = str(error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__


def place_line(title: str, date: str | None, doc: str, passage: int,
               page: int | None = None) -> Text:
    """Title, date, passage number and (for a PDF) page; the document id only when there is no title."""
    line = Text(title or doc, style="bold")
    line.append(f"  {date or 'undated'} §{passage}" + (f" p. {page}" if page else ""), style="dim")
    return line


ENTITY_TERM = re.compile(r'\bentity:(?:"([^"]+)"|([^\s()"]+))', re.I)


def entity_names(query: str, entity_index) -> list[str]:
    """The entities an `entity:` query names (canonical names, known ones only)."""
    if entity_index is None or "entity:" not in query.lower():
        return []
    names = []
    for m in ENTITY_TERM.finditer(query):
        entity = entity_index.entity(m.group(1) or m.group(2))
        if entity is not None and entity.name not in names:
            names.append(entity.name)
    return names


def entity_marks(names: list[str], entity_index, doc: str, passage: int | None = None):
    """Where the named entities are mentioned: [(passage, start, end)] in `doc` (or in one
    passage of it). The index matches the entity field, not the text: this is what to light."""
    out = []
    for name in names:
        out += [(m.passage, m.start, m.end) for m in entity_index.mentions(name)
                if m.doc == doc and (passage is None or m.passage == passage)]
    return out
