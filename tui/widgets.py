"""Small pieces shared by the panes: a list with vim keys, how a passage is named and lit."""
from __future__ import annotations

import re

from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.visual import Visual
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


class Hanging(Visual):
    """A list row: a head in a column of its own (`indent` cells, then a space) and a body
    wrapped beside it, its further lines indented under the body's first. What a two-column
    Rich grid draws, at a fraction of the cost (a grid per row took 1.5 s for 400 rows): the
    body is wrapped once per width, and only rows on screen are drawn. Text stays literal."""

    def __init__(self, head: Text, body: Text, indent: int) -> None:
        self.head = Content.from_rich_text(head)
        self.body = Content.from_rich_text(body)
        self.indent = max(indent, 0) + 1
        self._wrapped: tuple[int, list[Content]] = (-1, [])

    def lines(self, width: int) -> list[Content]:
        """The row's lines at `width` cells."""
        if self._wrapped[0] != width:
            room = max(width - self.indent, 1)
            body = self.body.wrap(room, overflow="ellipsis")
            head = self.head.truncate(self.indent - 1, pad=True) + " "
            blank = " " * self.indent
            self._wrapped = (width, [(head if i == 0 else Content(blank)) + line
                                     for i, line in enumerate(body)])
        return self._wrapped[1]

    def render_strips(self, width, height, style, options):
        return Content("\n").join(self.lines(width)).render_strips(width, height, style, options)

    def get_optimal_width(self, rules, container_width: int) -> int:
        return self.indent + self.body.get_optimal_width(rules, container_width)

    def get_height(self, rules, width: int) -> int:
        return len(self.lines(width))

    @property
    def plain(self) -> str:
        return f"{self.head.plain} {self.body.plain}"

    def __str__(self) -> str:
        return self.plain


class Row(Visual):
    """A list row whose height is known without wrapping it when it fits on one line (lists
    of a thousand names wrapped each at each layout); longer, it wraps (or is cut, by the
    list's text-wrap and text-overflow rules) as any text, its height kept for each width."""

    def __init__(self, text: Text) -> None:
        self.content = Content.from_rich_text(text)
        self._one = "\n" not in self.content.plain
        self._heights: dict = {}        # a list being laid out asks at two or three widths

    def render_strips(self, width, height, style, options):
        return self.content.render_strips(width, height, style, options)

    def get_optimal_width(self, rules, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules, width: int) -> int:
        if self._one and self.content.cell_length <= width:
            return 1
        key = (width, rules.get("text_wrap", "wrap"), rules.get("text_overflow", "fold"))
        if key not in self._heights:
            self._heights[key] = self.content.get_height(rules, width)
        return self._heights[key]

    @property
    def plain(self) -> str:
        return self.content.plain

    def __str__(self) -> str:
        return self.plain


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
