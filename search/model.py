"""The engine's plain data: what the CLI and the app receive."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Callable


@dataclass(frozen=True)
class PassageRef:
    """A passage's address: the common currency of hits, mentions and evidence."""
    doc: str
    passage: int


@dataclass
class Passage:
    doc: str
    number: int
    text: str
    page: int | None = None      # the PDF page the passage starts on
    # dedupe_key(text) when the reader worked it out (it finds repeats by it), else None
    key: str | None = field(default=None, compare=False, repr=False)


@dataclass
class Document:
    id: str
    path: str
    title: str
    date: str | None = None
    source: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["passages"] = [{"number": p.number, "text": p.text, "page": p.page}
                         for p in self.passages]
        return d


@dataclass
class Hit:
    doc: str
    title: str
    date: str | None
    passage: int
    score: float
    text: str
    spans: list[tuple[int, int]]
    snippet: str
    shared_terms: list[str] | None = None
    page: int | None = None      # the PDF page the passage starts on

    @property
    def ref(self) -> PassageRef:
        return PassageRef(self.doc, self.passage)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["spans"] = [list(s) for s in self.spans]
        if self.shared_terms is None:
            d.pop("shared_terms")
        return d


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    error: str | None = None
    suggestion: str | None = None
    notice: str | None = None

    def to_dict(self) -> dict:
        return {"query": self.query, "total": self.total, "error": self.error,
                "suggestion": self.suggestion, "notice": self.notice,
                "hits": [h.to_dict() for h in self.hits]}


@dataclass
class LoadWarning:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class Stopped(Exception):
    """The caller asked the work to stop (the app is quitting)."""


def checking(items, stop: Callable[[], bool] | None):
    """The items, raising Stopped as soon as `stop()` says so (checked before each)."""
    for item in items:
        if stop is not None and stop():
            raise Stopped()
        yield item
