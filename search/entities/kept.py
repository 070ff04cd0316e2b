"""The entity index and timeline of a whole corpus, worked out once per index generation and
kept beside the index, so commands and the app start from them in a fraction of a second.

`load(engine)` gives (entity index, merged timeline). The first time after an update it sums
up the records stored with the index (`summing`; no passage read) in two passes over them,
a window of documents at a time (`extracted.WINDOW`): the names the corpus takes as entities,
then each document's mentions appended to its entity's postings (arrays). Memory: the
postings and the passages' entities, never every record at once; time linear in the
mentions. It merges the timeline and keeps the entity list and the events
(`extracted.SUMMARY`), each entity's mentions as arrays and the entities of each passage
(`extracted.MENTIONS`), both cut in pieces (`pieces`). Later a `KeptEntityIndex` reads them:
a piece at a time with pauses between (the app's thread never holds the interpreter long),
and only the parts asked for (`entity NAME` reads its own entry and postings); `Mention`
objects are made only for the entity asked for, their concordance lines cut from the stored
passage text when read.
"""
from __future__ import annotations

import marshal
import time
from array import array
from bisect import bisect_left
from collections import Counter
from itertools import chain
from pathlib import Path
from typing import Callable

from search.entities import extracted as X
from search.entities import gazetteer as G
from search.entities import summing
from search.entities.mentions import (CONTEXT, EntityIndex, Entity, Mention, Stopped, _checking,
                                      _context, _fingerprint, _texts, extract)
from search.entities.summing import PLACE, STRIDE, kept_in
from search.corpus.text import fold



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


class _Events(_DocEvents):
    """{doc: its stored events} kept marshalled while summing up (a tenth of the memory)."""

    def __getitem__(self, doc):
        return marshal.loads(self._records[doc])

    def items(self):
        return ((doc, marshal.loads(data)) for doc, data in self._records.items())


class _Parts:
    """What was just worked out, read as a `pieces.Pieces` file is (a folder that cannot be
    written keeps nothing: the index is made from this)."""

    def __init__(self, parts: dict) -> None:
        self._parts = parts

    def __contains__(self, name: str) -> bool:
        return name in self._parts

    def get(self, name: str, pause: bool = True):
        return self._parts[name]

    def pieces(self, name: str) -> int:
        return 1

    def piece(self, name: str, i: int):
        return self._parts[name]

    def item(self, name: str, i: int):
        return self._parts[name][i]


class KeptEntityIndex(EntityIndex):
    """The same answers as `EntityIndex`, from what `load` kept: the entity list, each entity's
    mentions as an array (read when the entity is asked for: linear in its mentions), the
    entities of each passage (for company), and the stored records (a passage's mentions and
    text, one document read). Each part is read from the kept files when first needed, piece
    by piece (`pieces`): one entity asked for reads its own entry and postings, not the
    others'. The gazetteer is read only when an entry is asked for."""

    def __init__(self, summary, mentions, records, extra_files) -> None:
        self._files = extra_files
        self._gaz = None
        self._sum, self._kept = summary, mentions
        self._warnings = summary.get("warnings")
        self._records = records
        self._names = mentions.get("names")
        self._ids = {n: i for i, n in enumerate(self._names)}
        self._order = array("i")
        self._order.frombytes(mentions.get("order"))
        self._docs = mentions.get("docs")
        self._lookup = mentions.get("lookup")
        self.dirty = set(mentions.get("dirty"))
        self._made: dict[str, Entity] = {}       # Entity of each name read so far
        self._all: list[Entity] | None = None
        self._events = None
        self.doc_events = _DocEvents(records)
        self._entries = {}
        self._company: dict = {}            # cooccurring() of the names last asked
        self._last: dict = {}
        self._last_posting: tuple = (None, b"")
        self.texts = self._text

    def read_all(self, stop: Callable[[], bool] | None = None) -> None:
        """Read every part now (a piece at a time, other threads running between): the
        app's worker does this so its screen never waits on a read."""
        for part in ("_passage_ids", "_types", "_accepted", "kept_events"):
            if stop is not None and stop():
                raise Stopped()
            getattr(self, part)
        self.entities(stop=stop)

    @property
    def _passage_ids(self) -> tuple[array, array, array]:
        """(places in order, where each one's entities start in `flat`, flat): three arrays
        read as they are stored (a copy, no object made per passage)."""
        if "_passages" not in self.__dict__:
            self._passages = tuple(array(code, data) for code, data
                                   in zip("qii", self._kept.get("passages")))
        return self._passages

    @property
    def _types(self) -> dict:
        if "_types_" not in self.__dict__:
            self._types_ = self._kept.get("types")
        return self._types_

    @property
    def _accepted(self) -> dict:
        if "_accepted_" not in self.__dict__:
            self._accepted_ = self._kept.get("accepted")
            self._rank = {key: i for i, key in enumerate(self._accepted_)}
        return self._accepted_

    @property
    def kept_events(self) -> list:
        if self._events is None and "events" in self._sum:     # None: not merged yet
            self._events = self._sum.get("events")
        return self._events

    @kept_events.setter
    def kept_events(self, value) -> None:
        self._events = value

    @property
    def gazetteer(self) -> G.Gazetteer:
        if self._gaz is None:
            self._gaz = G.load(self._files)
        return self._gaz

    @property
    def warnings(self) -> list[str]:
        return list(self._warnings if self._warnings is not None else self.gazetteer.warnings)

    def entities(self, type: str | None = None, stop=None) -> list[Entity]:
        """Most mentioned first (the order they were kept in), read a piece at a time."""
        if self._all is None:
            found = []
            for i in range(self._sum.pieces("entities")):
                if i:
                    if stop is not None and stop():
                        raise Stopped()
                    time.sleep(0)
                for d in self._sum.piece("entities", i):
                    e = self._made.get(d["name"]) or Entity(**d)
                    self._made[e.name] = e
                    found.append(e)
            self._all = found
        return [e for e in self._all if type is None or e.type == type]

    def _entity(self, canonical: str) -> Entity | None:
        """The kept Entity of a name that has mentions (its piece of the list read alone)."""
        if canonical not in self._made:
            i = self._ids.get(canonical)
            if i is None:
                return None
            self._made[canonical] = Entity(**self._sum.item("entities", self._order[i]))
        return self._made[canonical]

    def entity(self, name: str) -> Entity | None:
        canonical = self._name(name)
        if canonical is None:
            return None
        found = self._entity(canonical)
        if found is not None:
            return found
        entry = self.gazetteer.get(canonical)
        return Entity(canonical, entry.type if entry else G.UNCLASSIFIED, [], 0, [])

    def _text(self, doc: str, number: int) -> str:
        if doc not in self._last:
            self._last = {doc: self._records.texts(doc)}
        return self._last[doc].get(number, "")

    def _posting(self, i: int) -> array:
        """Entity i's postings (the last one read is kept: company, then mentions)."""
        if self._last_posting[0] != i:
            self._last_posting = (i, self._kept.item("postings", i))
        flat = array("i")
        flat.frombytes(self._last_posting[1])
        return flat

    def _tuples(self, canonical: str, limit: int | None) -> list[tuple]:
        i = self._ids.get(canonical)
        if i is None:
            return []
        flat = self._posting(i)
        if limit is not None:
            del flat[limit * STRIDE:]
        aliases, docs = self._entity(canonical).aliases, self._docs
        it = iter(flat.tolist())
        return [(canonical, docs[d], n, s, e, aliases[a]) for d, n, s, e, a in zip(it, it, it, it, it)]

    def mentions(self, name: str, limit: int | None = None) -> list[Mention]:
        """The entity's mentions in corpus order (the first `limit`); the context of each is
        cut from the stored text when first read."""
        canonical = self._name(name)
        return [KeptMention(*m, self._text) for m in (self._tuples(canonical, limit) if canonical else [])]

    def mention_rows(self, name: str, limit: int | None = None) -> list[tuple]:
        """What `mentions` gives, as tuples (entity, doc, passage, start, end, text, left,
        right), every context cut now: a document's text read once for all its mentions."""
        canonical = self._name(name)
        out: list[tuple] = []
        last, texts = None, {}
        for c, doc, n, s, e, t in (self._tuples(canonical, limit) if canonical else []):
            if doc is not last:
                last, texts = doc, self._records.texts(doc)
            text = texts.get(n, "")
            out.append((c, doc, n, s, e, t, text[max(0, s - CONTEXT):s].replace("\n", " "),
                        text[e:e + CONTEXT].replace("\n", " ")))
        return out

    def _places(self, canonical: str) -> set:
        i = self._ids.get(canonical)
        if i is None:
            return set()
        flat = self._posting(i)
        return {d * PLACE + n for d, n in zip(flat[0::STRIDE], flat[1::STRIDE])}

    def cooccurring(self, name: str, limit: int = 10) -> list[tuple[str, int]]:
        canonical = self._name(name)
        i = self._ids.get(canonical) if canonical else None
        if i is None:
            return []
        if (canonical, limit) in self._company:
            return list(self._company[(canonical, limit)])
        keys, starts, flat = self._passage_ids
        spans, k, end = [], 0, len(keys)
        for place in sorted(self._places(canonical)):       # both in order: one walk
            hi = k + 16         # the next place is most often a few passages on
            k = bisect_left(keys, place, hi, end) if hi < end and keys[hi] < place \
                else bisect_left(keys, place, k, min(hi, end))
            if k < end and keys[k] == place:
                spans.append(flat[starts[k]:starts[k + 1]])
        counts = Counter(chain.from_iterable(spans))
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
        accepted = self._accepted
        found, places = kept_in(rec[0], accepted, self._rank, passage)
        return ([(name, doc, n, s, e, t) for name, n, s, e, t in found]
                + [(accepted[key], doc, n, s, e, t) for key, n, s, e, t in places])


def _open(engine, extra_files=None, stop=None, progress=None):
    """The entity index: kept (its parts read when needed), else summed up from the stored
    records and kept (with the merged timeline), else (no records, another gazetteer, a
    document whose extraction failed) by reading every document."""
    records = X.records_of(engine.store)
    usable = records is not None and engine.store.analysis == _fingerprint(extra_files)
    if usable:
        kept = X.kept_mentions(engine.store, extra_files)
        if kept is not None:
            return KeptEntityIndex(*kept, records, extra_files)
    with summing.paused_collector():
        return _work_out(engine, records, usable, extra_files, stop, progress)


def _work_out(engine, records, usable: bool, extra_files, stop, progress):
    """`_open` when nothing was kept: sum up the records (or read every document), keep."""
    from search.timeline.build import build_timeline       # summing up: not for one entity
    gaz = G.load(extra_files)
    summed = summing.sum_up(records, gaz, stop, progress) if usable else None
    if summed is None:
        docs = (engine.document(d["id"]) for d in _checking(engine.documents(), stop))
        index = extract((d for d in docs if d is not None), gaz)
        index.texts = _texts(engine)
        return index
    parts, entities, events = summed
    index = KeptEntityIndex(_Parts({"entities": entities, "warnings": list(gaz.warnings)}),
                            _Parts(parts), records, extra_files)
    index._gaz = gaz
    index.doc_events = _Events(events)
    if stop is not None and stop():
        raise Stopped()
    merged = build_timeline(engine, index, stop=stop)
    X.save_summary(engine.store, extra_files, entities, merged, parts, gaz.warnings)
    index.kept_events = [X.event_tuple(e) for e in merged]
    index.doc_events = _DocEvents(records)
    return index


def load(engine, extra_files: list[Path] | None = None, stop: Callable[[], bool] | None = None,
         progress: Callable[[int, int], None] | None = None):
    """(entity index, merged timeline) of everything the engine holds. Kept from an earlier
    call on this very index when there is one (read a piece at a time, other threads
    running between: linear in the entities and passages, no mention made); else from the
    stored records (two passes, a window of documents at a time), then kept; else (no
    records, another gazetteer, a document whose extraction failed) by reading every
    document."""
    from search.timeline.build import build_timeline
    index = _open(engine, extra_files, stop, progress)
    if isinstance(index, KeptEntityIndex):
        index.read_all(stop)
        return index, build_timeline(engine, index)
    return index, build_timeline(engine, index, stop=stop)


def load_entity_index(engine, extra_files: list[Path] | None = None,
                      stop: Callable[[], bool] | None = None) -> EntityIndex:
    """The entity index of everything the engine holds (the gazetteer with the user's files),
    kept beside the index with the timeline for the next time; its parts are read from there
    when first asked for (one entity: its own entry and mentions)."""
    return _open(engine, extra_files, stop)
