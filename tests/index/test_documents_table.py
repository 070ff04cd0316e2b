"""The documents table (`Engine.documents`): the same list as reading every passage, kept
beside the index for the next start, and never stale or trusted blindly."""
from __future__ import annotations

import json

from conftest import write_files
from search.engine import DOCUMENTS, Engine


def _read_every_passage(engine) -> list[dict]:
    """What the table must equal: every stored passage read, as the engine once did."""
    docs: dict[str, dict] = {}
    for f in engine.searcher.all_stored_fields():
        d = docs.setdefault(f["doc"], {"id": f["doc"], "title": f.get("title"),
                                       "date": f.get("date_text"), "passages": 0})
        d["passages"] += 1
    return sorted(docs.values(), key=lambda d: d["id"])


def _article(title: str, date: str, paragraphs: int) -> str:
    body = "\n\n".join(f"Paragraph {i} about rice exports from the delta." for i in range(paragraphs))
    return f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n"


def test_the_table_lists_what_the_index_holds_after_changes_and_is_kept(tmp_path):
    corpus = write_files(tmp_path / "corpus", {
        "a.md": _article("First report", "2024-01-02", 3),
        "b.md": _article("Second report", "2024-02-03", 2),
        "c.txt": "An article without a title or a date.\n\nIts second paragraph.\n",
    })
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    first = engine.documents()
    assert first == _read_every_passage(engine) and len(first) == 3
    assert (tmp_path / "ix" / DOCUMENTS).exists()            # kept for the next start
    assert Engine([corpus], tmp_path / "ix").documents() == first
    # a file changed (its old passages deleted in the index), one removed, one added
    (corpus / "a.md").write_text(_article("First report, revised", "2024-01-05", 5))
    (corpus / "b.md").unlink()
    (corpus / "d.md").write_text(_article("Fourth report", "2023-12-31", 1))
    engine.update()
    again = engine.documents()
    assert again == _read_every_passage(engine)
    assert {d["title"] for d in again} >= {"First report, revised", "Fourth report"}
    assert "Second report" not in {d["title"] for d in again}
    assert next(d for d in again if d["title"] == "First report, revised")["passages"] == \
        next(d for d in _read_every_passage(engine) if d["title"] == "First report, revised")["passages"]
    engine.close()


def test_a_damaged_or_foreign_table_is_worked_out_again(tmp_path):
    corpus = write_files(tmp_path / "corpus", {"a.md": _article("Only report", "2024-01-02", 2)})
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    right = engine.documents()
    table = tmp_path / "ix" / DOCUMENTS
    kept = json.loads(table.read_text())
    for bad in ("not json {", json.dumps([1, 2]),
                json.dumps({**kept, "generation": "g-other"}),      # of another index copy
                json.dumps({**kept, "documents": [{"id": 3}]}),
                json.dumps({**kept, "documents": [{**right[0], "title": "Forged"}] * 2,
                            "generation": "g-other"})):
        table.write_text(bad)
        assert engine.documents() == right, bad
        assert json.loads(table.read_text())["documents"] == right     # written again
    engine.close()


def test_a_read_only_index_folder_still_lists_its_documents(tmp_path, monkeypatch):
    import search.engine as E
    corpus = write_files(tmp_path / "corpus", {"a.md": _article("Only report", "2024-01-02", 2)})
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()

    def cannot_write(path, text):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(E, "write_atomic", cannot_write)
    assert engine.documents() == _read_every_passage(engine)
    assert not (tmp_path / "ix" / DOCUMENTS).exists()
    engine.close()
