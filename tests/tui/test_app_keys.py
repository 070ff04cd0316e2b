"""Keys and states a user meets around the edges: `/` in the query box, index messages, exit."""
from __future__ import annotations

from textual.widgets.input import Selection

from conftest import write_files
from search.index import generations as R
from search.engine import Engine
from helpers_app import make_app, palette_pick, search, settle, shown


async def test_slash_focuses_the_query_and_never_types_itself(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = app.query_one("#query")
        assert box.has_focus                       # the app starts in the query box
        await pilot.press("slash", *"South China Sea")
        await settle(pilot)
        assert box.value == "South China Sea"
        assert app.query_one("#hits").option_count > 0
        await pilot.press("slash")                 # again, with text in the box: selects it
        assert box.value == "South China Sea"
        assert box.selection == Selection(0, len("South China Sea"))
        await pilot.press(*"Kuwait")               # typing replaces the selected query
        await settle(pilot)
        assert box.value == "Kuwait"
        await pilot.press("down")                  # from the hits, / comes back to the query
        assert app.query_one("#hits").has_focus
        await pilot.press("slash")
        assert box.has_focus and box.value == "Kuwait"
        assert box.selection == Selection(0, len("Kuwait"))
        await pilot.press("down", "escape", "3")   # Escape never goes into the box (issue 13):
        assert not box.has_focus and box.value == "Kuwait" and app.pane == "entities"


async def test_slash_in_a_filter_box_does_not_type_itself(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "4", "slash", *"China", "slash")
        assert app.query_one("#partner-filter").value == "China"
        await pilot.press("escape", "3", "slash", *"Kuwait", "slash")
        assert app.query_one("#entity-filter").value == "Kuwait"


CORPUS = {
    "hanoi.txt": "Hanoi and Canberra signed a maritime agreement on the South China Sea.\n",
    "delta.txt": "Japan funds a Mekong delta water project with Vietnam.\n",
}


async def test_an_index_that_cannot_be_written_is_served_from_memory_and_says_so(tmp_path):
    corpus = write_files(tmp_path / "corpus", CORPUS)
    (tmp_path / "cache").write_text("a file where the index folder should be")
    app = make_app(tmp_path / "cache" / "ix", tmp_path, folders=[corpus])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = shown(app, "#search-status")
        assert "2 documents" in status and "temporary index in memory" in status
        said = [n.message for n in app._notifications]
        assert any("temporary index in memory" in m for m in said), said
        await search(pilot, "Mekong")
        assert [h.doc for h in app.query_one("#search-pane").result.hits] == ["delta"]


def generations(index_dir):
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith(R.GEN_PREFIX))


async def test_quitting_lets_go_of_the_index_so_replaced_copies_are_swept(tmp_path):
    corpus = write_files(tmp_path / "corpus", CORPUS)
    index_dir = tmp_path / "ix"
    app = make_app(index_dir, tmp_path, folders=[corpus])
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "Mekong")
        first = generations(index_dir)
        await pilot.press("q")
    (corpus / "late.txt").write_text("A late article on ASEAN.\n")
    (corpus / "hanoi.txt").unlink()
    later = Engine([corpus], index_dir)
    later.update()
    later.close()
    assert len(first) == 1 and first != generations(index_dir)
    assert len(generations(index_dir)) == 1, "the copy the app read is gone"


async def test_palette_opens_an_entity_before_its_pane_was_ever_shown(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.query("#entities-pane")          # built only when first shown
        await palette_pick(pilot, "Entity: Kuwait")
        assert app.query_one("#entities-pane").display
        assert "Kuwait" in shown(app, "#entity-info")
        await pilot.press("s")                           # and search for it from there
        await settle(pilot)
        assert app.query_one("#query").value == 'entity:"Kuwait"'
        assert app.query_one("#search-pane").result.hits


async def test_g_g_goes_to_the_top_of_a_list_and_of_the_reader(seed_index_dir, tmp_path):
    """vi's `g g`: in the hit list and in the Reader; a lone g followed by another key does
    nothing, and G goes to the bottom."""
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "Vietnam")
        hits = app.query_one("#hits")
        await pilot.press("down", "j", "j", "j")
        assert hits.has_focus and hits.highlighted == 3
        await pilot.press("g", "j")                  # a lone g is forgotten
        assert hits.highlighted == 4
        await pilot.press("g", "g")
        assert hits.highlighted == 0
        await pilot.press("enter")                   # the Reader, at a passage near the top
        await settle(pilot)
        box = app.query_one("#passages")
        await pilot.press("G")
        await pilot.pause()
        assert box.scroll_y > 0
        await pilot.press("g", "g")
        await pilot.pause()
        assert box.scroll_y == 0
