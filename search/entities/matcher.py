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
from itertools import accumulate, compress, repeat
from operator import itemgetter
from typing import NamedTuple

from search.entities.gazetteer import Gazetteer
from search.corpus.text import NON_ASCII

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


# TOKEN as a splitter, written to open with one character class (a word character) so that
# the regex engine skips to the next word at once instead of trying both branches at every
# character: the same tokens (tests/entities/test_scan_paths.py holds it to TOKEN).
_SPLIT = re.compile(r"([^\W_](?:(?<=[A-Za-z])\.(?:[A-Za-z]\.)+|[^\W_]*\+?))").split


# The same on text known to be ASCII, where a word character is a letter or a digit: the
# regex engine tests a character against these ranges faster than against Unicode's classes.
_ASCII_SPLIT = re.compile(r"([A-Za-z0-9](?:(?<=[A-Za-z])\.(?:[A-Za-z]\.)+|[A-Za-z0-9]*\+?))").split
_WORD_CHAR = re.compile(r"[^\W_]")


class _SplitTable(dict):
    """`_PLAIN` for the text that is split into words, where a character that is in no word
    and not ASCII (curly quotes, dashes: all that is left of most text once accents go)
    becomes a space. Each character stays a word character or not, and a word's characters
    are those `plain` gives, so the words and their offsets are the same; the text to split
    is then ASCII (`_ASCII_SPLIT`) for most passages."""

    def __missing__(self, code: int) -> int:
        value = _PLAIN[code]
        if value > 127 and not _WORD_CHAR.match(chr(value)):
            value = 32
        self[code] = value
        return value


_TO_SPLIT = _SplitTable()


def _plain_run(m: re.Match) -> str:
    return m.group().translate(_PLAIN)


def _split_run(m: re.Match) -> str:
    return m.group().translate(_TO_SPLIT)


def plain(text: str) -> str:
    """Accents removed, case kept, one character for one: offsets stay valid."""
    return text if text.isascii() else NON_ASCII.sub(_plain_run, text)


class Token(NamedTuple):
    start: int
    end: int
    exact: str        # accent-free, dots of an acronym removed, case kept
    low: str

    @property
    def capital(self) -> bool:
        return capital(self.exact)


def capital(word: str) -> bool:
    """Does the word start with a capital or a digit (as a name written in the text does)?"""
    return word[:1].isupper() or word[:1].isdigit()


_FIRST = itemgetter(0)      # a word's first character: an index, read in half the time of a slice


def first_letters(exacts: list[str]) -> str:
    """Each word's first character, as one string: one character a word (no word is empty:
    a token is one character at least, and an acronym keeps its letters)."""
    return "".join(map(_FIRST, exacts))


def _flag_table(test) -> bytes:
    return bytes(test(chr(code)) for code in range(256))


_UPPER_TABLE = _flag_table(str.isupper)
_LOWER_TABLE = _flag_table(str.islower)
_CAPITAL_TABLE = _flag_table(capital)


def _flags(letters: str, table: bytes, test) -> bytes:
    """For each character of `letters`, 1 when `test` holds for it, else 0. Why bytes: a
    passage's first letters are nearly always Latin-1 (accents are gone from the words), and
    one bytes.translate flags them all at once, where a map called `test` once a word."""
    try:
        return letters.encode("latin-1").translate(table)
    except UnicodeEncodeError:
        return bytes(map(test, letters))


def upper_flags(letters: str) -> bytes:
    """str.isupper of each first letter (`first_letters`), as 1 or 0."""
    return _flags(letters, _UPPER_TABLE, str.isupper)


def lower_flags(letters: str) -> bytes:
    """str.islower of each first letter (`first_letters`), as 1 or 0."""
    return _flags(letters, _LOWER_TABLE, str.islower)


def capital_flags(letters: str) -> bytes:
    """`capital` of each first letter (`first_letters`), as 1 or 0."""
    return _flags(letters, _CAPITAL_TABLE, capital)


class TokenList(list):
    """What `tokens` gives: the list of Tokens, with the passage's `exacts`, `lows`, `starts`
    and `ends` beside it (each a list in token order), so callers need not walk the Tokens."""

    __slots__ = ("exacts", "lows", "starts", "ends")


# The characters outside ASCII of most English passages: `_TO_SPLIT` makes each a space.
_SPACED = ("’", "“", "”", "–", "—", "‘")


def _to_split(text: str) -> str:
    """plain(text), to split: `_TO_SPLIT` on its characters outside ASCII. Why the spaces
    first: str.replace puts them in at once, and a text with no other such character (most
    English passages) is ASCII after, with no run looked up."""
    if text.isascii():
        return text
    for c in _SPACED:
        text = text.replace(c, " ")
    return text if text.isascii() else NON_ASCII.sub(_split_run, text)


def _words(text: str) -> tuple[list[str], list[str], list[int], list[int]]:
    """(exacts, lows, starts, ends) of the words of a text, a list each: what `tokens` holds,
    without a Token per word (`Matcher.find` reads only these)."""
    flat = _to_split(text)
    parts = (_ASCII_SPLIT if flat.isascii() else _SPLIT)(flat)
    exacts = parts[1::2]
    joined = " ".join(exacts)                         # no word holds a space
    if "." in joined:                                 # U.S. -> US (only acronyms hold dots)
        exacts = joined.replace(".", "").split(" ")
    bounds = list(accumulate(map(len, parts)))       # token i: bounds[2i] to bounds[2i+1]
    return exacts, list(map(str.lower, exacts)), bounds[0:-1:2], bounds[1::2]


class Words:
    """The words of a text as the four lists `tokens` keeps beside its Tokens (`exacts`,
    `lows`, `starts`, `ends`), without the Tokens: a scan reads every word of every passage
    but looks at a few of them, by index, so making a Token for each word was work undone
    again at once (one object per word)."""

    __slots__ = ("exacts", "lows", "starts", "ends")

    def __init__(self, exacts: list[str], lows: list[str], starts: list[int], ends: list[int]):
        self.exacts, self.lows, self.starts, self.ends = exacts, lows, starts, ends

    def __len__(self) -> int:
        return len(self.exacts)


def words(text: str) -> Words:
    """The words of a text as lists (see `Words`): what `tokens` gives, less the Tokens."""
    return Words(*_words(text))


def as_words(toks) -> Words | TokenList:
    """Words (or a TokenList: the same lists) of `toks`; a plain list of Tokens is read into lists."""
    if hasattr(toks, "lows"):
        return toks
    return Words([t.exact for t in toks], [t.low for t in toks], [t.start for t in toks],
                 [t.end for t in toks])


def tokens(text: str) -> TokenList:
    """The words of a text, made a list at a time (no Python step per word: a passage has
    hundreds, and every passage of every document is read): the same as a loop over
    `TOKEN.finditer`, each Token holding its span, its `exact` (dots of an acronym removed)
    and `low` (that in lower case)."""
    exacts, lows, starts, ends = _words(text)
    out = TokenList(map(tuple.__new__, repeat(Token), zip(starts, ends, exacts, lows)))
    out.exacts, out.lows, out.starts, out.ends = exacts, lows, starts, ends
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
        self.starts = frozenset(self.full) | frozenset(self.short)
        self.lower_starts = frozenset(p.words[0] for ps in self.full.values() for p in ps
                                      if p.lower_start)
        # Full names by their first two words: the second word rules most out at once.
        self.full_next: dict[tuple[str, str], list[Pattern]] = {}
        self.full_single: dict[str, list[Pattern]] = {}
        for first, ps in self.full.items():
            single = [p for p in ps if len(p.words) == 1]
            self.full_single[first] = single
            for p in ps:
                if len(p.words) > 1:
                    self.full_next.setdefault((first, p.words[1]), []).append(p)
        for (first, _), ps in self.full_next.items():
            ps.extend(self.full_single[first])     # longest first, as in self.full

    @staticmethod
    def _by_first(patterns) -> dict[str, list[Pattern]]:
        table: dict[str, list[Pattern]] = {}
        for p in patterns:
            table.setdefault(p.words[0], []).append(p)
        for ps in table.values():
            ps.sort(key=lambda p: -len(p.words))
        return table

    @staticmethod
    def _fits(p: Pattern, text: str, words: list[str], lows: list[str], starts: list[int],
              ends: list[int], i: int) -> bool:
        """Does pattern p match the tokens from i (by their lists: see `_words`)?"""
        n = len(p.words)
        if i + n > len(lows):
            return False
        if not p.lower_start and not capital(words[i]):
            return False
        for j in range(n):
            k = i + j
            if lows[k] != p.words[j] or (p.exact[j] is not None and words[k] != p.exact[j]):
                return False
            if j and text[ends[k - 1]:starts[k]].translate(_GAP_FIX) != p.gaps[j - 1]:
                return False    # gap()
        return True

    def find(self, text: str, named: dict[str, int] | None = None,
             toks: list[Token] | Words | None = None,
             covered: set[int] | None = None, letters: str | None = None) -> list[Found]:
        """Names in one passage. `named` (person key -> order first named) is the document's
        memory of people named in full; it is updated, so pass the same dict for each passage.
        The tokens are read by their lists (`_words`): no Token is looked at. `covered`, when
        given, gets the indexes of the tokens inside the names found (known here: the scan
        need not look them up again by the names' offsets). `letters`: `first_letters` of the
        words, when the caller has it (the scan does)."""
        named = {} if named is None else named
        if toks is None:
            words, lows, starts, ends = _words(text)
        else:
            w = as_words(toks)
            words, lows, starts, ends = w.exacts, w.lows, w.starts, w.ends
        # Whether each word is `capital`, flagged for the passage at once: a word that could
        # start a name is asked, not the function called.
        caps = capital_flags(first_letters(words) if letters is None else letters)
        found: list[Found] = []
        short, begins, lower, fits = self.short, self.starts, self.lower_starts, self._fits
        end = 0                         # tokens before this are inside a name already found
        # Most words start no name, and a name starts with a capital or a digit unless its
        # gazetteer form does not (_fits): the rest are passed over at once.
        for i in compress(range(len(lows)), map(begins.__contains__, lows)):
            cap = caps[i]
            if i < end or not (cap or lows[i] in lower):
                continue
            low = lows[i]
            following = lows[i + 1] if i + 1 < len(lows) else None
            patterns = self.full_next.get((low, following)) or self.full_single.get(low, ())
            hit = None
            for p in patterns:
                if len(p.words) == 1:       # most names found: `_fits` comes down to two checks
                    if (cap or p.lower_start) and (p.exact[0] is None or p.exact[0] == words[i]):
                        hit = p
                        break
                elif fits(p, text, words, lows, starts, ends, i):
                    hit = p
                    break
            is_short = False
            if hit is None:
                options = [p for p in short.get(low, ()) if p.key in named
                           and cap and fits(p, text, words, lows, starts, ends, i)]
                if options:
                    hit = max(options, key=lambda p: (len(p.words), named[p.key]))
                    is_short = True
            if hit is None:
                continue
            found.append(Found(starts[i], ends[i + len(hit.words) - 1], hit.key, is_short))
            entry = self.gaz.entries.get(hit.key)
            if not is_short and entry is not None and entry.type == "person":
                named[hit.key] = max(named.values(), default=0) + 1
            end = i + len(hit.words)
            if covered is not None:
                covered.update(range(i, end))
        return found
