"""The term table written with its hash tables in one piece (search.index.codec.terms.TermTable)
is byte for byte Whoosh's OrderedHashWriter: rows, hash tables (with collisions), directory,
extras and key index."""
from __future__ import annotations

import io

from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter
from whoosh.filedb.structfile import StructFile

from search.index.codec.terms import TermTable


def written(cls, keys: list[bytes]) -> bytes:
    buffer = io.BytesIO()
    table = cls(StructFile(buffer))
    table.extras["fieldmap"] = {"text": 0}
    for i, key in enumerate(keys):
        table.add(key, b"v%d" % i)
    table.dbfile.close = lambda: None          # keep the buffer readable
    table.close()
    return buffer.getvalue()


def test_the_term_table_writes_whooshs_bytes():
    words = ["Tô Lâm", "Đà Nẵng", "“quoted”", "U.S.", "co-operation", "line\nbreak", "viet nam"]
    for count in (0, 1, 2, 255, 256, 3000):     # empty, lone, and crowded buckets
        keys = sorted({b"\x00\x00" + f"{words[i % len(words)]} {i}".encode() for i in range(count)})
        ours, whooshs = written(TermTable, keys), written(OrderedHashWriter, keys)
        assert ours == whooshs, count
        reader = OrderedHashReader(StructFile(io.BytesIO(ours)), len(ours))
        assert all(reader[key] == b"v%d" % i for i, key in enumerate(keys))
