"""Reading a word's postings in one segment in bulk (array blocks, see search.index.codec.blocks).

Whoosh's matchers hand out one posting at a time; the fast paths here read whole blocks:
document numbers and weights as arrays, and field lengths as the bytes of their column.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left
from operator import itemgetter

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

LENGTH = [byte_to_length(i) for i in range(256)]     # encoded field length -> length


def matcher(reader, field: str, text):
    """(matcher, deleted docnums or None) of a term in one segment, the matcher on the term's
    first posting and over all its postings, deleted documents included; (None, None) when
    the segment lacks the term.

    The one way in for every bulk reader here. Whoosh's own `reader.postings` wraps the
    matcher in a FilterMatcher that has already moved its child past the leading deleted
    documents (past a whole first block when it held only deleted ones): reading blocks
    from that child loses or misplaces them."""
    if (field, text) not in reader:
        return None, None
    if not isinstance(text, bytes):
        text = reader.schema[field].to_bytes(text)
    if hasattr(reader, "_terms"):            # a segment: its matcher, before any filter
        deleted = reader.deleted_docs_set if reader.has_deletions() else None
        return reader._terms.matcher(field, text, reader.schema[field].format), deleted or None
    m, deleted = reader.postings(field, text), None
    if isinstance(m, FilterMatcher) and m._exclude:
        deleted, m = m._ids, m.child
        m.reset()                               # back to the first posting
    return m, deleted or None


def postings(reader, field: str, text) -> tuple[array, array, set | None]:
    """A term's postings in one segment: (docnums, weights, deleted docnums or None).
    Deleted documents are still in the lists: callers drop them (a few, after a change)."""
    m, deleted = matcher(reader, field, text)
    ids, weights = array("I"), array("f")
    if m is None:
        return ids, weights, None
    if hasattr(m, "_read_ids") and hasattr(m, "_read_weights") and hasattr(m, "_atend"):
        while not m._atend:
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            m._next_block()
    else:
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
    return ids, weights, deleted


def raw(reader, field: str, text):
    """(block postings matcher on its first block, or None; deleted docnums or None) of a
    term in one segment."""
    m, deleted = matcher(reader, field, text)
    if not (hasattr(m, "_goto") and hasattr(m, "_baseoffset") and hasattr(m, "_nextoffset")):
        return None, deleted
    return m, deleted


def positioned(m, docs: list[int]):
    """Each of `docs` (sorted) that the term's matcher `m` holds, with `m` on its posting
    (so m.weight() and m.value() are that posting's). Array blocks are skipped by their last
    docnum and searched by bisection; other matchers are walked with skip_to."""
    if hasattr(m, "_maxid") and hasattr(m, "_read_ids") and hasattr(m, "_atend"):
        i, n = 0, len(docs)
        while i < n and not m._atend:
            if docs[i] <= m._maxid:
                m._read_ids()
                ids, last = m._ids, m._maxid
                while i < n and docs[i] <= last:
                    j = bisect_left(ids, docs[i])
                    if j < len(ids) and ids[j] == docs[i]:
                        m._i = j
                        yield docs[i]
                    i += 1
            m._next_block()
        return
    for d in docs:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            yield d


def probe(reader, field: str, text, docs: list[int]) -> dict[int, float]:
    """{docnum: weight} for the given docnums (sorted) that hold the term."""
    m = matcher(reader, field, text)[0]
    return {} if m is None else {d: m.weight() for d in positioned(m, docs)}


def values_at(reader, field: str, text, docs: list[int]) -> dict[int, bytes]:
    """{docnum: posting value} for the given docnums (sorted) that hold the term."""
    m = matcher(reader, field, text)[0]
    return {} if m is None else {d: m.value() for d in positioned(m, docs)}


def gather(data: bytes, ids) -> tuple:
    """data[i] for each i in ids (in C)."""
    return itemgetter(*ids)(data) if len(ids) > 1 else tuple(data[i] for i in ids)


def lengths(reader, field: str) -> bytes:
    """The encoded length of `field` in every document of one segment (cached)."""
    cache = reader.__dict__.setdefault("_vnx_lengths", {})
    if field not in cache:
        col = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        lengths = col._dbfile.get(col._basepos, col._count) if col is not None else b""
        cache[field] = lengths + bytes(max(0, reader.doc_count_all() - len(lengths)))
    return cache[field]
