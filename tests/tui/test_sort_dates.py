"""Hits sorted by date over every match, and date ranges `date:A..B` (issue 13, item 10)."""
import json

import pytest

from conftest import built_engine
from helpers_app import make_app, search, settle, shown
from conftest import vnexplore


def article(date: str | None, text: str) -> str:
    return (f"---\ndate: {date}\n---\n" if date else "") + text + "\n"


ARTICLES = {   # the newest article is the least relevant to "mekong": last by relevance
    **{f"old{i:02}.txt": article("2023-05-01", "Mekong " * 6 + f"delta report {i}.")
       for i in range(30)},
    "new.txt": article("2025-11-20", "A long note on trade, rice, fishing and the Mekong "
                                     "among many other matters of the southern provinces."),
    "mid.txt": article("2025-07-02", "Mekong Mekong river talks."),
    "june.txt": article("2025-06-30", "Mekong dams."),
    "year.txt": article("2024", "Mekong floods."),
    "march.txt": article("2024-03-15", "Mekong fish."),
    "jan.txt": article("2024-01-09", "Mekong sand."),
    "none.txt": article(None, "Mekong Mekong Mekong undated notes."),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return built_engine(tmp_path_factory, ARTICLES)


def docs(result) -> list[str]:
    return [h.doc for h in result.hits]


def test_sorting_by_date_orders_every_match_newest_first(engine):
    assert "new" not in docs(engine.search("mekong", limit=5))        # by relevance: far down
    result = engine.search("mekong", limit=5, sort="date")
    assert result.total == 37
    assert docs(result) == ["new", "mid", "june", "march", "jan"]
    full = engine.search("mekong", limit=100, sort="date")
    assert docs(full)[5] == "year" and docs(full)[-1] == "none"       # undated last
    olds = [h for h in full.hits if h.doc.startswith("old")]           # one date: by relevance
    assert [h.score for h in olds] == sorted((h.score for h in olds), reverse=True)
    assert full.hits[0].spans                                          # still highlighted


@pytest.mark.parametrize("q, expected", [
    ("date:2024..2025", {"new", "mid", "june", "year", "march", "jan"}),
    ("date:2024-03..2025", {"new", "mid", "june", "march"}),          # 2024 alone may be before
    ("date:2024..2025-06", {"june", "year", "march", "jan"}),         # not July 2025
    ("date:[2024 TO 2025-06]", {"june", "year", "march", "jan"}),
    ("date:..2024", {"year", "march", "jan"} | {f"old{i:02}" for i in range(30)}),
    ("date:2025-07..", {"new", "mid"}),
    ("date:2025-06-30..2025-07-02", {"mid", "june"}),
])
def test_date_ranges(engine, q, expected):
    result = engine.search("mekong " + q, limit=100)
    assert result.error is None and set(docs(result)) == expected


@pytest.mark.parametrize("q, message", [
    ("date:2024-13..2025", "'2024-13' in 'date:2024-13..2025' is not a date"),
    ("date:soon..2025", "'soon' in 'date:soon..2025' is not a date"),
    ("date:..", "needs a date on at least one side"),
    ("date:2025..2024", "'date:2025..2024' ends before it starts"),
])
def test_bad_date_ranges_say_what_is_wrong(engine, q, message):
    result = engine.search("mekong " + q)
    assert result.hits == [] and message in result.error


def test_search_sort_option_on_the_command_line(engine, tmp_path):
    ix = ["--corpus", str(engine.folders[0]), "--index-dir", str(engine.store.dir)]
    r = vnexplore(*ix, "search", "mekong", "--sort", "date", "--limit", "2", "--json")
    assert r.returncode == 0, r.stderr
    assert [h["doc"] for h in json.loads(r.stdout)["hits"]] == ["new", "mid"]


async def test_s_in_the_hit_list_sorts_by_date_and_back(engine, tmp_path):
    app = make_app(engine.store.dir, tmp_path, folders=engine.folders)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "mekong")
        await pilot.press("enter")
        await settle(pilot)
        pane = app.query_one("#search-pane")
        assert pane.result.hits[0].doc != "new"
        await pilot.press("s")
        await settle(pilot)
        assert docs(pane.result)[:2] == ["new", "mid"]
        assert "newest first" in shown(app, "#search-status")
        assert app.query_one("#query").value == "mekong"                # not typed in the box
        await pilot.press("s")
        await settle(pilot)
        assert pane.result.hits[0].doc != "new" and "newest" not in shown(app, "#search-status")


def test_a_wide_range_reads_whole_years_not_every_day(engine, monkeypatch):
    """A range over years of daily articles is a few year terms, within the expansion limit
    (3 years here; their 6 months and 6 days as well would be 15)."""
    from search.index import query
    monkeypatch.setattr(query, "MAX_EXPANSION", 5)
    result = engine.search("mekong date:2020..", limit=100)
    assert result.error is None and result.total == 36                 # all but the undated
