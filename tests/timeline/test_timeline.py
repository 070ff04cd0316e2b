"""The partnership timeline: curated events proven against their passages, extraction, ladder."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from search.engine import Engine
from search.entities.kept import load_entity_index
from search.entities.mentions import index_hook
from search.timeline.build import KINDS, build_timeline, ladder, load_curated, merge
from conftest import write_files

DATE = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?)?$")


@pytest.fixture(scope="module")
def seed_timeline(seeds):
    index = load_entity_index(seeds)
    return seeds, build_timeline(seeds, index)


def test_every_curated_quote_is_in_its_passage(seeds):
    warnings = []
    events = load_curated(warnings=warnings)
    assert not warnings and len(events) >= 20
    for ev in events:
        assert ev.kind in KINDS and DATE.match(ev.date) and ev.partners and ev.evidence
        for e in ev.evidence:
            passage = seeds.passage(e.doc, e.passage)
            assert passage is not None, (e.doc, e.passage)
            assert e.quote in passage.text, (ev.summary, e.doc, e.passage)


def test_the_seed_timeline_is_in_date_order_and_every_quote_checks(seed_timeline):
    engine, events = seed_timeline
    dated = [e.date for e in events if e.date]
    assert dated == sorted(dated)
    assert {e.origin for e in events} == {"curated", "extracted"}
    for ev in events:
        for e in ev.evidence:
            assert e.quote in engine.passage(e.doc, e.passage).text


def test_the_seed_timeline_knows_the_main_steps(seed_timeline):
    _, events = seed_timeline
    found = {(e.date, e.kind, tuple(e.partners)) for e in events}
    assert ("1995", "normalisation", ("United States",)) in found
    assert ("2025-06", "membership", ("BRICS",)) in found
    # 1995 normalisation is told by three articles: one event, three pieces of evidence
    us = next(e for e in events if e.kind == "normalisation" and e.partners == ["United States"])
    assert len({e.doc for e in us.evidence}) == 3


def test_ladder_of_the_seeds(seed_timeline):
    _, events = seed_timeline
    ladders = {l.partner: l for l in ladder(events)}
    assert ladders["United States"].tier == "comprehensive strategic partnership"
    assert [s.kind for s in ladders["United States"].steps] == ["normalisation",
                                                                 "comprehensive strategic partnership"]
    assert ladders["Kuwait"].tier == "strategic partnership"
    assert ladders["China"].steps[0].date == "1991"
    assert "ASEAN" not in ladders
    assert json.loads(json.dumps(ladders["Japan"].to_dict()))["steps"][0]["evidence"]


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    root = tmp_path_factory.mktemp("news")
    corpus = write_files(root / "c", {
        "one.md": "---\ndate: 2024-11-22\n---\nMalaysia and Vietnam raised ties to a "
                  "comprehensive strategic partnership on Thursday in Kuala Lumpur.\n\n"
                  "The two countries had formed a strategic partnership in 2015.\n\n"
                  "Officials said they were reinforcing their strategic partnership in 2024.\n",
        "two.md": "---\ndate: 2024-11-25\n---\nVietnam elevated relations with Malaysia to a "
                  "comprehensive strategic partnership last week, officials in Hanoi said.\n\n"
                  "A document finished in August 2024, less than a year after Vietnam signed a "
                  "comprehensive strategic partnership with Japan, was leaked.\n",
        "undated.md": "New Zealand and Vietnam upgraded ties to a comprehensive strategic "
                      "partnership in February.\n\nVietnam joined the WTO in 2007 and ASEAN in 1995.\n"})
    engine = Engine([corpus], root / "ix", entity_names=index_hook())
    engine.update()
    return engine, build_timeline(engine, load_entity_index(engine), curated=root / "none.yaml")


def test_extraction_rules(news):
    _, events = news
    found = {(e.date, e.kind, tuple(e.partners)) for e in events}
    assert ("2015", "strategic partnership", ("Malaysia",)) in found        # "the two countries"
    assert ("2007", "membership", ("WTO",)) in found                          # each its own date
    assert ("1995", "membership", ("ASEAN",)) in found
    assert not any(e.date == "2024" for e in events)                         # reinforcing is no step
    assert not any(e.date == "2024-08" for e in events)                      # "a year after"
    nz = next(e for e in events if e.partners == ["New Zealand"])
    assert nz.date == "" and "February" in nz.summary                        # no article date


def test_one_event_told_by_two_articles_is_merged(news):
    _, events = news
    malaysia = [e for e in events if e.kind == "comprehensive strategic partnership"
                and e.partners == ["Malaysia"]]
    assert len(malaysia) == 1
    assert malaysia[0].date == "2024-11-21"
    assert sorted(e.doc for e in malaysia[0].evidence) == ["one", "two"]


def test_merge_keeps_different_events_apart():
    from search.timeline.build import Event, Evidence
    a = Event("2025-04-09", ["United States"], "trade", "", [Evidence("d", 1, "asked to delay")])
    b = Event("2025-04", ["United States"], "trade", "", [Evidence("d", 2, "announced tariffs")])
    c = Event("2025-04", ["United States"], "trade", "", [Evidence("e", 3, "tariffs in April")])
    d = Event("2025-04-09", ["Japan"], "trade", "", [Evidence("f", 1, "x")])
    merged = merge([a, b, c, d])
    assert len(merged) == 3
    assert sorted(len(m.evidence) for m in merged) == [1, 1, 2]


def run_cli(*args):
    out = subprocess.run([sys.executable, "-m", "tui.main", *args], capture_output=True,
                         text=True, timeout=120)
    return out.returncode, out.stdout, out.stderr


def test_cli_timeline_and_partners(tmp_path):
    ix = ["--index-dir", str(tmp_path / "ix")]
    code, out, _ = run_cli("timeline", "--partner", "U.S.", "--kind", "trade", "--json", *ix)
    events = json.loads(out)["events"]
    assert code == 0 and events and all("United States" in e["partners"] for e in events)
    assert set(events[0]) == {"date", "partners", "kind", "summary", "evidence", "origin", "date_basis"}
    code, out, _ = run_cli("partners", "--json", *ix)
    ladders = json.loads(out)["partners"]
    assert code == 0 and {"partner", "tier", "steps"} == set(ladders[0])
    code, _, err = run_cli("timeline", "--kind", "war", *ix)
    assert code == 2 and "--kind" in err
    code, out, _ = run_cli("timeline", *ix)
    assert code == 0 and "normalisation" in out


# Rules of extraction, each on sentences written for the test.

def _events(*paras, date=None):
    from search.entities import gazetteer
    from search.entities.mentions import extract
    from search.timeline.extract import extract_events
    from search.model import Document, Passage
    d = Document("art", "art.md", "art", date=date,
                 passages=[Passage("art", i, t) for i, t in enumerate(paras, 1)])
    return extract_events([d], extract([d], gazetteer.load(include_user=False)))


def _found(events):
    return {(e.date, e.kind, tuple(e.partners)) for e in events}


def test_news_without_a_date_happened_on_the_article_date():
    events = _events("Vietnam and Kenya have lifted their relations to a strategic partnership, "
                     "officials in Nairobi said.", date="2026-03-04")
    ev = next(e for e in events if e.kind == "strategic partnership")
    assert (ev.date, ev.partners, ev.date_basis) == ("2026-03-04", ["Kenya"], "article_date")
    assert ev.summary == "Vietnam and Kenya elevate ties to a strategic partnership"


def test_a_named_weekday_resolves_against_the_article_date():
    events = _events("Mexico on Saturday elevated its relationship with Vietnam to a "
                     "comprehensive partnership.", date="2025-10-14")
    assert ("2025-10-11", "comprehensive partnership", ("Mexico",)) in _found(events)


def test_an_article_without_front_matter_date_is_dated_by_its_byline():
    events = _events("Posted 19 September 2024 by the news desk.",
                     "Foreign ministers from Ghana and Vietnam said their countries have agreed to "
                     "lift their bond to a comprehensive partnership.")
    ev = next(e for e in events if e.kind == "comprehensive partnership")
    assert (ev.date, ev.partners, ev.date_basis) == ("2024-09-19", ["Ghana"], "derived")


def test_each_rung_of_a_history_sentence_has_its_own_date():
    events = _events("Diplomatic ties between Vietnam and Sweden were set up in 1969, raised to a "
                     "comprehensive partnership in 2011 and a strategic partnership in 2019.")
    found = _found(events)
    assert {("1969", "diplomatic relations", ("Sweden",)), ("2011", "comprehensive partnership", ("Sweden",)),
            ("2019", "strategic partnership", ("Sweden",))} <= found
    assert not any(d == "1969" and k != "diplomatic relations" for d, k, _ in found)


def test_the_partner_is_vietnams_counterpart_not_every_country_named():
    events = _events("Vietnam and Chile signed a strategic partnership on 4 May 2024, during a "
                     "tour that also took the Chilean minister to Peru and Japan.")
    assert {e.kind: e.partners for e in events}["strategic partnership"] == ["Chile"]


def test_anniversaries_count_back_from_the_article_date():
    events = _events("Guests at the embassy toasted 35 years of diplomatic ties between Vietnam "
                     "and Bolivia.", date="2018-03-15")
    ev = next(e for e in events if e.kind == "diplomatic relations")
    assert (ev.date, ev.partners, ev.date_basis) == ("1983", ["Bolivia"], "derived")
    # a span ("the first 20 years of ...") is no anniversary: no event 20 years back
    assert all(e.date != "2000" for e in _events(
        "During the first 20 years of their diplomatic ties, Vietnam and Nepal traded little.",
        date="2020-09-01"))


def test_joining_a_body_in_other_words():
    found = _found(_events("Vietnam became the 57th member of the Asian Infrastructure Investment "
                           "Bank in 2016.", "Vietnam has joined the UN Security Council again, this "
                           "time for a two-year stint as an elected member, its diplomats announced "
                           "after the vote.", "Its non-permanent seat runs from 1 January 2027, "
                           "taking over from Sierra Leone.",
                           date="2026-06-10"))
    assert ("2016", "membership", ("Asian Infrastructure Investment Bank",)) in found
    assert ("2026-06-10", "membership", ("UN Security Council",)) in found
    assert ("2027-01-01", "membership", ("UN Security Council",)) in found   # the body, not Sierra Leone


def test_curated_events_show_only_with_their_evidence_loaded(tmp_path):
    corpus = write_files(tmp_path / "own", {
        "a.md": "---\ndate: 2024-05-02\n---\nVietnam and Peru established diplomatic relations in 1994.\n"})
    engine = Engine([corpus], tmp_path / "ix", entity_names=index_hook())
    engine.update()
    events = build_timeline(engine, load_entity_index(engine))
    assert events and not any(e.origin == "curated" for e in events)
    for ev in events:                        # every event shown opens its evidence
        for e in ev.evidence:
            assert e.quote in engine.passage(e.doc, e.passage).text


def test_a_curated_summary_says_no_more_than_its_quotes():
    """Every name and number a curated summary gives is in its quotes (or is its partner)."""
    from search.corpus.text import fold
    for ev in load_curated():
        quotes = fold(" ".join(e.quote for e in ev.evidence))
        allowed = fold(" ".join(ev.partners)) + " vietnam"
        words = re.findall(r"(?<!^)\b(?:[A-Z][\w.-]*|\d+)\b", ev.summary)
        extra = [w for w in words if fold(w) not in quotes and fold(w) not in allowed
                 and w not in ("The", "A", "From", "Starting")]
        assert not extra, (ev.summary, extra)


def test_more_ways_to_state_a_signing_a_seat_and_a_summit():
    found = _found(_events(
        "Iceland and Vietnam inked a three-year scheme for teacher exchanges in May 2017.",
        "The UN Security Council in 1983 counted Vietnam as an elected member.",
        "Uruguay and Vietnam released a joint statement on seed banks in August 2022.",
        "In July 2017 the deputy premier went to Hamburg for a G20 summit."))
    assert ("2017-05", "agreement", ("Iceland",)) in found
    assert ("1983", "membership", ("UN Security Council",)) in found
    assert ("2022-08", "agreement", ("Uruguay",)) in found
    assert ("2017-07", "visit", ("G20",)) in found          # a body met, when no state is named


def test_to_dict_is_what_asdict_gives():
    """Event.to_dict writes the evidence without dataclasses' deep copy: the same dicts."""
    from dataclasses import asdict
    from search.timeline.model import Event, Evidence
    ev = Event("2016-05", ["United States", "Japan"], "visit", "A visit.",
               [Evidence("a/b", 3, "said “so”"), Evidence("c", 0, "")], "curated", "derived")
    assert ev.to_dict() == asdict(ev)
    assert list(ev.to_dict()) == list(asdict(ev))
    assert ev.evidence[0].to_dict() == asdict(ev.evidence[0])
    assert ev.to_dict()["partners"] is not ev.partners
