"""Every message the app posts, as typed dataclasses (Textual calls `__post_init__`).

Workers post them from their threads; the handler is `on_<snake_case name>` wherever it is
handled. Engine types are named for the reader only (TYPE_CHECKING): importing this module
loads no part of the engine, so the first paint does not wait for Whoosh."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from search.engine import Engine
    from search.entities.mentions import EntityIndex
    from search.index.store import UpdateReport
    from search.model import Document, Hit, SearchResult
    from search.searchproc import SearchProcess
    from search.timeline.build import Event
    from tui.history import Place


# -- the index and what is built from it (posted by the app's workers) ------------------------
@dataclass
class Progress(Message):
    """`done` of `total` steps. One still waiting in the queue is replaced by the next of its
    kind (`can_replace`), so a big build or load does not flood the screen with messages."""
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return type(message) is type(self)


@dataclass
class IndexProgress(Progress):
    """`done` of `total` files read (one posted per file)."""


@dataclass
class IndexReady(Message):
    """The index is open and current: the engine, what the update did; the number of
    documents and their titles and dates (doc id -> (title, date)) when known (else they
    follow in DocumentsReady)."""
    engine: Engine
    report: UpdateReport
    documents: int | None = None
    titles: dict[str, tuple[str, str | None]] = field(default_factory=dict)


@dataclass
class DocumentsReady(Message):
    """The documents, listed after the first screen: how many, their titles and dates
    (doc id -> (title, date)); or why they cannot be listed."""
    documents: int | None
    titles: dict[str, tuple[str, str | None]]
    error: str | None = None


@dataclass
class IndexFailed(Message):
    """The index cannot be opened or written: why, in one line."""
    error: str


@dataclass
class EntitiesProgress(Progress):
    """Entities and the timeline being summed up: `done` of `total` steps."""


@dataclass
class EntitiesReady(Message):
    """The entity index and the timeline (or why not: `error` for the entities, and
    `timeline_error`, which is `error` unless given)."""
    entity_index: EntityIndex | None
    events: list[Event]
    error: str | None = None
    timeline_error: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.timeline_error = self.timeline_error or self.error


# -- the panes' workers -----------------------------------------------------------------------
@dataclass
class SearchDone(Message):
    """A search finished in the worker; `seq` tells a stale answer from the awaited one."""
    result: SearchResult
    seq: int = 0
    prefix: str = ""
    more: bool = False


@dataclass
class DocumentLoaded(Message):
    """The Reader's document (None: no longer in the index) and the matches to light:
    [(passage, start, end)]."""
    doc: Document | None
    place: Place
    matches: list[tuple[int, int, int]]
    seq: int = 0                # which open it answers: an older one is dropped


@dataclass
class RelatedFound(Message):
    """Passages like the Reader's one, and passages naming the same entities:
    [(doc, passage, names, text)]."""
    similar: list[Hit]
    shared: list[tuple[str, int, list[str], str]]
    seq: int = 0                # which request it answers: an older one is dropped


@dataclass
class WorkFailed(Message, bubble=False):
    """A pane's worker failed (`what` it was doing, `error` in one line), posted to the pane
    itself: it says so and stays usable."""
    what: str
    error: str
    seq: int = 0                # which request failed: an older one is not reported


# -- jumps ------------------------------------------------------------------------------------
@dataclass
class OpenPassage(Message):
    """Open the Reader at a place: the one operation behind every jump."""
    place: Place


@dataclass
class ServerUp(Message):
    """The search process has opened the index."""
    server: SearchProcess


@dataclass
class ServerDown(Message):
    """The search process could not start (`starting`), or stopped during a search."""
    server: SearchProcess
    reason: str
    starting: bool
