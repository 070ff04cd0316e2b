"""Cleaning rules: what a reader sees and searches."""
from search.corpus import text as T
from search.corpus.files import build_document


def test_fold_handles_vietnamese_including_d_bar():
    assert T.fold("Phạm Minh Chính") == "pham minh chinh"
    assert T.fold("Đà Nẵng") == "da nang"
    assert T.fold("Tô Lâm") == "to lam"
    assert T.fold("Vietnam’s") == "vietnam's"


def test_date_prefix_is_metadata_not_text():
    doc = build_document("d", "d.txt", " date 2026-02-03 A leaked document shows it.\n\nMore.")
    assert doc.date == "2026-02-03"
    assert doc.passages[0].text == "A leaked document shows it."


def test_ref_markers_removed_but_words_containing_ref_kept():
    doc = build_document("d", "d.txt", "Reforms began in 1986.REF Referees and REFUGEES stay. "
                                       "The U.S.REF This has made it clear.")
    text = doc.passages[0].text
    assert "REF " not in text and not text.endswith("REF")
    assert "Reforms began in 1986. Referees and REFUGEES stay." in text
    assert "The U.S. This has made it clear." in text


def test_repeated_paragraph_kept_once_and_numbers_are_stable():
    raw = "First paragraph here.\nSecond one.\nFirst  paragraph here.\nThird one."
    doc = build_document("d", "d.txt", raw)
    assert [p.text for p in doc.passages] == ["First paragraph here.", "Second one.", "Third one."]
    assert [p.number for p in doc.passages] == [1, 2, 3]
    again = build_document("d", "d.txt", raw)
    assert [(p.number, p.text) for p in again.passages] == [(p.number, p.text) for p in doc.passages]


def test_unicode_normalised_and_whitespace_tidied():
    decomposed = "Pha\u0323m Minh Chi\u0301nh  met\u00a0officials\r\n\r\nin   Hanoi.\t"
    doc = build_document("d", "d.txt", decomposed)
    assert [p.text for p in doc.passages] == ["Phạm Minh Chính met officials", "in Hanoi."]


def test_hard_wrapped_markdown_paragraphs_are_joined():
    raw = "# A title\n\nThis line was wrapped\nby an editor at a short\nwidth.\n\n- one item.\n- two items."
    doc = build_document("d", "d.md", raw)
    texts = [p.text for p in doc.passages]
    assert "This line was wrapped by an editor at a short width." in texts
    assert "- one item." in texts and "- two items." in texts
    assert doc.title == "A title"


def test_very_long_paragraph_split_at_sentence_ends():
    sentence = "Vietnam and its partners signed another agreement on maritime cooperation today. "
    doc = build_document("d", "d.txt", sentence * 40)
    assert len(doc.passages) > 2
    for p in doc.passages:
        assert len(p.text) <= T.LONG_PASSAGE
        assert p.text.endswith(".")


def test_control_characters_and_escapes_removed():
    doc = build_document("d", "d.txt", "Plain \x1b[31mred\x1b[0m text\x07 with \x1b]0;title\x07osc.")
    assert doc.passages[0].text == "Plain red text with osc."
