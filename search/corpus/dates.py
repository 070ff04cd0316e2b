"""Dates in a sentence, resolved against the article's own date.

A date comes out as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as the text and the article
date allow. Relative expressions (`in November`, `last month`, `earlier this year`, `on Thursday`)
need the article date; without one they resolve to None and only the words are kept.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_M = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_Y = r"(?P<year>(?:1[89]|20)\d{2})"
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_TO = r"\s*(?:-|–|—|to|and|until)\s*(?:[0-3]?\d(?:st|nd|rd|th)?)"     # the end of a range of days
_W = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_FUTURE = re.compile(r"(?i)\b(?:will|shall|next|upcoming|scheduled|plans? to|planning to|"
                     r"expected to|is due|are due|is set to|are set to|to be held)\b")

PATTERNS = [   # (compiled pattern, kind) tried in order; earlier ones win overlaps
    (re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"), "full"),
    (re.compile(rf"\b{_M} {_D}{_TO},? {_Y}\b"), "full"),         # February 25 to 28, 2025: the first day
    (re.compile(rf"\b{_D}{_TO} {_M},? {_Y}\b"), "full"),         # 25-28 February 2025
    (re.compile(rf"\b{_D} {_M},? {_Y}\b"), "full"),
    (re.compile(rf"\b{_M} {_D},? {_Y}\b"), "full"),
    (re.compile(rf"\b{_M},? {_Y}\b"), "month-year"),
    (re.compile(rf"\b(?:on |)(?:{_W},? )?{_M} {_D}(?:{_TO})?\b(?!,? \d)"), "month-day"),
    (re.compile(rf"\b(?:on |)(?:{_W},? )?{_D} {_M}\b(?!,? \d)"), "month-day"),
    (re.compile(r"(?i)\b(?P<rel>yesterday|today|tomorrow|(?:earlier |later |)(?:last|this|next) "
                r"(?:week|month|year)|(?:earlier|later) this (?:week|month|year)|"
                r"(?:a|one) (?:week|month|year) ago)\b"), "relative"),
    (re.compile(rf"\b(?P<when>last|this|next|earlier|late|early|mid-?|in|since|until|by|from|"
                rf"during|through|of|In|Since|Until|By|From|During|Last|This|Next|Early|Late)"
                rf" {_M}(?![-\w])"), "month"),
    (re.compile(rf"\b(?P<on>on |On |last |Last |next |Next |this |This |){_W}\b"), "weekday"),
    (re.compile(rf"{_Y}(?<![\w$.,-]\d{{4}})(?![\w%]|s\b|,\d| percent| per cent)"), "year"),
]
# The year pattern checks the character before the year (not a letter, digit, $ . , or -) after
# the year, as a look-behind over it: a pattern starting with its digits (1 or 2) is scanned
# for them at C speed, where one starting with a look-behind is tried at every character.


def _after_break(pattern: re.Pattern) -> re.Pattern:
    r"""`pattern` led by the character before its match (\W) instead of \b, for the text with a
    space put before it. Every alternative of these patterns starts a word (a letter or a
    digit), so \b holds there exactly when the character before is not part of a word (or is
    the space put first); a pattern led by a character class is scanned for in C, where one
    led by \b tries a match at every character."""
    assert pattern.pattern.count("\\b", 0, 6) == 1, pattern.pattern
    return re.compile(pattern.pattern.replace("\\b", "\\W", 1), pattern.flags)


# PATTERNS as `find_dates` runs them: (pattern, kind, shift). Those led by \b whose every match
# ends before a character that is not part of a word (\b after a letter or digit, or a
# look-ahead) are run from the break before them (`_after_break`, shift 1) in " " + sentence:
# a match's start there is its start in the sentence, its end less one, and consuming the
# character before the next match loses none. Not the day-and-month one ("2 Oct." ends where
# a letter or digit may follow) nor the year (led by its digits).
_AFTER_BREAK = [True] * 7 + [False] + [True] * 3 + [False]
_RUNS = [(_after_break(pat), kind, 1) if fast else (pat, kind, 0)
         for (pat, kind), fast in zip(PATTERNS, _AFTER_BREAK)]


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    value: str | None     # YYYY, YYYY-MM or YYYY-MM-DD; None when it needs a date the article lacks


_DATE_VALUE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}\S*)?")


def check_date(value, where: str = "") -> tuple[str | None, str | None]:
    """A document date as given (front matter, metadata.yaml, a `date` first line) ->
    (YYYY, YYYY-MM or YYYY-MM-DD, None) when it is a real calendar date, else (None, why);
    `where` ("in the front matter") goes into the why.
    Years 1 to 9999; a time after the date is ignored; anything else is refused, so a
    41-digit number or 2024-13-45 never becomes a date."""
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.date):             # a YAML timestamp (datetime is a date too)
        return _fmt(value.year, value.month, value.day), None
    text = " ".join(str(value).split()) if isinstance(value, (str, int)) and \
        not isinstance(value, bool) else None
    m = _DATE_VALUE.fullmatch(text) if text and len(text) <= 40 else None
    if m:
        y, mo, d = (int(g) if g else None for g in m.groups())
        if y and (mo is None or _valid(y, mo, d)):
            return _fmt(y, mo, d), None
    shown = repr(text if len(text) <= 40 else text[:37] + "...") if text else f"of type {type(value).__name__}"
    where = f" {where}" if where else ""
    return None, f"date {shown}{where} is not a calendar date (YYYY, YYYY-MM or YYYY-MM-DD); ignored"


_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_iso(date: str | None) -> tuple[int | None, int | None, int | None]:
    m = _ISO.match(date or "")
    if not m:
        return None, None, None
    return tuple(int(g) if g else None for g in m.groups())   # type: ignore[return-value]


_PARSED: dict[str | None, tuple] = {}


def _parsed(date: str | None) -> tuple[int | None, int | None, int | None]:
    """`parse_iso(date)`, the article date parsed once for all its sentences. The memo's key
    is a copy of the date, never the caller's string: records holding the article date are
    marshalled, and marshal writes a string that something else refers to differently."""
    got = _PARSED.get(date)
    if got is None:
        if len(_PARSED) >= 1024:
            _PARSED.clear()
        got = _PARSED[date if date is None else date.encode().decode()] = parse_iso(date)
    return got


def _fmt(y: int | None, m: int | None = None, d: int | None = None) -> str | None:
    if y is None:
        return None
    if m is None:
        return f"{y:04d}"
    return f"{y:04d}-{m:02d}" if d is None else f"{y:04d}-{m:02d}-{d:02d}"


def _valid(y: int, m: int, d: int | None = None) -> bool:
    try:
        dt.date(y, m, d or 1)
        return True
    except ValueError:
        return False


def _shift_month(y: int, m: int, by: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + by
    return k // 12, k % 12 + 1


def _month_alone(month: int, when: str, future: bool, y, m) -> str | None:
    """A month without a year: the latest one up to the article date (the next one for the future)."""
    if y is None:
        return None
    when = when.lower()
    if m is None or when == "this":
        return _fmt(y, month)
    if when == "next":
        return _fmt(y if month > m else y + 1, month)
    if when == "last":
        return _fmt(y if month < m else y - 1, month)
    if future and when != "since":
        return _fmt(y if month >= m else y + 1, month)
    return _fmt(y if month <= m else y - 1, month)


def _relative(rel: str, y, m, d) -> str | None:
    rel = " ".join(rel.lower().split())
    if y is None:
        return None
    if rel.endswith("year") or rel.endswith("year ago"):
        shift = -1 if ("last" in rel or "ago" in rel) else 1 if "next" in rel else 0
        return _fmt(y + shift)
    if m is None:
        return None
    if rel.endswith("month") or rel.endswith("month ago"):
        shift = -1 if ("last" in rel or "ago" in rel) else 1 if "next" in rel else 0
        return _fmt(*_shift_month(y, m, shift))
    if d is None:
        return _fmt(y, m) if rel.endswith(("this week", "today")) else None
    day = dt.date(y, m, d)
    delta = {"yesterday": -1, "today": 0, "tomorrow": 1}.get(rel)
    if delta is None:
        delta = -7 if ("last" in rel or "ago" in rel) else 7 if "next" in rel else 0
        day += dt.timedelta(days=delta)
        return _fmt(day.year, day.month)            # a week is as precise as a month here
    day += dt.timedelta(days=delta)
    return _fmt(day.year, day.month, day.day)


def _weekday(name: str, on: str, future: bool, y, m, d) -> str | None:
    if y is None or m is None:
        return None
    if d is None:
        return _fmt(y, m)
    ref = dt.date(y, m, d)
    target = WEEKDAYS[name.lower()]
    on = on.strip()
    if on.lower() == "next" or (future and on.lower() != "last"):
        ahead = (target - ref.weekday()) % 7 or (7 if on.lower() == "next" else 0)
        day = ref + dt.timedelta(days=ahead)
    else:
        back = (ref.weekday() - target) % 7 or (7 if on.lower() == "last" else 0)
        day = ref - dt.timedelta(days=back)
    return _fmt(day.year, day.month, day.day)


def _resolve(kind: str, g: dict, future: bool, y, m, d) -> str | None:
    month = MONTHS.get((g.get("month") or "").lower().rstrip(".")) if g.get("month") else None
    if month is None and g.get("month", "").isdigit():
        month = int(g["month"])
    if kind == "full":
        yy, dd = int(g["year"]), int(g["day"])
        return _fmt(yy, month, dd) if month and _valid(yy, month, dd) else None
    if kind == "month-year":
        return _fmt(int(g["year"]), month)
    if kind == "month-day":
        if y is None:
            return None
        dd = int(g["day"])
        yy = int(_month_alone(month, "in", future, y, m)[:4])
        return _fmt(yy, month, dd) if _valid(yy, month, dd) else None
    if kind == "relative":
        return _relative(g["rel"], y, m, d)
    if kind == "month":
        return _month_alone(month, g["when"], future, y, m)
    if kind == "weekday":
        return _weekday(g["weekday"], g["on"], future, y, m, d)
    return _fmt(int(g["year"]))


# What each of PATTERNS needs in a sentence to match at all (see `_needs`): a sentence lacking
# it is not scanned for that pattern, which is most of them in most sentences.
_NEEDS = [("digit", "dash"), ("month-digit",), ("digit-month",), ("digit-month",),
          ("month-digit",), ("month-digit",), ("month-digit",), ("digit-month",),
          ("relative",), ("month",), ("weekday",), ("digit",)]
_DIGIT = re.compile(r"\d")
_MONTH_WORD = re.compile("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")    # how every month starts
_WEEKDAY_WORD = re.compile("(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
# What the patterns giving a day or a year with a month need: a month then a digit ("May 2",
# "Sept., 2019"), or a digit then a month ("2 May", "25-28 Feb."). Most sentences holding a
# digit and a month word hold neither (a year and "May" the verb), and these patterns, led
# by \b, are slow to scan: two searches led by a month or a digit are quicker. The month
# before a digit is looked for as any word starting like one (a few more sentences, "Mayor
# 2", are let through to the patterns): led by a plain alternation of three letters, it is
# scanned for about five times as fast as _M, whose group of names is tried at every character.
_MONTH_DIGIT = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,? \d")
_DIGIT_MONTH = re.compile(rf"\d(?:st|nd|rd|th)? {_M}")
_RELATIVE_WORDS = ("yesterday", "today", "tomorrow", "week", "month", "year")
_CASELESS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})   # re.I's extra pairs
_CHOSEN: dict[frozenset, list] = {}


def _needs(sentence: str, low: str | None = None) -> frozenset:
    """Which of the things PATTERNS need the sentence holds: a digit, a dash, a month or a
    weekday (written capitalised, as the patterns want them), a month next to a digit, a word
    of a relative date (in any case, as `re.I` compares). `low`: the sentence as
    `timeline.extract.caseless` gives it (the same), when the caller has it."""
    have = []
    if _DIGIT.search(sentence):
        have.append("digit")
        if "-" in sentence:
            have.append("dash")
    if _MONTH_WORD.search(sentence):
        have.append("month")
        if "digit" in have:
            if _MONTH_DIGIT.search(sentence):
                have.append("month-digit")
            if _DIGIT_MONTH.search(sentence):
                have.append("digit-month")
    if _WEEKDAY_WORD.search(sentence):
        have.append("weekday")
    if low is None:
        low = sentence.translate(_CASELESS).lower() if "\u0130" in sentence or \
            "\u0131" in sentence or "\u017f" in sentence else sentence.lower()
    if any(map(low.__contains__, _RELATIVE_WORDS)):
        have.append("relative")
    return frozenset(have)


def _patterns_for(have: frozenset) -> list:
    """The PATTERNS (in order, as `_RUNS` runs them) that can match a sentence holding `have`."""
    chosen = _CHOSEN.get(have)
    if chosen is None:
        chosen = _CHOSEN[have] = [run for run, needs in zip(_RUNS, _NEEDS) if have.issuperset(needs)]
    return chosen


def find_dates(sentence: str, doc_date: str | None = None, low: str | None = None) -> list[DateMention]:
    """Every date expression in a sentence, in order, resolved against the article date.
    Only the patterns whose words the sentence holds are tried (`_needs`): the others cannot
    match, and scanning each sentence with every pattern was most of the time. `low`: the
    sentence in lower case as `timeline.extract.caseless` gives it, when the caller has it."""
    patterns = _patterns_for(_needs(sentence, low))
    if not patterns:
        return []
    y, m, d = _parsed(doc_date)
    future = None           # does the sentence speak of the future? asked only when needed
    taken: list[tuple[int, int]] = []
    out = []
    spaced = " " + sentence
    for pat, kind, shift in patterns:
        for hit in pat.finditer(spaced if shift else sentence):
            s, e = hit.start(), hit.end() - shift
            if kind == "month" and hit.group("when").lower() in ("in", "since", "until", "by",
                                                                 "from", "during", "through", "of"):
                s = hit.start("month") - shift
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind == "month" and hit.group("month") == "May" and \
                    hit.group("when").lower() not in ("in", "since", "until", "last", "next", "this",
                                                      "early", "late", "during", "from", "by"):
                continue
            taken.append((s, e))
            if future is None and kind in _SEES_FUTURE:
                future = bool(_FUTURE.search(sentence))
            out.append(DateMention(s, e, sentence[s:e], _resolve(kind, hit.groupdict(), future, y, m, d)))
    return sorted(out, key=lambda x: x.start)


_SEES_FUTURE = ("month-day", "month", "weekday")      # the kinds `_resolve` reads `future` for


_YEAR_IN = re.compile(r"\d{4}")


def stated(mention: DateMention) -> bool:
    """Does the date expression carry its own year ("May 2025"), needing no article date?"""
    return bool(_YEAR_IN.search(mention.text))


_TARGET = re.compile(r"(?i)\b(?:by|until|till|to|through|towards?|target\w*|goal|plan\w*|vision)\W+$")


def date_in_text(passages: list[str]) -> str | None:
    """A date for an article whose front matter gives none, as a reader would find it: an
    article is written in the latest year it speaks of in the past (a dateline, a byline
    "Mon, November 27, 2023", "in 2025"), and on the latest date it states in that year, as
    precisely as stated. Targets ("by 2030") and future sentences do not count.
    Linear in the text's length."""
    latest: str | None = None
    today = dt.date.today().isoformat()
    for text in passages:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if _FUTURE.search(sentence):
                continue
            for d in find_dates(sentence):
                if not d.value or not stated(d) or d.value > today or \
                        _TARGET.search(sentence[max(0, d.start - 20):d.start]):
                    continue
                if latest is None or d.value[:4] > latest[:4] or \
                        (d.value[:4] == latest[:4] and (len(d.value), d.value) > (len(latest), latest)):
                    latest = d.value
    return latest
