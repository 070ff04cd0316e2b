"""Vietnam's relationships in time: events with evidence, and a partnership ladder per partner.

Curated events come from `data/partnerships.yaml`; extracted events from sentences of any article
that state a relationship (upgraded a partnership, normalised ties, joined, signed, visited, ...)
with a date. The same event told by several articles becomes one event with several pieces of
evidence. Every piece of evidence names its document, passage and a quote from that passage.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from search.corpus.dates import check_date
from search.timeline.extract import extract_events
from search.timeline.model import HOME, Event, Evidence, event_of  # noqa: F401  (re-exported)
from search.model import checking
from search.paths import bundled_data
from search.corpus.text import fold
from search.yamlsafe import read_yaml

KINDS = ("normalisation", "diplomatic relations", "comprehensive partnership",
         "strategic partnership", "comprehensive strategic partnership", "membership", "visit",
         "agreement", "trade", "defence", "incident", "other")
TIERS = ("diplomatic relations", "comprehensive partnership", "strategic partnership",
         "comprehensive strategic partnership")
LADDER_KINDS = ("normalisation",) + TIERS


LadderStep = Event


@dataclass
class PartnerLadder:
    partner: str
    tier: str                  # the highest tier reached, or "diplomatic relations"
    steps: list[Event]

    def to_dict(self) -> dict:
        return {"partner": self.partner, "tier": self.tier,
                "steps": [s.to_dict() for s in self.steps]}


def load_curated(path: Path | None = None, warnings: list[str] | None = None) -> list[Event]:
    """The curated events of a partnerships YAML file (bundled by default)."""
    path = path or bundled_data() / "partnerships.yaml"
    warnings = warnings if warnings is not None else []
    data, problem = read_yaml(path)
    if problem:
        warnings.append(problem.about(path))
        return []
    out = []
    for i, raw in enumerate(data.get("events") or [] if isinstance(data, dict) else []):
        try:
            kind = str(raw["kind"])
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r}")
            date, problem = check_date(raw.get("date"))
            if problem:
                raise ValueError(problem)
            out.append(Event(
                date=date or "", partners=[str(p) for p in raw["partners"]],
                kind=kind, summary=str(raw.get("summary") or ""), origin="curated",
                date_basis=str(raw.get("date_basis") or "text"),
                evidence=[Evidence(str(e["doc"]), int(e["passage"]), str(e["quote"]))
                          for e in raw.get("evidence") or []]))
        except (KeyError, TypeError, ValueError) as e:
            warnings.append(f"{path}: event {i + 1} skipped ({e})")
    return out


def date_key(date: str) -> tuple:
    """Sort key: undated events last; a year before its months."""
    return (0, date) if date else (1, "")


def _compatible(a: str, b: str) -> bool:
    if not a or not b:
        return not a and not b
    return a.startswith(b) or b.startswith(a)


def _same(a: Event, b: Event) -> bool:
    """Two tellings of one event: same kind, compatible dates, one partner list within the other.
    Within one article, statements with different dates stay apart unless they quote one sentence."""
    pa, pb = {fold(p) for p in a.partners}, {fold(p) for p in b.partners}
    if a.kind != b.kind or not _compatible(a.date, b.date) or not (pa <= pb or pb <= pa):
        return False
    if a.date != b.date and {e.doc for e in a.evidence} & {e.doc for e in b.evidence}:
        return any(x.doc == y.doc and x.passage == y.passage and (x.quote in y.quote or y.quote in x.quote)
                   for x in a.evidence for y in b.evidence)     # the same sentence, read twice
    return True


def _absorb(into: Event, other: Event) -> None:
    if len(other.date) > len(into.date) and into.origin != "curated":
        into.date, into.date_basis = other.date, other.date_basis
    if len(other.partners) > len(into.partners) and into.origin != "curated":
        into.partners = other.partners
    seen = {(e.doc, e.passage) for e in into.evidence}
    for e in other.evidence:
        if (e.doc, e.passage) not in seen:
            into.evidence.append(e)
            seen.add((e.doc, e.passage))
    if other.origin == "curated" and into.origin != "curated":
        into.origin, into.summary, into.date = "curated", other.summary, other.date
        into.date_basis = other.date_basis
        into.partners = other.partners


def merge(events: list[Event]) -> list[Event]:
    """One event per happening: same kind, compatible dates, one partner list within the other."""
    merged: list[Event] = []
    by_key: dict[tuple[str, str], list[Event]] = {}   # events that can match: same kind and year
    ordered = sorted(events, key=lambda e: (e.origin != "curated", -len(e.date)))
    for ev in ordered:
        ev = Event(ev.date, list(ev.partners), ev.kind, ev.summary, list(ev.evidence), ev.origin,
                   ev.date_basis)
        near = by_key.setdefault((ev.kind, ev.date[:4]), [])
        match = next((m for m in near if _same(m, ev)), None)
        if match is None:
            merged.append(ev)
            near.append(ev)
        else:
            _absorb(match, ev)
    return sorted(merged, key=lambda e: (date_key(e.date), e.kind, e.partners))


def loaded(events: list[Event], engine) -> list[Event]:
    """The curated events with the evidence that is in the corpus being explored (its passage is
    there and quotes it), so each event shown opens its evidence; an event with none is left out."""
    def here(e: Evidence) -> bool:
        try:
            passage = engine.passage(e.doc, e.passage)
        except Exception:          # an id the engine cannot look up: not here
            return False
        return passage is not None and e.quote in passage.text
    out = []
    for ev in events:
        evidence = [e for e in ev.evidence if here(e)]
        if evidence:
            ev.evidence = evidence
            out.append(ev)
    return out


def build_timeline(engine, entity_index, curated: Path | None = None, stop=None) -> list[Event]:
    """Curated events whose evidence is loaded and extracted events, merged, in date order.
    The extracted events stored with the index when the entity index came from there (only
    documents whose events hang on a corpus-wide decision are read again), else from the text."""
    stored = getattr(entity_index, "doc_events", None)
    if stored is None:
        docs = (engine.document(d["id"]) for d in checking(engine.documents(), stop))
        found = extract_events((d for d in docs if d is not None), entity_index)
    else:
        found = []
        for doc, events in checking(stored.items(), stop):
            if doc in entity_index.dirty:
                again = engine.document(doc)
                found += extract_events([again] if again else [], entity_index)
            else:
                found += [event_of(e) for e in events]
    return merge(loaded(load_curated(curated), engine) + found)


def ladder(events: list[Event]) -> list[PartnerLadder]:
    """For each partner: its current tier with Vietnam and the dated steps that led there."""
    steps: dict[str, list[Event]] = {}
    for ev in events:
        if ev.kind not in LADDER_KINDS:
            continue
        for p in ev.partners:
            if fold(p) != fold(HOME):
                steps.setdefault(p, []).append(ev)
    out = []
    for partner, evs in steps.items():
        curated = {e.kind for e in evs if e.origin == "curated"}
        evs = sorted((e for e in evs if e.origin == "curated" or e.kind not in curated),
                     key=lambda e: date_key(e.date))     # a curated step outranks a looser reading
        reached = [TIERS.index(e.kind) for e in evs if e.kind in TIERS]
        tier = TIERS[max(reached)] if reached else "diplomatic relations"
        out.append(PartnerLadder(partner, tier, evs))
    return sorted(out, key=lambda l: (-TIERS.index(l.tier), fold(l.partner)))
