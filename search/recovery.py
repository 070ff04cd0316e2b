"""The index on disk as complete generations, so a kill or a damaged file never shows half an index.

Layout of an index folder:
    vnexplore-manifest.json   the commit point: which generation is complete, the corpus files
                              it holds (by content hash) and a fingerprint of its index files
    write.lock                held (flock) by the one process writing; dropped by the kernel if it dies
    g-<id>/                   one Whoosh index; never changed once the manifest names it
    g-<id>/.inuse             held shared by every process reading that generation

A writer builds a new generation (an update starts from hard links to the current one's files,
which Whoosh never rewrites), then replaces the manifest atomically. Until that moment readers
see the previous generation; a writer killed before it leaves only an unnamed folder, swept later.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .locking import FileLock
from .paths import write_atomic
from .schema import SCHEMA_VERSION

MANIFEST = "vnexplore-manifest.json"
FORMAT = 2                      # layout version of the manifest and generation folders
GEN_PREFIX = "g-"
INUSE = ".inuse"
LOCK = "write.lock"
OLD_FILES = ("_passages_", "passages_")   # Whoosh files of the format-1 layout (no generations)


@dataclass
class State:
    generation: str
    files: dict            # document id -> {path, size, mtime_ns, hash, indexed}
    passages: int
    index_files: dict      # file name -> [size, mtime_ns, sha1]
    analysis: str = ""     # fingerprint of what else fed the index (the entity gazetteer)
    side: dict | None = None   # corpus folder -> {"sig": [size, mtime, ctime, inode], "hash"}
                               # of its metadata.yaml; None in manifests made before it


def read_state(folder: Path) -> tuple[State | None, str | None]:
    """(state, None), or (None, what is wrong); (None, None) when there is no index yet."""
    try:
        raw = (folder / MANIFEST).read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as e:
        return None, f"cannot be read ({e.strerror or e})"
    try:
        data = json.loads(raw)
    except ValueError:
        return None, "has a damaged manifest"
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or data.get("schema") != SCHEMA_VERSION:
        return None, "was made by another version of vnexplore"
    try:
        state = State(str(data["generation"]), dict(data["files"]), int(data["passages"]),
                      {str(k): [int(x) if i < 2 else str(x) for i, x in enumerate(v)]
                       for k, v in dict(data["index_files"]).items()},
                      str(data.get("analysis", "")),
                      None if data.get("side") is None else dict(data["side"]))
    except (KeyError, TypeError, ValueError):
        return None, "has a damaged manifest"
    if not state.generation.startswith(GEN_PREFIX) or "/" in state.generation \
            or "\\" in state.generation or any(len(v) != 3 for v in state.index_files.values()):
        return None, "has a damaged manifest"
    return state, None


def write_state(folder: Path, state: State) -> None:
    write_atomic(folder / MANIFEST, json.dumps(
        {"format": FORMAT, "schema": SCHEMA_VERSION, "generation": state.generation,
         "passages": state.passages, "index_files": state.index_files,
         "analysis": state.analysis,
         "side": state.side,
         "files": state.files}))           # ASCII: file names that are not UTF-8 survive


def file_hash(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha1").hexdigest()


def fingerprint(gen: Path, base: Path | None = None, base_files: dict | None = None) -> dict:
    """[size, mtime_ns, sha1] of each index file. A file that is still the base generation's
    own (a hard link to it: same inode, size and time) keeps the base's recorded hash."""
    out = {}
    for child in sorted(gen.iterdir()):
        if child.name.startswith(".") or child.name.endswith("WRITELOCK"):
            continue
        st = child.stat()
        known = (base_files or {}).get(child.name)
        if known and known[:2] == [st.st_size, st.st_mtime_ns] and _same_file(st, base / child.name):
            out[child.name] = list(known)
        else:
            out[child.name] = [st.st_size, st.st_mtime_ns, file_hash(child)]
    return out


def _same_file(st: os.stat_result, other: Path) -> bool:
    try:
        o = other.stat()
    except OSError:
        return False
    return (st.st_ino, st.st_dev) == (o.st_ino, o.st_dev)


def check_files(gen: Path, index_files: dict) -> str | None:
    """What is wrong with a generation's files, or None. Hashes only files whose mtime moved."""
    if not index_files:
        return "has no index files"
    for name, (size, mtime_ns, digest) in index_files.items():
        path = gen / name
        try:
            st = path.stat()
            if st.st_size != size or (st.st_mtime_ns != mtime_ns and file_hash(path) != digest):
                return f"has a damaged file ({name})"
        except FileNotFoundError:
            return f"is missing a file ({name})"
        except OSError as e:
            return f"has an unreadable file ({name}: {e.strerror or e})"
    return None


def new_generation(folder: Path, base: Path | None) -> Path:
    """A fresh generation folder; an update starts from links to the base generation's files."""
    gen = folder / f"{GEN_PREFIX}{time.time_ns():x}-{os.getpid()}"
    gen.mkdir()
    (gen / INUSE).touch()
    if base is not None:
        for child in base.iterdir():
            if child.name.startswith(".") or child.name.endswith("WRITELOCK"):
                continue
            try:
                os.link(child, gen / child.name)
            except OSError:                 # no hard links here: copy
                shutil.copy2(child, gen / child.name)
    return gen


def reader_lock(gen: Path) -> FileLock | None:
    """Hold a generation against the sweeper. None when it is gone or being removed."""
    lock = FileLock(gen / INUSE, shared=True)
    try:
        if not lock.acquire(timeout=1.0, create=False):
            return None
    except FileNotFoundError:
        return None
    except OSError:                         # cannot even open it read-only: read without
        return FileLock(gen / INUSE, shared=True)
    if not lock.still_names_file():
        lock.release()
        return None
    return lock


def sweep(folder: Path) -> None:
    """Remove generations nobody reads (killed builds, replaced ones) and format-1 leftovers.

    Call only while holding the write lock. The manifest's generation is always kept."""
    state, _ = read_state(folder)
    keep = state.generation if state else None
    for child in list(folder.iterdir()):
        name = child.name
        if name.startswith(GEN_PREFIX) and name != keep and child.is_dir():
            lock = FileLock(child / INUSE)
            try:
                free = lock.acquire(timeout=0, create=False)
            except FileNotFoundError:
                free = True                 # killed before it was set up
            except OSError:
                continue
            if free:
                shutil.rmtree(child, ignore_errors=True)
            lock.release()
        elif name.startswith(OLD_FILES) and child.is_file():
            child.unlink(missing_ok=True)
        elif name.startswith(f".{MANIFEST}.") and name.endswith(".tmp"):
            child.unlink(missing_ok=True)   # a manifest write cut short
