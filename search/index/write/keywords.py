"""Comma-separated keyword fields (the entity and date fields) analysed without Whoosh's tokens.

Whoosh analyses a KEYWORD(commas=True) value through a regex tokenizer, a strip filter, maybe
a lower-case filter and its Frequency format, a generator and a Token a step: about 19 µs for
a passage's entity names. The entity field's value changes from passage to passage (2.8 new
values an article), so the segment writer's cache of analysed values (search.index.write.segment)
misses often. `keyword_items` gives the same items with a split and a dict;
tests/index/test_keywords.py holds it to field.index.
"""
from __future__ import annotations

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StripFilter
from whoosh.formats import Frequency
from whoosh.system import pack_uint


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
