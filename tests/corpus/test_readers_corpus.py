"""A real folder of research: text, Markdown, saved pages, PDFs and Word files together,
indexed (also by forked workers) and shown with pages by the command line."""
import json
import os
import subprocess
import sys

from conftest import ROOT, vnexplore, write_files
from helpers_documents import docx_bytes, html_page, pdf_bytes
from helpers_documents import PAGES

from search.index.write.options import IndexOptions
from search.engine import Engine

LAZY = ("trafilatura", "pypdfium2", "docx", "lxml")


def mixed(folder):
    return write_files(folder, {
        "notes/plain.txt": "Notes on the Natuna Sea talks and bamboo diplomacy.\n",
        "notes/front.md": "---\ntitle: Front matter wins\n---\n\nA Markdown note on ASEAN.\n",
        "web/Ties.html": html_page(),
        "web/Ties_files/frame.htm": html_page(paragraphs=["Holiday flights to Bali."]),
        "reports/wp12.pdf": pdf_bytes(PAGES),
        "briefs/mekong.docx": docx_bytes([("h1", "Mekong briefing"),
                                          ("p", "Water security on the Mekong delta.")]),
    })



def test_a_mixed_folder_is_read_whole_and_pdf_hits_give_their_page(tmp_path):
    folder = mixed(tmp_path / "c")
    ix = ["--corpus", str(folder), "--index-dir", str(tmp_path / "ix")]
    r = vnexplore(*ix, "index")
    assert r.returncode == 0, r.stderr
    assert "5 documents" in r.stdout
    r = vnexplore(*ix, "search", '"Natuna Sea"', "--json")
    hits = {h["doc"]: h for h in json.loads(r.stdout)["hits"]}
    assert set(hits) == {"notes/plain", "reports/wp12"}
    assert hits["reports/wp12"]["page"] == 1 and hits["notes/plain"]["page"] is None
    r = vnexplore(*ix, "search", "Mekong delta")
    assert "reports/wp12 §4 p. 3" in r.stdout
    r = vnexplore(*ix, "show", "reports/wp12", "--json")
    shown = json.loads(r.stdout)
    assert shown["title"] == "Vietnam between the powers"
    assert [(p["number"], p["page"]) for p in shown["passages"]] == [
        (1, 1), (2, 1), (3, 2), (4, 3)]
    r = vnexplore(*ix, "show", "reports/wp12", "--passage", "3", "--json")
    assert json.loads(r.stdout)["passages"] == [{
        "number": 3, "page": 2, "text": "Trade with the European Union grew after the free "
        "trade agreement entered into force, helped by lower tariffs on rice and textiles."}]
    r = vnexplore(*ix, "show", "web/Ties", "--json")
    assert {p["page"] for p in json.loads(r.stdout)["passages"]} == {None}
    r = vnexplore(*ix, "show", "notes/front", "--json")
    assert json.loads(r.stdout)["title"] == "Front matter wins"


def test_forked_workers_read_pdfs_pages_and_web_pages(tmp_path, monkeypatch):
    folder = mixed(tmp_path / "c")
    for i in range(6):
        write_files(folder, {f"more/wp{i}.pdf": pdf_bytes(PAGES, title=f"Paper {i}"),
                             f"more/page{i}.html": html_page()})
    engine = Engine([folder], tmp_path / "ix", options=IndexOptions(parallel_from=4))
    report = engine.update()
    assert report.warnings == []
    assert len(engine.documents()) == 5 + 12
    hits = engine.search('"Natuna Sea"', limit=50).hits
    assert sorted((h.doc, h.page) for h in hits if h.doc.startswith("more/")) == [
        (f"more/wp{i}", 1) for i in range(6)]
    engine.close()


def test_readers_are_imported_only_when_such_a_file_is_read(tmp_path):
    code = ("import sys; from search import engine; from search.cli import main\n"
            "from search.corpus import files as corpus\n"
            "from pathlib import Path\n"
            f"corpus.load([Path({str(tmp_path)!r})])\n"
            f"print([m for m in {LAZY!r} if m in sys.modules])")
    write_files(tmp_path, {"a.txt": "Only a text file here.\n"})
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]", out.stderr
