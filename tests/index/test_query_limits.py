"""Every query finishes in bounded time (issue #10, item 5): fuzzy distance is capped in every
field, NOTs are one set difference, and what would still take long is refused with a message.
(Times are measured by benchmarks/bench_hostile_queries.py, never here.)"""
from __future__ import annotations

import pytest
from whoosh import query

from conftest import write_files
from search.index import query as Q
from search.engine import Engine

WORDS = "trade sea summit tariff vessel patrol treaty reef envoy cable".split()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Forty one-passage articles: article i holds the words w with i % (k + 2) == 0 for the
    k-th word, so which passages hold which words is known exactly."""
    root = tmp_path_factory.mktemp("limits")
    files = {}
    for i in range(40):
        words = [w for k, w in enumerate(WORDS) if i % (k + 2) == 0] or ["nothing"]
        files[f"a{i:02}.txt"] = f"Passage of {' and '.join(words)} here.\n"
    engine = Engine([write_files(root / "c", files)], root / "ix")
    engine.update()
    yield engine
    engine.close()


def having(word: str) -> set[int]:
    k = WORDS.index(word)
    return {i for i in range(40) if i % (k + 2) == 0}


def numbers(result) -> set[int]:
    return {int(h.doc[1:]) for h in result.hits}


def nots(q: query.Query) -> int:
    return isinstance(q, query.Not) + sum(nots(c) for c in q.children())


@pytest.mark.parametrize("field,word", [("text", "partnership"), ("title", "vietnam"),
                                        ("doc", "001_edadbcb588683d8"), ("date", "2025-13"),
                                        ("entity", "chna")])
def test_fuzzy_distance_is_lowered_to_two_in_every_field(seeds, field, word):
    near = seeds.search(f"{field}:{word}~2", limit=100)
    far = seeds.search(f"{field}:{word}~9", limit=100)
    assert near.error is None and near.notice is None
    assert far.error is None and far.notice == f"fuzzy distance lowered to {Q.MAX_FUZZY_DIST}"
    assert far.total == near.total and [h.doc for h in far.hits] == [h.doc for h in near.hits]


def test_fuzzy_still_finds_close_words_outside_the_text(seeds):
    assert seeds.search("doc:001_edadbcb588683d8~2").total == 7     # one letter short
    assert seeds.search("date:2025-13~9").total > 0                 # 2025-12, 2025-11, ...


def test_negation_only_queries_are_every_passage_minus_the_union(small):
    q = " ".join(f"NOT {w}" for w in WORDS[:4])
    result = small.search(q, limit=40)
    expected = set(range(40)) - set().union(*(having(w) for w in WORDS[:4]))
    assert result.error is None and result.total == len(expected) and numbers(result) == expected
    parsed = Q.parse(q, small.searcher.schema, small.searcher.reader()).all_words
    assert isinstance(parsed, query.AndNot) and isinstance(parsed.a, query.Every)
    assert nots(parsed) == 0      # no NOT left for Whoosh to walk passage by passage


def test_many_nots_after_a_word_are_one_not(small):
    q = "sea " + " ".join(f"NOT {w}" for w in WORDS[2:])
    result = small.search(q, limit=40)
    expected = having("sea") - set().union(*(having(w) for w in WORDS[2:]))
    assert result.total == len(expected) and numbers(result) == expected
    assert nots(Q.parse(q, small.searcher.schema, small.searcher.reader()).all_words) == 1


def test_or_with_nots_is_the_union_it_reads_as(small):
    result = small.search("NOT trade OR NOT sea OR reef", limit=40)
    expected = (set(range(40)) - (having("trade") & having("sea"))) | having("reef")
    assert result.error is None and result.total == len(expected) == len(result.hits)
    assert numbers(result) == expected
    one = small.search("reef OR NOT sea", limit=40)
    assert one.total == len(having("reef") | (set(range(40)) - having("sea"))) == len(one.hits)


def test_a_lone_not_counts_what_it_lists(small):
    result = small.search("NOT trade", limit=40)
    assert result.total == 40 - len(having("trade")) == len(result.hits)


@pytest.mark.parametrize("typed,meant", [
    ("NOT NOT trade", "trade"), ("NOT NOT NOT trade", "NOT trade"),
    ("sea NOT NOT trade", "sea trade"), ("sea NOT AND trade", "sea AND trade"),
    ("sea NOT OR trade", "sea OR trade"), ("sea ANDNOT ANDNOT trade", "sea ANDNOT trade"),
    ("sea AND NOT NOT trade", "sea AND trade")])
def test_operators_side_by_side_are_read_as_the_one_they_mean(small, typed, meant):
    """Whoosh's parser failed on these ("cannot read the query: list index out of range")."""
    got, want = small.search(typed, limit=40), small.search(meant, limit=40)
    assert got.error is None and want.error is None and got.total > 0
    assert numbers(got) == numbers(want) and got.total == want.total
    assert got.notice == "operators side by side read as one"


def test_operators_inside_quotes_are_words_of_the_phrase(small):
    assert small.search('"NOT NOT" trade', limit=40).notice is None


def test_too_many_terms_are_refused_and_long_plain_queries_cut(seeds):
    many = " OR ".join(f"word{i}" for i in range(Q.MAX_TERMS + 1))
    result = seeds.search(many)
    assert result.error == (f"the query has {Q.MAX_TERMS + 1} terms, more than {Q.MAX_TERMS}; "
                            "shorten it") and not result.hits
    assert seeds.search(" OR ".join(f"word{i}" for i in range(Q.MAX_TERMS))).error is None
    pasted = " ".join(["partnership"] * Q.MAX_TERMS + ["zzzunknownword"])
    cut = seeds.search(pasted)                     # the word past the limit is not required
    assert cut.error is None and cut.total > 0
    assert f"only the first {Q.MAX_TERMS} words are searched" in cut.notice


def test_too_many_wildcards_and_fuzzy_words_are_refused(seeds):
    mix = ["trad*", "partner*", "secur*", "vietn?m", "chna~", "hanoi~2", "sea*", "strat*",
           "dipl*", "asean~1", "minist*"]
    result = seeds.search(" OR ".join(mix))
    assert result.error and "11 wildcards, fuzzy words or ranges" in result.error
    assert f"more than {Q.MAX_EXPANDING}" in result.error and not result.hits
    assert seeds.search(" OR ".join(mix[:Q.MAX_EXPANDING])).error is None


def test_deep_brackets_are_refused(seeds):
    deep = "(" * (Q.MAX_DEPTH + 1) + "sea" + ")" * (Q.MAX_DEPTH + 1)
    assert seeds.search(deep).error == f"brackets nested more than {Q.MAX_DEPTH} deep; simplify the query"
    ok = seeds.search("(" * Q.MAX_DEPTH + "sea" + ")" * Q.MAX_DEPTH)
    assert ok.error is None and ok.total == seeds.search("sea").total


def test_queries_reading_too_many_postings_are_refused(seeds, monkeypatch):
    r = seeds.searcher.reader()
    vietnam, china = r.doc_frequency("text", "vietnam"), r.doc_frequency("text", "china")
    monkeypatch.setattr(Q, "MAX_POSTINGS", vietnam + china - 1)
    result = seeds.search("Vietnam OR China")
    assert result.error == (f"the query's words occur {vietnam + china:,} times over the "
                            f"passages, more than {vietnam + china - 1:,} can be ranked at once; "
                            "use fewer or rarer words") and not result.hits
    assert seeds.search("Vietnam OR zzzunknownword").error is None


def test_plain_queries_rank_most_words_by_the_rarest(seeds, monkeypatch):
    r = seeds.searcher.reader()
    monkeypatch.setattr(Q, "TAIL_POSTINGS", r.doc_frequency("text", "vietnam") - 1)
    result = seeds.search("Vietnam zzzunknownword", limit=5)
    assert result.error is None and result.total == 0 and not result.hits
    assert result.notice == "passages with only some of the words are ranked without: vietnam"
    monkeypatch.setattr(Q, "TAIL_POSTINGS", 10**9)
    assert seeds.search("Vietnam zzzunknownword", limit=5).hits


def test_a_compound_or_marks_only_the_words_of_branches_that_match(small):
    result = small.search("(trade AND sea) OR reef", limit=40)
    expected = (having("trade") & having("sea")) | having("reef")
    assert result.total == len(expected) and numbers(result) == expected
    for hit in result.hits:
        marked = {hit.text[s:e].lower() for s, e in hit.spans}
        i = int(hit.doc[1:])
        both = i in having("trade") and i in having("sea")
        assert marked == {w for w, ok in [("trade", both), ("sea", both),
                                          ("reef", i in having("reef"))] if ok}, hit.text


def test_respelling_tries_only_the_first_unknown_words(seeds):
    from search.engine import SUGGEST_WORDS
    result = seeds.search(" ".join(["partnershipz"] * (SUGGEST_WORDS + 3)))
    assert result.total == 0 and result.suggestion.split().count("partnership") == SUGGEST_WORDS


def test_a_fuzzy_stop_word_is_left_out_like_the_word(seeds):
    assert seeds.search("a~2 sea").total == seeds.search("sea").total > 0
    assert seeds.search("title:a~9").error == ("nothing to search for: the query has only "
                                               "common words or operators")


def test_a_range_over_too_many_words_is_refused_by_name(tmp_path):
    words = [f"w{i:05}x" for i in range(Q.MAX_EXPANSION + 10)]
    corpus = write_files(tmp_path / "c", {f"f{j}.txt": " ".join(words[j::20]) + ".\n"
                                          for j in range(20)})
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    result = engine.search("[w0 TO w3]")
    assert result.error == (f"'text:[w0 TO w3]' matches more than {Q.MAX_EXPANSION} words; "
                            "make it more specific") and not result.hits
    assert engine.search("[w00010x TO w00019x]").total == 10
    engine.close()
