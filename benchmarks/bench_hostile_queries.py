"""Time hostile queries (issue #10, item 5): every query must finish in bounded time or be refused.

Usage: python benchmarks/bench_hostile_queries.py [--articles 2000] [--fuzzed 300]
       [--timeout 30] [--label NAME] [--code DIR]

Builds (or reuses) the synthetic corpus of make_corpus.py and its index (the same cache as
bench_search.py: benchmarks/out/index-<N>), then runs each class of queries in its own
process, so the peak memory printed is that class's:
  fuzzy      term~9 in every field (text, title, doc, date, source, entity), long words
  negations  40, 80 and as many `NOT x` as fit in the length cap; ORed NOTs; NOTs after a word
  wildcards  leading and inner wildcards, ? runs, ranges, in every field; many of them at once
  long       many plain, ORed or nested words; long mixes of words, wildcards, fuzzy terms, NOTs
  fuzzed     --fuzzed random queries from a fixed seed (tokens of the query language, words
             of the corpus, fields, odd characters)
Each query is Engine.search(q, limit=20) with the searcher kept open; one that runs past
--timeout seconds is stopped and counted. Prints max / p95 seconds, refused and timed-out
counts, peak memory per class, and the slowest query; writes
benchmarks/out/hostile-<label>.json. --code DIR times another checkout's search/ package
(for before/after figures) against the same index. Target: every query <= 2 s at 10,000.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_S = 2.0
CLASSES = ("fuzzy", "negations", "wildcards", "long", "fuzzed")
CAP = 2000                      # search.index.query.MAX_QUERY_CHARS at the time of writing
WORDS = ["vietnam", "china", "trade", "partnership", "strategic", "comprehensive", "sea",
         "south", "asean", "hanoi", "washington", "tariff", "defence", "diplomacy", "bamboo",
         "minister", "visit", "security", "economic", "agreement", "cooperation", "japan"]
RARE = [f"zq{i}x" for i in range(400)]         # words no passage has
FIELDS = ["", "text:", "title:", "doc:", "date:", "source:", "entity:"]
TOKENS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "(", ")", '"', "*", "?", "~", "~2",
          "~9", "~99", "^3", "[", "]", "{", "}", ":", "-", "+", "\\", "/", "**", "*?*", "\u200b",
          "date:[2000 TO", "title:*", "doc:0*", "entity:\""]


def fill(unit, joiner: str = " ", cap: int = CAP) -> str:
    """unit(i) repeated (i = 0, 1, ...) while the query stays within the length cap."""
    parts, size, i = [], 0, 0
    while True:
        part = unit(i)
        if size + len(part) + len(joiner) > cap:
            return joiner.join(parts)
        parts.append(part)
        size += len(part) + len(joiner)
        i += 1


def queries(cls: str, n_fuzzed: int) -> list[str]:
    rnd = random.Random(20261130 + CLASSES.index(cls))
    w = lambda i: WORDS[i % len(WORDS)]  # noqa: E731
    if cls == "fuzzy":
        out = []
        for field, word in [("text", "comprehensive"), ("title", "comprehensive"),
                            ("title", "comprehensivestrategic"), ("doc", "00/article-00010"),
                            ("date", "2019-05-12"), ("source", "reuters"), ("entity", "china"),
                            ("text", "partnership"), ("title", "a")]:
            out += [f"{field}:{word}~9", f"{field}:{word}~2", f"{field}:{word}~99/0"]
        out += ["comprehensivestrategicpartnership~9", "a~2", "ab~9", "x" * 60 + "~2",
                "title:" + "y" * 60 + "~9", "doc:" + "0" * 40 + "~5",
                fill(lambda i: f"{w(i)}~9"), fill(lambda i: f"title:{w(i)}~9"),
                fill(lambda i: f"doc:00/article-{i:05}~9", " OR ")]
        return out
    if cls == "negations":
        nots = lambda k, join=" ": join.join(f"NOT {RARE[i]}" for i in range(k))  # noqa: E731
        return [nots(40), nots(80), fill(lambda i: f"NOT {RARE[i]}"),
                nots(40, " OR "), fill(lambda i: f"NOT {RARE[i]}", " OR "),
                fill(lambda i: f"NOT {w(i)}"), "vietnam " + nots(200)[:CAP - 10],
                fill(lambda i: f"NOT title:{RARE[i]}"), fill(lambda i: f"NOT ({RARE[i]} OR {w(i)})"),
                fill(lambda i: f"NOT {w(i)}*"), "NOT zq1x", "NOT vietnam", "NOT NOT NOT vietnam",
                fill(lambda i: "NOT") + " vietnam", fill(lambda i: f"-{RARE[i]}")]
    if cls == "wildcards":
        return ["*a*", "*e", "?????", "s*", "*tion", "t*n", "title:*a*", "doc:*0*",
                "date:2*", "source:*", "entity:*a*", "[a TO z]", "title:[a TO z]",
                "date:[1900 TO 2100]", "doc:[0 TO 9]", "text:{a TO zz}",
                fill(lambda i: f"{chr(97 + i % 26)}*"), fill(lambda i: f"*{chr(97 + i % 26)}*", " OR "),
                fill(lambda i: f"{w(i)[:3]}*"), fill(lambda i: f"title:{w(i)[:2]}*", " OR "),
                fill(lambda i: f"{w(i)[:2]}?*"), fill(lambda i: f"*{w(i)[1:4]}*"),
                fill(lambda i: f"[{w(i)[:1]} TO {w(i + 1)[:2]}]", " OR ")]
    if cls == "long":
        mix = [lambda i: w(i), lambda i: f"{w(i)[:3]}*", lambda i: f"{w(i)}~2",
               lambda i: f"NOT {RARE[i]}", lambda i: f"title:{w(i)}~9", lambda i: f"*{w(i)[2:5]}*",
               lambda i: f'"{w(i)} {w(i + 1)}"', lambda i: f"({w(i)} OR {w(i + 3)}*)"]
        out = [fill(w), fill(w, " OR "), fill(lambda i: RARE[i]), fill(lambda i: RARE[i], " OR "),
               "(" * 300 + "vietnam" + ")" * 300,
               fill(lambda i: f"(vietnam OR {w(i)}", " AND ") + ")" * 100,
               fill(lambda i: f'"{w(i)} {w(i + 1)} {w(i + 2)}"'),
               fill(lambda i: f"{w(i)}^{i}")]
        for _ in range(12):
            picks = [rnd.choice(mix) for _ in range(400)]
            joins = [rnd.choice([" ", " AND ", " OR "]) for _ in range(400)]
            out.append(fill(lambda i: picks[i](i) + joins[i], ""))
        return out
    out = []
    for _ in range(n_fuzzed):
        parts = []
        for _ in range(rnd.choice([1, 2, 3, 5, 8, 20, 60, 200])):
            kind = rnd.random()
            if kind < 0.35:
                word = rnd.choice(WORDS + RARE[:5])
                word = word[:rnd.randint(1, len(word))] if rnd.random() < 0.3 else word
                tail = rnd.choice(["", "", "*", "?", "~", "~2", "~9", f"~{rnd.randint(3, 99)}"])
                parts.append(rnd.choice(FIELDS) + ("*" if rnd.random() < 0.1 else "") + word + tail)
            elif kind < 0.75:
                parts.append(rnd.choice(TOKENS))
            else:
                parts.append("".join(chr(rnd.randint(32, 0x2FF)) for _ in range(rnd.randint(1, 6))))
        out.append(" ".join(parts)[:CAP])
    return out


# -- one class, in its own process -------------------------------------------------
class Timeout(BaseException):
    """Raised by the alarm; a BaseException, so the engine's own `except Exception` lets it by."""


def run_class(cls: str, corpus: Path, index: Path, args) -> dict:
    sys.path.insert(0, str(args.code or ROOT))
    from search.engine import Engine
    eng = Engine([corpus], index_dir=index)
    eng.update()

    def alarm(*_):
        raise Timeout

    signal.signal(signal.SIGALRM, alarm)
    rows = []
    for q in queries(cls, args.fuzzed):
        t = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, args.timeout)
        try:
            r = eng.search(q, limit=20)
            outcome = "refused" if r.error else "ran"
            detail = r.error or r.notice or f"{r.total} passages"
        except Timeout:
            outcome, detail = "timeout", f"stopped after {args.timeout} s"
        except Exception as e:        # counted: a query must never raise
            outcome, detail = "raised", f"{type(e).__name__}: {e}"[:200]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        rows.append({"query": q, "s": round(time.perf_counter() - t, 3), "outcome": outcome,
                     "detail": detail})
    eng.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"class": cls, "rows": rows, "peak_mb": round(peak, 1)}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(res: dict) -> str:
    lines = [f"{'class':11}{'queries':>8}{'max s':>9}{'p95 s':>8}{'refused':>9}{'timeout':>9}"
             f"{'raised':>8}{'peak MB':>9}  slowest"]
    for cls, c in res["classes"].items():
        times = [r["s"] for r in c["rows"]]
        n = {k: sum(r["outcome"] == k for r in c["rows"]) for k in ("refused", "timeout", "raised")}
        slow = max(c["rows"], key=lambda r: r["s"])
        shown = slow["query"] if len(slow["query"]) < 40 else slow["query"][:37] + "..."
        lines.append(f"{cls:11}{len(times):>8}{max(times):>9.2f}{pct(times, 95):>8.2f}"
                     f"{n['refused']:>9}{n['timeout']:>9}{n['raised']:>8}{c['peak_mb']:>9}  "
                     f"{shown!r}")
    worst = max(r["s"] for c in res["classes"].values() for r in c["rows"])
    lines.append(f"\nslowest query {worst:.2f} s; target {TARGET_S} s: "
                 + ("met" if worst <= TARGET_S else "NOT met"))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--fuzzed", type=int, default=300)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--label", default="latest")
    ap.add_argument("--classes", default=",".join(CLASSES))
    ap.add_argument("--code", type=Path, help="the folder holding the search/ package to time")
    ap.add_argument("--phase", choices=CLASSES)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--index", type=Path)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(run_class(args.phase, args.corpus, args.index, args)))
        return
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    import make_corpus
    corpus = make_corpus.build(args.articles)
    index = HERE / "out" / f"index-{args.articles}"
    if not index.exists():
        print("[index] building ...", file=sys.stderr, flush=True)
        from search.engine import Engine
        Engine([corpus], index_dir=index).update()
    res = {"articles": args.articles, "cores": os.cpu_count(), "target_s": TARGET_S,
           "command": " ".join([Path(sys.executable).name] + sys.argv), "classes": {}}
    for cls in args.classes.split(","):
        print(f"[{cls}] ...", file=sys.stderr, flush=True)
        cmd = [sys.executable, __file__, "--phase", cls, "--corpus", str(corpus), "--index",
               str(index), "--fuzzed", str(args.fuzzed), "--timeout", str(args.timeout)]
        if args.code:
            cmd += ["--code", str(args.code.resolve())]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if out.returncode:
            sys.stderr.write(out.stderr)
            raise SystemExit(f"class {cls} failed")
        res["classes"][cls] = json.loads(out.stdout.strip().splitlines()[-1])
    print(summary(res))
    path = HERE / "out" / f"hostile-{args.label}.json"
    path.write_text(json.dumps(res, indent=1, ensure_ascii=False))
    print(f"\nwritten: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
