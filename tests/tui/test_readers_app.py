"""A PDF in the app: hits and the Reader show pages, `c` cites the page, `o` opens the
original with the system's viewer, or the extracted text in the pager when there is none."""
import os
import stat

from conftest import write_files
from helpers_documents import html_page, pdf_bytes
from helpers_app import make_app, open_first_hit, settle, shown
from helpers_documents import PAGES

from search.engine import Engine
from tui import opener


def corpus(tmp_path):
    return write_files(tmp_path / "corpus", {"wp12.pdf": pdf_bytes(PAGES),
                                             "page.html": html_page(),
                                             "note.txt": "A note on rice exports.\n"})


async def test_pages_in_hits_reader_and_citation(tmp_path):
    folder = corpus(tmp_path)
    app = make_app(tmp_path / "ix", tmp_path, folders=[folder])
    async with app.run_test(size=(160, 40)) as pilot:
        hit = await open_first_hit(pilot, "European Union tariffs")
        assert (hit.doc, hit.passage, hit.page) == ("wp12", 3, 2)
        prompt = str(app.query_one("#hits").get_option_at_index(0).prompt)
        assert "Vietnam between the powers  2025-03-04 §3 p. 2" in prompt
        assert shown(app, "#p-3").startswith("§3 p. 2 Trade with the European Union")
        await pilot.press("c")
        assert app.clipboard.endswith(
            "— “Vietnam between the powers”, Nguyen Van An, Jane Smith, 2025-03-04, document wp12, "
            "passage 3, page 2\n")


def fake_program(folder, name):
    """A stand-in for the user's program: it records the file it was given."""
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f'#!/bin/sh\necho "$1" >> "{folder}/{name}.args"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def doc_of(tmp_path, doc_id):
    engine = Engine([corpus(tmp_path)], tmp_path / "ix")
    engine.update()
    try:
        return engine.document(doc_id)
    finally:
        engine.close()


def test_o_on_a_pdf_uses_the_desktop_viewer_in_a_graphical_session(tmp_path):
    doc = doc_of(tmp_path, "wp12")
    bin_ = tmp_path / "bin"
    fake_program(bin_, "xdg-open")
    env = {"PATH": str(bin_), "DISPLAY": ":0"}
    assert opener.how_to_open(doc, env) == (["xdg-open"], doc.path, True)
    assert opener.how_to_open(doc, {"PATH": str(bin_)})[0] is None      # no display: pager


def test_o_on_a_page_uses_browser_in_the_terminal(tmp_path):
    doc = doc_of(tmp_path, "page")
    bin_ = tmp_path / "bin"
    fake_program(bin_, "w3m")
    env = {"PATH": str(bin_), "BROWSER": "w3m -dump"}
    assert opener.how_to_open(doc, env) == (["w3m", "-dump"], doc.path, False)
    note = doc_of(tmp_path, "note")
    assert opener.how_to_open(note, env) == (None, note.path, False)      # text: as before


def test_without_a_viewer_the_pager_gets_the_extracted_text_with_pages(tmp_path):
    doc = doc_of(tmp_path, "wp12")
    command, path, detached = opener.how_to_open(doc, {"PATH": str(tmp_path / "nothing")})
    assert (command, detached) == (None, False)
    text = open(path, encoding="utf-8").read()
    assert text.startswith("Vietnam between the powers\n2025-03-04 · Nguyen Van An, Jane Smith")
    assert "§3 (page 2)\nTrade with the European Union grew" in text
    assert "%PDF" not in text


async def test_o_in_the_app_launches_the_viewer_with_the_original(tmp_path, monkeypatch):
    folder = corpus(tmp_path)
    bin_ = tmp_path / "bin"
    fake_program(bin_, "xdg-open")
    monkeypatch.setenv("PATH", f"{bin_}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    app = make_app(tmp_path / "ix", tmp_path, folders=[folder])
    async with app.run_test(size=(160, 40)) as pilot:
        await open_first_hit(pilot, "European Union tariffs")
        await pilot.press("o")
        await settle(pilot)
        for _ in range(100):
            if (bin_ / "xdg-open.args").exists():
                break
            await pilot.pause(0.05)
        assert (bin_ / "xdg-open.args").read_text().strip() == str(folder / "wp12.pdf")
