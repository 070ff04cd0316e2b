"""The first summing-up of the records stored with the index, after an update: two passes over
them, a window of documents at a time (`extracted.WINDOW`), never every record in memory,
time linear in the mentions. First the names the corpus takes as entities
(`mentions.taken`), then each document's mentions appended to its entity's postings (flat
arrays). `kept` keeps what this gives beside the index and reads it at later starts.
"""
from __future__ import annotations

import gc
import marshal
from array import array
from collections import Counter
from contextlib import contextmanager
from itertools import chain

from search.entities import extracted as X
from search.entities import gazetteer as G
from search.entities.mentions import (NOT_TAKEN, Entity, _checking, _gazetteer_lookup,
                                      main_form, taken)
from search.corpus.text import fold

STRIDE = 5           # doc number, passage, start, end, surface number: one mention in a posting
PLACE = 1 << 20      # a passage as one int: doc number * PLACE + passage number
PROGRESS_EVERY = 500    # documents between two progress reports while summing up


@contextmanager
def paused_collector():
    """The cycle collector paused, then as it was. Summing up (or printing one entity's
    60,000 mentions) makes millions of tuples, none in a cycle: each full collection walked
    them all (60-90 ms at 10,000 articles, the app's keys waiting meanwhile) for nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def kept_in(scan, accepted, rank: dict | None = None, passage: int | None = None):
    """What `aggregate` keeps of one document's scan (of one passage of it): its gazetteer
    mentions (name, passage, start, end, surface) in the order found, and its mentions of
    accepted names (key, passage, start, end, surface), each place once (its last surface),
    in the order first found (with `rank`: by the key's rank, then so); a mention inside
    another accepted name's span is not kept. Linear in the document's mentions."""
    found, cands = scan
    places: dict = {}
    for key, n, s, e, _, t in cands:
        if key in accepted and (passage is None or n == passage):
            places[(key, n, s, e)] = t
    spans: dict = {}
    for _, n, s, e in places:
        spans.setdefault(n, []).append((s, e))

    names = [(name, n, s, e, t) for name, _, n, s, e, t in found
             if (passage is None or n == passage) and _kept(spans, n, s, e)]
    order = list(places.items())
    if rank is not None and len(order) > 1:
        order = [order[i] for i in sorted(range(len(order)), key=lambda i: (rank[order[i][0][0]], i))]
    return names, [(key, n, s, e, t) for (key, n, s, e), t in order if _kept(spans, n, s, e)]


def _kept(spans: dict, n: int, s: int, e: int) -> bool:
    """Whether a mention at (passage n, s, e) is not inside an accepted name's longer span."""
    near = spans.get(n)
    return near is None or not any(a <= s and e <= b and (a, b) != (s, e) for a, b in near)


class _Stream:
    """One entity's mentions from one source (gazetteer, or one accepted key), in corpus
    order: flat (doc number, passage, start, end, form number), its forms with their counts
    in the order first written, and the documents."""
    __slots__ = ("flat", "forms", "counts", "docs")

    def __init__(self) -> None:
        self.flat, self.forms, self.counts, self.docs = array("i"), {}, [], array("i", [-1])


def sum_up(records, gaz, stop=None, progress=None) -> tuple | None:
    """Sum up the stored records in two passes over them, a window of documents at a time
    (never all records in memory; time linear in the mentions): the names the corpus takes
    (`mentions.taken`), then each document's mentions added to its entity's postings. Gives
    (the parts a KeptEntityIndex reads, the entity list, the documents' events marshalled),
    or None when a document's extraction failed (then everything is read again). Progress
    is reported in the first pass (the second reads the same documents again)."""
    total = len(records)
    kinds: dict[str, Counter] = {}
    forms: dict[str, Counter] = {}
    for done, (doc, rec) in enumerate(_checking(records.items(), stop), 1):
        if rec is None:
            return None
        seen = {}
        for key, n, s, e, kind, t in rec[0][1]:
            if key not in kinds:
                kinds[key], forms[key] = Counter(), Counter()
            if kind:
                kinds[key][kind] += 1
            seen[(key, n, s, e)] = t
        for at, t in seen.items():
            forms[at[0]][t] += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    lower = records.lower
    accepted: dict[str, tuple] = {}
    for key, counted in _checking(kinds.items(), stop):
        if key not in gaz.entries:
            kind = taken(key, counted, sum(forms[key].values()), lower)
            if kind != NOT_TAKEN:
                accepted[key] = (main_form(forms[key]), kind)
    del kinds, forms
    names = {key: v[0] for key, v in accepted.items()}
    rank = {key: i for i, key in enumerate(accepted)}
    number = {d: i for i, d in enumerate(records.docs)}
    by_name: dict[str, _Stream] = {}        # a gazetteer name's mentions
    by_key: dict[str, _Stream] = {}         # an accepted name's mentions
    passages: dict[int, tuple] = {}         # place -> names in it, in `aggregate`'s order
    types: dict[str, str] = {}
    events, dirty = {}, []
    for doc, rec in _checking(records.items(), stop):
        d = number[doc]
        found, places = kept_in(rec[0], names, rank)
        for name, kind, *_ in rec[0][0]:
            types[name] = kind
        here: dict[int, list] = {}
        for streams, k, name, n, s, e, t in chain(
                ((by_name, name, name, n, s, e, t) for name, n, s, e, t in found),
                ((by_key, key, names[key], n, s, e, t) for key, n, s, e, t in places)):
            st = streams.get(k)
            if st is None:
                st = streams[k] = _Stream()
            f = st.forms.get(t)
            if f is None:
                f = st.forms[t] = len(st.counts)
                st.counts.append(0)
            st.counts[f] += 1
            st.flat.extend((d, n, s, e, f))
            if st.docs[-1] != d:
                st.docs.append(d)
            named = here.get(n)
            if named is None:
                here[n] = [name]
            else:
                named.append(name)
        for n, named in here.items():
            passages[d * PLACE + n] = tuple(dict.fromkeys(named))
        events[doc] = marshal.dumps(rec[1])       # compact until the timeline reads it
        if X.dirty({doc: rec}, names):
            dirty.append(doc)
    for name, kind in accepted.values():
        if kind:
            types[name] = kind
    streams: dict[str, list[_Stream]] = {name: [st] for name, st in by_name.items()}
    for key in accepted:
        if key in by_key:
            streams.setdefault(names[key], []).append(by_key.pop(key))
    del by_name
    parts, entities = postings(gaz, records.docs, streams, types)
    ids = {n: i for i, n in enumerate(parts["names"])}
    keys, starts, flat = array("q", sorted(passages)), array("i", [0]), array("i")
    for place in keys:
        flat.extend([ids[n] for n in passages[place]])
        starts.append(len(flat))
    parts.update(passages=(keys.tobytes(), starts.tobytes(), flat.tobytes()), accepted=names,
                 dirty=dirty)
    return parts, entities, events


def postings(gaz, docs: list, streams: dict, types: dict) -> tuple[dict, list]:
    """Each entity's postings, its Entity, the name lookup, as `EntityIndex` makes them from
    the same mentions (streams: name -> its mentions' streams in `aggregate`'s order)."""
    names = list(streams)
    lookup = dict(_gazetteer_lookup(gaz))
    postings, entities = [], []
    for name, parts in streams.items():
        counts: dict[str, int] = {}
        for st in parts:
            for form, f in st.forms.items():
                counts[form] = counts.get(form, 0) + st.counts[f]
        aliases = [f for f, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
        at = {f: i for i, f in enumerate(aliases)}
        flat = array("i")
        for st in parts:
            table = [at[f] for f in st.forms]
            st.flat[4::STRIDE] = array("i", [table[f] for f in st.flat[4::STRIDE]])
            flat.extend(st.flat)
        postings.append(flat.tobytes())
        seen = sorted(set(chain.from_iterable(st.docs[1:] for st in parts)))
        entities.append(Entity(name=name, type=types.get(name, G.UNCLASSIFIED), aliases=aliases,
                               mentions=len(flat) // STRIDE, docs=[docs[i] for i in seen]))
        lookup[fold(name)] = name
        for surface in counts:
            lookup.setdefault(fold(surface), name)
        parts.clear()
    entities.sort(key=lambda e: (-e.mentions, fold(e.name)))
    ids = {n: i for i, n in enumerate(names)}
    order = array("i", bytes(4 * len(names)))
    for pos, e in enumerate(entities):
        order[ids[e.name]] = pos
    return ({"names": names, "postings": postings, "docs": list(docs), "lookup": lookup,
             "types": types, "order": order.tobytes()}, [e.to_dict() for e in entities])
