"""The short paths of extraction at index time give what the long ones give: the entity field
taken from the document's scan, institution runs looked for only where one can be."""
from __future__ import annotations

import pytest

from search.corpus.files import load
from search.entities import gazetteer
from search.entities.matcher import Matcher, tokens
from search.entities.mentions import index_hook
from search.entities.names import HEADS, institutions, runs
from search.model import Document, Passage
from search.paths import bundled_seeds

TEXTS = [
    "Researchers at the Mekong Delta Research Institute met the Japan Foundation in Hanoi.",
    "The Hanoi People's Committee and the Vietnam-Japan Friendship Association signed on.",
    "Kim Min-jun of the Korea Foundation spoke; the ASEAN Regional Forum Secretariat Group met.",
    "Officials from China and the Vietnam Institute for Economic and Policy Research spoke.",
    "The U.S. Agency for International Development and the World Bank Group, in Japan.",
    "China Daily; Tô Lâm Foundation — Việt Nam News Agency, 'Asia Power Index' Institute.",
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(gazetteer.load(include_user=False))


def _passages():
    docs, _ = load([bundled_seeds()])
    return [p.text for d in docs for p in d.passages] + TEXTS


def _covered(matcher, text, toks):
    out = set()
    for f in matcher.find(text, {}, toks):
        out.update(k for k, t in enumerate(toks) if f.start <= t.start < f.end)
    return out


def test_institution_runs_are_looked_for_only_where_they_can_be(matcher):
    found = 0
    for text in _passages():
        toks = tokens(text)
        covered = _covered(matcher, text, toks)
        every = [(i, j) for i, j in runs(text, toks, set())      # the long way, everywhere
                 if covered and toks[j].low in HEADS and any(k in covered for k in range(i, j + 1))
                 and not all(k in covered for k in range(i, j + 1))]
        assert institutions(text, toks, covered) == every, text
        found += len(every)
    assert found >= 4          # the texts above do hold institutions around known names


def _doc(doc_id, *paras):
    return Document(doc_id, doc_id, doc_id, passages=[Passage(doc_id, i, t) for i, t in
                                                       enumerate(paras, 1)])


def test_the_entity_field_takes_what_the_extraction_matched(monkeypatch):
    """As the store indexes a document: extract first, then each passage's entity field.
    The field equals a fresh match of each passage, and no passage is matched twice."""
    docs, _ = load([bundled_seeds()])
    docs.append(_doc("li", "Premier Li Qiang met the delegation.", "Li said so.", "Li left."))
    fresh = index_hook(None)
    expected = [[fresh(p) for p in d.passages] for d in docs]
    hook = index_hook(None)
    calls = []
    find = Matcher.find
    monkeypatch.setattr(Matcher, "find", lambda self, text, *a, **k: calls.append(text) or
                        find(self, text, *a, **k))
    for d, want in zip(docs, expected):
        hook.extract(d)
        assert [hook(p) for p in d.passages] == want, d.id
    assert len(calls) == sum(len(d.passages) for d in docs)      # each passage matched once
    assert expected[-1] == [["li qiang"], ["li qiang"], ["li qiang"]]


def test_the_entity_field_matches_afresh_what_the_extraction_did_not_see():
    """Passages asked out of order, or another text under the same id: matched as a fresh
    hook would match them (a surname alone counts only after the full name)."""
    d = _doc("li", "Premier Li Qiang met the delegation.", "Li said so.", "Li left.")
    hook, fresh = index_hook(None), index_hook(None)
    hook.extract(d)
    asked = [d.passages[1], d.passages[0], d.passages[2], Passage("li", 3, "Li and the delegation left.")]
    assert [hook(p) for p in asked] == [fresh(p) for p in asked]
    assert hook(asked[0]) == []            # "Li" before the full name: nobody yet
