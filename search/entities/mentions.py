"""Who and what each article names: entities, their mentions (passage and span), co-occurrence.

`extract(documents)` matches the gazetteer (bundled + user files) against every passage;
`scan`/`aggregate` do the same per document and then for the corpus, from the records stored
with the index (`kept.load_entity_index` is the way in); recurring capitalised names the
gazetteer does not know are added as `unclassified`. `index_hook` gives the search index its `entity` field.
"""
from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import Callable, Iterable

from search.entities import gazetteer as G
from search.entities.matcher import Matcher, first_letters, lower_flags, words as words_of
from search.model import Document, Passage, Stopped, checking as _checking  # noqa: F401
from search.entities.names import LINKS, NOT_ALONE, institutions, runs, word_oks
from search.entities.nametypes import (NOT_A_NAME, TITLES, WEAK_PERSON, person_tail, places,
                                      single_type, type_of)
from search.corpus.text import fold, one_spaced

CONTEXT = 60          # characters of concordance context each side
MIN_UNCLASSIFIED = 2  # an unknown name must occur this often in the corpus


@dataclass
class Entity:
    name: str
    type: str
    aliases: list[str]      # surface forms seen, most frequent first
    mentions: int
    docs: list[str]

    def to_dict(self) -> dict:      # what asdict gives, without its deep copy of each name
        return {"name": self.name, "type": self.type, "aliases": list(self.aliases),
                "mentions": self.mentions, "docs": list(self.docs)}


@dataclass
class Mention:
    entity: str             # canonical name
    doc: str
    passage: int
    start: int
    end: int
    text: str               # the surface form
    left: str | None        # concordance context; None until cut (EntityIndex.mentions)
    right: str | None

    def to_dict(self) -> dict:
        return {"entity": self.entity, "doc": self.doc, "passage": self.passage,
                "start": self.start, "end": self.end, "text": self.text,
                "left": self.left, "right": self.right}


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    left = text[max(0, start - CONTEXT):start].replace("\n", " ")
    right = text[end:end + CONTEXT].replace("\n", " ")
    return left, right


_LOOKUPS: list[tuple] = []      # (gazetteer, its names folded): indexes are made per document


def _gazetteer_lookup(gaz: G.Gazetteer) -> dict[str, str]:
    """{folded name or alias: canonical name} of a gazetteer, worked out once per gazetteer."""
    for known, lookup in _LOOKUPS:
        if known is gaz:
            return lookup
    lookup: dict[str, str] = {}
    for entry in gaz.entries.values():
        for name in [*entry.names()]:
            lookup.setdefault(fold(name), entry.name)
    _LOOKUPS[:] = [(gaz, lookup), *_LOOKUPS[:3]]
    return lookup


_THE = ("the", "The", "THE")


def folded_name(name: str) -> str:
    """`fold(G.strip_the(name))`, the key a name is looked up by. Why: strip_the splits and
    joins the name and runs a regex, most of a look-up's cost (twice for each entity the
    events ask about); a name with single spaces and no leading "the" (most) is its own
    tidy form, so it is only folded."""
    if name[:3] not in _THE and one_spaced(name) is name:
        return fold(name)
    return fold(G.strip_the(name))


class _Lookups:
    """What EntityIndex and DocumentIndex answer alike, from their `_name`, `_in_passage`,
    `gazetteer` and `_entries`."""

    def entry(self, name: str) -> G.Entry | None:
        """The gazetteer entry (role, country) behind a name, if there is one."""
        if name in self._entries:
            return self._entries[name]
        canonical = self._name(name)
        found = self._entries[name] = (self.gazetteer.entries.get(folded_name(canonical))
                                       if canonical else None)      # gazetteer.get(canonical)
        return found

    def in_passage(self, doc: str, passage: int) -> list[Mention]:
        found = sorted(self._in_passage(doc, passage), key=lambda m: m[3])
        return [Mention(*m, None, None) for m in found]


class EntityIndex(_Lookups):
    """Every mention in a corpus, grouped by entity. Names are looked up without case or accents.

    Mentions are kept as tuples (name, doc, passage, start, end, surface); `Mention` objects
    are made only for those asked for. Memory and time linear in the mentions."""

    def __init__(self, gaz: G.Gazetteer, mentions: list[tuple], types: dict[str, str],
                 stop: Callable[[], bool] | None = None):
        self.gazetteer = gaz
        self.warnings = list(gaz.warnings)
        self._mentions: dict[str, list[tuple]] = defaultdict(list)
        self._passage: dict[tuple[str, int], list[tuple]] = defaultdict(list)
        for i, m in enumerate(mentions):
            if stop is not None and not i & 0xFFFF and stop():
                raise Stopped()
            self._mentions[m[0]].append(m)
            self._passage[(m[1], m[2])].append(m)
        self._types = types
        self.doc_events = None              # stored events, by document
        self.dirty: set[str] = set()        # documents whose stored events must be redone
        self.texts: Callable[[str, int], str] | None = None     # (doc, passage) -> its text
        self._entries: dict[str, G.Entry | None] = {}      # entry() of each name asked
        self._lookup: dict[str, str] = dict(_gazetteer_lookup(gaz))
        for name, ms in self._mentions.items():
            self._lookup[fold(name)] = name
            for surface in dict.fromkeys(m[5] for m in ms):
                self._lookup.setdefault(fold(surface), name)
        self._entities = {name: self._make(name, ms) for name, ms in self._mentions.items()}

    def _make(self, name: str, ms: list[tuple]) -> Entity:
        forms = Counter(m[5] for m in ms)
        return Entity(name=name, type=self._types.get(name, G.UNCLASSIFIED),
                      aliases=[f for f, _ in sorted(forms.items(), key=lambda x: (-x[1], x[0]))],
                      mentions=len(ms), docs=sorted({m[1] for m in ms}))

    def entities(self, type: str | None = None) -> list[Entity]:
        found = [e for e in self._entities.values() if type is None or e.type == type]
        return sorted(found, key=lambda e: (-e.mentions, fold(e.name)))

    def _name(self, name: str) -> str | None:
        return self._lookup.get(fold(G.strip_the(name)))

    def entity(self, name: str) -> Entity | None:
        canonical = self._name(name)
        if canonical is None:
            return None
        if canonical in self._entities:
            return self._entities[canonical]
        entry = self.gazetteer.get(canonical)
        return Entity(canonical, entry.type if entry else G.UNCLASSIFIED, [], 0, [])

    def _tuples(self, canonical: str, limit: int | None) -> list[tuple]:
        return self._mentions.get(canonical, [])[:limit]

    def mentions(self, name: str, limit: int | None = None) -> list[Mention]:
        """The entity's mentions in corpus order (the first `limit`), with their context."""
        canonical = self._name(name)
        out = []
        for name_, d, n, s, e, t in (self._tuples(canonical, limit) if canonical else []):
            left, right = _context(self.texts(d, n) if self.texts else "", s, e)
            out.append(Mention(name_, d, n, s, e, t, left, right))
        return out

    def _places(self, canonical: str) -> set:
        return {(m[1], m[2]) for m in self._mentions.get(canonical, [])}

    def _names_in(self, place) -> set[str]:
        return {m[0] for m in self._passage.get(place, ())}

    def cooccurring(self, name: str, limit: int = 10) -> list[tuple[str, int]]:
        """Entities that share passages with this one: (name, passages shared), most first.
        Linear in the mentions of the passages this one is named in."""
        canonical = self._name(name)
        if canonical is None:
            return []
        counts: Counter = Counter()
        for place in self._places(canonical):
            counts.update(self._names_in(place) - {canonical})
        return sorted(counts.items(), key=lambda x: (-x[1], fold(x[0])))[:limit]

    def _in_passage(self, doc: str, passage: int) -> list[tuple]:
        return self._passage.get((doc, passage), [])

    def type_of(self, name: str) -> str | None:
        canonical = self._name(name)
        return self._types.get(canonical, G.UNCLASSIFIED) if canonical else None


def extract(documents: Iterable[Document], gaz: G.Gazetteer,
            matcher: Matcher | None = None) -> EntityIndex:
    """Match the gazetteer over the documents' passages (in order), then add the names it does
    not know: typed by their evidence (search.entities.nametypes) even when named once, and recurring
    capitalised names as unclassified. Linear in the text: `scan` per document (what the index
    stores), `aggregate` over what the scans found."""
    matcher = matcher or Matcher(gaz)
    records, lower, texts = {}, set(), {}
    for doc in documents:
        records[doc.id], words = scan(doc, gaz, matcher)
        lower.update(words)
        texts.update(((doc.id, p.number), p.text) for p in doc.passages)
    return aggregate(records, gaz, lower, lambda d, n: texts.get((d, n), ""))


def scan(doc: Document, gaz: G.Gazetteer, matcher: Matcher,
         seen: dict | None = None) -> tuple[tuple, set[str]]:
    """One document's part of `extract`, as plain tuples (stored with the index):
    ((gazetteer mentions (name, type, passage, start, end, surface), name candidates
    (folded key, passage, start, end, kind, surface)), words it writes in lower case).
    `seen`, when given, gets {passage number: (text, what `index_hook` gives for it, the
    document's memory of people named before it and after it)}, so the index's entity field
    is not matched a second time."""
    found_names: list[tuple] = []
    candidates: list[tuple] = []
    lower: set[str] = set()         # words the document writes in lower case: common words
    named: dict[str, int] = {}
    for p in doc.passages:
        text = p.text
        toks = words_of(text)           # lists of the words: no Token per word
        words, lows, starts, ends = toks.exacts, toks.lows, toks.starts, toks.ends
        letters = first_letters(words)      # each word's first character, read twice below
        lower.update(compress(lows, lower_flags(letters)))
        before = dict(named) if seen is not None else None
        covered: set[int] = set()           # the tokens inside the names found
        found = matcher.find(text, named, toks, covered, letters)
        if seen is not None:
            seen[p.number] = (text, _field_names(found), before, dict(named))
        for f in found:
            entry = gaz.entries[f.key]
            found_names.append((entry.name, entry.type, p.number, f.start, f.end,
                                text[f.start:f.end]))
        in_runs = set(covered)
        ok = word_oks(words, lows, letters)
        for i, j in runs(text, toks, covered, ok) + institutions(text, toks, covered, ok):
            in_runs.update(range(i, j + 1))
            kind = type_of(text, toks, i, j)
            if kind is None and j - i >= 2:
                k = person_tail(text, toks, i, j)
                if k is not None:
                    i, kind = k, "person"
            start, end = starts[i], ends[j]
            surface = text[start:end]
            candidates.append((fold(surface), p.number, start, end, kind, surface))
        singles = places()[1]
        for i in compress(range(len(words)), ok):      # capitalised: ok leaves out only BREAKS
            if i not in in_runs and lows[i] not in NOT_ALONE and (
                    lows[i] in singles or (i and lows[i - 1] in TITLES)):   # single_type's evidence
                kind = single_type(text, toks, i)
                if kind:
                    candidates.append((fold(words[i]), p.number, starts[i], ends[i], kind, words[i]))
    return (tuple(found_names), tuple(candidates)), lower


def accepted_names(records: dict, gaz: G.Gazetteer, lower: set[str],
                   stop: Callable[[], bool] | None = None):
    """The names the gazetteer does not know that count as entities, from the scans of
    `records` ({doc: scan}, in document order): {key: (name, kind, places)}, places being
    (doc, passage, start, end, surface) in the order first found. Linear in the candidates."""
    candidates: dict[str, list[tuple]] = defaultdict(list)
    for doc, (_, cands) in _checking(records.items(), stop):
        for key, n, s, e, kind, surface in cands:
            candidates[key].append((doc, n, s, e, kind, surface))
    out = {}
    for key, places in _checking(candidates.items(), stop):
        if key in gaz.entries:
            continue
        if len(places) == 1:            # most names: no counting (the same as below)
            d, n, s, e, k, t = places[0]
            kind = _taken(key, k or None, 1, lower)
            if kind != NOT_TAKEN:
                out[key] = (t, kind, [(d, n, s, e, t)])
            continue
        kinds = Counter(k for *_, k, _ in places if k)
        places = list({(d, n, s, e): (d, n, s, e, t) for d, n, s, e, _, t in places}.values())
        kind = taken(key, kinds, len(places), lower)
        if kind != NOT_TAKEN:
            out[key] = (main_form(Counter(t for *_, t in places)), kind, places)
    return out


NOT_TAKEN = "not taken"


def taken(key: str, kinds: Counter, places: int, lower) -> str | None:
    """The kind (None: unclassified) of a name the gazetteer does not know, or NOT_TAKEN when
    the corpus does not count it as an entity: `kinds` counts the kinds its candidates were
    given (in the order first given), `places` the distinct places it is found at."""
    return _taken(key, kinds.most_common(1)[0][0] if kinds else None, places, lower)


def _taken(key: str, kind: str | None, places: int, lower) -> str | None:
    """`taken`, given the kind most often given (None: none given)."""
    words = key.replace("-", " ").split()
    if kind == WEAK_PERSON:         # a given name first: its other words must not be common
        kind = None if any(w in lower and w not in LINKS for w in words[1:]) else "person"
    if kind == NOT_A_NAME or (kind == "place" and len(words) == 1 and key in lower):
        return NOT_TAKEN
    if kind is None and (places < MIN_UNCLASSIFIED or all(w in lower for w in words)):
        return NOT_TAKEN
    return kind


def main_form(forms: Counter) -> str:
    """A name's most frequent written form (ties: the first in code point order)."""
    return sorted(forms.items(), key=lambda x: (-x[1], x[0]))[0][0]


def aggregate(records: dict, gaz: G.Gazetteer, lower: set[str],
              texts: Callable[[str, int], str] | None = None,
              accepted: dict | None = None,
              stop: Callable[[], bool] | None = None) -> EntityIndex:
    """The corpus's entity index from per-document scans ({doc: scan}, in document order) and
    the corpus's lower-case words. Linear in the mentions: names that swallow known ones are
    checked by passage. `texts(doc, passage)` gives a passage's text for concordance lines,
    which are cut only when asked for."""
    if accepted is None:
        accepted = accepted_names(records, gaz, lower, stop)
    raw, types = _mentions_of(records, accepted, stop)
    index = EntityIndex(gaz, raw, types, stop)
    index.texts = texts
    return index


def _mentions_of(records: dict, accepted: dict,
                 stop: Callable[[], bool] | None = None) -> tuple[list[tuple], dict[str, str]]:
    """The mentions (name, doc, passage, start, end, surface) of the scans' gazetteer names
    and of the `accepted` names, less the gazetteer names an accepted one swallows, and
    {name: type}. Linear in the mentions (by passage, not mentions x names)."""
    raw: list[tuple] = []
    types: dict[str, str] = {}
    for doc, (found, _) in _checking(records.items(), stop):
        for name, kind, n, s, e, surface in found:
            types[name] = kind
            raw.append((name, doc, n, s, e, surface))
    spans: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for name, kind, places in _checking(accepted.values(), stop):
        if kind:
            types[name] = kind
        for d, n, s, e, t in places:
            raw.append((name, d, n, s, e, t))
            spans[(d, n)].append((s, e))
    if spans:           # by passage: linear in the mentions, not mentions x names
        kept = []
        for i, m in enumerate(raw):
            if stop is not None and not i & 0xFFFF and stop():
                raise Stopped()
            near = spans.get((m[1], m[2]))
            if near is None or not _swallowed(m[3], m[4], near):
                kept.append(m)
        raw = kept
    return raw, types


def _swallowed(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Does one of `spans` hold start..end and more? A loop, not any() over a generator:
    asked for most mentions of a document while it is indexed, with two spans on average,
    setting up the generator cost more than the comparisons."""
    for s, e in spans:
        if s <= start and end <= e and (s != start or e != end):
            return True
    return False


class DocumentIndex(_Lookups):
    """What `extract_events` asks of an EntityIndex (`in_passage`, `entry`, `gazetteer`), for
    one document's scan: the same answers as `aggregate` of that scan alone gives. It exists
    because `extracted.record` needs it for every document indexed, and an EntityIndex makes
    Entity objects, sorted aliases and a copy of the gazetteer's names the events never use.
    Names are looked up as EntityIndex does: a mention's name first (folded, the last one
    read wins), then the gazetteer's names and aliases, then the surface forms read."""

    def __init__(self, gaz: G.Gazetteer, mentions: list[tuple]):
        self.gazetteer = gaz
        self._mentions = mentions
        self._passage: dict[tuple[str, int], list[tuple]] = defaultdict(list)
        for m in mentions:
            self._passage[(m[1], m[2])].append(m)
        self._names = {fold(name): name for name in dict.fromkeys(m[0] for m in mentions)}
        self._surfaces: dict[str, str] | None = None      # made when first needed (rarely)
        self._entries: dict[str, G.Entry | None] = {}

    def _in_passage(self, doc: str, passage: int) -> list[tuple]:
        return self._passage.get((doc, passage), [])

    def _name(self, name: str) -> str | None:
        key = folded_name(name)
        found = self._names.get(key)
        if found is None:
            found = _gazetteer_lookup(self.gazetteer).get(key)
        if found is None:
            if self._surfaces is None:
                self._surfaces = {}
                forms: dict[str, dict[str, None]] = {}
                for m in self._mentions:
                    forms.setdefault(m[0], {})[m[5]] = None
                for canonical, surfaces in forms.items():
                    for surface in surfaces:
                        self._surfaces.setdefault(fold(surface), canonical)
            found = self._surfaces.get(key)
        return found


def document_index(doc: str, scanned: tuple, gaz: G.Gazetteer, accepted: dict) -> DocumentIndex:
    """The DocumentIndex of one document's scan, with the names `accepted` in it."""
    return DocumentIndex(gaz, _mentions_of({doc: scanned}, accepted)[0])


def _texts(engine) -> Callable[[str, int], str]:
    """(doc, passage) -> text, reading a whole document at a time (mentions come by document)."""
    last: dict = {}

    def text(doc: str, number: int) -> str:
        if doc not in last:
            last.clear()
            found = engine.document(doc)
            last[doc] = {p.number: p.text for p in found.passages} if found else {}
        return last[doc].get(number, "")
    return text


def _fingerprint(extra_files) -> str:
    from search.entities.extracted import VERSION
    return f"{G.fingerprint(extra_files)}:{VERSION}"


def _field_names(found) -> list[str]:
    return sorted({f.key.replace(",", " ") for f in found})


def index_hook(extra_files: list[Path] | None = None) -> Callable[[Passage], list[str]]:
    """passage -> folded canonical names of the gazetteer entities it names (for the `entity` field).

    Passages of a document arrive in order, so a surname alone counts after the full name.
    The gazetteer is read on the first passage: an index that is already current never pays.
    `extract(doc)` (run by the store before the document's passages are indexed) keeps what
    its scan matched in each passage, and the passages of that document take it from there
    instead of being matched again (the same matcher, text and order: the same names)."""
    state: dict = {"doc": None, "last": 0, "named": {}, "matcher": None,
                   "seen_doc": None, "seen": {}}
    lock = threading.Lock()

    def entity_names(p: Passage) -> list[str]:
        with lock:
            if state["matcher"] is None:
                state["matcher"] = Matcher(G.load(extra_files))
            matcher = state["matcher"]
            if p.doc != state["doc"] or p.number <= state["last"]:
                state.update(doc=p.doc, named={})
            seen = state["seen"].get(p.number) if p.doc == state["seen_doc"] else None
            if seen is not None and seen[0] == p.text and seen[2] == state["named"]:
                state["last"] = p.number           # matched from the same point: the same names
                state["named"] = dict(seen[3])
                return list(seen[1])
            state["last"] = p.number
            found = matcher.find(p.text, state["named"])
        return _field_names(found)

    def extract(doc: Document):
        """The document's entities and events, to store with the index (search.entities.extracted)."""
        from search.entities.extracted import record
        with lock:
            if state["matcher"] is None:
                state["matcher"] = Matcher(G.load(extra_files))
            matcher = state["matcher"]
        seen: dict = {}
        try:
            return record(doc, matcher.gaz, matcher, seen)
        finally:
            with lock:
                state.update(seen_doc=doc.id, seen=seen)

    from search.entities import extracted
    entity_names.extract = extract
    entity_names.records = extracted                  # how the store keeps what `extract` gives
    entity_names.fingerprint = _fingerprint(extra_files)
    entity_names.files = list(extra_files or [])      # so another process can make the same
    return entity_names
