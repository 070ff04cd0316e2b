"""The command line, run as a user runs it: a real process, exit codes, JSON shapes."""
import json

import pytest

from conftest import vnexplore, write_files


@pytest.fixture(scope="module")
def ix(seed_index_dir):
    return ["--index-dir", str(seed_index_dir)]


def test_search_json_shape(ix):
    r = vnexplore(*ix, "search", "Pham Minh Chinh", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) >= {"query", "total", "error", "suggestion", "hits"}
    assert data["total"] == 1 and data["error"] is None
    hit = data["hits"][0]
    assert set(hit) >= {"doc", "title", "date", "passage", "score", "text", "spans", "snippet"}
    assert (hit["doc"], hit["passage"], hit["date"]) == ("002_e915b2d15ff91aec", 1, "2025-12")
    assert [hit["text"][s:e] for s, e in hit["spans"]] == ["Pham", "Minh", "Chinh"]
    assert "**Pham** **Minh** **Chinh**" in hit["snippet"]


def test_search_terminal_output_highlights_and_counts(ix):
    r = vnexplore(*ix, "search", '"South China Sea"', "--limit", "2")
    assert r.returncode == 0
    assert "passages match all words" in r.stdout
    assert "South China Sea" in r.stdout


def test_no_hits_is_success_with_suggestion(ix):
    r = vnexplore(*ix, "search", "diplomcy", "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["suggestion"] == "diplomacy"
    r = vnexplore(*ix, "search", "diplomcy")
    assert "Did you mean: diplomacy?" in r.stdout


@pytest.mark.parametrize("args", [["search", "titel:x"], ["search", ""], ["search", "*"],
                                  ["search", "x", "--limit", "0"], ["frobnicate"],
                                  ["show", "no-such-doc"], ["related", "x"],
                                  ["show", "002_e915b2d15ff91aec", "--passage", "99"]])
def test_user_errors_exit_2_with_one_line(ix, args):
    r = vnexplore(*ix, *args)
    assert r.returncode == 2
    assert r.stderr.startswith("vnexplore: ") and r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr


def test_show_and_related_json(ix):
    r = vnexplore(*ix, "show", "003_6e9bfccb2d8b88df", "--json")
    doc = json.loads(r.stdout)
    assert set(doc) >= {"id", "title", "date", "source", "passages"}
    assert doc["passages"][1]["number"] == 2
    one = json.loads(vnexplore(*ix, "show", "003_6e9bfccb2d8b88df", "--passage", "2",
                               "--json").stdout)
    assert [p["number"] for p in one["passages"]] == [2]
    rel = json.loads(vnexplore(*ix, "related", "002_e915b2d15ff91aec", "--passage", "1",
                               "--limit", "3", "--json").stdout)
    assert (rel["doc"], rel["passage"]) == ("002_e915b2d15ff91aec", 1)
    assert 0 < len(rel["related"]) <= 3 and all(h["shared_terms"] for h in rel["related"])


def test_options_after_the_command_and_corpus_folders(tmp_path):
    corpus = write_files(tmp_path / "c", {"n.md": "---\ntitle: Note\n---\nTô Lâm met [bold]x[/] in Hà Nội.\n"})
    r = vnexplore("search", "To Lam", "--corpus", str(corpus), "--index-dir", str(tmp_path / "i"))
    assert r.returncode == 0, r.stderr
    assert "[bold]x[/]" in r.stdout                    # article text printed literally
    r = vnexplore("index", "--corpus", str(corpus), "--index-dir", str(tmp_path / "i"))
    assert "up to date" in r.stdout
    r = vnexplore("--corpus", str(corpus), "--index-dir", str(tmp_path / "i"), "index", "--rebuild")
    assert "Index built: 1 documents" in r.stdout
    assert vnexplore("search", "x", "--corpus", str(tmp_path / "missing")).returncode == 2


def test_broken_files_warn_but_search_works(tmp_path):
    corpus = write_files(tmp_path / "c", {"ok.txt": "Fisheries talks.", "bin.txt": b"\x00\x01\x02\xff",
                                          "fm.md": "---\n: : bad\n  - [\n---\nFisheries body.\n"})
    r = vnexplore("--corpus", str(corpus), "--index-dir", str(tmp_path / "i"), "search", "fisheries")
    assert r.returncode == 0
    assert "bin.txt" in r.stderr and "fm.md" in r.stderr
    assert "2 passages match all words" in r.stdout


def test_an_entity_is_found_by_any_of_its_names(ix):
    """`entity:` takes the gazetteer's canonical name or any alias (the field holds the key)."""
    found = {}
    for name in ('"World Trade Organization"', "WTO", '"Association of Southeast Asian Nations"',
                 "ASEAN"):
        r = vnexplore(*ix, "search", f"entity:{name}", "--json")
        assert r.returncode == 0, r.stderr
        found[name] = [(h["doc"], h["passage"]) for h in json.loads(r.stdout)["hits"]]
    assert found["WTO"] and found['"World Trade Organization"'] == found["WTO"]
    assert found["ASEAN"] and found['"Association of Southeast Asian Nations"'] == found["ASEAN"]
    r = vnexplore(*ix, "search", "entity:WTO")
    assert "1 passage matches all words" in r.stdout          # singular
