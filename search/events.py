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
TIERS = [("comprehensive strategic partnership", re.compile(r"\bcomprehensive strategic partnerships?\b", re.I)),
         ("strategic partnership", re.compile(r"(?<!comprehensive )\bstrategic partnerships?\b(?! dialogue)", re.I)),
         ("comprehensive partnership", re.compile(r"\bcomprehensive partnerships?\b", re.I)),
         ("strategic partnership", re.compile(r"\belevat\w* (?:its |their |the )?(?:\w+ )?(?:partnerships?|ties|relations)\b", re.I))]
OFFSET = re.compile(r"\b(?:years?|months?|decades?|weeks?|days?) (?:after|before|later|earlier)\b", re.I)


def tier_of(sentence: str) -> tuple[str, int] | None:
    """A partnership tier the sentence says was reached: the nearest verb before the name of
    the tier must be one of making (signed, upgraded), not of keeping (reinforcing)."""
    for kind, pat in TIERS:
        for m in pat.finditer(sentence):
            if kind == "strategic partnership" and pat is TIERS[-1][1]:
                return kind, m.start()
            before = sentence[max(0, m.start() - 120):m.start()]
            verbs = [(v.end(), True) for v in _UPGRADE.finditer(before)]
            verbs += [(v.end(), False) for v in _KEEP.finditer(before)]
            if (verbs and max(verbs)[1]) or _PASSIVE.match(sentence[m.end():]):
                return kind, m.start()
    return None


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


def classify(sentence: str) -> list[tuple[str, int]]:
    """Every kind the sentence may state, most specific first, with the position of its words."""
    out = []
    tier = tier_of(sentence)
    if tier:
        out.append(tier)
    for kind, pat in RULES:
        m = pat.search(sentence)
        if m:
            out.append((kind, m.start()))
    return out


def side_of(entry, kind: str) -> str | None:
    """The state (or, for joining, the body) a named entity stands for in an event."""
    if entry is None:
        return None
    if entry.type == "country":
        return entry.name
    if kind == "membership" and entry.body:
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
        for p in doc.passages:
            mentions = index.in_passage(doc.id, p.number)
            for offset, sent in sentences(p.text):
                dates = [d for d in find_dates(sent, doc.date)]
                if not dates:
                    continue
                inside = [m for m in mentions if offset <= m.start and m.end <= offset + len(sent)]
                for kind, where in classify(sent):
                    found = sides(sent, offset, inside, index, kind)
                    if found:
                        break
                else:
                    continue
                groups = _pair_dates(found, dates) or [
                    ([n for n, _ in found], min(dates, key=lambda d: abs(d.start - where)))]
                for partners, date in groups:
                    lo, hi = sorted((date.end, where))
                    if OFFSET.search(sent[lo:hi]):
                        continue          # "less than a year after": the date is not the event's
                    words = None if date.value else date.text
                    out.append(Event(date=date.value or "", partners=partners, kind=kind,
                                     summary=summary_of(kind, partners, words),
                                     evidence=[Evidence(doc.id, p.number, sent.strip())]))
    return out
