"""The index splits texts with a faster form of TOKEN_PATTERN (analysis._SPLIT): the tokens,
and so every term, position and highlighted span, must be the very ones TOKEN_PATTERN finds."""
from __future__ import annotations

import re
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from search.index import analysis
from search.index.analysis import _SPLIT, TOKEN_PATTERN, _split, fold_spans, fold_words

SPEC = re.compile(f"({TOKEN_PATTERN.pattern})").split

# Pieces that meet every branch of the pattern and its edges: the multi-word variants in any
# case and spacing, dotted acronyms, apostrophes, underscores, accents, digits, other scripts.
PIECES = ["Viet Nam", "viêt\tnam", "VIỆT  NAM", "vietnam", "Viet Namese", "per cent",
          "PER\tcent", "percent", "per centre", "United States", "united  states", "United",
          "Statesman", "U.S.", "U.S.A", "U.S", "u.k.", "a.b.c.d", "e.g.", "3.5", "1.2.3.",
          "x.y.z1", "Vietnam's", "don’t", "it''s", "'quoted'", "_", "snake_case", "__",
          "Hà Nội", "Đà Nẵng", "北京", "ASEAN-led", "2024-12-31", "v", "p", "u", "V.", "P.U.",
          "ﬁnance", "Kelvin", "…", " ", "  ", "\t", "\n", ".", ",", "-", "(", ")", "\"", "’"]


def test_the_fast_split_finds_the_tokens_of_each_branch():
    text = ("In Viet Nam, per cent and U.S.A. trade rose 3.5 per cent; the United States "
            "and Vietnam's snake_case partners (U.K., e.g.) met in Hà Nội.")
    tokens = _SPLIT(text)[1::2]
    assert tokens == SPEC(text)[1::2]
    assert "Viet Nam" in tokens and "per cent" in tokens and "United States" in tokens
    assert "U.S.A." in tokens and "Vietnam's" in tokens and "Hà" in tokens
    assert fold_words(text)[0][:3] == ["vietnam", "percent", "usa"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=30))
def test_the_fast_split_is_token_pattern(pieces):
    text = "".join(pieces)
    assert _SPLIT(text) == SPEC(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join))
def test_the_fast_split_is_token_pattern_on_spaced_pieces(text):
    assert _SPLIT(text) == SPEC(text)


# Texts whose only characters outside ASCII are curly quotes and dashes are split on their
# ASCII stand-in (analysis._split); any other such character sends the text to _SPLIT.
STAND_IN_PIECES = PIECES + ["’", "‘", "“", "”", "–", "—", "don’t", "China’s", "‘Viet Nam’",
                            "“per cent”", "U.S.’", "’s", "Tô Lâm", "To Lam", "An Giang", "Can",
                            "Tô", "Lâm’s", "ß", "Σ", "e\u0301", "\n", "A-B", "Viet–Nam",
                            "Viet\u00a0Nam", "Ｕ．Ｓ．", "ſtates", "K", "a'1", "9’9", "rock’n’roll"]


def _same_split(text: str) -> None:
    fast, spec = _split(text), SPEC(text)
    assert list(map(len, fast)) == list(map(len, spec))                 # the same spans
    stands_only = all(c.isascii() or c in "’‘“”–—" for c in text)
    assert fast[1::2] == [t.replace("’", "'") if stands_only else t for t in spec[1::2]]
    plain = fold_spans(text)
    with patch.object(analysis, "_split", analysis._SPLIT):             # the plain path
        assert plain == fold_spans(text)


def test_the_stand_in_split_keeps_words_spans_and_stop_words():
    text = "“Tô Lâm” met To Lam’s team in Đà Nẵng – the U.S.A.’s per cent — Viet Nam’s."
    _same_split(text)
    english = "“To Lam” met An Giang’s U.S. team – 3.5 per cent — in Viet Nam’s ‘talks’."
    _same_split(english)
    words = fold_spans(english)[0]
    assert words[:2] == ["to", "lam"] and "usa" in words and "percent" in words
    assert "giang" in words and "vietnam" in words and "talks" in words
    assert fold_spans("Tô Lâm went to Hà Nội’s")[0] == ["to", "lam", "went", "ha", "noi"]
    assert fold_spans("“Tô” went – to")[0] == ["to", "went"]        # accented Tô is kept


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(STAND_IN_PIECES), st.text(max_size=6)), max_size=30))
def test_the_stand_in_split_is_token_pattern(pieces):
    _same_split("".join(pieces))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(STAND_IN_PIECES), max_size=30).map(" ".join))
def test_the_stand_in_split_is_token_pattern_on_spaced_pieces(text):
    _same_split(text)
