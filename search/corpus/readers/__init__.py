"""Readers for articles kept as saved web pages, PDFs and Word files.

Each reader turns a file's bytes into an `Extracted`: paragraphs (each with the page it starts
on, for a PDF) and what the file says about itself (title, date, authors, source, url).
`assemble` makes the Document, the same way as for text files. The libraries behind the
readers are imported only when such a file is read (start-up stays fast), and none of them
fetches anything: a reader sees only the bytes it is given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePath

# extension -> the reader's kind
KINDS = {".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".docx": "docx"}
EXTENSIONS = tuple(KINDS)
# Size caps per kind: a saved page is small (its images sit in the _files folder), reports
# with figures make large PDFs. A bigger file is skipped with a warning.
MAX_BYTES = {"html": 8 << 20, "pdf": 128 << 20, "docx": 64 << 20}
ASSET_FOLDER_ENDS = ("_files", "-Dateien", "_fichiers", "_archivos", "_arquivos", "_file")


class Unreadable(Exception):
    """A file that cannot be read; the message says why, for a warning naming the file."""


@dataclass
class Paragraph:
    text: str
    page: int | None = None
    # (character offset, page) where a later page begins inside this paragraph
    breaks: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Extracted:
    paragraphs: list[Paragraph]
    meta: dict = field(default_factory=dict)     # title, date, authors, source, url
    warnings: list[str] = field(default_factory=list)


def kind_of(path) -> str | None:
    """"html", "pdf", "docx", or None for a text file."""
    # A path already parsed is not parsed again: asked twice for each file read.
    return KINDS.get((path if isinstance(path, PurePath) else Path(path)).suffix.lower())


def max_bytes(path, default: int) -> int:
    kind = kind_of(path)
    return MAX_BYTES[kind] if kind else default


def is_page_assets(folder: str, files) -> bool:
    """A browser's `Page_files/` folder beside `Page.html`: the page's images and scripts,
    not articles of their own."""
    for end in ASSET_FOLDER_ENDS:
        if folder.endswith(end):
            stem = folder[:-len(end)]
            return any(f == stem + ext or f.lower() == (stem + ext).lower()
                       for f in files for ext in (".html", ".htm", ".xhtml"))
    return False


def extract(path, data: bytes) -> Extracted:
    """A file's bytes -> Extracted. Raises Unreadable (with a message for the user)."""
    kind = kind_of(path)
    if kind == "html":
        from search.corpus.readers import web as reader
    elif kind == "pdf":
        from search.corpus.readers import pdf as reader
    elif kind == "docx":
        from search.corpus.readers import word as reader
    else:
        raise ValueError(f"not a document kind: {path}")
    return reader.extract(data)
