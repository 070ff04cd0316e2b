"""`o` on a saved page, PDF or Word file: the original in the system's viewer for its type
when there is one (a graphical session's `xdg-open`, `open` on macOS, `$BROWSER` for a
page), else the text as indexed, with passage and page numbers, in the pager."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from search.corpus.readers import kind_of


def viewer(path: str, env=None) -> tuple[list[str], bool] | None:
    """(command, needs the terminal) that shows the original file, or None when there is
    no viewer for it here. `$BROWSER` may be a terminal browser, so it gets the terminal."""
    env = os.environ if env is None else env
    kind = kind_of(path)
    if kind is None:
        return None
    if kind == "html" and env.get("BROWSER"):
        command = shlex.split(env["BROWSER"].split(":")[0])
        if command and shutil.which(command[0], path=env.get("PATH")):
            return [*command, path], True
    if sys.platform == "darwin" and shutil.which("open", path=env.get("PATH")):
        return ["open", path], False
    graphical = env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
    if graphical and shutil.which("xdg-open", path=env.get("PATH")):
        return ["xdg-open", path], False
    return None


def how_to_open(doc, env=None) -> tuple[list[str] | None, str, bool]:
    """(viewer command without the path, or None for the pager; the path to show; whether
    the viewer runs on its own, leaving the terminal to the app)."""
    if kind_of(doc.path) is None:
        return None, doc.path, False
    found = viewer(doc.path, env)
    if found is None:
        return None, str(text_copy(doc)), False
    command, terminal = found
    return command[:-1], doc.path, not terminal


def launch(command: list[str], path: str) -> str:
    """Start a graphical viewer on its own (the app keeps the terminal); a line to show."""
    try:
        subprocess.Popen([*command, path], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as e:
        return f"Cannot open {path} with {command[0]}: {e.strerror or e}"
    return f"Opened {path} with {command[0]}."


def text_copy(doc) -> Path:
    """The document's text as indexed, for the pager: a temporary file (in the system's
    temporary folder, replaced on each `o`)."""
    lines = [doc.title, " · ".join(x for x in (doc.date, doc.source, ", ".join(doc.authors),
                                                doc.path) if x), ""]
    for p in doc.passages:
        lines += [f"§{p.number}" + (f" (page {p.page})" if p.page else ""), p.text, ""]
    name = re.sub(r"[^\w.-]+", "_", doc.id)[-80:] or "document"
    folder = Path(tempfile.gettempdir()) / f"vnexplore-{os.getuid() if hasattr(os, 'getuid') else 0}"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
