"""Reading a word's postings in one segment in bulk (array blocks, see search.index.codec.blocks).

Whoosh's matchers hand out one posting at a time; the fast paths here read whole blocks
through the codec's bulk interface: document numbers and weights as arrays, and field
lengths as the bytes of their column. A matcher without that interface (an index not
written by the project's codec, or a Whoosh that reads postings another way) raises
NotBulk: the fast paths never fall back quietly to reading one posting at a time.
"""
from __future__ import annotations

from array import array
from operator import itemgetter

from search.index.codec.blocks import BlockMatcher, InlineMatcher
from search.index.whooshapi import WhooshChanged, length_bytes, segment_matcher, \
    segment_perdoc

class NotBulk(WhooshChanged):
    """Postings read by a matcher that is not the project's codec's."""


def matcher(reader, field: str, text):
    """(matcher, deleted docnums or None) of a term in one segment, the matcher on the term's
    first posting and over all its postings, deleted documents included; (None, None) when
    the segment lacks the term. The one way in for every bulk reader here."""
    if (field, text) not in reader:
        return None, None
    if not isinstance(text, bytes):
        text = reader.schema[field].to_bytes(text)
    m, deleted = segment_matcher(reader, field, text)
    if not isinstance(m, (BlockMatcher, InlineMatcher)):
        raise NotBulk(f"{field}:{text!r} is read by {type(m).__name__}, not by the "
                      "project's codec (search.index.codec.blocks)")
    return m, deleted


def postings(reader, field: str, text) -> tuple[array, array, set | None]:
    """A term's postings in one segment: (docnums, weights, deleted docnums or None).
    Deleted documents are still in the lists: callers drop them (a few, after a change)."""
    m, deleted = matcher(reader, field, text)
    if m is None:
        return array("I"), array("f"), None
    return (*m.postings(), deleted)


def probe(reader, field: str, text, docs: list[int]) -> dict[int, float]:
    """{docnum: weight} for the given docnums (sorted) that hold the term."""
    m = matcher(reader, field, text)[0]
    return {} if m is None else {d: m.weight() for d in m.seek_each(docs)}


def values_at(reader, field: str, text, docs: list[int]) -> dict[int, bytes]:
    """{docnum: posting value} for the given docnums (sorted) that hold the term."""
    m = matcher(reader, field, text)[0]
    return {} if m is None else {d: m.value() for d in m.seek_each(docs)}


def gather(data: bytes, ids) -> tuple:
    """data[i] for each i in ids (in C)."""
    return itemgetter(*ids)(data) if len(ids) > 1 else tuple(data[i] for i in ids)


def lengths(reader, field: str) -> bytes:
    """The encoded length of `field` in every document of one segment (cached)."""
    cache = reader.__dict__.setdefault("_vnx_lengths", {})
    if field not in cache:
        cache[field] = length_bytes(segment_perdoc(reader), field, reader.doc_count_all())
    return cache[field]
