"""The cleaning's fast paths against the plain code they replace, on made-up text full of
what articles hold: diacritics (Tô Lâm, Đà Nẵng), curly quotes, acronyms (U.S.), dashes,
hyphens, line breaks and every width of space."""
from __future__ import annotations

import hashlib
import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from search.corpus import text as T

# The regex `normalise` used before `tidy_spaces`: the plain path.
PLAIN_SPACES = re.compile(r"[\u2000-\u200a\u202f\u205f\u3000][ \u2000-\u200a\u202f\u205f\u3000]*"
                          r"| [ \u2000-\u200a\u202f\u205f\u3000]+")
WIDE = [chr(c) for c in range(0x2000, 0x200b)] + ["\u202f", "\u205f", "\u3000"]
PIECES = ["Tô Lâm", "Đà Nẵng", "U.S.", "“Hanoi”", "‘bamboo’", "—", "-", "well-known", "ß",
          "Æ", "¨", "ﬁ", "\u00a0", "\u200b", "\u2028", "\x85", "\x1c", "\t", "\n", "\n\n", " ",
          "  ", "a", "Vietnam’s", "ASEAN", "`", ".", *WIDE]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_tidy_spaces_equals_the_regex(text):
    assert T.tidy_spaces(text) == PLAIN_SPACES.sub(" ", text)


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_one_spaced_and_dedupe_key_equal_split_and_join(text):
    assert T.one_spaced(text) == " ".join(text.split())
    folded = T.fold(text)
    assert T.dedupe_key.__wrapped__(text) == \
        hashlib.sha1(" ".join(folded.split()).encode()).hexdigest()


def test_the_fast_paths_on_chosen_cases():
    for text in ["Tô Lâm  met\u2003\u2003U.S. envoys", " lead", "trail ", "a\u3000b", "a \u2009 b",
                 "one space only", "", " ", "\u2002", "Đà Nẵng\u00a0port"]:
        assert T.tidy_spaces(text) == PLAIN_SPACES.sub(" ", text), text
        assert T.one_spaced(text) == " ".join(text.split()), text
    # fold can make spaces: "¨" decomposes to a space and a mark
    assert T.dedupe_key("a ¨ b") == T.dedupe_key("a b") == T.dedupe_key("A   B")


def test_no_whitespace_but_the_space_is_printable():
    """What `one_spaced` rests on, over every character Python knows."""
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        if c.isspace() and c != " ":
            assert not c.isprintable(), hex(code)


def test_kind_of_a_parsed_path_equals_kind_of_its_text():
    from pathlib import Path
    from search.corpus.readers import kind_of
    for name in ["a/b.HTML", "b.htm", "c.pdf", "d.docx", "e.md", "f.txt", "g.", "h", "i.tar.pdf",
                 "Đà Nẵng.xhtml", "dir.pdf/j.txt", ".pdf"]:
        assert kind_of(Path(name)) == kind_of(name) == kind_of(str(Path(name))), name


def test_read_bytes_equals_a_plain_read_up_to_the_limit(tmp_path, monkeypatch):
    """The file read with os.read in as few calls as its size allows: every size around the
    limit gives the file's bytes, or None when it is larger, as a plain read decides."""
    from search.corpus.files import _read_bytes
    limit = 1000
    for size in (0, 1, 999, 1000, 1001, 5000):
        path = tmp_path / f"f{size}.txt"
        path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
        plain = path.read_bytes()
        assert _read_bytes(path, limit) == (plain if len(plain) <= limit else None), size
    assert _read_bytes(tmp_path / "f5000.txt") == (tmp_path / "f5000.txt").read_bytes()
    # a file that grew after its size was taken is read to its end (or to the limit)
    import os
    import types
    real = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: types.SimpleNamespace(
        st_mode=real(fd).st_mode, st_size=10))
    for size in (11, 999, 1000, 1001, 5000):
        path = tmp_path / f"f{size}.txt"
        path.write_bytes(b"y" * size)
        assert _read_bytes(path, limit) == (b"y" * size if size <= limit else None), size
