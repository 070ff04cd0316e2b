"""The timeline's plain data: an event, the evidence for it (document, passage, quote), and its
compact tuple form stored with the index; HOME, the country whose relations these are.
Below `extract` (which makes events) and `build` (which merges and ladders them)."""
from __future__ import annotations

from dataclasses import dataclass, field

HOME = "Vietnam"        # the other side of every event: never a partner of its own


@dataclass
class Evidence:
    doc: str
    passage: int
    quote: str

    def to_dict(self) -> dict:      # what asdict gives, without its deep copy
        return {"doc": self.doc, "passage": self.passage, "quote": self.quote}


@dataclass
class Event:
    date: str                  # YYYY, YYYY-MM, YYYY-MM-DD; "" when the text gives no year
    partners: list[str]
    kind: str
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    origin: str = "extracted"  # or "curated"
    date_basis: str = "text"   # the date is stated ("text"), the article's ("article_date"), or
                               # worked out from what the text gives ("derived")

    def to_dict(self) -> dict:      # what asdict gives, without deep-copying each piece twice
        return {"date": self.date, "partners": list(self.partners), "kind": self.kind,
                "summary": self.summary, "evidence": [e.to_dict() for e in self.evidence],
                "origin": self.origin, "date_basis": self.date_basis}


def event_tuple(e: Event) -> tuple:
    """An event as plain tuples (for `marshal`, in the records stored with the index)."""
    return (e.date, tuple(e.partners), e.kind, e.summary,
            tuple((v.doc, v.passage, v.quote) for v in e.evidence), e.origin, e.date_basis)


def event_of(t: tuple) -> Event:
    """The event of an `event_tuple`."""
    date, partners, kind, summary, evidence, origin, basis = t
    return Event(date, list(partners), kind, summary,
                 [Evidence(d, n, q) for d, n, q in evidence], origin, basis)
