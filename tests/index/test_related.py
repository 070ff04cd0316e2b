"""Related passages: related by the rarer words and names they share, not by common words."""
import pytest

from conftest import built_engine

FILLER = "".join(f"Officials in Vietnam said talks on item{i} remained open since spring.\n\n"
                 for i in range(30))
ARTICLES = {
    "a.txt": "China’s coast guard remained near the reef since May, and China ordered "
             "a survey of the reef off Vietnam.\n\n" + FILLER,
    "b.txt": "Australia ordered a survey of the reef near its coast.\n",
    "c.txt": "China’s navy and China ordered a survey of the reef near its coast.\n",
    "d.txt": "The survey remained unfinished since the storm.\n",
    "f.txt": "Vietnam funded the survey.\n",          # a rare word, and a name in most passages
    "e.txt": "The PRC ordered a survey of the reef near its coast.\n",   # China, as b's words
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return built_engine(tmp_path_factory, ARTICLES)


def test_common_words_do_not_relate_passages(engine):
    related = engine.related("a", 1)
    words = {t for h in related for t in h.shared_terms}
    assert "remained" not in words and "since" not in words     # in 31 of 34 passages
    assert not any(h.doc == "a" for h in related)               # the fillers share only those
    assert ("d", 1) not in {(h.doc, h.passage) for h in related}   # one rare word is chance
    assert ("f", 1) not in {(h.doc, h.passage) for h in related}   # and with Vietnam too


def test_possessives_are_one_shared_term(engine):
    hit = next(h for h in engine.related("a", 1) if h.doc == "c")
    assert hit.shared_terms.count("china") == 1 and "china’s" not in hit.shared_terms
    assert len(hit.shared_terms) == len(set(hit.shared_terms))


def test_passages_naming_the_same_entities_come_first(engine):
    order = [h.doc for h in engine.related("a", 1)]
    assert order.index("e") < order.index("b")           # the same words, and China
