"""The shared development set of real articles, scored as a user would run vnexplore.

`shared/devset/score.py all` runs the installed CLI on 24 real article excerpts and compares
entities, events and searches with hand annotations. The thresholds are the figures reached,
a little below, so that a regression in any rule shows here. Skipped where the set is absent.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve()
DEVSET = next((p / "shared" / "devset" for p in HERE.parents[1:5]
               if (p / "shared" / "devset" / "score.py").is_file()), None)

FLOORS = {                         # reached: 0.99 / 0.90, 0.90, 0.94 / 0.96, 0.81, 0.87
    "search success@5": 0.97,
    "entity recall": 0.88,
    "entity typed": 0.88,
    "entity precision": 0.92,
    "partnership-event recall": 0.92,
    "all-kinds event recall": 0.78,
    "extracted-event precision": 0.85,
}
PATTERNS = {
    "search success@5": r"success@5 \d+/\d+ = ([\d.]+)",
    "entity recall": r"entities: recall \d+/\d+ = ([\d.]+)",
    "entity typed": r"typed correctly \d+/\d+ = ([\d.]+)",
    "entity precision": r"entities: reported .*precision \d+/\d+ = ([\d.]+)",
    "partnership-event recall": r"partnership-event recall \d+/\d+ = ([\d.]+)",
    "all-kinds event recall": r"all-kinds recall \d+/\d+ = ([\d.]+)",
    "extracted-event precision": r"extracted precision \d+/\d+ = ([\d.]+)",
}


@pytest.mark.skipif(DEVSET is None, reason="shared/devset is not beside this checkout")
def test_devset_figures_hold():
    env = dict(os.environ, VNEXPLORE=f"{sys.executable} -m tui.main")
    out = subprocess.run([sys.executable, str(DEVSET / "score.py"), "all"], capture_output=True,
                         text=True, env=env, cwd=Path(__file__).parents[2], timeout=900)
    assert out.returncode == 0, out.stderr[-500:]
    figures = {}
    for name, pattern in PATTERNS.items():
        m = re.search(pattern, out.stdout)
        assert m, (name, out.stdout)
        figures[name] = float(m.group(1))
    low = {k: (v, FLOORS[k]) for k, v in figures.items() if v < FLOORS[k]}
    assert not low, f"below the reached figures: {low}\n{out.stdout}"
