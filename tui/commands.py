"""Command palette (Ctrl+P): open any document, entity or timeline event by name, pick a theme,
or run a command. Entries are typed (`doc`, `entity`, `event`, `theme`, `command`); a typed
prefix (`entity: alg`) keeps to one group. Every word typed must occur in the entry (accents and
case folded), so `theme` does not list documents. Titles and names are shown literally: they
come from articles and must never become markup or clickable actions.

Cost: linear in documents + entities + events per keystroke (10,000 articles: ~20k entries)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import partial
from typing import Callable

from textual.command import DiscoveryHit, Hit, Provider
from textual.content import Content

from tui.history import Place
from tui.messages import OpenPassage

GROUPS = {"doc": "doc", "docs": "doc", "document": "doc", "documents": "doc",
          "entity": "entity", "entities": "entity", "event": "event", "events": "event",
          "theme": "theme", "themes": "theme", "command": "command", "commands": "command"}
PREFIX = re.compile(r"\s*([a-z]+)\s*:\s*(.*)", re.S | re.I)
LABEL = 8                      # width of the group label column


@dataclass
class Choice:
    group: str
    text: str
    callback: Callable
    help: str = ""

    @property
    def searched(self) -> str:
        """What typed words are looked for in: `theme` finds the themes, `doc` documents."""
        return f"{self.group} {self.text}"


def fold(text: str) -> str:
    """Lower case without accents, one character for one (offsets stay valid)."""
    out = []
    for c in text:
        base = "".join(x for x in unicodedata.normalize("NFKD", c)
                       if not unicodedata.combining(x)).lower()
        out.append(base if len(base) == 1 else c.lower()[:1] or c)
    return "".join(out).replace("đ", "d")


def split_query(query: str) -> tuple[str | None, str]:
    """(group, rest): `entity: alg` -> ("entity", "alg"); no known prefix -> (None, query)."""
    m = PREFIX.fullmatch(query)
    if m and m.group(1).lower() in GROUPS:
        return GROUPS[m.group(1).lower()], m.group(2)
    return None, query


def match(words: list[str], text: str) -> tuple[float, list[tuple[int, int]]]:
    """Every (folded) word must occur in the text: a score in (0, 1] and the spans, or 0."""
    hay = fold(text)
    spans = []
    starts = 0
    for w in words:
        at = hay.find(w)
        if at < 0:
            return 0.0, []
        spans.append((at, at + len(w)))
        starts += at == 0 or not hay[at - 1].isalnum()
    score = 0.6 + 0.3 * starts / max(1, len(words)) + 0.1 * (hay.startswith(words[0])
                                                            if words else 0)
    return score - min(len(text), 200) / 4000, spans


def display(choice: Choice, spans=(), style=None) -> Content:
    """The group label, then the entry's text, literal, with the matched words styled.
    `spans` are offsets into `choice.searched` (the group, a space, the text)."""
    out = Content.assemble((f"{choice.group:<{LABEL}}", "dim"), choice.text)
    shift = LABEL - len(choice.group) - 1
    for start, end in spans:
        if start > len(choice.group):
            start, end = start + shift, end + shift
        out = out.stylize(style or "reverse", start, min(end, len(choice.group)) if
                          start < len(choice.group) else end)
    return out


class PaletteCommands(Provider):
    def _choices(self, group: str | None = None):
        app, state = self.app, self.app.state
        want = (lambda g: group is None or g == group)
        if want("command"):
            yield from self._commands()
        if state.engine is not None and want("doc"):
            for d in state.engine.documents():
                yield Choice("doc", f"{d['title']} ({d['date'] or 'undated'})",
                             partial(app.post_message, OpenPassage(Place(d["id"], 1))),
                             f"{d['id']} · {d['passages']} passages")
        if state.entity_index is not None and want("entity"):
            for e in state.entity_index.entities():
                yield Choice("entity", f"{e.name} ({e.type})", partial(app.show_entity, e.name),
                             f"{e.mentions} mention{'s' * (e.mentions != 1)}")
        if want("event"):
            for ev in state.events:
                if ev.evidence:
                    yield Choice("event", f"{ev.date} {', '.join(ev.partners)} — {ev.kind}",
                                 partial(app.show_event, ev), " ".join(str(ev.summary).split()))
        if want("theme"):
            for name in sorted(app.available_themes):
                yield Choice("theme", name, partial(setattr, app, "theme", name),
                             "the current theme" if name == app.theme else "")

    def _commands(self):
        app = self.app
        for name in ("search", "reader", "entities", "timeline"):
            yield Choice("command", f"Show the {name.capitalize()} pane",
                         partial(app.action_show_pane, name))
        yield Choice("command", "Back", app.action_back, "where you were before (b)")
        yield Choice("command", "Forward", app.action_forward, "(f)")
        yield Choice("command", "Help: every key of this pane", app.action_help)

    async def discover(self):
        for choice in self._choices():
            yield DiscoveryHit(display(choice), choice.callback, text=choice.text,
                               help=Content(choice.help) if choice.help else None)

    async def search(self, query: str):
        group, rest = split_query(query)
        words = fold(rest).split()
        for choice in self._choices(group):
            if not words:
                yield Hit(0.5, display(choice), choice.callback, text=choice.text,
                          help=Content(choice.help) if choice.help else None)
                continue
            score, spans = match(words, choice.searched)
            if score > 0:
                yield Hit(score, display(choice, spans, self.matcher(rest).match_style),
                          choice.callback, text=choice.text,
                          help=Content(choice.help) if choice.help else None)
