"""Finding, reading and cleaning article files. Bad files are skipped or repaired with a warning."""
from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search.corpus import readers
from search.corpus import text as T
from search.corpus.dates import check_date
from search.corpus.names import (METADATA_FILE, as_text as _as_text, readable_name,  # noqa: F401
                                 shown, warning as _warning)
from search.model import Document, LoadWarning, Passage
from search.yamlsafe import YamlProblem, load_yaml, read_yaml

EXTENSIONS = (".txt", ".md") + readers.EXTENSIONS    # pages, PDFs, Word files: search.corpus.readers
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# Larger files are skipped with a warning: an article is far smaller, and indexing runs at a few
# hundred KB a second, so a 50 MB dump would stall every start for minutes.
MAX_FILE_BYTES = 4 * 1024 * 1024


@dataclass
class SourceFile:
    doc: str
    path: Path
    corpus: Path
    size: int
    mtime_ns: int
    ctime_ns: int = 0     # an edit that kept size and mtime (cp -p, touch -r, rsync) moves it


def scan(folders: list[Path], warnings: list[LoadWarning] | None = None) -> list[SourceFile]:
    """Every article file (.txt, .md, saved page, PDF, .docx) below the folders (recursively, no
    symlink loops), with its document id.
    Links to files inside the folder are followed; links that lead out of it are skipped with a
    warning (a `passwd.txt -> /etc/passwd` in a folder someone sent must not be indexed), and
    links to folders are not followed (no loops, no second copy), with a warning when they lead out."""
    warnings = warnings if warnings is not None else []
    found: dict[str, SourceFile] = {}
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            warnings.append(_warning(folder, "not a folder; skipped"))
            continue
        inside = _inside(folder)
        for root, dirs, files in os.walk(folder, onerror=lambda e: warnings.append(
                _warning(e.filename, f"cannot list: {e.strerror}"))):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and not readers.is_page_assets(d, files))
            here = Path(root)
            for d in dirs:
                if os.path.islink(here / d) and not inside(here / d):
                    warnings.append(_warning(here / d, f"link to a folder outside the corpus "
                                             f"({_target(here / d)}); not followed"))
            prefix = here.relative_to(folder).as_posix() + "/"     # once per folder, not file
            prefix = "" if prefix == "./" else prefix
            for name in sorted(files):
                if name.startswith(".") or not name.lower().endswith(EXTENSIONS):
                    continue
                path = here / name
                rel = readable_name(prefix + name)
                doc = rel.rsplit(".", 1)[0]
                try:
                    st = os.stat(path, follow_symlinks=False)
                    link = stat.S_ISLNK(st.st_mode)
                    if link:
                        st = os.stat(path)
                except OSError as e:
                    warnings.append(_warning(path, f"cannot read: {e.strerror}"))
                    continue
                if not stat.S_ISREG(st.st_mode):     # a FIFO would block, a device never end
                    warnings.append(_warning(path, "not a regular file; skipped"))
                    continue
                if link and not inside(path):
                    warnings.append(_warning(path, f"link leaving the corpus (to {_target(path)});"
                                             " skipped: add its folder with --corpus to index it"))
                    continue
                if doc in found:
                    doc = next(d for d in _alternatives(rel, folder) if d not in found)
                    warnings.append(_warning(path, f"document id taken; using {doc!r}"))
                found[doc] = SourceFile(doc, path, folder, st.st_size, st.st_mtime_ns,
                                         st.st_ctime_ns)
    return list(found.values())


def _inside(folder: Path):
    """A test: does a path, its links resolved, lie inside the folder (itself resolved)?"""
    root = os.path.realpath(folder)

    def inside(path) -> bool:
        target = os.path.realpath(path)
        return target == root or target.startswith(root.rstrip(os.sep) + os.sep)
    return inside


def _target(path) -> str:
    return shown(os.path.realpath(path))


def _alternatives(rel: str, folder: Path):
    yield rel
    yield f"{readable_name(folder.name)}/{rel}"
    n = 2
    while True:
        yield f"{rel} ({n})"
        n += 1


# More NUL bytes than this share of a file's first 8 KB make it binary: text with some stray
# NULs (20 in 980 bytes, from a broken export) is text, while executables and images are far
# above it. Fewer NULs are dropped with a warning, unless what is left is not text: more than
# 1% NULs and not UTF-8, or many other control bytes (compressed data: 0.4% NULs, 12% controls).
BINARY_NULS = 0.05
BINARY_CONTROLS = 0.05


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Bytes -> (text, warning). text is None for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, "looks like UTF-16 but does not decode; skipped"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[:8192]
    many = head.count(0) > len(head) // 100
    if many:
        # UTF-16 without a BOM: every other byte is NUL in Latin text.
        for enc in ("utf-16-le", "utf-16-be"):
            zeros = head[1::2] if enc.endswith("le") else head[0::2]
            if len(head) >= 4 and zeros.count(0) > 0.9 * len(zeros):
                try:
                    return data.decode(enc), f"decoded as {enc.upper()} (no byte-order mark)"
                except UnicodeDecodeError:
                    pass
        if head.count(0) > len(head) * BINARY_NULS:
            return None, "binary file (contains NUL bytes); skipped"
    nuls = data.count(0)
    data = data.replace(b"\0", b"") if nuls else data
    text, problem = _decode_8bit(data)
    if text is not None and nuls:
        if (many and problem) or _controls(text) > len(text) * BINARY_CONTROLS:
            return None, "binary file (contains NUL bytes); skipped"
        dropped = f"{nuls} stray NUL byte{'s' * (nuls != 1)} dropped"
        problem = f"{problem}; {dropped}" if problem else dropped
    return text, problem


def _decode_8bit(data: bytes) -> tuple[str | None, str | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        enc = "cp1252"
    except UnicodeDecodeError:
        text, enc = data.decode("latin-1"), "latin-1"
    if _controls(text) > len(text) * BINARY_CONTROLS:
        return None, "binary file; skipped"
    return text, f"not valid UTF-8; decoded as {enc}"


def _controls(text: str) -> int:
    return sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t")


def split_front_matter(raw: str) -> tuple[dict, str, str | None]:
    """Return (metadata, body, warning). Broken front matter is reported and the body kept."""
    m = FRONT_MATTER.match(raw)
    if not m:
        return {}, raw, None
    body = raw[m.end():]
    meta, problem = load_yaml(m.group(1), first_line=2)
    if problem:
        what = problem.reason if problem.reason.startswith("not ") else f"refused: {problem.reason}"
        at = f" at line {problem.line}" if problem.line else ""
        return {}, body, f"front matter is {what}{at}; body loaded without it"
    if meta is None:
        return {}, body, None
    if not isinstance(meta, dict):
        return {}, body, "front matter is not a mapping of fields; body loaded without it"
    return meta, body, None


def build_document(doc_id: str, path: str, raw: str, meta: dict | None = None,
                   warnings: list[LoadWarning] | None = None) -> Document:
    """Raw file text (+ metadata from a side file) -> a cleaned Document with numbered passages."""
    warnings = warnings if warnings is not None else []
    raw = T.normalise(raw)
    front, body, problem = split_front_matter(raw)
    if problem:
        warnings.append(_warning(path, problem))
    fields = {**(meta or {}), **front}
    prefix_date, body = T.take_date_prefix(body)
    date = None
    for value, where in ((front.get("date"), "in the front matter"),
                         ((meta or {}).get("date"), f"in {METADATA_FILE}"),
                         (prefix_date, "on the first line")):
        date, problem = check_date(value, where)
        if problem and where == "in the front matter":
            problem = problem.replace(where, where + _line_of(raw, "date"), 1)
        if problem:
            warnings.append(_warning(path, problem))
        if date:
            break
    body = T.remove_ref_markers(body)
    keyed = T.keyed_passages(body)
    texts = [text for text, _ in keyed]
    authors = fields.get("authors") or fields.get("author") or []
    if isinstance(authors, str):
        authors = [a.strip() for a in re.split(r",| and ", authors) if a.strip()]
    if not isinstance(authors, list):
        authors = []
    title = _as_text(fields.get("title")) or T.derive_title(texts, doc_id)
    return Document(
        id=doc_id, path=path, title=" ".join(title.split()),
        date=date,
        source=_as_text(fields.get("source")), url=_as_text(fields.get("url")),
        authors=[a for a in (_as_text(x) for x in authors) if a],
        passages=[Passage(doc_id, i, t, key=k) for i, (t, k) in enumerate(keyed, 1)],
    )


def _line_of(raw: str, key: str) -> str:
    """" (line N)" for the front matter line that sets `key`, when there is one to point at."""
    m = FRONT_MATTER.match(raw)
    hit = m and re.search(rf"(?m)^{key}[ \t]*:", m.group(1))
    return f" (line {m.group(1).count(chr(10), 0, hit.start()) + 2})" if hit else ""


def read_source(src: SourceFile, warnings: list[LoadWarning]) -> tuple[Document | None, str | None]:
    """Read one file -> (document or None, content hash or None)."""
    limit = readers.max_bytes(src.path, MAX_FILE_BYTES)
    try:
        data = _read_bytes(src.path, limit)
    except OSError as e:
        warnings.append(_warning(src.path, f"cannot read: {e.strerror or e}"))
        return None, None
    if data is None:
        warnings.append(_warning(src.path, f"larger than {limit >> 20} MB, "
                                    "too big for an article; skipped"))
        return None, None
    digest = hashlib.sha1(data).hexdigest()
    if readers.kind_of(src.path):
        from search.corpus.readers.assemble import read_document
        side = side_metadata(src.corpus, warnings).get(src.doc)
        return read_document(src, data, side, warnings), digest
    text, problem = decode(data)
    if problem:
        warnings.append(_warning(src.path, problem))
    if text is None:
        return None, digest
    doc = build_document(src.doc, shown(src.path), text, side_metadata(src.corpus, warnings).get(src.doc),
                         warnings)
    if not doc.passages:
        warnings.append(_warning(src.path, "no text; skipped"))
        return None, digest
    return doc, digest


def _read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The file's bytes, None when too large. Never blocks on a FIFO that replaced the file.
    Read with os.read, asking for the size the file has (one call for an article): a
    buffered file object asked for `limit` bytes cost twice as much."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(0, "not a regular file")
        chunks, size = [], 0
        step = min(st.st_size, limit) + 1        # +1: sees the end, or that it grew
        while size <= limit:
            chunk = os.read(fd, min(step, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            step = 1 << 20                         # it grew since: the rest in pieces
    finally:
        os.close(fd)
    return None if size > limit else b"".join(chunks)


def content_hash(src: SourceFile) -> str | None:
    """The file's content hash as read_source records it; None when it cannot be read."""
    try:
        data = _read_bytes(src.path, readers.max_bytes(src.path, MAX_FILE_BYTES))
    except OSError:
        return None
    return hashlib.sha1(data).hexdigest() if data is not None else None


_side_cache: dict[Path, tuple[int, dict]] = {}


@lru_cache(maxsize=64)
def _metadata_path(folder) -> Path:
    """A folder's metadata.yaml path, joined once: asked twice for each file indexed."""
    return Path(folder) / METADATA_FILE


def side_metadata(folder: Path, warnings: list[LoadWarning] | None = None) -> dict:
    """Optional `metadata.yaml` in a corpus folder: {document id: {title, date, ...}}.
    Read when an article is (re)indexed, not at each start: a file that cannot be used gives {}
    and, the first time, a warning naming it (and its line) in `warnings`."""
    path = _metadata_path(folder)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return {}
    cached = _side_cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    data, problem = read_yaml(path)
    if problem is None and data is not None and not isinstance(data, dict):
        problem = YamlProblem("not a mapping of document ids to fields")
    data = {str(k): v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}
    _side_cache[path] = (mtime, data)
    if problem and warnings is not None:
        warnings.append(_warning(path, f"{problem}; not loaded"))
    return data


def load(folders: list[Path]) -> tuple[list[Document], list[LoadWarning]]:
    """Load every article below the folders. Never raises for a bad file."""
    warnings: list[LoadWarning] = []
    docs = []
    for src in scan(folders, warnings):
        doc, _ = read_source(src, warnings)
        if doc:
            docs.append(doc)
    return docs, warnings
