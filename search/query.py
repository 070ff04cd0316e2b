"""Reading a user's query: Whoosh's query language, forgiving of mistakes, never raising."""
from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser, query

from whoosh.support.levenshtein import distance

from .analysis import name_pairs, normal_form, pairs
from .counting import expand_once
from .gazetteer import widen_query
from .schema import SEARCH_FIELDS
from .text import fold

MAX_EXPANSION = 2000          # words one wildcard or fuzzy term may expand to
MAX_QUERY_CHARS = 2000
MAX_FUZZY_DIST = 2            # word~99 would walk the whole vocabulary; read as word~2
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_SYNTAX = re.compile(r'["()*?~^\[\]{}]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|\w:')
_FIELD = re.compile(r"(?<![\w:])([A-Za-z_]\w*):(?=\S)")
# Two-word forms the analyzer reads as one word; joined before Whoosh splits the query on spaces.
_JOINED = [(re.compile(r"(?i)\bvi\wt\s+nam\b"), "Vietnam"),
           (re.compile(r"(?i)\bper\s+cent\b"), "percent"),
           (re.compile(r"(?i)\bunited\s+states\b"), "USA")]


@dataclass
class ParsedQuery:
    text: str
    all_words: query.Query | None = None     # every word (or the query as written)
    any_words: query.Query | None = None     # plain words: most of them, for the tail
    error: str | None = None
    notice: str | None = None


def _parser(schema, group) -> qparser.QueryParser:
    parser = qparser.QueryParser("text", schema, group=group)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.PlusMinusPlugin)
    return parser


def _repair(text: str) -> tuple[str, str | None]:
    """Make unbalanced quotes and brackets and stray operators readable as plain words."""
    notes = []
    if text.count('"') % 2:
        text = text.replace('"', " ")
        notes.append("an unbalanced quote")
    if _unbalanced(text):
        text = text.replace("(", " ").replace(")", " ")
        notes.append("an unbalanced bracket")
    words = text.split()
    while words and words[0] in OPERATORS - {"NOT"}:
        words.pop(0)
        notes.append("an operator with nothing before it")
    while words and words[-1] in OPERATORS:
        words.pop()
        notes.append("an operator with nothing after it")
    if notes:
        return " ".join(words), "read as plain words: " + ", ".join(dict.fromkeys(notes))
    return text, None


def _unbalanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            return True
    return depth != 0


class StemmedFuzzy(query.FuzzyTerm):
    """A fuzzy term whose candidates come from the whole-word spelling list, then stemmed.

    Whoosh expands fuzzy terms through the spelling field, which holds unstemmed words;
    matching those against the stemmed text field would find nothing."""

    def _btexts(self, ixreader):
        if hasattr(ixreader, "_codec") and hasattr(ixreader, "_segment"):
            # One segment: walk the stems themselves with a Levenshtein automaton (fast;
            # Whoosh's reader would send it to the spelling field).
            auto = ixreader._codec.automata(ixreader._storage, ixreader._segment)
            yield from auto.terms_within(ixreader.cursor(self.fieldname), self.text,
                                         self.maxdist, self.prefixlength)
            return
        seen = set()
        for word in ixreader.terms_within(self.fieldname, self.text, self.maxdist + 2,
                                          prefix=self.prefixlength):
            stem = normal_form(word)
            if stem and stem not in seen and distance(stem, self.text, self.maxdist) <= self.maxdist:
                seen.add(stem)
                if ixreader.doc_frequency(self.fieldname, stem):
                    yield stem


def _rewrite(q: query.Query) -> query.Query:
    """Phrases -> indexed word pairs (fast and exact for two words); fold wildcard text."""
    if isinstance(q, query.Phrase) and q.fieldname == "text":
        words = [w for w in q.words if w]
        if not words:
            return query.NullQuery
        if len(words) == 1:
            return query.Term("text", words[0], boost=q.boost)
        return query.And([query.Term("pairs", p) for p in pairs(words)], boost=q.boost)
    if type(q) is query.FuzzyTerm and q.fieldname == "text":
        return StemmedFuzzy("text", q.text, boost=q.boost, maxdist=min(q.maxdist, MAX_FUZZY_DIST),
                            prefixlength=q.prefixlength)
    if isinstance(q, query.Phrase) and q.fieldname == "entity":
        return query.Term("entity", fold(" ".join(q.words)), boost=q.boost)
    if isinstance(q, query.Term) and q.fieldname == "entity":
        return query.Term("entity", fold(q.text), boost=q.boost)
    if isinstance(q, query.Phrase) and len(q.words) == 1:
        return query.Term(q.fieldname, q.words[0], boost=q.boost)
    if isinstance(q, (query.Wildcard, query.Prefix)) and q.fieldname in ("text", "title", "source"):
        return q.__class__(q.fieldname, fold(q.text), boost=q.boost)
    out = q.apply(_rewrite)
    if isinstance(q, query.Or) and isinstance(out, query.Or):
        out.scale = q.scale      # apply() drops the coordination scale of OrGroup.factory
    return out


def _too_wide(q: query.Query, reader) -> str | None:
    for sub in q.leaves() if not q.is_leaf() else [q]:
        if isinstance(sub, query.Every) or (isinstance(sub, query.Wildcard) and not sub.text.strip("*?")):
            return f"'{sub}' would match every passage; add letters before the wildcard"
        if isinstance(sub, query.MultiTerm):
            count = 0
            for _ in sub._btexts(reader):
                count += 1
                if count > MAX_EXPANSION:
                    return (f"'{sub.text}' matches more than {MAX_EXPANSION} words; "
                            "make it more specific")
    return None


def parse(text: str, schema, reader=None) -> ParsedQuery:
    """Text -> queries to run, or a clear error. Never raises."""
    raw = " ".join((text or "").split())
    pq = ParsedQuery(raw)
    if not raw:
        pq.error = "empty query: type some words to search for"
        return pq
    if len(raw) > MAX_QUERY_CHARS:
        raw = raw[:MAX_QUERY_CHARS]
        pq.notice = f"query cut to its first {MAX_QUERY_CHARS} characters"
    unknown = [f for f in _FIELD.findall(raw) if f not in SEARCH_FIELDS]
    if unknown:
        pq.error = (f"unknown field '{unknown[0]}:'; fields are "
                    + ", ".join(f + ":" for f in SEARCH_FIELDS))
        return pq
    repaired, note = _repair(raw)
    for pattern, word in _JOINED:
        repaired = pattern.sub(word, repaired)
    pq.notice = note or pq.notice
    plain = not _SYNTAX.search(repaired)
    widened, wide_note = widen_query(repaired) if plain else (repaired, None)   # EU: European Union too
    pq.notice = "; ".join(n for n in (pq.notice, wide_note) if n) or None
    try:
        all_q = _rewrite(_parser(schema, qparser.AndGroup).parse(widened))
        any_q = None
        if plain:
            any_q = _rewrite(_parser(schema, qparser.OrGroup.factory(0.9)).parse(widened))
        if reader is not None:
            expand_once(all_q, reader, MAX_EXPANSION)   # once, for search, count and spans
            pq.error = _too_wide(all_q, reader)
    except Exception as e:  # Whoosh's parser is lenient, but never let it escape
        pq.error = f"cannot read the query: {e}"
        return pq
    if pq.error:
        return pq
    if all_q is query.NullQuery or isinstance(all_q, query.NullQuery.__class__):
        pq.error = "nothing to search for: the query has only common words or operators"
        return pq
    names = name_pairs(repaired) if plain else []
    if names:          # To Lam: every passage with Lam, those naming Tô Lâm (or To Lam) first
        all_q = query.AndMaybe(all_q, query.Or([query.Term("pairs", p) for p in names]))
    pq.all_words = all_q
    if any_q is not None and any_q != all_q and len(list(any_q.leaves())) > 1:
        pq.any_words = any_q
    return pq


def plain_words(text: str) -> list[str]:
    """The words of a query, without operators, fields and syntax (for suggestions)."""
    words = re.findall(r"(?<![:\w])[^\W\d_][\w'’]*", text)
    return [w for w in words if w not in OPERATORS]
