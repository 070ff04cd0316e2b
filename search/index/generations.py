"""The index on disk as complete generations, so a kill or a damaged file never shows half an index.

Layout of an index folder:
    vnexplore-manifest.json   the commit point: which generation is complete, the corpus files
                              it holds (by content hash) and a fingerprint of its index files
    write.lock                held (flock) by the one process writing; dropped by the kernel if it dies
    g-<id>/                   one Whoosh index; never changed once the manifest names it
    g-<id>/.inuse             held shared by every process reading that generation

The manifest records each index file's [size, mtime_ns, sha1, sampled sha1], the passages
per corpus file, and is read defensively: JSON nested too deep, files that do not account
for the passages, a folder in its place or no manifest beside generations all mean "rebuild".

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

from search.index.locking import FileLock
from search.paths import write_atomic
from search.index.schema import SCHEMA_VERSION

MANIFEST = "vnexplore-manifest.json"
FOLDER_IN_PLACE = "has a folder in place of its manifest"
SAMPLE_EDGE, SAMPLE_BLOCK, SAMPLE_BLOCKS = 64 * 1024, 4096, 32
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
    index_files: dict      # file name -> [size, mtime_ns, sha1, sample sha1 (see sample_hash)]
    analysis: str = ""     # fingerprint of what else fed the index (the entity gazetteer)
    side: dict | None = None   # corpus folder -> {"sig": [size, mtime, ctime, inode], "hash"}
                               # of its metadata.yaml; None in manifests made before it


def read_state(folder: Path) -> tuple[State | None, str | None]:
    """(state, None), or (None, what is wrong); (None, None) when there is no index yet."""
    try:
        raw = (folder / MANIFEST).read_bytes()
    except FileNotFoundError:
        return None, None
    except IsADirectoryError:
        return None, FOLDER_IN_PLACE
    except OSError as e:
        return None, f"cannot be read ({e.strerror or e})"
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):     # RecursionError: brackets nested too deep
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
    if not all(isinstance(v, dict) for v in state.files.values()):
        return None, "has a damaged manifest"
    if not _consistent(state):
        return None, "has a manifest that does not match its passages"
    if not state.generation.startswith(GEN_PREFIX) or "/" in state.generation \
            or "\\" in state.generation \
            or any(len(v) not in (3, 4) for v in state.index_files.values()):
        return None, "has a damaged manifest"
    return state, None


def _consistent(state: State) -> bool:
    """The manifest's files account for its passages (a "files" emptied or cut short by hand
    would index every passage a second time)."""
    if state.passages and not any(f.get("indexed") for f in state.files.values()):
        return False
    counts = [f.get("passages") for f in state.files.values() if f.get("indexed")]
    if counts and all(type(c) is int for c in counts):     # recorded since counts were kept
        return sum(counts) == state.passages
    return True


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


def fingerprint(gen: Path, base: Path | None = None, base_files: dict | None = None,
                threads: int | None = None) -> dict:
    """[size, mtime_ns, sha1, sampled sha1] of each index file. A file that is still the base
    generation's own (a hard link to it: same inode, size and time) keeps the base's recorded
    hash. The others are hashed in `threads` threads (one per core by default): this runs
    after the build's workers have finished, when one core would otherwise idle, and sha1
    lets go of the interpreter lock (400 MB at 10,000 articles: ~0.3 s alone)."""
    out, todo = {}, []
    for child in sorted(gen.iterdir()):
        if child.name.startswith(".") or child.name.endswith("WRITELOCK"):
            continue
        st = child.stat()
        known = (base_files or {}).get(child.name)
        if known and len(known) == 4 and known[:2] == [st.st_size, st.st_mtime_ns] \
                and _same_file(st, base / child.name):
            out[child.name] = list(known)
        else:
            out[child.name] = [st.st_size, st.st_mtime_ns]
            todo.append(child)
    for child, hashes in zip(todo, _hash_all(todo, threads or os.cpu_count() or 1)):
        out[child.name] += hashes
    return out


def _hash_all(paths: list[Path], threads: int) -> list[list[str]]:
    """[sha1, sampled sha1] of each file, in order; the biggest first when in threads.
    Plain threads, not concurrent.futures: importing that installs a fork hook."""
    one = lambda path: [file_hash(path), sample_hash(path)]     # noqa: E731
    if threads < 2 or len(paths) < 2:
        return [one(p) for p in paths]
    import threading
    done: list = [None] * len(paths)
    queue = sorted(range(len(paths)), key=lambda i: paths[i].stat().st_size)   # pop(): biggest

    def hash_some() -> None:
        while queue:
            try:
                i = queue.pop()
            except IndexError:
                return
            try:
                done[i] = one(paths[i])
            except BaseException as e:     # raised in the caller's thread, below
                done[i] = e
    pool = [threading.Thread(target=hash_some) for _ in range(min(threads, len(paths)))]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    for got in done:
        if isinstance(got, BaseException):
            raise got
    return done


def add_samples(gen: Path, index_files: dict) -> dict:
    """Index files recorded before sampled hashes were kept, with them (each file checked
    against its full hash first; a file that fails keeps no sample, and fails at next open)."""
    out = {}
    for name, entry in index_files.items():
        if len(entry) == 3:
            try:
                if file_hash(gen / name) == entry[2]:
                    entry = [*entry, sample_hash(gen / name)]
            except OSError:
                pass
        out[name] = entry
    return out


def sample_hash(path: Path) -> str:
    """sha1 of a file's first and last 64 KB and of 32 blocks of 4 KB spread evenly between
    (the whole file when it is smaller): a few page reads, so it is checked on every open.
    It catches a file overwritten or truncated with its size and time kept, and damage to a
    segment's header and table of contents; a stray byte elsewhere is caught when it is read
    (see store.IndexStore.repair)."""
    h = hashlib.sha1()
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size <= SAMPLE_EDGE * 2 + SAMPLE_BLOCKS * SAMPLE_BLOCK:
            h.update(f.read())
            return h.hexdigest()
        fd = f.fileno()
        h.update(os.pread(fd, SAMPLE_EDGE, 0))
        step = (size - 2 * SAMPLE_EDGE) // SAMPLE_BLOCKS
        for i in range(SAMPLE_BLOCKS):
            h.update(os.pread(fd, SAMPLE_BLOCK, SAMPLE_EDGE + i * step))
        h.update(os.pread(fd, SAMPLE_EDGE, size - SAMPLE_EDGE))
    return h.hexdigest()


def _same_file(st: os.stat_result, other: Path) -> bool:
    try:
        o = other.stat()
    except OSError:
        return False
    return (st.st_ino, st.st_dev) == (o.st_ino, o.st_dev)


def check_files(gen: Path, index_files: dict, full: bool = False) -> str | None:
    """What is wrong with a generation's files, or None. Checks each file's size and sample
    hash; hashes all of a file only when its mtime moved, or when `full`."""
    if not index_files:
        return "has no index files"
    for name, (size, mtime_ns, digest, *sample) in index_files.items():
        path = gen / name
        try:
            st = path.stat()
            if st.st_size != size or ((full or st.st_mtime_ns != mtime_ns)
                                      and file_hash(path) != digest) \
                    or (sample and sample_hash(path) != sample[0]):
                return f"has a damaged file ({name})"
        except FileNotFoundError:
            return f"is missing a file ({name})"
        except OSError as e:
            return f"has an unreadable file ({name}: {e.strerror or e})"
    return None


def move_aside(folder: Path) -> str:
    """Move a folder found in place of the manifest out of the way (never delete it)."""
    aside = folder / f"{MANIFEST}.moved-aside-{time.time_ns():x}"
    os.rename(folder / MANIFEST, aside)
    return f"the folder in place of the index manifest was moved to {aside}"


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
        elif name.startswith(OLD_FILES + ("extracted",)) and child.is_file():   # + entity records
            child.unlink(missing_ok=True)
        elif name.startswith(f".{MANIFEST}.") and name.endswith(".tmp"):
            child.unlink(missing_ok=True)   # a manifest write cut short
