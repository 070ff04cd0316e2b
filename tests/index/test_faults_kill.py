"""SIGKILL a real indexing process at many moments; every following start is complete and correct.

Each run kills a child process (tests/helpers_faults.py) either at an exact point inside the
build or update (the child sends itself SIGKILL there) or from outside after a delay. Then:
  * what a reader sees before any recovery is a complete index, old or new, never a mix;
  * the next normal start returns exactly what a clean build of the same files holds;
  * no killed generation is left behind.
"""
from __future__ import annotations

import random
import shutil

import pytest

import helpers_faults as H

pytestmark = pytest.mark.slow

BUILD_POINTS = [("progress", 1), ("progress", 20), ("progress", 39), ("add", 1), ("add", 100),
                ("commit", 1), ("toc-written", 1), ("fingerprint", 1), ("fingerprint", 2),
                ("manifest-temp", 1), ("manifest-done", 1)]
UPDATE_POINTS = [("link", 1), ("link", 2), ("progress", 1), ("progress", 5), ("add", 3),
                 ("commit", 1), ("toc-written", 1), ("fingerprint", 1), ("manifest-temp", 1),
                 ("manifest-done", 1), ("sweep", 1)]
REBUILD_POINTS = [("progress", 10), ("toc-written", 1), ("manifest-done", 1), ("sweep", 1)]
TIMED_KILLS = 8


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return H.before_and_after(tmp_path_factory.mktemp("kill"))


def _generations(index_dir):
    return [p.name for p in index_dir.iterdir() if p.name.startswith("g-")]


def _check_recovered(world, index_dir, corpus, ref, allowed_before):
    seen = H.committed_contents(index_dir)          # a reader, before anyone repairs anything
    assert seen in allowed_before, "a reader saw a partial index"
    assert H.contents(index_dir, corpus) == ref      # the next start: full and correct
    assert len(_generations(index_dir)) == 1         # killed generations swept


@pytest.mark.parametrize("point,n", BUILD_POINTS)
def test_kill_during_first_build(world, tmp_path, point, n):
    ix = tmp_path / "ix"
    assert H.run_child(world["before"], ix, point, n) == -9
    _check_recovered(world, ix, world["before"], world["ref_before"],
                     [None, world["ref_before"]])


@pytest.mark.parametrize("point,n", UPDATE_POINTS)
def test_kill_during_update(world, tmp_path, point, n):
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    shutil.copytree(world["before"], corpus)
    assert H.contents(ix, corpus) == world["ref_before"]
    H.change_corpus(corpus)
    assert H.run_child(corpus, ix, point, n) == -9
    _check_recovered(world, ix, corpus, world["ref_after"],
                     [world["ref_before"], world["ref_after"]])


@pytest.mark.parametrize("point,n", REBUILD_POINTS)
def test_kill_during_rebuild(world, tmp_path, point, n):
    ix = tmp_path / "ix"
    assert H.contents(ix, world["before"]) == world["ref_before"]
    assert H.run_child(world["before"], ix, point, n, rebuild=True) == -9
    _check_recovered(world, ix, world["before"], world["ref_before"], [world["ref_before"]])


@pytest.mark.parametrize("run", range(TIMED_KILLS))
def test_kill_from_outside_at_random_moments(world, tmp_path, run):
    """Delays spread over a whole child run (start-up, scan, index, commit, swap)."""
    rng = random.Random(run)
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    shutil.copytree(world["before"], corpus)
    updating = run % 2 == 1
    if updating:
        H.contents(ix, corpus)
        H.change_corpus(corpus)
    delay = 0.15 + (run // 2 + rng.random()) * 0.1      # 0.15 s .. 0.55 s
    H.run_child(corpus, ix, delay=delay)
    ref = world["ref_after"] if updating else world["ref_before"]
    allowed = [world["ref_before"], ref] if updating else [None, ref]
    _check_recovered(world, ix, corpus, ref, allowed)
