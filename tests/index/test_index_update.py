"""The index keeps itself current: only added, changed and removed files are re-indexed."""
import os

from search.engine import Engine
from search.index.schema import SCHEMA_VERSION
from search.index.store import MANIFEST

from conftest import write_files


def test_first_use_builds_then_only_changes_are_reindexed(tmp_path):
    corpus = write_files(tmp_path / "c", {f"a{i}.txt": f"Article {i} on maritime law {i}.\n"
                                          for i in range(5)})
    ix = tmp_path / "ix"
    engine = Engine([corpus], ix)
    first = engine.update()
    assert first.built and first.documents == 5

    again = Engine([corpus], ix).update()
    assert not again.built and again.touched == 0

    (corpus / "a1.txt").write_text("Article one now covers fisheries.\n")
    (corpus / "a2.txt").unlink()
    (corpus / "new.txt").write_text("A new article on fisheries.\n")
    os.utime(corpus / "a3.txt", ns=(1, 1))           # touched, content unchanged
    engine = Engine([corpus], ix)
    report = engine.update()
    assert (report.added, report.changed, report.removed) == (["new"], ["a1"], ["a2"])
    assert {h.doc for h in engine.search("fisheries").hits} == {"a1", "new"}
    assert {h.doc for h in engine.search("maritime").hits} == {"a0", "a3", "a4"}


def test_engine_refreshes_its_searcher_after_an_update(tmp_path):
    corpus = write_files(tmp_path / "c", {"a.txt": "Hanoi hosts a summit.\n"})
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    assert engine.search("summit").total == 1
    (corpus / "b.txt").write_text("Another summit in Da Nang.\n")
    engine.update()
    assert engine.search("summit").total == 2


def test_rebuild_and_schema_change_rebuild_everything(tmp_path):
    corpus = write_files(tmp_path / "c", {"a.txt": "Text about trade.\n"})
    ix = tmp_path / "ix"
    Engine([corpus], ix).update()
    assert Engine([corpus], ix).update(rebuild=True).built
    manifest = ix / MANIFEST
    manifest.write_text(manifest.read_text().replace(f'"schema": {SCHEMA_VERSION}', '"schema": 0'))
    engine = Engine([corpus], ix)
    assert engine.update().built
    assert engine.search("trade").total == 1


def test_several_corpus_folders_and_default_cache_location(tmp_path):
    one = write_files(tmp_path / "one", {"a.txt": "Fisheries talks in Hanoi.\n"})
    two = write_files(tmp_path / "two", {"b.md": "Fisheries talks in Manila.\n"})
    engine = Engine([one, two])                       # index in the (test) user cache dir
    engine.update()
    assert str(engine.store.dir).startswith(os.environ["XDG_CACHE_HOME"])
    assert {h.doc for h in engine.search("fisheries").hits} == {"a", "b"}


def test_a_changed_gazetteer_reindexes_the_entity_field(tmp_path):
    from search.entities.mentions import index_hook
    corpus = write_files(tmp_path / "c", {"a.txt": "The Mekong Fisheries Board met in Can Tho.\n"})
    own = tmp_path / "mine.yaml"
    ix = tmp_path / "ix"
    engine = Engine([corpus], ix, entity_names=index_hook([own]))
    engine.update()
    assert engine.search('entity:"Mekong Fisheries Board"').total == 0
    own.write_text("org:\n  - name: Mekong Fisheries Board\n    aliases: [MFB]\n")
    engine = Engine([corpus], ix, entity_names=index_hook([own]))
    report = engine.update()
    assert report.built and any("gazetteer changed" in m for m in report.messages)
    assert engine.search('entity:"Mekong Fisheries Board"').hits[0].doc == "a"
    assert not Engine([corpus], ix, entity_names=index_hook([own])).update().built


def test_same_size_edit_with_the_time_kept_is_reindexed(tmp_path):
    """cp -p, touch -r and rsync keep size and mtime; the content hash still finds the edit."""
    corpus = write_files(tmp_path / "c", {"a.txt": "Talks on fisheries in Hanoi.\n",
                                          "b.txt": "Talks on rice exports today.\n"})
    ix = tmp_path / "ix"
    Engine([corpus], ix).update()
    path = corpus / "a.txt"
    st = path.stat()
    path.write_text("Talks on pipelines in Hue.\n".ljust(st.st_size - 1) + "\n")
    assert path.stat().st_size == st.st_size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))            # like touch -r
    engine = Engine([corpus], ix)
    report = engine.update()
    assert report.changed == ["a"]
    assert engine.search("pipelines").hits[0].doc == "a"
    assert engine.search("fisheries").total == 0
    again = Engine([corpus], ix).update()                          # and then it is current
    assert not again.built and again.touched == 0


def test_an_edit_to_metadata_yaml_reaches_the_index(tmp_path):
    corpus = write_files(tmp_path / "c", {
        "a.txt": "Talks on fisheries in Hanoi.\n", "b.txt": "Talks on rice exports.\n",
        "metadata.yaml": "a: {title: Old title, date: 2019-01-02}\n"})
    ix = tmp_path / "ix"
    engine = Engine([corpus], ix)
    engine.update()
    assert engine.document("a").title == "Old title"
    (corpus / "metadata.yaml").write_text("a: {title: New title, date: 2020-03-04}\n"
                                          "b: {title: Rice}\n")
    engine = Engine([corpus], ix)
    report = engine.update()
    assert sorted(report.changed) == ["a", "b"] and not report.built
    assert (engine.document("a").title, engine.document("a").date) == ("New title", "2020-03-04")
    assert engine.document("b").title == "Rice"
    assert Engine([corpus], ix).update().touched == 0
    os.utime(corpus / "metadata.yaml", ns=(1, 1))                  # touched only: nothing to do
    report = Engine([corpus], ix).update()
    assert report.touched == 0 and not report.built
    (corpus / "metadata.yaml").unlink()
    engine = Engine([corpus], ix)
    assert sorted(engine.update().changed) == ["a", "b"]
    assert engine.document("b").title != "Rice"


def test_a_touched_file_is_hashed_once_not_at_every_start(tmp_path, monkeypatch):
    from search.corpus import files as corpus_module
    corpus = write_files(tmp_path / "c", {"a.txt": "Talks on fisheries in Hanoi.\n"})
    ix = tmp_path / "ix"
    Engine([corpus], ix).update()
    st = (corpus / "a.txt").stat()
    os.utime(corpus / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns - 10**9))   # ctime moves
    assert Engine([corpus], ix).update().touched == 0
    os.utime(corpus / "a.txt")                 # like touch: mtime and ctime now, equal
    assert Engine([corpus], ix).update().touched == 0
    hashed = []
    real = corpus_module.content_hash
    monkeypatch.setattr(corpus_module, "content_hash", lambda src: hashed.append(src) or real(src))
    for _ in range(2):
        assert Engine([corpus], ix).update().touched == 0
    assert hashed == []
