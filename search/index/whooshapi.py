"""Every use of Whoosh's private names outside the classes that extend Whoosh's own.

The codec (`search.index.codec`) and the writers (`search.index.write`) subclass Whoosh's
postings writer, matcher and segment writer and so use their internals; everything else
(scoring, highlighting, the store, the query parser) goes through the functions here or
through the codec's public bulk interface (`BlockMatcher.postings`, `block_bounds`,
`read_block`, `seek_each`). whoosh-reloaded is pinned exactly: when a new version moves
one of these names, the function raises `WhooshChanged` (and tests/index fail), so a
fast path never falls back quietly to a slow one.
"""
from __future__ import annotations

import whoosh
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader


class WhooshChanged(RuntimeError):
    """Whoosh no longer has the internals this module relies on (a version change)."""


def _need(obj, name: str):
    try:
        return getattr(obj, name)
    except AttributeError:
        raise WhooshChanged(f"{type(obj).__name__} has no {name} in whoosh "
                            f"{whoosh.versionstring()}: update search.index.whooshapi") from None


def segment_matcher(reader, field: str, btext: bytes):
    """(matcher on the term's first posting and over all its postings, deleted documents
    included; deleted docnums or None) of a term in one segment.

    Whoosh's public `reader.postings` wraps the matcher in a FilterMatcher that has already
    moved its child past the leading deleted documents (past a whole first block when it
    held only deleted ones): reading blocks from that child loses or misplaces them. So a
    segment's matcher comes from its term table (`SegmentReader._terms`), before any filter."""
    if isinstance(reader, SegmentReader):
        deleted = reader.deleted_docs_set if reader.has_deletions() else None
        terms = _need(reader, "_terms")
        return terms.matcher(field, btext, reader.schema[field].format), deleted or None
    m, deleted = reader.postings(field, btext), None
    if isinstance(m, FilterMatcher) and _need(m, "_exclude"):
        # FilterMatcher(child, ids, exclude=True): its excluded ids are the deletions.
        deleted, m = _need(m, "_ids"), m.child
        m.reset()                               # back to the first posting
    return m, deleted or None


def length_bytes(perdoc, field: str, doccount: int) -> bytes:
    """The encoded length byte of `field` in each of a segment's `doccount` documents, read
    as one slice of its length column. Whoosh reads lengths one document at a time
    (`doc_field_length`); the column reader it caches (`W3PerDocReader._cached_reader`)
    keeps its bytes at `_basepos` in `_dbfile`, `_count` of them."""
    col = _need(perdoc, "_cached_reader")(_lenfield(field), LENGTHS_COLUMN) \
        if perdoc is not None else None
    data = _need(col, "_dbfile").get(_need(col, "_basepos"), _need(col, "_count")) \
        if col is not None else b""
    return data + bytes(max(0, doccount - len(data)))


def segment_perdoc(reader):
    """A segment reader's per-document reader (`SegmentReader._perdoc`): its columns."""
    return _need(reader, "_perdoc")


def expansions(q, reader):
    """The words (bytes) a wildcard, fuzzy term or range stands for in `reader`: Whoosh's
    `MultiTerm._btexts`, the one place its expansion can be read without building matchers."""
    return _need(q, "_btexts")(reader)


def is_expanded(q) -> bool:
    """Whether `fix_expansions` already fixed q's words."""
    return "_btexts" in vars(q)


def fix_expansions(q, words: list) -> None:
    """From now on q stands for these words in every reader (expanded once for a search,
    its count and its spans: Whoosh would expand it again for each)."""
    _need(q, "_btexts")
    q._btexts = lambda _reader, words=list(words): iter(words)


def segment_automata(reader):
    """The Levenshtein automata of one segment's codec (`_codec.automata(_storage,
    _segment)`), or None for a reader that is not one segment."""
    if not isinstance(reader, SegmentReader):
        return None
    codec = _need(reader, "_codec")
    return codec.automata(_need(reader, "_storage"), _need(reader, "_segment"))


def field_b(weighting, field: str) -> float:
    """BM25F's B for a field (Whoosh keeps per-field values in `_field_B`)."""
    return _need(weighting, "_field_B").get(field, weighting.B)


def segments(ix) -> list:
    """An index's segments from its table of contents, without opening them
    (`Index._segments`; ix.doc_count() opens every segment)."""
    return _need(ix, "_segments")()


def postings_writer(fieldwriter):
    """The postings writer behind a field writer (`_postwriter`), to hand it a word's
    postings at once."""
    return _need(fieldwriter, "_postwriter")
