"""The top N of a query, scored in bulk with Whoosh's own BM25F formula.

Whoosh walks its matchers one document at a time in Python; for a word in most passages
that cost most of a second at 10,000 articles. Here postings are read a block at a time
(search.index.score.bulk) and scored in bulk: one word by its blocks in order of their best possible
score (search.index.score.top), words ANDed by sets and bounds (search.index.score.pruned), other shapes
(OR, wildcards, fuzzy terms, fields) by search.index.score.evaluate. Same formula, statistics (idf,
average field length) and field lengths as Whoosh, so hits, order and scores are Whoosh's
(up to the order of float additions); the count is exact. Shapes it cannot score (phrases
on other fields, ranges, ...) return None and go the Whoosh way.
"""
from __future__ import annotations

import heapq
from itertools import compress
from operator import neg

from whoosh import query, scoring

from search.index.score.counting import Unsupported
from search.index.score.bm25 import Scores
from search.index.score.evaluate import Evaluator
from search.index.score import pruned
from search.index.score.bulk import gather, lengths, matcher, probe


class FastHit:
    """What the engine reads from a hit: document number, score, stored fields."""

    __slots__ = ("searcher", "docnum", "score")

    def __init__(self, searcher, docnum: int, score: float):
        self.searcher, self.docnum, self.score = searcher, docnum, score

    def fields(self) -> dict:
        return self.searcher.stored_fields(self.docnum)


def _top_single(reader, field, btext, score, limit: int):
    """(top [(score, -docnum)], count) of one word in one segment, reading only the blocks
    whose best possible score (highest weight, shortest field) can still reach the top."""
    m, deleted = matcher(reader, field, btext)
    if m is None:
        return None
    count = reader.doc_frequency(field, btext)
    if deleted:
        count -= len(probe(reader, field, btext, sorted(deleted)))
    blocks = sorted(((score(weight, length), pos) for weight, length, pos in m.block_bounds()),
                    reverse=True)
    lens = lengths(reader, field)
    get = Scores(score, 1.0).__getitem__
    top: list = []
    for bound, pos in blocks:
        if len(top) >= limit and bound < top[0][0]:
            break
        ids, weights = m.read_block(pos)
        scores = list(map(get, zip(weights, gather(lens, ids))))
        items = zip(scores, map(neg, ids))
        if len(top) >= limit:
            if max(scores) < top[0][0]:
                continue
            items = compress(items, map(top[0][0].__le__, scores))
        for item in items:
            if deleted and -item[1] in deleted:
                continue
            if len(top) < limit:
                heapq.heappush(top, item)
            elif item > top[0]:
                heapq.heapreplace(top, item)
    return top, count


def _best(scores: dict, limit: int) -> list[tuple[float, int]]:
    """The `limit` best (score, -docnum): ties go to the lower docnum, as in Whoosh."""
    items = zip(scores.values(), map(neg, scores.keys()))
    if len(scores) > limit * 4:      # only scores reaching the limit-th best are compared as pairs
        least = heapq.nlargest(limit, scores.values())[-1]
        items = compress(items, map(least.__le__, scores.values()))
    return heapq.nlargest(limit, items)


def top(searcher, q, limit: int, count: bool = True):
    """(hits, total) for q scored in bulk, or None when q has a shape Whoosh must score.
    With count=False the total may be short (passages that cannot make the top are skipped)."""
    if type(searcher.weighting) is not scoring.BM25F or not hasattr(searcher, "leaf_searchers"):
        return None
    ev = Evaluator(searcher, 0 if count else limit)
    try:
        ev.check(q)
    except Unsupported:
        return None
    schema = searcher.schema
    word = None                # one word to rank: a term, or a fuzzy/wildcard term of one word
    if isinstance(q, query.Term) and q.boost == 1 or isinstance(q, query.MultiTerm):
        words = ev.words(q, searcher.reader()) if isinstance(q, query.MultiTerm) else [
            (q.fieldname, schema[q.fieldname].to_bytes(q.text))]
        if len(words) == 1 and schema[words[0][0]].scorable:
            word = words[0]             # (Whoosh drops the boost of a one-word expansion)
    total, best = 0, []
    try:
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if word is not None:
                field, btext = word
                single = _top_single(reader, field, btext, ev.fn(field, btext), limit)
                if single is not None:
                    total += single[1]
                    best.extend((sc, nd - offset) for sc, nd in single[0])
                    continue
            got = pruned.and_top(ev, q, reader, limit) if type(q) is query.And else None
            scores, matched = got if got is not None else (ev.scores(q, reader), None)
            total += len(scores) if matched is None else matched
            best.extend((s, nd - offset) for s, nd in _best(scores, limit))
    except Unsupported:
        return None
    best = heapq.nlargest(limit, best)
    return [FastHit(searcher, -nd, s) for s, nd in best], total
