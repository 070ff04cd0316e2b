"""A big build in several processes, each reading, cleaning and indexing its share of the files.

Whoosh's multiprocessing writer reads every document in the parent and pickles it to its
sub-writers through job files, so the parent's reading, cleaning and entity matching ran
beside two sub-writers on two cores. Here the parent only shares out the files (by size,
so the shares are even) and collects what each file turned out to be; each forked worker
reads and indexes its files into a segment of its own, which the parent adds at commit.

Each worker reports through a pipe of its own, not a `multiprocessing.Queue`: a queue's
locks are named POSIX semaphores (`/dev/shm/sem.*`), which a process killed at the wrong
moment leaves behind; a pipe is closed by the kernel, and its end of file says a worker died.

Workers are forked (they share the parent's gazetteer and file list without copying) and
run with the cyclic garbage collector off: indexing makes millions of small containers and
no cycles, and the collector's passes over them cost a quarter of the build.
"""
from __future__ import annotations

import gc
import multiprocessing
import pickle
import traceback
from multiprocessing.connection import wait

from search.index.write.segment import FastSegmentWriter

BATCH = 16          # files per progress report from a worker


class WorkerError(RuntimeError):
    """A worker stopped without finishing (killed, out of memory)."""


def shares(sizes: list[int], procs: int) -> list[list[int]]:
    """Item indexes for each worker: biggest first to the least loaded, each share in order."""
    loads = [0] * procs
    out: list[list[int]] = [[] for _ in range(procs)]
    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        k = loads.index(min(loads))
        out[k].append(i)
        loads[k] += sizes[i] + 1
    return [sorted(s) for s in out if s]


def _work(storage, indexname, kwargs, items, indexes, read, results) -> None:
    """A worker: index items[i] for i in indexes into a new segment, reporting on `results`
    (the writing end of a pipe)."""
    try:
        _index_share(storage, indexname, kwargs, items, indexes, read, results.send)
    finally:
        results.close()


def _index_share(storage, indexname, kwargs, items, indexes, read, put) -> None:
    """Index items[i] for i in indexes into a new segment, `put` what each file was."""
    gc.disable()
    try:
        writer = FastSegmentWriter(storage.open_index(indexname), _lk=False, **kwargs)
        batch = []
        for i in indexes:
            outcome, passages = read(items[i])
            for fields in passages:
                writer.add_document(**fields)
            batch.append((i, outcome))
            if len(batch) >= BATCH:
                put(("files", batch))
                batch = []
        put(("files", batch))
        if writer.docnum:
            put(("segment", writer._finalize_segment()))
        else:
            writer._close_segment()
            put(("segment", None))
    except BaseException as e:
        # No writer.cancel(): it would remove the temporary folder all the writers share.
        # The parent cancels the build, and the store removes the unfinished generation.
        try:
            message = pickle.dumps(e)
        except Exception:
            message = pickle.dumps(RuntimeError(traceback.format_exc()))
        put(("error", message))


class ParallelWriter(FastSegmentWriter):
    """The parent's writer (deletions, merges, the commit) with forked workers for new files."""

    def __init__(self, ix, procs: int, **kwargs):
        super().__init__(ix, **kwargs)
        self.procs = procs
        self.kwargs = kwargs
        self.workers: list = []
        self.new_segments: list = []

    def add_each(self, items: list, read, size=len):
        """Index the items in workers; yield (index, outcome) as they report.

        `read(item) -> (outcome, passages)`: outcome is anything picklable, passages the
        fields of each index document to add. `size(item)` shares the work out."""
        ctx = multiprocessing.get_context("fork")
        pending = {}                       # reading end of a worker's pipe -> (the worker, its number)
        made: dict[int, object] = {}       # worker number -> its segment
        try:
            for indexes in shares([size(item) for item in items], self.procs):
                reader, writer = ctx.Pipe(duplex=False)
                p = ctx.Process(target=_work, daemon=True,
                                args=(self.storage, self.indexname, self.kwargs, items,
                                      indexes, read, writer))
                p.start()
                writer.close()             # the worker's copy is the only one left
                self.workers.append(p)
                pending[reader] = (p, len(self.workers) - 1)
            while pending:
                for reader in wait(list(pending), timeout=1.0):
                    try:
                        kind, value = reader.recv()
                    except EOFError:       # it died before reporting its segment
                        p = pending[reader][0]
                        p.join(timeout=5)
                        raise WorkerError("an indexing worker stopped (exit code "
                                          f"{p.exitcode})") from None
                    if kind == "files":
                        yield from value
                    elif kind == "segment":
                        reader.close()
                        made[pending.pop(reader)[1]] = value
                    else:
                        raise pickle.loads(value)
        finally:
            for reader in pending:
                reader.close()
        for p in self.workers:
            p.join()
        self.workers = []
        # In the workers' order, not the order they finished in: the same files give the
        # same passage numbers (docnums) in every build, so ties in a ranking come out the same.
        self.new_segments += [made[k] for k in sorted(made) if made[k] is not None]

    def _merge_segments(self, mergetype, optimize, merge):
        return super()._merge_segments(mergetype, optimize, merge) + self.new_segments

    def cancel(self):
        for p in self.workers:
            p.kill()
            p.join()
        self.workers = []
        super().cancel()
