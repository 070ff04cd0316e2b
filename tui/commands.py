"""Command palette (Ctrl+P): open any document, entity or timeline event by name."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Provider

from .widgets import OpenPassage


class PaletteCommands(Provider):
    def _choices(self):
        app = self.app
        if app.engine is None:
            return
        for d in app.engine.documents():
            yield (f"Document: {d['title']} ({d['date'] or 'undated'})",
                   partial(app.post_message, OpenPassage(d["id"], 1)),
                   f"{d['id']} · {d['passages']} passages")
        if app.entity_index is not None:
            for e in app.entity_index.entities():
                yield (f"Entity: {e.name} ({e.type})", partial(app.show_entity, e.name),
                       f"{e.mentions} mentions")
        for ev in app.events:
            if ev.evidence:
                first = ev.evidence[0]
                yield (f"Event: {ev.date} {', '.join(ev.partners)} — {ev.kind}",
                       partial(app.post_message, OpenPassage(first.doc, first.passage)),
                       ev.summary)

    async def discover(self):
        for text, callback, help_text in self._choices():
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str):
        matcher = self.matcher(query)
        for text, callback, help_text in self._choices():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)
