"""A document's short fields (title, date, doc id, source) hand the pool the same list of items
for each of its passages, and the pool adds them a run of docnums at a time
(search.index.write.pool.MemoryPool.add_field): the postings and lengths equal those of one
posting at a time, with boosts, other lists, generators and merged postings in between."""
from __future__ import annotations

import random
from collections import defaultdict

from search.index.schema import make_schema
from search.index.write.pool import MemoryPool

TITLES = ["Tô Lâm visits Đà Nẵng", "Viet Nam – U.S. ties", "“Sea-lane” talks\nresume",
          "Vietnam and the U.S. talk trade", "", "the of and",
          "Trade, trade and trade talks"]                            # a weight of 3


def plain(calls: list, merged: list) -> dict:
    """{field: {word: [(docnum, weight, value), ...]}}, each posting counted one by one."""
    out = defaultdict(lambda: defaultdict(list))
    for field, docnum, items, boost, _ in calls:
        for word, _, weight, value in items:
            out[field][word].append((docnum, weight * boost, value or b""))
    for field, word, docnum, weight, value in merged:
        out[field][word].append((docnum, weight, value or b""))
    return {f: {w: sorted(p, key=lambda t: t[0]) for w, p in words.items()}
            for f, words in out.items()}


def pooled(pool: MemoryPool) -> dict:
    out = {}
    for field in pool.fields:
        out[field] = {w: list(zip(ids, weights, values))
                      for w, ids, weights, values, _ in pool.rows(field, None)}
    return out


def calls_of(seed: int, schema) -> list:
    """(field, docnum, items, boost, scorable): documents of a few passages each, their
    title and date lists reused passage to passage as the segment writer does."""
    rng, calls, docnum = random.Random(seed), [], 0
    lists = {t: list(schema["title"].index(t)) for t in TITLES}
    for _ in range(60):
        title = lists[rng.choice(TITLES)]
        date = list(schema["date"].index(rng.choice(["2025,2025-12", "2024", ""])))
        for _ in range(rng.randint(1, 5)):
            boost = rng.choice([1.0] * 6 + [2.0])
            items = title if rng.random() < 0.9 else iter(title)        # a generator at times
            calls.append(("title", docnum, items, boost, True))
            calls.append(("date", docnum, date, 1.0, False))
            entity = rng.choice(["china,asean", "china", "Tô Lâm,china"])
            calls.append(("entity", docnum, list(schema["entity"].index(entity)), 1.0, True))
            docnum += rng.choice([1, 1, 2])
    return calls


def test_runs_of_the_same_items_are_the_postings_one_by_one():
    schema = make_schema()
    calls = calls_of(5, schema)
    pool, merged = MemoryPool(schema), []
    for k, (field, docnum, items, boost, scorable) in enumerate(calls):
        if isinstance(items, list):
            want = sum(freq for _, freq, _, _ in items) if scorable else 0
        else:
            items = list(items)
            want = sum(freq for _, freq, _, _ in items)
            items = iter(items)
        assert pool.add_field(field, docnum, items, boost, scorable) == want
        if k in (100, 101, 250):              # another segment's postings, out of order
            for word in (b"china", b"asean", b"2025"):
                item = ("entity" if word != b"2025" else "date", word, 3, 1.0, b"")
                pool.add(item)
                merged.append(item)
    assert pooled(pool) == plain(calls_of(5, schema), merged)     # generators made again


def test_a_run_goes_on_across_documents_handing_the_same_list():
    schema = make_schema()
    pool = MemoryPool(schema)
    items = list(schema["date"].index("2025,2025-12"))
    for docnum in (0, 1, 2, 5, 6):
        pool.add_field("date", docnum, items, 1.0, False)
    pool.add_field("date", 7, list(schema["date"].index("2024")), 1.0, False)
    pool.add_field("date", 8, items, 2.0, False)                 # boosted: not the run's
    pool.add_field("date", 9, items, 1.0, False)
    got = pooled(pool)["date"]
    value = dict((w, v) for w, _, _, v in items)[b"2025"]
    assert got[b"2025"] == [(d, 2.0 if d == 8 else 1.0, value) for d in (0, 1, 2, 5, 6, 8, 9)]
    assert [d for d, _, _ in got[b"2024"]] == [7]
    pool.cleanup()
    assert pool.fields == {}


def test_an_item_list_naming_a_word_twice_keeps_both_postings_in_order():
    schema = make_schema()
    pool = MemoryPool(schema)
    items = [(b"china", 1, 1.0, b""), (b"asean", 1, 1.0, b""), (b"china", 1, 2.0, b"x")]
    for docnum in (0, 1, 4):
        assert pool.add_field("entity", docnum, items, 1.0, True) == 3
    assert pooled(pool)["entity"][b"china"] == [(d, w, v) for d in (0, 1, 4)
                                                 for w, v in ((1.0, b""), (2.0, b"x"))]
