"""The words each event rule needs (search/events.py NEEDS): a sentence is tried against a rule
only when it holds one of them, so a missing word would silently lose events."""
from __future__ import annotations

import re

from search.timeline import extract as EV
from search.corpus.dates import MONTHS, WEEKDAYS
from search.corpus.files import load
from search.paths import bundled_seeds

# one sentence per alternative of each rule, in the cases and accents articles use
SENTENCES = [
    "The two countries normalized relations in 1995.", "Relations were NORMALISED in 1991.",
    "They restored ties in 2001.", "Both sides resumed bilateral relations in 1992.",
    "Vietnam and Chile established diplomatic relations in 1971.",
    "Diplomatic ties between them were formally established in 1973.",
    "The 50th anniversary of diplomatic relations fell in 2023.",
    "Vietnam joined ASEAN in 1995.", "Its accession to the WTO came in 2007.",
    "Vietnam became a full member in 1995.", "It won a non-permanent seat in 2019.",
    "Their membership in APEC began in 1998.", "A founding member of the forum in 1999.",
    "Entry into force followed in 2020.", "Chinese ships rammed a boat in 2014.",
    "Water cannons were used in May 2014.", "A stand-off at sea in 2014.", "A standoff in 2019.",
    "Fishermen were detained in 2020.", "Protesters gathered in 2014.",
    "The Security Council meets in New York, March 12, 2018.", "The leaders met in Hanoi in 2019.",
    "He paid a state visit in 2017.", "She travelled to Tokyo in 2016.",
    "They held talks in 2015.", "A summit took place in 2019.", "A welcome ceremony in 2018.",
    "Tariffs rose in 2018.", "A trade deal was reached in 2019.", "Anti-dumping duties in 2020.",
    "Export controls were eased in 2021.", "They inked a memorandum in 2016.",
    "An MoU was signed in 2017.", "A treaty of 1978.", "A joint statement in 2023.",
    "Joint exercises were held in 2018.", "A port call in 2018.", "Aircraft carriers visited in 2018.",
    "Defense cooperation grew in 2016.", "ſigned in 2016.", "VİSİT of 2016.", "vıſit in 2015.",
]


def unfiltered(sentence: str) -> list:
    out = EV.tier_triggers(sentence)
    for kind, pat in EV.RULES:
        out.extend((kind, m.start()) for m in pat.finditer(sentence))
    return out


def test_every_rule_alternative_gets_through_the_word_check():
    for s in SENTENCES:
        assert EV.classify(s) == unfiltered(s), s
    assert all(EV.classify(s) for s in SENTENCES)


def test_the_word_check_changes_nothing_on_the_bundled_articles():
    docs, _ = load([bundled_seeds()])
    sentences = [s for d in docs for p in d.passages for _, s in EV.sentences(p.text)]
    assert len(sentences) > 100
    assert [EV.classify(s) for s in sentences] == [unfiltered(s) for s in sentences]


def test_every_rule_has_its_words():
    assert set(EV.NEEDS) == {k for k, _ in EV.RULES}
    for kind, words in EV.NEEDS.items():
        assert all(w == w.lower() and not re.search(r"\s$", w) for w in words), kind


# the tier patterns are tried only when a sentence holds "partner" or "elevat" (TIER_NEEDS)
TIER_SENTENCES = [
    "Vietnam and Japan upgraded ties to a Comprehensive Strategic Partnership in 2023.",
    "They ELEVATED their relations in 2013.", "A strategic partnerſhip was signed in 2009.",
    "They forged a comprehensive partnership in 2013.", "They elevated the ties in 2016.",
    "They signed up as strategic partners in 2011.",
]


def test_tier_sentences_get_through_the_word_check():
    for s in TIER_SENTENCES:
        assert EV.tier_triggers(s), s
        assert EV.classify(s) == unfiltered(s), s


def test_a_passage_put_in_lower_case_once_classifies_its_sentences_as_each_alone():
    docs, _ = load([bundled_seeds()])
    texts = [p.text for d in docs for p in d.passages] + [" ".join(SENTENCES + TIER_SENTENCES)]
    for text in texts:
        low = EV.caseless(text)
        assert len(low) == len(text)
        for offset, s in EV.sentences(text):
            assert EV.classify(s, low[offset:offset + len(s)]) == unfiltered(s), s


def test_caseless_keeps_offsets_and_res_case_pairs():
    text = "VİSİT ſigned vıſit Straße ΣΑΣ"
    low = EV.caseless(text)
    assert len(low) == len(text) and low.startswith("visit signed visit")


# What every date expression holds (search.corpus.dates.PATTERNS): a digit, a month or a weekday
# (written capitalised), or a word of a relative date; a sentence holding none has no date.
MAY_BE_DATE = re.compile("|".join([r"\d", *sorted({m.capitalize() for m in MONTHS}),
                                   *sorted(w.capitalize() for w in WEEKDAYS),
                                   r"(?i:yesterday|today|tomorrow|week|month|year)"]))
DATED = ["on 2024-05-01", "February 25 to 28, 2025", "25-28 February 2025", "3 March 2021",
         "March 3, 2021", "Sept. 2019", "on Thursday, May 2", "12 June", "yesterday",
         "earlier this month", "a year ago", "LAST WEEK", "Later this year", "in November",
         "since Oct.", "last Friday", "in 1995", "(2016)", "Dec. 12", "next Monday"]


def test_a_sentence_is_read_for_dates_when_it_may_hold_one():
    """find_dates is asked only about sentences holding a digit, a month, a weekday or a
    relative word: every date expression holds one, so no date is lost."""
    from search.corpus.dates import find_dates
    docs, _ = load([bundled_seeds()])
    sentences = [s for d in docs for p in d.passages for _, s in EV.sentences(p.text)]
    sentences += [f"The two sides met {x} in Hanoi." for x in DATED]
    for x in DATED:
        assert find_dates(f"They met {x}.", "2024-06-15"), x
    for s in sentences:
        if not MAY_BE_DATE.search(s):
            assert find_dates(s, "2024-06-15") == [] and find_dates(s) == [], s
