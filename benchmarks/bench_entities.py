"""Measure entities and the timeline on a synthetic corpus (called by bench_search.py too).

Usage: python benchmarks/bench_entities.py [--articles 10000] [--repeat 3] [--label NAME]

Phases, each in a new process (so start-up and peak memory are their own):
  cli     `vnexplore entities|timeline|partners --json` and `entity China --json`, each as a
          whole new process (`python -m tui.main ...`), wall time from this process, median;
          first `entities --json` cold (the summary kept beside the index removed), with its
          peak memory (the child's ru_maxrss), and the peak of `entity China`
  app     the app headless (`App.run_test()`, 160x48): time from creating it to the first
          screen (the query box mounted and the index open), then to the Entities and
          Timeline panes populated (both panes shown, their lists filled); then peak memory
          (ru_maxrss) with all four panes loaded
  extract CPU per article of the extraction at index time (`--phase extract` only; with
          `--profile`, cProfile's top 20 on stderr)
  change  one file changed, `Engine.update()` (indexing it, its entities and events stored),
          then the entity index and timeline opened again from the stored records
The index must exist (bench_search.py builds it; or `vnexplore --corpus C --index-dir I index`).
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

TARGETS = {"entities_cold_s": None, "entities_cold_peak_mb": 300, "entities_s": 1.5, "timeline_s": 1.5, "partners_s": 1.5,
           "entity_china_s": 1.0,
           "app_first_screen_s": None, "app_panes_s": 2.0, "change_with_entities_s": 1.0, "reopen_entities_timeline_s": None,
           "app_peak_mb": 400}
COMMANDS = {"entities_s": ["entities", "--json"], "timeline_s": ["timeline", "--json"],
            "partners_s": ["partners", "--json"], "entity_china_s": ["entity", "China", "--json"]}


def _run(corpus: Path, index: Path, cmd: list[str]) -> tuple[float, float]:
    """(wall time, peak memory in MB) of one command as a new process."""
    t = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "tui.main", "--corpus", str(corpus),
                              "--index-dir", str(index), *cmd], cwd=HERE.parent,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, err[-500:]
    return wall, usage.ru_maxrss / 1024


def phase_cli(corpus: Path, index: Path, repeat: int) -> dict:
    """Cold first (what was kept beside the index removed: the first command after an
    update sums up the stored records and keeps the result), with its peak memory; then
    each command warm (`entity China`: its peak memory too)."""
    from search.entities import extracted
    for name in (extracted.SUMMARY, extracted.MENTIONS):
        (index / name).unlink(missing_ok=True)
    wall, peak = _run(corpus, index, COMMANDS["entities_s"])
    out = {"entities_cold_s": round(wall, 2), "entities_cold_peak_mb": round(peak)}
    for key, cmd in COMMANDS.items():
        runs = [_run(corpus, index, cmd) for _ in range(repeat)]
        out[key] = round(statistics.median(w for w, _ in runs), 2)
        if key == "entity_china_s":
            out["entity_china_peak_mb"] = round(max(m for _, m in runs))
    return out


APP = r"""
import asyncio, json, resource, sys, time
t0 = time.perf_counter()
from tui.app import VnExploreApp

async def main():
    app = VnExploreApp([sys.argv[1]], sys.argv[2])
    first = panes = None
    async with app.run_test(size=(160, 48)) as pilot:
        while first is None or panes is None:
            await asyncio.sleep(0.01)
            now = time.perf_counter() - t0
            if first is None and app.engine is not None and app.query("#query"):
                first = now
                await pilot.pause()
                await app.run_action("show_pane('entities')")    # keys 3 and 4
                await app.run_action("show_pane('timeline')")
            if first is not None and app.entities_ready is not None and panes is None:
                await pilot.pause()
                if app.query("#entities-pane") and app.query("#timeline-pane"):
                    panes = time.perf_counter() - t0
            if now > 300:
                break
        await pilot.press("escape", "slash", *"vietnam", "enter")   # a search and its passage read
        await pilot.pause(1.0)
        n = len(app.entity_index.entities()) if app.entity_index else 0
        events = len(app.events)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"app_first_screen_s": round(first, 2), "app_panes_s": round(panes, 2),
                      "app_peak_mb": round(peak), "app_entities": n, "app_events": events}))

asyncio.run(main())
"""


def phase_app(corpus: Path, index: Path, repeat: int) -> dict:
    runs = []
    for _ in range(max(1, repeat)):
        done = subprocess.run([sys.executable, "-c", APP, str(corpus), str(index)],
                              cwd=HERE.parent, capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def phase_change(corpus: Path, index: Path, repeat: int) -> dict:
    from search.engine import Engine
    from search.entities.kept import load_entity_index
    from search.timeline.build import build_timeline
    eng = Engine([corpus], index_dir=index)
    eng.update()
    files = sorted(corpus.rglob("*.md"))
    target, donor = files[len(files) // 2], files[len(files) // 3]
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"\n" + donor.read_bytes().split(b"\n\n", 2)[-1])
        t = time.perf_counter()
        rep = eng.update()
        update = time.perf_counter() - t
        t = time.perf_counter()
        index_ = load_entity_index(eng)
        events = build_timeline(eng, index_)
        reopen = time.perf_counter() - t
        assert rep.changed and index_.doc_events is not None and events
    finally:
        target.write_bytes(original)
        eng.update()
        eng.close()
    return {"change_with_entities_s": round(update, 3), "reopen_entities_timeline_s": round(reopen, 2),
            "change_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def phase_extract(corpus: Path, index: Path, repeat: int, limit: int = 1000) -> dict:
    """CPU per article of the extraction done at index time (`extracted.record`: mentions,
    candidates, events), on the corpus's first `limit` articles; `--profile` prints where."""
    from search.corpus.files import load
    from search.entities import gazetteer as G
    from search.entities.matcher import Matcher
    from search.entities.extracted import record
    docs = load([corpus])[0][:limit]
    gaz = G.load(None)
    matcher = Matcher(gaz)
    record(docs[0], gaz, matcher)           # tables read at first use, not counted
    best = None
    for _ in range(max(1, repeat)):
        t = time.process_time()
        for d in docs:
            record(d, gaz, matcher)
        cpu = (time.process_time() - t) / len(docs) * 1000
        best = cpu if best is None else min(best, cpu)
    if "--profile" in sys.argv:
        import cProfile
        import pstats
        cProfile.runctx("[record(d, gaz, matcher) for d in docs]", {**globals(), **locals()},
                        {}, "/tmp/extract.prof")
        pstats.Stats("/tmp/extract.prof", stream=sys.stderr).sort_stats("tottime").print_stats(20)
    return {"extract_cpu_ms_per_article": round(best, 2), "extract_articles": len(docs)}


PHASES = {"cli": phase_cli, "app": phase_app, "change": phase_change}
EXTRA = {"extract": phase_extract}      # run with --phase only


def run(corpus: Path, index: Path, repeat: int = 3) -> dict:
    res = {}
    for name in PHASES:
        print(f"[entities: {name}] ...", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, __file__, "--phase", name, "--corpus", str(corpus),
                               "--index", str(index), "--repeat", str(repeat)],
                              capture_output=True, text=True, cwd=HERE.parent)
        if done.returncode:
            sys.stderr.write(done.stderr[-3000:])
            raise SystemExit(f"phase {name} failed")
        res.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return res


def table(res: dict) -> str:
    lines = [f"{'':36}{'value':>9}{'target':>9}{'ok':>4}"]
    for key, target in TARGETS.items():
        v = res.get(key)
        ok = "" if target is None or v is None else "yes" if v <= target else "NO"
        lines.append(f"{key:36}{v if v is not None else '-':>9}{target or '':>9}{ok:>4}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--label", default="latest")
    ap.add_argument("--phase", choices=[*PHASES, *EXTRA])
    ap.add_argument("--profile", action="store_true", help="with --phase extract: cProfile")
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--index", type=Path)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps({**PHASES, **EXTRA}[args.phase](args.corpus, args.index, args.repeat)))
        return
    import make_corpus
    corpus = args.corpus or make_corpus.build(args.articles)
    index = args.index or HERE / "out" / f"index-{args.articles}"
    res = {"articles": args.articles, **run(corpus, index, args.repeat)}
    print(table(res))
    out = HERE / "out" / f"entities-{args.label}.json"
    out.write_text(json.dumps(res, indent=1))
    print(f"\nwritten: {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
