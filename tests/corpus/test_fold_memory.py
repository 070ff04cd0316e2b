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
    T._PLAIN.clear()
    long = "Tô Lâm " * 20
    assert T.fold(long) == plain_fold(long) and long not in T._PLAIN
    names = ["Tô Lâm", "Đà Nẵng", "Phạm Minh Chính", "Hồ Chí Minh", "Vietnam’s"]
    for name in names * 2:
        assert T.fold(name) == plain_fold(name)
        assert len(T._PLAIN) <= 3
    assert T.fold("Tô`Lâm") == plain_fold("Tô`Lâm") == "to'lam"


def test_records_are_the_same_bytes_whatever_fold_remembers(monkeypatch):
    """A record is marshal data, which marks objects used more than once: a fold that gave
    the remembered string itself would change the bytes stored (not their values)."""
    from search.corpus.files import build_document
    from search.entities import gazetteer
    from search.entities.extracted import record
    from search.entities.matcher import Matcher
    gaz = gazetteer.load(include_user=False)
    matcher = Matcher(gaz)
    doc = build_document("d", "d.md", "Tô Lâm met Nguyễn Văn An and Trần Thị Bình in Đà Nẵng.\n\n"
                         "Nguyễn Văn An, Trần Thị Bình and Lê Quang Huy spoke at the Hà Nội "
                         "Institute of Mekong Studies; Tô Lâm thanked Lê Quang Huy.")
    monkeypatch.setattr(T, "FOLDED_SHORT", 0)
    T._PLAIN.clear()
    plain = record(doc, gaz, matcher)
    monkeypatch.setattr(T, "FOLDED_SHORT", 64)
    first, again = record(doc, gaz, matcher), record(doc, gaz, matcher)
    assert first == again == plain
