"""PDFs: reading order and paragraphs, hyphens joined, running headers and footers left out,
each passage's page, metadata from the document info and the first page, and bad PDFs."""
import datetime as dt

from conftest import write_files
from helpers_documents import HEADER, PAGES, pdf_bytes, scanned_pdf_bytes

from search.corpus import files as corpus
from search.engine import Engine

def load(tmp_path, files):
    write_files(tmp_path, files)
    return corpus.load([tmp_path])


def test_passages_have_their_page_hyphens_joined_headers_and_footers_gone(tmp_path):
    docs, warnings = load(tmp_path, {"reports/wp12.pdf": pdf_bytes(PAGES)})
    assert warnings == []
    (doc,) = docs
    assert doc.id == "reports/wp12"
    texts = [p.text for p in doc.passages]
    assert texts[0].startswith("Vietnam has long practised what its leaders call bamboo "
                               "diplomacy, bending with the wind")
    assert "comprehensive strategic partnership with Australia" in texts[0]
    # the paragraph that runs onto page 2 is one passage, on the page where it starts
    assert texts[1] == ("Hanoi signed a maritime agreement with Jakarta after years of talks "
                        "on the continental shelf, and the two sides agreed to expand coast "
                        "guard cooperation in the Natuna Sea.")
    assert [(p.number, p.page) for p in doc.passages] == [(1, 1), (2, 1), (3, 2), (4, 3)]
    everything = " ".join(texts)
    assert "Institute of Strategic Studies" not in everything
    assert "Page " not in everything and " of 3" not in everything


def test_two_columns_are_read_column_by_column_and_a_paragraph_runs_on(tmp_path):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    left = ["Vietnam's trade with the Union grew", "quickly after the agreement, and",
            "exporters of rice and coffee", "", "The second paragraph opens the left",
            "column's end and carries on in the"]
    right = ["right column without a break in", "its sentence, as columns do.", "",
             "A last paragraph stands alone."]
    for x, column in ((20, left), (110, right)):
        y = 30
        for line in column:
            if line:
                pdf.set_xy(x, y)
                pdf.cell(80, 6, line)
            y += 6 if line else 5
    (doc,), _ = load(tmp_path, {"cols.pdf": bytes(pdf.output())})
    assert [p.text for p in doc.passages] == [
        "Vietnam's trade with the Union grew quickly after the agreement, and exporters of "
        "rice and coffee",
        "The second paragraph opens the left column's end and carries on in the right column "
        "without a break in its sentence, as columns do.",
        "A last paragraph stands alone."]


def test_metadata_from_the_document_info(tmp_path):
    (doc,), _ = load(tmp_path, {"wp.pdf": pdf_bytes(PAGES)})
    assert doc.title == "Vietnam between the powers"
    assert doc.authors == ["Nguyen Van An", "Jane Smith"]
    assert doc.date == "2025-03-04"


def test_metadata_from_the_first_page_when_the_info_is_empty(tmp_path):
    data = pdf_bytes(PAGES, title=None, author=None, date=None, first_lines=[
        ("Hedging in Hanoi: Vietnam and the Quad", 20), ("By Le Thi Mai and John Brown", 11),
        ("4 March 2025", 11)])
    (doc,), _ = load(tmp_path, {"wp.pdf": data})
    assert doc.title == "Hedging in Hanoi: Vietnam and the Quad"
    assert doc.authors == ["Le Thi Mai", "John Brown"]
    assert doc.date == "2025-03-04"


def test_metadata_yaml_overrides_what_the_pdf_says(tmp_path):
    files = {"wp.pdf": pdf_bytes(PAGES),
             "metadata.yaml": "wp:\n  title: Working Paper 12\n  date: 2024-12-01\n"}
    (doc,), _ = load(tmp_path, files)
    assert (doc.title, doc.date) == ("Working Paper 12", "2024-12-01")
    assert doc.authors == ["Nguyen Van An", "Jane Smith"]


def test_an_impossible_date_in_metadata_yaml_is_reported_and_the_pdfs_own_date_used(tmp_path):
    files = {"wp.pdf": pdf_bytes(PAGES), "metadata.yaml": "wp:\n  date: 2024-13-45\n"}
    (doc,), warnings = load(tmp_path, files)
    assert doc.date == "2025-03-04"
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'wp.pdf'}: date '2024-13-45' in metadata.yaml is not a calendar date "
        "(YYYY, YYYY-MM or YYYY-MM-DD); ignored"]


def test_a_single_page_pdf_keeps_its_only_header_line_but_drops_the_page_number(tmp_path):
    (doc,), _ = load(tmp_path, {"one.pdf": pdf_bytes(PAGES[:1], footer="{n}")})
    assert doc.passages[0].text.startswith(HEADER)      # not running: seen on one page only
    assert not any(p.text.strip() == "1" for p in doc.passages)


def test_a_scanned_pdf_is_reported_not_silently_empty(tmp_path):
    docs, warnings = load(tmp_path, {"scan.pdf": scanned_pdf_bytes()})
    assert docs == []
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'scan.pdf'}: no text to index: a scanned PDF needs OCR first"]


def test_a_partly_scanned_pdf_is_indexed_and_its_empty_pages_named(tmp_path):
    docs, warnings = load(tmp_path, {"mixed.pdf": scanned_pdf_bytes("A typed cover page.")})
    assert [p.text for p in docs[0].passages] == ["A typed cover page."]
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'mixed.pdf'}: page 2 of 2 has no text to index (blank, or scanned and "
        "in need of OCR)"]


def test_encrypted_pdfs_open_without_a_password_else_are_skipped(tmp_path):
    files = {"open.pdf": pdf_bytes(PAGES, owner_password="secret", user_password=""),
             "locked.pdf": pdf_bytes(PAGES, owner_password="secret", user_password="pw")}
    docs, warnings = load(tmp_path, files)
    assert [d.id for d in docs] == ["open"]
    assert "bamboo diplomacy" in docs[0].passages[0].text
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'locked.pdf'}: encrypted PDF that needs a password; skipped"]


def test_broken_pdfs_are_skipped_or_repaired_with_the_file_named(tmp_path):
    good = pdf_bytes(PAGES)
    xref = good.rindex(b"xref")
    files = {
        "truncated.pdf": good[:len(good) // 3],
        "garbage.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
        "badxref.pdf": good[:xref] + b"xref\n0 9999\nthis is not a table\n" + good[xref + 200:],
        "empty.pdf": b"",
        "fine.txt": "Still loaded beside the broken PDFs.\n",
    }
    docs, warnings = load(tmp_path, files)
    ids = {d.id for d in docs}
    assert "fine" in ids
    # pdfium rebuilds a damaged cross-reference table from the objects themselves
    assert "badxref" in ids
    bad = {w.path.rsplit("/", 1)[-1]: w.message for w in warnings}
    for name in ("truncated.pdf", "garbage.pdf", "empty.pdf"):
        if name.removesuffix(".pdf") not in ids:
            assert name in bad, (name, bad)
    assert bad["garbage.pdf"].startswith("cannot be read as a PDF (")
    assert all("\n" not in m for m in bad.values())


def test_a_changed_pdf_is_reindexed_with_its_new_pages(tmp_path):
    folder = write_files(tmp_path / "c", {"wp.pdf": pdf_bytes(PAGES), "note.txt": "A note.\n"})
    engine = Engine([folder], tmp_path / "ix")
    engine.update()
    hits = engine.search('"Natuna Sea"').hits
    assert [(h.doc, h.passage, h.page) for h in hits] == [("wp", 2, 1)]
    new = [["An opening page that now comes first."], *PAGES]
    (folder / "wp.pdf").write_bytes(pdf_bytes(new, date=dt.datetime(2025, 4, 1)))
    report = engine.update()
    assert report.changed == ["wp"] and report.added == []
    hits = engine.search('"Natuna Sea"').hits
    assert [(h.doc, h.passage, h.page) for h in hits] == [("wp", 3, 2)]
    assert engine.document("wp").date == "2025-04-01"
    assert engine.document("note").passages[0].page is None
    engine.close()
