"""Measure the readers of saved web pages and PDFs on documents this script generates.

Usage: python benchmarks/bench_formats.py [--pdfs 150] [--pages 300] [--words 2000]
       [--build | --only-build] [--articles 10000] [--label NAME]

  pdf     the same PDFs (multi-page, running header, page-number footer, words hyphenated at
          line ends, paragraphs across pages) read by vnexplore's reader (pypdfium2 + layout),
          by pypdf's extract_text, and by poppler's `pdftotext` (one process per file, as it
          is used): pages per second, and word-level agreement with the text generated
          (recall: share of the article's words recovered; extra: share of words read that
          are not the article's, i.e. headers, footers, split words) and with pdftotext
  html    saved news pages (the article inside navigation, ads, related links, comments and
          a footer): documents per second, share of article words recovered, share of the
          boilerplate's words wrongly kept
  build   (--build) Engine(...).update(rebuild=True) over make_corpus.py --mixed: a third
          each of Markdown, saved pages and PDFs, in a process of its own: wall time and
          CPU time (its own and its workers'), which a busy machine disturbs less;
          --text-only builds the Markdown corpus the same way, for comparison
Prints a table and writes benchmarks/out/formats-<label>.json.
"""
from __future__ import annotations

import argparse
import io
import json
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import make_corpus as M  # noqa: E402

WORD = re.compile(r"\w+")


def words(text: str) -> Counter:
    return Counter(w.lower() for w in WORD.findall(text))


def overlap(got: Counter, truth: Counter) -> tuple[float, float]:
    """(share of truth's words recovered, share of got's words that are not truth's)."""
    common = sum((got & truth).values())
    return common / max(1, sum(truth.values())), 1 - common / max(1, sum(got.values()))


def documents(n: int, words_each: int, seed: int) -> list[tuple[str, str, list[str]]]:
    rng = random.Random(seed)
    names = M.make_names(rng, 2000, 1000, 500)
    sentences = M.seed_sentences(M.ROOT / "seeds")
    return [M.parts(M.article(rng, i, sentences, names, words_each, Counter()))
            for i in range(n)]


def bench_pdf(n: int, words_each: int) -> dict:
    import pypdfium2

    from search.corpus.readers import pdf as reader
    folder = M.OUT / f"formats-pdf-{n}x{words_each}"
    docs = documents(n, words_each, 7)
    if not (folder / "done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for i, (title, date, paras) in enumerate(docs):
            (folder / f"{i:04d}.pdf").write_bytes(M.pdf_file(title, date, paras))
        (folder / "done").write_text("")
    files = sorted(folder.glob("*.pdf"))
    datas = [f.read_bytes() for f in files]
    truths = [words(" ".join([t, *p])) for t, _, p in docs]
    pages = sum(len(pypdfium2.PdfDocument(d)) for d in datas)
    out = {"files": n, "pages": pages}

    def run(name, read):
        t = time.perf_counter()
        texts = [read(f, d) for f, d in zip(files, datas)]
        secs = time.perf_counter() - t
        scores = [overlap(words(x), tr) for x, tr in zip(texts, truths)]
        out[name] = {"s": round(secs, 3), "pages_per_s": round(pages / secs, 1),
                     "recall": round(sum(r for r, _ in scores) / n, 4),
                     "extra": round(sum(e for _, e in scores) / n, 4)}
        return texts

    reader.extract(datas[0])                       # import and warm up, not timed
    ours = run("vnexplore", lambda f, d: "\n".join(p.text for p in reader.extract(d).paragraphs))
    try:
        import pypdf
        run("pypdf", lambda f, d: "\n".join(p.extract_text() or ""
                                             for p in pypdf.PdfReader(io.BytesIO(d)).pages))
    except ImportError:
        out["pypdf"] = "not installed (pip install '.[bench]')"

    def raw_pdfium(f, d):
        doc = pypdfium2.PdfDocument(d)
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    run("pdfium_raw", raw_pdfium)
    if shutil.which("pdftotext"):
        theirs = run("pdftotext", lambda f, d: subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(f), "-"], capture_output=True,
            text=True).stdout)
        agree = [overlap(words(a), words(b)) for a, b in zip(ours, theirs)]
        # pdftotext keeps headers, footers and hyphenated halves: compare on the words of
        # the article only (both sides cut to the generated text's words)
        fair = [overlap(words(a) & tr, words(b) & tr) for a, b, tr in zip(ours, theirs, truths)]
        out["agreement_with_pdftotext"] = {
            "all_words": round(sum(r for r, _ in agree) / n, 4),
            "article_words": round(sum(r for r, _ in fair) / n, 4)}
        out["speed_vs_pdftotext"] = round(out["vnexplore"]["pages_per_s"]
                                          / out["pdftotext"]["pages_per_s"], 2)
    else:
        out["pdftotext"] = "pdftotext not found (Debian: apt-get install poppler-utils)"
    return out


def bench_html(n: int, words_each: int) -> dict:
    from search.corpus.readers import web
    rng = random.Random(11)
    docs = documents(n, words_each, 11)
    pages = [M.page_html(t, d, p, rng).encode() for t, d, p in docs]
    boiler = words(" ".join(M.NAV + M.ADS + M.COMMENTS + M.FOOTER))
    web.extract(pages[0])
    t = time.perf_counter()
    found = [web.extract(p) for p in pages]
    secs = time.perf_counter() - t
    recall, extra, kept = [], [], []
    for (title, date, paras), f in zip(docs, found):
        got = words("\n".join(p.text for p in f.paragraphs))
        article = words(" ".join([title, *paras]))
        r, e = overlap(got, article)
        recall.append(r)
        extra.append(e)
        only = Counter({w: c for w, c in boiler.items() if w not in article})  # not in the text
        kept.append(sum((got & only).values()) / max(1, sum(only.values())))
    meta_ok = sum(f.meta.get("date") == d and f.meta.get("title") == t
                  for (t, d, _), f in zip(docs, found))
    return {"pages": n, "s": round(secs, 3), "docs_per_s": round(n / secs, 1),
            "article_words_recovered": round(sum(recall) / n, 4),
            "boilerplate_words_kept": round(sum(kept) / n, 4),
            "words_not_article": round(sum(extra) / n, 4),
            "title_and_date_right": f"{meta_ok}/{n}"}


def bench_build(articles: int, mixed: bool = True) -> dict:
    folder = M.build(articles, 800, mixed=mixed)
    index = M.OUT / f"index-{'mixed' if mixed else 'text'}-{articles}"
    shutil.rmtree(index, ignore_errors=True)
    code = ("import json, resource, sys, time; sys.path.insert(0, %r)\n"
            "from search.engine import Engine\n"
            "t = time.perf_counter(); e = Engine([%r], index_dir=%r)\n"
            "r = e.update(rebuild=True); s = time.perf_counter() - t\n"
            "kids = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "own = resource.getrusage(resource.RUSAGE_SELF)\n"
            "cpu = sum(u.ru_utime + u.ru_stime for u in (kids, own))\n"
            "print(json.dumps({'build_s': round(s, 1), 'cpu_s': round(cpu, 1), "
            "'documents': r.documents, 'passages': r.passages, 'warnings': len(r.warnings), "
            "'peak_mb': round(max(kids.ru_maxrss, own.ru_maxrss) / 1024)}))"
            % (str(HERE.parent), str(folder), str(index)))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr[-2000:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    kinds = Counter(p.suffix for p in folder.rglob("article-*"))
    result["files"] = dict(kinds)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdfs", type=int, default=150)
    ap.add_argument("--pages", type=int, default=300, help="saved web pages")
    ap.add_argument("--words", type=int, default=2000, help="words per generated document")
    ap.add_argument("--build", action="store_true", help="also the full mixed build")
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--label", default="latest")
    ap.add_argument("--only-build", action="store_true", help="skip the readers' phases")
    ap.add_argument("--text-only", action="store_true",
                    help="build the Markdown-only corpus instead, for comparison")
    a = ap.parse_args()
    results = {}
    if not a.only_build:
        results = {"pdf": bench_pdf(a.pdfs, a.words), "html": bench_html(a.pages, a.words)}
        print(json.dumps(results, indent=1))
    if a.build or a.only_build:
        results["build"] = bench_build(a.articles, mixed=not a.text_only)
        print(json.dumps(results["build"], indent=1))
    M.OUT.mkdir(parents=True, exist_ok=True)
    (M.OUT / f"formats-{a.label}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
