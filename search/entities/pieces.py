"""A file of named parts, each cut into pieces that are read and decoded one at a time.

What `kept` keeps beside the index (the entity list, the timeline, each entity's mentions)
is read by a thread of the app while the user types: one `marshal.loads` of 40 MB holds the
interpreter for most of a second. Here a list or dict part is cut into pieces of about
`PIECE_BYTES` (whole items; an item larger than that is a piece alone), so reading a part
decodes one piece, then lets other threads run (`time.sleep(0)`), then the next. A reader
can also take a single piece: the one holding list item i (`item`), so one entity's mentions
are read without the others.

Layout: MAGIC, the header's length (8 bytes), the header (marshal: {"key", "parts": {name:
(kind, [(offset, length, first item), ...])}}), then the pieces. `marshal` data only: plain
values, no code runs on load; a file that does not read as this is `None`, never an error.
"""
from __future__ import annotations

import marshal
import os
import time
from bisect import bisect_right
from pathlib import Path

MAGIC = b"VNXP1"
PIECE_BYTES = 96 << 10      # a piece of 96 KB decodes in well under a millisecond
LIST, DICT, VALUE = "list", "dict", "value"


def _cut(items: list, whole: int) -> list[list]:
    """The items in consecutive runs of about PIECE_BYTES marshalled (`whole`: all of them)."""
    if not items:
        return []
    step = max(1, len(items) * PIECE_BYTES // max(1, whole))
    out = []
    for i in range(0, len(items), step):
        run = items[i:i + step]
        if len(run) > 1 and len(marshal.dumps(run)) > 2 * PIECE_BYTES:
            half = len(run) // 2
            out += _cut(run[:half], whole // 2 or 1) + _cut(run[half:], whole // 2 or 1)
        else:
            out.append(run)
    return out


def write(path: Path, key, parts: dict, replace) -> None:
    """Write `parts` ({name: list, dict or other plain value}) with `key`; `replace(path,
    [bytes])` writes the pieces one after the other (atomically). Cost: marshalling every
    part twice."""
    header: dict = {"key": key, "parts": {}}
    blobs: list[bytes] = []
    at = 0
    for name, value in parts.items():
        if isinstance(value, (list, dict)):
            kind = LIST if isinstance(value, list) else DICT
            items = value if kind == LIST else list(value.items())
            runs = _cut(items, len(marshal.dumps(value)))
        else:
            kind, runs = VALUE, [value]
        spans, first = [], 0
        for run in runs:
            blob = marshal.dumps(run if kind != DICT else dict(run))
            spans.append((at, len(blob), first))
            blobs.append(blob)
            at += len(blob)
            first += len(run) if kind != VALUE else 0
        header["parts"][name] = (kind, spans)
    head = marshal.dumps(header)
    replace(path, [MAGIC, len(head).to_bytes(8, "little"), head, *blobs])


class Pieces:
    """An open pieces file: its key and parts, each piece read from the file when asked."""

    def __init__(self, path: Path) -> None:
        self.path, self._fd = path, None
        self._fd = os.open(path, os.O_RDONLY)      # kept open: the file may be replaced
        try:
            start = os.pread(self._fd, len(MAGIC) + 8, 0)
            if start[:len(MAGIC)] != MAGIC:
                raise ValueError(f"{path.name}: not a pieces file")
            size = int.from_bytes(start[len(MAGIC):], "little")
            header = marshal.loads(os.pread(self._fd, size, len(MAGIC) + 8))
            self.key, self._parts = header["key"], header["parts"]
        except Exception:
            self.close()
            raise
        self._start = len(MAGIC) + 8 + size
        end = max((at + n for _, spans in self._parts.values() for at, n, _ in spans), default=0)
        if os.fstat(self._fd).st_size != self._start + end:
            self.close()
            raise ValueError(f"{path.name}: cut short or grown")

    def __contains__(self, name: str) -> bool:
        return name in self._parts

    def pieces(self, name: str) -> int:
        return len(self._parts[name][1])

    def piece(self, name: str, i: int):
        """Piece i of a part, decoded (a list, a dict or the value itself)."""
        at, size, _ = self._parts[name][1][i]
        data = os.pread(self._fd, size, self._start + at)
        if len(data) != size:
            raise EOFError(f"{self.path.name}: cut short")
        return marshal.loads(data)

    def get(self, name: str, pause: bool = True):
        """A whole part, its pieces decoded one at a time, with `pause` a pause between (other
        threads run: no decode holds the interpreter more than a piece's worth; a command
        with one thread has nobody to let run)."""
        kind, spans = self._parts[name]
        if kind == VALUE:
            return self.piece(name, 0)
        out: list | dict = [] if kind == LIST else {}
        for i in range(len(spans)):
            if i and pause:
                time.sleep(0)
            got = self.piece(name, i)
            out.extend(got) if kind == LIST else out.update(got)
        return out

    def item(self, name: str, i: int):
        """Item i of a list part, reading only the piece that holds it."""
        spans = self._parts[name][1]
        k = bisect_right([first for _, _, first in spans], i) - 1
        if k < 0:
            raise IndexError(i)
        return self.piece(name, k)[i - spans[k][2]]

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    __del__ = close


def open_pieces(path: Path, key) -> Pieces | None:
    """The pieces file at `path` when it was written with `key`, else None (none, another
    key, damaged)."""
    try:
        found = Pieces(path)
    except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
        return None
    if found.key != key:
        found.close()
        return None
    return found
