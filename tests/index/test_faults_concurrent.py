"""Two processes on one index: no corruption, no deadlock; a reader gets the last complete index."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

import helpers_faults as H
from search.engine import Engine
from search.entities.mentions import index_hook
from search.index.store import IndexStore


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return H.before_and_after(tmp_path_factory.mktemp("conc"))


def _start(corpus, ix, point="none", n=1):
    return subprocess.Popen([sys.executable, H.__file__, str(corpus), str(ix), point, str(n)],
                            env={**os.environ, "PYTHONPATH": str(H.ROOT)},
                            stderr=subprocess.PIPE)


def _wait_stopped(proc):
    _, status = os.waitpid(proc.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status), "the writer ended instead of pausing mid-write"


@pytest.mark.parametrize("update", [False, True], ids=["build", "update"])
def test_two_indexers_at_once(world, tmp_path, update):
    corpus, ix = tmp_path / "c", tmp_path / "ix"
    shutil.copytree(world["before"], corpus)
    if update:
        H.contents(ix, corpus)
        H.change_corpus(corpus)
    procs = [_start(corpus, ix) for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    ref = world["ref_after" if update else "ref_before"]
    assert H.committed_contents(ix) == ref
    assert H.contents(ix, corpus) == ref
    assert len([p for p in ix.iterdir() if p.name.startswith("g-")]) == 1


def test_search_during_an_update_reads_the_last_complete_index(world, tmp_path):
    corpus, ix = tmp_path / "c", tmp_path / "ix"
    shutil.copytree(world["before"], corpus)
    H.contents(ix, corpus)
    H.change_corpus(corpus)
    writer = _start(corpus, ix, "stop", 3)          # holds the write lock, paused mid-write
    try:
        _wait_stopped(writer)
        store = IndexStore([corpus], ix, index_hook())
        report = store.update(lock_timeout=0.3)
        assert any("another vnexplore is updating" in m for m in report.messages)
        assert not store.temporary
        gen = ix / store._state.generation          # its entities and events come with it
        assert H.dump(store.ix) == world["ref_before"]
        H.entities_of(gen, store.ix)
        store.close()
    finally:
        writer.send_signal(signal.SIGCONT)
    assert writer.wait(timeout=120) == 0
    assert H.contents(ix, corpus) == world["ref_after"]


def test_first_build_by_another_process_meanwhile_searches_from_memory(world, tmp_path):
    ix = tmp_path / "ix"
    writer = _start(world["before"], ix, "stop", 3)
    try:
        _wait_stopped(writer)
        store = IndexStore([world["before"]], ix, index_hook())
        report = store.update(lock_timeout=0.3)
        assert store.temporary and H.dump(store.ix) == world["ref_before"]
        assert any("another vnexplore is building" in m for m in report.messages)
        assert not any("manifest" in m for m in report.messages)   # a build at work, not damage
    finally:
        writer.send_signal(signal.SIGKILL)           # and it dies holding the lock
        writer.wait(timeout=60)
    assert H.contents(ix, world["before"]) == world["ref_before"]   # no stale lock


def test_open_reader_keeps_working_while_another_process_replaces_the_index(world, tmp_path):
    corpus, ix = tmp_path / "c", tmp_path / "ix"
    shutil.copytree(world["before"], corpus)
    engine = Engine([corpus], ix)
    engine.update()
    old = engine.search("tariff", limit=500).total
    reading = engine.store._state.generation
    H.change_corpus(corpus)
    assert H.run_child(corpus, ix) == 0               # rebuilds the generation next door
    assert (ix / reading).is_dir()                    # not swept from under the reader
    assert engine.search("tariff", limit=500).total == old
    assert engine.document("art000") is not None
    engine.update()
    assert H.dump(engine.store.ix) == world["ref_after"]
    engine.close()
    H.contents(ix, corpus)                            # the next writer or start sweeps it
    assert not (ix / reading).exists()
