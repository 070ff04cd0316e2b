"""Exact match counts and matched terms without scoring every match.

Whoosh's top-N search skips postings blocks that cannot reach the top (block quality),
which makes a common word fast, but then it does not know how many passages matched:
`len(results)` re-runs the whole query one document at a time. Here the count is worked
out with sets of document numbers read a postings block at a time (And = intersection,
Or = union, Not = difference), exactly, deleted documents excluded.
"""
from __future__ import annotations

from whoosh import query

from search.index.score.bulk import postings
from search.index.whooshapi import WhooshChanged, expansions, fix_expansions, is_expanded


class Unsupported(Exception):
    """A query part that has no set form here; the caller counts the slow way."""


def expand_once(q: query.Query | None, reader, limit: int = 100_000) -> None:
    """Expand each wildcard/fuzzy leaf once, for every later use (search, count, spans).

    Expanded segment by segment: on a reader of several segments Whoosh's fuzzy
    expansion falls back to comparing the query with every word of the index."""
    if q is None:
        return
    leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    for leaf in ([q] if q.is_leaf() else q.leaves()):
        if isinstance(leaf, query.MultiTerm) and not is_expanded(leaf):
            words: dict = {}
            for sub, _ in leaves:
                for word in expansions(leaf, sub):
                    words[word] = None
                    if len(words) > limit:
                        break
            fix_expansions(leaf, list(words))


def _term_ids(reader, field: str, text) -> set[int]:
    try:
        ids, _, deleted = postings(reader, field, text)
    except WhooshChanged:
        raise
    except Exception:      # field or term not in this segment
        return set()
    ids = set(ids)
    return ids - deleted if deleted else ids


def live_ids(reader) -> set[int]:
    """Every live document number of one segment."""
    if reader.has_deletions():
        return set(reader.all_doc_ids())
    return set(range(reader.doc_count_all()))


def ids_of(q: query.Query, reader) -> set[int]:
    if isinstance(q, query.Every) and not q.fieldname:       # every passage
        return live_ids(reader)
    if isinstance(q, query.Term):
        return _term_ids(reader, q.fieldname, q.text)
    if isinstance(q, query.MultiTerm) and q.field():
        out: set[int] = set()
        for word in expansions(q, reader):
            out |= _term_ids(reader, q.field(), word)
        return out
    if isinstance(q, query.NullQuery.__class__):
        return set()
    if isinstance(q, query.And):
        pos = [c for c in q.subqueries if not isinstance(c, query.Not)]
        neg = [c.query for c in q.subqueries if isinstance(c, query.Not)]
        if not pos:
            raise Unsupported(q)
        sets = sorted((ids_of(c, reader) for c in pos), key=len)
        out = sets[0].intersection(*sets[1:])
        for c in neg:
            if out:
                out -= ids_of(c, reader)
        return out
    if isinstance(q, (query.Or, query.DisjunctionMax)):
        out = set()
        for c in q.subqueries:
            if not isinstance(c, query.Not):
                out |= ids_of(c, reader)
        return out
    if isinstance(q, query.AndNot):
        return ids_of(q.a, reader) - ids_of(q.b, reader)
    if isinstance(q, (query.AndMaybe, query.Require)):
        return ids_of(q.a, reader) if isinstance(q, query.AndMaybe) else \
            ids_of(q.a, reader) & ids_of(q.b, reader)
    if isinstance(q, query.WrappingQuery):
        return ids_of(q.child, reader)
    raise Unsupported(q)


def count(searcher, q: query.Query) -> int | None:
    """The exact number of live documents matching q, or None when q has no set form."""
    total = 0
    try:
        for sub, _offset in searcher.leaf_searchers():
            reader = sub.reader()
            if isinstance(q, query.Term) and not reader.has_deletions():
                total += reader.doc_frequency(q.fieldname, q.text)   # exact without deletions
            else:
                total += len(ids_of(q, reader))
    except Unsupported:
        return None
    return total


def query_terms(q: query.Query, fields) -> list[tuple[str, object]]:
    """(field, text) of every positive term of q in `fields` (words that can be highlighted)."""
    out: list[tuple[str, object]] = []

    def walk(node, negated):
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a, negated)
            return
        if isinstance(node, query.Term):
            if node.fieldname in fields:
                out.append((node.fieldname, node.text))
            return
        if isinstance(node, query.MultiTerm):
            if node.field() in fields:
                out.extend((node.field(), w) for w in expansions(node, None))
            return
        for child in node.children():
            walk(child, negated)

    walk(q, False)
    return list(dict.fromkeys(out))


def simple_matching(q: query.Query) -> bool:
    """True when every positive term present in a hit is one the query matched it by.

    False when an OR has a compound branch (a hit may hold a stray word of a branch that
    did not match as a whole): then Whoosh's own matched-terms tracking is used."""
    if q.is_leaf() or isinstance(q, query.Not):
        return True
    if isinstance(q, (query.Or, query.DisjunctionMax)):
        return all(c.is_leaf() or every_but(c) for c in q.subqueries)
    return all(simple_matching(c) for c in q.children())


def every_but(q: query.Query) -> bool:
    """Every passage but some (search.index.query's form of a NOT with nothing before it): it has
    no positive term, so it leaves no stray word in a hit."""
    return type(q) is query.AndNot and type(q.a) is query.Every and not q.a.fieldname


def hit_terms(q: query.Query, reader, docnum: int) -> list[tuple[str, object]]:
    """(field, text) of the positive terms by which q matches passage `docnum`: a word counts
    only within a branch that matches as a whole (what Whoosh's terms=True tracks, found
    here by looking the passage up in each word's postings). Unsupported for other shapes."""
    return list(dict.fromkeys(_hit(q, reader, docnum)[1]))


def _has(reader, field: str, text, docnum: int) -> bool:
    try:
        if (field, text) not in reader:
            return False
        m = reader.postings(field, text)
        m.skip_to(docnum)
        return m.is_active() and m.id() == docnum
    except Exception:       # field or term not in the index
        return False


def _hit(q: query.Query, reader, d: int) -> tuple[bool, list]:
    if isinstance(q, query.Term):
        found = _has(reader, q.fieldname, q.text, d)
        return found, [(q.fieldname, q.text)] if found else []
    if isinstance(q, query.MultiTerm) and q.field():
        words = [(q.field(), w) for w in expansions(q, reader) if _has(reader, q.field(), w, d)]
        return bool(words), words
    if isinstance(q, query.Every) and not q.fieldname:
        return True, []
    if isinstance(q, query.NullQuery.__class__):
        return False, []
    if isinstance(q, query.Not):
        return not _hit(q.query, reader, d)[0], []
    if isinstance(q, (query.And, query.Require)):
        terms = []
        for c in q.children():
            found, more = _hit(c, reader, d)
            if not found:
                return False, []
            terms += more
        return True, terms
    if isinstance(q, (query.Or, query.DisjunctionMax)):
        parts = [_hit(c, reader, d) for c in q.subqueries]
        return any(f for f, _ in parts), [t for f, more in parts if f for t in more]
    if isinstance(q, (query.AndNot, query.AndMaybe)):
        found, terms = _hit(q.a, reader, d)
        if not found:
            return False, []
        other, more = _hit(q.b, reader, d)
        if isinstance(q, query.AndNot):
            return not other, terms if not other else []
        return True, terms + (more if other else [])
    if isinstance(q, query.WrappingQuery):
        return _hit(q.child, reader, d)
    raise Unsupported(q)
