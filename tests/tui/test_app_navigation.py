"""Keys that keep their meaning (issue 13, items 4-7): Escape goes up and never into a text
box, every control has a key, b/f retrace every pane, the palette opens what was chosen."""
from __future__ import annotations

from textual.command import CommandList
from textual.widgets import Select

from helpers_app import make_app, open_pane, palette_wait, screen_text, search, settle, shown
from tui.help import HelpScreen


async def test_escape_never_lands_in_a_text_box(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "Spratly")
        query, hits = app.query_one("#query"), app.query_one("#hits")
        await pilot.press("escape")                      # query box -> its list
        assert hits.has_focus
        await pilot.press("j", "escape")                 # the list -> its top, focus stays
        assert hits.has_focus and hits.highlighted == 0
        await pilot.press("j")                           # so j still moves, never types
        assert query.value == "Spratly" and hits.highlighted > 0
        await pilot.press("4")
        await settle(pilot)
        events = app.query_one("#events")
        assert events.has_focus
        await pilot.press("escape", "escape", "1")       # the Timeline list: never its box
        assert app.query_one("#partner-filter").value == "" and app.pane == "search"
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("slash", *"Al", "escape")      # Entities filter -> the names
        assert app.query_one("#entity-list").has_focus
        await pilot.press("4")                           # a digit is a pane again
        assert app.pane == "timeline" and app.query_one("#entity-filter").value == "Al"
        await pilot.press("slash", *"Ch", "escape")      # Timeline filter -> the events
        assert events.has_focus and app.query_one("#partner-filter").value == "Ch"


async def test_the_timeline_kind_selector_has_a_key_listed_in_help(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(100, 50)) as pilot:
        await open_pane(pilot, "4")
        pane, select = app.query_one("#timeline-pane"), app.query_one("#kind-filter", Select)
        kinds = {ev.kind for ev in pane.events}
        await pilot.press("t")
        await pilot.pause()
        assert select.expanded
        await pilot.press("down", "down", "enter")        # every kind, then the first kind
        await settle(pilot)
        assert select.value is not Select.NULL
        assert pane.shown and {ev.kind for ev in pane.shown} == {select.value} < kinds
        await pilot.press("escape")
        assert app.query_one("#events").has_focus
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "timeline.kind" in {b.id for b, _ in app.screen.bindings}
        row = next(r for r in screen_text(app).split("\n") if "timeline.kind" in r)
        assert " t " in row and "Kind" in row


def selected_hit(app):
    option = app.query_one("#hits").highlighted_option
    return app.query_one("#search-pane").result.hits[int(option.id.split("-")[1])]


async def test_b_and_f_go_back_to_where_you_were_in_every_pane(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "Boeing")
        await pilot.press("enter", "j", "j")             # the second hit (a separator between)
        chosen = selected_hit(app)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one("#reader-pane")
        assert (reader.doc.id, reader.passage) == (chosen.doc, chosen.passage)
        await pilot.press("right_square_bracket")        # moved on inside the document
        at = reader.passage
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("slash", *"Kuw", "enter")
        assert app.query_one("#entities-pane").current == "Kuwait"
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("slash", *"China", "enter", "j")
        timeline = app.query_one("#timeline-pane")
        event = timeline.shown[1]
        await pilot.press("b")                           # Entities, filter and name kept
        await settle(pilot)
        assert app.pane == "entities" and app.query_one("#entity-filter").value == "Kuw"
        assert app.query_one("#entities-pane").current == "Kuwait"
        assert app.query_one("#entity-list").has_focus
        await pilot.press("b")                           # the Reader, at its passage
        await settle(pilot)
        assert app.pane == "reader" and (reader.doc.id, reader.passage) == (chosen.doc, at)
        await pilot.press("b")                           # Search: the query and that hit
        await settle(pilot)
        assert app.pane == "search" and app.query_one("#query").value == "Boeing"
        assert selected_hit(app) == chosen and app.query_one("#hits").has_focus
        await pilot.press("b")
        await pilot.pause()
        assert app.pane == "search"                      # nothing further back: says so
        await pilot.press("f", "f", "f")
        await settle(pilot)
        assert app.pane == "timeline" and app.query_one("#partner-filter").value == "China"
        option = app.query_one("#events").highlighted_option
        assert timeline.shown[int(option.id[3:])] == event
        await pilot.press("alt+left")
        await settle(pilot)
        assert app.pane == "entities"


async def palette_options(pilot, text: str) -> list[str]:
    await palette_wait(pilot, text)
    await pilot.pause(0.2)
    box = pilot.app.screen.query_one(CommandList)
    return [str(box.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(box.option_count)]


async def test_the_palette_opens_the_entity_chosen_even_behind_a_filter(seed_index_dir,
                                                                         tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot, "3")
        await pilot.press("slash", *"Kuw")              # a filter that hides Algeria
        options = await palette_options(pilot, "entity: alg")
        assert options and all(o.startswith("entity") for o in options), options
        assert any("Algeria" in o for o in options)
        await pilot.press("enter")
        await settle(pilot)
        pane = app.query_one("#entities-pane")
        assert pane.current == "Algeria" and "Algeria" in shown(app, "#entity-info")
        names = app.query_one("#entity-list")
        assert names.has_focus
        assert pane.names[int(names.highlighted_option.id[4:])] == "Algeria"


async def test_palette_groups_are_typed_and_theme_lists_no_documents(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        options = await palette_options(pilot, "theme")
        assert options and not [o for o in options if o.startswith("doc")], options
        assert any(o.startswith("theme") and "textual-light" in o for o in options)
        await pilot.press("escape")
        options = await palette_options(pilot, "doc: bamboo")
        assert options and all(o.startswith("doc") for o in options)
        await pilot.press("escape")
        options = await palette_options(pilot, "theme: light")
        assert options and all(o.startswith("theme") for o in options)
        await pilot.press("enter")
        await pilot.pause()
        assert "light" in app.theme
