"""Reading a user's query: Whoosh's query language, forgiving of mistakes, never raising."""
from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.qparser import syntax

from whoosh.support.levenshtein import distance

from search.index.whooshapi import expansions, segment_automata
from search.index.analysis import name_pairs, normal_form, pairs
from search.index.score.counting import expand_once
from search.corpus.dates import check_date
from search.index.schema import SEARCH_FIELDS
from search.corpus.text import fold

MAX_EXPANSION = 2000          # words one wildcard or fuzzy term may expand to
MAX_QUERY_CHARS = 2000
MAX_FUZZY_DIST = 2            # word~99 would walk the whole vocabulary; read as word~2
MAX_TERMS = 100               # words, phrases, wildcards, fuzzy words and ranges in one query
MAX_EXPANDING = 10            # wildcards, fuzzy words and ranges in one query
MAX_DEPTH = 12                # brackets inside brackets
MAX_POSTINGS = 300_000        # the times a query's words occur over the passages, all added
MAX_TAIL = 24                 # words ranking the passages with most (not all) of the words,
TAIL_POSTINGS = 150_000       # and their occurrences, all added (its ranking costs more)
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_SYNTAX = re.compile(r'["()*?~^\[\]{}]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|\w:')
_FIELD = re.compile(r"(?<![\w:])([A-Za-z_]\w*):(?=\S)")
_DATE_RANGE = re.compile(r"(?<![\w:])date:([^\s()\[\]]*?)\.\.([^\s()\[\]]*)")
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


class _FuzzyPlugin(qparser.FuzzyTermPlugin):
    """Whoosh's `word~N`; a stop word made fuzzy (`a~2`) is left out like the word itself
    (Whoosh raised: it set the distance on the query the stop word did not make)."""

    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):
        def query(self, parser):
            q = syntax.TextNode.query(self, parser)
            if isinstance(q, query.FuzzyTerm):
                q.maxdist, q.prefixlength = self.maxdist, self.prefixlength
            return q


def _parser(schema, group) -> qparser.QueryParser:
    parser = qparser.QueryParser("text", schema, group=group)
    parser.add_plugin(_FuzzyPlugin())
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
    words, folded = _fold_operators(text.split())
    while words and words[0] in OPERATORS - {"NOT"}:
        words.pop(0)
        notes.append("an operator with nothing before it")
    while words and words[-1] in OPERATORS:
        words.pop()
        notes.append("an operator with nothing after it")
    said = ["read as plain words: " + ", ".join(dict.fromkeys(notes))] if notes else []
    said += ["operators side by side read as one"] if folded else []
    if said:
        return " ".join(words), "; ".join(said)
    return text, None


def _fold_operators(words: list[str]) -> tuple[list[str], bool]:
    """Operators side by side, outside quotes, as the one they mean: `NOT NOT a` is `a`,
    `NOT NOT NOT a` is `NOT a`, `a NOT AND b` is `a AND b` (a NOT before an operator
    negates nothing), `a AND OR b` is `a AND b` (Whoosh's parser fails on such runs).
    Returns the words and whether any run was folded."""
    out: list[str] = []
    run: list[str] = []
    quoted = folded = False

    def flush() -> None:
        nonlocal folded
        binary = [w for w in run if w != "NOT"]      # a NOT before one negates nothing
        after = run[run.index(binary[-1]) + 1:] if binary else run
        kept = binary[:1] + ["NOT"] * (after.count("NOT") % 2)
        folded = folded or kept != run
        out.extend(kept)
        run.clear()

    for w in words:
        if not quoted and w in OPERATORS:
            run.append(w)
            continue
        flush()
        out.append(w)
        quoted ^= w.count('"') % 2 == 1
    flush()
    return out, folded


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
        auto = segment_automata(ixreader)
        if auto is not None:
            # One segment: walk the stems themselves with a Levenshtein automaton (fast;
            # Whoosh's reader would send it to the spelling field).
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


def _date_key(text: str | None, fill: int) -> tuple:
    """A date term (YYYY, YYYY-MM, YYYY-MM-DD) as (y, m, d), the parts it lacks set to fill."""
    parts = [int(p) for p in text.split("-")] if text else []
    return tuple(parts + [fill] * (3 - len(parts))) if parts else (fill * 101,) * 3


class DateRange(query.TermRange):
    """`date:A..B` or `date:[A TO B]`: passages of documents dated within A to B, ends included
    (`2024-03..2025` is 1 March 2024 to 31 December 2025). A document dated less precisely than
    a bound (`2024` against `2024-03..`) is left out: it may fall on either side.
    Each passage has a term for its year, month and day (schema.date_terms); a range reads
    the coarsest within it (whole years, then the months and days at its ends): a few dozen."""

    def _btexts(self, ixreader):
        lo, hi = _date_key(self.start, 0), _date_key(self.end, 99)
        for (fname, term) in ixreader.terms_from(self.fieldname, b""):
            if fname != self.fieldname:
                break
            text = term.decode("utf-8", "replace")
            if not re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", text):
                continue
            within = lambda t: lo <= _date_key(t, 0) and _date_key(t, 99) <= hi   # noqa: E731
            if within(text) and not (len(text) > 4 and within(text[:-3])):
                yield term          # (a month of a year within: the year's term finds it)


def _date_ranges(text: str) -> tuple[str, str | None]:
    """`date:A..B` (either end may be left open) -> Whoosh's `date:[A TO B]`, or an error."""
    error = None

    def one(m):
        nonlocal error
        ends = []
        for value in m.groups():
            date, _ = check_date(value) if value else (None, None)
            if value and (date is None or not re.fullmatch(r"[\d-]+", value)):
                error = error or (f"'{value}' in '{m.group(0)}' is not a date; write "
                                  "date:2024..2025, date:2024-03..2025-06-30, date:..2024 or date:2024..")
            ends.append(date or "")
        if not any(ends):
            error = error or f"'{m.group(0)}' needs a date on at least one side of the '..'"
        elif all(ends) and _date_key(ends[0], 0) > _date_key(ends[1], 99):
            error = error or f"'{m.group(0)}' ends before it starts"
        return f"date:[{ends[0]} TO {ends[1]}]".replace("[ TO", "[TO").replace(" TO ]", " TO]")

    return _DATE_RANGE.sub(one, text), error


def _rewrite(q: query.Query, notes: list[str], key=None) -> query.Query:
    """Phrases -> indexed word pairs (fast and exact for two words); fold wildcard text;
    fuzzy distances capped (in every field); NOTs gathered into one (see _negations)."""
    if isinstance(q, query.Phrase) and q.fieldname == "text":
        words = [w for w in q.words if w]
        if not words:
            return query.NullQuery
        if len(words) == 1:
            return query.Term("text", words[0], boost=q.boost)
        return query.And([query.Term("pairs", p) for p in pairs(words)], boost=q.boost)
    if isinstance(q, query.TermRange) and q.fieldname == "date":
        return DateRange("date", q.start, q.end, boost=q.boost)
    if isinstance(q, query.FuzzyTerm):
        dist = min(q.maxdist, MAX_FUZZY_DIST)
        if dist < q.maxdist:
            notes.append(f"fuzzy distance lowered to {MAX_FUZZY_DIST}")
        cls = StemmedFuzzy if q.fieldname == "text" else query.FuzzyTerm
        return cls(q.fieldname, q.text, boost=q.boost, maxdist=dist, prefixlength=q.prefixlength)
    if isinstance(q, (query.Phrase, query.Term)) and q.fieldname == "entity":
        name = " ".join(q.words) if isinstance(q, query.Phrase) else q.text
        return query.Term("entity", (key and key(name)) or fold(name), boost=q.boost)
    if isinstance(q, query.Phrase) and len(q.words) == 1:
        return query.Term(q.fieldname, q.words[0], boost=q.boost)
    if isinstance(q, (query.Wildcard, query.Prefix)) and q.fieldname in ("text", "title", "source"):
        return q.__class__(q.fieldname, fold(q.text), boost=q.boost)
    out = q.apply(lambda sub: _rewrite(sub, notes, key))
    if isinstance(q, query.Or) and isinstance(out, query.Or):
        out.scale = q.scale      # apply() drops the coordination scale of OrGroup.factory
    return _negations(out) if type(out) in (query.And, query.Or) else out


def _negations(q: query.Query) -> query.Query:
    """NOTs side by side as one: `a NOT b NOT c` = a NOT (b OR c); with nothing to subtract
    from, every passage minus the union of what they exclude: `NOT a NOT b` =
    AndNot(every, a OR b), `NOT a OR NOT b OR c` = c OR AndNot(every, a AND b), a lone
    `NOT a` = AndNot(every, a).

    Whoosh walks each NOT over every passage, and a chain of them is nested one inside the
    next: 40 NOTs took seconds, 270 minutes. Built this way it is one walk (done with sets
    by search.index.score.evaluate), and an OR with NOTs is the union it reads as."""
    if isinstance(q, query.Not):          # (called on the whole query; NOTs within an
        return query.AndNot(query.Every(), q.query)     # AND or OR are handled there)
    if type(q) not in (query.And, query.Or):
        return q
    negs = [c.query for c in q.subqueries if isinstance(c, query.Not)]
    rest = [c for c in q.subqueries if not isinstance(c, query.Not)]
    if type(q) is query.And and negs and not rest:
        return query.AndNot(query.Every(), query.Or(negs) if len(negs) > 1 else negs[0])
    if type(q) is query.And and len(negs) > 1:
        return query.And(rest + [query.Not(query.Or(negs))], boost=q.boost)
    if type(q) is query.Or and negs:
        every_but = query.AndNot(query.Every(), query.And(negs) if len(negs) > 1 else negs[0])
        return query.Or(rest + [every_but], boost=q.boost, scale=q.scale)
    return q


def _too_wide(q: query.Query, reader) -> str | None:
    for sub in q.leaves() if not q.is_leaf() else [q]:
        if (isinstance(sub, query.Every) and sub.fieldname) or (
                isinstance(sub, query.Wildcard) and not sub.text.strip("*?")):
            return f"'{sub}' would match every passage; add letters before the wildcard"
        if isinstance(sub, query.MultiTerm):
            count = 0
            for _ in expansions(sub, reader):
                count += 1
                if count > MAX_EXPANSION:
                    shown = sub.text if hasattr(sub, "text") else str(sub)   # a range: its own form
                    return (f"'{shown}' matches more than {MAX_EXPANSION} words; "
                            "make it more specific")
    return None


def _too_big(q: query.Query) -> str | None:
    """A query with more parts than any search needs, which could take minutes."""
    leaves = list(q.leaves()) if not q.is_leaf() else [q]
    if len(leaves) > MAX_TERMS:
        return f"the query has {len(leaves)} terms, more than {MAX_TERMS}; shorten it"
    multi = [sub for sub in leaves if isinstance(sub, query.MultiTerm)]
    if len(multi) > MAX_EXPANDING:
        return (f"the query has {len(multi)} wildcards, fuzzy words or ranges, more than "
                f"{MAX_EXPANDING}; use fewer")
    return None


def _depth(text: str) -> int:
    depth = deepest = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        deepest = max(deepest, depth)
    return deepest


def _occurrences(q: query.Query, reader) -> dict:
    """{(field, word): passages with it} of every word a query reads (wildcards expanded)."""
    found = {}
    for sub in q.leaves() if not q.is_leaf() else [q]:
        if isinstance(sub, query.Term):
            words = [sub.text]
        elif isinstance(sub, query.MultiTerm):
            words = list(expansions(sub, reader))
        else:
            continue
        for word in words:
            if (sub.fieldname, word) not in found:
                try:
                    found[sub.fieldname, word] = reader.doc_frequency(sub.fieldname, word)
                except Exception:          # a word its field cannot hold: no passages
                    found[sub.fieldname, word] = 0
    return found


def _rarest(any_q: query.Query, reader) -> tuple[query.Query | None, list[str]]:
    """The OR of most-of-the-words, kept to its MAX_TAIL rarest words within TAIL_POSTINGS;
    and the words left out (the commonest: they change the ranking least, and cost most)."""
    parts = list(any_q.subqueries) if isinstance(any_q, query.Or) else [any_q]
    sized = sorted(((sum(_occurrences(p, reader).values()), i) for i, p in enumerate(parts)))
    kept, total = set(), 0
    for size, i in sized:
        if kept and (total + size > TAIL_POSTINGS or len(kept) == MAX_TAIL):
            break
        kept.add(i)
        total += size
    dropped = [str(p.text) if isinstance(p, query.Term) else str(p)
               for i, p in enumerate(parts) if i not in kept]
    if not dropped:
        return any_q, []
    keep = [p for i, p in enumerate(parts) if i in kept]
    return (query.Or(keep, scale=getattr(any_q, "scale", None)) if len(keep) > 1 else None), dropped


def parse(text: str, schema, reader=None, widen=None, entity_key=None) -> ParsedQuery:
    """Text -> queries to run, or a clear error. Never raises.

    Every query is bounded: at most MAX_QUERY_CHARS characters (cut), MAX_TERMS terms
    (plain words beyond are dropped, other queries refused), MAX_EXPANDING wildcards, fuzzy
    words or ranges each matching at most MAX_EXPANSION words, fuzzy distance at most
    MAX_FUZZY_DIST (lowered) and MAX_DEPTH levels of brackets (refused). `widen(text) ->
    (text, note or None)` rewrites a plain query first (the engine's: acronyms OR'ed with the
    entity's other names, search.entities.gazetteer.widen_query); `entity_key(name) -> key or
    None` turns a name in `entity:` into the entity's key (any of its names finds it)."""
    raw = " ".join((text or "").split())
    pq = ParsedQuery(raw)
    if not raw:
        pq.error = "empty query: type some words to search for"
        return pq
    notes = []
    if len(raw) > MAX_QUERY_CHARS:
        raw = raw[:MAX_QUERY_CHARS]
        notes.append(f"query cut to its first {MAX_QUERY_CHARS} characters")
    unknown = [f for f in _FIELD.findall(raw) if f not in SEARCH_FIELDS]
    if unknown:
        pq.error = (f"unknown field '{unknown[0]}:'; fields are "
                    + ", ".join(f + ":" for f in SEARCH_FIELDS))
        return pq
    raw, pq.error = _date_ranges(raw)
    if pq.error:
        return pq
    repaired, note = _repair(raw)
    for pattern, word in _JOINED:
        repaired = pattern.sub(word, repaired)
    notes += [note] if note else []
    plain = not _SYNTAX.search(repaired)
    if plain and len(repaired.split()) > MAX_TERMS:
        repaired = " ".join(repaired.split()[:MAX_TERMS])
        notes.append(f"only the first {MAX_TERMS} words are searched")
    if _depth(repaired) > MAX_DEPTH:
        pq.error = f"brackets nested more than {MAX_DEPTH} deep; simplify the query"
        return pq
    widened, wide_note = widen(repaired) if plain and widen else (repaired, None)   # EU: European Union too
    notes += [wide_note] if wide_note else []
    try:
        all_q = _negations(_rewrite(_parser(schema, qparser.AndGroup).parse(widened), notes,
                                     entity_key))
        any_q = None
        if plain:
            any_q = _rewrite(_parser(schema, qparser.OrGroup.factory(0.9)).parse(widened), [],
                             entity_key)
        pq.error = _too_big(all_q)
        if reader is not None and not pq.error:
            expand_once(all_q, reader, MAX_EXPANSION)   # once, for search, count and spans
            pq.error = _too_wide(all_q, reader)
        if reader is not None and not pq.error and not plain:
            n = sum(_occurrences(all_q, reader).values())
            if n > MAX_POSTINGS:
                pq.error = (f"the query's words occur {n:,} times over the passages, more "
                            f"than {MAX_POSTINGS:,} can be ranked at once; use fewer or rarer words")
        if reader is not None and any_q is not None:
            any_q, dropped = _rarest(any_q, reader)
            if dropped:
                notes.append("passages with only some of the words are ranked without: "
                             + ", ".join(dropped[:5]) + (", ..." if len(dropped) > 5 else ""))
    except Exception as e:  # Whoosh's parser is lenient, but never let it escape
        pq.error = f"cannot read the query: {e}"
        return pq
    finally:
        pq.notice = "; ".join(dict.fromkeys(notes)) or None
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
