"""A document's paragraph keys worked out at once (`dedupe_keys`) against the plain key of
each paragraph, written out here: the repeats dropped and the `hash` the index stores depend
on them. Made-up text full of what articles hold: Tô Lâm, Đà Nẵng, curly quotes, U.S.,
dashes, and the characters where folding or lowering is not one ASCII letter for one."""
from __future__ import annotations

import hashlib
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.corpus import text as T
from search.corpus.files import build_document
from search.index.schema import passage_fields


def plain_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(T._EXTRA_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def plain_key(text: str) -> str:
    return hashlib.sha1(" ".join(plain_fold(text).split()).encode()).hexdigest()


PIECES = ["Tô Lâm", "Đà Nẵng", "U.S.", "“Hanoi”", "‘bamboo’", "—", "–", "-", "well-known",
          "Vietnam’s", "ASEAN", "`", "a", "B", " ", "  ", "\t", "\r", "\x1c", "\u00a0", "\u2003",
          "\u2028", "\u200b", "ß", "Æ", "¨", "ﬁ", "İ", "ΟΔΟΣ", "Σ", "Дом", "ｶﾞ", "\u1fef", "中国",
          "½", "…", "é", "e\u0301", "\n", "ᴭ", "ϴ", "㎞"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@settings(max_examples=2000, deadline=None)
@given(st.lists(TEXT, max_size=8))
def test_keys_at_once_equal_the_plain_key_of_each(texts):
    assert T.dedupe_keys(texts) == [plain_key(t) for t in texts]


CHOSEN = [
    ["Tô Lâm met U.S. envoys in Đà Nẵng.", "TO LAM met u.s. envoys in Da Nang.",
     "“Hanoi” — said Vietnam’s minister – in `quotes`"],
    ["Đà Nẵng", "Đà  Nẵng", " Đà Nẵng", "Đà Nẵng ", "Đà\u00a0Nẵng", "Đà\tNẵng"],
    ["ΟΔΟΣ", "οδος", "Σ", "İstanbul", "Дом"],          # lowering outside ASCII
    ["a ¨ b", "a b", "ｶﾞ", "\u1fef x", "½ and …"],       # folds that are not one letter
    ["ᴭ", "æ", "ϴ", "θ", "㎞"],                         # folds to a capital outside ASCII
    ["one\ntwo", "one two"],                            # a line break inside a text
    [], [""], ["", ""], ["plain ascii only", "Plain ASCII only"],
]


@pytest.mark.parametrize("texts", CHOSEN)
def test_keys_at_once_on_chosen_cases(texts):
    assert T.dedupe_keys(texts) == [plain_key(t) for t in texts]


def test_usual_paragraphs_take_the_fast_path(monkeypatch):
    """Accented names, curly quotes and dashes are folded at once, not one text at a time."""
    texts = CHOSEN[0] + ["Đà Nẵng port", "Tô Lâm’s visit"]
    expected = [plain_key(t) for t in texts]
    monkeypatch.setattr(T, "dedupe_key", lambda t: pytest.fail(f"plain path for {t!r}"))
    assert T.dedupe_keys(texts) == expected


BODY = ("Tô Lâm met U.S. envoys in Đà Nẵng.\n\n“Hanoi” — a ‘bamboo’ policy.\n\n"
        "TO LAM met   u.s. envoys in Da Nang.\n\n" + "A long sentence about ASEAN. " * 60
        + "\n\nTô Lâm met U.S. envoys in Đà Nẵng.\n\nThe end.")


def test_repeats_dropped_as_the_plain_keys_find_them():
    paras = T.paragraphs(BODY)
    kept, seen = [], set()
    for p in paras:
        if plain_key(p) not in seen:
            seen.add(plain_key(p))
            kept.append(p)
    assert T.drop_repeats(paras) == kept
    assert len(kept) == len(paras) - 2          # the upper-case and the word-for-word repeat
    assert T.passages_of(BODY) == [c for p in kept for c in T.split_long(p)]


def test_each_passage_keeps_the_key_of_its_own_text():
    doc = build_document("d", "d.md", BODY.replace("\n", "\r\n"))
    assert len(doc.passages) > 4                # the long paragraph was split
    for p in doc.passages:
        assert p.key == plain_key(p.text), p.number
    hashes = [f["hash"] for f in passage_fields(doc)]
    assert hashes == [plain_key(p.text) for p in doc.passages]
    doc.passages[0].key = None                  # a passage read back without its key
    assert next(passage_fields(doc))["hash"] == plain_key(doc.passages[0].text)


def test_every_passage_gets_the_documents_date_and_source():
    doc = build_document("d", "d.md", "---\ndate: 2025-03-07\nsource: Nhân Dân\n---\n" + BODY)
    fields = list(passage_fields(doc))
    assert len(fields) == len(doc.passages) > 4
    assert {(f["date"], f["date_text"], f["source"]) for f in fields} == {
        ("2025,2025-03,2025-03-07", "2025-03-07", "Nhân Dân")}


EDGES = [
    ["Tô Lâm", " Đà Nẵng", "U.S."],                    # a space after a line break
    ["Tô Lâm ", "Đà Nẵng", "U.S."],                    # a space before one
    ["Tô Lâm", "Đà Nẵng", "U.S. "],                    # at the very end
    [" Tô Lâm", "Đà Nẵng"],                            # at the very start
    ["“Hanoi”", " ", "‘bamboo’"], [" "], ["", " ", ""], ["a", "", "b"],
    ["well-known", "Vietnam’s\n", "talks"],             # a line break in a text
    ["well-known", "\nVietnam’s", "talks"],
    ["Đà Nẵng \nport"], ["Đà Nẵng\n port"], ["Đà Nẵng\r\nport"],
]


@pytest.mark.parametrize("texts", EDGES)
def test_a_space_at_either_end_of_any_paragraph(texts):
    """A space at either end of a paragraph or beside a line break inside one (the text's
    one-spaced key drops it) is found by looking at each paragraph's ends."""
    assert T.dedupe_keys(texts) == [plain_key(t) for t in texts]


def test_paragraphs_with_no_space_at_an_end_take_the_fast_path(monkeypatch):
    texts = ["Tô Lâm met U.S. envoys.", "", "Đà Nẵng port", "“Hanoi” — a ‘bamboo’ policy", "x"]
    expected = [plain_key(t) for t in texts]
    monkeypatch.setattr(T, "dedupe_key", lambda t: pytest.fail(f"plain path for {t!r}"))
    assert T.dedupe_keys(texts) == expected
