"""Fault injection helpers: corpora to index, a child indexer that SIGKILLs itself at a chosen
point, and the full contents of an index to compare against a clean build.

Run as a script it is the child: `python helpers_faults.py CORPUS INDEX POINT [N] [--rebuild]`.
POINT names where the process kills itself with a real SIGKILL (see KILL_POINTS), or "none".
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("trade sea fisheries summit ASEAN Hanoi Beijing Washington tariff vessel patrol "
         "partnership strategy investment diplomacy treaty coast guard delta rice energy "
         "pipeline cable port navy island reef dispute dialogue envoy minister").split()

# Each point: (module attribute to wrap, when to kill: "before" the call or "after" it).
KILL_POINTS = {
    "progress": None,                                       # after the N-th indexed document
    "link": ("os", None, "link", "before"),                 # while linking the base generation
    "add": ("search.index.write.segment", "FastSegmentWriter", "add_document", "before"),
    "commit": ("whoosh.writing", "SegmentWriter", "commit", "before"),
    "toc-written": ("whoosh.index", "TOC", "write", "after"),   # Whoosh committed, manifest not
    "fingerprint": ("search.index.generations", None, "file_hash", "before"),
    "manifest-temp": ("os", None, "replace", "before"),     # new manifest written, not in place
    "manifest-done": ("search.index.generations", None, "sweep", "before"),
    "sweep": ("shutil", None, "rmtree", "after"),           # halfway through removing old ones
}


def article(rng: random.Random, i: int, version: int = 0) -> str:
    paras = []
    for p in range(rng.randint(2, 6)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(20, 60))]
        paras.append(" ".join(words).capitalize() + f" doc{i}v{version}p{p}.")
    return f"Article {i} version {version}\n\n" + "\n\n".join(paras) + "\n"


def make_corpus(folder: Path, n: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"art{i:03}.txt").write_text(article(rng, i), encoding="utf-8")
    return folder


def change_corpus(folder: Path, seed: int = 2) -> None:
    """Change some files, add some, delete some: an update has work of each kind."""
    rng = random.Random(seed)
    files = sorted(folder.glob("art*.txt"))
    for path in files[:4]:
        path.write_text(article(rng, int(path.stem[3:]), version=1), encoding="utf-8")
    for path in files[-3:]:
        path.unlink()
    for i in range(900, 903):
        (folder / f"new{i}.txt").write_text(article(rng, i), encoding="utf-8")


def before_and_after(root: Path) -> dict:
    """A corpus before and after a change, and what a clean build of each holds."""
    before = make_corpus(root / "before", 40)
    after = root / "after"
    shutil.copytree(before, after)
    change_corpus(after)
    return {"root": root, "before": before, "after": after,
            "ref_before": contents(root / "ref-before", before),
            "ref_after": contents(root / "ref-after", after)}


def contents(index_dir: Path, corpus: Path) -> list[tuple]:
    """Bring the index up to date as a normal start does, then everything it holds."""
    from search.index.store import IndexStore
    from search.entities.mentions import index_hook
    store = IndexStore([corpus], index_dir, index_hook())
    report = store.update()
    assert not store.temporary, report.messages
    try:
        entities_of(store.dir / store._state.generation, store.ix)   # they match this index
        return dump(store.ix)
    finally:
        store.close()


def dump(ix) -> list[tuple]:
    with ix.searcher() as s:
        return sorted((f["doc"], f["number"], f["title"], f["text"], f["hash"])
                      for f in s.all_stored_fields())


def committed_contents(index_dir: Path) -> list[tuple] | None:
    """What a reader would see right now, without updating: None when there is no index."""
    from whoosh import index as windex
    from search.index import generations as R
    state, _ = R.read_state(index_dir)
    if state is None:
        return None
    gen = index_dir / state.generation
    assert R.check_files(gen, state.index_files) is None
    ix = windex.open_dir(str(gen), indexname="passages")
    entities_of(gen, ix)            # the entities and events that came with it match it
    return dump(ix)


def entities_of(gen: Path, ix) -> tuple:
    """The entities and events stored with a generation, checked against a fresh extraction
    of the passages that generation holds (they must belong to that very index)."""
    from search.entities import extracted as X
    from search.entities import mentions as E
    from search.entities import gazetteer as G
    from search.timeline.extract import extract_events
    from search.model import Document, Passage
    found = X.read(gen)
    assert found is not None, "an index generation without its entities and events"
    records, lower = found
    by_doc: dict = {}
    with ix.searcher() as s:
        for f in s.all_stored_fields():
            by_doc.setdefault(f["doc"], []).append(f)
    assert sorted(records) == sorted(by_doc), "entities and events of other documents"
    docs = [Document(d, "", fs[0].get("title", d), fs[0].get("date_text"), passages=[
        Passage(d, f["number"], f["text"], f.get("page")) for f in sorted(fs, key=lambda f: f["number"])])
        for d, fs in sorted(by_doc.items())]
    gaz = G.load(None)
    scans = {d: r[0] for d, r in records.items()}
    stored = E.aggregate(scans, gaz, lower)
    fresh = E.extract(docs, gaz)
    summary = [e.to_dict() for e in stored.entities()]
    assert summary == [e.to_dict() for e in fresh.entities()]
    events = [e for r in records.values() for e in r[1]]
    assert events == [X.event_tuple(e) for e in extract_events(docs, fresh)]
    return ("~entities and events", repr(summary), repr(events))


def run_child(corpus: Path, index_dir: Path, point: str = "none", n: int = 1,
              rebuild: bool = False, delay: float | None = None) -> int:
    """Run the child indexer; with delay, SIGKILL it from outside after that many seconds."""
    cmd = [sys.executable, __file__, str(corpus), str(index_dir), point, str(n)]
    cmd += ["--rebuild"] if rebuild else []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if delay is not None:
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    if proc.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(f"child failed ({proc.returncode}): {err.decode()[-2000:]}")
    return proc.returncode


def _arm(point: str, n: int) -> None:
    """Wrap the named function so the n-th call SIGKILLs this process before or after it."""
    import importlib
    module_name, cls, attr, when = KILL_POINTS[point]
    owner = importlib.import_module(module_name)
    owner = getattr(owner, cls) if cls else owner
    real = getattr(owner, attr)
    calls = [0]

    def wrapped(*args, **kwargs):
        calls[0] += 1
        if when == "before" and calls[0] >= n:
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        if when == "after" and calls[0] >= n:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, attr, wrapped)


def search_child(corpus: Path, index_dir: Path, query: str, fsize: int | None = None) -> dict:
    """Search in a child process, optionally unable to write files past `fsize` bytes (a disk
    that fills up: writes fail with EFBIG, as ENOSPC would)."""
    import json
    cmd = [sys.executable, __file__, "search", str(corpus), str(index_dir), query]
    cmd += [str(fsize)] if fsize else []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _search_main(corpus: str, index_dir: str, query: str, fsize: str | None = None) -> None:
    import json
    import resource
    if fsize:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(fsize), int(fsize)))
    from search.engine import Engine
    engine = Engine([Path(corpus)], Path(index_dir))
    report = engine.update()
    result = engine.search(query, limit=1000)
    print(json.dumps({"messages": report.messages, "temporary": engine.store.temporary,
                      "hits": sorted(f"{h.doc}#{h.passage}" for h in result.hits)}))


def main(argv: list[str]) -> None:
    if argv[0] == "search":
        return _search_main(*argv[1:])
    corpus, index_dir, point, n = Path(argv[0]), Path(argv[1]), argv[2], int(argv[3])
    from search.index.store import IndexStore
    from search.entities.mentions import index_hook
    progress = None
    if point == "progress":
        def progress(done, total, what):
            if done >= n:
                os.kill(os.getpid(), signal.SIGKILL)
    elif point == "stop":            # hold the write lock, stopped mid-write, until SIGCONT
        def progress(done, total, what):
            if done == n:
                os.kill(os.getpid(), signal.SIGSTOP)
    elif point != "none":
        _arm(point, n)
    store = IndexStore([corpus], index_dir, index_hook())
    store.update(rebuild="--rebuild" in argv, progress=progress)


if __name__ == "__main__":
    main(sys.argv[1:])
