"""Smaller things seen in the panes (issue 13, items 12-17)."""
from __future__ import annotations

from test_app_flows import make_app, settle, shown


def marked(text) -> list[str]:
    return [text.plain[s.start:s.end] for s in text.spans if "yellow" in str(s.style)]


async def test_an_entity_search_highlights_the_entity_in_hits_and_reader(seed_index_dir,
                                                                         tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "3")
        await settle(pilot)
        await pilot.press("slash", *"ASEAN", "enter", "s")      # Entities, s: search for it
        await settle(pilot)
        assert app.query_one("#query").value == 'entity:"ASEAN"'
        result = app.query_one("#search-pane").result
        assert result.hits
        first = app.query_one("#hits").get_option_at_index(0).prompt
        assert "ASEAN" in marked(first) or "Association of Southeast Asian Nations" in \
            " ".join(marked(first))
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one("#reader-pane")
        status = shown(app, "#reader-status")
        assert "no hits" not in status and f"of {len(reader.matches)}" in status
        passage = reader.current_passage()
        _, start, end = reader.matches[reader.match]
        assert reader.passage == result.hits[0].passage
        assert passage.text[start:end] in ("ASEAN", "Association of Southeast Asian Nations")
