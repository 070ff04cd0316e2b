"""Time from launch to first paint: vnexplore (bundled corpus, warm index) vs a bare Textual app.

Each app runs in a fresh interpreter, headless, N times; the child prints the wall-clock time
at its first paint (Textual's auto-pilot starts once the first screen is composed and shown),
and for vnexplore also when the index is open and searchable. Reports medians and the ratio.

    /tmp/dev/bin/python benchmarks/startup.py [--runs 9] [--index-dir DIR]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
import sys, time
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("hello")
async def pilot(p):
    print("paint", time.time(), flush=True)
    p.app.exit()
Bare().run(headless=True, size=(80, 24), auto_pilot=pilot)
"""

VNEXPLORE = """
import sys, time, asyncio
from tui.app import VnExploreApp
async def pilot(p):
    print("paint", time.time(), flush=True)
    while p.app.engine is None:
        await asyncio.sleep(0.005)
    print("ready", time.time(), flush=True)
    p.app.exit()
VnExploreApp(index_dir=sys.argv[1], config_path=sys.argv[2]).run(
    headless=True, size=(80, 24), auto_pilot=pilot)
"""


def once(code: str, *args: str) -> dict[str, float]:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True).stdout
    marks = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("paint", "ready"):
            marks[parts[0]] = float(parts[1]) - start
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--index-dir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = args.index_dir or Path(tmp) / "index"
        config = str(Path(tmp) / "config.yaml")
        from search.engine import Engine
        Engine(None, index).update()                 # warm: built before timing
        once(BARE), once(VNEXPLORE, str(index), config)      # warm the OS file cache
        bare, app, ready = [], [], []
        for _ in range(args.runs):                   # interleaved, so drift hits both
            bare.append(once(BARE)["paint"])
            marks = once(VNEXPLORE, str(index), config)
            app.append(marks["paint"])
            ready.append(marks["ready"])
    b, a, r = (statistics.median(x) for x in (bare, app, ready))
    print(f"runs: {args.runs} each, medians, wall clock from launch (headless, 80x24)")
    print(f"bare Textual app, first paint:   {b * 1000:7.1f} ms")
    print(f"vnexplore, first paint:          {a * 1000:7.1f} ms")
    print(f"vnexplore, index open (ready):   {r * 1000:7.1f} ms")
    print(f"ratio first paint vnexplore/bare: {a / b:.2f}")


if __name__ == "__main__":
    main()
