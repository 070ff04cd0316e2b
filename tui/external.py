"""Programs outside the app: the pager or editor that opens a source file, and tmux's paste
buffer. Plain functions, no Textual: each says in words what went wrong instead of raising."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import unicodedata
from pathlib import Path

# Programs that take `+N` to open a file at line N.
LINE_ARG = {"less", "more", "most", "vi", "vim", "nvim", "view", "vim.basic", "vim.tiny",
            "nano", "emacs", "emacsclient", "mg", "kak", "ex"}


def line_of(path: str, passage_text: str) -> int | None:
    """The line of the file where a passage starts (found by its first words), or None.
    The passage is cleaned text, so words are matched across any punctuation and spacing."""
    try:
        raw = Path(path).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    raw = unicodedata.normalize("NFC", raw)
    words = re.findall(r"\w+", passage_text)
    for n in (8, 4):
        if len(words) < min(n, 2):
            continue
        pattern = r"\W+".join(re.escape(w) for w in words[:n])
        m = re.search(pattern, raw)
        if m:
            return raw.count("\n", 0, m.start()) + 1
    return None


def open_command(command: str, path: str, line: int | None = None) -> list[str] | None:
    """The argv to open `path` with a $PAGER/$EDITOR value, at `line` when the program takes
    +N; None when the value is empty or cannot be split (an unbalanced quote)."""
    try:
        argv = shlex.split(command)
    except ValueError:
        return None
    if not argv:
        return None
    if line and os.path.basename(argv[0]) in LINE_ARG:
        argv.append(f"+{line}")
    return [*argv, path]


def run(argv: list[str]) -> str | None:
    """Run a program on the terminal and wait for it: None when it ended well, else why not."""
    try:
        code = subprocess.call(argv)
    except FileNotFoundError:
        return "no such program (check $PAGER / $EDITOR)"
    except PermissionError:
        return "the program cannot be run (permission denied)"
    except OSError as e:
        return f"the program cannot be run: {e.strerror or e}"
    if code < 0:
        return f"it was ended by signal {-code}"
    if code:
        return f"it exited with status {code}"
    return None


def tmux_buffer(text: str) -> str | None:
    """Load text into tmux's paste buffer (inside tmux): None when done, else why not."""
    try:
        done = subprocess.run(["tmux", "load-buffer", "-"], input=text.encode("utf-8"),
                              capture_output=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired) as e:
        return str(e) or e.__class__.__name__
    if done.returncode:
        return done.stderr.decode("utf-8", "replace").strip() or f"status {done.returncode}"
    return None
