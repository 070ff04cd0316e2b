"""A passage's stored fields are written by one writer (perdoc.StoredColumn) that pickles
them and frames them as zlib's level 0 does (perdoc.stored_zlib), not through Whoosh's two
column layers and zlib.compress: the same bytes, read back by Whoosh's own reader."""
from __future__ import annotations

import io
import random
import zlib

import pytest
from whoosh.filedb.structfile import StructFile

from search.index.codec import perdoc

TEXTS = [
    "Tô Lâm met officials in Đà Nẵng; the U.S. and Viet Nam agreed.",
    "China’s “comprehensive strategic partnership” — with ASEAN — was upgraded.",
    "co-operation talks;\nsea-lane security\r\nand rock-n-roll diplomacy.",
]


@pytest.mark.parametrize("size", [0, 1, 2, 255, 256, 1200, 4096, 16383, 16384, 16385,
                                  65531, 65532, 65535, 65536, 200_000])
def test_stored_zlib_is_zlibs_level_0(size):
    """Every size a length field (two bytes) and the one-block limit make different, random
    bytes (an Adler-32 sum of every byte value) and repeated text (which level 0 must not
    shrink)."""
    rng = random.Random(size)
    noise = bytes(rng.randrange(256) for _ in range(size))
    text = (" ".join(TEXTS) * (size // 100 + 1)).encode()[:size]
    for data in (noise, text, b"\xff" * size, bytes(size)):
        assert perdoc.stored_zlib(data) == zlib.compress(data, 0)
        assert zlib.decompress(perdoc.stored_zlib(data)) == data


def column_bytes(column, values: list) -> bytes:
    f = StructFile(io.BytesIO())
    w = column.writer(f)
    for docnum, v in values:
        w.add(docnum, v)
    w.finish(values[-1][0] + 2)
    return f.file.getvalue()


def test_stored_column_writes_whooshs_bytes_and_reads_back():
    """Dicts of article text (accents, curly quotes, line breaks), gaps in the docnums, an
    empty dict, None and a stored field over the one-block limit: the column's file is the
    one Whoosh's PickleColumn(CompressedBytesColumn(level=0)) writes, and its reader gives
    each value back (None for a gap)."""
    rng = random.Random(5)
    values, docnum = [], 0
    for i in range(300):
        docnum += rng.choice([1, 1, 1, 2, 40])
        text = " ".join(rng.choice(TEXTS) for _ in range(rng.randint(0, 12)))
        values.append((docnum, {"doc": f"d{i}", "number": i % 7, "text": text,
                                "title": text[:40], "source": ""}))
    values += [(docnum + 1, {}), (docnum + 2, None), (docnum + 3, {"text": "Đà Nẵng " * 5000})]
    fast = column_bytes(perdoc.StoredColumn(), values)
    assert fast == column_bytes(perdoc.STORED_COLUMN, values)
    reader = perdoc.STORED_COLUMN.reader(StructFile(io.BytesIO(fast)), 0, len(fast),
                                         values[-1][0] + 2)
    given = dict(values)
    for n in range(values[-1][0] + 2):
        assert reader[n] == given.get(n)
