"""The on-disk index: where it lives, building it, keeping it current by content hash."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from whoosh import index as windex
from whoosh.index import LockError

from . import corpus
from .model import LoadWarning
from .schema import SCHEMA_VERSION, make_schema, passage_fields

MANIFEST = "vnexplore-manifest.json"
INDEX_NAME = "passages"
Progress = Callable[[int, int, str], None]   # (done, total, what)


class IndexError_(Exception):
    """The index cannot be opened or written; the message says why."""


@dataclass
class UpdateReport:
    built: bool = False          # a full (re)build happened
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    documents: int = 0
    passages: int = 0
    warnings: list[LoadWarning] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def touched(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


def default_index_dir(folders: list[Path]) -> Path:
    from platformdirs import user_cache_dir
    key = "\n".join(sorted(str(Path(f).resolve()) for f in folders))
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    name = "-".join(Path(f).resolve().name for f in folders)[:40] or "corpus"
    return Path(user_cache_dir("vnexplore")) / "indexes" / f"{name}-{digest}"


def write_atomic(path: Path, text: str) -> None:
    """Write a file so a reader sees the old or the new content, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class IndexStore:
    """A Whoosh index of passages for a set of corpus folders, with a manifest of file hashes."""

    def __init__(self, folders: list[Path], index_dir: Path | None = None,
                 entity_names=None):
        self.folders = [Path(f) for f in folders]
        self.dir = Path(index_dir) if index_dir else default_index_dir(self.folders)
        self.entity_names = entity_names   # passage -> entity names, for the entity field
        self.ix = None

    # -- manifest -------------------------------------------------------------
    def _read_manifest(self) -> dict | None:
        try:
            data = json.loads((self.dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
            return None
        if not isinstance(data.get("files"), dict):
            return None
        return data

    def _write_manifest(self, files: dict) -> None:
        write_atomic(self.dir / MANIFEST, json.dumps(
            {"schema": SCHEMA_VERSION, "folders": [str(f) for f in self.folders],
             "files": files}, ensure_ascii=False))

    # -- open / build / update ------------------------------------------------
    def _open(self):
        try:
            return windex.open_dir(str(self.dir), indexname=INDEX_NAME)
        except Exception:
            return None

    def update(self, rebuild: bool = False, progress: Progress | None = None,
               lock_timeout: float = 10.0) -> UpdateReport:
        """Bring the index in line with the files: full build if needed, else only changed files."""
        report = UpdateReport()
        self.dir.mkdir(parents=True, exist_ok=True)
        manifest = None if rebuild else self._read_manifest()
        ix = self._open() if manifest is not None else None
        if ix is None:
            manifest = None
        sources = corpus.scan(self.folders, report.warnings)
        if manifest is None:
            ix = self._create()
            old_files: dict = {}
            report.built = True
        else:
            old_files = manifest["files"]
        new_files, todo = self._diff(sources, old_files, report)
        if todo or report.removed or report.built:
            new_files.update(self._write(ix, todo, report, progress, lock_timeout))
        if new_files != old_files or report.built:
            self._write_manifest(new_files)
        self.ix = ix
        report.documents = len(new_files)
        report.passages = ix.doc_count()
        return report

    def _create(self):
        for child in self.dir.iterdir():
            if child.name != MANIFEST:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        (self.dir / MANIFEST).unlink(missing_ok=True)
        return windex.create_in(str(self.dir), make_schema(), indexname=INDEX_NAME)

    def _diff(self, sources, old_files: dict, report: UpdateReport):
        """Which documents to (re)index: by size and mtime first, confirmed by content hash."""
        new_files, todo = {}, []
        seen = set()
        for src in sources:
            seen.add(src.doc)
            old = old_files.get(src.doc)
            entry = {"path": str(src.path), "size": src.size, "mtime_ns": src.mtime_ns}
            if old and old.get("path") == entry["path"] and old.get("size") == src.size \
                    and old.get("mtime_ns") == src.mtime_ns:
                new_files[src.doc] = old
                continue
            todo.append((src, entry, old))
        report.removed = sorted(d for d in old_files if d not in seen)
        return new_files, todo

    def _write(self, ix, todo, report, progress, lock_timeout):
        files = {}
        try:
            writer = ix.writer(timeout=lock_timeout)
        except LockError as e:
            raise IndexError_(f"the index at {self.dir} is locked by another vnexplore; "
                              "try again when it has finished") from e
        try:
            for doc_id in report.removed:
                writer.delete_by_term("doc", doc_id)
            total = len(todo)
            for i, (src, entry, old) in enumerate(todo, 1):
                doc, digest = corpus.read_source(src, report.warnings)
                entry["hash"] = digest
                entry["indexed"] = doc is not None
                files[src.doc] = entry
                if old and old.get("hash") == digest and old.get("indexed") == entry["indexed"]:
                    continue       # touched but not changed
                if old:
                    writer.delete_by_term("doc", src.doc)
                    report.changed.append(src.doc)
                else:
                    report.added.append(src.doc)
                if doc is not None:
                    for fields in passage_fields(doc, self.entity_names):
                        writer.add_document(**fields)
                if progress:
                    progress(i, total, src.doc)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return files

    def searcher(self):
        if self.ix is None:
            raise IndexError_("the index is not open")
        return self.ix.searcher()
