"""A big build runs in several processes: killing the indexer must take its workers with it."""
import os
import signal
import subprocess
import sys
import time

import pytest

import helpers_faults as H
from conftest import ROOT
from search.engine import Engine
from search.index.write.options import DEFAULT

PARALLEL_FROM = DEFAULT.parallel_from


def _session_members(sid: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getsid(int(entry)) == sid:
                members.append(int(entry))
        except (ProcessLookupError, PermissionError):
            pass
    return members


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc") or (os.cpu_count() or 1) < 2,
                    reason="needs Linux /proc and two cores for the parallel writer")
def test_killed_parallel_build_leaves_no_workers_and_recovers(tmp_path):
    corpus = H.make_corpus(tmp_path / "c", PARALLEL_FROM + 50)
    ix = tmp_path / "ix"
    proc = subprocess.Popen([sys.executable, "-m", "tui.main", "--corpus", str(corpus),
                             "--index-dir", str(ix), "index"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_session_members(proc.pid)) < 2:
        time.sleep(0.05)                    # wait until the workers are forked
    assert len(_session_members(proc.pid)) >= 2, "the build did not start its workers"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _session_members(proc.pid):
        time.sleep(0.1)
    left = _session_members(proc.pid)
    for pid in left:                        # do not leak them into the rest of the run
        os.kill(pid, signal.SIGKILL)
    assert left == [], "worker processes outlived the killed indexer"
    engine = Engine([corpus], ix)
    engine.update()
    assert engine.store.ix.doc_count() == Engine([corpus], tmp_path / "clean").update().passages
    engine.close()


_COUNT_SEMAPHORES = """
import multiprocessing.synchronize, sys
made = []
real = multiprocessing.synchronize.SemLock.__init__
def counting(self, *args, **kwargs):
    made.append(args)
    real(self, *args, **kwargs)
multiprocessing.synchronize.SemLock.__init__ = counting
from search.entities.mentions import index_hook
from search.index.store import IndexStore
store = IndexStore([sys.argv[1]], sys.argv[2], index_hook())
report = store.update()
print(len(store.ix._segments()), len(made), report.documents)
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores for the parallel writer")
def test_parallel_build_leaves_nothing_in_dev_shm_to_outlive_a_kill(tmp_path):
    """Workers report through pipes, which the kernel closes; a multiprocessing queue's
    locks are named semaphores (/dev/shm/sem.*) that a kill at the wrong moment leaves.
    (In a process of its own: the parallel writer forks only from a process with one thread.)"""
    corpus = H.make_corpus(tmp_path / "c", PARALLEL_FROM + 10)
    out = subprocess.run([sys.executable, "-c", _COUNT_SEMAPHORES, str(corpus), str(tmp_path / "ix")],
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    segments, semaphores, documents = map(int, out.stdout.split())
    assert segments >= 2                     # built by the workers
    assert semaphores == 0
    assert documents == PARALLEL_FROM + 10
    store = Engine([corpus], tmp_path / "ix")
    store.update()
    assert H.dump(store.store.ix) == H.contents(tmp_path / "ix2", corpus)
    store.close()
