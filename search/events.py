"""Finding events in sentences: a statement of a relationship, a date, and the partners named.

A sentence is an event when it says something happened between states (an upgraded partnership,
normalised ties, a country joining a body, a signed agreement, a visit, a tariff, a drill, a
clash) and gives a date. Partners are the countries and bodies the sentence names (a person
counts for their country, a capital for its state); Vietnam itself is the other side.
"""
from __future__ import annotations

import re

from .dates import find_dates
from .text import SENTENCE_END, fold

_UPGRADE = re.compile(r"\b(?:elevat|upgrad|establish|rais|lift|sign|forg|agree|becam|become|announc|"
                      r"deepen|seal|struck|ink|adopt|launch|form|enter|reach)\w*", re.I)
_KEEP = re.compile(r"\b(?:reinforc|strengthen|bolster|consolidat|maintain|existing|implement|"
                   r"celebrat|mark|review|under)\w*", re.I)
_PASSIVE = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:was|were|had been|has been|have been) "
                      r"(?:formally |officially )?(?:established|upgraded|elevated|signed|launched)\b", re.I)
_P = r"partner(?:ship)?s?\b"
TIERS = [("comprehensive strategic partnership", re.compile(rf"\bcomprehensive strategic {_P}", re.I)),
         ("strategic partnership", re.compile(rf"(?<!comprehensive )\bstrategic {_P}(?! dialogue)", re.I)),
         ("comprehensive partnership", re.compile(rf"\bcomprehensive {_P}", re.I)),
         ("strategic partnership", re.compile(r"\belevat\w* (?:its |their |the )?(?:\w+ )?(?:partnerships?|ties|relations)\b", re.I))]
FIGURE = re.compile(r"\b(?:reached|totall?ed|rose|fell|grew|stood at|amounted to|hit)\b[^.;]{0,40}$", re.I)
OFFSET = re.compile(r"\b(?:years?|months?|decades?|weeks?|days?) (?:after|before|later|earlier)\b", re.I)


def tier_triggers(sentence: str) -> list[tuple[str, int]]:
    """Partnership tiers the sentence says were reached: the nearest verb before the name of
    the tier must be one of making (signed, upgraded), not of keeping (reinforcing)."""
    out = []
    for kind, pat in TIERS:
        for m in pat.finditer(sentence):
            if pat is TIERS[-1][1]:
                out.append((kind, m.start()))
                continue
            before = sentence[max(0, m.start() - 120):m.start()]
            verbs = [(v.end(), True) for v in _UPGRADE.finditer(before)]
            verbs += [(v.end(), False) for v in _KEEP.finditer(before)]
            if (verbs and max(verbs)[1]) or _PASSIVE.match(sentence[m.end():]):
                out.append((kind, m.start()))
    return out


RULES = [   # (kind, pattern); the first that matches decides the kind
    ("normalisation",
     r"\bnormali[sz]\w*\b.*\b(?:ties|relations)\b|\b(?:ties|relations)\b.*\bnormali[sz]\w*|"
     r"\b(?:repair\w*|restor\w*|resum\w*) (?:\w+ )?(?:ties|relations)\b"),
    ("diplomatic relations",
     r"\b(?:establish\w*|set up|open\w*|forg\w*) (?:formal |full )?diplomatic (?:relations|ties)\b|"
     r"\bdiplomatic (?:relations|ties) (?:were|was|had been) established\b"),
    ("membership",
     r"\b(?:joined|joins|join|became a (?:full )?member|become a (?:full )?member|"
     r"accession to|acceded to|admitted to|was admitted)\b"),
    ("incident",
     r"\b(?:seiz\w+|clash\w*|rammed|ramming|water cannons?|collid\w+|collision|harass\w*|"
     r"confrontation|riots?|sank|sunk|fired on|opposition to|protest\w*|detain\w*)\b"),
    ("visit",
     r"\b(?:visit\w*|travel+ed to|trip to|arrived in|hosted|toured|paid a)\b"),
    ("trade",
     r"\b(?:tariffs?|trade (?:deal|talks|agreement|pact|war|dispute)|duties|levies|"
     r"anti-dumping|export controls?)\b"),
    ("agreement",
     r"\b(?:signed|sign|agreements?|accords?|memorand\w+|MoUs?|treat(?:y|ies)|deals?)\b"),
    ("defence",
     r"\b(?:drills?|joint exercises?|military exercises?|naval exercises?|port calls?|"
     r"warships?|aircraft carriers?|defen[cs]e (?:cooperation|dialogue|policy dialogue|ties|"
     r"industry|pact))\b"),
]
RULES = [(k, re.compile(p, re.I)) for k, p in RULES]
PARTY_TYPES = ("country", "org", "person", "place")
BODIES_FOR = {"membership"}      # organisations count as partners only when joining them
HOME = "vietnam"


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of a passage."""
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        out.append((start, text[start:m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(s, t) for s, t in out if t.strip()]


GROUP = {"normalisation": 1, "diplomatic relations": 1, "membership": 1, "incident": 2,
         "visit": 2, "trade": 3, "agreement": 3, "defence": 3}     # tiers are group 0
NEAR = 100        # characters: a date belongs to the most specific event words this close
_BOTH = re.compile(r"\b(?:two|both) (?:countries|nations|sides|governments|leaders|states)\b|"
                   r"\bbilateral\b", re.I)


def classify(sentence: str) -> list[tuple[str, int]]:
    """Every (kind, position of its words) the sentence may state."""
    out = tier_triggers(sentence)
    for kind, pat in RULES:
        out.extend((kind, m.start()) for m in pat.finditer(sentence))
    return out


def kind_for(date, triggers: list[tuple[str, int]]) -> tuple[str, int]:
    """The event words a date belongs to: the most specific ones close by, else the nearest."""
    def dist(t):         # a date usually follows the words it dates
        return date.start - t[1] if t[1] <= date.start else 3 * (t[1] - date.start)
    close = [t for t in triggers if abs(date.start - t[1]) <= NEAR]
    if close:
        return min(close, key=lambda t: (GROUP.get(t[0], 0), dist(t)))
    return min(triggers, key=dist)


def side_of(entry, kind: str) -> str | None:
    """The state (or, for joining, the body) a named entity stands for in an event."""
    if entry is None:
        return None
    if entry.type == "country":
        return entry.name
    if kind in ("membership", "agreement") and entry.body:
        return entry.name
    return entry.country


def sides(sent: str, offset: int, mentions, index, kind: str) -> list[tuple[str, int]]:
    """(partner, position in the sentence) for the sides a sentence names, Vietnam aside.
    Nationality words ("Chinese troops") count only when no state is named."""
    out: dict[str, int] = {}
    for m in mentions:
        name = side_of(index.entry(m.entity), kind)
        if name and fold(name) != HOME:
            out.setdefault(name, m.end - offset)
    if not out and kind != "membership":
        for word, country in index.gazetteer.demonyms.items():
            for hit in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", sent):
                if fold(country) != HOME:
                    out.setdefault(country, hit.end())
    return sorted(out.items(), key=lambda x: x[1])


def _pair_dates(found: list[tuple[str, int]], dates) -> list[tuple[list[str], object]]:
    """With several dates and several partners ("the U.S. in 1995 and China in 1991"), each
    partner takes the first date after it; otherwise all partners share the date."""
    if len(dates) < 2 or len(found) < 2:
        return []
    groups: dict[int, list[str]] = {}
    for name, pos in found:
        after = [i for i, d in enumerate(dates) if d.start >= pos]
        if not after:
            return []
        groups.setdefault(after[0], []).append(name)
    return [(names, dates[i]) for i, names in groups.items()] if len(groups) > 1 else []


def summary_of(kind: str, partners: list[str], date_words: str | None) -> str:
    who = ", ".join(partners)
    text = {"membership": f"Vietnam joins {who}",
            "visit": f"Visit: Vietnam and {who}",
            "normalisation": f"Vietnam and {who} normalise relations",
            "diplomatic relations": f"Vietnam and {who} establish diplomatic relations",
            }.get(kind, f"{kind[0].upper()}{kind[1:]}: Vietnam and {who}")
    return f"{text} ({date_words}; no article date)" if date_words else text


def extract_events(documents, index) -> list:
    """Events stated in the documents' passages. `index` is the corpus's EntityIndex."""
    from .timeline import Event, Evidence
    out = []
    for doc in documents:
        last_sides: list[tuple[str, int]] = []      # for "the two countries"
        for p in doc.passages:
            mentions = index.in_passage(doc.id, p.number)
            for offset, sent in sentences(p.text):
                inside = [m for m in mentions if offset <= m.start and m.end <= offset + len(sent)]
                named = sides(sent, offset, inside, index, "other")
                triggers = classify(sent)
                dates = find_dates(sent, doc.date) if triggers else []
                by_kind: dict[str, list] = {}
                for date in dates:
                    if FIGURE.search(sent[:date.start]):
                        continue                        # "trade reached $X in 2024": a figure's date
                    kind, where = kind_for(date, triggers)
                    lo, hi = sorted((date.end, where))
                    if not OFFSET.search(sent[lo:hi]):   # "a year after": not the event's date
                        by_kind.setdefault(kind, []).append(date)
                for kind, kdates in by_kind.items():
                    found = sides(sent, offset, inside, index, kind)
                    if not found and kind != "membership" and _BOTH.search(sent):
                        found = [(n, 0) for n, _ in last_sides]
                    if not found:
                        continue
                    groups = _pair_dates(found, kdates) or [([n for n, _ in found], d) for d in kdates]
                    for partners, date in groups:
                        words = None if date.value else date.text
                        out.append(Event(date=date.value or "", partners=partners, kind=kind,
                                         summary=summary_of(kind, partners, words),
                                         evidence=[Evidence(doc.id, p.number, sent.strip())]))
                if named:
                    last_sides = named
    return out
