"""The segment's pool (search.index.write.pool.MemoryPool.postings) gives each word of the
text and pair fields the postings a plain count of its occurrences gives: docnums in order,
each weighted by its count, and for the text each occurrence's (position, start, end), also
for postings merged in out of order from another segment."""
from __future__ import annotations

import random
import struct
from collections import Counter

from search.index.schema import make_schema
from search.index.write.pool import MemoryPool

SENTENCES = [
    "Tô Lâm met officials in Đà Nẵng; To Lam, An Giang and Can Tho were named.",
    "The U.S. and Viet Nam agreed on 5 per cent of U.S.A. trade with the United States.",
    "China’s “comprehensive strategic partnership” — with ASEAN — was upgraded.",
    "Hà Nội hosted the co-operation talks;\nsea-lane security and rock-n-roll diplomacy.",
    "trade trade trade, Vietnam Vietnam: the trade of the sea and the sea of trade",
    "",
]


def passages(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(0, 4)))
            for _ in range(count)]


def plain_text(flat) -> tuple:
    """(docnums, counts, sizes, values bytes) of a text word's groups (docnum, position,
    start, end), counted one by one."""
    groups = sorted((tuple(flat[i:i + 4]) for i in range(0, len(flat), 4)), key=lambda g: g[0])
    counts = Counter(g[0] for g in groups)
    docs = sorted(counts)
    data = b"".join(struct.pack("<3I", *g[1:]) for g in groups)
    return docs, [float(counts[d]) for d in docs], [12 * counts[d] for d in docs], data


def plain_pairs(docnums) -> tuple:
    counts = Counter(docnums)
    docs = sorted(counts)
    return docs, [float(counts[d]) for d in docs], [b""] * len(docs)


def test_postings_are_the_occurrences_counted_one_by_one():
    pool = MemoryPool(make_schema())
    texts = passages(3, 120)
    for docnum, text in enumerate(texts):
        pool.add_words("text", docnum, text, None)
        pool.add_pairs("pairs", docnum, text)
    # postings merged in from another segment, before the last docnum: out of order
    for word in sorted(pool.fields["text"])[::5]:
        pool.add(("text", word.encode("utf-8"), 7, 2.0, struct.pack("<6I", 40, 1, 3, 41, 5, 9)))
    for word in sorted(pool.fields["pairs"])[::5]:
        pool.add(("pairs", word.encode("utf-8"), 3, 2.0, b""))
    assert pool.unsorted and len(pool.fields["text"]) > 30 and len(pool.fields["pairs"]) > 50
    repeated = 0
    for word, flat in pool.fields["text"].items():
        ids, weights, (sizes, data) = pool.postings("text", word)
        docs, counts, plain_sizes, plain_data = plain_text(flat)
        assert (ids.typecode, weights.typecode, sizes.typecode) == ("I", "f", "I")
        assert (list(ids), list(weights), list(sizes), bytes(data)) == \
            (docs, counts, plain_sizes, plain_data), word
        repeated += max(counts) > 1
    for word, docnums in pool.fields["pairs"].items():
        ids, weights, values = pool.postings("pairs", word)
        assert (ids.typecode, weights.typecode) == ("I", "f")
        assert (list(ids), list(weights), values) == plain_pairs(docnums), word
        repeated += max(weights) > 1
    assert repeated > 20                   # words and pairs twice in a passage were counted
