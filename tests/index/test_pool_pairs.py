"""The pool keys a passage's word pairs by their two stems while passages arrive and joins
them into the pair's text when its fields are read (search.index.write.pool.MemoryPool.
add_pairs): the words, postings and rows equal the plain path's, a joined string per
occurrence, also with pairs merged in from another segment before and after the join."""
from __future__ import annotations

import random
from collections import Counter, defaultdict

from search.index.analysis import _stem, fold_spans, pairs
from search.index.schema import make_schema
from search.index.write.pool import MemoryPool

SENTENCES = [
    "Tô Lâm met officials in Đà Nẵng; To Lam, An Giang and Can Tho were named.",
    "The U.S. and Viet Nam agreed on 5 per cent of U.S.A. trade with the United States.",
    "China’s “comprehensive strategic partnership” — with ASEAN — was upgraded.",
    "Hà Nội hosted the co-operation talks;\nsea-lane security and rock-n-roll diplomacy.",
    "Vixt Nam and Viêt\tNam and Vixt\tNam trade: vixt nam trade, Vixt Nam Vixt Nam.",
    "trade trade trade, Vietnam Vietnam: the trade of the sea and the sea of trade",
    "Ngô Quyền’s U.K.-Viet Nam talks ended.", "the of and", "",
]


def passages(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(0, 4)))
            for _ in range(count)]


def plain_pairs(text: str) -> list[str]:
    """The pairs of a passage as the plain path joined them, one string per occurrence."""
    return pairs([_stem(w) for w in fold_spans(text)[0]])


def expected(docs: dict[str, list[int]]) -> dict:
    """{pair bytes: (docnums, counts)} of plain lists of docnums, one per occurrence."""
    out = {}
    for word, docnums in docs.items():
        counts = Counter(docnums)
        out[word.encode("utf-8")] = (sorted(counts), [float(counts[d]) for d in sorted(counts)])
    return out


def rows(pool: MemoryPool) -> dict:
    got = {}
    for btext, ids, weights, values, _ in pool.rows("pairs", None):
        assert values == [b""] * len(ids)
        got[btext] = (list(ids), list(weights))
    return got


def test_pairs_keyed_by_stems_are_the_joined_pairs():
    texts = {5 * k + k % 3: text for k, text in enumerate(passages(7, 150))}   # gaps in docnums
    pool, plain = MemoryPool(make_schema()), defaultdict(list)
    for docnum, text in texts.items():
        words = plain_pairs(text)
        assert pool.add_pairs("pairs", docnum, text) == len(words)
        for word in words:
            plain[word].append(docnum)
    assert {"vixt nam trade", "vixt\tnam trade", "vixt nam vixt nam"} <= set(plain)
    got = rows(pool)
    assert list(got) == sorted(got) and len(got) > 60 and max(max(w) for _, w in got.values()) > 1
    assert got == expected(plain)


def test_pairs_merged_in_before_and_after_the_join_are_counted():
    texts = [SENTENCES[4]] + passages(11, 80)   # merged pairs in passages before docnum 3 too
    pool, plain = MemoryPool(make_schema()), defaultdict(list)
    merged = ["vixt nam trade", "trade trade", "a pair no passage has", "to lam"]
    for docnum, text in enumerate(texts):
        if docnum == 40:                  # another segment's postings, before the pairs are joined
            for word in merged:
                pool.add(("pairs", word.encode("utf-8"), 3, 2.0, b""))
                plain[word] += [3, 3]
        pool.add_pairs("pairs", docnum, text)
        for word in plain_pairs(text):
            plain[word].append(docnum)
    assert set(merged[:2] + merged[3:]) <= set(pool.fields["pairs"])     # joined on reading
    for word in sorted(set(pool.fields["pairs"]) - set(merged))[::4]:   # and after the join
        pool.add(("pairs", word.encode("utf-8"), 9, 1.0, b""))
        plain[word].append(9)
    pool.add_pairs("pairs", 200, texts[0] + " Vixt Nam trade")          # more passages after
    for word in plain_pairs(texts[0] + " Vixt Nam trade"):
        plain[word].append(200)
    assert rows(pool) == expected(plain)


def test_a_pool_with_passages_too_short_for_a_pair_still_has_the_field():
    pool = MemoryPool(make_schema())
    assert pool.add_pairs("pairs", 0, "the Vietnam") == 0
    assert pool.fields == {"pairs": {}} and rows(pool) == {}
    pool.cleanup()
    assert pool.fields == {}


def test_two_pairs_of_stems_joining_to_one_text_are_one_word():
    """A stem can hold a space (a variant the folding does not unify), so two keys can join to
    the same text: their postings are that word's, in docnum order, as the plain path had them."""
    pool = MemoryPool(make_schema())
    pool.add_pairs("pairs", 0, "")
    pool._pairs["pairs"][("vixt nam", "trade")] += [1, 4, 4]
    pool._pairs["pairs"][("vixt", "nam trade")] += [2, 4]
    pool._pairs["pairs"][("trade", "vixt nam")] += [3]
    assert rows(pool) == {b"trade vixt nam": ([3], [1.0]),
                          b"vixt nam trade": ([1, 2, 4], [1.0, 1.0, 3.0])}
