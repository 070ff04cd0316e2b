"""record()'s own steps against the plain code they replace, written out here, on made-up
sentences with the hard cases (Tô Lâm, Đà Nẵng, curly quotes, U.S., hyphens, a leading
"the", odd spaces) and on the bundled articles."""
from __future__ import annotations

import pytest

from search.corpus.files import build_document, load
from search.corpus.text import fold
from search.entities import extracted as X
from search.entities import gazetteer
from search.entities.matcher import Matcher
from search.entities.mentions import accepted_names, scan
from search.paths import bundled_seeds

BODY = """Tô Lâm met U.S. envoys in Đà Nẵng; “the Philippines” and The Philippines agreed.

THE   Philippines, the\u00a0Philippines and the Republic of Albania Foundation spoke.

The Vietnam–Japan Friendship Association and the Mekong Delta Research Institute met.

President Halvorsen of Norway met Senator Adebayo; Mr. Tanaka Hiroshi came to Hồ Chí Minh City.

Japan Foundation, the Japan Foundation Group and Vietnam-Japan Institute in Đà Nẵng.
"""


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.load(include_user=False)


def plain_depends(rec, gaz, local: dict) -> tuple:
    """`_depends` as it was: each candidate's surface looked up with `gaz.get`."""
    found, cands = rec
    known: dict = {}
    for _, _, n, s, e, _ in found:
        known.setdefault(n, []).append((s, e))
    out = {}
    for key, n, s, e, _, surface in cands:
        swallows = any(s <= a and b <= e and (s, e) != (a, b) for a, b in known.get(n, ()))
        resolves = gaz.get(surface) is not None
        if swallows or resolves:
            was = out.get(key, (key, key in local, False))
            out[key] = (key, key in local, was[2] or resolves)
    return tuple(out.values())


SURFACES = ["Philippines", "The Philippines", "the Philippines", "THE Philippines",
            "THE  Philippines", "the\u00a0Philippines", "Thé Philippines", "Thephilippines",
            "Republic of Albania", "Republic  of Albania", " Albania", "Albania ", "ALBANIA",
            "Tô Lâm", "To Lam", "Đà Nẵng", "Da\u2003Nang", "Vietnam’s", "U.S.", "the", "The",
            "", "Japan Foundation", "Nguyễn Văn An", "the U.S.", "Thein Sein"]


def test_a_candidate_resolves_as_the_gazetteer_says(gaz):
    answers = {s: X._resolves(gaz, fold(s), s) for s in SURFACES}
    assert answers == {s: gaz.get(s) is not None for s in SURFACES}
    assert answers["The Philippines"] and answers["THE  Philippines"]
    assert not answers["Thé Philippines"]


def _docs():
    docs, _ = load([bundled_seeds()])
    return docs + [build_document("made", "made.md", BODY)]


def test_depends_as_the_plain_lookup(gaz):
    """Scanned with the bundled gazetteer; looked up in it and in one that has since learnt
    some of the names found (a user's file), so that lookups find something."""
    matcher = Matcher(gaz)
    learnt = gazetteer.Gazetteer(entries=dict(gaz.entries))
    for name in ["Mekong Delta Research Institute", "Halvorsen", "Tanaka Hiroshi",
                 "Vietnam-Japan Institute", "Japan Foundation Group", "Hồ Chí Minh City"]:
        learnt.add(gazetteer.Entry(name, "organisation"))
    resolving = 0
    for doc in _docs():
        rec, lower = scan(doc, gaz, matcher)
        local = accepted_names({doc.id: rec}, gaz, lower)
        for lookup in (gaz, learnt):
            deps = X._depends(rec, lookup, local)
            assert deps == plain_depends(rec, lookup, local), doc.id
            resolving += sum(1 for _, _, resolves in deps if resolves)
    assert resolving >= 3       # the lookups decided something
