"""How the index files are read and recorded: segments read through maps give exactly what
Whoosh's own reading gives; the manifest's file hashes stay true after updates; a corpus
folder named relatively or absolutely is the same corpus (no re-indexing)."""
from __future__ import annotations

import hashlib
import json

from whoosh import index as windex
from whoosh.qparser import QueryParser

from search.engine import Engine
from search.index.generations import fingerprint, sample_hash
from search.index.store import INDEX_NAME, MANIFEST, open_generation

from conftest import write_files


def generation(ix_dir):
    return ix_dir / json.loads((ix_dir / MANIFEST).read_text())["generation"]


def test_mapped_segments_read_the_same_as_whoosh(seeds, seed_index_dir):
    gen = generation(seed_index_dir)
    plain = windex.open_dir(str(gen), indexname=INDEX_NAME)
    mapped = open_generation(gen)
    with plain.searcher() as a, mapped.searcher() as b:
        assert a.doc_count() == b.doc_count() > 50
        assert list(a.all_stored_fields()) == list(b.all_stored_fields())
        ra, rb = a.reader(), b.reader()
        assert list(ra.all_terms()) == list(rb.all_terms())
        for field, word, kind in [("text", b"vietnam", "characters"), ("text", b"sea", "positions"),
                                  ("pairs", b"south china", None)]:
            if (field, word) in ra:
                ma, mb = ra.postings(field, word), rb.postings(field, word)
                if kind is None:              # word pairs: counts only
                    assert list(ma.all_ids()) == list(mb.all_ids())
                else:
                    assert list(ma.items_as(kind)) == list(mb.items_as(kind))
        found = 0
        for text in ["Vietnam", '"South China Sea"', "China AND Vietnam NOT Washington",
                     "maritme~", "diplom*"]:
            q = QueryParser("text", a.schema).parse(text)
            hits_a = [(h.docnum, round(h.score, 6)) for h in a.search(q, limit=50)]
            hits_b = [(h.docnum, round(h.score, 6)) for h in b.search(q, limit=50)]
            assert hits_a == hits_b
            found += len(hits_a)
        assert found > 20
    plain.close()
    mapped.close()


def test_manifest_hashes_stay_true_after_updates(tmp_path):
    corpus = write_files(tmp_path / "c", {f"a{i}.txt": f"Article {i} on fisheries law.\n"
                                          for i in range(6)})
    ix = tmp_path / "ix"
    engine = Engine([corpus], ix)
    engine.update()
    for n in range(3):                       # each update reuses the unchanged files' hashes
        (corpus / f"a{n}.txt").write_text(f"Article {n} rewritten on trade, round {n}.\n")
        assert engine.update().changed == [f"a{n}"]
        manifest = json.loads((ix / MANIFEST).read_text())
        gen = ix / manifest["generation"]
        for name, (size, mtime_ns, digest, sample) in manifest["index_files"].items():
            data = (gen / name).read_bytes()
            assert (len(data), hashlib.sha1(data).hexdigest()) == (size, digest), name
            assert sample_hash(gen / name) == sample, name
    assert engine.search("trade").total == 3
    reopened = Engine([corpus], ix)
    report = reopened.update()
    assert not report.built and not report.messages and reopened.search("trade").total == 3


def test_fingerprint_hashed_in_threads_is_the_one_hashed_in_turn(tmp_path, seed_index_dir):
    """The manifest's hashes of a generation hashed in threads (biggest file first) are each
    file's own, in the same order, as when hashed one after another."""
    gen = generation(seed_index_dir)
    odd = tmp_path / "gen"
    odd.mkdir()
    sizes = {"a-small": 10, "b-big": 900_000, "c-empty": 0, "d-mid": 200_000, "e-big": 700_001}
    for name, size in sizes.items():          # sizes out of name order, some above the samples
        (odd / name).write_bytes(bytes((i * 7 + len(name)) % 251 for i in range(size)))
    for folder in (gen, odd):
        one = fingerprint(folder, threads=1)
        assert fingerprint(folder, threads=4) == one
        assert list(one) == sorted(one) and len(one) >= 5
        for name, (size, mtime_ns, digest, sample) in one.items():
            data = (folder / name).read_bytes()
            assert (len(data), hashlib.sha1(data).hexdigest()) == (size, digest), name
            assert sample == sample_hash(folder / name), name


def test_relative_and_absolute_corpus_folder_are_the_same_corpus(tmp_path, monkeypatch):
    write_files(tmp_path / "c", {f"a{i}.txt": f"Article {i} on the Mekong.\n" for i in range(4)})
    ix = tmp_path / "ix"
    monkeypatch.chdir(tmp_path)
    assert Engine(["c"], ix).update().built
    before = json.loads((ix / MANIFEST).read_text())
    absolute = Engine([tmp_path / "c"], ix)
    report = absolute.update()
    after = json.loads((ix / MANIFEST).read_text())
    assert report.touched == 0 and not report.built
    assert after["generation"] == before["generation"]     # the index was not rewritten
    assert after["files"] == before["files"]
    assert all(e["path"].startswith(str(tmp_path.resolve())) for e in after["files"].values())
    assert absolute.search("Mekong").total == 4


def test_an_index_from_before_ctimes_and_samples_is_kept_and_completed(tmp_path):
    """A manifest of the previous release (no change times or sampled hashes): the
    files are hashed once, not re-indexed, and the manifest gains what it lacked."""
    corpus = write_files(tmp_path / "c", {f"a{i}.txt": f"Article {i} on fisheries law.\n"
                                          for i in range(4)})
    ix = tmp_path / "ix"
    Engine([corpus], ix).update()
    path = ix / MANIFEST
    data = json.loads(path.read_text())
    generation = data["generation"]
    data["index_files"] = {k: v[:3] for k, v in data["index_files"].items()}
    data.pop("side")
    for entry in data["files"].values():
        entry.pop("passages")
        entry.pop("ctime_ns", None)
    path.write_text(json.dumps(data))
    engine = Engine([corpus], ix)
    report = engine.update()
    assert not report.built and report.touched == 0 and not report.messages
    after = json.loads(path.read_text())
    assert after["generation"] == generation
    assert all(len(v) == 4 for v in after["index_files"].values())
    assert engine.search("fisheries").total == 4
    assert Engine([corpus], ix).update().touched == 0
