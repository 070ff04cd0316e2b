"""Finding events in sentences: a statement of a relationship, a date, and the partners named.

A sentence is an event when it says something happened between states (an upgraded partnership,
normalised ties, a country joining a body, a signed agreement, a visit, a tariff, a drill, a
clash) and gives a date. Partners are the countries and bodies the sentence names (a person
counts for their country, a capital for its state); Vietnam itself is the other side.
"""
from __future__ import annotations

import functools
import re

from search.corpus.dates import _FUTURE, date_in_text, find_dates, stated
from search.corpus.text import fold
from search.timeline.model import HOME, Event, Evidence

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


def lowered(pat: re.Pattern) -> re.Pattern:
    """A re.I pattern for text that `caseless` gave: its letters in lower case, without re.I.
    It finds the same matches at the same places (`caseless` turns each character into the
    letter re.I takes it for) at about twice the speed, since re.I compares each character
    through its cases."""
    source = pat.pattern
    if not pat.flags & re.I or not source.isascii() or re.search(r"\\[0-9xuUN]", source):
        raise ValueError(f"not a pattern that lower case can stand for: {source}")
    return re.compile(_LETTER_OR_ESCAPE.sub(lambda m: m.group() if m.group()[0] == "\\" else
                                            m.group().lower(), source))


_LETTER_OR_ESCAPE = re.compile(r"\\.|[A-Z]")    # escapes (\W, \b) are left as they are


def tier_triggers(sentence: str, low: str | None = None) -> list[tuple[str, int]]:
    """Partnership tiers the sentence says were reached: the nearest verb before the name of
    the tier must be one of making (signed, upgraded), not of keeping (reinforcing).
    `low`: the sentence as `caseless` gives it, when the caller has it (read faster)."""
    tiers, upgrade, keep, passive = _TIER_PATTERNS if low is None else _LOW_TIER_PATTERNS
    text = sentence if low is None else low
    out = []
    for i, (kind, pat) in enumerate(tiers):
        if low is not None and TIER_WORDS[i] not in low:
            continue
        for m in pat.finditer(text):
            if i == len(tiers) - 1:
                out.append((kind, m.start()))
                continue
            before = text[max(0, m.start() - 120):m.start()]
            verbs = [(v.end(), True) for v in upgrade.finditer(before)]
            verbs += [(v.end(), False) for v in keep.finditer(before)]
            if (verbs and max(verbs)[1]) or passive.match(text[m.end():]):
                out.append((kind, m.start()))
    return out


# The words every match of each of TIERS holds, in lower case: a sentence lacking them is not
# scanned with the pattern (led by \b or a look-behind, a pattern is tried at every character;
# most sentences naming a partner name no tier).
TIER_WORDS = ("comprehensive strategic partner", "strategic partner", "comprehensive partner", "elevat")
_TIER_PATTERNS = (TIERS, _UPGRADE, _KEEP, _PASSIVE)
_LOW_TIER_PATTERNS = ([(kind, lowered(pat)) for kind, pat in TIERS], lowered(_UPGRADE),
                      lowered(_KEEP), lowered(_PASSIVE))


RULES = [   # (kind, pattern); the first that matches decides the kind
    ("normalisation",
     r"\bnormali[sz]\w*\b.*\b(?:ties|relations)\b|\b(?:ties|relations)\b.*\bnormali[sz]\w*|"
     r"\b(?:repair\w*|restor\w*|resum\w*) (?:\w+ )?(?:ties|relations)\b"),
    ("diplomatic relations",
     r"\b(?:establish\w*|set(?:ting)? up|open\w*|forg\w*) (?:of )?(?:their |its |formal |full |bilateral )*"
     r"diplomatic (?:relations|ties)\b|"
     r"\bdiplomatic (?:relations|ties) (?:\w+ ){0,5}?(?:were|was|had been|have been) "
     r"(?:\w+ )?(?:established|set up|forged|opened)\b|"
     r"\b(?:years?|anniversary) of (?:the )?(?:\w+ ){0,2}?diplomatic (?:relations|ties)\b"),
    ("membership",
     r"\b(?:joined|joins|join|joining|accession to|acceded to|admitted|admission|entry into)\b|"
     r"\b(?:became|become|becomes|becoming|been|as|was|is) (?:a|an|the) (?:[\w-]+ ){0,2}?member\b|"
     r"\bnon-permanent (?:membership|member|seat)\b|"
     r"\b(?:its|their) (?:membership|accession) (?:in|of|to)\b|\bfounding (?:member )?of\b"),
    ("incident",
     r"\b(?:seiz\w+|clash\w*|rammed|ramming|water cannons?|collid\w+|collision|harass\w*|"
     r"confrontation|riots?|sank|sunk|fired on|opposition to|protest\w*|detain\w*|stand-?off)\b"),
    ("visit",
     r"\b(?:visit\w*|travel+ed to|trip to|arrived in|hosted|toured|paid a|met|meets|met with|"
     r"held talks|summit|welcome ceremony|welcomed)\b"),
    ("trade",
     r"\b(?:tariffs?|trade (?:deal|talks|agreement|pact|war|dispute)|duties|levies|"
     r"anti-dumping|export controls?)\b"),
    ("agreement",
     r"\b(?:signed|sign|signing|inked|inks|agreements?|accords?|memorand\w+|MoUs?|treat(?:y|ies)|deals?|"
     r"joint (?:statement|declaration|communiqu\w+))\b"),
    ("defence",
     r"\b(?:drills?|joint exercises?|military exercises?|naval exercises?|port calls?|"
     r"warships?|aircraft carriers?|defen[cs]e (?:cooperation|dialogue|policy dialogue|ties|"
     r"industry|pact))\b"),
]
RULES = [(k, re.compile(p, re.I)) for k, p in RULES]
_LOW_RULES = [(k, lowered(p)) for k, p in RULES]
_LOW_FIGURE, _LOW_OFFSET = lowered(FIGURE), lowered(OFFSET)
# Words without which a rule cannot match (each alternative of its pattern holds one of them,
# in lower case): a sentence holding none is not tried against it. Most sentences hold none of
# most, and a regular expression starting with \b and an alternation is slow to scan. They are
# as long as the alternatives allow ("trade war", not "trade"; "treaty", not "treat"): a word
# that most sentences of the corpus hold ("trade", "partner") would let them all through.
NEEDS = {
    "normalisation": ("normali", "repair", "restor", "resum"),
    "diplomatic relations": ("diplomatic relations", "diplomatic ties"),
    "membership": ("join", "accession", "acceded", "admitted", "admission", "entry into",
                   "member", "non-permanent", "founding"),
    "incident": ("seiz", "clash", "rammed", "ramming", "water cannon", "collid", "collision",
                 "harass", "confrontation", "riot", "sank", "sunk", "fired on", "opposition to",
                 "protest", "detain", "stand-off", "standoff"),
    "visit": ("visit", "travel", "trip to", "arrived in", "hosted", "toured", "paid a", "met", "meets",
              "held talks", "summit", "welcome"),
    "trade": ("tariff", "trade deal", "trade talks", "trade agreement", "trade pact", "trade war",
              "trade dispute", "duties", "levies", "anti-dumping", "export control"),
    "agreement": ("sign", "inked", "inks", "agreement", "accord", "memorand", "mou", "treaty",
                  "treaties", "deal", "joint statement", "joint declaration", "joint communiqu"),
    "defence": ("drill", "joint exercise", "military exercise", "naval exercise", "port call",
                "warship", "aircraft carrier", *(f"{d} {w}" for d in ("defence", "defense") for w in
                                                 ("cooperation", "dialogue", "policy dialogue", "ties",
                                                  "industry", "pact"))),
}
_CASELESS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})   # re.I's extra pairs
PARTY_TYPES = ("country", "org", "person", "place")
BODIES_FOR = {"membership"}      # organisations count as partners only when joining them
_HOME = fold(HOME)     # as names are compared


_fold = functools.lru_cache(maxsize=4096)(fold)      # names of states, folded once


# SENTENCE_END's breaks, found from the punctuation before them: the same spaces (group 1),
# but a scan that looks only at . ! ? instead of trying two look-behinds at every character.
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?(\s+)(?=[\"“‘(]?[A-Z0-9À-Ỹ])")


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of a passage, split where SENTENCE_END splits."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, text[start:m.start(1)]))
        start = m.end(1)
    out.append((start, text[start:]))
    return [(s, t) for s, t in out if t.strip()]


GROUP = {"normalisation": 1, "diplomatic relations": 1, "membership": 1, "incident": 2,
         "visit": 2, "trade": 3, "agreement": 3, "defence": 3}     # tiers are group 0
NEAR = 100        # characters: a date belongs to the most specific event words this close
_BOTH = re.compile(r"\b(?:two|both) (?:countries|nations|sides|governments|leaders|states)\b|"
                   r"\bbilateral\b", re.I)


TIER_NEEDS = ("strategic partner", "comprehensive partner", "elevat")   # without which no tier matches


def classify(sentence: str, low: str | None = None) -> list[tuple[str, int]]:
    """Every (kind, position of its words) the sentence may state. `low`: the sentence as
    `caseless` gives it, when the caller has it."""
    if low is None:
        low = caseless(sentence)
    out = tier_triggers(sentence) if any(map(low.__contains__, TIER_NEEDS)) else []
    for kind, pat in RULES:
        if any(map(low.__contains__, NEEDS[kind])):
            out.extend((kind, m.start()) for m in pat.finditer(sentence))
    return out


def caseless(text: str) -> str:
    """The text in lower case as `re.I` compares it (one character for one: offsets hold)."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:
        text = text.translate(_CASELESS)
    return text.lower()


TIER = "tier"       # the kind `candidates` gives the TIER_NEEDS words
_KINDS_OF: dict[str, set[str]] = {}       # a word of NEEDS or TIER_NEEDS -> its kinds
for _kind, _words in [(TIER, TIER_NEEDS), *NEEDS.items()]:
    for _word in _words:
        _KINDS_OF.setdefault(_word, set()).add(_kind)


def _trie(words) -> str:
    """A pattern matching the longest of `words` (lower case) at a place: they are spelt out
    letter by letter as a tree, each letter tried once, a longer word before its prefix."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alts = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body
    return branch(tree)


# The longest word of NEEDS or TIER_NEEDS at each start of a word (a look-ahead: one found
# does not hide another inside it, "deal" in "trade deal"), with the kinds of every such word
# it begins with ("joint statement" begins with "join"). Found from the character before the
# word: each of the words begins with a letter, so \b holds before it exactly where the text
# starts or a character that is not part of a word (\W) comes first. Led by a character
# class, the pattern is tried only at such characters (scanned for in C), where one led by
# \b ("\b(?=(...))") tries a match at every character.
_NEEDED_AFTER_BREAK = re.compile(rf"\W(?=({_trie(_KINDS_OF)}))")
_KINDS_AT: dict[str, frozenset[str]] = {
    longest: frozenset(k for word, kinds in _KINDS_OF.items() if longest.startswith(word) for k in kinds)
    for longest in _KINDS_OF}


def candidates(low: str) -> list[tuple[int, frozenset[str]]]:
    """(place, kinds) of each word of NEEDS and TIER_NEEDS starting a word of `low` (a passage
    as `caseless` gives it). Every alternative of every rule and tier pattern holds one of its
    words at the start of a word, so a sentence of the passage can match a kind only if one of
    that kind's words is placed in it (`kinds_in`). It exists because one scan of the passage
    costs a fraction of searching each sentence for every word of NEEDS. The words are found
    from the break before them (`_NEEDED_AFTER_BREAK`), with a space put before the text for
    its first word: the place of the break in the padded text is the word's in `low`."""
    return [(m.start(), _KINDS_AT[m.group(1)]) for m in _NEEDED_AFTER_BREAK.finditer(" " + low)]


def kinds_in(found: list[tuple[int, frozenset[str]]], start: int, end: int,
             first: int = 0) -> tuple[set[str], int]:
    """The kinds (rules, TIER) the sentence from `start` to `end` of a passage may match, of its
    passage's `candidates` (never fewer than could match, see `classify`), and the index in
    `found` to look from for the next sentence. `first`: the index to look from (a passage's
    sentences are asked about in order, so each candidate is looked at once)."""
    kinds: set[str] = set()
    i, n = first, len(found)
    while i < n and found[i][0] < start:
        i += 1
    while i < n and found[i][0] < end:
        kinds |= found[i][1]
        i += 1
    return kinds, i


def classify_kinds(sentence: str, low: str, kinds: set[str]) -> list[tuple[str, int]]:
    """`classify` for a sentence that can match only `kinds` (`kinds_in`); `low`: the
    sentence as `caseless` gives it (read with the `lowered` patterns)."""
    out = tier_triggers(sentence, low) if TIER in kinds else []
    for kind, pat in _LOW_RULES:
        if kind in kinds:
            out.extend((kind, m.start()) for m in pat.finditer(low))
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
    return [(n, e) for n, _, e in _sides(sent, offset, mentions, index, kind)]


def _sides(sent: str, offset: int, mentions, index, kind: str) -> list[tuple[str, int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for m in mentions:
        name = side_of(index.entry(m.entity), kind)
        if name and _fold(name) != _HOME:
            out.setdefault(name, (m.start - offset, m.end - offset))
    if not out and kind != "membership":
        demonyms = index.gazetteer.demonyms
        for hit in _demonym_pattern(demonyms).finditer(sent):
            country = demonyms[hit.group()]
            if fold(country) != _HOME:
                out.setdefault(country, (hit.start(), hit.end()))
    return sorted(((n, s, e) for n, (s, e) in out.items()), key=lambda x: x[2])


_DEMONYMS: dict[int, tuple[dict, re.Pattern]] = {}


def _demonym_pattern(demonyms: dict[str, str]) -> re.Pattern:
    """One pattern for every nationality word ("Chinese troops"), made once per gazetteer."""
    known = _DEMONYMS.get(id(demonyms))
    if known is None or known[0] is not demonyms:
        words = sorted(demonyms, key=len, reverse=True) or ["(?!)"]
        known = _DEMONYMS[id(demonyms)] = (demonyms, re.compile(
            r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])"))
    return known[1]


_LINK = re.compile(r"^(?:\s*(?:and|&|,|with)\s*|\s*[-–—/]\s*)(?:the\s+)?$", re.I)
_HOME_NAMES = re.compile(r"\b(?:Vietnam|Viet Nam|Việt Nam|Vietnamese)\b")


def counterparts(sent: str, found: list[tuple[str, int, int]], kind: str,
                 main: str | None) -> list[tuple[str, int, int]]:
    """Vietnam's counterparts among the sides a sentence names: those joined to Vietnam
    ("Vietnam and Japan", "Japan-Vietnam", "with Japan"), else, for a step of the relationship,
    the partner the article is about, else every side named."""
    if len(found) < 2:
        return found
    homes = [(h.start(), h.end()) for h in _HOME_NAMES.finditer(sent)]
    linked = [f for f in found for hs, he in homes
              if (he <= f[1] and _LINK.match(sent[he:f[1]])) or (f[2] <= hs and _LINK.match(sent[f[2]:hs]))]
    if linked:
        return list(dict.fromkeys(linked))
    if main and kind in LADDER and any(n == main for n, _, _ in found):
        return [f for f in found if f[0] == main]
    return found


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


LADDER = ("normalisation", "diplomatic relations", "comprehensive partnership",
          "strategic partnership", "comprehensive strategic partnership")
_RAISE = re.compile(r"\b(?:elevat|upgrad|lift|rais)\w*", re.I)


def summary_of(kind: str, partners: list[str], date_words: str | None, sentence: str = "") -> str:
    """What happened, in a short line: "Vietnam and Japan elevate ties to a comprehensive
    strategic partnership"."""
    who = " and ".join(partners) if len(partners) < 3 else ", ".join(partners[:-1]) + " and " + partners[-1]
    if kind in TIER_KINDS:
        verb = "elevate ties to" if _RAISE.search(sentence) else "establish"
        text = f"Vietnam and {who} {verb} a {kind}"
    else:
        text = {"membership": f"Vietnam joins {who}",
                "visit": f"A visit between Vietnam and {who}",
                "normalisation": f"Vietnam and {who} normalise relations",
                "diplomatic relations": f"Vietnam and {who} establish diplomatic relations",
                "agreement": f"Vietnam and {who} sign or agree on a document",
                "trade": f"Vietnam and {who}: a trade measure or deal",
                "defence": f"Vietnam and {who}: defence cooperation",
                "incident": f"An incident between Vietnam and {who}",
                }.get(kind, f"{kind[0].upper()}{kind[1:]}: Vietnam and {who}")
    return f"{text} ({date_words}; no article date)" if date_words else text


TIER_KINDS = ("comprehensive partnership", "strategic partnership", "comprehensive strategic partnership")
# A statement of news, without a date of its own: it happened on the article's date.
_NEWS = re.compile(
    r"\b(?:has|have)\s+(?:\w+\s+){0,2}?(?:elevat|upgrad|lift|rais|establish|becom|join|sign|forg|"
    r"set up|form|ink|seal|agreed)\w*|"
    r"(?<!to )\b(?:elevates?|upgrades?|lifts?|becomes?|joins?|signs?)\b|"
    r"\bagree[sd]? to (?:upgrade|elevate|lift|raise|establish|form)\b|"
    r"\b(?:today|this week)\b", re.I)
_LOW_NEWS = lowered(_NEWS)
# Words without which _NEWS cannot match (each alternative holds one, in lower case)
NEWS_NEEDS = ("has", "have", "elevate", "upgrade", "lift", "become", "join", "sign", "agree",
              "today", "this week")


# _LOW_NEWS found from the character before its match, as `candidates` finds its words (every
# alternative starts a word: \b before a letter, behind "to " for one of them).
_LOW_NEWS_AFTER_BREAK = re.compile(rf"\W(?=({_LOW_NEWS.pattern}))")


def _news_in(low: str) -> tuple[int, int] | None:
    """The span of _NEWS's first match in a sentence as `caseless` gives it. Most sentences
    asked hold none of NEWS_NEEDS, and a pattern led by \\b and an alternation is slow to
    scan: the words are looked for first (about half the time _NEWS took, measured on 2,000
    articles); then the match is looked for only after characters that are not part of a
    word, in the sentence with a space put before it (the break before its first word)."""
    if not any(map(low.__contains__, NEWS_NEEDS)):
        return None
    found = _LOW_NEWS_AFTER_BREAK.search(" " + low)
    return None if found is None else (found.start(), found.end(1) - 1)


_N = r"(\d{1,3}|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ANNIVERSARY = re.compile(      # "the 25th anniversary of", "sixty years of friendly ties"
    rf"(?<!first )(?<!next )(?<!last )(?<!past )(?<!over )(?<!for )\b(?:{_N}(?:st|nd|rd|th)? anniversary of|"
    rf"{_N} years of (?:\w+[’'s]* ){{0,3}}?(?:diplomatic|relations|ties|partnership|membership|"
    rf"accession|joining|friendship)\b)", re.I)
_WORD_NUMBERS = {"ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                 "seventy": 70, "eighty": 80, "ninety": 90}
BUCKET = {"incident": 2, "visit": 2, "trade": 3, "agreement": 3, "defence": 3}   # else 1


class _Date:
    """A date an event takes: its place in the sentence, its value and how it was found."""
    __slots__ = ("start", "end", "text", "value", "basis")

    def __init__(self, start, end, text, value, basis):
        self.start, self.end, self.text, self.value, self.basis = start, end, text, value, basis


def article_date(doc) -> tuple[str | None, str | None]:
    """The article's date and its basis: the front matter's ("article_date"), else one the text
    gives ("derived": a dateline, a byline, the latest date stated), else none."""
    if doc.date:
        return doc.date, "article_date"
    found = date_in_text([p.text for p in doc.passages])
    return (found, "derived") if found else (None, None)


def main_partner(doc, index, mentions: list | None = None) -> str | None:
    """The state an article is mostly about, Vietnam aside: the country named most often.
    `mentions`: each passage's `index.in_passage`, when the caller has them. Each entity
    named is looked up once, however often it is named."""
    if mentions is None:
        mentions = [index.in_passage(doc.id, p.number) for p in doc.passages]
    named: dict[str, int] = {}
    for ms in mentions:
        for m in ms:
            named[m.entity] = named.get(m.entity, 0) + 1
    counts: dict[str, int] = {}
    for entity, n in named.items():
        entry = index.entry(entity)
        if entry is not None and entry.type == "country" and _fold(entry.name) != _HOME:
            counts[entry.name] = counts.get(entry.name, 0) + n
    return max(counts, key=lambda n: (counts[n], n)) if counts else None


def _dates_of(sent: str, triggers, article: str | None, basis: str | None,
              low: str | None = None) -> list[_Date]:
    """The dates of a sentence's events: those written (resolved from the article date when
    relative), "30 years of ties" counted back from it, else the article date for news.
    `low`: the sentence as `caseless` gives it, when the caller has it."""
    # relative words and news resolve only against an article date at least as precise as a
    # month: a year that the text names may be of its history
    ref = article if article and (len(article) >= 7 or basis == "article_date") else None
    out = []
    for d in find_dates(sent, ref, low):
        if stated(d):
            out.append(_Date(d.start, d.end, d.text, d.value, "text"))
        elif d.value:
            out.append(_Date(d.start, d.end, d.text, d.value, basis))
        else:
            out.append(_Date(d.start, d.end, d.text, None, None))
    if article and _MAY_BE_ANNIVERSARY(caseless(sent) if low is None else low):
        anniversaries = []
        for a in _ANNIVERSARY.finditer(sent):
            n = (a.group(1) or a.group(2)).lower()
            years = int(n) if n.isdigit() else _WORD_NUMBERS[n]
            if 0 < years < 200 and not any(d.start <= a.start() < d.end for d in out):
                anniversaries.append(_Date(a.start(), a.end(), a.group(),
                                           f"{int(article[:4]) - years:04d}", "derived"))
        if anniversaries:           # "today ... marks 50 years of ties": the day marks, not the event
            out = [d for d in out if d.basis == "text"] + anniversaries
    if not out and ref:
        if low is None:
            found = _NEWS.search(sent)
            where = found and found.span()
        else:
            where = _news_in(low)
        if where and not _FUTURE.search(sent):
            out.append(_Date(where[1], where[1], "", article, basis))
    return sorted(out, key=lambda d: d.start)


def _MAY_BE_ANNIVERSARY(low: str) -> bool:
    """Does a sentence (as `caseless` gives it) hold the words every _ANNIVERSARY needs?"""
    return "anniversary of" in low or " years of " in low


def _assign(dates: list[_Date], triggers: list[tuple[str, int]]) -> list[tuple[_Date, list[str], list[int]]]:
    """Each date with the event kinds it dates (and where their words are). Event words own
    the first date that follows them ("opened in 1967, lifted to a comprehensive partnership
    in 2016") unless the sentence puts its date first ("In 2015, ... signed"); words with no date
    on that side take the nearest on the other. Of a date's words, one kind of each sort (a step
    of the relationship; a visit or an incident; an agreement, trade or defence) is kept; a date
    that owns no words ("... and ASEAN in 1995") takes the nearest."""
    if not dates:
        return []
    date_first = dates[0].start < min(30, min(t[1] for t in triggers))   # "In May 2015, ..."
    owned: dict[int, list[tuple[str, int]]] = {}
    for t in triggers:
        after = [i for i, d in enumerate(dates) if d.start >= t[1]]
        before = [i for i, d in enumerate(dates) if d.end <= t[1]]
        if date_first:
            owner = before[-1] if before else after[0] if after else None
        else:
            owner = after[0] if after else before[-1] if before else None
        if owner is not None:
            owned.setdefault(owner, []).append(t)
    out = []
    for i, d in enumerate(dates):
        own = owned.get(i) or [kind_for(d, triggers)]
        if d.text and _ANNIVERSARY.fullmatch(d.text):   # "50 years of ties" dates the ties only
            own = [t for t in own if t[0] in LADDER or t[0] == "membership"] or \
                  [t for t in triggers if t[0] in LADDER or t[0] == "membership"]
            if not own:
                continue

        def dist(t):
            return d.start - t[1] if t[1] <= d.start else 3 * (t[1] - d.start)
        best: dict[int, tuple[str, int]] = {}
        for t in sorted(own, key=lambda t: (GROUP.get(t[0], 0), dist(t))):
            best.setdefault(BUCKET.get(t[0], 1), t)
        if best.get(2, ("",))[0] == "incident" and best.get(3, ("",))[0] == "defence":
            del best[3]                 # "warships sunk" in a clash is not defence cooperation
        out.append((d, [t[0] for t in best.values()], [t[1] for t in best.values()]))
    return out


def extract_events(documents, index) -> list:
    """Events stated in the documents' passages. `index` is the corpus's EntityIndex.
    Linear in the text: each sentence is read once, with its own mentions; a passage is put
    in lower case once, and each sentence is tried only against the rules whose words it
    holds (`candidates`): a passage holding none is not even cut in sentences.
    A passage's mentions are fetched, the sides a sentence names and the article's main partner
    worked out, only when an event needs them."""
    out = []
    for doc in documents:
        article, basis = article_date(doc)
        named = functools.cache(lambda i: index.in_passage(doc.id, doc.passages[i].number))
        main = functools.cache(lambda: main_partner(doc, index, list(map(named, range(len(doc.passages))))))
        log: list = []       # the sentences read, for "the two countries" and bodies joined
        last_sides = _Latest(lambda sent, offset, inside: _sides(sent, offset, inside, index,
                                                                  "other"), named, log)   # "the two countries"
        bodies = _Latest(lambda sent, offset, inside: _bodies(sent, offset, inside, index), named, log)
        for i, p in enumerate(doc.passages):
            plow = caseless(p.text)
            cands = candidates(plow) if len(plow) == len(p.text) else None
            if cands == []:                 # none of its sentences can state an event
                log.append((p.text, None, i))
                continue
            figure, offset_words = (FIGURE, OFFSET) if cands is None else (_LOW_FIGURE, _LOW_OFFSET)
            at = 0          # the first of `cands` not before the sentence
            for offset, sent in sentences(p.text):
                end = offset + len(sent)
                if cands is None:
                    low = None
                    triggers = classify(sent)
                else:
                    low = plow[offset:end]
                    held, at = kinds_in(cands, offset, end, at)
                    triggers = classify_kinds(sent, low, held) if held else []
                if triggers:
                    text = sent if low is None else low
                    dates = [d for d in _dates_of(sent, triggers, article, basis, low)
                             if not figure.search(text[:d.start])]   # "trade reached $X in 2024"
                    inside = _inside(named(i), offset, end) if dates else []
                    for date, kinds, wheres in _assign(dates, triggers):
                        for kind, where in zip(kinds, wheres):
                            lo, hi = sorted((date.end, where))
                            if date.text and offset_words.search(text[lo:hi]):
                                continue                 # "a year after": not the event's date
                            out.extend(_events_of(doc, p, sent, offset, inside, index, kind, date,
                                                  dates, main, last_sides, bodies, Event, Evidence))
                log.append((sent, offset, i))
    return out


def _inside(mentions, start: int, end: int) -> list:
    """The mentions lying wholly between start and end (a sentence's, of its passage's)."""
    return [m for m in mentions if start <= m.start and m.end <= end] if mentions else []


class _Latest:
    """The last non-empty value `make(sentence, offset, its mentions)` gave over the sentences
    logged so far, worked out only when asked (backwards from the last sentence, each at most
    once). `log`: the document's sentences read so far, as (sentence, offset, i), or a passage
    read whole as (text, None, i), where `named(i)` gives passage i's mentions; the caller
    appends to it, once for every _Latest of the document. A passage read whole is cut in
    sentences only if asked about."""

    def __init__(self, make, named, log: list):
        self.make, self.named, self.log, self.seen, self.value = make, named, log, 0, []

    def get(self) -> list:
        log, seen = self.log, self.seen
        self.seen = len(log)
        for k in range(len(log) - 1, seen - 1, -1):
            text, offset, i = log[k]
            for at, sent in reversed(sentences(text) if offset is None else [(offset, text)]):
                found = self.make(sent, at, _inside(self.named(i), at, at + len(sent)))
                if found:
                    self.value = found
                    return found
        return self.value


def _bodies(sent, offset, inside, index) -> list[tuple[str, int, int]]:
    return [f for f in _sides(sent, offset, inside, index, "membership")
            if (index.entry(f[0]) or _NOBODY).body]


class _NOBODY:
    body = False


def _events_of(doc, p, sent, offset, inside, index, kind, date, dates, main, last_sides, bodies,
               Event, Evidence) -> list:
    """The events a sentence states for one kind and date. `main()`: the article's main
    partner (`main_partner`), worked out when first asked."""
    found = _sides(sent, offset, inside, index, kind)
    if kind == "membership":       # one joins a body, never a state
        found = _bodies(sent, offset, inside, index) or list(bodies.get())
    if not found and kind == "visit":
        found = _bodies(sent, offset, inside, index)    # "a G7 summit in May"
    if not found and not date.text:
        return []                                # news without a date must name its partner
    if not found and kind != "membership" and _BOTH.search(sent):
        found = list(last_sides.get())
    if not found and kind != "membership" and (kind in LADDER or _HOME_NAMES.search(sent)) and main():
        found = [(main(), 0, 0)]                 # "ties were first opened in 1967"
    if not found:
        return []
    pairs = _pair_dates([(n, e) for n, _, e in found], dates)   # "the U.S. in 1995 and China in 1991"
    if pairs:
        partners = next((names for names, d in pairs if d is date), None)
        if partners is None:
            return []
    else:
        partners = [n for n, _, _ in counterparts(sent, found, kind, main() if len(found) > 1 else None)]
    words = None if date.value else date.text
    return [Event(date=date.value or "", partners=partners, kind=kind,
                  summary=summary_of(kind, partners, words, sent),
                  evidence=[Evidence(doc.id, p.number, sent.strip())],
                  date_basis=date.basis or "text")]
