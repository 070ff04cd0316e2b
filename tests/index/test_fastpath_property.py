"""The fast search paths against plain Whoosh over random histories of a corpus.

Generated articles are added, changed and deleted in random steps, indexed by one process
in postings blocks of 2 to 5 (so changes delete whole blocks, first ones included). After
every step each query's hits (in order), scores, highlight spans and total from
Engine.search and from search.index.score.top are compared with Whoosh's own searcher on the same
index. The fast paths are checked to have run (bulk scoring of one word, pruned AND and OR,
the evaluator), so a fall back to Whoosh cannot make the test pass."""
from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query

from search.index.score import evaluate
from search.index.score import top as fastscore
from search.index.score import bulk, pruned
from search.index.write.options import IndexOptions
from search.index import query as Q
from search.index.analysis import WORD_PAIR_SEP
from search.engine import Engine
from search.index.highlight import merge_spans

# Few words, of very unequal frequency: common words span many blocks, rare ones score high.
VOCAB = ["river"] * 5 + ["trade"] * 3 + ["mekong"] * 2 + ["rice"] * 2 + ["port", "delta"]
TITLES = ["river report", "trade notes", "delta report", "port"]
QUERIES = ["river", "delta", "mekong", "river trade", "delta river", "river trade delta port",
           '"river trade"', '"mekong delta"', "mekong OR delta", "river NOT delta",
           "trade AND (mekong OR rice)", "river ANDMAYBE delta", "title:report",
           "title:report river", "doc:d1", "mek*", "ricee~", "zzz"]
LIMITS = (1, 3, 1000)
NAMES = 8                       # article names d0 .. d7: puts and deletes hit the same ones

passage = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=6)
article = st.tuples(st.sampled_from(TITLES), st.lists(passage, min_size=1, max_size=6))
change = st.one_of(st.tuples(st.just("put"), st.integers(0, NAMES - 1), article),
                   st.tuples(st.just("delete"), st.integers(0, NAMES - 1), st.none()))
history = st.tuples(st.sampled_from([2, 3, 5]),            # postings per block
                    st.dictionaries(st.integers(0, NAMES - 1), article, min_size=3),
                    st.lists(st.lists(change, min_size=1, max_size=3), min_size=2, max_size=4))


def article_text(title: str, passages: list[list[str]]) -> str:
    body = "\n\n".join(" ".join(words).capitalize() + f" {n}." for n, words in
                       enumerate(passages))
    return f"---\ntitle: {title}\n---\n\n{body}\n"


# -- the reference: Whoosh's own searcher and matchers --------------------------------------
def whoosh_spans(reader, docnum: int, terms) -> list[tuple[int, int]]:
    """Spans of matched terms read through Whoosh's own matchers (deleted passages filtered
    by Whoosh), a word pair where its second word follows its first."""
    decode = reader.schema["text"].format.decode_characters

    def chars(word):
        if ("text", word) not in reader:
            return []
        m = reader.postings("text", word)
        m.skip_to(docnum)
        return decode(m.value()) if m.is_active() and m.id() == docnum else []

    spans = []
    for field, word in terms:
        word = word.decode("utf-8") if isinstance(word, bytes) else word
        if field == "text":
            spans += [(s, e) for _, s, e in chars(word)]
        elif field == "pairs":
            first, _, second = word.partition(WORD_PAIR_SEP)
            ends = {pos: e for pos, _, e in chars(second)}
            spans += [(s, ends[pos + 1]) for pos, s, _ in chars(first) if pos + 1 in ends]
    return merge_spans(spans)


def whoosh_ranking(s, q) -> list[tuple[int, float]]:
    """Every match of q by Whoosh, best first (ties: lower docnum first). An OR with a
    coordination scale: the formula over Whoosh's own per-word scores, with T the words
    found in the index (Whoosh's matcher recounts T as words run out; see evaluate._or)."""
    if not getattr(q, "scale", None):
        return [(h.docnum, h.score) for h in s.search(q, limit=None)]
    words = [t for t in q.subqueries if (t.fieldname, t.text) in s.reader()]
    per_word = [{h.docnum: h.score for h in s.search(t, limit=None)} for t in words]
    n, scores = len(words), {}
    for d in set().union(*per_word):
        found = [p[d] for p in per_word if d in p]
        scores[d] = (sum(found) * q.boost + (len(found) - 1) / (n - q.scale) ** 2) * (n - 1) / n
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def reference(engine: Engine, text: str, limit: int):
    """(total, [(docnum, score, spans)]) the plain Whoosh way, as Engine.search composes it:
    the passages with all the words, then (plain words) those with most of them."""
    s = engine.searcher
    parsed = Q.parse(text, s.schema, s.reader())
    matched = {h.docnum: h.matched_terms() for h in s.search(parsed.all_words, limit=None,
                                                              terms=True)}
    ranked = whoosh_ranking(s, parsed.all_words)
    assert len(ranked) == len(matched)
    found = ranked[:limit]
    if parsed.any_words is not None and len(found) < limit:
        matched.update((h.docnum, h.matched_terms()) for h in s.search(
            parsed.any_words, limit=None, terms=True) if h.docnum not in matched)
        seen = {d for d, _ in found}
        found += [(d, sc) for d, sc in whoosh_ranking(s, parsed.any_words)
                  if d not in seen][: limit - len(found)]
    return len(ranked), [(d, sc, whoosh_spans(s.reader(), d, matched[d])) for d, sc in found]


# -- the comparison ---------------------------------------------------------------------------
def compare(engine: Engine, text: str, tally: Counter, calls: list) -> None:
    s = engine.searcher
    for limit in LIMITS:
        total, expected = reference(engine, text, limit)
        calls.clear()
        result = engine.search(text, limit=limit)
        assert calls and all(got is not None for got in calls), f"{text}: not the fast path"
        got = [(engine.docnum(h.doc, h.passage), h.score, h.spans) for h in result.hits]
        where = f"{text!r} limit {limit}"
        assert result.total == total, where
        assert [g[0] for g in got] == [e[0] for e in expected], where
        assert [g[1] for g in got] == pytest.approx([e[1] for e in expected], abs=1.5e-4), where
        assert [g[2] for g in got] == [e[2] for e in expected], where
        tally["searches"] += 1
    parsed = Q.parse(text, s.schema, s.reader())       # fastscore's raw scores, both parts
    for q in filter(None, [parsed.all_words, parsed.any_words]):
        ranked = whoosh_ranking(s, q)
        for limit, count in [(3, True), (3, False), (1000, True)]:
            fast = fastscore.top(s, q, limit, count=count)
            assert fast is not None, f"{text}: {q} not the fast path"
            hits, total = fast
            assert [h.docnum for h in hits] == [d for d, _ in ranked[:limit]], (text, q, limit)
            assert [h.score for h in hits] == pytest.approx([sc for _, sc in ranked[:limit]],
                                                            rel=1e-9), (text, q, limit)
            if count:
                assert total == len(ranked), (text, q)


def first_block_deleted(reader) -> bool:
    """Whether some word's first postings block in some segment holds only deleted passages
    (the case of issue #10), read through the codec's bulk interface."""
    for leaf, _ in [(reader, 0)] if reader.is_atomic() else reader.leaf_readers():
        if not leaf.has_deletions():
            continue
        deleted = leaf.deleted_docs_set
        for word in set(VOCAB):
            if ("text", word) in leaf:
                m = bulk.matcher(leaf, "text", word)[0]
                if set(m.read_block(m.block_bounds()[0][2])[0]) <= deleted:
                    return True
    return False


def run_history(block: int, initial: dict, steps: list, tally: Counter, calls: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for name, art in initial.items():
            (corpus / f"d{name}.md").write_text(article_text(*art), encoding="utf-8")
        engine = Engine([corpus], Path(tmp) / "index",     # one process, as under 400 files
                        options=IndexOptions(block_postings=block, parallel_from=10**9))
        try:
            engine.update()
            for step in [[]] + steps:
                for kind, name, art in step:
                    path = corpus / f"d{name}.md"
                    if kind == "put":
                        path.write_text(article_text(*art), encoding="utf-8")
                    elif path.exists():
                        path.unlink()
                if step:
                    engine.update()
                reader = engine.searcher.reader()
                tally["steps"] += 1
                tally["steps with deletions"] += any(
                    r.has_deletions() for r, _ in ([(reader, 0)] if reader.is_atomic()
                                                   else reader.leaf_readers()))
                tally["first block deleted"] += first_block_deleted(reader)
                for text in QUERIES:
                    compare(engine, text, tally, calls)
        finally:
            engine.close()
        tally["histories"] += 1


@pytest.fixture()
def spied(monkeypatch):
    """One indexing process (as under 400 files) and a record of which fast paths ran."""
    tally, calls = Counter(), []

    def spy(module, name, key, record=None):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            got = real(*args, **kwargs)
            tally[key] += got is not None
            if record is not None:
                record.append(got)
            return got
        monkeypatch.setattr(module, name, wrapper)

    spy(fastscore, "top", "bulk scoring", calls)
    spy(fastscore, "_top_single", "one word by blocks")
    spy(pruned, "and_top", "pruned AND")
    spy(pruned, "or_top", "pruned OR")
    spy(evaluate.Evaluator, "scores", "evaluator")
    return tally, calls


HISTORIES = settings(max_examples=20, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow])


def test_fast_paths_match_whoosh_after_adds_changes_and_deletes(spied):
    tally, calls = spied

    @HISTORIES
    @given(history)
    def check(case):
        run_history(*case, tally, calls)

    check()
    assert tally["histories"] >= 15 and tally["searches"] > 1000
    assert tally["first block deleted"] > 0, "no history deleted a whole first block"
    for path in ["bulk scoring", "one word by blocks", "pruned AND", "pruned OR", "evaluator"]:
        assert tally[path] > 0, f"the {path} path never ran"


def test_an_or_inside_an_and_is_scored_whole_when_only_the_top_is_asked(tmp_path):
    """Found by the property test: with count=False the OR's own best passages (Mekong,
    without trade) were all that was scored, so the AND found nothing."""
    paras = ["Mekong delta rice mekong."] * 5 + ["Trade rice port."] * 3 + ["River port."] * 10
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.md").write_text(
        "\n\n".join(f"{p} {i}" for i, p in enumerate(paras)) + "\n", encoding="utf-8")
    engine = Engine([tmp_path / "c"], tmp_path / "ix")
    s = engine.searcher
    T = query.Term
    q = query.And([T("text", "trade"), query.Or([T("text", "mekong"), T("text", "rice")])])
    expected = s.search(q, limit=2)[:2]
    assert len(expected) == 2
    for count in (True, False):
        hits, _ = fastscore.top(s, q, 2, count=count)
        assert [h.docnum for h in hits] == [h.docnum for h in expected], count
        assert [h.score for h in hits] == pytest.approx([h.score for h in expected]), count
    engine.close()
