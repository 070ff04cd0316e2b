"""Measure vnexplore's engine (and tantivy, for scale) on a synthetic corpus.

Usage: python benchmarks/bench_search.py [--articles 10000] [--repeat 15] [--no-tantivy]
       [--skip-build] [--label NAME]

Each phase runs in its own process, so its peak memory is its own:
  build   Engine(...).update(rebuild=True): load, clean, split and index every article, its
          entities and events extracted (wall time; CPU of the process and its workers)
  change  one file modified, then Engine.update() on an open engine (the app's path)
  first   a new process: import, open the index, first search (wall time from the parent)
  search  Engine.search(q, limit=20) over the fixed query set, searcher kept open
  tantivy the same corpus and queries in tantivy (benchmarks/bench_tantivy.py)
  entities the entity and timeline commands, the app's panes and memory, a changed file with
          its entities and events (benchmarks/bench_entities.py; --no-entities to skip)
Prints a table and writes benchmarks/out/results-<label>.json.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

TARGETS = {"build_s": 30.0, "change_s": 1.0, "first_query_s": 0.6,
           "search_p50_ms": 15.0, "search_p95_ms": 50.0}


def peak_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(self_kb, kids_kb) / 1024, 1)


def dir_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# -- phases (each in its own process) ------------------------------------------
def phase_build(corpus: Path, index: Path, args) -> dict:
    from search.engine import Engine
    t = time.perf_counter()
    cpu = _cpu()
    eng = Engine([corpus], index_dir=index)
    rep = eng.update(rebuild=True)
    build = time.perf_counter() - t
    cpu = _cpu() - cpu
    segments = len(eng.searcher.reader().leaf_readers()) if hasattr(
        eng.searcher.reader(), "leaf_readers") else 1
    eng.close()
    return {"build_s": round(build, 2), "documents": rep.documents, "passages": rep.passages,
            "segments": segments, "index_mb": dir_mb(index), "build_peak_mb": peak_mb(),
            "build_cpu_s": round(cpu, 1),       # this process and its workers: less noisy
            "build_cpu_ms_per_article": round(cpu / max(1, rep.documents) * 1000, 2)}


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the build's workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def phase_change(corpus: Path, index: Path, args) -> dict:
    from search.engine import Engine
    eng = Engine([corpus], index_dir=index)
    t = time.perf_counter()
    eng.update()
    noop = time.perf_counter() - t
    files = sorted(corpus.rglob("*.md"))
    target = files[len(files) // 2]
    original = target.read_bytes()
    word = "Zqxbenchword"
    try:
        target.write_bytes(original + f"\nA new closing line names {word}.\n".encode())
        t = time.perf_counter()
        rep = eng.update()
        change = time.perf_counter() - t
        found = eng.search(word).total
    finally:
        target.write_bytes(original)
    t = time.perf_counter()
    eng.update()
    restore = time.perf_counter() - t
    gone = eng.search(word).total
    assert rep.changed and found == 1 and gone == 0, (rep.changed, found, gone)
    eng.close()
    return {"noop_update_s": round(noop, 3), "change_s": round(change, 3),
            "change_back_s": round(restore, 3), "change_peak_mb": peak_mb()}


FIRST = """
import sys, time
t = time.perf_counter()
from search.engine import Engine
from pathlib import Path
e = Engine([Path(sys.argv[1])], index_dir=Path(sys.argv[2]))
r = e.search(sys.argv[3], limit=20)
print(time.perf_counter() - t, r.total, len(r.hits))
"""


def phase_first(corpus: Path, index: Path, args) -> dict:
    walls, inner = [], []
    for _ in range(3):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", FIRST, str(corpus), str(index),
                              "South China Sea"], capture_output=True, text=True,
                             check=True, cwd=HERE.parent).stdout.split()
        walls.append(time.perf_counter() - t)
        inner.append(float(out[0]))
    return {"first_query_s": round(statistics.median(walls), 3),
            "first_query_inner_s": round(statistics.median(inner), 3)}


def phase_search(corpus: Path, index: Path, args) -> dict:
    from queries import query_set
    from search.engine import Engine
    eng = Engine([corpus], index_dir=index)
    eng.update()
    per, every = {}, []
    for name, q, _ in query_set(corpus):
        r = eng.search(q, limit=20)                    # warm-up (and check)
        assert r.error is None and r.hits, (q, r.error)
        assert all(h.spans for h in r.hits[:1]), q
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            eng.search(q, limit=20)
            times.append((time.perf_counter() - t) * 1000)
        every += times
        per[name] = {"query": q, "total": r.total, "hits": len(r.hits),
                     "p50_ms": round(statistics.median(times), 2),
                     "p95_ms": round(pct(times, 95), 2)}
    eng.close()
    return {"search_p50_ms": round(statistics.median(every), 2),
            "search_p95_ms": round(pct(every, 95), 2), "queries": per,
            "search_peak_mb": peak_mb()}


def phase_tantivy(corpus: Path, index: Path, args) -> dict:
    import bench_tantivy
    return bench_tantivy.run(corpus, index.parent / (index.name + "-tantivy"), args.repeat)


PHASES = {"build": phase_build, "change": phase_change, "first": phase_first,
          "search": phase_search, "tantivy": phase_tantivy}


def run_phase(name: str, corpus: Path, index: Path, args) -> dict:
    cmd = [sys.executable, __file__, "--phase", name, "--corpus", str(corpus),
           "--index", str(index), "--repeat", str(args.repeat)]
    print(f"[{name}] ...", file=sys.stderr, flush=True)
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE.parent)
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"phase {name} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(res: dict) -> str:
    rows = [("full build (s)", "build_s"), ("changed file (s)", "change_s"),
            ("first query, new process (s)", "first_query_s"),
            ("search p50 (ms)", "search_p50_ms"), ("search p95 (ms)", "search_p95_ms")]
    w, t = res["whoosh"], res.get("tantivy", {})
    lines = [f"{'':32}{'vnexplore':>11}{'target':>9}{'ok':>4}{'tantivy':>10}{'ratio':>8}"]
    for label, key in rows:
        v, tv = w.get(key), t.get(key)
        ok = "-" if v is None else "yes" if v <= TARGETS[key] else "NO"
        ratio = f"{v / tv:.1f}x" if tv and v else ""
        lines.append(f"{label:32}{v if v is not None else '-':>11}{TARGETS[key]:>9}{ok:>4}"
                     f"{tv if tv is not None else '':>10}{ratio:>8}")
    for label, key in (("build CPU, with workers (s)", "build_cpu_s"),
                       ("build CPU per article (ms)", "build_cpu_ms_per_article"),
                       ("index size (MB)", "index_mb"), ("peak memory, build (MB)", "build_peak_mb"),
                       ("peak memory, search (MB)", "search_peak_mb")):
        tv = t.get(key)
        lines.append(f"{label:32}{w.get(key, '-'):>11}{'':13}{tv if tv is not None else '':>10}")
    lines.append(f"\n{'query':24}{'total':>8}{'p50 ms':>9}{'p95 ms':>9}{'tantivy p50':>13}")
    for name, q in w["queries"].items():
        tq = t.get("queries", {}).get(name, {})
        lines.append(f"{name:24}{q['total']:>8}{q['p50_ms']:>9}{q['p95_ms']:>9}"
                     f"{tq.get('p50_ms', ''):>13}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--no-tantivy", action="store_true")
    ap.add_argument("--no-entities", action="store_true")
    ap.add_argument("--skip-build", action="store_true", help="reuse the last index")
    ap.add_argument("--label", default="latest")
    ap.add_argument("--phase", choices=PHASES)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--index", type=Path)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.corpus, args.index, args)))
        return
    import make_corpus
    corpus = make_corpus.build(args.articles)
    index = HERE / "out" / f"index-{args.articles}"
    res: dict = {"articles": args.articles, "cores": os.cpu_count(), "targets": TARGETS,
                 "command": " ".join([Path(sys.executable).name] + sys.argv), "whoosh": {}}
    for name in ("build", "change", "first", "search"):
        if name == "build" and args.skip_build and index.exists():
            continue
        res["whoosh"].update(run_phase(name, corpus, index, args))
    res["whoosh"].setdefault("index_mb", dir_mb(index))
    if not args.no_tantivy:
        res["tantivy"] = run_phase("tantivy", corpus, index, args)
    text = table(res)
    if not args.no_entities:
        import bench_entities
        res["entities"] = bench_entities.run(corpus, index, 3)
        text += "\n\n" + bench_entities.table(res["entities"])
    print(text)
    out = HERE / "out" / f"results-{args.label}.json"
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False))
    print(f"\nwritten: {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
