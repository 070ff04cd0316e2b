"""Scoring every match of a query in one segment at once, with Whoosh's own formulas.

Whoosh's matchers score one document at a time in Python; here each word's postings are
read in bulk (search.index.score.bulk) and combined with dict and set operations run in C.
"""
from __future__ import annotations

from collections import Counter
from itertools import repeat
from operator import add, mul

from whoosh import query

from search.index.score import pruned
from search.index.score.bm25 import Scores, term_fn
from search.index.score.bulk import lengths, postings, probe
from search.index.score.counting import Unsupported, ids_of, live_ids
from search.index.whooshapi import expansions


class Evaluator:
    """Scores every match of a query in one segment at once, the way Whoosh's matchers do:
    a term by BM25F (a field that is not scorable: its weight), AND the sum (each NOT
    scoring 1.0), OR the sum, OR with a coordination scale Whoosh's CoordMatcher, a
    wildcard or fuzzy term the OR of its words (one word: that word's term, unboosted),
    each times its boost, AND MAYBE the first part's score plus the second's where both
    match. Anything else raises Unsupported."""

    def __init__(self, searcher, best_only: int = 0):
        self.searcher, self.schema, self.w = searcher, searcher.schema, searcher.weighting
        self._fns: dict = {}
        self.best_only = best_only      # > 0: only the best N are needed, not every match

    def check(self, q) -> None:
        """Raise Unsupported before any postings are read."""
        if isinstance(q, (query.Term, query.MultiTerm)):
            if q.field() not in self.schema:
                raise Unsupported(q)
        elif type(q) is query.And:
            if not any(not isinstance(c, query.Not) for c in q.subqueries):
                raise Unsupported(q)
            for c in q.subqueries:
                self.check(c.query if isinstance(c, query.Not) else c)
        elif isinstance(q, query.Or) and type(q) is query.Or and not q.minmatch:
            for c in q.subqueries:
                if isinstance(c, query.Not) or (q.scale and not isinstance(c, query.Term)):
                    raise Unsupported(q)
                self.check(c)
        elif type(q) is query.AndMaybe and q.boost == 1:
            self.check(q.a)
            self.check(q.b)
        elif type(q) is query.AndNot and q.boost == 1:   # b: as a set (Unsupported if not)
            self.check(q.a)
        elif type(q) is query.Every and not q.fieldname:
            pass
        elif q is not query.NullQuery:
            raise Unsupported(q)

    def fn(self, field: str, btext):
        """score(weight, field length) of a term (search.index.score.bm25), made once."""
        key = (field, btext)
        if key not in self._fns:
            self._fns[key] = term_fn(self.searcher, field, btext)
        return self._fns[key]

    def words(self, q, reader) -> list:
        """(field, bytes) of a term or of each word of a wildcard/fuzzy term."""
        field = q.field()
        if isinstance(q, query.Term):
            try:
                return [(field, self.schema[field].to_bytes(q.text))]
            except ValueError:
                return []
        to_bytes = self.schema[field].to_bytes
        return [(field, to_bytes(w) if isinstance(w, str) else w)
                for w in expansions(q, reader) if w]

    def tfs(self, reader, field, btext) -> dict:
        """{docnum: weight} of a term's live postings in this segment."""
        ids, weights, deleted = postings(reader, field, btext)
        found = dict(zip(ids, weights))
        for d in deleted or ():
            found.pop(d, None)
        return found

    def _score(self, reader, field, btext, boost, docs, tfs) -> list[float]:
        """The term's score in each of `docs` (its weights there: `tfs`), in C-level loops."""
        table = Scores(self.fn(field, btext), boost)
        if self.schema[field].scorable:
            lbs = map(lengths(reader, field).__getitem__, docs)
        else:
            lbs = repeat(0)
        return list(map(table.__getitem__, zip(tfs, lbs)))

    def term(self, reader, field, btext, boost: float = 1.0) -> dict:
        """{docnum: score} of a term in this segment."""
        found = self.tfs(reader, field, btext)
        return dict(zip(found.keys(), self._score(
            reader, field, btext, boost, found.keys(), found.values())))

    def scores(self, q, reader) -> dict:
        """{docnum: score} of q's matches in this segment. With best_only, an OR of words
        that is q itself may leave out matches that cannot be among its best N; an OR inside
        q (under an AND, AND MAYBE or another OR) is always scored whole, since its own best
        N are not those of the query around it."""
        best_only, self.best_only = self.best_only, 0
        try:
            return self._scores(q, reader, best_only)
        finally:
            self.best_only = best_only

    def _scores(self, q, reader, best_only: int) -> dict:
        if q is query.NullQuery:
            return {}
        if isinstance(q, (query.Term, query.MultiTerm)):
            words = self.words(q, reader)
            if isinstance(q, query.MultiTerm) and len(words) == 1:
                return self.term(reader, *words[0])      # Whoosh drops the boost here
            return _sum([self.term(reader, f, t) for f, t in words], q.boost)
        if isinstance(q, query.And):
            return self._and(q, reader)
        if isinstance(q, query.Every):          # every passage, each scoring the boost
            return dict.fromkeys(live_ids(reader), q.boost)
        if isinstance(q, query.AndNot):         # a's matches and scores, without b's
            scores, drop = self.scores(q.a, reader), ids_of(q.b, reader)
            return {d: v for d, v in scores.items() if d not in drop}
        if isinstance(q, query.AndMaybe):       # a's matches; b's score added where it matches
            scores, maybe = self.scores(q.a, reader), self.scores(q.b, reader)
            for d in maybe.keys() & scores.keys():
                scores[d] += maybe[d]
            return scores
        return self._or(q, reader, best_only)

    def _and(self, q, reader) -> dict:
        """The documents with every part (sets of docnums first), then only they are scored."""
        pos = [c for c in q.subqueries if not isinstance(c, query.Not)]
        neg = [c.query for c in q.subqueries if isinstance(c, query.Not)]

        def size(c):
            if isinstance(c, query.Term):
                words = self.words(c, reader)
                return reader.doc_frequency(*words[0]) if words else 0
            return c.estimate_size(reader)

        pos.sort(key=size)
        parts, common = [], None
        for c in pos:
            if isinstance(c, query.Term):
                words = self.words(c, reader)
                if not words:
                    return {}
                f, t = words[0]
                if common is not None and len(common) * 8 < size(c):
                    found = probe(reader, f, t, sorted(common))    # skip to the few asked
                else:
                    found = self.tfs(reader, f, t)
                parts.append((f, t, c.boost, found))
            else:
                found = self.scores(c, reader)
                parts.append((None, None, None, found))
            common = set(found) if common is None else found.keys() & common
            if not common:
                return {}
        for c in neg:
            common -= ids_of(c, reader)
        if not common:
            return {}
        docs = list(common)
        total = None
        for f, t, boost, found in parts:
            values = map(found.__getitem__, docs)
            part = list(values) if f is None else self._score(reader, f, t, boost, docs, values)
            total = part if total is None else list(map(add, total, part))
        if neg:                      # Whoosh scores each NOT part 1.0 in every hit
            total = list(map(add, total, repeat(float(len(neg)))))
        return _boost(dict(zip(docs, total)), q.boost)

    def _or(self, q, reader, best_only: int = 0) -> dict:
        """The sum of the parts' scores; with a coordination scale, Whoosh's CoordMatcher:
        (sum + (m - 1) / (T - scale)^2) * (T - 1) / T, m the words of the OR in the hit,
        T the words of the OR found in the index.

        Whoosh's matcher recounts T per segment and again each time a word's postings run
        out mid-search, so its tail order depends on how the index is split; here T is
        fixed, the same for every segment and every hit."""
        coord = None
        if q.scale:
            whole = self.searcher.reader()
            n = sum(w in whole for c in q.subqueries for w in self.words(c, reader))
            if not n or n == q.scale:
                return {}
            coord = (n, (n - q.scale) ** 2, (n - 1) / n)
        if best_only and all(isinstance(c, query.Term) for c in q.subqueries):
            found = pruned.or_top(self, q, reader, best_only, coord)
            if found is not None:
                return found
        return self.combine([self.scores(c, reader) for c in q.subqueries], q.boost, coord)

    @staticmethod
    def combine(parts: list, boost: float, coord) -> dict:
        total = _sum(parts, boost)
        if coord is None:
            return total
        n, bonus, shrink = coord
        counts = Counter()
        for part in parts:
            counts.update(part.keys())
        extra = [(m - 1) / bonus for m in range(n + 1)]
        return dict(zip(total.keys(), map(mul, map(add, total.values(), map(
            extra.__getitem__, map(counts.__getitem__, total.keys()))), repeat(shrink))))


def _boost(scores: dict, boost: float) -> dict:
    if boost == 1.0:
        return scores
    return dict(zip(scores.keys(), map(mul, scores.values(), repeat(boost))))


def _add(a: dict, b: dict, keys) -> dict:
    """{d: a[d] + b[d]} for d in keys (dict arithmetic in C, not a Python loop)."""
    return dict(zip(keys, map(add, map(a.__getitem__, keys), map(b.__getitem__, keys))))


def _sum(parts: list, boost: float) -> dict:
    """Scores of an OR: each document's parts added (in the order of the parts)."""
    parts = [p for p in parts if p]
    if not parts:
        return {}
    acc = dict(parts[0])
    for part in parts[1:]:         # in place: copying the sum for each part was quadratic
        summed = _add(acc, part, acc.keys() & part.keys())
        acc.update(part)
        acc.update(summed)
    return _boost(acc, boost)
