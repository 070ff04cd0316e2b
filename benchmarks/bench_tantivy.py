"""tantivy on the same corpus and queries, for scale (optional: `pip install .[bench]`).

Same unit as vnexplore (one document per passage, passages from vnexplore's own loader),
the same folding (lower case, ASCII folding, English stems), top 20 hits with the
highlighted ranges of every matched term (a snippet generator over the whole passage),
the exact count of passages matching all words, then the most-words tail when fewer than 20.
Run through bench_search.py (phase "tantivy"), or alone:
    python benchmarks/bench_tantivy.py CORPUS_DIR INDEX_DIR
"""
from __future__ import annotations

import json
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _analyzer(tantivy):
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold()).filter(tantivy.Filter.stemmer("english"))
            .build())


def build(corpus: Path, index_dir: Path):
    import tantivy
    from search.corpus import files as C
    t0 = time.perf_counter()
    docs, _ = C.load([corpus])
    loaded = time.perf_counter() - t0
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("key", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=True, tokenizer_name="fold")
    sb.add_text_field("text", stored=True, tokenizer_name="fold", index_option="position")
    sb.add_integer_field("number", stored=True)
    schema = sb.build()
    if index_dir.exists():
        shutil.rmtree(index_dir)
    index_dir.mkdir(parents=True)
    ix = tantivy.Index(schema, path=str(index_dir))
    ix.register_tokenizer("fold", _analyzer(tantivy))
    w = ix.writer(heap_size=256_000_000)
    passages = 0
    for d in docs:
        for p in d.passages:
            w.add_document(tantivy.Document(key=f"{d.id}#{p.number}", title=d.title,
                                            text=p.text, number=p.number))
            passages += 1
    w.commit()
    w.wait_merging_threads()
    ix.reload()
    return ix, schema, {"build_s": round(time.perf_counter() - t0, 2),
                        "load_s": round(loaded, 2), "passages": passages}


def _query(tantivy, ix, schema, form, conjunction: bool):
    if isinstance(form, tuple):
        kind, term = form
        if kind == "fuzzy":
            return tantivy.Query.fuzzy_term_query(schema, "text", term, distance=1)
        return tantivy.Query.regex_query(schema, "text", term)
    return ix.parse_query(form, ["text", "title"], conjunction_by_default=conjunction)


def search(tantivy, ix, schema, form, limit: int = 20):
    s = ix.searcher()
    q = _query(tantivy, ix, schema, form, True)
    res = s.search(q, limit, count=True)
    addrs = [a for _, a in res.hits]
    if len(addrs) < limit and isinstance(form, str) and " " in form and '"' not in form \
            and "+" not in form:
        seen = {(a.segment_ord, a.doc) for a in addrs}
        more = s.search(_query(tantivy, ix, schema, form, False), limit + len(addrs))
        addrs += [a for _, a in more.hits
                  if (a.segment_ord, a.doc) not in seen][: limit - len(addrs)]
    gen = tantivy.SnippetGenerator.create(s, q, schema, "text")
    gen.set_max_num_chars(100_000)
    hits = []
    for a in addrs:
        doc = s.doc(a)
        spans = [(r.start, r.end) for r in gen.snippet_from_doc(doc).highlighted()]
        hits.append((doc["key"][0], spans))
    return res.count, hits


def run(corpus: Path, index_dir: Path, repeat: int = 15) -> dict:
    import tantivy
    from queries import query_set
    ix, schema, out = build(corpus, index_dir)
    out["tantivy_version"] = getattr(tantivy, "__version__", None) or _version()
    out["index_mb"] = round(sum(f.stat().st_size for f in index_dir.rglob("*")
                                if f.is_file()) / 2**20, 1)
    out["build_peak_mb"] = _peak_mb()
    per, every = {}, []
    for name, _, form in query_set(corpus):
        total, hits = search(tantivy, ix, schema, form)
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            search(tantivy, ix, schema, form)
            times.append((time.perf_counter() - t) * 1000)
        every += times
        per[name] = {"total": total, "hits": len(hits),
                     "p50_ms": round(statistics.median(times), 2)}
    every.sort()
    out.update({"search_p50_ms": round(statistics.median(every), 2),
                "search_p95_ms": round(every[int(round(0.95 * (len(every) - 1)))], 2),
                "queries": per, "search_peak_mb": _peak_mb()})
    return out


def _version() -> str:
    from importlib.metadata import version
    return version("tantivy")


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), Path(sys.argv[2])), indent=1))
