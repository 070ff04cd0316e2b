"""fold() remembers short texts with accents: asked again, or after its memory was emptied,
it gives what the plain fold (written out here) gives."""
from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from search.corpus import text as T

PIECES = ["Tô Lâm", "Đà Nẵng", "U.S.", "“Hanoi”", "‘bamboo’", "—", "`", "ß", "Æ", "¨", "ﬁ",
          "İ", "ΟΔΟΣ", "Σ", "ᴭ", "ｶﾞ", "\u1fef", "Nguyễn", "a", "B", " ", "\u00a0", "\n"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


def plain_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(T._EXTRA_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@settings(max_examples=1500, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_fold_asked_again_is_the_plain_fold(texts):
    for text in texts + texts[::-1] + [t.upper() for t in texts]:
        assert T.fold(text) == plain_fold(text), text


def test_only_short_texts_are_remembered_and_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(T, "FOLDED_MAX", 3)
    T._FOLDED.clear()
    long = "Tô Lâm " * 20
    assert T.fold(long) == plain_fold(long) and long not in T._FOLDED
    names = ["Tô Lâm", "Đà Nẵng", "Phạm Minh Chính", "Hồ Chí Minh", "Vietnam’s"]
    for name in names * 2:
        assert T.fold(name) == plain_fold(name)
        assert len(T._FOLDED) <= 3
    assert T.fold("Tô`Lâm") == plain_fold("Tô`Lâm") == "to'lam"
