"""The index splits texts with a faster form of TOKEN_PATTERN (analysis._SPLIT): the tokens,
and so every term, position and highlighted span, must be the very ones TOKEN_PATTERN finds."""
from __future__ import annotations

import re
from itertools import accumulate
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from search.index import analysis
from search.index.analysis import NAME_STOPS, _SPLIT, TOKEN_PATTERN, _split, fold_spans, fold_words

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


# A variant or acronym right after an underscore or inside a word (\b fails there), and dots
# that make no acronym: both fast patterns, which check the \b before a variant looking back
# from its first letter, split these as TOKEN_PATTERN does.
EDGES = ["_united states", "snake_per cent", "x_Viet Nam", "_Viet Nam’s", "__vi_t nam",
         "uunited states", "pper cent", "vviet nam", "_U.S.A.", "a_b.c.", "U.S.A.B", "a.b",
         "a..b.", "v.p.u.", "Tô_per cent", "ü_united states", "per cent_", "united states1"]


def test_the_fast_splits_find_no_variant_where_token_pattern_finds_none():
    for piece in EDGES:
        for text in (piece, piece + " and " + piece, "“" + piece + "” ā"):
            assert _SPLIT(text) == SPEC(text), text
            assert list(map(len, _split(text))) == list(map(len, SPEC(text))), text


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


# fold_spans looks for To, An and Can beside a name only in a text that has one of them as a
# word; these texts have them as words, inside words and in other cases.
NAME_PIECES = ["To", "An", "Can", "to", "an", "can", "TO", "Tô", "Ân", "Lam", "Lâm", "Giang",
               "Tho", "Toronto", "Ant", "Canberra", "And", "Cannot", "met", "the", "U.S.",
               " ", " ", " ", "  ", "\n", ", ", ".", "’", "“", "-", "\u00a0"]


def reference_words(text: str) -> list[tuple]:
    """TOKEN_PATTERN's tokens folded one at a time (analysis._fold), To, An and Can kept,
    lower-cased, beside a capitalised word one space away: (word, start, end)."""
    parts = SPEC(text)
    bounds = list(accumulate(map(len, parts)))
    out = []
    for k, surface in enumerate(parts[1::2]):
        before = k > 0 and parts[2 * k] == " " and parts[2 * k - 1][:1].isupper()
        after = 2 * k + 3 < len(parts) and parts[2 * k + 2] == " " and parts[2 * k + 3][:1].isupper()
        if surface in NAME_STOPS and (before or after):
            word = NAME_STOPS[surface]
        else:
            word = analysis._fold(surface)
        if word:
            out.append((word, bounds[2 * k], bounds[2 * k + 1]))
    return out


def test_name_stop_words_are_kept_only_beside_a_name():
    assert fold_spans("To Lam met An Giang in Can Tho")[0] == [
        "to", "lam", "met", "an", "giang", "can", "tho"]
    assert fold_spans("Toronto and Canberra: to Lam, an ant")[0] == ["toronto", "canberra", "lam", "ant"]
    assert fold_spans("Can Tho, To  Lam, An\nGiang. Can we?")[0] == ["can", "tho", "lam", "giang"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=24), st.sampled_from(["", " "]))
def test_fold_spans_keeps_name_stop_words_as_token_by_token(pieces, sep):
    text = sep.join(pieces)
    assert list(zip(*fold_spans(text))) == reference_words(text), text
