"""Names the gazetteer does not know: runs of capitalised words (`Asia Power Index`).

A run is two or more capitalised words joined by single spaces or hyphens, with small
linking words inside (`Center for Strategic and International Studies`). It never crosses
punctuation or a line break, never includes words of a byline or photo credit, and drops
leading sentence words, titles, months and nationality words. The caller keeps only the runs
that recur, so a one-off heading or sentence opening does not become an entity.
"""
from __future__ import annotations

from itertools import compress

from search.entities.matcher import _GAP_FIX, Token, Words, as_words, first_letters, upper_flags
from search.entities.nametypes import AGREEMENT_HEADS, ORG_HEADS, PLACE_HEADS, places
from search.corpus.text import fold

LINKS = {"of", "and", "for", "the", "on", "de", "du", "da", "la", "van", "von", "der", "bin",
         "al", "y", "in", "at", "to"}
BREAKS = {"photo", "photos", "photograph", "image", "credit", "source", "file", "by",
          "reporting", "editing", "writing", "via", "caption", "courtesy"}
TITLES = {"president", "prime", "minister", "secretary", "general", "deputy", "vice", "chairman",
          "chairwoman", "chair", "senior", "assistant", "former", "mr", "mrs", "ms", "dr", "sir",
          "ambassador", "premier", "chancellor", "spokesman", "spokeswoman", "spokesperson",
          "advisor", "adviser", "official", "officer", "director", "head", "chief", "member",
          "professor", "emperor", "king", "queen", "sultan", "crown", "prince", "governor",
          "admiral", "colonel", "lieutenant", "commander", "captain", "envoy", "counsellor"}
TITLES |= {"senator", "sen", "gen", "pm", "fm", "mayor", "sheikh", "princess", "pope", "lawmaker",
           "congressman", "congresswoman", "rep", "representative", "commissioner",
           "photographer", "reporter", "correspondent", "analyst", "researcher", "prof",
           "economist", "scholar", "expert", "editor", "writer", "author", "ceo", "chairperson",
           "counterpart", "leader", "general-secretary", "secretary-general"}
SENTENCE_WORDS = {
    "a", "an", "the", "this", "that", "these", "those", "in", "on", "at", "for", "from", "by",
    "with", "during", "after", "before", "under", "since", "as", "if", "when", "while", "but",
    "and", "or", "however", "although", "according", "our", "we", "it", "its", "their", "they",
    "his", "her", "he", "she", "i", "you", "there", "here", "what", "why", "how", "where",
    "who", "both", "all", "each", "every", "some", "many", "most", "more", "other", "such",
    "last", "next", "new", "first", "second", "third", "meanwhile", "moreover", "furthermore",
    "also", "yet", "still", "then", "thus", "so", "not", "no", "over", "about", "across",
    "between", "amid", "despite", "unlike", "like", "through", "to", "of", "into", "than",
    "former", "current", "read", "see", "related", "top", "breaking", "update", "updated",
}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
          "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday",
          "friday", "saturday", "sunday"}
NATIONALITIES = {
    "vietnamese", "chinese", "american", "japanese", "australian", "malaysian", "russian",
    "korean", "indian", "french", "british", "german", "indonesian", "thai", "filipino",
    "philippine", "cambodian", "lao", "laotian", "singaporean", "asian", "african", "european",
    "western", "eastern", "southeast", "northeast", "soviet", "communist", "zealander",
    "taiwanese", "burmese", "bruneian", "algerian", "kuwaiti", "brazilian", "canadian",
}
HEADS = {"institute", "institution", "university", "center", "centre", "foundation", "agency",
         "council", "committee", "commission", "ministry", "department", "bank", "company",
         "corporation", "group", "association", "forum", "dialogue", "initiative", "program",
         "programme", "fund", "party", "office", "academy", "school", "college", "organisation",
         "organization", "union", "summit", "index", "project", "society", "network", "alliance",
         "studies"}
_DROP_LEAD = SENTENCE_WORDS | TITLES | MONTHS | NATIONALITIES
NOT_ALONE = _DROP_LEAD | LINKS | BREAKS      # words that are never a name by themselves
MAX_WORDS = 8


def word_oks(exacts: list[str], lows: list[str], letters: str | None = None) -> list[int]:
    """Of each token (by its `exact` and `low`), whether a name can hold it (1, else 0):
    capitalised (a digit is not), not a byline's word. Worked out a list at a time (every
    passage is read): byline words are looked for among the capitalised words only, and only
    when one is there. `letters`: `first_letters(exacts)`, when the caller has it (the scan does)."""
    ok = list(upper_flags(first_letters(exacts) if letters is None else letters))
    if not BREAKS.isdisjoint(compress(lows, ok)):     # a capitalised byline word: rare
        for i in compress(range(len(ok)), ok):
            if lows[i] in BREAKS:
                ok[i] = False
    return ok


def runs(text: str, toks: Words | list[Token], covered: set[int],
         ok: list[bool] | None = None, within: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """(first token, last token) index pairs of candidate names, skipping covered tokens.
    Linear in the tokens: only capitalised words can open a run, and a run of one word is no
    name (`_trim` wants two), so it is passed over without being looked at further.
    `toks`: the passage's `Words` (a list of Tokens is read into lists). `ok`:
    `word_oks(toks)`, when the caller has it. `within`: (first, end) of a `_stretch`,
    to read only the runs that start there (the same as those of the whole passage)."""
    out = []
    w = as_words(toks)
    exacts, lows, starts, ends = w.exacts, w.lows, w.starts, w.ends
    n = len(lows)
    if ok is None:
        ok = word_oks(exacts, lows)
    nxt = 0
    lo, hi = within or (0, n)
    for i in compress(range(lo, hi), ok[lo:hi]):
        if i < nxt or i in covered:
            continue
        j = i
        # Only a capitalised word or a short one (a link, "Min-jun") can go on a run: any
        # other next word ends it before the gap is looked at (most capitals open sentences).
        # The words are read from the lists, the gap cut from the text (`_gap`, inlined).
        while j + 1 < n and (ok[j + 1] or len(lows[j + 1]) <= 3) and (j + 1) not in covered:
            between = text[ends[j]:starts[j + 1]].translate(_GAP_FIX)
            if between != " " and between != "-":
                break
            word = exacts[j + 1]
            if ok[j + 1] or (between == "-" and word.isalpha()
                             and word.islower() and len(word) <= 3):  # "Min-jun"
                j += 1
            elif lows[j + 1] in LINKS and j + 2 < n and (j + 2) not in covered and \
                    ok[j + 2] and _gap(text, w, j + 1) in (" ", "-"):
                j += 2
            else:
                break
        while j + 2 < n and lows[j] in PLURAL_OWNERS and _gap(text, w, j) == "'" \
                and lows[j + 1] == "s" and _gap(text, w, j + 1) == " " \
                and ok[j + 2] and (j + 2) not in covered:     # "People's Committee"
            j += 2
            while j + 1 < n and (j + 1) not in covered and ok[j + 1] and \
                    _gap(text, w, j) in (" ", "-"):
                j += 1
        if j > i:
            out.extend(_kept_pieces(text, w, i, j))
        nxt = j + 1
    return out


KEPT_RUNS = 20000       # runs whose pieces are kept (a few MB at most), then all forgotten
_KEPT: dict[str, tuple[tuple[int, int], ...]] = {}


def _kept_pieces(text: str, w: Words, i: int, j: int) -> list[tuple[int, int]]:
    """`_pieces` of the run w[i..j], kept by the run's text for the next run written alike.
    Names recur across articles (a ministry, a forum, a leader with his title), and what
    `_pieces` gives depends on the run's own words and the gaps between them only: the text
    from its first word to its last (the words of that text are the run's, so a run written
    alike is cut alike, at the same places counted from its first word)."""
    key = text[w.starts[i]:w.ends[j]]
    found = _KEPT.get(key)
    if found is None:
        found = tuple((a - i, b - i) for a, b in _pieces(text, w, i, j))
        if len(_KEPT) >= KEPT_RUNS:
            _KEPT.clear()
        _KEPT[key] = found
    return [(a + i, b + i) for a, b in found]


def _gap(text: str, w: Words, k: int) -> str:
    """What separates word k from word k + 1 (`matcher.gap`, read from the lists)."""
    return text[w.ends[k]:w.starts[k + 1]].translate(_GAP_FIX)


SPLIT_LINKS = {"in", "at", "to", "on", "for"}     # links of a sentence more than of a name
_ALL_HEADS = frozenset(ORG_HEADS | AGREEMENT_HEADS | PLACE_HEADS | HEADS)
_SPLITS = frozenset(SPLIT_LINKS | {"and"})
PLURAL_OWNERS = {"people", "workers", "women", "children", "farmers", "veterans", "youth"}
_LEAD_OR_LINK = frozenset(_DROP_LEAD | LINKS)
_NOT_LAST = frozenset(TITLES | NATIONALITIES)
_TITLES = frozenset(TITLES)


def _pieces(text: str, toks: Words | list[Token], i: int, j: int) -> list[tuple[int, int]]:
    """A run as one name when it reads as one ("Center for Strategic and International Studies",
    "Santiago de Compostela", "Ministry of Rivers and Coastal Works"), else its parts between "in", "at",
    "to", and between "and" unless a head and "of" open the part ("John McCain in Houston and San
    Francisco": two names and a place)."""
    w = as_words(toks)
    lows = w.lows
    heads = _ALL_HEADS
    multi = places()[0]
    at = _place_at(text, w, i, j, multi)
    if at is not None:                      # "New York", "In New York"
        return [(at, j)]
    whole = _trim(w, i, j)
    if _SPLITS.isdisjoint(lows[i + 1:j]):
        return whole
    if whole:
        a, b = whole[0]
        if lows[b] in heads or fold(text[w.starts[a]:w.ends[b]]) in places()[0]:
            return whole
    out = []
    for a, b in _split(w, i, j, SPLIT_LINKS, heads):
        one = _trim(w, a, b)
        if one and (lows[one[0][1]] in heads or
                    (lows[one[0][0]] in heads and lows[one[0][0] + 1] == "of")):
            out.extend(one)
        else:
            out.extend(p for x, y in _split(w, a, b, {"and"}) for p in _trim(w, x, y))
    return out


def _place_at(text: str, toks: Words | list[Token], i: int, j: int, multi) -> int | None:
    """The first of toks[i], toks[i + 1], toks[i + 2] (before toks[j]) from which the run
    to toks[j] is a known place. An ASCII run is folded once (folding it keeps each
    character in its place, so each tail is a slice of it), any other tail by tail."""
    w = as_words(toks)
    starts = w.starts
    first, end = starts[i], w.ends[j]
    span = text[first:end]
    folded = fold(span) if span.isascii() else None
    for a in range(i, min(i + 3, j)):
        start = starts[a]
        tail = folded[start - first:] if folded is not None else fold(text[start:end])
        if tail in multi:
            return a
    return None


def _split(toks: Words | list[Token], i: int, j: int, links: set[str],
           heads: frozenset[str] | set[str] = frozenset()) -> list[tuple[int, int]]:
    """The parts of toks[i..j] between the links, except a link after a head ("Committee on")."""
    w = as_words(toks)
    lows, exacts = w.lows, w.exacts
    cuts = [k for k in range(i + 1, j) if lows[k] in links and not exacts[k][:1].isupper()
            and not (lows[k] in ("on", "for") and lows[k - 1] in heads)]
    bounds = [i - 1] + cuts + [j + 1]
    return [(x + 1, y - 1) for x, y in zip(bounds, bounds[1:]) if y - 1 >= x + 1]


def _trim(toks: Words | list[Token], i: int, j: int) -> list[tuple[int, int]]:
    w = as_words(toks)
    lows = w.lows
    titles = []
    if not _TITLES.isdisjoint(lows[i:j]):       # most runs hold no title: nothing to look for
        stop = next((k for k in range(i, j) if lows[k] in LINKS), j)
        titles = [k for k in range(i, stop) if lows[k] in TITLES]
    if titles and j - titles[-1] >= 2:          # "US Senator John McCain": the name after the title
        i = titles[-1] + 1
    elif titles and j - titles[-1] == 1:        # "Estonian Prime Minister Kallasmaa": one word,
        return []                               # typed alone by its title
    first = i
    while i <= j and lows[i] in _LEAD_OR_LINK:
        i += 1
    while j >= i and (lows[j] in LINKS or (lows[j] in MONTHS and w.exacts[j][:1].isupper())):
        j -= 1
    if first < i <= j and lows[i - 1] in NATIONALITIES and lows[j] in ORG_HEADS:
        i -= 1                                  # "Icelandic Coast Guard", "Malian Press Agency"
    if j - i + 1 < 2 or j - i + 1 > MAX_WORDS or lows[j] in _NOT_LAST:
        return []
    if _LEAD_OR_LINK.issuperset(lows[i:j + 1]):
        return []
    return [(i, j)]


def institutions(text: str, toks: Words | list[Token], covered: set[int],
                 ok: list[bool] | None = None) -> list[tuple[int, int]]:
    """Runs that end in an institution word and contain a known name (`Mekong Delta Research
    Institute`): the longer name wins over the known one inside it. Only a passage where
    such a word is joined to a known name by words a run can hold is read for runs again."""
    if not covered:
        return []
    w = as_words(toks)
    lows = w.lows
    if ok is None:
        ok = word_oks(w.exacts, lows)
    if HEADS.isdisjoint(compress(lows, ok)):        # most passages name no institution
        return []
    heads = [h for h in compress(range(len(lows)), ok)
             if lows[h] in HEADS and _reaches(text, w, ok, covered, h)]
    out: list[tuple[int, int]] = []
    last = -1
    for h in heads:         # only the stretches of words with such a head are read again
        if h < last:
            continue
        stretch = _stretch(lows, ok, h)
        last = stretch[1]
        out.extend((i, j) for i, j in runs(text, w, set(), ok, stretch)
                   if lows[j] in HEADS and any(k in covered for k in range(i, j + 1))
                   and not all(k in covered for k in range(i, j + 1)))
    return out


def _stretch(lows: list[str], ok: list[bool], h: int) -> tuple[int, int]:
    """(first, end) of the tokens around toks[h] up to a word no run can hold (neither
    capitalised nor short: every word `runs` joins is one or the other). No run crosses such
    a word and what comes after it does not depend on what came before, so the runs found
    in the stretch are those of the whole passage that start there."""
    lo, hi, n = h, h + 1, len(lows)
    while lo > 0 and (ok[lo - 1] or len(lows[lo - 1]) <= 3):
        lo -= 1
    while hi < n and (ok[hi] or len(lows[hi]) <= 3):
        hi += 1
    return lo, hi


def _reaches(text: str, toks: Words | list[Token], ok: list[bool], covered: set[int],
             h: int) -> bool:
    """Can a run ending at toks[h] hold a covered token? (Going left over what `runs` joins:
    words that can be in a name, links, "Min-jun", "People's", across a space, hyphen or
    apostrophe.) Never False for a run that could."""
    w = as_words(toks)
    k = h
    while k not in covered:
        if k == 0 or _gap(text, w, k - 1) not in (" ", "-", "'"):
            return False
        k -= 1
        low, exact = w.lows[k], w.exacts[k]
        if not (ok[k] or low in LINKS or low == "s"
                or (exact.isalpha() and exact.islower() and len(exact) <= 3)):
            return False
    return True
