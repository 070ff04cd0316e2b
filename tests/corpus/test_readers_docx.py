"""Word files: paragraphs, headings and tables; title, authors and date from the core
properties; zip bombs and broken files skipped with a warning naming them."""
import datetime as dt
import io
import zipfile

from conftest import write_files
from helpers_documents import docx_bytes

from search.corpus import files as corpus

BLOCKS = [("h1", "Briefing: Vietnam and the Mekong"),
          ("p", "Vietnam will chair the Mekong River Commission's working group on water "
                "security next year, officials said."),
          ("h2", "Partners"),
          ("table", "Partner | Tier | Since"),
          ("table", "Australia | Comprehensive strategic | 2024"),
          ("p", "The briefing was prepared for the ministry's policy planning unit.")]


def load(tmp_path, files):
    write_files(tmp_path, files)
    return corpus.load([tmp_path])


def test_paragraphs_headings_tables_and_core_properties(tmp_path):
    data = docx_bytes(BLOCKS, title="Mekong briefing", author="Lê Thị Mai; John Doe",
                      created=dt.datetime(2025, 6, 30, 9, 0))
    (doc,), warnings = load(tmp_path, {"briefs/mekong.docx": data})
    assert warnings == []
    assert (doc.id, doc.title, doc.authors, doc.date) == (
        "briefs/mekong", "Mekong briefing", ["Lê Thị Mai", "John Doe"], "2025-06-30")
    assert [p.text for p in doc.passages] == [
        "Briefing: Vietnam and the Mekong", BLOCKS[1][1], "Partners", "Partner | Tier | Since",
        "Australia | Comprehensive strategic | 2024", BLOCKS[-1][1]]
    assert all(p.page is None for p in doc.passages)


def test_without_a_title_property_the_first_heading_is_the_title(tmp_path):
    (doc,), _ = load(tmp_path, {"b.docx": docx_bytes(BLOCKS)})
    assert doc.title == "Briefing: Vietnam and the Mekong"


def test_metadata_yaml_overrides_the_properties(tmp_path):
    files = {"b.docx": docx_bytes(BLOCKS, title="Draft", author="Someone"),
             "metadata.yaml": "b:\n  title: Final briefing\n  authors: [Ministry]\n"}
    (doc,), _ = load(tmp_path, files)
    assert (doc.title, doc.authors) == ("Final briefing", ["Ministry"])


def zip_bomb() -> bytes:
    """A .docx whose document part inflates from a few KB to 64 MB."""
    real = zipfile.ZipFile(io.BytesIO(docx_bytes(BLOCKS)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in real.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info, real.read(info))
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1 << 20)
            for _ in range(64):
                part.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = zip_bomb()
    assert len(bomb) < 1 << 20
    parts = len(zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    docs, warnings = load(tmp_path, {"bomb.docx": bomb, "ok.docx": docx_bytes(BLOCKS)})
    assert [d.id for d in docs] == ["ok"]
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'bomb.docx'}: unpacks to 64 MB in {parts} parts: looks like a zip bomb; "
        "skipped"]


def test_broken_word_files_are_skipped_naming_them(tmp_path):
    good = docx_bytes(BLOCKS)
    no_document = io.BytesIO()
    with zipfile.ZipFile(no_document, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    files = {"truncated.docx": good[:len(good) // 2], "text.docx": "not a zip at all",
             "hollow.docx": no_document.getvalue(), "fine.md": "# Still here\n\nA note.\n"}
    docs, warnings = load(tmp_path, files)
    assert [d.id for d in docs] == ["fine"]
    named = {w.path.rsplit("/", 1)[-1]: w.message for w in warnings}
    assert set(named) == {"truncated.docx", "text.docx", "hollow.docx"}
    assert named["text.docx"] == "not a valid Word file (File is not a zip file); skipped"
    assert named["hollow.docx"].startswith("cannot be read as a Word file (")
    assert all("\n" not in m for m in named.values())


def with_document_xml(edit) -> bytes:
    real = zipfile.ZipFile(io.BytesIO(docx_bytes(BLOCKS)))
    parts = {i.filename: real.read(i) for i in real.infolist()}
    parts["word/document.xml"] = edit(parts["word/document.xml"].decode()).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def test_entities_in_a_word_file_are_neither_expanded_nor_fetched(tmp_path):
    laughs = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9)) + "]>"
    secret = write_files(tmp_path / "outside", {"secret.txt": "TOP SECRET CONTENT"})
    external = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}/secret.txt">]>'
    files = {
        "laughs.docx": with_document_xml(
            lambda x: x.replace("?>", "?>" + laughs, 1).replace("Partners", "&j;", 1)),
        "external.docx": with_document_xml(
            lambda x: x.replace("?>", "?>" + external, 1).replace("Partners", "&x;", 1)),
    }
    docs, warnings = load(tmp_path / "c", files)
    assert [d.id for d in docs] == ["external"]
    assert "TOP SECRET" not in " ".join(p.text for p in docs[0].passages)
    assert [w.path.rsplit("/", 1)[-1] for w in warnings] == ["laughs.docx"]
    assert warnings[0].message.startswith("cannot be read as a Word file (")
