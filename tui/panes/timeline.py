"""The Timeline pane: dated events by year, coloured by kind, and each partner's ladder."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Select, Static
from textual.widgets.option_list import Option

from tui.history import Place
from tui.messages import OpenPassage
from tui.state import AppState
from tui.widgets import Hanging, Row, VimList

KIND_COLOURS = {
    "normalisation": "bright_white", "diplomatic relations": "cyan",
    "comprehensive partnership": "green", "strategic partnership": "yellow",
    "comprehensive strategic partnership": "bold magenta", "membership": "blue",
    "visit": "bright_cyan", "agreement": "bright_green", "trade": "orange1",
    "defence": "red", "incident": "bold bright_red", "other": "grey62",
}


def kind_label(kind: str) -> Text:
    return Text(f"[{kind}]", style=KIND_COLOURS.get(kind, "grey62"))


EVIDENCE = 200      # pieces of evidence listed for one event

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def day_month(date: str) -> str:
    """The part of YYYY-MM-DD below its year heading: "9 Sep", "Sep", or "" for a year only."""
    parts = str(date).split("-")[1:]
    try:
        month = MONTHS[int(parts[0]) - 1] if parts else ""
        return f"{int(parts[1])} {month}" if len(parts) > 1 else month
    except (ValueError, IndexError):
        return "-".join(parts)


def event_line(ev, width: int = 6) -> Hanging:
    """Month and day in their own column, so the partners and a long summary wrap indented."""
    body = Text(", ".join(ev.partners) or "—", style="bold")
    body.append(" ")
    body.append_text(kind_label(ev.kind))
    body.append("\n" + " ".join(str(ev.summary).split()))
    return Hanging(Text(day_month(ev.date), style="bold"), body, width)   # Text: never markup


class TimelinePane(Vertical):
    HELP = ("Dated events in Vietnam's relations, oldest first, grouped by year; the label and "
            "colour give the kind (partnership tiers, visits, agreements, incidents…). Filter by "
            "partner in the box (/) and by kind with the selector (t). Enter opens the passage the event "
            "is read from (with several, Enter goes to the list of evidence: choose one). The side "
            "panel shows the evidence and the partner's ladder of ties.")
    BINDINGS = [
        Binding("slash", "focus_filter", "Partner filter", priority=True,
                id="timeline.filter"),
        Binding("t", "choose_kind", "Kind", id="timeline.kind"),
        Binding("escape", "up", "Up", show=False, id="timeline.up"),
    ]

    def __init__(self, state: AppState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.events: list = []
        self.shown: list = []
        self.ladders: dict = {}
        self.evidence: list = []          # of the event shown

    def compose(self) -> ComposeResult:
        with Horizontal(id="timeline-filters"):
            yield Input(placeholder="Partner (/)", id="partner-filter")
            yield Select([(k, k) for k in KIND_COLOURS], prompt="every kind", id="kind-filter")
        with Horizontal():
            yield VimList(id="events")
            with VerticalScroll(id="event-side"):
                yield Static(Text("Reading the timeline…", style="dim"), id="event-detail")
                yield VimList(id="evidence")
                yield Static("", id="ladder")

    def focus_default(self) -> None:
        self.query_one("#events").focus()

    def progress(self, done: int, total: int) -> None:
        """While the events are worked out (the first start after an update)."""
        if not self.events:
            self.query_one("#event-detail", Static).update(Text(
                f"Reading the timeline… {done:,} of {total:,} documents", style="dim"))

    def load(self, events, error: str | None = None) -> None:
        self.events = list(events or [])
        if error:
            self.query_one("#event-detail", Static).update(Text(error, style="yellow"))
            return
        from search.timeline.build import ladder
        self.ladders = {lad.partner: lad for lad in ladder(self.events)}
        self._fill()

    @on(Input.Changed, "#partner-filter")
    @on(Select.Changed, "#kind-filter")
    def _fill(self) -> None:
        partner = self.query_one("#partner-filter", Input).value.strip().lower()
        kind = self.query_one("#kind-filter", Select).value
        box = self.query_one("#events", VimList)
        box.clear_options()
        self.shown = [ev for ev in sorted(self.events, key=lambda e: str(e.date))
                      if (not partner or any(partner in p.lower() for p in ev.partners))
                      and (kind is Select.NULL or ev.kind == kind)]
        year = None
        width = max((len(day_month(ev.date)) for ev in self.shown), default=0)
        options = []        # added at once: one by one, each re-measures the list
        for i, ev in enumerate(self.shown):
            if str(ev.date)[:4] != year:
                year = str(ev.date)[:4]
                options.append(Option(Text(year or "undated", style="bold underline"),
                                      disabled=True))
            options.append(Option(event_line(ev, width), id=f"ev-{i}"))
        box.add_options(options)
        if not self.shown:
            box.add_option(Option(Text("no events match", style="dim"), disabled=True))
            self.query_one("#event-detail", Static).update("")
            self.query_one("#evidence", VimList).clear_options()
            self.query_one("#ladder", Static).update("")
        box.highlighted = next((i for i, o in enumerate(box.options) if not o.disabled), None)

    @on(VimList.OptionHighlighted, "#events")
    def _highlighted(self, event) -> None:
        if event.option.id:
            self.show(self.shown[int(event.option.id[3:])])

    def show(self, ev) -> None:
        detail = Text(f"{ev.date} ", style="bold")
        detail.append_text(kind_label(ev.kind))
        detail.append("\n" + " ".join(str(ev.summary).split()) + "\n")
        if ev.origin:
            detail.append(f"from: {ev.origin}", style="dim")
        if len(ev.evidence) > 1:
            detail.append(f"\n{len(ev.evidence)} pieces of evidence: Enter, then choose one",
                          style="dim")
        self.query_one("#event-detail", Static).update(detail)
        box = self.query_one("#evidence", VimList)
        box.clear_options()
        self.evidence = list(ev.evidence)
        options = []        # added at once: one by one, each re-measures the list
        for i, e in enumerate(ev.evidence[:EVIDENCE]):  # (one event told by 1,600 articles)
            line = self.state.place_label(e.doc, e.passage)
            line.append("\n")
            line.append(f"“{' '.join(e.quote.split())}”", style="italic")
            if i:
                options.append(None)
            options.append(Option(Row(line), id=f"evi-{i}"))
        if len(ev.evidence) > EVIDENCE:
            options += [None, Option(Text(f"and {len(ev.evidence) - EVIDENCE:,} more articles "
                                          "tell it", style="dim"), disabled=True)]
        box.add_options(options)
        ladder = Text()
        for partner in ev.partners:
            lad = self.ladders.get(partner)
            if lad is None:
                continue
            ladder.append(f"\n{lad.partner}: now {lad.tier or 'no partnership'}\n", style="bold")
            for step in lad.steps:
                ladder.append(f"  {step.date} ")
                ladder.append_text(kind_label(step.kind))
                ladder.append("\n")
        self.query_one("#ladder", Static).update(ladder)

    @on(VimList.OptionSelected, "#events")
    def _open(self, event) -> None:
        event.stop()
        ev = self.shown[int(event.option.id[3:])]
        if not ev.evidence:
            self.app.notify("This event has no passage to show.", severity="warning")
            return
        if len(ev.evidence) == 1:
            self._open_evidence(ev.evidence[0])
            return
        box = self.query_one("#evidence", VimList)      # several: the user chooses
        box.highlighted = 0
        box.focus()

    @on(VimList.OptionSelected, "#evidence")
    def _open_chosen(self, event) -> None:
        event.stop()
        self._open_evidence(self.evidence[int(event.option.id[4:])])

    def _open_evidence(self, e) -> None:
        self.post_message(OpenPassage(Place(e.doc, e.passage, quote=e.quote)))

    @on(Input.Submitted, "#partner-filter")
    def _submitted(self) -> None:
        self.focus_default()

    def action_focus_filter(self) -> None:
        self.query_one("#partner-filter", Input).focus()

    def action_choose_kind(self) -> None:
        """Open the kind selector from the keyboard (arrows, Enter; Escape closes it)."""
        select = self.query_one("#kind-filter", Select)
        select.focus()
        select.expanded = True

    def action_up(self) -> None:
        """Escape goes up one level, never into the filter box: filter or selector -> events;
        in the events, to the top of the list."""
        events = self.query_one("#events", VimList)      # (the evidence list too)
        if events.has_focus:
            events.go_top()
        else:
            events.focus()

    def select(self, ev) -> None:
        """Show one event (from the command palette), clearing filters that hide it."""
        if ev not in self.shown:
            self._set_filters("", None)
        self._pick(ev)
        self.focus_default()

    def _set_filters(self, partner: str, kind) -> None:
        """Set both filters without their Changed messages (which would refill the list and
        select the first event after us), then refill once."""
        box, select = self.query_one("#partner-filter", Input), self.query_one("#kind-filter", Select)
        with self.prevent(Input.Changed, Select.Changed):
            box.value = partner
            select.value = kind if kind in KIND_COLOURS else Select.NULL
        self._fill()

    def _pick(self, ev) -> None:
        box = self.query_one("#events", VimList)
        if ev in self.shown:
            box.highlighted = box.get_option_index(f"ev-{self.shown.index(ev)}")
            box.scroll_to_highlight()
            self.show(ev)

    def snapshot(self):
        """The filters and the selected event, for the history."""
        from tui.history import Place
        kind = self.query_one("#kind-filter", Select).value
        option = self.query_one("#events", VimList).highlighted_option
        ev = self.shown[int(option.id[3:])] if option is not None and option.id else None
        return Place(pane="timeline", query=self.query_one("#partner-filter", Input).value,
                     kind="" if kind is Select.NULL else str(kind),
                     selected=str(self.events.index(ev)) if ev in self.events else "")

    def restore(self, place) -> None:
        self._set_filters(place.query, place.kind or None)
        if place.selected.isdigit() and int(place.selected) < len(self.events):
            self._pick(self.events[int(place.selected)])
        self.focus_default()
