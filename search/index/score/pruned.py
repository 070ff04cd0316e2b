"""The best N of words ANDed, without scoring every passage that has them all.

`China AND Vietnam NOT Washington` matches 38,000 of 114,000 passages; the count needs only
sets of document numbers, but scoring them all took most of the query's time. A passage's
score is the sum of its words' scores (plus 1.0 per NOT, as Whoosh scores it), and each
word's score is at most what its best posting could give (highest weight, shortest field,
from the term's statistics). So:

1. the matching passages are found with set operations on the words' document numbers;
2. the word whose score varies most (the "lead") is scored in every posting, in bulk;
3. the passages best by the lead word are scored exactly, giving a score to beat;
4. only passages whose lead score plus the other words' best possible scores reaches it
   can be in the top; they are scored exactly. Scores, order and count are the same as
   scoring everything (tests/index/test_search_speedups.py checks both ways).
"""
from __future__ import annotations

import heapq
from bisect import bisect_left
from itertools import compress, repeat
from operator import add, itemgetter, le, mul

from whoosh import query

from search.index.score.bm25 import LENGTH, Scores
from search.index.score.bulk import lengths, postings
from search.index.score.counting import ids_of

MARGIN = 1e-9          # float slack when comparing bounds
DOMINANT = 0.75        # prune only when the other words can add at most this share of the lead's best
GIVE_UP = 0.6          # more than this share of the matches to score exactly: the plain way


def and_top(ev, q, reader, limit: int):
    """({docnum: score} holding at least the best `limit`, number of matches) for an AND of
    words (and NOTs) in one segment; None for other shapes or when pruning would not pay."""
    pos = [c for c in q.subqueries if not isinstance(c, query.Not)]
    neg = [c.query for c in q.subqueries if isinstance(c, query.Not)]
    if len(pos) < 2 or not all(isinstance(c, query.Term) and c.boost > 0 for c in pos) \
            or q.boost <= 0:        # (the bounds assume scores that grow with each word)
        return None
    words = []
    for c in pos:
        found = ev.words(c, reader)
        if not found or found[0] not in reader:
            return {}, 0
        field, btext = found[0]
        info = reader.term_info(field, btext)
        words.append(_Word(field, btext, ev.fn(field, btext), c.boost, info))
    words.sort(key=lambda w: w.df)                # the order Evaluator._and adds them in
    lead = max(range(len(words)), key=lambda i: words[i].best())
    if sum(w.best() for w in words) - words[lead].best() > DOMINANT * words[lead].best():
        return None            # words of like weight: bounds would leave most to score
    for w in words:
        w.read(reader, ev.schema[w.field].scorable)
    common = set(words[0].ids)
    for w in words[1:]:
        common.intersection_update(w.ids)
    for w in words:
        if w.deleted:
            common.difference_update(w.deleted)
    for c in neg:
        if common:
            common.difference_update(ids_of(c, reader))
    count = len(common)
    if count <= limit * 4:
        return _exact(words, [(None, d) for d in common], -1, neg, q.boost), count

    w = words[lead]
    lbs = map(w.lens.__getitem__, w.ids) if w.lens is not None else [0] * len(w.ids)
    scored = list(compress(zip(map(w.table.__getitem__, zip(w.weights, lbs)), w.ids),
                           map(common.__contains__, w.ids)))
    sample = _exact(words, heapq.nlargest(limit * 4, scored), lead, neg, q.boost)
    beat = heapq.nlargest(limit, sample.values())[-1]
    beat = beat / q.boost
    # The most the other words (and NOTs) can add to a passage, by its length in the lead's field.
    most = [float(len(neg))] * 256
    for i, other in enumerate(words):
        if i != lead:
            same = other.lens is w.lens and w.lens is not None
            most = [m + (other.best(LENGTH[lb]) if same else other.best())
                    for lb, m in enumerate(most)]
    lens = w.lens if w.lens is not None else bytes(max(w.ids) + 1)
    need = [beat - MARGIN - m for m in most]      # the lead score a passage of each length needs
    hopeful = list(compress(scored, map(le, map(need.__getitem__, map(
        lens.__getitem__, map(itemgetter(1), scored))), map(itemgetter(0), scored))))
    if len(hopeful) > GIVE_UP * count:
        return None
    return _exact(words, hopeful, lead, neg, q.boost), count


class _Word:
    """One word of the AND in one segment: its statistics, postings and scores."""

    def __init__(self, field: str, btext: bytes, fn, boost: float, info):
        self.field, self.btext, self.fn, self.boost = field, btext, fn, boost
        self.df, self.max_weight, self.min_length = info.doc_frequency(), info.max_weight(), \
            info.min_length()
        self.table = Scores(fn, boost)

    def best(self, length=None) -> float:
        """Its highest possible score (in a passage of this length, when given)."""
        return self.fn(self.max_weight, self.min_length if length is None else length) * self.boost

    def read(self, reader, scorable: bool) -> None:
        self.ids, self.weights, self.deleted = postings(reader, self.field, self.btext)
        self.lens = lengths(reader, self.field) if scorable else None


def or_top(ev, q, reader, limit: int, coord):
    """{docnum: score} holding at least the best `limit` of an OR of words in one segment
    (max-score pruning), or None when it would not pay.

    The best found among the passages of the rarest word gives a score to beat. The words
    whose best possible scores, added up, stay below it cannot put a passage in the top on
    their own: only passages with one of the other words are scored (all their words)."""
    if q.boost <= 0 or any(c.boost <= 0 for c in q.subqueries):
        return None                 # (the bounds assume scores that grow with each word)
    words = []
    for c in q.subqueries:
        found = ev.words(c, reader)
        if not found or found[0] not in reader:
            continue
        field, btext = found[0]
        w = _Word(field, btext, ev.fn(field, btext), c.boost, reader.term_info(field, btext))
        w.read(reader, ev.schema[field].scorable)
        words.append(w)
    if len(words) < 2:
        return None
    deleted = next((w.deleted for w in words if w.deleted), None) or set()
    seed = set(min(words, key=lambda w: w.df).ids) - deleted
    if len(seed) < limit:
        return None
    beat = heapq.nlargest(limit, _or_exact(ev, words, seed, q.boost, coord).values())[-1]
    order = sorted(words, key=lambda w: w.best())
    alone, most = 0, 0.0
    for k, w in enumerate(order):            # how many of the weakest words cannot, together
        most += w.best()
        bound = most * q.boost
        if coord is not None:
            bound = (bound + k / coord[1]) * coord[2]
        if bound >= beat - MARGIN:
            break
        alone = k + 1
    if not alone:
        return None
    hopeful = set().union(*(w.ids for w in order[alone:])) - deleted
    return _or_exact(ev, words, hopeful, q.boost, coord)


def _or_exact(ev, words, docs: set, boost: float, coord) -> dict:
    """The OR's scores of the given passages, combined exactly as Evaluator._or does."""
    parts = []
    for w in words:
        tf = _weights_at(w, docs)
        lbs = map(w.lens.__getitem__, tf.keys()) if w.lens is not None else repeat(0)
        parts.append(dict(zip(tf.keys(), map(w.table.__getitem__, zip(tf.values(), lbs)))))
    return ev.combine(parts, boost, coord)


def _weights_at(w, docs) -> dict:
    """{docnum: weight} of a word in those of `docs` that have it."""
    if len(docs) * 16 < len(w.ids):     # a few: look each up (binary search)
        found = {}
        for d in docs:
            i = bisect_left(w.ids, d)
            if i < len(w.ids) and w.ids[i] == d:
                found[d] = w.weights[i]
        return found
    return dict(compress(zip(w.ids, w.weights), map(docs.__contains__, w.ids)))


def _exact(words, scored, lead: int, neg, boost: float) -> dict:
    """{docnum: score} of matching documents given as (lead word's score, docnum), the
    words' scores summed in the order Evaluator._and adds them (in C-level loops)."""
    docs = [d for _, d in scored]
    wanted = set(docs)
    total = None
    for i, w in enumerate(words):
        if i == lead:
            part = [s for s, _ in scored]
        else:
            tf = _weights_at(w, wanted)
            lbs = map(w.lens.__getitem__, docs) if w.lens is not None else repeat(0)
            part = list(map(w.table.__getitem__, zip(map(tf.__getitem__, docs), lbs)))
        total = part if total is None else list(map(add, total, part))
    if neg:
        total = list(map(add, total, repeat(float(len(neg)))))
    if boost != 1.0:
        total = list(map(mul, total, repeat(boost)))
    return dict(zip(docs, total))
