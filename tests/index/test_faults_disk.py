"""A damaged index on disk is detected and rebuilt with a message; a cache folder that cannot be
written (read-only, full, not a folder) still gives full search results, from memory."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys

import pytest

import helpers_faults as H
from search.index import generations as R
from search.cli.main import run
from search.engine import Engine

QUERY = "fisheries"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return H.make_corpus(tmp_path_factory.mktemp("disk") / "c", 12)


@pytest.fixture(scope="module")
def expected(corpus, tmp_path_factory):
    engine = Engine([corpus], tmp_path_factory.mktemp("ref"))
    engine.update()
    hits = sorted(f"{h.doc}#{h.passage}" for h in engine.search(QUERY, limit=1000).hits)
    assert hits
    return {"hits": hits, "contents": H.dump(engine.store.ix)}


def _built(corpus, tmp_path):
    ix = tmp_path / "ix"
    store_dir_contents = H.contents(ix, corpus)
    state, _ = R.read_state(ix)
    return ix, ix / state.generation, state, store_dir_contents


def _segment(gen):
    return max((p for p in gen.iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size)


def _toc(gen):
    return next(p for p in gen.iterdir() if p.suffix == ".toc")


def truncate(gen):
    seg = _segment(gen)
    seg.write_bytes(seg.read_bytes()[: seg.stat().st_size // 2])


def garbage_in_segment(gen):
    seg = _segment(gen)
    data = bytearray(seg.read_bytes())
    data[len(data) // 3: len(data) // 3 + 4096] = os.urandom(4096)
    seg.write_bytes(bytes(data))


def garbage_toc(gen):
    _toc(gen).write_bytes(os.urandom(_toc(gen).stat().st_size))


def missing_segment(gen):
    _segment(gen).unlink()


def missing_generation(gen):
    import shutil
    shutil.rmtree(gen)


def garbage_manifest(gen):
    (gen.parent / R.MANIFEST).write_bytes(b"\x00{not json")


def other_schema(gen):
    path = gen.parent / R.MANIFEST
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "schema": data["schema"] + 1}))


def old_layout(gen):
    """An index of the first layout: Whoosh files and a manifest without generations."""
    import shutil
    folder = gen.parent
    for p in gen.iterdir():
        if not p.name.startswith("."):
            shutil.copy(p, folder / p.name)
    shutil.rmtree(gen)
    (folder / R.MANIFEST).write_text(json.dumps({"schema": 3, "files": {}}))


def _times_kept(path, change):
    st = path.stat()
    change(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def same_size_garbage_time_kept(gen):
    _times_kept(_segment(gen), lambda p: p.write_bytes(os.urandom(p.stat().st_size)))


def flipped_byte_time_kept(gen):
    def flip(p):
        data = bytearray(p.read_bytes())
        data[len(data) // 2] ^= 0x10
        p.write_bytes(bytes(data))
    _times_kept(_segment(gen), flip)


def nested_brackets_manifest(gen):
    (gen.parent / R.MANIFEST).write_text("[" * 200_000 + "]" * 200_000)


def manifest_without_files(gen):
    path = gen.parent / R.MANIFEST
    path.write_text(json.dumps({**json.loads(path.read_text()), "files": {}}))


def manifest_short_of_files(gen):
    path = gen.parent / R.MANIFEST
    data = json.loads(path.read_text())
    del data["files"][sorted(data["files"])[0]]
    path.write_text(json.dumps(data))


def missing_manifest(gen):
    (gen.parent / R.MANIFEST).unlink()


DAMAGE = [truncate, garbage_in_segment, garbage_toc, missing_segment, missing_generation,
          garbage_manifest, other_schema, old_layout, same_size_garbage_time_kept,
          flipped_byte_time_kept, nested_brackets_manifest, manifest_without_files,
          manifest_short_of_files, missing_manifest]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_damaged_index_is_rebuilt_with_a_message(corpus, expected, tmp_path, damage):
    ix, gen, _, _ = _built(corpus, tmp_path)
    damage(gen)
    engine = Engine([corpus], ix)
    report = engine.update()
    assert report.built and not engine.store.temporary
    assert any("rebuilding" in m for m in report.messages), report.messages
    assert H.dump(engine.store.ix) == expected["contents"]
    assert sorted(f"{h.doc}#{h.passage}" for h in engine.search(QUERY, limit=1000).hits) \
        == expected["hits"]
    engine.close()
    assert sorted(p.name for p in ix.iterdir() if not p.name.startswith("write")) \
        == sorted([R.MANIFEST, R.read_state(ix)[0].generation])      # leftovers swept


def test_cli_says_so_without_a_traceback(corpus, tmp_path, capsys):
    ix, gen, _, _ = _built(corpus, tmp_path)
    truncate(gen)
    assert run(["--index-dir", str(ix), "--corpus", str(corpus), "search", QUERY]) == 0
    out, err = capsys.readouterr()
    assert "has a damaged file" in err and "rebuilding it" in err
    assert "Traceback" not in err and "match all words" in out


def test_cache_path_that_is_not_a_folder_searches_from_memory(corpus, expected, tmp_path):
    (tmp_path / "file").write_text("in the way")
    engine = Engine([corpus], tmp_path / "file" / "ix")
    report = engine.update()
    assert engine.store.temporary
    assert any("temporary index in memory" in m for m in report.messages)
    assert sorted(f"{h.doc}#{h.passage}" for h in engine.search(QUERY, limit=1000).hits) \
        == expected["hits"]


@contextlib.contextmanager
def read_only(folder):
    """Really read-only, also for root: chmod for users, the immutable flag for root."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("running as root where the immutable flag is not available")
        undo = ["chattr", "-i", str(folder)]
    else:
        folder.chmod(0o555)
        undo = None
    try:
        with pytest.raises(OSError):
            (folder / "probe").touch()
        yield folder
    finally:
        subprocess.run(undo, check=True) if undo else folder.chmod(0o755)


def test_read_only_cache_still_serves_a_complete_index(corpus, expected, tmp_path):
    ix, gen, _, _ = _built(corpus, tmp_path)
    with read_only(ix):
        engine = Engine([corpus], ix)
        report = engine.update()
        assert not engine.store.temporary and not report.messages, report.messages
        assert sorted(f"{h.doc}#{h.passage}" for h in engine.search(QUERY, limit=1000).hits) \
            == expected["hits"]
        engine.close()


def test_read_only_cache_with_changed_files_indexes_in_memory(tmp_path):
    corpus = H.make_corpus(tmp_path / "c", 5)
    ix, gen, _, _ = _built(corpus, tmp_path)
    (corpus / "late.txt").write_text("A late article about the Mekong delta.\n")
    with read_only(ix):
        engine = Engine([corpus], ix)
        report = engine.update()
        assert engine.store.temporary
        assert any("cannot write the index" in m for m in report.messages), report.messages
        assert [h.doc for h in engine.search("Mekong").hits] == ["late"]
        engine.close()


@pytest.mark.parametrize("limit", [0, 8 * 1024, 64 * 1024])
def test_full_disk_while_building_still_searches(corpus, expected, tmp_path, limit):
    """Each file may grow to `limit` bytes (0: not one byte), so the build fails part way."""
    found = H.search_child(corpus, tmp_path / "ix", QUERY, fsize=limit or 1)
    assert found["temporary"] and found["hits"] == expected["hits"]
    assert any("temporary index in memory" in m for m in found["messages"])
    # No half-written index is left to be taken for a complete one.
    state, _ = R.read_state(tmp_path / "ix")
    assert state is None or R.check_files(tmp_path / "ix" / state.generation,
                                          state.index_files) is None
    assert H.contents(tmp_path / "ix", corpus) == expected["contents"]


def _planted(tmp_path, monkeypatch, as_link: bool):
    """A temporary folder where `passages.tmp` is someone else's folder, or a link to one."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    for name in ("notes.txt", "thesis.md"):
        (theirs / name).write_text(f"someone's {name}\n")
    if as_link:
        (tmp / "passages.tmp").symlink_to(theirs)
    else:
        theirs = tmp / "passages.tmp"
        theirs.mkdir()
        (theirs / "notes.txt").write_text("someone's notes\n")
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp, theirs


@pytest.mark.parametrize("as_link", [True, False], ids=["symlink", "folder"])
def test_memory_fallback_never_touches_a_planted_temporary_folder(
        corpus, expected, tmp_path, monkeypatch, as_link):
    tmp, theirs = _planted(tmp_path, monkeypatch, as_link)
    before = {p.name: p.read_text() for p in theirs.iterdir()}
    (tmp_path / "ro").mkdir()
    with read_only(tmp_path / "ro"):
        engine = Engine([corpus], tmp_path / "ro" / "ix")
        report = engine.update()
        assert engine.store.temporary, report.messages
        assert sorted(f"{h.doc}#{h.passage}" for h in engine.search(QUERY, limit=1000).hits) \
            == expected["hits"]
        engine.close()
    assert {p.name: p.read_text() for p in theirs.iterdir()} == before
    assert [p.name for p in tmp.iterdir()] == ["passages.tmp"]   # own temporary files removed


def test_memory_fallback_writes_no_temporary_file_on_disk(tmp_path, monkeypatch):
    """A full disk is one reason for the index in memory, so its temporary files are in memory
    too: here the temporary folder cannot be written either, and there are enough articles
    that a segment's stored text outgrows the 32 KB Whoosh keeps before spilling to disk."""
    corpus = H.make_corpus(tmp_path / "c", 60)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    monkeypatch.setenv("TMPDIR", str(tmp))
    (tmp_path / "ro").mkdir()
    with read_only(tmp_path / "ro"), read_only(tmp):
        engine = Engine([corpus], tmp_path / "ro" / "ix")
        report = engine.update()
        assert engine.store.temporary, report.messages
        assert report.documents == 60
        docs = [engine.document(f"art{i:03}") for i in range(60)]
        engine.close()
    assert sum(len(p.text) for d in docs for p in d.passages) > 64 * 1024    # read back whole
    assert list(tmp.iterdir()) == []


def test_two_processes_falling_back_at_once_both_search(corpus, expected, tmp_path, monkeypatch):
    tmp, _ = _planted(tmp_path, monkeypatch, as_link=False)
    (tmp_path / "ro").mkdir()
    cmd = [sys.executable, H.__file__, "search", str(corpus), str(tmp_path / "ro" / "ix"), QUERY]
    env = {**os.environ, "PYTHONPATH": str(H.ROOT), "TMPDIR": str(tmp)}
    with read_only(tmp_path / "ro"):
        for _ in range(3):
            procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for _ in range(2)]
            for proc in procs:
                out, err = proc.communicate(timeout=120)
                assert proc.returncode == 0, err[-2000:]
                found = json.loads(out)
                assert found["temporary"] and found["hits"] == expected["hits"]


def test_index_command_says_nothing_was_saved_and_fails(corpus, tmp_path, capsys):
    (tmp_path / "ro").mkdir()
    with read_only(tmp_path / "ro"):
        code = run(["--index-dir", str(tmp_path / "ro" / "ix"), "--corpus", str(corpus), "index"])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"cannot write the index at {tmp_path / 'ro' / 'ix'}" in err
    assert "temporary index in memory, nothing was saved" in err
    assert "Index not saved" in out and "Index built" not in out


def test_each_damage_is_named_in_the_message(corpus, tmp_path):
    said, wanted = {}, {}
    for damage, problem in [(nested_brackets_manifest, "has a damaged manifest"),
                            (manifest_without_files, "has a manifest that does not match its "
                                                     "passages"),
                            (missing_manifest, "was missing its manifest (deleted, or a "
                                               "first build was stopped)"),
                            (same_size_garbage_time_kept, "has a damaged file ({})")]:
        ix, gen, _, _ = _built(corpus, tmp_path / damage.__name__)
        wanted[damage.__name__] = [f"the index at {ix} "
                                   f"{problem.format(_segment(gen).name)}; rebuilding it"]
        damage(gen)
        said[damage.__name__] = Engine([corpus], ix).update().messages
    assert said == wanted


def test_a_folder_in_place_of_the_manifest_is_moved_aside_and_the_index_rebuilt(
        corpus, expected, tmp_path):
    ix, gen, _, _ = _built(corpus, tmp_path)
    manifest = ix / R.MANIFEST
    manifest.unlink()
    manifest.mkdir()
    (manifest / "kept.txt").write_text("whatever was put here\n")
    engine = Engine([corpus], ix)
    report = engine.update()
    assert not engine.store.temporary and report.built, report.messages
    aside = [p for p in ix.iterdir() if p.name.startswith(f"{R.MANIFEST}.moved-aside-")]
    assert len(aside) == 1 and (aside[0] / "kept.txt").read_text() == "whatever was put here\n"
    assert any("folder in place of its manifest" in m for m in report.messages)
    assert any(f"moved to {aside[0]}" in m for m in report.messages)
    assert H.dump(engine.store.ix) == expected["contents"]
    engine.close()
    again = Engine([corpus], ix)
    assert not again.update().built and not again.store.temporary    # fixed for good


def test_cli_index_repairs_a_segment_overwritten_with_its_size_and_time_kept(
        corpus, tmp_path, capsys):
    ix, gen, _, _ = _built(corpus, tmp_path)
    same_size_garbage_time_kept(gen)
    assert run(["--index-dir", str(ix), "--corpus", str(corpus), "index"]) == 0
    out, err = capsys.readouterr()
    assert "has a damaged file" in err and "rebuilding it" in err and "Index built" in out
    assert run(["--index-dir", str(ix), "--corpus", str(corpus), "search", QUERY]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "match all words" in out


def test_damage_the_open_check_cannot_see_is_repaired_when_it_is_read(
        corpus, expected, tmp_path, monkeypatch):
    """A stray byte outside the sampled parts of a segment: the read that trips on it has
    the index rebuilt, and is answered in full."""
    monkeypatch.setattr(R, "SAMPLE_EDGE", 8)          # sample only a few bytes at each end
    monkeypatch.setattr(R, "SAMPLE_BLOCKS", 1)
    monkeypatch.setattr(R, "SAMPLE_BLOCK", 8)
    ix, gen, _, _ = _built(corpus, tmp_path)
    from search.index.store import open_generation, passage_count

    def damage_seen_only_on_reading(seg) -> bool:
        clean = seg.read_bytes()
        for at in range(len(clean) // 4, len(clean) - 64, 29):   # a byte whose damage shows on reading
            data = bytearray(clean)
            data[at] ^= 0x55
            seg.write_bytes(bytes(data))
            try:
                whole = open_generation(gen)
                whole.searcher().close()        # opens fine (else the open check sees it) ...
                assert passage_count(whole) == len(expected["contents"])
            except Exception:
                continue
            try:
                H.dump(whole)                   # ... and fails when the passages are read
            except Exception:
                return True
        seg.write_bytes(clean)
        return False

    # (the build may have made one segment or several, as the machine allows: try each)
    segments = sorted((p for p in gen.iterdir() if p.suffix == ".seg"),
                      key=lambda p: -p.stat().st_size)
    stats = {seg: seg.stat() for seg in segments}
    seg = next((seg for seg in segments if damage_seen_only_on_reading(seg)), None)
    if seg is None:
        pytest.fail("no byte of the segments matters")
    st = stats[seg]
    os.utime(seg, ns=(st.st_atime_ns, st.st_mtime_ns))
    engine = Engine([corpus], ix)
    said = []
    engine.notify = said.append
    assert engine.update().messages == []                  # not seen when opened
    docs = engine.documents()
    assert sum(d["passages"] for d in docs) == len(expected["contents"])
    assert len(said) == 1 and "has a damaged file" in said[0] and "rebuilding it" in said[0]
    assert "while reading it" in said[0]
    assert H.dump(engine.store.ix) == expected["contents"]
    assert not engine.store.temporary


def test_index_command_hashes_every_file_and_finds_one_changed_byte(
        corpus, expected, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(R, "SAMPLE_EDGE", 8)          # the open check samples next to nothing
    monkeypatch.setattr(R, "SAMPLE_BLOCKS", 1)
    monkeypatch.setattr(R, "SAMPLE_BLOCK", 8)
    ix, gen, _, _ = _built(corpus, tmp_path)
    flipped_byte_time_kept(gen)
    assert run(["--index-dir", str(ix), "--corpus", str(corpus), "index"]) == 0
    out, err = capsys.readouterr()
    assert f"the index at {ix} has a damaged file" in err and "rebuilding it" in err
    assert "Index built" in out
    assert H.contents(ix, corpus) == expected["contents"]
