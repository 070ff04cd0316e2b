"""The fixed query set, shared by the Whoosh and tantivy benchmarks.

Each query: (name, vnexplore query text, tantivy form). The tantivy form is either a query
string for its parser or a tuple ("fuzzy" | "regex", term) built with its query API, since
tantivy's parser has no `term~` or `word*`.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def rare_words(corpus: Path) -> tuple[str, str]:
    """A rare generated surname (a few passages) and a Vietnamese name typed without accents."""
    from search.corpus.text import fold
    names = json.loads((corpus / ".names.json").read_text(encoding="utf-8"))
    surnames = Counter(fold(n.split()[-1]) for n in names["person"])
    rare = next(n.split()[-1] for n, count in reversed(names["used"])
                if 2 <= count and n.isascii() and surnames[fold(n.split()[-1])] == 1)
    viet = next(n for n, _ in names["used"][20:] if not n.isascii())
    return rare, " ".join(w.capitalize() for w in fold(viet).split())


def query_set(corpus: Path) -> list[tuple[str, str, object]]:
    rare, viet = rare_words(corpus)
    return [
        ("common word", "Vietnam", "Vietnam"),
        ("common word 2", "partnership", "partnership"),
        ("rare word", rare, rare),
        ("name without accents", viet, viet),
        ("phrase", '"South China Sea"', '"South China Sea"'),
        ("phrase, plain words", "South China Sea", "South China Sea"),
        ("phrase 3 words", '"Comprehensive Strategic Partnership"',
         '"Comprehensive Strategic Partnership"'),
        ("boolean", "China AND Vietnam NOT Washington", "+China +Vietnam -Washington"),
        ("fuzzy", "partnrship~", ("fuzzy", "partnrship")),
        ("wildcard", "diplom*", ("regex", "diplom.*")),
        ("variant", "U.S. defence cooperation", "US defence cooperation"),
        ("natural language", "why is Vietnam wary of an alliance with Washington",
         "why is Vietnam wary of an alliance with Washington"),
        ("field", "title:Vietnam China date:2020", "title:Vietnam AND China"),
    ]
