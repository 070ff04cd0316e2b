"""The segment writer's pool (search.index.write.pool) keeps a passage text's words, pairs and
spelling words, passage after passage, as Whoosh's field.index of each passage gives them:
each word's postings (docnum, weight, value) in docnum order, and each spelling word's count
of passages."""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import accumulate

from search.index.schema import make_schema
from search.index.write.pool import MemoryPool

PASSAGES = [
    "Tô Lâm met Đà Nẵng officials; To Lam and An Giang were named, to Lam it can be near.",
    "The U.S. and Viet Nam agreed: 5 per cent of U.S.A. trade with the United  States.",
    "China’s “comprehensive strategic partnership” — with ASEAN — was upgraded, again.",
    "Hà Nội hosted co-operation talks;\nsea-lane security, and rock-n-roll diplomacy.",
    "trade trade trade: Vietnam, Vietnam, vietnam and VIETNAM; O'Brien's trade.",
    "",
    "a an the of",
    "Đà Nẵng port, Cam Ranh Bay and the South China Sea code of conduct: trade.",
    "Tô Lâm visited the U.S. again; the U.S. visit was his second.",
]


def whoosh_postings(schema, field: str, texts: dict[int, str]) -> dict:
    """{word: [(docnum, weight, value bytes), ...]} from Whoosh's field.index of each text."""
    out = defaultdict(list)
    for docnum, text in texts.items():
        for word, _, weight, value in schema[field].index(text):
            out[word.decode("utf-8")].append((docnum, weight, bytes(value)))
    return dict(out)


def pool_postings(pool: MemoryPool, field: str) -> dict:
    out = {}
    for word in pool.fields.get(field, {}):
        ids, weights, values = pool.postings(field, word)
        if isinstance(values, tuple):                 # the text field: (sizes, bytes)
            sizes, data = values
            ends = list(accumulate(sizes))
            values = [bytes(data[e - n:e]) for e, n in zip(ends, sizes)]
        out[word] = [(d, w, bytes(v)) for d, w, v in zip(ids, weights, values)]
    return out


def test_words_pairs_and_spelling_of_many_passages_are_whooshs():
    schema = make_schema()
    texts = {3 * k + k % 2: text for k, text in enumerate(PASSAGES * 3)}   # gaps in docnums
    pool = MemoryPool(schema)
    for docnum, text in texts.items():
        pool.add_words("text", docnum, text, "spell_text")
        pool.add_pairs("pairs", docnum, text)
    for field in ("text", "pairs"):
        assert pool_postings(pool, field) == whoosh_postings(schema, field, texts), field
    spelling = Counter(w for text in texts.values()
                       for w in schema["text"].spellable_words(text))
    assert dict(pool.fields["spell_text"]) == dict(spelling)
    assert pool.fields["text"]["vietnam"][:4].tolist() == [4, 1, 13, 21]  # docnum, position, span
