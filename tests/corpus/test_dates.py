"""Date expressions resolved against the article's date; document dates checked."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from search.corpus.dates import check_date, find_dates


def dates(sentence, doc_date=None):
    return [(d.text, d.value) for d in find_dates(sentence, doc_date)]


@pytest.mark.parametrize("sentence, doc_date, expected", [
    ("They met on 12 March 2024.", None, [("12 March 2024", "2024-03-12")]),
    ("They met on March 12, 2024.", None, [("March 12, 2024", "2024-03-12")]),
    ("Signed 2024-03-12 in Hanoi.", None, [("2024-03-12", "2024-03-12")]),
    ("In July 2025, talks ended.", None, [("July 2025", "2025-07")]),
    ("Ties were normalised in 1995.", None, [("1995", "1995")]),
    ("It happened in Sept. 2024.", None, [("Sept. 2024", "2024-09")]),
])
def test_explicit_dates(sentence, doc_date, expected):
    assert dates(sentence, doc_date) == expected


@pytest.mark.parametrize("sentence, doc_date, expected", [
    # a month without a year: the latest one up to the article date ...
    ("The shift occurred in November.", "2025-12-10", "2025-11"),
    ("The shift occurred in November.", "2026-02-03", "2025-11"),
    ("Drills were held in July.", "2025", "2025-07"),
    # ... or the next one when the sentence speaks of the future
    ("The leaders will meet in February.", "2025-12-10", "2026-02"),
    ("He visited last November.", "2025-11-20", "2024-11"),
    ("last month", "2025-12", "2025-11"),
    ("last month", "2026-01-15", "2025-12"),
    ("next month", "2025-12", "2026-01"),
    ("earlier this month", "2025-12-20", "2025-12"),
    ("earlier this year", "2025", "2025"),
    ("later this year", "2025-04-01", "2025"),
    ("last year", "2025-04-01", "2024"),
    ("a year ago", "2025-04-01", "2024"),
    ("yesterday", "2024-03-01", "2024-02-29"),
    ("today", "2024-03-01", "2024-03-01"),
    ("last week", "2025-04-03", "2025-03"),
    # weekdays: the latest such day on or before the article date (or the next, for the future)
    ("It was released on Tuesday.", "2026-02-03", "2026-02-03"),
    ("Ishiba visited on Thursday.", "2025-04-28", "2025-04-24"),
    ("They upgraded ties on Monday.", "2023-11-28", "2023-11-27"),
    ("Talks will resume on Friday.", "2025-04-09", "2025-04-11"),
    ("They met on April 27.", "2025-06-02", "2025-04-27"),
    ("They met on 5 December.", "2026-01-10", "2025-12-05"),
])
def test_relative_dates_resolve_from_the_article_date(sentence, doc_date, expected):
    assert [v for _, v in dates(sentence, doc_date)] == [expected]


def test_without_an_article_date_only_what_the_text_states_is_kept():
    assert dates("The upgrade came in February.") == [("February", None)]
    assert dates("It happened last month.") == [("last month", None)]
    assert dates("They met on Monday.") == [("on Monday", None)]
    assert dates("The port call is planned for later this year.") == [("later this year", None)]


def test_a_month_needs_a_date_word_and_numbers_are_not_years():
    assert dates("Hanoi may seek more.", "2025-05-01") == []
    assert dates("Trade may rise in May.", "2025-06-01") == [("May", "2025-05")]
    assert dates("A 2500 km coastline and 1200 ships; the 2000s.") == []
    assert dates("Tariffs of 46% in 2025% terms") == []
    assert dates("Day 31 February 2025 is no date.") == [("31 February 2025", None)]


def test_several_dates_in_order():
    assert dates("The U.S. in 1995 and China in 1991.") == [("1995", "1995"), ("1991", "1991")]


@pytest.mark.parametrize("value, expected", [
    ("2024", "2024"), (2024, "2024"), ("2024-05", "2024-05"), ("2024-5-7", "2024-05-07"),
    ("2024/05/07", "2024-05-07"), ("2024-05-07T10:00:00Z", "2024-05-07"), ("9999-12-31", "9999-12-31"),
    (dt.date(2024, 2, 29), "2024-02-29"), (dt.datetime(2024, 1, 2, 3, 4), "2024-01-02"),
    ("2024-02-30", None), ("2023-02-29", None), ("2024-13-45", None), ("2024-00", None),
    ("0000", None), ("25:61:00", None), (45000, None), ("1" * 41, None), (10 ** 40, None),
    ("May 2024", None), (True, None), ([2024], None),
])
def test_document_dates_are_calendar_dates_or_refused_with_a_reason(value, expected):
    date, problem = check_date(value, "in the front matter")
    assert date == expected
    assert (problem is None) == (expected is not None)
    if problem:
        assert "in the front matter is not a calendar date" in problem and len(problem) < 140


@pytest.mark.parametrize("sentence, expected", [
    ("The fair ran from March 3 to 7, 2023 in Hue.", [("March 3 to 7, 2023", "2023-03-03")]),
    ("The fair ran from 3 to 7 March 2023.", [("3 to 7 March 2023", "2023-03-03")]),
    ("Talks were held on October 9-11, 2021.", [("October 9-11, 2021", "2021-10-09")]),
    ("Last updated Sat. May 9, 2015 - 18:05 ICT", [("May 9, 2015", "2015-05-09")]),
])
def test_a_range_of_days_is_read_as_its_first_day(sentence, expected):
    assert dates(sentence) == expected


def test_a_bare_weekday_resolves_like_on_weekday():
    assert dates("Negotiators Friday wrapped up a second round.", "2023-08-10") == [("Friday", "2023-08-04")]


def test_an_undated_article_takes_the_date_its_text_gives():
    from search.corpus.dates import date_in_text
    # a byline or dateline wins over older dates, as precise as it is stated
    assert date_in_text(["Ties go back to 1992.", "Mon, March 2, 2026 - The ministers met."]) == "2026-03-02"
    # else the latest year the text speaks of in the past; a target year does not count
    assert date_in_text(["Ties began in 1992 and deepened in 2024.",
                         "They aim to double trade by 2030."]) == "2024"
    assert date_in_text(["Trade will reach a record in 2031."]) is None
    assert date_in_text(["No date here at all."]) is None


def test_the_year_pattern_finds_what_a_look_behind_first_finds():
    """The year pattern checks the character before a year after reading it (a scan for its
    first digit): the same years as the pattern that looks behind first."""
    import random
    from search.corpus import dates as D
    first = re.compile(rf"(?<![\w$.,-]){D._Y}(?![\w%]|s\b|,\d| percent| per cent)")
    year = D.PATTERNS[-1][0]
    texts = ["In 1995 and 2016, Tô Lâm met them.", "2015", "a2015 _2015 $2015 .2015 ,2015 -2015",
             "–2015 —2015 (2015) “2015” 19999 12015 20155 2015s 2015% 2015,5 2015 percent",
             "Đà Nẵng2015 ١2015 2015١ ²2015 U.S.2015 1899\n2099\u00a01800 2100 1799", "x\n2020"]
    rng = random.Random(5)
    glue = list("12089 $.,-–_aĐ١²%s\n\u00a0(“") + [" percent", " per cent", "2015", "19", "20"] * 3
    texts += ["".join(rng.choice(glue) for _ in range(80)) for _ in range(3000)]
    found = 0
    for text in texts:
        want = [(m.span(), m.group("year")) for m in first.finditer(text)]
        assert [(m.span(), m.group("year")) for m in year.finditer(text)] == want, text
        found += len(want)
    assert found > 1000
