"""Search-as-you-type latency of the app in a real terminal (tmux), as a user sees it.

Starts `vnexplore --corpus C --index-dir I` in a detached tmux session of a fixed size (on a
private tmux server), waits for the first screen and the index, then for each query: `/`,
then the query typed key by key with `tmux send-keys`. `tmux capture-pane -p` is polled about
every 5 ms:
- echo: from sending a key until the query box shows the text typed so far;
- result: from sending the last key until the status line shows that query's result (its
  count, and for a word typed as a prefix the "“word…” as the start of a word" note, which
  no earlier state of the box can show).
The next key is sent once the last one is echoed and `--gap` ms have passed since it was sent
(a fast typist: 80 ms). Prints p50/p95/max and writes benchmarks/out/app-latency-<label>.json.

    python benchmarks/app_latency.py --corpus benchmarks/out/corpus-10000x800 \\
        --index-dir benchmarks/out/index-10000 --runs 3 --label after
"""
from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["bamboo diplomacy", "South China Sea", "partnership", "Hanoi Washington",
           "comprehensive strategic", "rice exports Mekong", "maritime law", "Vietnam Japan"]
SOCKET = "vnexplore-bench"
POLL = 0.005


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True,
                          check=False).stdout


def screen() -> list[str]:
    return tmux("capture-pane", "-p", "-t", "bench").splitlines()


def wait_for(test, timeout: float) -> float | None:
    """Poll the screen until test(lines) holds: the time it took, or None."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if test(screen()):
            return time.perf_counter() - start
        time.sleep(POLL)
    return None


def box_text(lines: list[str], row: int) -> str:
    return lines[row].strip(" │┃▌▐▏▕▎▍▋▊▉█|").strip() if row < len(lines) else ""


def expected(engine, text: str) -> tuple[str, str]:
    """The count and prefix note the status line shows once `text` is searched as typed
    (the app's own rule: the last word a prefix while typing, else the word itself)."""
    from tui.panes.search import typing_prefix
    from tui.widgets import plural
    prefix = typing_prefix(text)
    result = engine.search(text.strip() + "*", limit=100) if prefix else None
    if result is None or result.error or not result.hits:
        result, prefix = engine.search(text.strip(), limit=100), ""
    count = (f"{plural(result.total, 'passage')} match" if result.hits
             else "No passages found")
    return count, (f"“{prefix}…”" if prefix else "")


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3, help="times each query is typed")
    ap.add_argument("--gap", type=float, default=80, help="ms from one key to the next, at least")
    ap.add_argument("--size", default="120x40")
    ap.add_argument("--label", default="run")
    ap.add_argument("--vnexplore", default=str(Path(sys.executable).parent / "vnexplore"))
    args = ap.parse_args()

    from search.engine import Engine
    engine = Engine([args.corpus], args.index_dir)
    engine.update()
    wants = {q: expected(engine, q) for q in QUERIES}
    engine.close()

    width, height = args.size.split("x")
    command = " ".join(shlex.quote(str(a)) for a in (
        args.vnexplore, "--corpus", args.corpus, "--index-dir", args.index_dir))
    tmux("kill-server")
    tmux("new-session", "-d", "-s", "bench", "-x", width, "-y", height, command)
    try:
        started = wait_for(lambda ls: any("Search the passages" in l for l in ls), 60)
        ready = wait_for(lambda ls: not any("Indexing" in l for l in ls), 300)
        if started is None or ready is None:
            print("the app did not show its first screen:\n" + "\n".join(screen()))
            return 1
        row = next(i for i, l in enumerate(screen()) if "Search the passages" in l)
        echo, result, missed, per_query = [], [], [], {q: [] for q in QUERIES}
        for run in range(args.runs):
            for q in QUERIES:
                tmux("send-keys", "-t", "bench", "/")
                time.sleep(0.3)
                count, note = wants[q]
                sent = 0.0
                for i, ch in enumerate(q):
                    typed = q[: i + 1]
                    sent = time.perf_counter()
                    tmux("send-keys", "-t", "bench", "-l", ch)
                    took = wait_for(lambda ls: box_text(ls, row) == typed.rstrip(), 2)
                    if took is None:
                        missed.append(f"echo of {typed!r}")
                    else:
                        echo.append(took)
                    rest = args.gap / 1000 - (time.perf_counter() - sent)
                    if rest > 0 and i < len(q) - 1:
                        time.sleep(rest)
                took = wait_for(lambda ls: any(count in l for l in ls) and (
                    not note or any(note in l for l in ls)), 10)
                end = time.perf_counter() - sent
                if took is None:
                    missed.append(f"result of {q!r}")
                else:
                    result.append(end)
                    per_query[q].append(round(end * 1000, 1))
                time.sleep(0.5)
    finally:
        tmux("kill-server")
    ms = lambda v: round(v * 1000, 1)   # noqa: E731
    out = {"label": args.label, "corpus": str(args.corpus), "queries": QUERIES,
           "runs": args.runs, "gap_ms": args.gap, "size": args.size,
           "result_ms": {"p50": ms(pct(result, 50)), "p95": ms(pct(result, 95)),
                         "max": ms(max(result)), "n": len(result)} if result else None,
           "echo_ms": {"p50": ms(pct(echo, 50)), "p95": ms(pct(echo, 95)),
                       "max": ms(max(echo)), "n": len(echo)} if echo else None,
           "per_query_ms": per_query, "missed": missed}
    print(json.dumps(out, indent=2))
    path = ROOT / "benchmarks" / "out" / f"app-latency-{args.label}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
