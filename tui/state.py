"""What the panes share, in one typed object the app hands to each pane when it makes it.

The app fills it as its workers finish (the engine, then the entities and the timeline); the
panes read it, and never the app's attributes by name. Engine types are named for the reader
only (TYPE_CHECKING): the first paint does not wait for Whoosh."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text

from tui.config import Config
from tui.history import History
from tui.widgets import place_line

if TYPE_CHECKING:
    from search.engine import Engine
    from search.entities.mentions import EntityIndex
    from search.timeline.build import Event


@dataclass
class AppState:
    config: Config
    entity_files: list = field(default_factory=list)  # the user's own gazetteer files
    history: History = field(default_factory=History)
    engine: Engine | None = None                    # None until the index is open
    entity_index: EntityIndex | None = None         # None until read (or when it cannot be)
    events: list[Event] = field(default_factory=list)      # the timeline
    titles: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # doc -> (title, date)
    summary: str = "Indexing the articles…"        # the Search pane's line when no query
    wide: bool = False                              # Search and Reader side by side

    def place_label(self, doc: str, passage: int, width: int = 0) -> Text:
        """How lists name a passage: its document's title and date, not its id."""
        title, date = self.titles.get(doc, ("", None))
        if width and len(title) > width:
            title = title[:width - 1].rstrip() + "…"
        return place_line(title, date, doc, passage)
