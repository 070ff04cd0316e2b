"""Whoosh's per-document writer (stored fields, length columns) with fewer calls a field.

For each field of each passage Whoosh's `add_field` formats the length column's name, asks
whether the column exists and fetches its writer (three calls); the stored fields go the
same way at the end of each passage. Here each column's writer is looked up once.

Stored fields (a pickled dict a passage) are written with zlib at level 0, not Whoosh's 3:
deflating each passage cost about a twentieth of a build's CPU (27 us against 3 us for a
passage of 800 bytes), for an index about a tenth bigger. The stream is still zlib's, so
Whoosh's reader reads it as before: no format change. A passage's stored fields are pickled
and framed as zlib's level 0 frames them by one writer (StoredColumn), not by Whoosh's two
column layers and zlib.compress. Otherwise the files written are the
same as Whoosh's (tests/index/test_term_writer.py compares them).

Each field's length column (a byte a passage) is kept in memory and written when the segment
is: Whoosh packs each byte and writes it through two file layers, four Python calls a field of
a passage, for about 115 KB a field in a 10,000-article build.
"""
from __future__ import annotations

import struct
from pickle import dumps
from zlib import adler32, compress

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocWriter, _lenfield
from whoosh.columns import (ColumnWriter, CompressedBytesColumn, NumericColumn, PickleColumn,
                            VarBytesColumn)
from whoosh.util.numeric import length_to_byte

STORED_COLUMN = PickleColumn(CompressedBytesColumn(level=0))   # read as Whoosh's own
_STORED_BLOCK = struct.Struct("<BHH")    # a last stored deflate block: 1, length, ~length
_ADLER = struct.Struct(">I")
_ONE_BLOCK = 16384                       # bytes zlib surely keeps in one stored block
# length_to_byte of the lengths passages have, looked up rather than bisected each time.
_LENGTH_BYTES = bytes(map(length_to_byte, range(1024)))


def length_byte(length: int) -> int:
    """whoosh.util.numeric.length_to_byte(length), by table for lengths under 1024."""
    return _LENGTH_BYTES[length] if length < 1024 else length_to_byte(length)


def stored_zlib(data: bytes) -> bytes:
    """zlib.compress(data, 0), made directly for data under 16 KB (every passage's stored
    fields): a zlib header, one stored deflate block and the Adler-32 sum. Why: compress
    sets up a whole deflate stream (its window and hash tables) for each passage."""
    if len(data) >= _ONE_BLOCK or not _AS_ZLIB:
        return compress(data, 0)
    return _framed(data)


def _framed(data: bytes) -> bytes:
    n = len(data)
    return b"\x78\x01" + _STORED_BLOCK.pack(1, n, n ^ 0xFFFF) + data + _ADLER.pack(adler32(data))


# The framing is used only where it is the zlib library's own (checked once, here): a
# zlib-ng build, say, may frame level 0 differently; it then compresses as before.
_AS_ZLIB = all(_framed(d) == compress(d, 0) for d in (b"", b"x", bytes(range(256)) * 60))


class StoredColumn(PickleColumn):
    """STORED_COLUMN's writer as one class: a passage's stored fields are pickled and
    "compressed" (stored_zlib) in one call, not through two column layers. Same bytes."""

    def __init__(self):
        super().__init__(CompressedBytesColumn(level=0))

    def writer(self, dbfile):
        return StoredWriter(dbfile, 0, "zlib")


class StoredWriter(CompressedBytesColumn.Writer):
    """PickleColumn.Writer over CompressedBytesColumn.Writer (level 0), in one add."""

    def add(self, docnum, v):
        data = stored_zlib(b"" if v is None else dumps(v, 2))
        VarBytesColumn.Writer.add(self, docnum, data)


class LengthColumn(NumericColumn):
    """Whoosh's length column (NumericColumn "B", default 0), written from memory at the end:
    the same bytes, one a document up to the last that is not 0 (Whoosh writes no 0 it need
    not: its reader gives 0 past the end)."""

    def __init__(self):
        super().__init__("B", default=0)

    def writer(self, dbfile):
        return LengthWriter(dbfile)


class LengthWriter(ColumnWriter):
    """A length column's bytes in a bytearray, written by finish."""

    def __init__(self, dbfile):
        super().__init__(dbfile)
        self._bytes = bytearray()

    def add(self, docnum: int, value: int) -> None:
        lengths = self._bytes
        if docnum > len(lengths):
            lengths.extend(bytes(docnum - len(lengths)))
        lengths.append(value)

    def finish(self, doccount: int) -> None:
        self._dbfile.write(bytes(self._bytes.rstrip(b"\0")))


class PerDocWriter(W3PerDocWriter):
    """Whoosh's per-document writer, each column's writer looked up once."""

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self._lengthcolumns: dict = {}      # field name -> its length column's add

    def _create_column(self, fieldname, column):
        if fieldname == "_stored":          # W3PerDocWriter makes it first, with level 3
            column = StoredColumn()
        elif column is LENGTHS_COLUMN:
            column = LengthColumn()
        super()._create_column(fieldname, column)

    def add_field(self, fieldname, fieldobj, value, length):
        if value is not None:
            self._storedfields[fieldname] = value
        if length:
            add = self._lengthcolumns.get(fieldname)
            if add is None:                 # the field's first length: Whoosh's way
                W3PerDocWriter.add_field(self, fieldname, fieldobj, None, length)
                self._lengthcolumns[fieldname] = self._colwriters[_lenfield(fieldname)].add
                return
            add(self._docnum, length_byte(length))
            self._fieldlengths[fieldname] += length

    def finish_doc(self):
        stored = self._storedfields
        if stored:
            self._colwriters["_stored"].add(self._docnum, stored)
            stored.clear()
        self._indoc = False
