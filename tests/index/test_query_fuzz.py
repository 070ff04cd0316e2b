"""Thousands of generated queries at Engine.search: none raises; each gives results or a clear
error; a wildcard that would expand to the whole vocabulary is refused, not enumerated.
Hostile shapes too (issue #10, item 5): fuzzy words in every field at any distance, hundreds
of NOTs, long mixes of wildcards and fuzzy words, deep brackets, on a corpus of 60 articles.
(How long they take is measured by benchmarks/bench_hostile_queries.py, not here.)"""
from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, write_files
from search.engine import Engine
from search.model import SearchResult
from search.index.query import MAX_EXPANSION, MAX_FUZZY_DIST, MAX_QUERY_CHARS

SYNTAX = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "(", ")", '"', "'", "*", "?", "~",
          "~2", "~99", "^", "^3", "^-1", "^1e309", "[", "]", "{", "}", ":", "-", "+", "\\",
          "/", "!", "&&", "||", "<", ">", "=", ",", "#", "%", "*?*", "**", "\x00", "\u200b",
          "\u202e", "\x1b[31m", "text:", "title:", "date:", "doc:", "source:", "entity:",
          "number:", "key:", "hash:", "pairs:", "meta:", "nope:", "date:[2020 TO", "date:>",
          "date:2025", "title:*", "text:*", "entity:\"", "doc:*#*"]
WORDS = ["vietnam", "Việt Nam", "ASEAN", "trade", "sea", "south", "china", "united states",
         "per cent", "Hà Nội", "đổi mới", "US", "U.S.", "partnership", "the", "a", "of", "x",
         "zzzzzz", "Phạm Minh Chính", "2025", "12", "0", "-1", "é", "ß", "İ", "ﬁ", "中国"]
token = st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS),
                  st.text(min_size=1, max_size=12))
query = st.lists(token, min_size=0, max_size=14).flatmap(
    lambda parts: st.lists(st.sampled_from(["", " ", "  ", "\t", "\n"]), min_size=len(parts),
                           max_size=len(parts)).map(
        lambda seps: "".join(p + s for p, s in zip(parts, seps))))
FUZZ = settings(max_examples=1500, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def check(result: SearchResult) -> None:
    assert isinstance(result, SearchResult)
    if result.error:
        assert isinstance(result.error, str) and result.error.strip() and not result.hits
        assert "\n" not in result.error
        return
    for hit in result.hits:
        assert all(0 <= s < e <= len(hit.text) for s, e in hit.spans)
    assert len(result.hits) <= 10


@FUZZ
@given(q=query)
def test_structured_queries_never_raise(seeds, q):
    check(seeds.search(q, limit=10))


@settings(FUZZ, max_examples=600)
@given(q=st.text(max_size=200))
def test_arbitrary_text_never_raises(seeds, q):
    check(seeds.search(q, limit=10))


@settings(FUZZ, max_examples=40)
@given(q=st.text(alphabet=st.sampled_from("ab*?~()\" :ORANDT"), min_size=MAX_QUERY_CHARS - 50,
                 max_size=MAX_QUERY_CHARS * 3))
def test_very_long_queries_never_raise(seeds, q):
    check(seeds.search(q, limit=10))


def test_lone_surrogates_and_nul_bytes(seeds):
    for q in ["caf\udce9", "\udcff*", '"\ud800 sea"', "sea\x00trade", "title:\udce9"]:
        check(seeds.search(q, limit=10))


def test_whole_vocabulary_wildcards_are_refused(tmp_path):
    words = [f"w{i:05}x" for i in range(3 * MAX_EXPANSION)]
    corpus = write_files(tmp_path / "c", {f"f{j}.txt": " ".join(words[j::30]) + ".\n"
                                          for j in range(30)})
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    assert engine.search("w00042x").total == 1
    for q in ["w*", "*x", "*0*", "w?????x", "*", "?*", "title:*", "text:w*", "w* OR sea",
              "NOT w*", "(w* AND w1*)"]:
        result = engine.search(q, limit=10)
        assert result.error and not result.hits, q
    assert engine.search("w0004*").total == 10                  # a narrow one still runs
    near = engine.search("w00042x~2", limit=500)
    assert near.total and engine.search("w00042x~9", limit=500).total == near.total


# -- hostile shapes, on a moderate corpus --------------------------------------------------
@pytest.fixture(scope="module")
def moderate(tmp_path_factory):
    """60 articles of benchmarks/make_corpus.py (titles, dates, nested document ids, names)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_corpus
    root = tmp_path_factory.mktemp("moderate")
    engine = Engine([make_corpus.build(60, 400, out=root / "c", quiet=True)], root / "ix")
    engine.update()
    yield engine
    engine.close()


TERMS = ["vietnam", "partnership", "comprehensive", "comprehensivestrategic", "strategic",
         "sea", "china", "hanoi", "trade", "00/article-00010", "00/article-0001", "2019-05",
         "2025", "reuters", "a", "ab", "x" * 40, "zq1x", "Nguyễn", "đổi", "U.S."]
FIELD = st.sampled_from(["", "text:", "title:", "doc:", "date:", "source:", "entity:"])
TERM = st.sampled_from(TERMS)
fuzzy = st.builds(lambda f, t, d, p: f"{f}{t}~{d}" + (f"/{p}" if p is not None else ""),
                  FIELD, TERM, st.integers(0, 999), st.none() | st.integers(0, 9))
wild = st.builds(lambda f, t, k: f + [t[:2] + "*", "*" + t[1:4] + "*", t[:1] + "?" * 3, t + "*",
                                      f"[{t[:1]} TO {t[:2]}]"][k], FIELD, TERM, st.integers(0, 4))
word = st.builds(lambda f, t: f + t, FIELD, TERM)
part = st.one_of(word, fuzzy, wild, word.map("NOT {}".format), fuzzy.map("NOT {}".format),
                 word.map('"{} sea"'.format), st.lists(word, min_size=1, max_size=4).map(
                     lambda ws: "(" + " OR ".join(ws) + ")"))
JOIN = st.sampled_from([" ", " AND ", " OR ", " ANDNOT ", " ANDMAYBE "])
mix = st.lists(st.tuples(part, JOIN), min_size=1, max_size=300).map(
    lambda ps: "".join(p + j for p, j in ps).strip())
negations = st.builds(lambda ws, join: join.join(f"NOT {w}" for w in ws),
                      st.lists(word, min_size=1, max_size=300), st.sampled_from([" ", " OR "]))
nested = st.builds(lambda n, w: "(" * n + w + ")" * n, st.integers(1, 400), word)
hostile = st.one_of(fuzzy, wild, negations, mix, nested, st.lists(fuzzy, max_size=40).map(" ".join))


@settings(FUZZ, max_examples=800)
@given(q=hostile)
def test_hostile_queries_run_or_are_refused(moderate, q):
    check(moderate.search(q, limit=10))


@settings(FUZZ, max_examples=200)
@given(field=FIELD, term=TERM, dist=st.integers(MAX_FUZZY_DIST + 1, 9))   # Whoosh reads one digit
def test_fuzzy_distance_is_lowered_in_every_field(moderate, field, term, dist):
    far = moderate.search(f"{field}{term}~{dist}", limit=10)
    near = moderate.search(f"{field}{term}~{MAX_FUZZY_DIST}", limit=10)
    check(far)
    assert (far.total, far.error) == (near.total, near.error)
    assert far.error or far.notice == f"fuzzy distance lowered to {MAX_FUZZY_DIST}"


def test_issue_queries_run_or_are_refused(moderate):
    nots = " ".join(f"NOT zq{i}x" for i in range(300))[:MAX_QUERY_CHARS]
    for q in ["title:comprehensive~9", "title:comprehensivestrategic~9",
              "doc:00/article-00010~9", "date:2019-05~99", "entity:china~50", nots,
              " ".join(f"NOT zq{i}x" for i in range(80)), "vietnam " + nots[:1500]]:
        result = moderate.search(q, limit=10)
        check(result)
        assert result.error or "~" not in q or "fuzzy distance lowered" in result.notice, q
