"""The related-passages panel: more-like-this passages and passages sharing the same entities."""
from __future__ import annotations

from rich.text import Text
from textual import work
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from search.cli.render import highlighted
from tui.messages import RelatedFound, WorkFailed
from tui.state import AppState
from tui.widgets import VimList, one_line, place_line

LIMIT = 8
CLIP = 160


def clip(text: str) -> str:
    return text if len(text) <= CLIP else text[:CLIP] + "…"


def sharing_entities(entity_index, engine, doc: str, passage: int, limit: int = LIMIT,
                     stop=lambda: False):
    """Other passages naming the entities this one names: [(doc, passage, names, text)],
    or None once `stop()` says the answer is no longer wanted (checked per name and passage)."""
    names = list(dict.fromkeys(m.entity for m in entity_index.in_passage(doc, passage)))
    found: dict[tuple[str, int], list[str]] = {}
    for name in names:
        if stop():
            return None
        for m in entity_index.mentions(name):
            if (m.doc, m.passage) != (doc, passage):
                found.setdefault((m.doc, m.passage), []).append(name)
    ranked = sorted(found.items(), key=lambda kv: (-len(set(kv[1])), kv[0]))[:limit]
    out = []
    for (d, n), shared in ranked:
        if stop():
            return None
        p = engine.passage(d, n)
        out.append((d, n, list(dict.fromkeys(shared)), p.text if p else ""))
    return out


class RelatedList(VimList):
    """Options: the related passages of the reader's passage; Enter opens one."""

    def __init__(self, state: AppState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.targets: list[tuple[str, int]] = []
        self.display = False
        self._seq = 0             # the latest request; an older worker's answer is dropped

    def target(self, option) -> tuple[str, int] | None:
        if option.id and option.id.startswith("rel-"):
            return self.targets[int(option.id[4:])]
        return None

    def show_for(self, doc: str, passage: int, query: str) -> None:
        self.clear_options()
        self.add_option(Option(Text(f"Finding passages related to §{passage}…", style="dim"),
                               disabled=True))
        self._seq += 1
        self._find(doc, passage, self._seq)

    @work(thread=True, exclusive=True, group="related")
    def _find(self, doc: str, passage: int, seq: int) -> None:
        """Off the screen's thread. A newer request cancels this one (exclusive): it stops
        between steps and posts nothing. A failure is said in one line, in the list too."""
        worker = get_current_worker()
        try:
            engine, ents = self.state.engine, self.state.entity_index
            similar = engine.related(doc, passage, limit=LIMIT) or []
            if worker.is_cancelled:
                return
            shared = [] if ents is None else \
                sharing_entities(ents, engine, doc, passage, stop=lambda: worker.is_cancelled)
        except Exception as e:
            if not worker.is_cancelled:
                self.post_message(WorkFailed(f"Cannot find passages related to §{passage}",
                                             one_line(e), seq))
            return
        if shared is not None and not worker.is_cancelled:
            self.post_message(RelatedFound(similar, shared, seq))

    def on_work_failed(self, message: WorkFailed) -> None:
        if message.seq != self._seq:
            return
        self.app.notify(f"{message.what}: {message.error}", severity="error")
        self.clear_options()
        self.targets = []
        self.add_option(Option(Text(f"{message.what}: {message.error}", style="yellow"),
                               disabled=True))

    def on_related_found(self, message: RelatedFound) -> None:
        if message.seq != self._seq:
            return                   # a newer request is coming or came
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
        if self.state.entity_index is not None:
            self.add_option(Option(Text("Names the same entities", style="bold underline"),
                                   disabled=True))
            if not message.shared:
                self.add_option(Option(Text("no other passage names them", style="dim"),
                                       disabled=True))
        for d, n, names, text in message.shared:
            prompt = self.state.place_label(d, n)
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
