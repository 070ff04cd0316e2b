"""The per-document look-ups of record() against the plain code they replace, written out here:
a name's look-up key (fold of strip_the) and the gazetteer entry behind it, and the mentions
kept once accepted names swallow known ones. Made-up names and spans with the hard cases
(Tô Lâm, Đà Nẵng, a leading "the", odd spaces, line breaks, curly quotes, U.S., hyphens) and
the bundled articles."""
from __future__ import annotations

import random
from collections import defaultdict

import pytest

from search.corpus.files import load
from search.corpus.text import fold
from search.entities import gazetteer
from search.entities import mentions as M
from search.entities.matcher import Matcher
from search.paths import bundled_seeds

NAMES = ["Tô Lâm", "Đà Nẵng", "the Philippines", "The Philippines", "THE PHILIPPINES",
         "The  Philippines", "the\u00a0Philippines", "the\nPhilippines", " the Philippines",
         "Theresa May", "The", "the", "There", "Thế Giới", "U.S.", "the U.S.", "Hà  Nội",
         "Hà\nNội", "Hà\tNội", "Japan ", " Japan", "People’s Republic of China",
         "the People`s Republic", "Vietnam–Japan", "anti-dumping", "", "TheHague", "the-Hague",
         "thé Hague", "THE\u2003Hague", "Hồ Chí Minh City", "Lao PDR"]


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.load(include_user=False)


def _names(gaz) -> list[str]:
    names = NAMES + [e.name for e in gaz.entries.values()] + \
        [a for e in gaz.entries.values() for a in e.aliases]
    return names + [f"the {n}" for n in names] + [n.upper() for n in names] + \
        [n.replace(" ", "  ") for n in names] + [n.replace(" ", "\n") for n in names]


def test_a_names_key_is_fold_of_strip_the(gaz):
    names = _names(gaz)
    for name in names:
        assert M.folded_name(name) == fold(gazetteer.strip_the(name)), repr(name)
    assert len(names) > 1000


def _plain_entry(index, name):
    """_Lookups.entry as it was: the name's key, then `gazetteer.get` of its canonical name."""
    key = fold(gazetteer.strip_the(name))
    canonical = index._names.get(key) or M._gazetteer_lookup(index.gazetteer).get(key)
    if canonical is None:
        surfaces = {}
        for m in index._mentions:
            surfaces.setdefault(fold(m[5]), m[0])
        canonical = surfaces.get(key)
    return index.gazetteer.get(canonical) if canonical else None


def test_the_entry_behind_a_name_is_the_plain_one(gaz):
    canon = ["the Philippines", "The  Hague", "Tô Lâm", "Đà\nNẵng", "U.S.", "China", "Japan",
             "ASEAN", "Nowhere Land", "the United States"]
    mentions = [(c, "d", i, 0, len(c), c.upper()) for i, c in enumerate(canon)]
    index = M.DocumentIndex(gaz, mentions)
    found = 0
    for name in _names(gaz) + canon:
        assert index.entry(name) is _plain_entry(index, name), repr(name)
        found += index.entry(name) is not None
    assert found > 500


def _plain_mentions_of(records, accepted):
    """_mentions_of as it was: any() over a generator for each mention."""
    raw, types = [], {}
    for doc, (found, _) in records.items():
        for name, kind, n, s, e, surface in found:
            types[name] = kind
            raw.append((name, doc, n, s, e, surface))
    spans = defaultdict(list)
    for name, kind, places in accepted.values():
        if kind:
            types[name] = kind
        for d, n, s, e, t in places:
            raw.append((name, d, n, s, e, t))
            spans[(d, n)].append((s, e))
    if spans:
        raw = [m for m in raw if (m[1], m[2]) not in spans or not any(
            s <= m[3] and m[4] <= e and (s, e) != (m[3], m[4]) for s, e in spans[(m[1], m[2])])]
    return raw, types


def test_mentions_kept_are_the_plain_ones_on_made_up_spans():
    rng = random.Random(5)
    for _ in range(300):
        found = tuple((f"N{rng.randrange(6)}", "country", rng.randrange(3), s, s + rng.randrange(1, 12),
                       "Tô Lâm") for s in (rng.randrange(40) for _ in range(rng.randrange(12))))
        accepted = {}
        for k in range(rng.randrange(4)):
            places = []
            for _ in range(rng.randrange(1, 4)):
                s = rng.randrange(40)
                places.append((rng.choice("ab"), rng.randrange(3), s, s + rng.randrange(1, 15), "Đà Nẵng"))
            accepted[f"k{k}"] = (f"Name {k}", rng.choice([None, "org"]), places)
        records = {"a": (found, ()), "b": (found[::-1], ())}
        assert M._mentions_of(records, accepted) == _plain_mentions_of(records, accepted)


def test_mentions_kept_share_a_start_or_an_end():
    found = (("Japan", "country", 1, 10, 15, "Japan"), ("Tô Lâm", "person", 1, 20, 26, "Tô Lâm"),
             ("China", "country", 1, 30, 35, "China"), ("U.S.", "country", 2, 0, 4, "U.S."))
    accepted = {"japan foundation": ("Japan Foundation", "org", [("d", 1, 10, 26, "Japan Foundation")]),
                "china": ("China Institute", "org", [("d", 1, 30, 35, "China")]),
                "us": ("U.S.-Vietnam Trade", None, [("d", 2, 0, 4, "U.S.")])}
    raw, _ = M._mentions_of({"d": (found, ())}, accepted)
    kept = {(m[0], m[2], m[3], m[4]) for m in raw}
    assert ("Japan", 1, 10, 15) not in kept and ("Tô Lâm", 1, 20, 26) not in kept   # swallowed
    assert ("China", 1, 30, 35) in kept and ("U.S.", 2, 0, 4) in kept    # the same span: kept
    assert raw == _plain_mentions_of({"d": (found, ())}, accepted)[0]


def test_mentions_kept_are_the_plain_ones_on_the_seeds(gaz):
    docs, _ = load([bundled_seeds()])
    matcher = Matcher(gaz)
    records, lower = {}, set()
    for doc in docs:
        records[doc.id], words = M.scan(doc, gaz, matcher)
        lower |= words
    accepted = M.accepted_names(records, gaz, lower)
    assert M._mentions_of(records, accepted) == _plain_mentions_of(records, accepted)
    for doc in docs:
        local = M.accepted_names({doc.id: records[doc.id]}, gaz, lower)
        mine = M._mentions_of({doc.id: records[doc.id]}, local)
        assert mine == _plain_mentions_of({doc.id: records[doc.id]}, local), doc.id
