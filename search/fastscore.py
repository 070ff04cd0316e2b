"""Top N for AND queries of words, scored in bulk with Whoosh's own BM25F formula.

Whoosh walks its matchers one document at a time in Python; for a word in most
passages (or two common words ANDed) it scores every match, which costs about a second
at 10,000 articles. Here each word's postings are read a block at a time, the matching
documents are found with set operations, and each is scored with the same formula,
statistics (idf, average field length) and field lengths as Whoosh, so hits, order and
scores are Whoosh's (up to the order of float additions). The count comes for free.
Queries of any other shape return None and go the Whoosh way.
"""
from __future__ import annotations

import heapq

from whoosh import query, scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from .counting import Unsupported, _ids

LENGTH = [byte_to_length(i) for i in range(256)]


class FastHit:
    """What the engine reads from a hit: document number, score, stored fields."""

    __slots__ = ("searcher", "docnum", "score")

    def __init__(self, searcher, docnum: int, score: float):
        self.searcher, self.docnum, self.score = searcher, docnum, score

    def fields(self) -> dict:
        return self.searcher.stored_fields(self.docnum)


def _flatten(q, pos: list, neg: list) -> bool:
    if isinstance(q, query.Term):
        pos.append(q)
        return q.boost == 1
    if isinstance(q, query.And) and q.boost == 1:
        for c in q.subqueries:
            if isinstance(c, query.Not):
                neg.append(c.query)
            elif not _flatten(c, pos, neg):
                return False
        return True
    return False


def _postings(reader, field: str, text) -> tuple[list[int], list[float]]:
    """A term's live postings in one segment: (docnums, weights)."""
    if (field, text) not in reader:
        return [], []
    m = reader.postings(field, text)
    deleted = None
    if isinstance(m, FilterMatcher) and m._exclude:
        deleted, m = m._ids, m.child
    ids: list[int] = []
    weights: list[float] = []
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
    if deleted:
        keep = [i for i, d in enumerate(ids) if d not in deleted]
        ids, weights = [ids[i] for i in keep], [weights[i] for i in keep]
    return ids, weights


def _raw(reader, field: str, text):
    """(block postings matcher or None, deleted docnums or None) of a term in one segment."""
    if (field, text) not in reader:
        return None, None
    m = reader.postings(field, text)
    deleted = None
    if isinstance(m, FilterMatcher) and m._exclude:
        deleted, m = m._ids, m.child
    if not (hasattr(m, "_goto") and hasattr(m, "_baseoffset") and hasattr(m, "_nextoffset")):
        return None, deleted
    return m, deleted


def _probe(reader, field: str, text, docs: list[int]) -> dict[int, float]:
    """{docnum: weight} for the given live docnums (sorted) that hold the term: skips blocks."""
    if (field, text) not in reader:
        return {}
    # Unfiltered: the docnums asked about decide (deleted or live). (A FilterMatcher's
    # child has already been moved past the leading deleted documents.)
    m = reader._terms.matcher(field, text, reader.schema[field].format)
    out = {}
    for d in docs:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            out[d] = m.weight()
    return out


def _top_single(reader, field, btext, score, limit: int):
    """(top [(score, -docnum)], count) of one word in one segment, reading only the blocks
    whose best possible score (highest weight, shortest field) can still reach the top."""
    m, deleted = _raw(reader, field, btext)
    if m is None:
        return None
    count = reader.doc_frequency(field, btext)
    if deleted:
        count -= len(_probe(reader, field, btext, sorted(deleted)))
    blocks, pos = [], m._baseoffset
    while not m._atend:
        blocks.append((score(m._maxweight, m._minlength), pos))
        pos = m._nextoffset
        m._next_block()
    blocks.sort(reverse=True)
    lengths = _lengths(reader, field)
    top: list = []
    for bound, pos in blocks:
        if len(top) >= limit and bound < top[0][0]:
            break
        m._goto(pos)
        m._read_ids()
        m._read_weights()
        for d, tf in zip(m._ids, m._weights):
            if deleted and d in deleted:
                continue
            item = (score(tf, LENGTH[lengths[d]] if d < len(lengths) else 0), -d)
            if len(top) < limit:
                heapq.heappush(top, item)
            elif item > top[0]:
                heapq.heapreplace(top, item)
    return top, count


def _lengths(reader, field: str) -> bytes:
    """The encoded length of `field` in every document of one segment (cached)."""
    cache = reader.__dict__.setdefault("_vnx_lengths", {})
    if field not in cache:
        col = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        cache[field] = col._dbfile.get(col._basepos, col._count) if col is not None else b""
    return cache[field]


def top(searcher, q, limit: int):
    """(hits, total) for q, or None when q is not words ANDed (with NOTs) under BM25F."""
    weighting = searcher.weighting
    if type(weighting) is not scoring.BM25F or not hasattr(searcher, "leaf_searchers"):
        return None
    pos: list = []
    neg: list = []
    if not _flatten(q, pos, neg) or not pos:
        return None
    schema = searcher.schema
    if any(t.fieldname not in schema or not schema[t.fieldname].scorable for t in pos):
        return None
    K1 = weighting.K1
    stats = []
    for t in pos:
        btext = schema[t.fieldname].to_bytes(t.text)
        stats.append((t.fieldname, btext, searcher.idf(t.fieldname, btext),
                      searcher.avg_field_length(t.fieldname) or 1,
                      weighting._field_B.get(t.fieldname, weighting.B)))
    total, best = 0, []
    try:
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if not hasattr(reader, "_perdoc"):
                return None
            if len(stats) == 1 and not neg:
                field, btext, idf, avgfl, B = stats[0]
                single = _top_single(reader, field, btext, lambda tf, fl: idf * (
                    (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))), limit)
                if single is not None:
                    total += single[1]
                    best.extend((sc, nd - offset) for sc, nd in single[0])
                    continue
            scores: dict[int, float] | None = None
            for field, btext, idf, avgfl, B in sorted(
                    stats, key=lambda s: reader.doc_frequency(s[0], s[1])):
                lengths = _lengths(reader, field)
                count = len(lengths)
                if scores is not None and len(scores) * 8 < reader.doc_frequency(field, btext):
                    found = _probe(reader, field, btext, sorted(scores))
                    ids, weights = list(found), list(found.values())
                else:
                    ids, weights = _postings(reader, field, btext)
                if scores is None:
                    scores = {d: idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * (
                        LENGTH[lengths[d]] if d < count else 0) / avgfl)))
                        for d, tf in zip(ids, weights)}
                else:
                    scores = {d: scores[d] + idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * (
                        LENGTH[lengths[d]] if d < count else 0) / avgfl)))
                        for d, tf in zip(ids, weights) if d in scores}
                if not scores:
                    break
            for nq in neg:
                if scores:
                    for d in _ids(nq, reader) & scores.keys():
                        del scores[d]
            if not scores:
                continue
            if neg:               # Whoosh scores each NOT part 1.0 in every hit
                scores = {d: sc + float(len(neg)) for d, sc in scores.items()}
            total += len(scores)
            best.extend((s, nd - offset) for s, nd in heapq.nlargest(
                limit, ((s, -d) for d, s in scores.items())))
    except Unsupported:
        return None
    best = heapq.nlargest(limit, best)
    return [FastHit(searcher, -nd, s) for s, nd in best], total
