"""The Whoosh analyzers: accent- and case-folding, spelling variants, English stems, word pairs."""
from __future__ import annotations

import re
from itertools import accumulate, compress

from whoosh.analysis import Filter, RegexTokenizer, Token, Tokenizer
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

from search.corpus.text import fold

# Multi-word variants first (they become one token), then dotted acronyms, then words.
TOKEN_PATTERN = re.compile(
    r"(?i:\bvi\wt[ \t]+nam\b|\bper[ \t]+cent\b|\bunited[ \t]+states\b)"
    r"|(?:[^\W_]\.){2,}(?![^\W_])"
    r"|[^\W_]+(?:['’][^\W_]+)*"
)
# TOKEN_PATTERN as the index splits texts with it: the same tokens, found faster. Every token
# starts with a letter or digit, so the pattern starts with that class and the regex engine
# skips to the next such character in C (a look-ahead there would have it try a match at every
# position); the rare variants are tried only after a first character v, p or u (the \b before
# it checked looking back) and acronyms only before a dot; a word, matched last and greedily
# with nothing after it, never backtracks (possessive). tests/index/test_analysis_split.py
# keeps the two equal.
_FAST_PATTERN = (
    r"[^\W_](?:"
    r"(?<=[vVpPuU])(?i:(?<=\bv)i\wt[ \t]+nam\b|(?<=\bp)er[ \t]+cent\b|(?<=\bu)nited[ \t]+states\b)"
    r"|\.(?:[^\W_]\.)+(?![^\W_])"
    r"|[^\W_]*+(?:['’][^\W_]++)*+)"
)
_SPLIT = re.compile(f"({_FAST_PATTERN})").split
# _FAST_PATTERN for ASCII text, where a word character is a letter or a digit and the only
# apostrophe is ': the regex engine tests a character against these ranges faster than
# against Unicode's classes (tests/index/test_analysis_split.py holds it to TOKEN_PATTERN).
_ASCII_SPLIT = re.compile(
    r"([A-Za-z0-9](?:"
    r"(?<=[vVpPuU])(?i:(?<=\bv)i[A-Za-z0-9_]t[ \t]+nam\b|(?<=\bp)er[ \t]+cent\b"
    r"|(?<=\bu)nited[ \t]+states\b)"
    r"|\.(?:[A-Za-z0-9]\.)+(?![A-Za-z0-9])"
    r"|[A-Za-z0-9]*+(?:'[A-Za-z0-9]++)*+))"
).split
# Case-sensitive surface forms that name the United States (lower-case "us" is a pronoun).
US_FORMS = {"US", "U.S.", "U.S", "USA", "U.S.A.", "U.S.A"}
# Folded forms a reader treats as the same word.
VARIANTS = {"united states": "usa", "viet nam": "vietnam", "per cent": "percent",
            "pc": "percent"}
STOP = frozenset(STOP_WORDS) | {"us"}
# English stop words that are also Vietnamese syllables written without accents (To Lam for
# Tô Lâm, An Giang, Can Tho): kept when capitalised beside another capitalised word.
NAME_STOPS = {"To": "to", "An": "an", "Can": "can"}
WORD_PAIR_SEP = " "


class _Memo(dict):
    """A function's results by argument, emptied when it holds `limit` of them. Why not
    lru_cache: a hit is one lookup in C with no recency bookkeeping, so a map over a
    passage's words costs half as much (a passage is folded and stemmed as it is indexed)."""

    def __init__(self, function, limit: int = 200_000):
        super().__init__()
        self.function, self.limit = function, limit

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.function(key)
        return value


_stem = _Memo(porter_stem).__getitem__


def _fold(surface: str) -> str | None:
    """Surface token -> folded, unified word (None for a stop word). No stemming."""
    if surface in US_FORMS:
        return "usa"
    word = fold(surface)
    if "." in word:                      # other dotted acronyms: U.K. -> uk
        word = word.replace(".", "")
    if " " in word or "\t" in word:
        word = VARIANTS.get(" ".join(word.split()), word)
    elif word.endswith("'s"):
        word = word[:-2]
    word = VARIANTS.get(word, word).replace("'", "")
    if not word or word in STOP and not _accented(surface):
        return None
    return word


folded_form = _Memo(_fold).__getitem__      # _fold, remembered


def _accented(surface: str) -> bool:
    """A letter outside ASCII: Tô (Tô Lâm) and Ân fold to the English stop words "to" and
    "an", but a word written with accents is not English; it is kept."""
    return not surface.isascii() and any(c.isalpha() and not c.isascii() for c in surface)


# The characters outside ASCII of most English passages, all in no word: ’ (an apostrophe to
# TOKEN_PATTERN) and the rest as # (neither a space, a tab, a dot nor an apostrophe, so it
# joins no variant, acronym or word: the text splits as before).
_STAND_INS = (("’", "'"), ("“", "#"), ("”", "#"), ("–", "#"), ("—", "#"), ("‘", "#"))


def _split(text: str) -> list[str]:
    """_SPLIT(text), found faster for a text whose only characters outside ASCII are
    _STAND_INS's (most English passages): its ASCII stand-in, one character for one, is split
    instead. The same spans, and the same tokens but for ’ written ' (a word folds the same
    with either); any other character outside ASCII and the text is split as it is."""
    if text.isascii():
        return _ASCII_SPLIT(text)
    flat = text
    for c, stand_in in _STAND_INS:
        flat = flat.replace(c, stand_in)
    return _ASCII_SPLIT(flat) if flat.isascii() else _SPLIT(text)


def fold_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """The folded words of a text, stop words left out, with their character spans:
    (words, starts, ends).

    What FoldTokenizer yields, made in bulk: the text is split around its tokens, offsets
    are the running sum of the pieces' lengths, and tokens are folded by a cached map.
    The segment writer calls it for each passage (search.index.write.pool)."""
    parts = _split(text)
    bounds = list(accumulate(map(len, parts)))
    surfaces = parts[1::2]
    folded = list(map(folded_form, surfaces))
    if not NAME_STOPS.keys().isdisjoint(surfaces):      # To, An or Can as a word: rare
        for k in [k for k, s in enumerate(surfaces) if s in NAME_STOPS]:
            if _beside_name(parts, k):
                folded[k] = NAME_STOPS[surfaces[k]]
    return (list(filter(None, folded)), list(compress(bounds[0::2], folded)),
            list(compress(bounds[1::2], folded)))


def fold_words(text: str) -> tuple[list[str], list[int], list[int], list[str]]:
    """fold_spans and each word as written (the text of its span): (words, starts, ends,
    surfaces)."""
    words, starts, ends = fold_spans(text)
    return words, starts, ends, [text[a:b] for a, b in zip(starts, ends)]


def _beside_name(parts: list[str], k: int) -> bool:
    """Token k (parts[2k + 1]) has a capitalised word one space before or after it."""
    after = 2 * k + 3 < len(parts) and parts[2 * k + 2] == " " and parts[2 * k + 3][:1].isupper()
    return after or (k > 0 and parts[2 * k] == " " and parts[2 * k - 1][:1].isupper())


def name_pairs(text: str) -> list[str]:
    """The word pairs of a text that hold a kept stop word of a name ("To Lam" -> "to lam")."""
    stems = list(map(_stem, fold_words(text)[0]))
    kept = set(NAME_STOPS.values())
    return [a + WORD_PAIR_SEP + b for a, b in zip(stems, stems[1:]) if a in kept or b in kept]


def normal_form(surface: str) -> str | None:
    """Surface token -> index term (None for a stop word)."""
    word = folded_form(surface)
    return _stem(word) if word else None


class FoldFilter(Filter):
    """Fold accents and case, unify variants, drop stop words (renumbering positions)."""

    def __call__(self, tokens):
        pos = 0
        for t in tokens:
            word = folded_form(t.text)
            if word is None:
                continue
            t.text = word
            if t.positions:
                t.pos = pos
            pos += 1
            yield t


class FoldTokenizer(Tokenizer):
    """The words of a text, folded, without stop words: RegexTokenizer | FoldFilter in one
    (made in bulk by fold_words, which the segment writer calls directly: search.index.write.pool)."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def _words(self, value: str) -> tuple:
        return tuple(zip(*fold_words(value)))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:      # the whole value as one token, folded like a word
            for word in FoldFilter()(RegexTokenizer(TOKEN_PATTERN)(
                    value, positions, chars, keeporiginal, removestops, start_pos,
                    start_char, tokenize=False, mode=mode, **kwargs)):
                yield word
            return
        for pos, (word, start, end, surface) in enumerate(self._words(value)):
            t.text = word
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = surface
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


class StemFilter(Filter):
    """English stems. Marked morphological, so Whoosh's spelling field keeps whole words."""

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            t.text = _stem(t.text)
            yield t


class PairFilter(Filter):
    """Emit each pair of neighbouring terms as one token, spanning both words."""

    def __call__(self, tokens):
        prev_text = None
        prev_start = 0
        prev_pos = 0
        for t in tokens:
            text, start, pos = t.text, getattr(t, "startchar", 0), getattr(t, "pos", 0)
            if prev_text is not None:
                t.text = prev_text + WORD_PAIR_SEP + text
                if t.chars:
                    t.startchar = prev_start
                if t.positions:
                    t.pos = prev_pos
                yield t
            prev_text, prev_start, prev_pos = text, start, pos


def word_analyzer():
    return FoldTokenizer() | StemFilter()


def pair_analyzer():
    return FoldTokenizer() | StemFilter() | PairFilter()


def terms(text: str) -> list[str]:
    """The index terms of a piece of text (for tests and query rewriting)."""
    return [t.text for t in word_analyzer()(text)]


def pairs(words: list[str]) -> list[str]:
    return [a + WORD_PAIR_SEP + b for a, b in zip(words, words[1:])]
