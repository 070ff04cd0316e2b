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
from array import array
from collections import Counter
from itertools import compress, repeat
from operator import add, itemgetter, mul, neg

from whoosh import query, scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from .counting import Unsupported, _ids, _term_ids

LENGTH = [byte_to_length(i) for i in range(256)]


class FastHit:
    """What the engine reads from a hit: document number, score, stored fields."""

    __slots__ = ("searcher", "docnum", "score")

    def __init__(self, searcher, docnum: int, score: float):
        self.searcher, self.docnum, self.score = searcher, docnum, score

    def fields(self) -> dict:
        return self.searcher.stored_fields(self.docnum)


def _postings(reader, field: str, text) -> tuple[array, array, set | None]:
    """A term's postings in one segment: (docnums, weights, deleted docnums or None).
    Deleted documents are still in the lists: callers drop them (a few, after a change)."""
    if (field, text) not in reader:
        return array("I"), array("f"), None
    m = reader.postings(field, text)
    deleted = None
    if isinstance(m, FilterMatcher) and m._exclude:
        deleted, m = m._ids, m.child
    ids, weights = array("I"), array("f")
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
    get = _Scores(score, 1.0).__getitem__
    top: list = []
    for bound, pos in blocks:
        if len(top) >= limit and bound < top[0][0]:
            break
        m._goto(pos)
        m._read_ids()
        m._read_weights()
        ids = m._ids
        scores = list(map(get, zip(m._weights, _gather(lengths, ids))))
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


def _gather(data: bytes, ids) -> tuple:
    """data[i] for each i in ids (in C)."""
    return itemgetter(*ids)(data) if len(ids) > 1 else tuple(data[i] for i in ids)


def _lengths(reader, field: str) -> bytes:
    """The encoded length of `field` in every document of one segment (cached)."""
    cache = reader.__dict__.setdefault("_vnx_lengths", {})
    if field not in cache:
        col = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        lengths = col._dbfile.get(col._basepos, col._count) if col is not None else b""
        cache[field] = lengths + bytes(max(0, reader.doc_count_all() - len(lengths)))
    return cache[field]


class _Scores(dict):
    """{(weight, length byte): score} of one term, each worked out once, when first asked."""

    def __init__(self, fn, boost: float):
        super().__init__()
        self.fn, self.boost = fn, boost

    def __missing__(self, key):
        tf, lb = key
        value = self[key] = self.fn(tf, LENGTH[lb]) * self.boost
        return value


class _Evaluator:
    """Scores every match of a query in one segment at once, the way Whoosh's matchers do:
    a term by BM25F (a field that is not scorable: its weight), AND the sum (each NOT
    scoring 1.0), OR the sum, OR with a coordination scale Whoosh's CoordMatcher, a
    wildcard or fuzzy term the OR of its words (one word: that word's term, unboosted),
    each times its boost. Anything else raises Unsupported."""

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
        elif q is not query.NullQuery:
            raise Unsupported(q)

    def _fn(self, field: str, btext):
        key = (field, btext)
        if key not in self._fns:
            if not self.schema[field].scorable:
                fn = lambda tf, fl: tf              # Whoosh's WeightScorer  # noqa: E731
            else:
                w, s = self.w, self.searcher
                idf, avgfl = s.idf(field, btext), s.avg_field_length(field) or 1
                B, K1 = w._field_B.get(field, w.B), w.K1
                fn = lambda tf, fl: idf * ((tf * (K1 + 1)) / (  # noqa: E731
                    tf + K1 * ((1 - B) + B * fl / avgfl)))
            self._fns[key] = fn
        return self._fns[key]

    def _words(self, q, reader) -> list:
        """(field, bytes) of a term or of each word of a wildcard/fuzzy term."""
        field = q.field()
        if isinstance(q, query.Term):
            try:
                return [(field, self.schema[field].to_bytes(q.text))]
            except ValueError:
                return []
        return [(field, w) for w in q._btexts(reader) if w]

    def tfs(self, reader, field, btext) -> dict:
        """{docnum: weight} of a term's live postings in this segment."""
        ids, weights, deleted = _postings(reader, field, btext)
        found = dict(zip(ids, weights))
        for d in deleted or ():
            found.pop(d, None)
        return found

    def _score(self, reader, field, btext, boost, docs, tfs) -> list[float]:
        """The term's score in each of `docs` (its weights there: `tfs`), in C-level loops."""
        table = _Scores(self._fn(field, btext), boost)
        if self.schema[field].scorable:
            lbs = map(_lengths(reader, field).__getitem__, docs)
        else:
            lbs = repeat(0)
        return list(map(table.__getitem__, zip(tfs, lbs)))

    def term(self, reader, field, btext, boost: float = 1.0) -> dict:
        """{docnum: score} of a term in this segment."""
        found = self.tfs(reader, field, btext)
        return dict(zip(found.keys(), self._score(
            reader, field, btext, boost, found.keys(), found.values())))

    def scores(self, q, reader) -> dict:
        if q is query.NullQuery:
            return {}
        if isinstance(q, (query.Term, query.MultiTerm)):
            words = self._words(q, reader)
            if isinstance(q, query.MultiTerm) and len(words) == 1:
                return self.term(reader, *words[0])      # Whoosh drops the boost here
            return _sum([self.term(reader, f, t) for f, t in words], q.boost)
        if isinstance(q, query.And):
            return self._and(q, reader)
        return self._or(q, reader)

    def _and(self, q, reader) -> dict:
        """The documents with every part (sets of docnums first), then only they are scored."""
        pos = [c for c in q.subqueries if not isinstance(c, query.Not)]
        neg = [c.query for c in q.subqueries if isinstance(c, query.Not)]

        def size(c):
            if isinstance(c, query.Term):
                words = self._words(c, reader)
                return reader.doc_frequency(*words[0]) if words else 0
            return c.estimate_size(reader)

        pos.sort(key=size)
        parts, common = [], None
        for c in pos:
            if isinstance(c, query.Term):
                words = self._words(c, reader)
                if not words:
                    return {}
                f, t = words[0]
                if common is not None and len(common) * 8 < size(c):
                    found = _probe(reader, f, t, sorted(common))    # skip to the few asked
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
            common -= _ids(c, reader)
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

    def _or(self, q, reader) -> dict:
        """The sum of the parts' scores; with a coordination scale, Whoosh's CoordMatcher:
        (sum + (m - 1) / (T - scale)^2) * (T - 1) / T, m the words of the OR in the hit,
        T the words of the OR found in the index.

        Whoosh's matcher recounts T per segment and again each time a word's postings run
        out mid-search, so its tail order depends on how the index is split; here T is
        fixed, the same for every segment and every hit."""
        coord = None
        if q.scale:
            whole = self.searcher.reader()
            n = sum(w in whole for c in q.subqueries for w in self._words(c, reader))
            if not n or n == q.scale:
                return {}
            coord = (n, (n - q.scale) ** 2, (n - 1) / n)
        if self.best_only and all(isinstance(c, query.Term) for c in q.subqueries):
            found = self._or_best(q, reader, coord)
            if found is not None:
                return found
        return self._combine([self.scores(c, reader) for c in q.subqueries], q.boost, coord)

    @staticmethod
    def _combine(parts: list, boost: float, coord) -> dict:
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

    def _or_best(self, q, reader, coord) -> dict | None:
        """Only the passages that can reach the best `best_only` (max-score pruning), or None.

        A word in most passages (Vietnam) is scored only where a rarer word of the query is
        too, when even its best possible score (highest weight, shortest passage) leaves a
        passage with it alone below the best found: then no such passage can get in."""
        count = reader.doc_count_all()
        common, rare = [], []
        for c in q.subqueries:
            f, t = self._words(c, reader)[0]
            big = (f, t) in reader and reader.doc_frequency(f, t) * 4 > count
            (common if big else rare).append(c)
        if not common or not rare:
            return None
        parts = {id(c): self.scores(c, reader) for c in rare}
        candidates = set().union(*parts.values())
        if len(candidates) < self.best_only:
            return None
        most = 0.0
        for c in common:
            f, t = self._words(c, reader)[0]
            ids, weights, deleted = _postings(reader, f, t)
            found = dict(compress(zip(ids, weights), map(candidates.__contains__, ids)))
            for d in deleted or ():
                found.pop(d, None)
            parts[id(c)] = dict(zip(found.keys(), self._score(
                reader, f, t, c.boost, found.keys(), found.values())))
            info = reader.term_info(f, t)
            most += self._fn(f, t)(info.max_weight(), info.min_length()) * c.boost
        scores = self._combine([parts[id(c)] for c in q.subqueries], q.boost, coord)
        alone = most * q.boost
        if coord is not None:
            alone = (alone + (len(common) - 1) / coord[1]) * coord[2]
        least = heapq.nlargest(self.best_only, scores.values())[-1]
        return scores if alone < least else None


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
    acc = parts[0]
    for part in parts[1:]:
        summed = _add(acc, part, acc.keys() & part.keys())
        acc = {**acc, **part}
        acc.update(summed)
    return _boost(acc, boost)


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
    ev = _Evaluator(searcher, 0 if count else limit)
    try:
        ev.check(q)
    except Unsupported:
        return None
    from . import pruned
    schema = searcher.schema
    total, best = 0, []
    try:
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if not hasattr(reader, "_perdoc"):
                return None
            if isinstance(q, query.Term) and q.boost == 1 and schema[q.fieldname].scorable:
                field = q.fieldname
                btext = schema[field].to_bytes(q.text)
                single = _top_single(reader, field, btext, ev._fn(field, btext), limit)
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
