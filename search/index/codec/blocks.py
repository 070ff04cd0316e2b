"""Postings blocks stored as plain arrays, so reading one costs no unpickling.

Whoosh's own block is a pickled tuple (delta-coded document numbers, weights, one bytes
object per posting's positions) behind a pickled info tuple. Reading a word found in most
passages unpickled about 700 blocks and built 90,000 small objects: most of a search's
time. Here a block is a fixed header followed by arrays read straight from the (mapped) file:

    int32  block length (negative for a term's last block), as in Whoosh
    header count, last docnum, highest weight, shortest and longest field length (bytes),
           how weights are stored, how values are stored
    uint32 docnums[count]
    float32 weights[count]          only when they are not all the same
    uint32 value lengths[count]     only for formats whose values vary in size
    bytes  values

Values (positions and characters) are split only when asked for (spans of the top hits).
The term file, the terms' info and the matcher interface are Whoosh's; only the block
differs, so every Whoosh query, matcher and reader works on it unchanged.
"""
from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left
from itertools import accumulate

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher, W3PostingsWriter
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length, length_to_byte

HEAD = struct.Struct("<iIIdBBBB")
ALL_ONE, ALL_SAME, ARRAY = 0, 1, 2           # how weights are stored
NO_VALUES, FIXED, VARIABLE = 0, 1, 2          # how values are stored
_SWAP = sys.byteorder != "little"             # files are little-endian everywhere


def to_bytes(a: array) -> bytes:
    """An array's bytes, little-endian."""
    if _SWAP:
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def from_bytes(typecode: str, data) -> array:
    """An array of `typecode` from little-endian bytes."""
    a = array(typecode)
    a.frombytes(data)
    if _SWAP:
        a.byteswap()
    return a


class _Joined:
    """A block's values as one bytes object and each value's size (the text field's)."""

    def __init__(self, sizes: array, data: bytes):
        self.sizes, self.data = sizes, data

    def __iter__(self):
        for end, n in zip(accumulate(self.sizes), self.sizes):
            yield self.data[end - n:end]


class BlockWriter(W3PostingsWriter):
    """Whoosh's postings writer with array blocks (document-number postings only)."""

    def add_posting(self, id_, weight, vbytes, length=None):
        # Whoosh's version, without its per-posting type assertions.
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        self._values.append(vbytes)      # always: values stay aligned with docnums
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def add_postings(self, ids: array, weights: array, values, lengths) -> None:
        """A term's postings at once (docnums in order), `lengths` the documents' encoded
        field length bytes (or None): blocks cut by slicing, not posting by posting.
        `values`: a list of bytes, or (each value's size, all values' bytes)."""
        n, size = len(ids), self._blocklimit
        if isinstance(values, tuple):
            sizes, data = values
            offsets = [0, *accumulate(sizes)]
        for start in range(0, n, size):
            if start:
                self._write_block()
            end = start + size
            self._ids, self._weights = ids[start:end], weights[start:end]
            if isinstance(values, tuple):
                self._values = _Joined(sizes[start:end],
                                       data[offsets[start]:offsets[min(end, n)]])
            else:
                self._values = values[start:end]
            self._maxweight = max(0, max(self._weights))
            nonzero = bytes(filter(None, lengths[start:end])) if lengths is not None else b""
            self._minlength = byte_to_length(min(nonzero)) if nonzero else None
            self._maxlength = byte_to_length(max(nonzero)) if nonzero else 0

    def finish_postings(self):
        """Whoosh's, calling the term info's `set_inlined` (Whoosh calls a `set_inline` that
        does not exist, so it could never inline): a word in one passage is kept in the
        term table, with no block of its own."""
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, list(self._values))
        else:
            if len(self._ids):
                self._write_block(last=True)
            terminfo.set_extent(self._startoffset, self._postfile.tell() - self._startoffset)
        self._terminfo = None
        return terminfo

    def _write_block(self, last=False):
        self._terminfo.add_block(self)
        block = encode_block(self._ids, self._weights, self._values, self._format.fixed_value_size(),
                             self._maxweight, length_to_byte(self._minlength),
                             length_to_byte(self._maxlength), last)
        self._postfile.write((b"" if self._blockcount else WHOOSH3_HEADER_MAGIC) + block)
        self._blockcount += 1
        self._new_block()


_ONES: dict[int, bytes] = {}                  # n weights of 1.0, as bytes, by n


def all_ones(weights: array) -> bool:
    """weights.count(1.0) == len(weights), for an array "f", by comparing its bytes: counting
    makes a float object per posting, and most blocks of the text and pair fields weigh all
    their postings 1 (1.0 has one float32 pattern, so the answer is the same)."""
    n = len(weights)
    ones = _ONES.get(n)
    if ones is None:
        ones = (array("f", (1.0,)) * n).tobytes()
        if n <= 4096:
            _ONES[n] = ones
    return weights.tobytes() == ones


def encode_block(ids: array, weights: array, values, fixed: int | None, maxweight,
                 minbyte: int, maxbyte: int, last: bool) -> bytes:
    """One block's bytes, header first (see the module's docstring). `values`: a list of
    bytes, or a _Joined; `fixed`: the format's fixed value size; the shortest and longest
    field lengths as length bytes."""
    n = len(ids)
    parts = [to_bytes(ids)]
    if all_ones(weights):
        wkind = ALL_ONE
    elif weights[0] == maxweight and weights.count(weights[0]) == n:
        wkind = ALL_SAME
    else:
        wkind = ARRAY
        parts.append(to_bytes(weights))
    if isinstance(values, _Joined):
        vkind = VARIABLE
        parts.append(to_bytes(values.sizes))
        parts.append(values.data)
    elif fixed == 0 or not any(values):
        vkind = NO_VALUES
    elif fixed is not None and fixed > 0:
        vkind = FIXED
        parts.append(b"".join(values))
    else:
        vkind = VARIABLE
        parts.append(to_bytes(array("I", map(len, values))))
        parts.append(b"".join(values))
    data = b"".join(parts)
    length = HEAD.size - 4 + len(data)
    head = HEAD.pack(-length if last else length, n, ids[-1], float(maxweight),
                     minbyte, maxbyte, wkind, vkind)
    return head + data


class BlockMatcher(W3LeafMatcher):
    """Whoosh's on-disk postings matcher, reading array blocks.

    Besides Whoosh's one-posting-at-a-time interface it reads in bulk (the interface
    search.index.score and search.index.highlight use; InlineMatcher has the same):
    `postings()` every docnum and weight, `block_bounds()` and `read_block()` the blocks
    one by one, `seek_each()` the postings of given docnums."""

    def postings(self) -> tuple[array, array]:
        """(docnums, weights) of every posting, deleted documents included."""
        self.reset()
        ids, weights = array("I"), array("f")
        while not self._atend:
            self._read_ids()
            self._read_weights()
            ids.extend(self._ids)
            weights.extend(self._weights)
            self._next_block()
        return ids, weights

    def block_bounds(self) -> list[tuple[float, int, int]]:
        """(highest weight, shortest field length, offset) of each block, in order."""
        self.reset()
        out = []
        while not self._atend:
            out.append((self._maxweight, self._minlength, self._blockoffset))
            self._next_block()
        return out

    def read_block(self, offset: int) -> tuple[array, array]:
        """(docnums, weights) of the block at `offset` (from block_bounds)."""
        self._goto(offset)
        self._read_ids()
        self._read_weights()
        return self._ids, self._weights

    def seek_each(self, docs: list[int]):
        """Each of `docs` (sorted) this term has, with the matcher on its posting (so
        weight() and value() are that posting's): blocks are skipped by their last docnum
        and searched by bisection."""
        self.reset()
        i, n = 0, len(docs)
        while i < n and not self._atend:
            if docs[i] <= self._maxid:
                self._read_ids()
                ids, last = self._ids, self._maxid
                while i < n and docs[i] <= last:
                    j = bisect_left(ids, docs[i])
                    if j < len(ids) and ids[j] == docs[i]:
                        self._i = j
                        yield docs[i]
                    i += 1
            self._next_block()

    def _goto(self, position):
        self._blockoffset = position
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        (length, n, maxid, maxweight, minlen, maxlen, self._wkind,
         self._vkind) = HEAD.unpack(self._postfile.get(position, HEAD.size))
        if length < 0:
            self._lastblock = True
            length = -length
        self._nextoffset = position + 4 + length
        self._dataoffset = position + HEAD.size
        self._blocklength, self._maxid, self._maxweight = n, maxid, maxweight
        self._compression = 0
        self._minlength = byte_to_length(minlen)
        self._maxlength = byte_to_length(maxlen)

    def _read_ids(self):
        n = self._blocklength
        self._ids = from_bytes("I", self._postfile.get(self._dataoffset, 4 * n))

    def _read_weights(self):
        n = self._blocklength
        if self._wkind == ALL_ONE:
            self._weights = array("f", (1.0,)) * n
        elif self._wkind == ALL_SAME:
            self._weights = array("f", (self._maxweight,)) * n
        else:
            self._weights = from_bytes("f", self._postfile.get(self._dataoffset + 4 * n, 4 * n))

    def _read_values(self):
        n = self._blocklength
        if self._vkind == NO_VALUES:
            self._values = (None,) * n
            return
        start = self._dataoffset + 4 * n * (2 if self._wkind == ARRAY else 1)
        if self._vkind == FIXED:
            size = self._fixedsize
            data = self._postfile.get(start, size * n)
            self._values = tuple(data[i:i + size] for i in range(0, len(data), size))
            return
        lengths = from_bytes("I", self._postfile.get(start, 4 * n))
        data = self._postfile.get(start + 4 * n, sum(lengths))
        ends = list(accumulate(lengths))
        self._values = tuple(data[e - ln:e] for e, ln in zip(ends, lengths))


class InlineMatcher(ListMatcher):
    """The postings of a word in fewer passages than the inline limit, kept in its term
    info (Whoosh's ListMatcher), with BlockMatcher's bulk interface: one block."""

    def __init__(self, terminfo, format_, term=None, scorer=None):
        ids, weights, values = terminfo.inlined_postings()
        super().__init__(ids, weights, values, format_, scorer=scorer, term=term,
                         terminfo=terminfo)
        self.info = terminfo
        self.bulk = (array("I", ids), array("f", weights))

    def postings(self) -> tuple[array, array]:
        return self.bulk

    def block_bounds(self) -> list[tuple[float, int, int]]:
        return [(self.info.max_weight(), self.info.min_length(), 0)]

    def read_block(self, offset: int) -> tuple[array, array]:
        return self.bulk

    def seek_each(self, docs: list[int]):
        self.reset()
        for d in docs:
            if not self.is_active():
                break
            if self.id() < d:
                self.skip_to(d)
                if not self.is_active():
                    break
            if self.id() == d:
                yield d
