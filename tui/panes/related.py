"""The related-passages panel: more-like-this passages and passages sharing the same entities."""
from __future__ import annotations

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets.option_list import Option

from tui.widgets import VimList, highlighted, place_line

LIMIT = 8
CLIP = 160


def clip(text: str) -> str:
    return text if len(text) <= CLIP else text[:CLIP] + "…"


class RelatedFound(Message):
    def __init__(self, similar, shared) -> None:
        super().__init__()
        self.similar, self.shared = similar, shared


def sharing_entities(entity_index, engine, doc: str, passage: int, limit: int = LIMIT):
    """Other passages naming the entities this one names: [(doc, passage, names, text)]."""
    names = list(dict.fromkeys(m.entity for m in entity_index.in_passage(doc, passage)))
    found: dict[tuple[str, int], list[str]] = {}
    for name in names:
        for m in entity_index.mentions(name):
            if (m.doc, m.passage) != (doc, passage):
                found.setdefault((m.doc, m.passage), []).append(name)
    ranked = sorted(found.items(), key=lambda kv: (-len(set(kv[1])), kv[0]))[:limit]
    out = []
    for (d, n), shared in ranked:
        p = engine.passage(d, n)
        out.append((d, n, list(dict.fromkeys(shared)), p.text if p else ""))
    return out


class RelatedList(VimList):
    """Options: the related passages of the reader's passage; Enter opens one."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.targets: list[tuple[str, int]] = []
        self.display = False

    def target(self, option) -> tuple[str, int] | None:
        if option.id and option.id.startswith("rel-"):
            return self.targets[int(option.id[4:])]
        return None

    def show_for(self, doc: str, passage: int, query: str) -> None:
        self.clear_options()
        self.add_option(Option(Text(f"Finding passages related to §{passage}…", style="dim"),
                               disabled=True))
        self._find(doc, passage)

    @work(thread=True, exclusive=True, group="related")
    def _find(self, doc: str, passage: int) -> None:
        engine = self.app.engine
        similar = engine.related(doc, passage, limit=LIMIT) or []
        ents = getattr(self.app, "entity_index", None)
        shared = sharing_entities(ents, engine, doc, passage) if ents is not None else []
        self.post_message(RelatedFound(similar, shared))

    def on_related_found(self, message: RelatedFound) -> None:
        self.clear_options()
        self.targets = []
        self.add_option(Option(Text("More like this", style="bold underline"), disabled=True))
        if not message.similar:
            self.add_option(Option(Text("nothing similar enough", style="dim"), disabled=True))
        for hit in message.similar:
            prompt = place_line(hit.title, hit.date, hit.doc, hit.passage, hit.page)
            prompt.append("\nshares: " + ", ".join(hit.shared_terms or []), style="italic")
            prompt.append("\n")
            prompt.append_text(highlighted(clip(hit.text), [(s, e) for s, e in hit.spans
                                                            if e <= CLIP]))
            self._add(prompt, hit.doc, hit.passage)
        if getattr(self.app, "entity_index", None) is not None:
            self.add_option(Option(Text("Names the same entities", style="bold underline"),
                                   disabled=True))
            if not message.shared:
                self.add_option(Option(Text("no other passage names them", style="dim"),
                                       disabled=True))
        for d, n, names, text in message.shared:
            prompt = self.app.place_label(d, n)
            prompt.append("\nnames: " + ", ".join(names), style="italic")
            prompt.append("\n")
            prompt.append_text(Text(clip(text)))
            self._add(prompt, d, n)
        first = next((i for i, o in enumerate(self.options) if not o.disabled), None)
        self.highlighted = first
        self.call_after_refresh(self.scroll_home, animate=False)   # keep the heading in view

    def _add(self, prompt: Text, doc: str, passage: int) -> None:
        if self.targets:
            self.add_option(None)
        self.add_option(Option(prompt, id=f"rel-{len(self.targets)}"))
        self.targets.append((doc, passage))
