"""The text and word-pair fields: posting values as arrays (pairs: none).

Whoosh's Characters format pickles each word's (position, start, end) list; here a value is
the flat array [position, start, end, ...]. Positions and character spans read back as
Whoosh's Characters gives them, so highlighting and Whoosh's queries are unchanged.
The segment writer indexes these fields on a short path of its own (`search.index.write.pool`); Whoosh's
token-by-token analysis is left for the rare documents it cannot take (index-time boosts).
Word pairs only need to be found (a phrase is its pairs ANDed): their postings have counts,
no values; a matched pair is highlighted from its two words' positions in the text field.
"""
from __future__ import annotations

from array import array

from whoosh.fields import TEXT
from whoosh.formats import Characters, Frequency

from search.index.analysis import FoldTokenizer, PairFilter, StemFilter
from search.index.codec.blocks import from_bytes, to_bytes

def _kind(analyzer) -> str | None:
    """"words" or "pairs" for this module's own analyzers, else None."""
    kinds = tuple(type(i) for i in getattr(analyzer, "items", ()))
    if kinds == (FoldTokenizer, StemFilter):
        return "words"
    if kinds == (FoldTokenizer, StemFilter, PairFilter):
        return "pairs"
    return None


class Spans(Characters):
    """Whoosh's Characters format with array values."""

    def encode(self, poslist):
        return to_bytes(array("I", [x for item in poslist for x in item]))

    def decode_characters(self, valuestring):
        a = from_bytes("I", valuestring)
        return list(zip(a[0::3], a[1::3], a[2::3]))

    def decode_positions(self, valuestring):
        return list(from_bytes("I", valuestring)[0::3])

    def decode_frequency(self, valuestring):
        return len(valuestring) // 12


class Counts(Frequency):
    """Whoosh's Frequency format without a value per posting: the weight is the count."""

    posting_size = 0

    def word_values(self, value, analyzer, **kwargs):
        for word, freq, weight, _ in Frequency.word_values(self, value, analyzer, **kwargs):
            yield word, freq, weight, b""


class Text(TEXT):
    """A TEXT field: positions and character spans with Spans, or only counts with Counts."""

    def __init__(self, spans: bool = True, **kwargs):
        super().__init__(**kwargs)
        fb = self.format.field_boost
        self.format = Spans(field_boost=fb) if spans else Counts(field_boost=fb)

    @property
    def kind(self) -> str | None:
        """"words" (terms with spans) or "pairs" (pair counts) for this module's own
        analysis and formats, which the segment writer indexes on its short path."""
        kind = _kind(self.analyzer)
        if kind == "words" and isinstance(self.format, Spans) or \
                kind == "pairs" and isinstance(self.format, Counts):
            return kind
        return None

    def spellable_words(self, value):
        if isinstance(value, str) and _kind(self.analyzer) == "words":
            return iter(sorted({w[0] for w in FoldTokenizer()._words(value)}))
        return super().spellable_words(value)
