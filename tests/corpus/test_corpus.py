"""Loading folders of articles: front matter, encodings, bad files never stop the load."""
from pathlib import Path

from search.corpus.files import load

from conftest import write_files


def test_front_matter_fields_and_document_ids(tmp_path):
    write_files(tmp_path, {
        "asean/summit.md": "---\ntitle: ASEAN summit in Hanoi\ndate: 2025-10-26\n"
                           "source: Example Wire\nurl: https://example.org/a\nauthors: [A. Writer]\n---\n"
                           "Leaders met in Hanoi.\n",
        "plain.txt": "Relations improved.\n",
    })
    docs, warnings = load([tmp_path])
    assert warnings == []
    by_id = {d.id: d for d in docs}
    assert set(by_id) == {"asean/summit", "plain"}
    d = by_id["asean/summit"]
    assert (d.title, d.date, d.source, d.url, d.authors) == (
        "ASEAN summit in Hanoi", "2025-10-26", "Example Wire", "https://example.org/a", ["A. Writer"])
    assert d.passages[0].text == "Leaders met in Hanoi."


def test_broken_front_matter_reported_and_body_loaded(tmp_path):
    write_files(tmp_path, {"bad.md": "---\ntitle: [unclosed\n---\nThe body still counts.\n",
                           "list.md": "---\n- a\n- b\n---\nList front matter.\n"})
    docs, warnings = load([tmp_path])
    assert {d.id: d.passages[0].text for d in docs} == {
        "bad": "The body still counts.", "list": "List front matter."}
    messages = " ".join(str(w) for w in warnings)
    assert "bad.md" in messages and "not valid YAML" in messages
    assert "list.md" in messages and "not a mapping" in messages


def test_cp1252_file_decoded_with_warning(tmp_path):
    (tmp_path / "old.txt").write_bytes("Hanoi’s “bamboo” café diplomacy.".encode("cp1252"))
    docs, warnings = load([tmp_path])
    assert docs[0].passages[0].text == "Hanoi’s “bamboo” café diplomacy."
    assert any("old.txt" in str(w) and "cp1252" in str(w) for w in warnings)


def test_binary_and_empty_files_skipped_with_warning(tmp_path):
    write_files(tmp_path, {"good.txt": "Real words.", "empty.txt": "",
                           "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"})
    docs, warnings = load([tmp_path])
    assert [d.id for d in docs] == ["good"]
    messages = [str(w) for w in warnings]
    assert any("image.txt" in m and "binary" in m for m in messages)
    assert any("empty.txt" in m and "no text" in m for m in messages)


def test_utf16_with_bom_and_other_extensions_ignored(tmp_path):
    (tmp_path / "u16.txt").write_bytes("Đà Nẵng port call.".encode("utf-16"))
    write_files(tmp_path, {"notes.pdf": "not an article", ".hidden.txt": "hidden"})
    docs, _ = load([tmp_path])
    assert [(d.id, d.passages[0].text) for d in docs] == [("u16", "Đà Nẵng port call.")]


def test_bundled_seeds_load_cleanly():
    from search.paths import bundled_seeds
    docs, warnings = load([bundled_seeds()])
    assert warnings == []
    assert len(docs) == 4
    by_id = {d.id: d for d in docs}
    leak = by_id["000_2cfa569bf8c2ae5b"]
    assert leak.date == "2026-02-03" and not leak.passages[0].text.startswith("date")
    repeated = by_id["002_e915b2d15ff91aec"]
    firsts = [p.text for p in repeated.passages if p.text.startswith("Amid the drumbeat")]
    assert len(firsts) == 1
    assert all("REF" not in p.text for d in docs for p in d.passages)
    # seeds/ holds the articles exactly as received
    shared = next((p / "shared" / "seeds" for p in Path(__file__).resolve().parents
                   if (p / "shared" / "seeds").is_dir()), None)
    if shared:
        for f in shared.glob("*.txt"):
            assert (bundled_seeds() / f.name).read_bytes() == f.read_bytes()
