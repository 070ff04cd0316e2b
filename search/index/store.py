"""The on-disk index: where it lives, building it, keeping it current by content hash.

Crash safety, damage detection and concurrent use come from `recovery` (complete generations
named by an atomically replaced manifest) and `locking` (kernel-released file locks). When the
cache folder cannot be written (read-only, full) the index is built in memory with a message
(its temporary files in memory too: `mapped.MemoryStorage`).

A corpus file is re-read when its stat signature (size, mtime, ctime) moved and its
content hash changed, or when its entry in its folder's metadata.yaml changed (that file's
signature and hash are in the manifest, each document's entry as a short digest).

What is checked when (cost at 10,000 articles):
- `vnexplore index` (`verify`): every index file hashed in full (about 0.5 s), then as below.
- every open: the manifest parses and its files account for its passages (a sum over the
  files); each index file's size and sampled checksum (`recovery.sample_hash`: about 0.4 MB
  read in all), a full hash of any file whose mtime moved; when the index is current, every segment is
  opened (the searcher so opened is the engine's first one). Anything wrong: a message and a rebuild.
- when a read fails (`IndexStore.repair`, used by the engine; or an update that merges a
  damaged segment): the generation's files are hashed in full (about a second); if they
  differ from the manifest, the index is rebuilt with a message, else the error is raised.
"""
from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from whoosh.index import LockError

from search.index import buildproc
from search.corpus import files as corpus
from search.index import generations as R
from search.index.locking import FileLock
from search.index.codec.mapped import MappedStorage, MemoryStorage
from search.model import LoadWarning
from search.index.generations import MANIFEST, State  # noqa: F401  (MANIFEST re-exported)
from search.index.schema import make_schema, passage_fields
from search.index.write.parallel import WorkerError
from search.index.write.options import IndexOptions
from search.index.write.writer import open_writer
from search.index.whooshapi import segments

INDEX_NAME = "passages"
Progress = Callable[[int, int, str], None]   # (done, total, what)


class IndexUnusable(Exception):
    """The index cannot be opened or written; the message says why."""


class _Busy(OSError):
    """Another process holds the write lock past the timeout."""


@dataclass
class UpdateReport:
    built: bool = False          # a full (re)build happened
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    documents: int = 0
    passages: int = 0
    warnings: list[LoadWarning] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)   # about the index itself, for the user

    @property
    def touched(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


def default_index_dir(folders: list[Path]) -> Path:
    from platformdirs import user_cache_dir
    key = "\n".join(sorted(str(Path(f).resolve()) for f in folders))
    digest = hashlib.sha1(key.encode(errors="surrogateescape")).hexdigest()[:12]
    name = "-".join(Path(f).resolve().name for f in folders)[:40] or "corpus"
    name = name.encode(errors="surrogateescape").decode(errors="replace")
    return Path(user_cache_dir("vnexplore")) / "indexes" / f"{name}-{digest}"


def _canonical(src, roots: dict) -> str:
    """The file's path below its resolved corpus folder, so a folder given relatively and
    absolutely names the same files (string work: this runs for every file on every start)."""
    folder = str(src.corpus)
    root = roots.get(folder)
    if root is None:
        root = roots[folder] = str(Path(folder).resolve())
    path = str(src.path)
    if path.startswith(folder + os.sep):
        return root + path[len(folder):]
    return os.path.join(root, str(src.path.relative_to(src.corpus)))


def open_generation(gen: Path):
    """A generation's Whoosh index, its segments read through maps (no copy into memory)."""
    return MappedStorage(str(gen)).open_index(INDEX_NAME)


def passage_count(ix) -> int:
    """Passages in the index, from its table of contents (ix.doc_count() opens every segment)."""
    return sum(seg.doc_count() for seg in segments(ix))


class IndexStore:
    """A Whoosh index of passages for a set of corpus folders, with a manifest of file hashes.

    What the index knows of entities it is handed by whoever builds the store (the engine):
    `entity_names`, a hook `passage -> [folded entity names]` for the `entity` field, with
    optional attributes `fingerprint` (str: a change re-indexes every passage), `extract`
    (document -> its record, stored with the generation) and `records` (the module that keeps
    them: `write`, `read`, `in_memory`, `FAILED`, `RECORDS`; search.entities.extracted), and
    `files` (the entity files, so a child process can make the same hook). The index never
    imports search.entities or search.timeline."""

    def __init__(self, folders: list[Path], index_dir: Path | None = None,
                 entity_names=None, options: IndexOptions | None = None):
        self.folders = [Path(f) for f in folders]
        self.options = options or IndexOptions()     # how the index is written
        self.dir = Path(index_dir) if index_dir else default_index_dir(self.folders)
        self.entity_names = entity_names   # the hook (above); None: no entity field
        self.analysis = str(getattr(entity_names, "fingerprint", ""))
        self.ix = None
        self.temporary = False             # True when the index lives in memory only
        self.verify = False                # hash every index file in full when opening
        self._state: State | None = None
        self._inuse: FileLock | None = None
        self._opened = None                # a searcher opened to check the index, not yet used
        self.child = None                  # a buildproc.Child at work for this store
        self.child_main: str | None = None  # module run with -m for that (search.buildchild)
        self._records = None               # entities and events of an index in memory

    # -- open / build / update ------------------------------------------------
    def update(self, rebuild: bool = False, progress: Progress | None = None,
               lock_timeout: float = 10.0) -> UpdateReport:
        """Bring the index in line with the files: full build if needed, else only changed files."""
        report = UpdateReport()
        sources = corpus.scan(self.folders, report.warnings)
        scan_warnings = len(report.warnings)
        child = self._in_child(sources, progress, rebuild)
        rebuild = rebuild and child is None        # done by the child: open what it made
        try:
            try:
                self._update_on_disk(sources, rebuild, progress, lock_timeout, report)
            except Exception as e:         # an update merging a damaged segment: rebuild
                damage = None if isinstance(e, OSError) else self.damage(e)
                if damage is None:
                    raise
                report.messages.append(damage)
                self._update_on_disk(sources, True, progress, lock_timeout, report)
        except OSError as e:               # read-only or full cache, or another writer too long
            reason = str(e) if isinstance(e, _Busy) else \
                f"cannot write the index at {self.dir} ({e.strerror or e})"
            del report.warnings[scan_warnings:]
            report.added, report.changed, report.removed = [], [], []
            self._build_in_memory(sources, progress, report)
            report.messages.append(f"{reason}; built a temporary index in memory, "
                                   "nothing was saved")
        if child is not None:              # what the child found while indexing
            report.built = report.built or child.built
            for kind, docs in child.files.items():
                setattr(report, kind, getattr(report, kind) or docs)
            report.warnings += [w for w in child.warnings if w not in report.warnings]
            report.messages += [m for m in child.messages if m not in report.messages]
        report.passages = passage_count(self.ix)
        return report

    def _in_child(self, sources, progress: Progress | None, rebuild: bool):
        """From a process with other threads (the app), a big update runs in a child
        process that can fork its workers (search.index.buildproc). The child, or None."""
        files = getattr(self.entity_names, "files", None)
        if threading.active_count() == 1 or (os.cpu_count() or 1) < 2 or files is None \
                or self.child_main is None or self.pending(sources, rebuild) < self.options.parallel_from:
            return None
        child = self.child = buildproc.Child(self.child_main)
        try:
            done = child.run(self.folders, self.dir, files, progress, rebuild, self.options)
        finally:
            self.child = None
        if child.stopped:
            raise IndexUnusable("the update was stopped")
        return child if done else None

    def pending(self, sources, rebuild: bool = False) -> int:
        """About how many of the files an update would index (by size and time, not content)."""
        if len(sources) < self.options.parallel_from:
            return len(sources)
        state, _ = R.read_state(self.dir)
        if rebuild or state is None or state.analysis != self.analysis:
            return len(sources)
        return len(self._diff(sources, state.files, UpdateReport())[1])

    def stop(self) -> None:
        """End an update running in a child process (from another thread)."""
        if self.child is not None:
            self.child.stop()

    def _update_on_disk(self, sources, rebuild, progress, lock_timeout, report) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if not rebuild and self._open_current(sources, report):
            self._tidy()
            return
        lock = FileLock(self.dir / R.LOCK)
        if not lock.acquire(lock_timeout):
            if rebuild:
                self._open_current(sources, report)
            if self._state is not None:
                report.messages.append("another vnexplore is updating the index; "
                                       "showing the last complete one")
                return
            raise _Busy(f"another vnexplore is building the index at {self.dir}")
        with lock:
            if not rebuild and self._open_current(sources, report):
                R.sweep(self.dir)          # another process brought it up to date meanwhile
                return
            if (self.dir / MANIFEST).is_dir():
                report.messages.append(R.move_aside(self.dir))
            elif not rebuild and self._state is None and not (self.dir / MANIFEST).exists() \
                    and any(p.name.startswith(R.GEN_PREFIX) for p in self.dir.iterdir()):
                # checked under the lock: not a first build still at work
                report.messages.append(f"the index at {self.dir} was missing its manifest "
                                       "(deleted, or a first build was stopped); rebuilding it")
            self._write_generation(sources, rebuild, progress, lock_timeout, report)
            R.sweep(self.dir)

    def _tidy(self) -> None:
        """Sweep what a killed or finished writer left, if no writer is at work now."""
        keep = self._state.generation
        if any(p.name.startswith(R.GEN_PREFIX) and p.name != keep for p in self.dir.iterdir()):
            try:
                with FileLock(self.dir / R.LOCK) as lock:
                    if lock.acquire(0):
                        R.sweep(self.dir)
            except OSError:
                pass                       # read-only: leave it

    def _open_current(self, sources, report) -> bool:
        """Open the last complete index (self.ix). True when it also matches the files."""
        self._state = None                 # no base for an update unless opened again here
        problem = opened = None
        for _ in range(5):                 # the generation may be swept just as we open it
            state, problem = R.read_state(self.dir)
            if state is None:
                break
            gen = self.dir / state.generation
            lock = R.reader_lock(gen)
            if lock is None:
                again, _ = R.read_state(self.dir)
                if again is not None and again.generation != state.generation:
                    continue
                problem = "is missing its files"
                break
            problem = R.check_files(gen, state.index_files, full=self.verify)
            ix = None
            if problem is None:
                new_files, todo = self._diff(sources, state.files, UpdateReport())
                current = not todo and new_files.keys() == state.files.keys() \
                    and state.analysis == self.analysis and not self._side_moved(state)
                try:
                    ix = open_generation(gen)
                    if passage_count(ix) != state.passages:
                        problem = "has lost passages"
                    elif current:          # open every segment (to be replaced otherwise):
                        opened = ix.searcher()     # the engine's first searcher
                except Exception as e:    # any Whoosh failure on a damaged index
                    problem = f"cannot be read ({type(e).__name__})"
            if problem:
                lock.release()
                break
            self._use(ix, state, lock, opened)
            report.documents = len(state.files)
            return current
        if problem:
            message = f"the index at {self.dir} {problem}; rebuilding it"
            if message not in report.messages:
                report.messages.append(message)
        return False

    def _use(self, ix, state: State | None, lock: FileLock | None, opened=None) -> None:
        if self._opened is not None and self._opened is not opened:
            self._opened.close()
        if self._inuse is not None and self._inuse is not lock:
            self._inuse.release()
        self.ix, self._state, self._inuse, self._opened = ix, state, lock, opened
        self.temporary = state is None

    def _write_generation(self, sources, rebuild, progress, lock_timeout, report) -> None:
        base = None if rebuild else self._state
        if base is not None and base.analysis != self.analysis:
            report.messages.append("the entity gazetteer changed; re-indexing every passage")
            base = None
        old_files = base.files if base else {}
        report.built = base is None
        new_files, todo = self._diff(sources, old_files, report)
        todo = self._drop_untouched(todo, new_files)
        side, forced = self._side_changes(sources, new_files, base)
        todo += forced
        if base and not todo and not report.removed:   # only file times moved
            state = State(base.generation, new_files, base.passages,
                          R.add_samples(self.dir / base.generation, base.index_files),
                          base.analysis, side)
            R.write_state(self.dir, state)
            self._state = state
            return
        gen = R.new_generation(self.dir, self.dir / base.generation if base else None)
        try:
            if base:
                ix = open_generation(gen)
            else:
                ix = MappedStorage(str(gen)).create_index(make_schema(), indexname=INDEX_NAME)
            new_files.update(self._write(ix, todo, report, progress, lock_timeout, gen,
                                         self.dir / base.generation if base else None))
            state = State(gen.name, new_files, passage_count(ix),
                          R.fingerprint(gen, self.dir / base.generation if base else None,
                                        base.index_files if base else None), self.analysis,
                          side)
            lock = R.reader_lock(gen)
            R.write_state(self.dir, state)           # the commit point
        except BaseException:
            import shutil
            shutil.rmtree(gen, ignore_errors=True)
            raise
        self._use(ix, state, lock)
        report.documents = len(new_files)

    def _build_in_memory(self, sources, progress, report) -> None:
        storage = MemoryStorage()
        ix = storage.create_index(make_schema(), indexname=INDEX_NAME)
        report.built = True
        new_files, todo = self._diff(sources, {}, report)
        self._write(ix, todo, report, progress, 0)
        self._use(ix, None, None)
        report.documents = len(todo)

    def _diff(self, sources, old_files: dict, report: UpdateReport):
        """Which documents to (re)index: by size and mtime first, confirmed by content hash."""
        new_files, todo = {}, []
        seen, roots = set(), {}
        for src in sources:
            seen.add(src.doc)
            old = old_files.get(src.doc)
            path = _canonical(src, roots)
            if old and old.get("size") == src.size and old.get("mtime_ns") == src.mtime_ns \
                    and old.get("ctime_ns", src.mtime_ns) == src.ctime_ns \
                    and old.get("path") == path:
                new_files[src.doc] = old
                continue
            todo.append((src, _entry(src, roots, path), old))
        report.removed = sorted(d for d in old_files if d not in seen)
        return new_files, todo

    def _side_signatures(self) -> dict:
        """{corpus folder: stat signature of its metadata.yaml}, for those that have one."""
        out = {}
        for folder in self.folders:
            try:
                st = os.stat(folder / corpus.METADATA_FILE)
            except OSError:
                continue
            out[str(folder.resolve())] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        return out

    def _side_moved(self, state: State) -> bool:
        """Some metadata.yaml appeared, went or was touched since the state was written."""
        old = {k: v.get("sig") for k, v in (state.side or {}).items()}
        return state.side is None or old != self._side_signatures()

    def _side_changes(self, sources, new_files: dict, base: State | None):
        """(side state to record, files to re-index): the documents whose entry in a changed
        metadata.yaml differs from what they were indexed with. A manifest from before
        side states were kept takes the files as they are (their entries were not recorded)."""
        side, forced, roots = {}, [], {}
        old_side = base.side if base else {}
        for folder in self.folders:
            key = str(folder.resolve())
            path = folder / corpus.METADATA_FILE
            try:
                st = os.stat(path)
                digest = R.file_hash(path)
            except OSError:
                st = digest = None
            if digest is not None:
                side[key] = {"sig": [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino],
                             "hash": digest}
            old = (old_side or {}).get(key)
            if (old or {}).get("hash") == digest or base is None:
                continue
            entries = corpus.side_metadata(folder) if digest else {}
            for src in sources:
                kept = new_files.get(src.doc)
                if src.corpus != folder or kept is None:
                    continue
                now = meta_digest(entries.get(src.doc))
                if old_side is None:
                    if now:
                        kept["meta"] = now
                elif kept.get("meta", "") != now:
                    del new_files[src.doc]
                    forced.append((src, _entry(src, roots), kept))
        return side, forced

    @staticmethod
    def _drop_untouched(todo, new_files: dict) -> list:
        """Files whose time moved but whose bytes did not: keep their entry, skip indexing."""
        kept = []
        for src, entry, old in todo:
            if old and old.get("path") == entry["path"] and old.get("hash") \
                    and corpus.content_hash(src) == old["hash"]:
                new_files[src.doc] = same = {**old, **entry}
                if "ctime_ns" not in entry:     # recorded only when not the mtime
                    same.pop("ctime_ns", None)
            else:
                kept.append((src, entry, old))
        return kept

    def _write(self, ix, todo, report, progress, lock_timeout, gen=None, base=None):
        """Index `todo`; with `gen`, write the entities and events of the new generation
        there before it is committed (in memory otherwise: `extracted()`)."""
        files = {}
        try:
            writer = open_writer(ix, len(todo), lock_timeout, self.options)
        except LockError as e:
            raise IndexUnusable(f"the index at {self.dir} is locked by another vnexplore; "
                              "try again when it has finished") from e
        try:
            for doc_id in report.removed:
                writer.delete_by_term("doc", doc_id)
            read = partial(_read, entity_names=self.entity_names)
            outcomes = [None] * len(todo)
            for done, (i, outcome) in enumerate(
                    writer.add_each(todo, read, size=lambda item: item[0].size), 1):
                outcomes[i] = outcome
                src = todo[i][0]
                if outcome[2] == "changed":
                    writer.delete_by_term("doc", src.doc)
                if progress:
                    progress(done, len(todo), src.doc)
                if done == len(todo):      # while the workers finish their segments
                    self._keep_records(todo, outcomes, report.removed, gen, base)
            if not todo:
                self._keep_records(todo, outcomes, report.removed, gen, base)
            writer.commit()
        except BaseException as e:
            writer.cancel()
            if isinstance(e, WorkerError):
                raise IndexUnusable(f"the index at {self.dir} could not be built: {e}; "
                                  "try again") from e
            raise
        for (src, entry, old), (digest, indexed, status, warnings, meta, count, _) in \
                zip(todo, outcomes):
            entry["hash"], entry["indexed"] = digest, indexed
            if meta:
                entry["meta"] = meta
            if count is not None:
                entry["passages"] = count
            files[src.doc] = entry
            report.warnings.extend(warnings)
            if status == "changed":
                report.changed.append(src.doc)
            elif status == "added":
                report.added.append(src.doc)
        return files

    def _keep_records(self, todo, outcomes, removed, gen, base) -> None:
        """Write the entities and events of the files indexed into the new generation `gen`
        (in memory without one). Called as soon as the last file has been read: a parallel
        build's workers are then still writing their segments, and the ~1 s this takes at
        10,000 articles runs beside them instead of after them. Still before the commit."""
        records = {todo[i][0].doc: o[6] for i, o in enumerate(outcomes) if o[2] != "same"}
        kept = getattr(self.entity_names, "records", None)
        if getattr(self.entity_names, "extract", None) is None or kept is None:
            self._records = None
            if gen is not None and kept is not None:
                (gen / kept.RECORDS).unlink(missing_ok=True)
        elif gen is not None:
            kept.write(gen, base, records, removed)
        else:
            self._records = kept.in_memory(records)

    def damage(self, error: BaseException) -> str | None:
        """After `error` while reading the index: what is wrong with its files, hashed in full
        against the manifest (a second or so at 10,000 articles, only after an error), or None
        when they are sound and the error is something else."""
        state = self._state
        if state is None or isinstance(error, (IndexUnusable, KeyboardInterrupt)):
            return None
        problem = R.check_files(self.dir / state.generation, state.index_files, full=True)
        if problem is None:
            return None
        kind = type(error)
        name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
        return f"the index at {self.dir} {problem} ({name} while reading it); rebuilding it"

    def repair(self, error: BaseException, progress: Progress | None = None):
        """Rebuild the index when `error` came from damaged files: the report, else None."""
        message = self.damage(error)
        if message is None:
            return None
        report = self.update(rebuild=True, progress=progress)
        report.messages.insert(0, message)
        return report

    def close(self) -> None:
        """Let go of the index (and of the hold on its generation, so it can be swept)."""
        self._use(None, None, None)

    def extracted(self):
        """The entity and event records stored with the open index (by the hook's `records`:
        search.entities.extracted.Records), or None when there are none."""
        kept = getattr(self.entity_names, "records", None)
        return kept.records_of(self) if kept is not None else None

    @property
    def generation(self) -> str | None:
        """The open index's generation (what it holds: each update makes a new one), or None
        for an index in memory."""
        return self._state.generation if self._state is not None and not self.temporary \
            else None

    def searcher(self):
        if self.ix is None:
            raise IndexUnusable("the index is not open")
        if self._opened is not None:
            opened, self._opened = self._opened, None
            return opened
        return self.ix.searcher()


def _read(item, entity_names):
    """One file to (re)index -> ((hash, indexed, status, warnings), its passages' fields).
    Status: "added", "changed", or "same" (touched but not changed: nothing to index)."""
    src, entry, old = item
    warnings: list[LoadWarning] = []
    doc, digest = corpus.read_source(src, warnings)
    indexed = doc is not None
    meta = meta_digest(corpus.side_metadata(src.corpus).get(src.doc))
    if old and old.get("hash") == digest and old.get("indexed") == indexed \
            and old.get("meta", "") == meta:
        return (digest, indexed, "same", warnings, meta, old.get("passages"), None), ()
    passages = passage_fields(doc, entity_names) if doc is not None else ()
    count = len(doc.passages) if doc is not None else 0
    extract = getattr(entity_names, "extract", None)
    kept = getattr(entity_names, "records", None)
    found = None
    if extract is not None and kept is not None and doc is not None:
        try:
            found = extract(doc)
        except Exception:              # the entity panes redo it and say what went wrong
            found = kept.FAILED
    return (digest, indexed, "changed" if old else "added", warnings, meta, count, found), passages


def _entry(src, roots: dict, path: str | None = None) -> dict:
    """A file's manifest entry before indexing: where it is and its stat signature (the
    change time only when it differs from the mtime, as it seldom does: a smaller manifest
    is read faster at every start)."""
    entry = {"path": path or _canonical(src, roots), "size": src.size, "mtime_ns": src.mtime_ns}
    if src.ctime_ns != src.mtime_ns:
        entry["ctime_ns"] = src.ctime_ns
    return entry


def meta_digest(meta) -> str:
    """A short digest of a document's entry in metadata.yaml ("" when it has none)."""
    if not isinstance(meta, dict) or not meta:
        return ""
    def plain(v):
        if isinstance(v, (list, tuple)):
            return tuple(plain(x) if not isinstance(x, (list, dict)) else "?" for x in v[:1000])
        return str(v) if not isinstance(v, dict) else "?"
    text = repr(sorted((str(k), plain(v)) for k, v in meta.items()))
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]
