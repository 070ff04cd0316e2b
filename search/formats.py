"""The text and word-pair fields: posting values as arrays (pairs: none), made in one pass.

Whoosh's Characters format runs the analyzer token by token (a Token object and a chain of
generators per word) and pickles each word's (position, start, end) list. The analysis of
these two fields is known here (fold, stem, and for pairs join neighbours), so their terms
come straight from the folded words the tokenizer keeps for each passage, and a value is
the flat array [position, start, end, ...]. Positions and character spans read back as
Whoosh's Characters gives them, so highlighting and Whoosh's queries are unchanged.
Word pairs only need to be found (a phrase is its pairs ANDed): their postings have counts,
no values; a matched pair is highlighted from its two words' positions in the text field.
"""
from __future__ import annotations

import sys
from array import array

from whoosh.fields import TEXT
from whoosh.formats import Characters, Frequency

from .analysis import FoldTokenizer, PairFilter, StemFilter, WORD_PAIR_SEP, _stem

_SWAP = sys.byteorder != "little"


def _pack(flat: list[int]) -> bytes:
    a = array("I", flat)
    if _SWAP:
        a.byteswap()
    return a.tobytes()


def _unpack(value: bytes) -> array:
    a = array("I")
    a.frombytes(value)
    if _SWAP:
        a.byteswap()
    return a


def _kind(analyzer) -> str | None:
    """"words" or "pairs" for this module's own analyzers, else None."""
    kinds = tuple(type(i) for i in getattr(analyzer, "items", ()))
    if kinds == (FoldTokenizer, StemFilter):
        return "words"
    if kinds == (FoldTokenizer, StemFilter, PairFilter):
        return "pairs"
    return None


def terms(analyzer, value: str) -> dict[str, list[int]] | None:
    """{term: [position, start, end, ...]} as the analyzer would index value, or None."""
    kind = _kind(analyzer)
    if kind is None:
        return None
    words = FoldTokenizer()._words(value)
    out: dict[str, list[int]] = {}
    if kind == "words":
        for pos, (word, start, end, _) in enumerate(words):
            term = _stem(word)
            if term in out:
                out[term] += (pos, start, end)
            else:
                out[term] = [pos, start, end]
        return out
    stems = [_stem(w[0]) for w in words]
    for pos in range(len(words) - 1):
        term = stems[pos] + WORD_PAIR_SEP + stems[pos + 1]
        span = (pos, words[pos][1], words[pos + 1][2])
        if term in out:
            out[term] += span
        else:
            out[term] = list(span)
    return out


class Spans(Characters):
    """Whoosh's Characters format with array values and the one-pass analysis above."""

    def word_values(self, value, analyzer, **kwargs):
        found = None
        if not kwargs.get("start_pos") and not kwargs.get("start_char"):
            found = terms(analyzer, value)
        if found is None:
            yield from Characters.word_values(self, value, analyzer, **kwargs)
            return
        fb = self.field_boost
        for term, flat in found.items():
            n = len(flat) // 3
            yield term, n, n * fb, _pack(flat)

    def encode(self, poslist):
        return _pack([x for item in poslist for x in item])

    def decode_characters(self, valuestring):
        a = _unpack(valuestring)
        return list(zip(a[0::3], a[1::3], a[2::3]))

    def decode_positions(self, valuestring):
        return list(_unpack(valuestring)[0::3])

    def decode_frequency(self, valuestring):
        return len(valuestring) // 12


class Counts(Frequency):
    """Whoosh's Frequency format without a value per posting: the weight is the count."""

    posting_size = 0

    def word_values(self, value, analyzer, **kwargs):
        for word, freq, weight, _ in Frequency.word_values(self, value, analyzer, **kwargs):
            yield word, freq, weight, b""


class Text(TEXT):
    """A TEXT field (positions and character spans with Spans, or only counts with Counts),
    indexed and listed for spelling from the same one pass."""

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

    def index(self, value, **kwargs):
        """(word bytes, frequency, weight, value) per term: Whoosh's TEXT.index in one pass."""
        found = None
        if isinstance(value, str) and not kwargs:
            found = terms(self.analyzer, value)
        if found is None:
            return super().index(value, **kwargs)
        fb = self.format.field_boost
        if isinstance(self.format, Counts):
            return [(term.encode("utf-8"), len(flat) // 3, len(flat) // 3 * fb, b"")
                    for term, flat in found.items()]
        return [(term.encode("utf-8"), len(flat) // 3, len(flat) // 3 * fb, _pack(flat))
                for term, flat in found.items()]

    def spellable_words(self, value):
        if isinstance(value, str) and _kind(self.analyzer) == "words":
            return iter(sorted({w[0] for w in FoldTokenizer()._words(value)}))
        return super().spellable_words(value)
