"""Text cleaning, accent folding and passage splitting: pure functions, no I/O."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# Letters that Unicode decomposition leaves alone but a reader treats as plain.
_EXTRA_FOLD = str.maketrans({
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "ħ": "h", "Ħ": "H", "ı": "i", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "‘": "'", "’": "'", "ʼ": "'", "`": "'",
})

DATE_PREFIX = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")
# A REF citation marker: glued to the end of a sentence or standing alone.
REF_MARKER = re.compile(r"(?<=[.,;:!?\"”’)\]])REF\b|(?<=\s)REF(?=\s|$)")
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9À-Ỹ])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ESCAPE_SEQ = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")

# Runs of spaces, and any other width of space: single plain spaces are left alone.
_WIDE_SPACES = "".join(map(chr, range(0x2000, 0x200b))) + "\u202f\u205f\u3000"
_TO_SPACE = str.maketrans(dict.fromkeys(_WIDE_SPACES, " "))
_RUN_OF_SPACES = re.compile(" {2,}")

LONG_PASSAGE = 1200   # characters: a longer paragraph is split at sentence ends
PASSAGE_TARGET = 700


class _FoldTable(dict):
    """Character -> its folded form, worked out the first time the character is seen.

    Folding character by character equals folding the whole text: NFKD decomposes each
    character on its own, and its only reordering moves combining marks, which go."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code).translate(_EXTRA_FOLD))
        value = "".join(c for c in decomposed if not unicodedata.combining(c))
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


NON_ASCII = re.compile(r"[^\x00-\x7f]+")      # runs of characters to look up


def _fold_run(m: re.Match) -> str:
    return m.group().translate(_FOLD_TABLE)


_PLAIN: dict[str, str] = {}       # short texts with accents, their accents stripped before
FOLDED_SHORT = 64                 # characters: longer texts are looked up each time
FOLDED_MAX = 1 << 14              # entries (about 4 MB of names): emptied when it holds more


def fold(text: str) -> str:
    """Lower-case, strip accents (đ -> d included) and straighten quotes.
    A short text with accents is remembered with its accents stripped: the same names are
    folded for every article (about 150 folds an article, nine in ten of a text folded
    before), and stripping costs a regex scan and a call for each run of accented letters.
    It is lowered on each call: a new string each time, as before, so that what is made
    from it (marshal's bytes of a record, which mark shared objects) does not change."""
    text = text.replace("`", "'")            # the one ASCII character folded
    if text.isascii():
        return text.lower()
    plain = _PLAIN.get(text)
    if plain is None:
        plain = NON_ASCII.sub(_fold_run, text)    # only the runs looked up
        if len(text) <= FOLDED_SHORT:
            if len(_PLAIN) >= FOLDED_MAX:
                _PLAIN.clear()
            _PLAIN[text] = plain
    return plain.lower()


# The bytes of the C0 controls but tab, line feed and carriage return, and of DEL: what
# `_CONTROL` finds in ASCII. Its C1 controls (U+0080-U+009F) are 0xC2 0x80-0x9F in UTF-8.
_NOT_C0 = bytes(b for b in range(256) if not (b < 32 and b not in b"\t\n\r" or b == 0x7f))
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
# What `str.strip` removes that can be left at a line's ends once controls, tabs, NBSP and
# the wider spaces are gone (each is a test below).
_LINE_END_SPACES = "\u1680\u2028\u2029"


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters (tabs and newlines stay).
    Most texts have none, which is found by encoding and deleting every other byte in C, a
    fifth of the cost of the regex scan (every escape sequence starts with a control)."""
    data = text.encode("utf-8", "surrogatepass")
    if not data.translate(None, _NOT_C0) and (b"\xc2" not in data or not _C1_UTF8.search(data)):
        return text
    return _CONTROL.sub("", _ESCAPE_SEQ.sub("", text))


def normalise(text: str) -> str:
    """NFC, unified line endings, no control characters, tidy spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_controls(text).replace("\t", " ").replace("\u00a0", " ")
    text = tidy_spaces(text)
    if _lines_stripped(text):
        return text
    return "\n".join(line.strip() for line in text.split("\n"))


def _lines_stripped(text: str) -> bool:
    """No line of the text (controls, tabs and wide spaces gone) starts or ends with
    whitespace: four quick searches instead of splitting it into lines and joining them."""
    return (" \n" not in text and "\n " not in text and text[:1] != " " and text[-1:] != " "
            and (text.isascii() or not any(c in text for c in _LINE_END_SPACES)))


def tidy_spaces(text: str) -> str:
    """Each run of spaces (of any width) as one plain space; a single plain space stays.
    Other widths become plain spaces, then runs are cut to one: a regex for the runs tried
    two branches at every character, and cost three times as much; here two quick searches
    usually find nothing to do."""
    if not text.isascii() and any(c in text for c in _WIDE_SPACES):
        text = text.translate(_TO_SPACE)
    return _RUN_OF_SPACES.sub(" ", text) if "  " in text else text


def take_date_prefix(text: str) -> tuple[str | None, str]:
    """A leading `date YYYY-MM-DD` is metadata: return (date, rest of text)."""
    m = DATE_PREFIX.match(text)
    if not m:
        return None, text
    return m.group(1), text[m.end():]


def remove_ref_markers(text: str) -> str:
    if "REF" not in text:
        return text
    return re.sub(r" {2,}", " ", REF_MARKER.sub("", text))


def _is_wrapped(lines: list[str]) -> bool:
    """Lines of one block that were hard-wrapped rather than separate paragraphs."""
    if len(lines) < 2 or any(l.startswith(("- ", "* ", "#", "> ")) for l in lines):
        return False
    return max(len(l) for l in lines) <= 100 and any(
        not re.search(r"[.!?:\"”’)]$", l) for l in lines[:-1])


def paragraphs(text: str) -> list[str]:
    """Split cleaned text into paragraphs (blank-line blocks or single lines)."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [l for l in block.split("\n") if l.strip()]
        if _is_wrapped(lines):
            out.append(" ".join(lines))
        else:
            out.extend(lines)
    return [p.strip() for p in out if p.strip()]


@lru_cache(maxsize=1024)      # asked again for each passage as it is indexed
def dedupe_key(paragraph: str) -> str:
    return hashlib.sha1(one_spaced(fold(paragraph)).encode()).hexdigest()


def one_spaced(text: str) -> str:
    """`" ".join(text.split())`, without splitting a text that is already so (most are: the
    cleaning made them). Every whitespace character but the space is unprintable, so a
    printable text with no double space and no space at either end is already one-spaced."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


_ASCII_BYTES = bytes(range(128))
# The ASCII whitespace `str.split` splits at, but for the space and the line break.
_ODD_SPACES = tuple(bytes([b]) for b in b"\t\x0b\x0c\r\x1c\x1d\x1e\x1f")


def dedupe_keys(texts: list[str]) -> list[str]:
    """`dedupe_key` of each text, worked out for all of a document's paragraphs at once.
    Why: folding each paragraph scanned it with a regex for its accented letters (most of the
    cost of reading an article); here the texts are joined, the few distinct characters
    outside ASCII found in C (`bytes.translate` of the encoded text) and each replaced by its
    fold (`str.replace`), then lowered and checked for one-spacing as bytes. Taken only when
    that is exact (every fold in ASCII or the character itself, lowering nothing outside ASCII,
    no whitespace but single spaces, no line break in a text): the plain key of each otherwise."""
    joined = "\n".join(texts).replace("`", "'")
    if not joined.isascii():
        for c in set(joined.encode().translate(None, _ASCII_BYTES).decode()):
            folded = _FOLD_TABLE[ord(c)]
            if folded != c and folded.isascii():
                joined = joined.replace(c, folded)
            elif folded != c or c.lower() != c or c.isspace():
                return [dedupe_key(t) for t in texts]
    data = joined.encode().lower()
    parts = data.split(b"\n")
    if (b"  " in data or any(c in data for c in _ODD_SPACES) or len(parts) != len(texts)
            or _space_at_an_end(parts)):
        return [dedupe_key(t) for t in texts]
    return [hashlib.sha1(part).hexdigest() for part in parts]


def _space_at_an_end(parts: list[bytes]) -> bool:
    """Whether a part starts or ends with a space. Why: searching the joined text for a space
    before or after a line break tried a match at every space (a fifth of dedupe_keys' time);
    a document has about a dozen parts."""
    for part in parts:
        if part[:1] == b" " or part[-1:] == b" ":
            return True
    return False


def drop_repeats(paras: list[str]) -> list[str]:
    """Keep the first of any paragraphs repeated word for word."""
    return [p for p, _ in _first_of_each(paras, dedupe_keys(paras))]


def _first_of_each(paras: list[str], keys: list[str]):
    """(paragraph, key) of the first of each key, in order."""
    seen: set[str] = set()
    for p, key in zip(paras, keys):
        if key not in seen:
            seen.add(key)
            yield p, key


def split_long(paragraph: str, limit: int = LONG_PASSAGE, target: int = PASSAGE_TARGET) -> list[str]:
    """Split a very long paragraph into chunks at sentence ends."""
    if len(paragraph) <= limit:
        return [paragraph]
    sentences = SENTENCE_END.split(paragraph)
    chunks, current = [], ""
    for s in sentences:
        if len(s) > limit:  # one enormous sentence: cut at spaces, walking an offset
            if current:
                chunks.append(current)
                current = ""
            start = 0
            while len(s) - start > limit:
                cut = s.rfind(" ", start, start + target)
                cut = cut if cut > start else start + target
                chunks.append(s[start:cut].strip())
                start = cut
            s = s[start:].strip()
        if current and len(current) + 1 + len(s) > target:
            chunks.append(current)
            current = s
        else:
            current = f"{current} {s}".strip()
    if current:
        chunks.append(current)
    return [c for c in chunks if c]


def passages_of(body: str) -> list[str]:
    """Cleaned body text -> the list of passage texts, in order."""
    return [text for text, _ in keyed_passages(body)]


def keyed_passages(body: str) -> list[tuple[str, str]]:
    """`passages_of` with each passage's `dedupe_key` (the index stores it): a paragraph
    kept whole keeps the key its repeats were found by, so it is not worked out again."""
    paras = paragraphs(body)
    out: list[tuple[str, str]] = []
    for p, key in _first_of_each(paras, dedupe_keys(paras)):
        if len(p) <= LONG_PASSAGE:
            out.append((p, key))
        else:
            out.extend((chunk, dedupe_key(chunk)) for chunk in split_long(p))
    return out


def derive_title(paras: list[str], fallback: str) -> str:
    """A short first line that reads as a heading, else the opening words."""
    if not paras:
        return fallback
    first = paras[0]
    if len(first) <= 100 and not re.search(r"[.!?,;]$", first):
        return first.lstrip("# ").strip() or fallback
    words = first.split()
    title = ""
    for w in words:
        if len(title) + len(w) + 1 > 80:
            return title + "…"
        title = f"{title} {w}".strip()
    return title
