"""Build a synthetic benchmark corpus: articles of seed sentences plus a long tail of names.

Usage: python benchmarks/make_corpus.py [--articles 10000] [--words 800] [--out DIR] [--mixed]

With --mixed, a third of the articles are Markdown, a third saved web pages (the article
inside navigation, ads, comments and a footer) and a third multi-page PDFs (running header,
page-number footer, words hyphenated at line ends, paragraphs running across pages).

The seeds alone give about 1,500 distinct words, far fewer than a real corpus, so each
article also names people, places and organisations drawn (Zipf-like, so a few are common
and most are rare) from a generated list; about half of the people carry Vietnamese
diacritics. Everything comes from one fixed random seed: the same arguments give the same
files. A finished corpus is cached (its parameters are written beside it) and reused.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.corpus import files as corpus
from search.corpus import text as T  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
SEED = 20260203
VERSION = 2          # bump when the generator changes, so cached corpora are remade

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Tô"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Quốc", "Thanh", "Hữu", "Ngọc", "Xuân", "Công"]
GIVEN = ["Chính", "Hùng", "Lan", "Dũng", "Hải", "Phúc", "Thắng", "Hương", "Tuấn", "Long",
         "Nam", "Bình", "Cường", "Trọng", "Vượng", "Quang", "Thảo", "Khánh", "Sơn", "Tâm"]
ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "kl", "l", "m", "n",
          "p", "pr", "r", "s", "sh", "st", "t", "th", "tr", "v", "w", "z"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ie", "ou", "y"]
CODAS = ["", "", "n", "r", "s", "l", "m", "rd", "nd", "st", "x", "k"]
PLACE_SUFFIX = ["", "ville", "burg", "port", " Bay", " Province", "stan", "ia"]
ORG_KIND = ["Institute", "Foundation", "Council", "Group", "Centre", "Forum", "Bank"]
TEMPLATES = [
    "{person} of the {org} said the talks in {place} had gone well.",
    "According to {person}, officials from {place} were watching closely.",
    "{person}, an analyst at the {org}, called the move a careful hedge.",
    "Delegates met in {place} on the sidelines of the {org} meeting.",
    "The {org} in {place} published a report by {person} on the issue.",
    "Speaking in {place}, {person} said the partnership would deepen.",
]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                   for _ in range(syllables)).capitalize()


def make_names(rng: random.Random, people: int = 12000, places: int = 6000,
               orgs: int = 3000) -> dict[str, list[str]]:
    """Distinct generated names; about half the people are Vietnamese, with diacritics."""
    def distinct(make, n):
        seen: dict[str, None] = {}
        while len(seen) < n:
            seen.setdefault(make(), None)
        return list(seen)
    return {
        "person": distinct(lambda: (" ".join((rng.choice(FAMILY), rng.choice(MIDDLE),
                                              rng.choice(GIVEN) + rng.choice(["", "", "h", "n"]))))
                           if rng.random() < 0.5 else
                           f"{_word(rng, rng.randint(1, 2))} {_word(rng, rng.randint(2, 3))}",
                           people),
        "place": distinct(lambda: _word(rng, rng.randint(2, 3)) + rng.choice(PLACE_SUFFIX), places),
        "org": distinct(lambda: f"{_word(rng, 2)} {rng.choice(ORG_KIND)}", orgs),
    }


def seed_sentences(folder: Path) -> list[str]:
    docs, _ = corpus.load([folder])
    out = []
    for d in docs:
        for p in d.passages:
            out += [s.strip() for s in T.SENTENCE_END.split(p.text) if len(s.split()) >= 4]
    return out


def _zipf(rng: random.Random, items: list[str]) -> str:
    # Rank ~ 1/u: a few names are everywhere, most turn up a handful of times.
    return items[min(int(len(items) ** rng.random()) - 1, len(items) - 1)]


def article(rng: random.Random, number: int, sentences: list[str], names: dict,
            words: int, used: Counter) -> str:
    date = f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    title = " ".join(rng.choice(sentences).split()[:rng.randint(5, 9)]).rstrip(",.;:")
    paras, count = [], 0
    while count < words:
        para = []
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.25:
                person = _zipf(rng, names["person"])
                used[person] += 1
                s = rng.choice(TEMPLATES).format(person=person,
                                                 place=_zipf(rng, names["place"]),
                                                 org=_zipf(rng, names["org"]))
            else:
                s = rng.choice(sentences)
            para.append(s)
            count += len(s.split())
        paras.append(" ".join(para))
    front = json.dumps({"title": f"{title} ({number})"}, ensure_ascii=False)
    return f"---\ntitle: {front[10:-1]}\ndate: {date}\n---\n\n" + "\n\n".join(paras) + "\n"


NAV = ["Home", "World", "Asia Pacific", "Business", "Opinion", "Video", "Podcasts",
       "Newsletters", "Subscribe", "Sign in"]
ADS = ["Advertisement", "Sponsored content: discover premium travel deals across the region",
       "Get unlimited digital access for only one dollar a week", "Most read this week"]
COMMENTS = ["Great analysis, thanks for sharing this perspective.",
            "I disagree completely, the author ignores the economic side of the story.",
            "Visit my website for the best cryptocurrency trading signals."]
FOOTER = ["Copyright Example Media Group. All rights reserved.", "Privacy policy",
          "Terms of service", "Cookie settings", "Contact us", "Careers"]


def parts(text: str) -> tuple[str, str, list[str]]:
    """An article made by `article` -> (title, date, paragraphs)."""
    head, body = text.split("\n---\n\n", 1)
    title = json.loads("{" + head.split("\n")[1].replace("title: ", '"title": ', 1) + "}")["title"]
    date = head.split("date: ")[1].strip()
    return title, date, [p for p in body.strip().split("\n\n")]


def page_html(title: str, date: str, paras: list[str], rng: random.Random) -> str:
    """A saved news page: the article with the boilerplate a browser saves around it."""
    from html import escape
    nav = "".join(f'<li><a href="/{i}">{n}</a></li>' for i, n in enumerate(NAV))
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paras)
    related = "".join(f'<li><a href="/r{i}">{escape(rng.choice(paras)[:60])}</a></li>'
                      for i in range(3))
    comments = "".join(f'<div class="comment"><p>{c}</p></div>' for c in COMMENTS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | Example News</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="{date}T08:00:00+07:00">
<link rel="canonical" href="https://news.example.com/{date.replace('-', '/')}/article">
<script>window.dataLayer = [{{"event": "pageview"}}];</script></head>
<body><header><ul class="menu">{nav}</ul><div class="ad">{ADS[0]}: {ADS[1]}</div></header>
<main><article><h1>{escape(title)}</h1><p class="byline">By Example Staff</p>
{body}
</article><aside class="ad">{ADS[2]}</aside>
<aside><h3>{ADS[3]}</h3><ul>{related}</ul></aside>
<section class="comments"><h3>Comments</h3>{comments}</section></main>
<footer>{"".join(f"<p>{f}</p>" for f in FOOTER)}</footer></body></html>
"""


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _hyphenable(paragraph: str) -> str:
    """Soft hyphens in long words: fpdf2 breaks lines there and prints a hyphen."""
    return " ".join(w[:len(w) // 2] + "\u00ad" + w[len(w) // 2:]
                    if len(w) >= 9 and w.isalpha() else w for w in paragraph.split())


def pdf_file(title: str, date: str, paras: list[str]) -> bytes:
    """A report PDF: running header, page-number footer, hyphenated line ends, paragraphs
    that run across pages. Needs DejaVu Sans for Vietnamese letters (else Latin-1 only)."""
    import datetime as dt
    from fpdf import FPDF

    class Report(FPDF):
        def header(self):
            self.set_font(family, size=8)
            self.cell(0, 6, "Institute for Regional Studies | Policy Paper Series")
            self.ln(10)

        def footer(self):
            self.set_y(-14)
            self.set_font(family, size=8)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    pdf = Report()
    family = "Helvetica"
    if FONT.exists():
        pdf.add_font("DejaVu", fname=str(FONT))
        family = "DejaVu"
    else:
        paras = [p.encode("latin-1", "replace").decode("latin-1") for p in paras]
        title = title.encode("latin-1", "replace").decode("latin-1")
    pdf.set_title(title)
    y, m, d = (int(x) for x in date.split("-"))
    pdf.set_creation_date(dt.datetime(y, m, d, tzinfo=dt.timezone.utc))
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font(family, size=16)
    pdf.multi_cell(0, 8, title)
    pdf.ln(4)
    pdf.set_font(family, size=10.5)
    for p in paras:
        pdf.multi_cell(0, 5.5, _hyphenable(p))
        pdf.ln(3)
    return bytes(pdf.output())


def _write_pdf(job) -> None:
    path, title, date, paras = job
    path.write_bytes(pdf_file(title, date, paras))


def build(articles: int = 10000, words: int = 800, out: Path | None = None,
          quiet: bool = False, mixed: bool = False) -> Path:
    """The corpus folder (made now, or reused when already made with these parameters)."""
    folder = out or OUT / (f"corpus-{articles}x{words}" + ("-mixed" if mixed else ""))
    params = {"version": VERSION, "seed": SEED, "articles": articles, "words": words}
    if mixed:
        params["mixed"] = True
    stamp = folder / ".params.json"
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(SEED)
    sentences = seed_sentences(ROOT / "seeds")
    names = make_names(rng)
    used: Counter = Counter()
    pdfs: list = []
    for i in range(articles):
        sub = folder / f"{i // 1000:02d}"
        sub.mkdir(exist_ok=True)
        text = article(rng, i, sentences, names, words, used)
        if mixed and i % 3 == 1:
            (sub / f"article-{i:05d}.html").write_text(page_html(*parts(text), rng),
                                                       encoding="utf-8")
        elif mixed and i % 3 == 2:
            pdfs.append((sub / f"article-{i:05d}.pdf", *parts(text)))
        else:
            (sub / f"article-{i:05d}.md").write_text(text, encoding="utf-8")
        if not quiet and i % 1000 == 999:
            print(f"  corpus: {i + 1}/{articles} articles", file=sys.stderr)
    if pdfs:          # fpdf2 lays text out in Python: about 0.25 s a PDF, so on every core
        import concurrent.futures as cf
        import os
        with cf.ProcessPoolExecutor(os.cpu_count()) as pool:
            for n, _ in enumerate(pool.map(_write_pdf, pdfs, chunksize=16), 1):
                if not quiet and n % 500 == 0:
                    print(f"  corpus: {n}/{len(pdfs)} PDFs", file=sys.stderr)
    names["used"] = used.most_common()
    (folder / ".names.json").write_text(json.dumps(names, ensure_ascii=False))
    stamp.write_text(json.dumps(params))
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--mixed", action="store_true",
                    help="a third each of Markdown, saved web pages and PDFs")
    a = ap.parse_args()
    print(build(a.articles, a.words, a.out, mixed=a.mixed))


if __name__ == "__main__":
    main()
