"""The fast search paths give what Whoosh's own search gives: same hits, order, scores,
exact counts and highlighted words, also on an index of several segments with deleted
passages (after a file changed) and one built by the two-process writer."""
from __future__ import annotations

import shutil

import pytest
from whoosh import query

from search.index.score import counting
from search.index.score import top as fastscore
from search.index import highlight
from search.index.write.options import IndexOptions
from search.index import query as Q
from search.engine import Engine
from search.paths import bundled_seeds

QUERIES = ["Vietnam", "partnership", "China", '"South China Sea"', "South China Sea",
           "China AND Vietnam NOT Washington", "sea NOT China", "Hanoi AND diplom*",
           "maritme~", "partnrship~", "diplom*", "U.S. defence cooperation",
           "China OR (Vietnam AND Washington)", "title:Vietnam", "Pham Minh Chinh",
           "why is Vietnam wary of an alliance with Washington", "zzzunknownword",
           "To Lam", '"To Lam"', "To Lam Vietnam",
           "(China AND sea) OR (Vietnam AND Washington) OR Hanoi", "NOT sea NOT China",
           "Vietnam OR NOT China", "sea NOT China NOT Hanoi", "(sea OR NOT China) AND Hanoi"]


def whoosh_reference(engine: Engine, text: str, limit: int = 20):
    """The plain Whoosh way: terms=True, every match walked, Whoosh's matched terms."""
    s = engine.searcher
    parsed = Q.parse(text, s.schema, s.reader())
    results = s.search(parsed.all_words, limit=limit, terms=True)
    total = len(list(s.docs_for_query(parsed.all_words)))
    found = results[:limit]
    spans = highlight.spans_for_hits(s.reader(), matched_at(s, parsed.all_words, found))
    if parsed.any_words is not None and len(found) < limit:
        seen = {h.docnum for h in found}
        # Whoosh's CoordMatcher recounts its words as they run out mid-search: the tail's
        # reference is the coordination formula over Whoosh's own per-word scores.
        more = [fastscore.FastHit(s, d, sc) for d, sc in
                coordinated(s, parsed.any_words, limit + len(found)) if d not in seen]
        more = more[: limit - len(found)]
        spans.update(highlight.spans_for_hits(s.reader(), more, counting.query_terms(
            parsed.any_words, highlight.SPAN_FIELDS)))
        found += more
    return total, [(h.docnum, round(h.score, 4), spans.get(h.docnum, [])) for h in found]


class _Matched:
    def __init__(self, docnum, terms):
        self.docnum, self._terms = docnum, terms

    def matched_terms(self):
        return self._terms


def matched_at(s, q, hits) -> list[_Matched]:
    """Whoosh's matched terms of each hit, its matcher moved to that hit (skip_to).

    Its walk over every match (terms=True) can keep a word of a branch that did not match:
    after a change (several segments) `China OR (Vietnam AND Washington)` marked Vietnam in
    a passage with China and Vietnam but no Washington."""
    out = []
    for h in hits:
        for sub, offset in s.leaf_searchers():
            d = h.docnum - offset
            if 0 <= d < sub.reader().doc_count_all():
                m = q.matcher(sub, sub.context(needs_current=True))
                if m.is_active() and m.id() < d:
                    m.skip_to(d)
                terms = list(m.matching_terms(d)) if m.is_active() and m.id() == d else []
                out.append(_Matched(h.docnum, terms))
                break
    return out


def engine_result(engine: Engine, text: str, limit: int = 20):
    r = engine.search(text, limit=limit)
    docnums = [engine.docnum(h.doc, h.passage) for h in r.hits]
    return r.total, [(d, h.score, h.spans) for d, h in zip(docnums, r.hits)]


@pytest.fixture()
def changed_engine(tmp_path, monkeypatch):
    """The seeds, then one article changed: several segments, deleted passages."""
    corpus = tmp_path / "corpus"
    shutil.copytree(bundled_seeds(), corpus)
    engine = Engine([corpus], tmp_path / "index", options=IndexOptions(parallel_from=1))
    engine.update(rebuild=True)
    engine.store.options = IndexOptions(parallel_from=10**9)
    article = sorted(corpus.glob("*.txt"))[1]
    article.write_text(article.read_text(encoding="utf-8")
                       + "\n\nVietnam and China met again over the South China Sea.\n",
                       encoding="utf-8")
    assert engine.update().changed
    yield engine
    engine.close()


@pytest.mark.parametrize("text", QUERIES)
def test_search_matches_plain_whoosh_on_seeds(seeds, text):
    assert engine_result(seeds, text) == whoosh_reference(seeds, text)


@pytest.mark.parametrize("text", QUERIES)
def test_search_matches_plain_whoosh_after_a_change(changed_engine, text):
    reader = changed_engine.searcher.reader()
    assert not reader.is_atomic() and any(r.has_deletions() for r, _ in reader.leaf_readers())
    assert engine_result(changed_engine, text) == whoosh_reference(changed_engine, text)


T = query.Term
SHAPES = [
    T("text", "china"), T("text", "china", boost=2.5), T("date", "2025"), T("doc", "000"),
    query.Or([T("text", "china"), T("text", "vietnam")]),
    query.Or([T("text", "china"), T("title", "vietnam", boost=3.0)], boost=0.5),
    query.Or([T("text", "china"), T("text", "hanoi"), T("text", "zzz")], scale=0.9),
    query.Or([T("text", "sea"), query.And([T("text", "china"), T("text", "vietnam")])]),
    query.And([T("text", "china"), query.Or([T("text", "sea"), T("text", "hanoi")])], boost=2.0),
    query.And([T("text", "vietnam"), query.Not(T("text", "china")), T("date", "2025")]),
    query.And([T("text", "china"), query.Prefix("text", "diplom")]),
    query.Prefix("text", "diplom", boost=4.0), query.Prefix("text", "hanoi", boost=4.0),
    query.Wildcard("text", "partner*"), T("entity", "china"),
]


@pytest.fixture(scope="module")
def small_blocks(tmp_path_factory):
    """The seeds indexed in blocks of 3 postings: every word spans many blocks."""
    engine = Engine([bundled_seeds()], tmp_path_factory.mktemp("small") / "index",
                    options=IndexOptions(block_postings=3))
    engine.update(rebuild=True)
    yield engine
    engine.close()


@pytest.mark.parametrize("text", QUERIES)
def test_search_matches_plain_whoosh_with_small_blocks(small_blocks, text):
    assert small_blocks.searcher.reader().doc_frequency("text", "vietnam") > 30
    assert engine_result(small_blocks, text) == whoosh_reference(small_blocks, text)


@pytest.mark.parametrize("engine_name", ["seeds", "changed_engine", "small_blocks"])
@pytest.mark.parametrize("q", SHAPES, ids=str)
def test_bulk_scoring_scores_like_whoosh(engine_name, q, request):
    s = request.getfixturevalue(engine_name).searcher
    hits, total = fastscore.top(s, q, 15)
    expected = [(d, round(sc, 6)) for d, sc in coordinated(s, q, 15)] if getattr(
        q, "scale", None) else [(h.docnum, round(h.score, 6)) for h in s.search(q, limit=15)]
    assert total == len(list(s.docs_for_query(q)))
    assert [(h.docnum, round(h.score, 6)) for h in hits] == expected


def coordinated(s, q, limit):
    """The coordination formula over Whoosh's own per-word scores, T = the query's words
    found in the index (Whoosh's matcher recounts T as words run out mid-search)."""
    words = [t for t in q.subqueries if (t.fieldname, t.text) in s.reader()]
    per_word = [{h.docnum: h.score for h in s.search(t, limit=None)} for t in words]
    n, scores = len(words), {}
    for d in set().union(*per_word):
        found = [p[d] for p in per_word if d in p]
        scores[d] = (sum(found) * q.boost + (len(found) - 1) / (n - q.scale) ** 2) * (n - 1) / n
    best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return best


def test_bulk_scoring_declines_what_it_cannot_score(seeds):
    s = seeds.searcher
    for q in [query.Phrase("text", ["south", "china"]),
              query.DisjunctionMax([T("text", "china"), T("text", "sea")]),
              query.Or([T("text", "china"), query.Not(T("text", "sea"))]),
              query.And([query.Not(T("text", "sea"))]),
              query.Or([T("text", "china"), query.Prefix("text", "sea")], scale=0.9),
              query.Every("text")]:
        assert fastscore.top(s, q, 5) is None, q


def test_count_is_exact_for_boolean_queries(seeds):
    s = seeds.searcher
    for text in ["China AND Vietnam NOT Washington", "sea NOT China",
                 "China OR (Vietnam AND Washington)", "diplom* AND Hanoi"]:
        q = Q.parse(text, s.schema, s.reader()).all_words
        assert counting.count(s, q) == len(list(s.docs_for_query(q)))


def test_a_two_process_build_finds_what_a_one_process_build_finds(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    for copy in ("a", "b"):          # over 100 passages, so a sub-writer gets a batch
        shutil.copytree(bundled_seeds(), corpus / copy)
    results = []
    for parallel_from, name in ((1, "two"), (10**9, "one")):
        engine = Engine([corpus], tmp_path / name,
                        options=IndexOptions(parallel_from=parallel_from))
        engine.update(rebuild=True)
        segments = 1 if engine.searcher.reader().is_atomic() else \
            len(engine.searcher.reader().leaf_readers())
        found = {}
        for text in QUERIES:
            r = engine.search(text, limit=500)
            found[text] = (r.total, sorted((h.doc, h.passage, h.score, h.spans) for h in r.hits))
        results.append((segments, found))
        engine.close()
    (two_segments, two), (one_segments, one) = results
    assert two_segments >= 2 and one_segments == 1
    assert two == one


@pytest.mark.parametrize("engine_name", ["seeds", "changed_engine", "small_blocks"])
def test_the_tail_skips_what_cannot_reach_the_top_and_finds_the_same(engine_name, request,
                                                                       monkeypatch):
    """A word in most passages is scored only beside rarer words when the best it could
    give alone is below the best found; the best hits are those of scoring everything."""
    s = request.getfixturevalue(engine_name).searcher
    q = Q.parse("why is Vietnam wary of an alliance with Washington", s.schema,
                s.reader()).any_words
    pruned_segments = []
    from search.index.score import pruned
    real = pruned.or_top

    def recording(*args):
        found = real(*args)
        pruned_segments.append(found is not None)
        return found

    monkeypatch.setattr(pruned, "or_top", recording)
    for limit in (1, 5, 20):
        pruned = fastscore.top(s, q, limit, count=False)[0]
        full, total = fastscore.top(s, q, limit)
        assert [(h.docnum, h.score) for h in pruned] == [(h.docnum, h.score) for h in full]
        assert len(full) == min(limit, total)
    assert any(pruned_segments)


@pytest.mark.parametrize("engine_name", ["seeds", "changed_engine", "small_blocks"])
def test_and_scores_only_what_can_reach_the_top_and_finds_the_same(engine_name, request,
                                                                    monkeypatch):
    """Words ANDed: the passages whose best possible score cannot reach the top are
    counted but not scored; hits, scores and counts are those of scoring every match."""
    from search.index.score import pruned
    s = request.getfixturevalue(engine_name).searcher
    scored_shares: list[int] = []
    real_exact = pruned._exact

    def recording(words, scored, lead, neg, boost):
        scored_shares.append(lead)          # -1: every match scored (few of them)
        return real_exact(words, scored, lead, neg, boost)

    for text in ["China AND Vietnam NOT Washington", "China AND Vietnam", "Vietnam AND sea",
                 "partnership AND Vietnam"]:
        q = Q.parse(text, s.schema, s.reader()).all_words
        for limit in (1, 2, 3):
            monkeypatch.setattr(pruned, "_exact", recording)
            fast, fast_total = fastscore.top(s, q, limit)
            monkeypatch.setattr(pruned, "and_top", lambda *args: None)
            plain, plain_total = fastscore.top(s, q, limit)
            monkeypatch.undo()
            assert fast_total == plain_total == len(list(s.docs_for_query(q)))
            assert [(h.docnum, h.score) for h in fast] == [(h.docnum, h.score) for h in plain]
    assert any(lead >= 0 for lead in scored_shares), "the pruned path never ran"


def test_highlights_are_read_from_every_segment(changed_engine):
    """Spans of hits in any segment equal the character offsets Whoosh's own matcher reads."""
    s = changed_engine.searcher
    assert not s.reader().is_atomic()
    hits = changed_engine.search("Vietnam", limit=60).hits
    second = s.reader().leaf_readers()[1][1]          # first docnum of the second segment
    assert len({changed_engine.docnum(h.doc, h.passage) >= second for h in hits}) == 2
    for h in hits:
        docnum = changed_engine.docnum(h.doc, h.passage)
        m = s.reader().postings("text", "vietnam")
        m.skip_to(docnum)
        assert m.id() == docnum
        assert h.spans == highlight.merge_spans((a, b) for _, a, b in m.value_as("characters"))
        assert all(h.text[a:b].lower().startswith("viet") for a, b in h.spans)
