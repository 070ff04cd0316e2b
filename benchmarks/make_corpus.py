"""Build a synthetic benchmark corpus: articles of seed sentences plus a long tail of names.

Usage: python benchmarks/make_corpus.py [--articles 10000] [--words 800] [--out DIR]

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

from search import corpus, text as T  # noqa: E402

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


def build(articles: int = 10000, words: int = 800, out: Path | None = None,
          quiet: bool = False) -> Path:
    """The corpus folder (made now, or reused when already made with these parameters)."""
    folder = out or OUT / f"corpus-{articles}x{words}"
    params = {"version": VERSION, "seed": SEED, "articles": articles, "words": words}
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
    for i in range(articles):
        sub = folder / f"{i // 1000:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"article-{i:05d}.md").write_text(
            article(rng, i, sentences, names, words, used), encoding="utf-8")
        if not quiet and i % 1000 == 999:
            print(f"  corpus: {i + 1}/{articles} articles", file=sys.stderr)
    names["used"] = used.most_common()
    (folder / ".names.json").write_text(json.dumps(names, ensure_ascii=False))
    stamp.write_text(json.dumps(params))
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    print(build(a.articles, a.words, a.out))


if __name__ == "__main__":
    main()
