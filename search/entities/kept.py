"""The entity index and timeline of a whole corpus, worked out once per index generation and
kept beside the index, so commands and the app start from them in a fraction of a second.

`load(engine)` gives (entity index, merged timeline). The first time after an update it sums
up the records stored with the index (`extracted`; linear in the mentions, no passage read),
merges the timeline and keeps: the entity list and the events (`extracted.SUMMARY`), and each
entity's mentions as arrays with the entities of each passage (`extracted.MENTIONS`). Later it
reads those back into a `KeptEntityIndex`, which makes `Mention` objects only for the entity
asked for, cutting their concordance lines from the stored passage text when read.
"""
from __future__ import annotations

from array import array
from collections import Counter
from itertools import chain
from pathlib import Path
from typing import Callable

from search.entities import extracted as X
from search.entities import gazetteer as G
from search.entities.mentions import (EntityIndex, Entity, Mention, Stopped, _checking, _context,  # noqa: F401
                       _fingerprint, _texts, accepted_names, aggregate, extract)
from search.corpus.text import fold

STRIDE = 5           # doc number, passage, start, end, surface number: one mention in a posting
PLACE = 1 << 20      # a passage as one int: doc number * PLACE + passage number
PROGRESS_EVERY = 500    # documents between two progress reports while summing up


class KeptMention(Mention):
    """A Mention whose concordance context is cut from the stored text when first read."""

    def __init__(self, entity, doc, passage, start, end, text, texts) -> None:
        self.entity, self.doc, self.passage = entity, doc, passage
        self.start, self.end, self.text = start, end, text
        self._texts, self._cut = texts, None

    def _context(self) -> tuple[str, str]:
        if self._cut is None:
            self._cut = _context(self._texts(self.doc, self.passage), self.start, self.end)
        return self._cut

    @property
    def left(self):
        return self._context()[0]

    @left.setter
    def left(self, value):
        self._cut = (value, self._context()[1])

    @property
    def right(self):
        return self._context()[1]

    @right.setter
    def right(self, value):
        self._cut = (self._context()[0], value)


class _DocEvents:
    """{doc: its stored events}, read from the records when asked."""

    def __init__(self, records) -> None:
        self._records = records

    def __getitem__(self, doc):
        return self._records.get(doc)[1]

    def __iter__(self):
        return iter(self._records.docs)

    def __len__(self) -> int:
        return len(self._records)

    def items(self):
        return ((doc, rec[1]) for doc, rec in self._records.items())


class KeptEntityIndex(EntityIndex):
    """The same answers as `EntityIndex`, from what `load` kept: the entity list, each entity's
    mentions as an array (read when the entity is asked for: linear in its mentions), the
    entities of each passage (for company), and the stored records (a passage's mentions and
    text, one document read). The gazetteer is read only when an entry is asked for."""

    def __init__(self, summary: dict, mentions: dict, records, extra_files) -> None:
        self._files = extra_files
        self._gaz = None
        self._warnings = summary.get("warnings")
        self._records = records
        self._entities = {d["name"]: Entity(**d) for d in summary["entities"]}
        self._names = mentions["names"]
        self._ids = {n: i for i, n in enumerate(self._names)}
        self._postings = mentions["postings"]
        self._passage_ids = mentions["passages"]
        self._docs = mentions["docs"]
        self._lookup = mentions["lookup"]
        self._types = mentions["types"]
        self._accepted = mentions["accepted"]
        self._rank = {key: i for i, key in enumerate(self._accepted)}
        self.dirty = set(mentions["dirty"])
        self.doc_events = _DocEvents(records)
        self.kept_events = summary["events"]
        self._entries = {}
        self._company: dict = {}            # cooccurring() of the names last asked
        self._last: dict = {}
        self.texts = self._text

    @property
    def gazetteer(self) -> G.Gazetteer:
        if self._gaz is None:
            self._gaz = G.load(self._files)
        return self._gaz

    @property
    def warnings(self) -> list[str]:
        return list(self._warnings if self._warnings is not None else self.gazetteer.warnings)

    def _text(self, doc: str, number: int) -> str:
        if doc not in self._last:
            self._last = {doc: self._records.texts(doc)}
        return self._last[doc].get(number, "")

    def _tuples(self, canonical: str, limit: int | None) -> list[tuple]:
        i = self._ids.get(canonical)
        if i is None:
            return []
        flat = array("i")
        flat.frombytes(self._postings[i])
        if limit is not None:
            del flat[limit * STRIDE:]
        aliases, docs = self._entities[canonical].aliases, self._docs
        it = iter(flat.tolist())
        return [(canonical, docs[d], n, s, e, aliases[a]) for d, n, s, e, a in zip(it, it, it, it, it)]

    def mentions(self, name: str, limit: int | None = None) -> list[Mention]:
        """The entity's mentions in corpus order (the first `limit`); the context of each is
        cut from the stored text when first read."""
        canonical = self._name(name)
        return [KeptMention(*m, self._text) for m in (self._tuples(canonical, limit) if canonical else [])]

    def _places(self, canonical: str) -> set:
        i = self._ids.get(canonical)
        if i is None:
            return set()
        flat = array("i")
        flat.frombytes(self._postings[i])
        return {d * PLACE + n for d, n in zip(flat[0::STRIDE], flat[1::STRIDE])}

    def cooccurring(self, name: str, limit: int = 10) -> list[tuple[str, int]]:
        canonical = self._name(name)
        i = self._ids.get(canonical) if canonical else None
        if i is None:
            return []
        if (canonical, limit) in self._company:
            return list(self._company[(canonical, limit)])
        get = self._passage_ids.get
        counts = Counter(chain.from_iterable(get(place, ()) for place in self._places(canonical)))
        counts.pop(i, None)
        top = counts.most_common(limit)     # ties at the last place: all of them, then sorted
        floor = top[-1][1] if top and limit else 0
        found = [(self._names[j], c) for j, c in counts.items() if c >= floor]
        found = sorted(found, key=lambda x: (-x[1], fold(x[0])))[:limit]
        if len(self._company) > 16:
            self._company.clear()
        self._company[(canonical, limit)] = found
        return list(found)

    def _in_passage(self, doc: str, passage: int) -> list[tuple]:
        """What `aggregate` gives for one passage, from its document's stored record."""
        try:
            rec = self._records.get(doc)
        except KeyError:
            return []
        found, cands = rec[0]
        raw = [(name, doc, n, s, e, t) for name, _, n, s, e, t in found if n == passage]
        places: dict = {}
        for key, n, s, e, _, t in cands:
            if n == passage and key in self._accepted:
                at = (key, s, e)
                places[at] = (self._rank[key], places[at][1] if at in places else len(places), t)
        spans = [(s, e) for _, s, e in places]
        raw += [(self._accepted[key], doc, passage, s, e, t) for (key, s, e), (_, _, t)
                in sorted(places.items(), key=lambda x: x[1][:2])]
        return [m for m in raw if not any(
            s <= m[3] and m[4] <= e and (s, e) != (m[3], m[4]) for s, e in spans)]


def _mentions_data(index: EntityIndex, records, accepted: dict, stop=None) -> dict:
    """What a KeptEntityIndex needs of an aggregated index: linear in the mentions."""
    docs = list(records.docs)
    number = {d: i for i, d in enumerate(docs)}
    names = list(index._mentions)
    ids = {n: i for i, n in enumerate(names)}
    postings = []
    for name, ms in _checking(index._mentions.items(), stop):
        alias = {a: i for i, a in enumerate(index._entities[name].aliases)}
        postings.append(array("i", [v for _, d, n, s, e, t in ms
                                    for v in (number[d], n, s, e, alias[t])]).tobytes())
    places = {number[d] * PLACE + n: tuple(dict.fromkeys(ids[m[0]] for m in ms))
              for (d, n), ms in index._passage.items()}
    return {"names": names, "postings": postings, "passages": places, "docs": docs,
            "lookup": index._lookup, "types": index._types,
            "accepted": {key: v[0] for key, v in accepted.items()}, "dirty": sorted(index.dirty)}


def load(engine, extra_files: list[Path] | None = None, stop: Callable[[], bool] | None = None,
         progress: Callable[[int, int], None] | None = None):
    """(entity index, merged timeline) of everything the engine holds. Kept from an earlier
    call on this very index when there is one (reading it: linear in the entities and
    passages, no mention made); else from the stored records, then kept; else (no records,
    another gazetteer, a document whose extraction failed) by reading every document."""
    from search.timeline.build import build_timeline
    records = X.records_of(engine.store)
    usable = records is not None and engine.store.analysis == _fingerprint(extra_files)
    if usable:
        kept = X.kept_mentions(engine.store, extra_files)
        if kept is not None:
            index = KeptEntityIndex(*kept, records, extra_files)
            return index, build_timeline(engine, index)
    gaz = G.load(extra_files)
    if usable:
        total, stored = len(records), {}
        for done, (doc, rec) in enumerate(_checking(records.items(), stop), 1):
            stored[doc] = rec
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
        usable = None not in stored.values()
    if not usable:
        docs = (engine.document(d["id"]) for d in _checking(engine.documents(), stop))
        index = extract((d for d in docs if d is not None), gaz)
        index.texts = _texts(engine)
        return index, build_timeline(engine, index, stop=stop)
    scans = {doc: rec[0] for doc, rec in stored.items()}
    lower = records.lower
    accepted = accepted_names(scans, gaz, lower, stop)
    index = aggregate(scans, gaz, lower, None, accepted, stop)
    index.doc_events = {doc: rec[1] for doc, rec in stored.items()}
    index.dirty = X.dirty(stored, accepted)
    del stored, scans
    if stop is not None and stop():
        raise Stopped()
    events = build_timeline(engine, index, stop=stop)
    data = _mentions_data(index, records, accepted, stop)
    summary = {"entities": [e.to_dict() for e in index.entities()],
               "events": [X.event_tuple(e) for e in events], "warnings": list(gaz.warnings)}
    X.save_summary(engine.store, extra_files, summary["entities"], events, data, gaz.warnings)
    kept = KeptEntityIndex(summary, data, records, extra_files)
    kept._gaz = gaz
    return kept, build_timeline(engine, kept)


def load_entity_index(engine, extra_files: list[Path] | None = None,
                      stop: Callable[[], bool] | None = None) -> EntityIndex:
    """The entity index of everything the engine holds (the gazetteer with the user's files):
    `load`, which keeps it beside the index with the timeline for the next time."""
    return load(engine, extra_files, stop)[0]
