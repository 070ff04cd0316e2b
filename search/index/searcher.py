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


def documents(reader) -> list[dict]:
    """Every document: id, title and date (of its first passage), passage count; by id.

    From the `doc` field's postings, deleted passages left out, and one stored-fields read
    per document (reading every passage's fields, text and all, took seven times as long)."""
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for leaf, offset in reader.leaf_readers():
        for term in leaf.lexicon("doc"):
            ids = list(leaf.postings("doc", term).all_ids())     # without deleted ones
            if ids:
                doc = term.decode("utf-8")
                count[doc] = count.get(doc, 0) + len(ids)
                first.setdefault(doc, ids[0] + offset)
    out = []
    for doc in sorted(first):
        f = reader.stored_fields(first[doc])
        out.append({"id": f["doc"], "title": f.get("title"), "date": f.get("date_text"),
                    "passages": count[doc]})
    return out
