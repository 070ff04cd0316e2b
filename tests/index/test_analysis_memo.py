"""The analysis remembers each surface's folded word and each word's stem in a plain dict
(search.index.analysis._Memo): the same answers as folding and stemming afresh, also once
it has been emptied for growing past its limit."""
from __future__ import annotations

from whoosh.lang.porter import stem as porter_stem

from search.index.analysis import _Memo, _fold, _stem, folded_form

SURFACES = ["Tô", "Lâm", "To", "Lam", "An", "Đà", "Nẵng", "U.S.", "U.S", "US", "us", "USA",
            "U.K.", "O'Brien's", "China’s", "Viet Nam", "Viet\tNam", "united  states", "per cent",
            "PC", "co", "operation", "2026", "the", "Hà", "Nội", "strategic", "partnerships",
            "ASEAN", "rock", "n", "roll", "Quảng", "Ninh", "Ân"]


def test_remembered_folding_and_stems_equal_fresh_ones():
    for surface in SURFACES * 2:                # the second time from memory
        assert folded_form(surface) == _fold(surface), surface
        word = _fold(surface)
        if word:
            assert _stem(word) == porter_stem(word), word


def test_a_memo_past_its_limit_is_emptied_and_still_right():
    calls = []

    def shout(word):
        calls.append(word)
        return word.upper()

    memo = _Memo(shout, limit=3)
    words = ["tô", "lâm", "tô", "lâm", "đà", "nẵng", "tô", "u.s.", "tô"]
    assert [memo[w] for w in words] == [w.upper() for w in words]
    assert len(memo) <= 3 and len(calls) < len(words)    # some answers came from memory

