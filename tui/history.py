"""Back and forward through the places visited, like a browser. Pure data, no Textual.

A place is where the user was in one pane: the Reader at a passage (with what it highlights),
Search with its query and selected hit, Entities with its filter and selected name, the Timeline
with its filters and selected event."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A passage opened in the reader, with what it highlights: the hits of a query, or
    given marks ((passage, start, end), e.g. an entity's mentions) labelled by `query`,
    or a quoted sentence (timeline evidence). Other panes: `pane` names it, `query` is its
    query or filter text, `kind` the timeline's kind, `selected` the chosen row's key."""
    doc: str = ""
    passage: int = 0
    query: str = ""
    marks: tuple = ()
    quote: str = ""
    at: int = -1          # where in the passage the chosen mark starts
    pane: str = "reader"
    kind: str = ""
    selected: str = ""


class History:
    def __init__(self, limit: int = 200):
        self.places: list[Place] = []
        self.index = -1
        self.limit = limit

    @property
    def current(self) -> Place | None:
        return self.places[self.index] if self.index >= 0 else None

    def visit(self, place: Place) -> None:
        """A jump: drop everything forward of here, then record the place."""
        if self.current == place:
            return
        del self.places[self.index + 1:]
        self.places.append(place)
        if len(self.places) > self.limit:
            del self.places[0]
        self.index = len(self.places) - 1

    def move_to(self, place: Place) -> None:
        """Moving inside the current place ([ ] n N, a new query): update where we are."""
        if self.index < 0:
            self.visit(place)
        else:
            self.places[self.index] = place

    def leave(self, place: Place) -> None:
        """Record where we are before going elsewhere: the current entry when it is the same
        pane, else a new entry."""
        current = self.current
        if current is not None and current.pane == place.pane:
            self.move_to(place)
        else:
            self.visit(place)

    @property
    def can_go_back(self) -> bool:
        return self.index > 0

    @property
    def can_go_forward(self) -> bool:
        return self.index < len(self.places) - 1

    def back(self) -> Place | None:
        if not self.can_go_back:
            return None
        self.index -= 1
        return self.current

    def forward(self) -> Place | None:
        if not self.can_go_forward:
            return None
        self.index += 1
        return self.current
