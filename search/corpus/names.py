"""What the corpus says about its files, shown safely: a file's name as readable text (never
raw bytes or control characters), a warning naming the file, a metadata value as clean text.
Shared by `files` (text articles) and `readers.assemble` (pages, PDFs, Word files)."""
from __future__ import annotations

import datetime as dt
import re

from search.corpus.text import strip_controls
from search.model import LoadWarning

METADATA_FILE = "metadata.yaml"        # a corpus folder's titles, dates, sources, ...


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def readable_name(name: str) -> str:
    """A file name as text that can be stored and printed: bytes that are not UTF-8 and
    control characters (an ESC in a name would reach the terminal) become U+FFFD."""
    return _CONTROLS.sub("\ufffd", name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


def shown(path) -> str:
    return readable_name(str(path))


def warning(path, message: str) -> LoadWarning:
    return LoadWarning(shown(path), readable_name(message))


def as_text(value) -> str | None:
    """A scalar field as clean text. Lists and mappings are not text (and printing a YAML
    alias bomb would never end), so they give None."""
    if value is None or value == "" or not isinstance(value, (str, int, float, dt.date)):
        return None
    return strip_controls(str(value)).strip() or None
