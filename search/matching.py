"""Finding gazetteer names in text, the way a careful reader would.

- whole words only, compared without accents (Tô Lâm = To Lam) and, except in acronyms, without case;
- an acronym (two or more capitals: US, RoK, IISS) matches only in that case, so "us" is not the US;
- the longest name wins (South China Sea, not China); a possessive 's is left outside (China's);
- a name starts with a capital in the text (unless its gazetteer form does not), never with "the";
- the words of a name are separated exactly as in the gazetteer (a space, a hyphen, an
  apostrophe), so no name runs across a line break, a comma, a colon (bylines, photo credits);
- a person's short form (Lam, Trong, Biden) counts only once the document has named them in full.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .gazetteer import Gazetteer

TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+\+?")
_GAP_FIX = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "–": "-", "—": "-", "‐": "-", "‑": "-"})


class _PlainTable(dict):
    """str.translate table: each character to its accent-free base (one character), made
    when first met. ASCII characters are not in the table, so translate keeps them."""

    def __missing__(self, code: int) -> int:
        c = chr(code)
        d = unicodedata.normalize("NFKD", c.replace("đ", "d").replace("Đ", "D"))
        base = "".join(x for x in d if not unicodedata.combining(x))
        self[code] = value = ord(base) if len(base) == 1 else code
        return value


_PLAIN = _PlainTable()


def plain(text: str) -> str:
    """Accents removed, case kept, one character for one: offsets stay valid."""
    return text if text.isascii() else text.translate(_PLAIN)


@dataclass(slots=True)
class Token:
    start: int
    end: int
    exact: str        # accent-free, dots of an acronym removed, case kept
    low: str

    @property
    def capital(self) -> bool:
        return self.exact[:1].isupper() or self.exact[:1].isdigit()


def tokens(text: str) -> list[Token]:
    flat = plain(text)
    out = []
    for m in TOKEN.finditer(flat):
        exact = m.group()
        if "." in exact:
            exact = exact.replace(".", "")
        start, end = m.span()
        out.append(Token(start, end, exact, exact.lower()))
    return out


def gap(text: str, a: Token, b: Token) -> str:
    return text[a.end:b.start].translate(_GAP_FIX)


@dataclass(frozen=True)
class Pattern:
    words: tuple[str, ...]
    exact: tuple[str | None, ...]      # the case a word must have, for acronyms
    gaps: tuple[str, ...]
    lower_start: bool                   # the gazetteer form starts in lower case
    key: str                            # the entity (folded canonical name)


def pattern(name: str, key: str) -> Pattern | None:
    toks = tokens(name)
    if not toks:
        return None
    exact = tuple(t.exact if sum(c.isupper() for c in t.exact) >= 2 else None for t in toks)
    gaps = tuple(gap(name, a, b) for a, b in zip(toks, toks[1:]))
    return Pattern(tuple(t.low for t in toks), exact, gaps, not toks[0].exact[:1].isupper(), key)


@dataclass
class Found:
    start: int
    end: int
    key: str
    short: bool = False


class Matcher:
    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        full: dict[tuple, Pattern] = {}
        short: dict[tuple, list[Pattern]] = {}
        for key, entry in gaz.entries.items():
            for name in entry.names():
                p = pattern(name, key)
                if p:
                    full[(p.words, p.exact, p.gaps)] = p      # a later file wins a shared name
            for name in entry.short:
                p = pattern(name, key)
                if p:
                    short.setdefault((p.words, p.exact, p.gaps), []).append(p)
        self.full = self._by_first(full.values())
        self.short = self._by_first(p for ps in short.values() for p in ps)

    @staticmethod
    def _by_first(patterns) -> dict[str, list[Pattern]]:
        table: dict[str, list[Pattern]] = {}
        for p in patterns:
            table.setdefault(p.words[0], []).append(p)
        for ps in table.values():
            ps.sort(key=lambda p: -len(p.words))
        return table

    @staticmethod
    def _fits(p: Pattern, text: str, toks: list[Token], i: int) -> bool:
        n = len(p.words)
        if i + n > len(toks):
            return False
        if not p.lower_start and not toks[i].capital:
            return False
        for j in range(n):
            t = toks[i + j]
            if t.low != p.words[j] or (p.exact[j] is not None and t.exact != p.exact[j]):
                return False
            if j and gap(text, toks[i + j - 1], t) != p.gaps[j - 1]:
                return False
        return True

    def find(self, text: str, named: dict[str, int] | None = None,
             toks: list[Token] | None = None) -> list[Found]:
        """Names in one passage. `named` (person key -> order first named) is the document's
        memory of people named in full; it is updated, so pass the same dict for each passage."""
        named = {} if named is None else named
        toks = tokens(text) if toks is None else toks
        found: list[Found] = []
        i = 0
        full, short = self.full, self.short
        while i < len(toks):
            low = toks[i].low
            if low not in full and low not in short:     # most words start no name
                i += 1
                continue
            hit = next((p for p in full.get(low, ()) if self._fits(p, text, toks, i)), None)
            is_short = False
            if hit is None:
                options = [p for p in short.get(low, ())
                           if p.key in named and toks[i].capital and self._fits(p, text, toks, i)]
                if options:
                    hit = max(options, key=lambda p: (len(p.words), named[p.key]))
                    is_short = True
            if hit is None:
                i += 1
                continue
            last = toks[i + len(hit.words) - 1]
            found.append(Found(toks[i].start, last.end, hit.key, is_short))
            entry = self.gaz.entries.get(hit.key)
            if not is_short and entry is not None and entry.type == "person":
                named[hit.key] = max(named.values(), default=0) + 1
            i += len(hit.words)
        return found
