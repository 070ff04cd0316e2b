"""Saved web pages: the article's text without boilerplate, metadata from each place a page
keeps it, wrong charsets, scripts, huge pages, a browser's _files folder, and no network."""
import socket

import pytest
from conftest import write_files
from helpers_documents import ARTICLE, BOILERPLATE, html_page

from search.corpus import files as corpus

META = ('<title>Ties upgraded - Example News</title><meta name="author" content="Jane Smith">'
        '<meta name="date" content="2024-03-07"><meta name="application-name" '
        'content="Example News"><link rel="canonical" href="https://news.example.com/2024/ties">')
OPEN_GRAPH = ('<meta property="og:title" content="Hanoi and Canberra raise their ties">'
              '<meta property="og:site_name" content="The Lowy Interpreter">'
              '<meta property="og:url" content="https://og.example.com/2024/05/ties">'
              '<meta property="article:published_time" content="2024-05-02T08:00:00+07:00">'
              '<meta property="article:author" content="Tran Van Binh">')
JSON_LD = ('<script type="application/ld+json">{"@context": "https://schema.org", '
           '"@type": "NewsArticle", "headline": "Canberra joins Hanoi\'s top tier", '
           '"datePublished": "2023-11-20", "author": [{"@type": "Person", "name": '
           '"Nguyễn Thị Lan"}, {"@type": "Person", "name": "Peter Lee"}], "publisher": '
           '{"@type": "Organization", "name": "LD Times"}}</script>')
BYLINE = ('<p class="byline">By <span class="author">Hoang Minh Tuan</span></p>'
          '<p><time datetime="2022-08-15">15 August 2022</time></p>')


def load(tmp_path, files):
    write_files(tmp_path, files)
    return corpus.load([tmp_path])


def words(doc) -> str:
    return " ".join(p.text for p in doc.passages)


def test_main_text_in_paragraphs_without_boilerplate(tmp_path):
    (doc,), warnings = load(tmp_path, {"news/ties.html": html_page(META)})
    assert warnings == []
    assert doc.id == "news/ties"
    assert [p.text for p in doc.passages] == ["Vietnam upgrades ties with Australia", *ARTICLE]
    assert all(p.page is None for p in doc.passages)
    for junk in BOILERPLATE:
        assert junk not in words(doc)


@pytest.mark.parametrize("head, byline, expected", [
    (META, "", ("Vietnam upgrades ties with Australia", "2024-03-07", ["Jane Smith"],
                "Example News", "https://news.example.com/2024/ties")),
    (OPEN_GRAPH, "", ("Hanoi and Canberra raise their ties", "2024-05-02", ["Tran Van Binh"],
                      "The Lowy Interpreter", "https://og.example.com/2024/05/ties")),
    (JSON_LD, "", ("Canberra joins Hanoi's top tier", "2023-11-20",
                   ["Nguyễn Thị Lan", "Peter Lee"], "LD Times", None)),
    ("", BYLINE, ("Vietnam upgrades ties with Australia", "2022-08-15", ["Hoang Minh Tuan"],
                  None, None)),
], ids=["meta-tags", "open-graph", "json-ld", "visible-byline"])
def test_metadata_from_each_place_a_page_keeps_it(tmp_path, head, byline, expected):
    (doc,), _ = load(tmp_path, {"page.htm": html_page(head, byline)})
    assert (doc.title, doc.date, doc.authors, doc.source, doc.url) == expected
    assert "Hoang Minh Tuan" not in words(doc) or not byline


def test_metadata_yaml_overrides_the_page(tmp_path):
    files = {"page.html": html_page(OPEN_GRAPH),
             "metadata.yaml": "page:\n  title: My own title\n  source: Lowy\n"}
    (doc,), _ = load(tmp_path, files)
    assert (doc.title, doc.source, doc.date) == ("My own title", "Lowy", "2024-05-02")


def test_a_wrong_charset_declaration_is_read_right_with_a_warning(tmp_path):
    files = {"declared-latin1.html": html_page(charset="iso-8859-1").encode("utf-8"),
             "declared-utf8.xhtml": html_page(paragraphs=[
                 "The café in Hà Nội served crème brûlée to the visiting délégation, "
                 "officials said, and the talks went on past midnight in the old quarter."],
                 charset="utf-8").encode("cp1252", "replace")}
    docs, warnings = load(tmp_path, files)
    by_id = {d.id: d for d in docs}
    assert "Phạm Minh Chính" in words(by_id["declared-latin1"])
    assert "crème brûlée" in words(by_id["declared-utf8"])
    assert sorted(str(w) for w in warnings) == [
        f"{tmp_path / 'declared-latin1.html'}: declares charset iso-8859-1 but is UTF-8; "
        "read as UTF-8",
        f"{tmp_path / 'declared-utf8.xhtml'}: not valid UTF-8 nor utf-8; decoded as cp1252"]


def test_scripts_are_dropped_never_run_and_nothing_is_fetched(tmp_path, monkeypatch):
    tried = []

    def refuse(self, address):
        tried.append(address)
        raise OSError("no network in tests")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    extra = ('<script>document.write("INJECTED BY SCRIPT")</script>'
             '<script src="http://tracker.example.invalid/t.js"></script>'
             '<img src="http://images.example.invalid/x.png">'
             '<iframe src="http://ads.example.invalid/"></iframe>'
             '<p>\x1b[31mThe red escape stays out of the terminal.</p>')
    (doc,), _ = load(tmp_path, {"page.html": html_page(
        '<link rel="stylesheet" href="http://cdn.example.invalid/s.css">', body_extra=extra,
        paragraphs=ARTICLE + ["<b>Bold</b> and &lt;b&gt;literal&lt;/b&gt; markup in text."])})
    assert tried == []
    assert "INJECTED" not in words(doc)
    assert "Bold and <b>literal</b> markup in text." in words(doc)
    assert "\x1b" not in words(doc)


def test_a_page_too_big_for_an_article_is_skipped_with_a_warning(tmp_path):
    big = html_page(paragraphs=ARTICLE + ["filler " * 100] * 80_000)
    assert len(big) > 50 * 10**6
    docs, warnings = load(tmp_path, {"huge.html": big, "small.html": html_page()})
    assert [d.id for d in docs] == ["small"]
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'huge.html'}: larger than 8 MB, too big for an article; skipped"]


def test_broken_and_empty_pages_are_skipped_naming_the_file(tmp_path):
    files = {"empty.html": "", "nothing.html": "<html><head><title>Saved</title></head><body> </body></html>",
             "binary.html": bytes(range(256)) * 50,
             "unclosed.html": "<html><body><article><p>" + ARTICLE[0] + "<div><p>" * 5000}
    docs, warnings = load(tmp_path, files)
    named = {w.path.rsplit("/", 1)[-1]: w.message for w in warnings}
    assert {d.id for d in docs} == {"unclosed"}         # lxml closes what the page left open
    assert ARTICLE[0] in words(docs[0])
    assert named["empty.html"] == "no article text found in the page; skipped"
    assert named["nothing.html"] == "no article text found in the page; skipped"
    assert "binary.html" in named
    assert all("\n" not in w.message for w in warnings)


def test_a_browsers_files_folder_is_not_a_corpus_of_its_own(tmp_path):
    files = {"Ties.html": html_page(), "Ties_files/frame.html": html_page(paragraphs=[
        "A frame saved with the page: an advertisement about holiday flights to Bali."]),
             "Ties_files/script.js": "var x = 1;",
             "notes_files/kept.txt": "A folder that merely ends in _files is read as usual.\n"}
    docs, _ = load(tmp_path, files)
    assert sorted(d.id for d in docs) == ["Ties", "notes_files/kept"]
