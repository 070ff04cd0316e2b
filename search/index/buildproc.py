"""A big update asked for by the app, run in a process of its own so that it uses every core.

The parallel build forks its workers, which is safe only from a process with one thread,
and the app updates the index from a worker thread. So when an update has many files to
index and the process has other threads, the store first runs `python -m search.buildchild`
(the module its builder names in `IndexStore.child_main`; it makes the same entity hook there
and calls `main` here, so the index imports no entities): a new process that updates the same
index (under the same lock) and reports its progress, then its file warnings and messages, as
JSON lines. The store then opens what it made. If the child fails for any reason, the store
does the update itself, as it would have anyway.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

from search.model import LoadWarning

FILES = ("added", "changed", "removed")


class Child:
    """One run of the child process; `stop()` (from any thread) ends it. `module` is the one
    run with `python -m` (search.buildchild: it makes the store's entity hook there and calls
    `main` below)."""

    def __init__(self, module: str):
        self.module = module
        self.proc: subprocess.Popen | None = None
        self.stopped = False
        self.built = False
        self.files: dict[str, list[str]] = {}    # added, changed, removed: document ids
        self.warnings: list[LoadWarning] = []
        self.messages: list[str] = []

    def run(self, folders: list[Path], index_dir: Path, entity_files: list[Path],
            progress: Callable[[int, int, str], None] | None, rebuild: bool = False,
            options=None) -> bool:
        """Update (or rebuild) the index in a child process, writing it with `options`
        (an IndexOptions). True when it did."""
        cmd = [sys.executable, "-m", self.module, "--index-dir", str(index_dir),
               "--parent", str(os.getpid())] + (["--rebuild"] if rebuild else [])
        if options is not None and options.to_args():
            cmd += ["--options", json.dumps(options.to_args())]
        for f in entity_files:
            cmd += ["--entities", str(f)]
        cmd += ["--", *map(str, folders)]
        here = str(Path(__file__).resolve().parent.parent)     # this very copy of vnexplore
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, [here, os.environ.get("PYTHONPATH")])))
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env=env, text=True,
                                         encoding="utf-8", errors="replace")
        except OSError:
            return False
        with self.proc as proc:
            if self.stopped:
                proc.kill()
            for line in proc.stdout:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue
                if isinstance(item, list) and progress:
                    progress(item[0], item[1], "")
                elif isinstance(item, dict):
                    self.warnings = [LoadWarning(p, m) for p, m in item.get("warnings", [])]
                    self.messages = list(item.get("messages", []))
                    self.built = bool(item.get("built"))
                    self.files = {k: list(item.get(k, [])) for k in FILES}
        return proc.returncode == 0 and not self.stopped

    def stop(self) -> None:
        self.stopped = True
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()


def main(argv: list[str] | None, open_store: Callable) -> int:
    """The child's side: update the index `open_store(folders, index_dir, entity_files, options)`
    gives, printing progress and then the report as JSON lines. The exit code."""
    ap = argparse.ArgumentParser(prog="python -m search.buildchild")
    ap.add_argument("--index-dir", required=True, type=Path)
    ap.add_argument("--entities", action="append", type=Path, default=[])
    ap.add_argument("--parent", type=int)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--options", type=json.loads, default={})
    ap.add_argument("folders", nargs="+", type=Path)
    args = ap.parse_args(argv)
    from search.index.write.writer import die_with
    if args.parent:
        die_with(args.parent)

    def progress(done: int, total: int, _: str) -> None:
        print(json.dumps([done, total]), flush=True)

    from search.index.write.options import IndexOptions
    store = open_store(args.folders, args.index_dir, args.entities or None,
                       IndexOptions.from_args(args.options))
    report = store.update(rebuild=args.rebuild, progress=progress)
    print(json.dumps({"warnings": [[w.path, w.message] for w in report.warnings],
                      "messages": report.messages, "built": report.built,
                      **{k: getattr(report, k) for k in FILES}}), flush=True)
    temporary = store.temporary
    store.close()
    return 3 if temporary else 0          # an index in memory is of no use to the parent
