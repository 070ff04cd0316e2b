"""Reading compound segment files through mmap, without copying them into memory.

Whoosh opens a compound segment (`*.seg`: all of a segment's files in one) by memory-mapping
it and then wrapping each part in a `BufferFile`, whose `BytesIO(memoryview)` copies the
part: opening a 10,000-article index copied about 180 MB and took about 0.4 s. Here each
part is a `StructFile` over its own read-only map of that byte range: reads come from the
page cache as before (same speed as the copy), nothing is copied, pages load on demand.
The files on disk are unchanged; only how they are read differs.

`MemoryStorage` is the in-memory index used when the cache folder cannot be written. Whoosh's
own `RamStorage` puts a writer's temporary files on disk, in the fixed folder
`$TMPDIR/passages.tmp`: it deletes every file in it at the end (through a symlink planted
there too), two processes using it at once write into each other's files, and when the disk
is full (one reason the index is in memory) the build fails as soon as a segment's columns
outgrow the 32 KB Whoosh buffers before spilling to that folder. Here temporary files are
in memory too.
"""
from __future__ import annotations

import mmap

from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.filedb.structfile import BufferFile, StructFile

COMPOUND_EXT = ".seg"


class MappedStorage(FileStorage):
    """A folder of index files whose compound segments are read through per-part maps."""

    supports_mmap = False       # makes CompoundStorage call subset() on the file we return

    def __init__(self, path, readonly=False):
        super().__init__(path, supports_mmap=False, readonly=readonly)

    def open_file(self, name, **kwargs):
        f = super().open_file(name, **kwargs)
        if name.endswith(COMPOUND_EXT):
            return _CompoundFile(f.file, name=name, onclose=kwargs.get("onclose"))
        return f


class _CompoundFile(StructFile):
    def subset(self, offset, length, name=None):
        if length <= 0:
            return BufferFile(b"", name=name)
        return _MappedPart(self.file.fileno(), offset, length, name or self._name)


class _MappedPart(StructFile):
    """Bytes [offset, offset+length) of a file, read through a private read-only map."""

    def __init__(self, fileno: int, offset: int, length: int, name=None):
        start = offset - offset % mmap.ALLOCATIONGRANULARITY
        self._delta = offset - start
        self._length = length
        self._fileno = fileno
        m = mmap.mmap(fileno, length + self._delta, access=mmap.ACCESS_READ, offset=start)
        m.seek(self._delta)
        super().__init__(m, name=name)
        self.is_real = False        # read_array goes through read(), not fromfile()

    def seek(self, pos, whence=0):
        if whence == 0:
            pos += self._delta
        return self.file.seek(pos, whence)

    def tell(self):
        return self.file.tell() - self._delta

    def get(self, position, length):
        start = position + self._delta
        return self.file[start:start + length]

    def subset(self, position, length, name=None):
        return BufferFile(self.get(position, length), name=name or self._name)

    def __iter__(self):
        return iter(self.file.readline, b"")


class MemoryStorage(RamStorage):
    """Whoosh's in-memory storage with its temporary files in memory as well."""

    def temp_storage(self, name=None):
        return MemoryStorage()
