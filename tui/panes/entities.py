"""The Entities pane: names by type with mention counts, their concordance and company."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from tui.history import Place
from tui.messages import OpenPassage
from tui.state import AppState
from tui.widgets import Row, VimList, plural

CONTEXT = 30
SHOWN = 500         # mentions listed at once (Vietnam has 170,000 in 10,000 articles)
NAMES = 300         # names listed per type at once (15,000 names in 10,000 articles); the
                    # filter finds the others


def _flat(text: str) -> str:
    return "".join(" " if c.isspace() else c for c in text)


def concordance(m, width: int = CONTEXT) -> Text:
    """left context | name | right context, literal text, aligned on the name."""
    out = Text(_flat(m.left)[-width:].rjust(width))
    out.append(_flat(m.text), style="bold yellow")
    out.append(_flat(m.right)[:width].ljust(width))
    return out


class EntitiesPane(Vertical):
    HELP = ("People, places, organisations and countries named in the articles, by type, "
            "with how often they are mentioned. Type in the box to filter. Moving through the "
            "list shows each mention in its context and the names that appear with it; Enter "
            "goes to the mentions, Enter on a mention opens the reader there; s searches for it.")
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", priority=True,
                id="entities.filter"),
        Binding("s", "search", "Search it", id="entities.search"),
        Binding("escape", "up", "Up", show=False, id="entities.up"),
    ]

    def __init__(self, state: AppState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.index = None
        self.names: list[str] = []
        self.mentions: list = []
        self.current: str | None = None
        self._room = 0                    # the width the mentions were cut to

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter the names (/ to come back here)", id="entity-filter")
        with Horizontal():
            yield VimList(id="entity-list")
            with Vertical(id="entity-side"):
                yield Static(Text("Reading the entities…", style="dim"), id="entity-info")
                yield VimList(id="mentions")

    def focus_default(self) -> None:
        self.query_one("#entity-list").focus()

    def progress(self, done: int, total: int) -> None:
        """While the entities are worked out (the first start after an update)."""
        if self.index is None:
            self.query_one("#entity-info", Static).update(Text(
                f"Reading the entities… {done:,} of {total:,} documents", style="dim"))

    def load(self, index, error: str | None = None) -> None:
        self.index = index
        if index is None:
            self.query_one("#entity-info", Static).update(Text(error or "", style="yellow"))
            return
        self._fill()

    @on(Input.Changed, "#entity-filter")
    def _fill(self) -> None:
        if self.index is None:
            return
        words = self.query_one("#entity-filter", Input).value.lower().split()
        box = self.query_one("#entity-list", VimList)
        box.clear_options()
        self.names = []
        groups: dict[str, list] = {}
        for e in self.index.entities():
            hay = " ".join([e.name, *e.aliases]).lower()
            if all(w in hay for w in words):
                groups.setdefault(e.type, []).append(e)
        options = []        # added at once: one by one, each re-measures the list
        for kind in sorted(groups, key=lambda k: -sum(e.mentions for e in groups[k])):
            ents = sorted(groups[kind], key=lambda e: (-e.mentions, e.name))
            options.append(Option(Text(f"{kind} ({len(ents)})", style="bold underline"),
                                  disabled=True))
            for e in ents[:NAMES]:
                line = Text(f"{e.mentions:>4}  ", style="dim")
                line.append(e.name)
                options.append(Option(Row(line), id=f"ent-{len(self.names)}"))
                self.names.append(e.name)
            if len(ents) > NAMES:
                options.append(Option(Text(f"and {len(ents) - NAMES:,} more: type in the filter "
                                           "(/) to find them", style="dim"), disabled=True))
        if not self.names:
            options.append(Option(Text("no names match", style="dim"), disabled=True))
        box.add_options(options)
        box.highlighted = next((i for i, o in enumerate(box.options) if not o.disabled), None)

    @on(VimList.OptionHighlighted, "#entity-list")
    def _highlighted(self, event) -> None:
        if event.option.id:
            self.show(self.names[int(event.option.id[4:])])

    def show(self, name: str) -> None:
        entity = self.index.entity(name) if self.index else None
        if entity is None:
            return
        self.current = name
        info = Text(entity.name, style="bold")
        info.append(f"  {entity.type} · {plural(entity.mentions, 'mention')} in "
                    f"{plural(len(entity.docs), 'document')}", style="dim")
        aliases = [a for a in entity.aliases if a.casefold() != entity.name.casefold()]
        if aliases:
            info.append("\nalso: " + ", ".join(aliases), style="italic")
        company = self.index.cooccurring(name, limit=8)
        if company:
            info.append("\nwith: ", style="dim")
            info.append(", ".join(f"{n} ({c})" for n, c in company))
        self.query_one("#entity-info", Static).update(info)
        box = self.query_one("#mentions", VimList)
        box.clear_options()
        self.mentions = self.index.mentions(name, limit=SHOWN)
        room = self._room = self._room_now()
        box.add_options(Option(Row(self._line(m, room, self._ref(m))), id=f"m-{i}")
                        for i, m in enumerate(self.mentions))
        if entity.mentions > len(self.mentions):
            box.add_option(Option(Text(f"the first {len(self.mentions):,} of {entity.mentions:,} "
                                       "mentions; s searches for them all", style="dim"),
                                  disabled=True))
        if self.mentions:
            box.highlighted = 0

    def _room_now(self) -> int:
        box = self.query_one("#mentions", VimList)
        return (box.size.width or (self.app.size.width * 2 // 3)) - 4

    def on_resize(self) -> None:
        if self.current:
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        """The mentions again, cut to the new width (only when it changed)."""
        if self.current and self._room_now() != self._room:
            self.show(self.current)

    def _ref(self, m) -> str:
        """The mention's document by its title (cut short) and date, and passage."""
        title, date = self.state.titles.get(m.doc, ("", None))
        title = title or m.doc
        if len(title) > 18:
            title = title[:17].rstrip() + "…"
        return f" {title}{' ' + date[:4] if date else ''} §{m.passage}"

    @staticmethod
    def _line(m, room: int, ref: str) -> Text:
        width = max(8, min(CONTEXT, (room - len(m.text) - len(ref)) // 2))
        out = concordance(m, width)
        out.append(ref, style="green")
        return out

    def select(self, name: str) -> None:
        """Show one entity (from the command palette), clearing the filter if it hides it;
        the list gets the focus, on that name."""
        self._set_filter(None if name in self.names else "")
        if name not in self.names:              # beyond the names listed: filter to it
            self._set_filter(name)
        box = self.query_one("#entity-list", VimList)
        if name in self.names:
            box.highlighted = box.get_option_index(f"ent-{self.names.index(name)}")
            box.scroll_to_highlight()
            self.show(name)
        box.focus()

    def _set_filter(self, text: str | None) -> None:
        """Set the filter box without its Changed message (which would refill the list and
        select the first name after us)."""
        if text is None:
            return
        box = self.query_one("#entity-filter", Input)
        if box.value != text:
            with self.prevent(Input.Changed):
                box.value = text
        self._fill()

    def snapshot(self):
        """The filter and the selected name, for the history."""
        from tui.history import Place
        return Place(pane="entities", query=self.query_one("#entity-filter", Input).value,
                     selected=self.current or "")

    def restore(self, place) -> None:
        self._set_filter(place.query)
        if place.selected:
            self.select(place.selected)
        self.focus_default()

    @on(VimList.OptionSelected, "#entity-list")
    def _to_mentions(self, event) -> None:
        event.stop()
        self.query_one("#mentions", VimList).focus()

    @on(VimList.OptionSelected, "#mentions")
    def _open(self, event) -> None:
        event.stop()
        m = self.mentions[int(event.option.id[2:])]
        marks = [(o.passage, o.start, o.end) for o in self.mentions if o.doc == m.doc]
        self.post_message(OpenPassage(Place(m.doc, m.passage, m.entity, marks=tuple(marks),
                                            at=m.start)))

    @on(Input.Submitted, "#entity-filter")
    def _submitted(self) -> None:
        self.focus_default()

    def action_focus_filter(self) -> None:
        self.query_one("#entity-filter", Input).focus()

    async def action_search(self) -> None:
        if self.current:
            await self.app.search_for(f'entity:"{self.current}"')

    def action_up(self) -> None:
        """Escape goes up one level, never into the filter box: mentions -> names; filter ->
        names; in the names, to the top of the list."""
        names = self.query_one("#entity-list", VimList)
        if names.has_focus:
            names.go_top()
        else:
            names.focus()
