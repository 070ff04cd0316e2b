"""Field values analysed without Whoosh's token pipeline: what field.index(value) yields, made
with a split and a dict.

Whoosh analyses a value through its analyzer's generators, a Token a step, and its format's
word_values: about 19 µs for a passage's entity names (a comma-separated KEYWORD field) and
32 µs for a title (our word analysis with Whoosh's Positions). The segment writer caches
analysed values (search.index.write.segment), but the entity value changes from passage to
passage (2.8 new values an article) and each document has a new title.
tests/index/test_shortpaths.py holds each short path to field.index.
"""
from __future__ import annotations

from functools import partial

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StripFilter
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from search.index.analysis import FoldTokenizer, StemFilter, _stem, fold_spans


def short_path(field):
    """A function of a str value giving list(field.index(value)), for the fields it knows;
    None for any other field."""
    fmt = field.format
    lowercase = comma_keywords(field)
    if lowercase is not None:
        return partial(keyword_items, lowercase=lowercase, field_boost=fmt.field_boost)
    kinds = [type(i) for i in getattr(field.analyzer, "items", ())]
    if type(fmt) is Positions and kinds == [FoldTokenizer, StemFilter]:
        return partial(word_items, encode=fmt.encode, field_boost=fmt.field_boost)
    return None


def comma_keywords(field) -> bool | None:
    """For a field whose analysis is Whoosh's CommaSeparatedTokenizer (lower-cased or not) with
    Frequency postings: whether it lower-cases. None for any other field."""
    items = getattr(field.analyzer, "items", None)
    if type(field.format) is not Frequency or not items:
        return None
    kinds = [type(i) for i in items]
    tokenizer = items[0]
    if kinds[:2] != [RegexTokenizer, StripFilter] or tokenizer.gaps \
            or tokenizer.expression.pattern != "[^,]+":
        return None
    if len(kinds) == 2:
        return False
    return True if kinds[2:] == [LowercaseFilter] else None


def keyword_items(value: str, lowercase: bool, field_boost: float) -> list[tuple]:
    """What field.index(value) yields for such a field: (word bytes, count, weight, encoded
    count) of each distinct stripped item, in the order first seen. An item of spaces only is
    the empty word, as in Whoosh; empty pieces (",,", a leading comma) are no item."""
    counts: dict[str, int] = {}
    for piece in value.split(","):
        if piece:
            word = piece.strip().lower() if lowercase else piece.strip()
            counts[word] = counts.get(word, 0) + 1
    return [(word.encode("utf-8"), n, float(n) * field_boost, pack_uint(n))
            for word, n in counts.items()]


def word_items(value: str, encode, field_boost: float) -> list[tuple]:
    """What field.index(value) yields for a field of our word analysis (FoldTokenizer |
    StemFilter) with Whoosh's Positions: (term bytes, count, weight, encoded positions) of each
    distinct term, in the order first seen; `encode` is the format's."""
    positions: dict[str, list[int]] = {}
    for pos, term in enumerate(map(_stem, fold_spans(value)[0])):
        positions.setdefault(term, []).append(pos)
    return [(term.encode("utf-8"), len(p), float(len(p)) * field_boost, encode(p))
            for term, p in positions.items()]
