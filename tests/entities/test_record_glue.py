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


def test_depends_as_the_plain_code_on_made_up_spans(gaz):
    """Candidates that hold a known name and more, the same span, a span sharing its start or
    its end, or one in another passage; surfaces the gazetteer resolves or not."""
    import random
    rng = random.Random(3)
    surfaces = ["Japan", "The Philippines", "Nowhere Land", "Tô Lâm", "Đà  Nẵng", "Quý Foundation"]
    for _ in range(400):
        found = tuple(("N", "country", rng.randrange(3), s, s + rng.randrange(1, 12), "x")
                      for s in (rng.randrange(30) for _ in range(rng.randrange(8))))
        cands = []
        for _ in range(rng.randrange(1, 8)):
            if found and rng.random() < 0.5:     # around, on or inside a known span
                _, _, n, a, b, _ = rng.choice(found)
                s, e = a - rng.choice([0, 0, 1, 3]), b + rng.choice([0, 0, 1, 4, -1])
            else:
                n, s = rng.randrange(3), rng.randrange(30)
                e = s + rng.randrange(1, 15)
            surface = rng.choice(surfaces)
            cands.append((fold(surface), n, s, e, None, surface))
        rec = (found, tuple(cands))
        local = {c[0]: None for c in cands if rng.random() < 0.5}
        assert X._depends(rec, gaz, local) == plain_depends(rec, gaz, local), rec
    same = ((("N", "country", 1, 4, 9, "x"),), (("japanx", 1, 4, 9, None, "Japanx"),))
    assert X._depends(same, gaz, {}) == ()              # the same span: not swallowed
    assert X._depends((same[0], (("japanx", 1, 4, 10, None, "Japanx"),)), gaz, {}) == \
        (("japanx", False, False),)



DATED_BODY = """Hà Nội, November 27, 2023. Tô Lâm met U.S. envoys in Đà Nẵng.

Vietnam and Japan have signed an agreement on defence cooperation.

“The two sides” upgraded their ties to a comprehensive strategic partnership earlier this month.
"""


def test_a_record_is_the_same_bytes_with_the_article_date_parsed_once(gaz, monkeypatch):
    """find_dates parses the article date once for all its sentences (`dates._parsed`); the
    records made so hold the same bytes as with each sentence parsing it (marshal writes a
    string that something else, such as a memo's key, refers to differently): articles
    dated by their text (a dateline) and by their front matter, a news sentence dated so."""
    from search.corpus import dates as D
    made = [build_document(f"d{i}", f"d{i}.md", DATED_BODY.replace("November 27, 2023", date))
            for i, date in enumerate(["November 27, 2023", "June 2024", "November 27, 2023"])]
    made.append(build_document("front", "front.md", "---\ndate: 2024-06-15\n---\n" + DATED_BODY))
    matcher = Matcher(gaz)
    fast = [X.record(d, gaz, matcher) for d in made]
    assert b"2023-11-27" in fast[0][0] and b"2024-06" in fast[1][0]   # the dates found in the text
    monkeypatch.setattr(D, "_parsed", D.parse_iso)
    assert [X.record(d, gaz, matcher) for d in made] == fast
