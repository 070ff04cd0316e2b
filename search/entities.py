"""Who and what each article names: entities, their mentions (passage and span), co-occurrence.

`load_entity_index(engine)` reads every document's passages from the engine and matches the
gazetteer (bundled + user files) against them; recurring capitalised names the gazetteer does not
know are added as `unclassified`. `index_hook` gives the search index its `entity` field.
"""
from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

from . import gazetteer as G
from .matching import Matcher, tokens
from .model import Document, Passage
from .names import LINKS, NOT_ALONE, institutions, runs
from .nametypes import NOT_A_NAME, WEAK_PERSON, person_tail, single_type, type_of
from .text import fold

CONTEXT = 60          # characters of concordance context each side
MIN_UNCLASSIFIED = 2  # an unknown name must occur this often in the corpus


@dataclass
class Entity:
    name: str
    type: str
    aliases: list[str]      # surface forms seen, most frequent first
    mentions: int
    docs: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Mention:
    entity: str             # canonical name
    doc: str
    passage: int
    start: int
    end: int
    text: str               # the surface form
    left: str
    right: str

    def to_dict(self) -> dict:
        return asdict(self)


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    left = text[max(0, start - CONTEXT):start].replace("\n", " ")
    right = text[end:end + CONTEXT].replace("\n", " ")
    return left, right


class EntityIndex:
    """Every mention in a corpus, grouped by entity. Names are looked up without case or accents."""

    def __init__(self, gaz: G.Gazetteer, mentions: list[Mention], types: dict[str, str]):
        self.gazetteer = gaz
        self.warnings = list(gaz.warnings)
        self._mentions: dict[str, list[Mention]] = defaultdict(list)
        self._passage: dict[tuple[str, int], list[Mention]] = defaultdict(list)
        for m in mentions:
            self._mentions[m.entity].append(m)
            self._passage[(m.doc, m.passage)].append(m)
        self._types = types
        self._entries: dict[str, G.Entry | None] = {}      # entry() of each name asked
        self._lookup: dict[str, str] = {}
        for entry in gaz.entries.values():
            for name in [*entry.names()]:
                self._lookup.setdefault(fold(name), entry.name)
        for name, ms in self._mentions.items():
            self._lookup[fold(name)] = name
            for m in ms:
                self._lookup.setdefault(fold(m.text), name)
        self._entities = {name: self._make(name) for name in self._mentions}

    def _make(self, name: str) -> Entity:
        ms = self._mentions.get(name, [])
        forms = Counter(m.text for m in ms)
        return Entity(name=name, type=self._types.get(name, G.UNCLASSIFIED),
                      aliases=[f for f, _ in sorted(forms.items(), key=lambda x: (-x[1], x[0]))],
                      mentions=len(ms), docs=sorted({m.doc for m in ms}))

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

    def entry(self, name: str) -> G.Entry | None:
        """The gazetteer entry (role, country) behind a name, if there is one."""
        if name in self._entries:
            return self._entries[name]
        canonical = self._name(name)
        found = self._entries[name] = self.gazetteer.get(canonical) if canonical else None
        return found

    def mentions(self, name: str) -> list[Mention]:
        canonical = self._name(name)
        return list(self._mentions.get(canonical, [])) if canonical else []

    def cooccurring(self, name: str, limit: int = 10) -> list[tuple[str, int]]:
        """Entities that share passages with this one: (name, passages shared), most first."""
        canonical = self._name(name)
        if canonical is None:
            return []
        places = {(m.doc, m.passage) for m in self._mentions.get(canonical, [])}
        counts: Counter = Counter()
        for place in places:
            counts.update({m.entity for m in self._passage[place]} - {canonical})
        return sorted(counts.items(), key=lambda x: (-x[1], fold(x[0])))[:limit]

    def in_passage(self, doc: str, passage: int) -> list[Mention]:
        return sorted(self._passage.get((doc, passage), []), key=lambda m: m.start)

    def type_of(self, name: str) -> str | None:
        canonical = self._name(name)
        return self._types.get(canonical, G.UNCLASSIFIED) if canonical else None


def extract(documents: Iterable[Document], gaz: G.Gazetteer,
            matcher: Matcher | None = None) -> EntityIndex:
    """Match the gazetteer over the documents' passages (in order), then add the names it does
    not know: typed by their evidence (search.nametypes) even when named once, and recurring
    capitalised names as unclassified. Linear in the text."""
    matcher = matcher or Matcher(gaz)
    mentions: list[Mention] = []
    types: dict[str, str] = {}
    candidates: dict[str, list[tuple[Passage, int, int, str | None]]] = defaultdict(list)
    lower: set[str] = set()         # words the corpus writes in lower case: common words
    for doc in documents:
        named: dict[str, int] = {}
        for p in doc.passages:
            toks = tokens(p.text)
            lower.update(t.low for t in toks if t.exact[:1].islower())
            found = matcher.find(p.text, named, toks)
            covered = set()
            k = 0
            for f in found:
                entry = gaz.entries[f.key]
                types[entry.name] = entry.type
                mentions.append(_mention(entry.name, p, f.start, f.end))
                while k < len(toks) and toks[k].start < f.end:
                    if toks[k].start >= f.start:
                        covered.add(k)
                    k += 1
            in_runs = set(covered)
            for i, j in runs(p.text, toks, covered) + institutions(p.text, toks, covered):
                in_runs.update(range(i, j + 1))
                kind = type_of(p.text, toks, i, j)
                if kind is None and j - i >= 2:
                    k = person_tail(p.text, toks, i, j)
                    if k is not None:
                        i, kind = k, "person"
                start, end = toks[i].start, toks[j].end
                candidates[fold(p.text[start:end])].append((p, start, end, kind))
            for i, t in enumerate(toks):
                if i not in in_runs and t.exact[:1].isupper() and t.low not in NOT_ALONE:
                    kind = single_type(p.text, toks, i)
                    if kind:
                        candidates[fold(t.exact)].append((p, t.start, t.end, kind))
    longer: set[tuple[str, int, int, int]] = set()      # spans that swallow known names
    for key, places in candidates.items():
        kinds = Counter(k for *_, k in places if k)
        places = list({(p.doc, p.number, s, e): (p, s, e) for p, s, e, _ in places}.values())
        if key in gaz.entries:
            continue
        kind = kinds.most_common(1)[0][0] if kinds else None
        words = key.replace("-", " ").split()
        if kind == WEAK_PERSON:         # a given name first: its other words must not be common
            kind = None if any(w in lower and w not in LINKS for w in words[1:]) else "person"
        if kind == NOT_A_NAME or (kind == "place" and len(words) == 1 and key in lower):
            continue
        if kind is None and (len(places) < MIN_UNCLASSIFIED
                             or all(w in lower for w in key.replace("-", " ").split())):
            continue
        forms = Counter(p.text[s:e] for p, s, e in places)
        name = sorted(forms.items(), key=lambda x: (-x[1], x[0]))[0][0]
        if kind:
            types[name] = kind
        mentions.extend(_mention(name, p, s, e) for p, s, e in places)
        longer.update((p.doc, p.number, s, e) for p, s, e in places)
    if longer:          # by passage: linear in the mentions, not mentions x names
        spans: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
        for d, n, s, e in longer:
            spans[(d, n)].append((s, e))
        mentions = [m for m in mentions if not any(
            s <= m.start and m.end <= e and (s, e) != (m.start, m.end)
            for s, e in spans.get((m.doc, m.passage), ()))]
    return EntityIndex(gaz, mentions, types)


def _mention(name: str, p: Passage, start: int, end: int) -> Mention:
    left, right = _context(p.text, start, end)
    return Mention(name, p.doc, p.number, start, end, p.text[start:end], left, right)


def load_entity_index(engine, extra_files: list[Path] | None = None) -> EntityIndex:
    """The entity index of everything the engine holds (the gazetteer with the user's files)."""
    gaz = G.load(extra_files)
    docs = (engine.document(d["id"]) for d in engine.documents())
    return extract((d for d in docs if d is not None), gaz)


def index_hook(extra_files: list[Path] | None = None) -> Callable[[Passage], list[str]]:
    """passage -> folded canonical names of the gazetteer entities it names (for the `entity` field).

    Passages of a document arrive in order, so a surname alone counts after the full name.
    The gazetteer is read on the first passage: an index that is already current never pays."""
    state: dict = {"doc": None, "last": 0, "named": {}, "matcher": None}
    lock = threading.Lock()

    def entity_names(p: Passage) -> list[str]:
        with lock:
            if state["matcher"] is None:
                state["matcher"] = Matcher(G.load(extra_files))
            matcher = state["matcher"]
            if p.doc != state["doc"] or p.number <= state["last"]:
                state.update(doc=p.doc, named={})
            state["last"] = p.number
            found = matcher.find(p.text, state["named"])
        return sorted({f.key.replace(",", " ") for f in found})

    entity_names.fingerprint = G.fingerprint(extra_files)
    entity_names.files = list(extra_files or [])      # so another process can make the same
    return entity_names
