"""Search: the right passage found, the right words highlighted."""
import pytest

from search.engine import Engine

from conftest import write_files

ARTICLES = {
    "visit.md": "---\ntitle: Premier visits Da Nang\ndate: 2025-03-14\n---\n"
                "Prime Minister Phạm Minh Chính toured the port of Đà Nẵng on Friday.\n\n"
                "He spoke about the South China Sea and about maritime law.\n\n"
                "Trade with the United States grew 20 per cent last year.\n",
    "ties.txt": "Hanoi and Washington upgraded ties. The U.S. and Viet Nam signed a deal.\n\n"
                "Pham Minh Chinh said the sea routes matter. China was not mentioned by name.\n\n"
                "Vietnam sells shrimp to the US.\n",
    "other.txt": "Nothing about the sea or partnership here, only tariffs and tariffs again.\n",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    write_files(root, ARTICLES)
    e = Engine([root], tmp_path_factory.mktemp("ix"))
    e.update()
    return e


def matched(hit):
    return [hit.text[s:e] for s, e in hit.spans]


def test_diacritics_fold_both_ways(engine):
    for q in ("Pham Minh Chinh", "Phạm Minh Chính"):
        res = engine.search(q)
        assert res.total == 2
        assert {(h.doc, h.passage) for h in res.hits} == {("visit", 1), ("ties", 2)}
        words = {w for h in res.hits for w in matched(h)}
        assert words == {"Phạm", "Minh", "Chính", "Pham", "Chinh"}
    hit = engine.search("Da Nang").hits[0]
    assert (hit.doc, hit.passage, matched(hit)) == ("visit", 1, ["Đà", "Nẵng"])
    assert engine.search("đà nẵng").hits[0].doc == "visit"


def test_vietnamese_names_that_fold_to_stop_words_are_kept(tmp_path):
    write_files(tmp_path / "c", {
        "names.txt": "General Secretary Tô Lâm arrived in Hanoi.\n\n"
                     "Farmers from Lâm Đồng met the minister.\n\n"
                     "It’s a start, said Ân, who went to the talks with Lâm.\n"})
    engine = Engine([tmp_path / "c"], tmp_path / "ix")
    engine.update()
    found = engine.search("Tô Lâm")
    assert (found.total, found.hits[0].passage, matched(found.hits[0])) == (1, 1, ["Tô Lâm"])
    assert engine.search('"Tô Lâm"').total == 1
    assert engine.search("Ân").hits[0].passage == 3
    plain = engine.search("To Lam")                  # every Lâm, Tô Lâm first
    assert plain.total == 3 and plain.hits[0].passage == 1
    assert matched(plain.hits[0]) == ["Tô Lâm"]
    assert engine.search('"To Lam"').total == 1
    assert engine.search("it’s").total == 0       # and a curly apostrophe is not an accent
    engine.close()


def test_variants_find_each_other(engine):
    us = engine.search("US")
    assert {(h.doc, h.passage) for h in us.hits} == {("visit", 3), ("ties", 1), ("ties", 3)}
    assert "U.S." in matched(next(h for h in us.hits if h.passage == 1))
    assert "United States" in matched(next(h for h in us.hits if h.doc == "visit"))
    assert engine.search("Vietnam").total == 2       # "Viet Nam" and "Vietnam"
    assert engine.search("Viet Nam").total == 2
    assert matched(engine.search("percent").hits[0]) == ["per cent"]
    # the pronoun "us" is not the country
    assert engine.search("U.S. shrimp").hits[0].doc == "ties"


def test_phrase_matches_only_the_phrase_and_highlights_it_whole(engine):
    res = engine.search('"South China Sea"')
    assert res.total == 1
    hit = res.hits[0]
    assert (hit.doc, hit.passage) == ("visit", 2)
    assert matched(hit) == ["South China Sea"]
    assert engine.search('"sea routes"').hits[0].doc == "ties"
    assert engine.search('"China sea routes"').total == 0


def test_plain_words_all_first_then_most(engine):
    res = engine.search("sea partnership tariffs")
    assert res.total == 1                              # only other.txt has all three
    assert (res.hits[0].doc, res.hits[0].passage) == ("other", 1)
    assert len(res.hits) > 1                           # passages with some of the words follow
    assert set(matched(res.hits[0])) == {"sea", "partnership", "tariffs"}


def test_boolean_fields_wildcard_fuzzy(engine):
    assert {h.doc for h in engine.search("sea NOT China").hits} == {"other", "ties"} - {"ties"} | {"other"}
    assert {h.doc for h in engine.search("sea AND (tariffs OR routes)").hits} == {"other", "ties"}
    assert {h.doc for h in engine.search("title:Nang").hits} == {"visit"}
    assert engine.search("date:2025 maritime").hits[0].doc == "visit"
    assert engine.search("date:2024 maritime").total == 0
    assert {h.doc for h in engine.search("doc:oth*").hits} == {"other"}
    assert "maritime" in matched(engine.search("maritme~").hits[0])
    assert {w.lower() for w in matched(engine.search("tarif*").hits[0])} == {"tariffs"}


@pytest.mark.parametrize("q", ['"unbalanced phrase', "(open bracket", "close bracket)",
                               "sea AND", "OR sea", "AND", "NOT", "~", "\"\"", "*", "sea:", ":",
                               "title:", "a" * 5000, "(((((", "^^^", "[a TO", "{x", "sea~~2~"])
def test_malformed_queries_never_raise(engine, q):
    res = engine.search(q)
    assert res.error or res.notice or res.hits or res.total == 0
    if res.error:
        assert len(res.error) < 200 and "\n" not in res.error


def test_malformed_query_messages(engine):
    res = engine.search('"unbalanced sea')
    assert res.error is None and "unbalanced quote" in res.notice and res.hits
    assert "unknown field 'titel:'" in engine.search("titel:sea").error
    assert engine.search("").error.startswith("empty query")
    assert "every passage" in engine.search("*").error


def test_spelling_suggestion_when_nothing_found(engine):
    res = engine.search("maritme")
    assert res.hits == [] and res.suggestion == "maritime"
    assert engine.search("zzzzqqq").suggestion is None


def test_count_is_honest_for_boolean_queries(seeds):
    for q in ("Vietnam AND China NOT tariff", "Vietnam China", "partnership OR alliance"):
        res = seeds.search(q, limit=1000)
        matching = [h for h in res.hits]
        assert res.total <= len(matching)
        if "OR" not in q and "NOT" not in q:
            full = sum(1 for h in matching if {"vietnam", "china"} <= {
                h.text[s:e].lower().replace("’s", "").replace("'s", "") for s, e in h.spans})
            assert res.total == full


def test_seed_search_finds_the_passage(seeds):
    hit = seeds.search("bamboo diplomacy resilience flexibility").hits[0]
    assert (hit.doc, hit.passage) == ("003_6e9bfccb2d8b88df", 2)
    hit = seeds.search("Algeria Kuwait South Africa").hits[0]
    assert hit.doc == "002_e915b2d15ff91aec" and hit.passage == 1
    assert "**Algeria**" in hit.snippet


def test_related_passages_exclude_self_and_repeats(seeds):
    related = seeds.related("002_e915b2d15ff91aec", 1, limit=5)
    assert 0 < len(related) <= 5
    assert all((h.doc, h.passage) != ("002_e915b2d15ff91aec", 1) for h in related)
    texts = [h.text for h in related]
    assert len(texts) == len(set(texts))
    for h in related:
        assert h.shared_terms
        assert all(t in h.text.lower() for t in h.shared_terms)
    assert seeds.related("nope", 1) is None


def test_show_document(seeds):
    doc = seeds.document("003_6e9bfccb2d8b88df")
    assert doc.authors == ["Wilson Beaver", "Parker Goodrich"]
    assert [p.number for p in doc.passages] == list(range(1, len(doc.passages) + 1))
    assert seeds.passage("003_6e9bfccb2d8b88df", 2).text.startswith("Vietnam’s foreign policy")


def test_search_within_one_document(seeds):
    doc = "003_6e9bfccb2d8b88df"
    everywhere = seeds.search("South China Sea", limit=200)
    inside = seeds.search("South China Sea", limit=200, doc=doc)
    assert inside.hits and all(h.doc == doc for h in inside.hits)
    assert [(h.passage, h.spans) for h in inside.hits] == \
        [(h.passage, h.spans) for h in everywhere.hits if h.doc == doc]
    assert inside.total == sum(1 for h in everywhere.hits[:everywhere.total] if h.doc == doc)
    assert seeds.search('"South China Sea"', doc="no-such-doc").hits == []
