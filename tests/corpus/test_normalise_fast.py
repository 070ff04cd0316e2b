"""normalise() and strip_controls() skip the work a text does not need (no control
characters, no line with spaces at its ends): on made-up text with every kind of whitespace
Python knows, controls, escape sequences, CRLF, NBSP, Tô Lâm and Đà Nẵng, they give what the
plain code (written out here) gives."""
from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from search.corpus import text as T

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
SPACES = re.compile(r"[\u2000-\u200a\u202f\u205f\u3000][ \u2000-\u200a\u202f\u205f\u3000]*"
                    r"| [ \u2000-\u200a\u202f\u205f\u3000]+")
WHITESPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


def plain_strip_controls(text: str) -> str:
    return CONTROL.sub("", ESCAPE.sub("", text))


def plain_normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = plain_strip_controls(text).replace("\t", " ").replace("\u00a0", " ")
    text = SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


PIECES = ["Tô Lâm", "Đà Nẵng", "U.S.", "“Hanoi”", "—", "a", "B", "\r\n", "\n", "\r", " ", "  ",
          "\x00", "\x07", "\x1b", "\x1b[31m", "\x1b]0;title\x07", "\x7f", "\x80", "\x9f", "\x85",
          "\xa0", "\xa9", "\xc2", "e\u0301", "\ud800", "\u200b", *WHITESPACE]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=3000, deadline=None)
@given(TEXT)
def test_normalise_and_strip_controls_as_the_plain_code(text):
    assert T.strip_controls(text) == plain_strip_controls(text)
    assert T.normalise(text) == plain_normalise(text)


def test_chosen_cases():
    for text in ["Tô Lâm\r\nmet  envoys\u2003 in Đà Nẵng \n", "clean text\nof two lines",
                 "\x1b[1mbold\x1b[0m", "a\x85b", "line \u2028\n\u1680x", "©\xa0Đà Nẵng",
                 " lead", "trail ", "", "\n", "\u2029"]:
        assert T.strip_controls(text) == plain_strip_controls(text), text
        assert T.normalise(text) == plain_normalise(text), text
