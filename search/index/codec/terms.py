"""Writing a field's terms in one loop: each term's postings blocks and its term table row.

Whoosh writes a term through four objects: the field writer starts it, the postings writer
buffers and writes its blocks, a term info object sums their statistics and encodes itself,
and the term table (a hash file) writes the row, asking the file for its position at each
step: about 35 µs a term, and 2,000 articles of the synthetic corpus make 76,000 terms (word
pairs mostly, over half of them in one passage). Here `FieldWriter.add_terms` does the same
work in one loop and writes the same bytes, in larger writes (a segment's commit: 1.3 ->
0.85 ms an article); the blocks are encoded by the function BlockWriter uses
(`search.index.codec.blocks.encode_block`). tests/index/test_term_writer.py compares the
files with those Whoosh's path writes.
"""
from __future__ import annotations

import struct
from hashlib import md5
from itertools import accumulate, starmap
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.filedb.filetables import OrderedHashWriter, md5_hash
from whoosh.system import pack_int, pack_long, pack_ushort

from search.index.codec.blocks import _Joined, all_ones, encode_block

_ROW = struct.Struct("!ii")                  # a term table row: key and value lengths
_INFO = W3TermInfo._struct                   # a term info's statistics
_SLOT = struct.Struct("!Iq")                 # a hash table slot: hash, row position
_EMPTY_SLOT = (0, 0)                         # (no row starts at 0: the file's header does)
_FLUSH = 1 << 20                             # bytes held before writing them out


def _md5_low32(key: bytes) -> int:
    """Whoosh's md5_hash (the low 32 bits of the key's MD5), without the hex round trip."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")


class TermTable(OrderedHashWriter):
    """Whoosh's term table (an ordered hash file) writing its 256 hash tables in one piece.

    Whoosh writes each slot of each table with its own call (two slots a term, a Python
    call and a struct each: about 1 µs a term); here a table's slots are packed at once
    and all tables written together. The bytes are the same."""

    def _write_hashes(self):
        pos, pieces = self.dbfile.tell(), []
        for entries in self.buckets:
            numslots = 2 * len(entries)
            self.directory.append((pos, numslots))
            table = [_EMPTY_SLOT] * numslots
            for entry in entries:                       # (hash, row position)
                slot = (entry[0] >> 8) % numslots
                while table[slot] is not _EMPTY_SLOT:    # taken: the next free slot
                    slot = (slot + 1) % numslots
                table[slot] = entry
            pieces.append(b"".join(starmap(_SLOT.pack, table)))
            pos += _SLOT.size * numslots
        self.dbfile.write(b"".join(pieces))


class FieldWriter(W3FieldWriter):
    """Whoosh's field writer with `add_terms`, writing a field's terms at once."""

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self._tindex.__class__ = TermTable      # the same table, its hashes written at once

    def add_terms(self, terms) -> None:
        """Write each (word bytes, docnums, weights, values, lengths) of the current field,
        words in order: what start_term, the postings writer's add_postings and finish_term
        write for each. docnums: array "I"; weights: array "f"; values: a list of bytes or
        (each value's size, all the values' bytes); lengths: the documents' length bytes
        (a tuple) or None."""
        table, post = self._tindex, self._postwriter
        tfile, pfile = table.dbfile, self._postfile
        hashfn = _md5_low32 if table.hashfn is md5_hash else table.hashfn
        buckets, positions = table.buckets, table.index
        prefix, lastkey = pack_ushort(self._fieldid), table.lastkey
        fixed = self._format.fixed_value_size()
        size, inline = post._blocklimit, post._inlinelimit
        tpos, ppos = tfile.tell(), pfile.tell()
        rows, blocks, held = [], [], 0
        for btext, ids, weights, values, lens in terms:
            key = prefix + btext
            if key <= lastkey:
                raise ValueError("Keys must increase: %r..%r" % (lastkey, key))
            n = len(ids)
            if n == 1 and inline > 1:
                info = _single(ids[0], weights[0], values, lens)
            elif n < inline and n <= size:
                info = _inlined(ids, weights, values, lens)
            else:
                data, info = _blocks(ids, weights, values, lens, size, fixed)
                blocks.append(data)
                info += pack_long(ppos) + pack_int(len(data))
                ppos += len(data)
                held += len(data)
            row = _ROW.pack(len(key), len(info)) + key + info
            rows.append(row)
            positions.append(tpos)
            h = hashfn(key)
            buckets[h & 255].append((h, tpos))
            tpos += len(row)
            held += len(row)
            lastkey = key
            if held > _FLUSH:
                _write(tfile, rows)
                _write(pfile, blocks)
                held = 0
        _write(tfile, rows)
        _write(pfile, blocks)
        table.lastkey = lastkey


def _write(f, pieces: list) -> None:
    f.write(b"".join(pieces))
    pieces.clear()


def _lengths(lens) -> tuple:
    """(shortest, longest) length byte of the documents whose length bytes are `lens`, as
    the postings writer keeps them, (None, 0) when none is given. Whoosh keeps lengths, not
    bytes, but a length byte's length gives back that byte, and the order is the same."""
    if not lens:
        return None, 0
    if 0 not in lens:                      # (nearly always) no empty field to leave out
        return min(lens), max(lens)
    nonzero = bytes(filter(None, lens))
    return (min(nonzero), max(nonzero)) if nonzero else (None, 0)


def _weighs(weights) -> tuple:
    """(max(0, highest weight), 0 + the weights' sum) of a block, without a float object
    per posting when all weigh 1 (most blocks of the text and pair fields)."""
    if all_ones(weights):
        return 1.0, float(len(weights))
    return max(0, max(weights)), 0 + sum(weights)


def _single(docnum: int, weight: float, values, lens) -> bytes:
    """_inlined for a term in one passage (most terms of a segment), made directly."""
    length = lens[0] if lens is not None else 0
    value = values[1][:values[0][0]] if isinstance(values, tuple) else values[0]
    head = _INFO.pack(True, 0 + weight, 1, length, length, max(0, weight), docnum, docnum)
    return head + _pickled_posting(docnum, weight, value)


# The pickle (protocol 2) of ((docnum,), (weight,), (value,)) around its docnum, weight and
# value, each tuple and object memoized in turn (BINPUT 0, 1, ...).
_BYTES_EMPTY = b"c__builtin__\nbytes\nq\x02)Rq\x03\x85q\x04\x87q\x05."
_BYTES_HEAD = b"c_codecs\nencode\nq\x02X"
_BYTES_TAIL = b"q\x03X\x06\x00\x00\x00latin1q\x04\x86q\x05Rq\x06\x85q\x07\x87q\x08."
_UINT8, _UINT16, _INT32 = struct.Struct("<B"), struct.Struct("<H"), struct.Struct("<i")
_DOUBLE = struct.Struct(">d")


def _pickled_posting(docnum: int, weight: float, value: bytes) -> bytes:
    """dumps(((docnum,), (weight,), (value,)), 2), written out directly: pickle's protocol 2
    saves a bytes object by calling codecs.encode on load, a 4 µs dumps for a term in one
    passage (the most common term). Anything but an int docnum under 2**31, a float weight
    and a bytes value goes to dumps."""
    if type(docnum) is not int or type(weight) is not float or type(value) is not bytes \
            or not 0 <= docnum < 1 << 31:
        return dumps(((docnum,), (weight,), (value,)), 2)
    if docnum < 256:
        doc = b"K" + _UINT8.pack(docnum)
    elif docnum < 65536:
        doc = b"M" + _UINT16.pack(docnum)
    else:
        doc = b"J" + _INT32.pack(docnum)
    head = b"\x80\x02" + doc + b"\x85q\x00G" + _DOUBLE.pack(weight) + b"\x85q\x01"
    if not value:
        return head + _BYTES_EMPTY
    text = value.decode("latin-1").encode("utf-8")
    return head + _BYTES_HEAD + _INT32.pack(len(text)) + text + _BYTES_TAIL


def _inlined(ids, weights, values, lens) -> bytes:
    """The term info of a term whose few postings are kept in the term table."""
    shortest, longest = _lengths(lens)
    if isinstance(values, tuple):
        values = _Joined(*values)
    head = _INFO.pack(True, 0 + sum(weights), len(ids), shortest or 0, longest,
                      max(0, max(weights)), ids[0], ids[-1])
    return head + dumps((tuple(ids), tuple(weights), tuple(values)), 2)


def _blocks(ids, weights, values, lens, size: int, fixed) -> tuple[bytes, bytes]:
    """A term's blocks of `size` postings, and its term info without the extent: what
    BlockWriter.add_postings and finish_postings write, and W3TermInfo sums."""
    n = len(ids)
    joined = isinstance(values, tuple)
    if n <= size:                           # one block (most terms): nothing to cut
        low, high = _lengths(lens)
        top, total = _weighs(weights)
        block = encode_block(ids, weights, _Joined(*values) if joined else values, fixed, top,
                             low or 0, high, True)
        info = _INFO.pack(False, total, n, low or 0, high, top, ids[0], ids[-1])
        return WHOOSH3_HEADER_MAGIC + block, info
    if joined:
        sizes, data = values
        offsets = [0, *accumulate(sizes)]
    total, shortest, longest, heaviest = 0, None, 0, 0
    out = []
    for start in range(0, n, size):
        end = start + size
        bids, bweights = ids[start:end], weights[start:end]
        if joined:
            bvalues = _Joined(sizes[start:end], data[offsets[start]:offsets[min(end, n)]])
        else:
            bvalues = values[start:end]
        low, high = _lengths(lens[start:end] if lens is not None else None)
        top, weight = _weighs(bweights)
        total += weight
        shortest = low if shortest is None else min(shortest, low)
        longest, heaviest = max(longest, high), max(heaviest, top)
        out.append(encode_block(bids, bweights, bvalues, fixed, top, low or 0, high, end >= n))
    out[0] = WHOOSH3_HEADER_MAGIC + out[0]
    info = _INFO.pack(False, total, n, shortest or 0, longest, heaviest, ids[0], ids[-1])
    return b"".join(out), info
