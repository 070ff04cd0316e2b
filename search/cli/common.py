"""What every command shares: exit codes, the usage error, the Rich console, JSON output, and
opening the engine with the chosen corpus, index folder and entity files (progress to stderr).
Below both `main` and `entities`, so neither imports the other's helpers."""
from __future__ import annotations

import codecs
import json
import os
import shutil
import sys
import time

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A user mistake: one line to stderr, exit 2."""


def console(stderr: bool = False):
    from rich.console import Console
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False, **_size())


def _size() -> dict:
    """Width and height for Rich when COLUMNS or LINES say 0: Rich would take 0 columns and
    print nothing, so ask the terminal instead (80x24 when there is none). Rich already
    ignores values that are not numbers."""
    size = {}
    for var, key in (("COLUMNS", "width"), ("LINES", "height")):
        value = os.environ.get(var, "")
        if value.isdigit() and int(value) == 0:
            fallback = shutil.get_terminal_size((80, 24))
            size[key] = fallback.columns if key == "width" else fallback.lines
    return size


def safe_output() -> None:
    """Text the output's encoding cannot show (ASCII, Latin-1, LC_ALL=C) is replaced with '?'
    instead of ending the command with a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) in ("strict", "surrogateescape"):
            try:
                stream.reconfigure(errors="replace")
            except (AttributeError, ValueError, OSError):     # not a text stream we can change
                pass


def _unicode_output() -> bool:
    try:
        return codecs.lookup(getattr(sys.stdout, "encoding", None) or "ascii").name.startswith("utf")
    except LookupError:
        return False


def open_engine(args, *, quiet: bool = False, rebuild: bool = False, verify: bool = False):
    """An Engine over the chosen corpus with its index current; progress and warnings to stderr.
    With `verify`, every index file is hashed in full against the manifest first."""
    from search.engine import Engine
    for folder in args.corpus or []:
        if not folder.is_dir():
            raise UsageError(f"--corpus {folder}: not a folder")
    engine = Engine(args.corpus, args.index_dir, **_entity_hook(args))
    engine.store.verify = verify
    err = console(stderr=True)
    from rich.progress import Progress
    # Refreshed from here, not by Rich's refresh thread: a process with one thread can fork
    # the build's workers (search.index.write.writer).
    with Progress(console=err, transient=True, disable=quiet or not err.is_terminal,
                  auto_refresh=False) as bar:
        task, shown = None, 0.0

        def progress(done, total, what):
            nonlocal task, shown
            if task is None:
                task = bar.add_task("Indexing articles", total=total)
            now = time.monotonic()
            refresh = now - shown > 0.1 or done == total
            if refresh:
                shown = now
            bar.update(task, completed=done, refresh=refresh)

        report = engine.update(rebuild=rebuild, progress=progress)
    for w in report.warnings:
        err.print(f"warning: {w}", soft_wrap=True)
    for m in report.messages:          # about the index itself: rebuilt, in memory, stale
        err.print(f"vnexplore: {m}", soft_wrap=True)
    engine.notify = lambda m: err.print(f"vnexplore: {m}", soft_wrap=True)
    return engine


def _entity_hook(args) -> dict:
    from search.entities.mentions import index_hook
    return {"entity_names": index_hook(getattr(args, "entities", None))}


def print_json(data) -> None:
    """JSON with text as it is; as \\u escapes when the output cannot encode it (same data)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=not _unicode_output(), indent=2) + "\n")
