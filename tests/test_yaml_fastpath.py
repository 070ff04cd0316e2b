"""The fast path for `key: value` front matter (search.yamlsafe.simple_mapping) against the
guarded loader: where it answers, the data is equal and of the same types (dates, numbers,
booleans, quoted strings); anything else (lists, anchors, tags, broken YAML) goes to the
loader, so its messages and guards stay."""
from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.corpus.files import split_front_matter
from search.yamlsafe import SafeLoader, load_yaml, simple_mapping


def loader(text: str):
    """What the guarded loader alone gives: (repr of the data) or the error's text."""
    try:
        return repr(yaml.load(text, Loader=SafeLoader))
    except Exception as e:      # noqa: BLE001 - any failure: the fast path must not answer
        return f"error {type(e).__name__}"


SIMPLE = [
    'title: "However, the U.S.-Vietnam partnership (0)"\ndate: 2015-11-09',
    "title: Tô Lâm meets leaders in Đà Nẵng\ndate: 2024-08-19\nsource: Example Wire",
    "title: ‘Bamboo’ diplomacy — “quoted” in the middle\nauthor: A. Writer and B. Writer",
    "title: 'single quoted: with a colon'\nurl: https://example.org/a?b=c#frag",
    'title: "double # with hash"\nsource: U.S. State Dept.',
    "date: 2024-02-30\nother: 2024-13-45\nt: 25:61:00",     # not dates: strings, as the loader
    "date: 2024-02-29\nwhen: 2024-02-29 10:30:00\nzoned: 2001-12-14t21:59:43.10-05:00",
    "n: 12\nneg: 0x1F\noct: 017\nf: 1.5e3\nsix: 1_000\nsexa: 190:20:30\ninf: .inf\nnan: .NaN",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: ~\ng: null\nh:\ni: \"\"\nj: ''",
    "big: " + "9" * 5000,                     # too long for int(): the loader keeps the text
    "title: a: b\n",                          # not a simple line: loader
    "title: x\n\nsource: y\n",                # blank lines between fields
    "title: first\ntitle: second",            # the last one wins, as in the loader
    "key-with-dash: v\nsnake_key: w\nCamel9: z",
    "title: ends with colon:",
    "title: 5 # a comment",
    "title: a#b and 100%",
    "title: {not: flow}",
    "title: [a, b]",
    "authors:\n- A\n- B",
    "x: &a 1\ny: *a",
    "x: !!str 1",
    "x: !!python/object/apply:os.system ['true']",
    "title: bell\x07",
    "title: line\u2028break",
    "title: tab\there",
    "yes: 1",
    "null: 1",
    "1: one",
    "<<: {a: 1}",
    "=: 1",
    "x: =",
    "x: <<",
    "title: -5",
    "title: - item",
    "title: 'it''s'",
    'title: "escaped \\" quote"',
    'title: "unclosed',
    "title: |\n  block",
    "title: >\n  folded",
    "title: >-",
    "title: @at",
    "title: `tick`",
    "title: trailing space ",
    "title:  two spaces",
    "title:x",
    " title: indented",
    "title: wrapped\n  onto a second line",
    "---",
    "",
    "\n\n",
    "plain text",
    "title: nbsp\u00a0inside",
    "title: \u00a0leading nbsp",
    "title: zero\u200bwidth",
]


def test_the_fast_path_equals_the_loader_on_many_forms():
    answered = 0
    for text in SIMPLE:
        fast = simple_mapping(text)
        if fast is not None:
            answered += 1
            assert repr(fast) == loader(text), text
        data, problem = load_yaml(text)
        assert (repr(data) if problem is None else "error") == \
            (loader(text) if not loader(text).startswith("error") else "error"), text
    assert answered >= 15       # the usual forms really are read by the fast path


def test_the_fast_path_types_values_as_the_loader_does():
    data = simple_mapping("date: 2015-11-09\nbad: 2024-02-30\nn: 12\nok: yes\nnone:\n"
                          "when: 2024-02-29 10:30:00\nq: '12'")
    assert data == {"date": dt.date(2015, 11, 9), "bad": "2024-02-30", "n": 12, "ok": True,
                    "none": None, "when": dt.datetime(2024, 2, 29, 10, 30), "q": "12"}
    assert type(data["when"]) is dt.datetime and type(data["date"]) is dt.date


def test_what_the_guard_is_for_still_goes_to_the_loader():
    bomb = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'lol'] * 9)}]\n"
                   for i in range(9))
    for text, reason in [(bomb + "name: *l8", "too many repeated references"),
                         ("list: " + "[" * 3000 + "]" * 3000, "nested too deeply"),
                         ("a: 1\nb: [unclosed", "not valid YAML"),
                         ("a: 1\nb: bell\x07", "unacceptable character")]:
        assert simple_mapping(text) is None
        data, problem = load_yaml(text)
        assert data is None and reason in problem.reason


def test_front_matter_read_the_same_way_with_its_date():
    meta, body, problem = split_front_matter(
        "---\ntitle: \"Hà Nội and the U.S.\"\ndate: 2019-05-01\n---\nBody.\n")
    assert problem is None and body == "Body.\n"
    assert meta == {"title": "Hà Nội and the U.S.", "date": dt.date(2019, 5, 1)}


KEYS = st.sampled_from(["title", "date", "source", "url", "k-1", "x_y"] * 3
                       + ["yes", "on", "Null", "1", "~", "<<"])
SAFE = ["Tô Lâm", "Đà Nẵng", "U.S.", "word", "Hanoi", "ASEAN", " ", "-", ".", "“", "’s"]
TRICKY = [
    "“", "”", "‘", "’", "'", '"', "-", "—", ":", ": ", " #", "#", "[", "]", "{", "}", ",", "&a",
    "*a", "!", "|", ">", "%", "@", "`", "?", " ", "  ", "\\", "2024-02-29", "2024-02-30",
    "12:30", "12", "0x1F", "1.5", ".inf", "yes", "No", "null", "~", "10:30:00", "e3", "_", "+",
    "=", "<<", "\t", "\u00a0", "\u2028", "\x85", "\ufeff", "\x07", "\n", "\n  ", "\n- ",
]


def _insert(parts):
    words, tricky, at = parts
    return "".join(words[:at] + tricky + words[at:])


# Ordinary words with at most two tricky pieces among them, so many values are simple and
# each tricky piece is tried where it changes what the value is.
VALUES = st.tuples(st.lists(st.sampled_from(SAFE), max_size=4),
                   st.lists(st.sampled_from(TRICKY), max_size=2),
                   st.integers(0, 4)).map(_insert)
QUOTED = st.tuples(st.sampled_from(["'", '"', "", "", ""]), VALUES).map(lambda q: q[0] + q[1] + q[0])
LINES = st.lists(st.tuples(KEYS, st.sampled_from([": "] * 6 + [":", ":  ", " : "]), QUOTED)
                 .map("".join), min_size=1, max_size=3).map("\n".join)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_random_front_matter_equal_where_the_fast_path_answers(text):
    fast = simple_mapping(text)
    if fast is not None:
        assert repr(fast) == loader(text)
