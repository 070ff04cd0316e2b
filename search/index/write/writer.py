"""Opening a Whoosh writer that is fast for the job at hand.

- Postings blocks are plain arrays (`search.index.codec.blocks`), not Whoosh's pickled tuples: decoding
  common words' blocks was most of a search's time. A word in one passage is kept in the
  term table.
- A segment's postings are grouped in memory and written a block at a time
  (`search.index.write.segment`), not sorted, pickled to disk in runs and merged one posting at a time.
- While writing postings Whoosh asks, for every posting, whether the field has a length
  column; for fields without one that is a file-exists check on disk each time. The codec
  below remembers the answer per segment.
- Many new files are indexed by forked workers, one per core, each reading and indexing
  its share into its own segment (`search.index.write.parallel`), when the process has no other
  threads: the command line, or the process the app starts for a big update
  (`search.index.buildproc`, run as `search.buildchild`); not the app itself.
Index files are the same format with or without several processes.
"""
from __future__ import annotations

import os
import signal
import sys
import threading

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader
from whoosh.filedb.filestore import FileStorage

from search.index.write.segment import FastSegmentWriter
from search.index.write.parallel import ParallelWriter
from search.index.codec.blocks import BlockMatcher, BlockWriter, InlineMatcher
from search.index.codec.perdoc import PerDocWriter
from search.index.codec.terms import FieldWriter
from search.index.write.options import DEFAULT, IndexOptions



class _PerDocReader(W3PerDocReader):
    def has_column(self, fieldname):
        cache = self.__dict__.setdefault("_has_column", {})
        if fieldname not in cache:
            cache[fieldname] = W3PerDocReader.has_column(self, fieldname)
        return cache[fieldname]


class Codec(W3Codec):
    """Whoosh's codec with array postings blocks (search.index.codec.blocks), remembering which
    columns a segment has."""

    def __init__(self, blocklimit=None, compression=0, inlinelimit=2):
        W3Codec.__init__(self, blocklimit=blocklimit or DEFAULT.block_postings,
                         compression=compression,
                         inlinelimit=inlinelimit)

    def per_document_writer(self, storage, segment):
        return PerDocWriter(self, storage, segment)

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return _PerDocReader(storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:                     # term vectors: Whoosh's own blocks
            return W3Codec.postings_writer(self, dbfile, byteids)
        return BlockWriter(dbfile, blocklimit=self._blocklimit, compression=0,
                           inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return InlineMatcher(terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return BlockMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


def die_with(parent: int) -> None:
    """Ask the kernel to kill this process when `parent` dies (even by SIGKILL), instead of
    working on, or waiting forever on a queue nobody will fill (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:            # the parent died before the request took hold
        os._exit(1)


def _die_with_parent() -> None:
    """In a forked worker of the build."""
    die_with(os.getppid())


_fork_hook = False


def children_die_with_this_process() -> None:
    """From now on, every child forked by this (single-threaded, building) process dies
    with it. Installed by the first parallel build, not at import."""
    global _fork_hook
    if not _fork_hook and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_die_with_parent)
        _fork_hook = True


def open_writer(ix, documents: int, timeout: float, options: IndexOptions = DEFAULT):
    """A writer for adding about `documents` documents (several processes for a big build)."""
    kwargs = dict(timeout=timeout, codec=Codec(blocklimit=options.block_postings),
                  compound=options.compound)
    procs = min(os.cpu_count() or 1, options.max_procs)
    # Sub-writers are forked: only from a process with no other threads (a fork copies
    # other threads' held locks, and Python 3.12+ warns about forking a threaded process).
    if procs > 1 and documents >= options.parallel_from and isinstance(ix.storage, FileStorage) \
            and threading.active_count() == 1:
        children_die_with_this_process()
        return ParallelWriter(ix, procs, **kwargs)
    return FastSegmentWriter(ix, **kwargs)
