"""Whoosh's BM25F formula for one term, and a table of its scores by (weight, length byte).

Shared by the bulk scorers (search.index.score.evaluate, pruned, top), so each computes a
term's score exactly as Whoosh's BM25F scorer does."""
from __future__ import annotations

from whoosh.util.numeric import byte_to_length

from search.index.whooshapi import field_b

LENGTH = [byte_to_length(i) for i in range(256)]     # encoded field length -> length


def term_fn(searcher, field: str, btext: bytes):
    """score(weight, field length) of a term: BM25F over the searcher's statistics (idf,
    average field length), or the weight itself in a field that is not scorable (Whoosh's
    WeightScorer)."""
    if not searcher.schema[field].scorable:
        return lambda tf, fl: tf
    w = searcher.weighting
    idf, avgfl = searcher.idf(field, btext), searcher.avg_field_length(field) or 1
    B, K1 = field_b(w, field), w.K1
    return lambda tf, fl: idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))


class Scores(dict):
    """{(weight, length byte): score} of one term, each worked out once, when first asked."""

    def __init__(self, fn, boost: float):
        super().__init__()
        self.fn, self.boost = fn, boost

    def __missing__(self, key):
        tf, lb = key
        value = self[key] = self.fn(tf, LENGTH[lb]) * self.boost
        return value
