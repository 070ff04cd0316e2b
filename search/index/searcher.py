"""What the engine builds for a Whoosh searcher besides calling its methods: queries from
words, hits in an order of its own, the key words of a text. So search.engine needs no
`whoosh` import (only search.index imports whoosh)."""
from __future__ import annotations

from whoosh import classify, query
from whoosh.searching import Hit


def in_document(q, doc: str):
    """`q`, matching only the passages of document `doc`."""
    return query.And([query.Term("doc", doc), q])


def any_of(field: str, weighted) -> query.Or:
    """Passages with any of the (word, boost) pairs in `field`."""
    return query.Or([query.Term(field, word, boost=boost) for word, boost in weighted])


def and_maybe(required, optional) -> query.AndMaybe:
    """Passages matching `required`, ranked higher when they also match `optional`."""
    return query.AndMaybe(required, optional)


def hits_in_order(results, ranked) -> list:
    """Hits of `results` for (score, docnum) pairs, in the order given."""
    return [Hit(results, docnum, i, score) for i, (score, docnum) in enumerate(ranked)]


def key_terms(reader, text: str, limit: int) -> list[tuple[str, float]]:
    """The `limit` words of the `text` field that most set `text` apart from the index
    (Bo1 model, weights not normalised), strongest first."""
    expander = classify.Expander(reader, "text", model=classify.Bo1Model)
    expander.add_text(text)
    return expander.expanded_terms(limit, normalize=False)
