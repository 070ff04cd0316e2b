"""The app as a user drives it: Pilot tests of each flow, on the bundled articles."""
from __future__ import annotations

import pytest

from conftest import write_files
from helpers_app import make_app, open_first_hit, open_pane, palette_pick, search, settle, shown
from tui.help import HelpScreen


async def test_typing_a_query_lists_hits_with_their_words_highlighted(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "63 passages in 4 documents" in shown(app, "#search-status")
        await search(pilot, "Algeria")
        assert "1 passage matches all words" in shown(app, "#search-status")   # grammar
        hits = app.query_one("#hits")
        first = hits.get_option_at_index(0).prompt
        assert "Vietnam elevates partnerships with Algeria" in first.plain
        marked = [first.plain[s.start:s.end] for s in first.spans if "yellow" in str(s.style)]
        assert "Algeria" in marked


async def test_enter_on_a_hit_opens_the_reader_at_its_passage(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        hit = await open_first_hit(pilot, "Boeing")
        reader = app.query_one("#reader-pane")
        assert reader.display and not app.query_one("#search-pane").display
        assert reader.doc.id == hit.doc and reader.passage == hit.passage > 1
        current = app.query_one(f"#p-{hit.passage}")
        assert current.has_class("-current")
        box = app.query_one("#passages")
        assert box.scroll_y > 0 and box.region.contains(current.region.x, current.region.y)
        assert f"§{hit.passage} of" in shown(app, "#reader-status")


async def test_n_and_N_step_through_the_hits_with_a_count(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_hit(pilot, "China")
        reader = app.query_one("#reader-pane")
        total = len(reader.matches)
        assert total > 3
        first = reader.match + 1
        assert f"hit {first} of {total}" in shown(app, "#reader-status")
        await pilot.press("n", "n")
        assert f"hit {first + 2} of {total}" in shown(app, "#reader-status")
        assert reader.passage == reader.matches[first + 1][0]
        await pilot.press("N", "N", "N")
        expected = (first - 1 - 1) % total + 1
        assert f"hit {expected} of {total}" in shown(app, "#reader-status")


async def test_the_current_hit_looks_unlike_the_others_and_stays_with_its_passage(
        seed_index_dir, tmp_path):
    from tui.panes.reader import CURRENT_HIT, HIT
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_hit(pilot, '"South China Sea" China')
        reader = app.query_one("#reader-pane")
        here = [m for m in reader.matches if m[0] == reader.passage]
        assert len(here) > 1, "a passage with several hits"

        def styles():
            text = reader._passage_text(reader.current_passage())
            return {(sp.start, sp.end): str(sp.style) for sp in text.spans}
        offset = len(f"§{reader.passage} ")
        _, start, end = reader.matches[reader.match]
        assert styles()[(start + offset, end + offset)] == CURRENT_HIT
        assert sum(style == HIT for style in styles().values()) == len(here) - 1
        await pilot.press("n")
        _, start2, end2 = reader.matches[reader.match]
        assert (start2, end2) != (start, end)
        assert styles()[(start2 + offset, end2 + offset)] == CURRENT_HIT
        # a passage without hits has no current hit; n goes on from there
        without = next(p.number for p in reader.doc.passages
                       if p.number > reader.passage and all(m[0] != p.number for m in reader.matches))
        while reader.passage < without:
            await pilot.press("right_square_bracket")
        status = shown(app, "#reader-status")
        assert f"{len(reader.matches)} hits" in status and "hit 1 of" not in status
        await pilot.press("n")
        assert reader.passage == min(m[0] for m in reader.matches if m[0] > without)
        assert reader.matches[reader.match][0] == reader.passage


async def test_a_resize_keeps_the_current_passage_in_view(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        hit = await open_first_hit(pilot, "Boeing")
        for size in ((40, 12), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            await pilot.pause(0.1)
            box, current = app.query_one("#passages"), app.query_one(f"#p-{hit.passage}")
            top = min(current.virtual_region.y, box.max_scroll_y)
            assert abs(box.scroll_y - top) <= 1, size       # still at the top of the view


async def test_brackets_move_between_passages(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        hit = await open_first_hit(pilot, "Boeing")
        await pilot.press("right_square_bracket")
        assert app.query_one("#reader-pane").passage == hit.passage + 1
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.query_one("#reader-pane").passage == hit.passage - 1
        assert app.query_one(f"#p-{hit.passage - 1}").has_class("-current")


async def test_related_passages_open_in_the_reader(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        hit = await open_first_hit(pilot, "Boeing")
        await pilot.press("r")
        await settle(pilot)
        related = app.query_one("#related")
        assert related.display and related.has_focus and related.targets
        texts = [str(o.prompt) for o in related.options]
        assert "More like this" in texts[0]
        target = related.target(related.highlighted_option)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one("#reader-pane")
        assert (reader.doc.id, reader.passage) == target != (hit.doc, hit.passage)
        assert len([p for p in app.history.places if p.pane == "reader"]) == 2


async def test_back_and_forward_retrace_the_jumps(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        hit = await open_first_hit(pilot, "Boeing")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one("#reader-pane")
        second = (reader.doc.id, reader.passage)
        await pilot.press("alt+left")
        await settle(pilot)
        assert (reader.doc.id, reader.passage) == (hit.doc, hit.passage)
        await pilot.press("f")
        await settle(pilot)
        assert (reader.doc.id, reader.passage) == second
        await pilot.press("b")
        await settle(pilot)
        assert (reader.doc.id, reader.passage) == (hit.doc, hit.passage)


async def test_c_copies_the_passage_with_its_citation(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        hit = await open_first_hit(pilot, "Boeing")
        await pilot.press("c")
        copied = app.clipboard
        assert copied.startswith(hit.text)
        for part in ("Bamboo diplomacy", "2025", hit.doc, f"passage {hit.passage}"):
            assert part in copied


@pytest.mark.parametrize("query, message", [
    ("foo:bar", "unknown field 'foo:'"),
    ("*", "would match every passage"),
])
async def test_a_query_that_cannot_be_read_shows_why(seed_index_dir, tmp_path, query, message):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, query)
        assert message in shown(app, "#search-status")
        assert app.query_one("#hits").option_count == 0
        await search(pilot, "\b" * len(query) + "Kuwait")      # and the app carries on
        assert app.query_one("#hits").option_count > 0


async def test_no_hits_offers_the_spelling_suggestion(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "Algeira")
        result = app.query_one("#search-pane").result
        assert result.suggestion == "algeria"
        await pilot.press("enter", "enter")         # to the list, then on the suggestion
        await settle(pilot)
        assert app.query_one("#query").value == "algeria"
        assert app.query_one("#search-pane").result.hits


async def test_a_corpus_with_broken_files_still_opens(tmp_path):
    corpus = write_files(tmp_path / "corpus", {
        "good.txt": "Hanoi and Canberra signed a maritime agreement.\n",
        "binary.txt": b"\x00\x01\x02PNG\x00\x00" * 50,
        "latin.txt": "Caf\xe9 diplomacy in Hu\xe9 \u2013 a r\xe9sum\xe9 of talks.\n".encode("cp1252"),
        "markup.txt": "[bold]Not bold[/] and [red]not red[/red] \x1b[31mno escape\x1b[0m.\n",
    })
    app = make_app(tmp_path / "ix", tmp_path, folders=[corpus])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = shown(app, "#search-status")
        assert "3 documents" in status and "binary" in status and "cp1252" in status
        await search(pilot, "résumé")
        assert app.query_one("#search-pane").result.hits[0].doc == "latin"
        await pilot.press("ctrl+a", "ctrl+k", *"bold")
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        text = shown(app, "#p-1")
        assert "[bold]Not bold[/]" in text and "[red]not red[/red]" in text
        assert "\x1b" not in text


async def test_help_lists_the_bindings_of_the_focused_pane(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_hit(pilot, "Boeing")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = {b.id for b, _ in app.screen.bindings}
        assert {"reader.next_hit", "reader.copy", "app.quit"} <= ids
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keys_remapped_in_the_config_file_work(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path, config_text="keys:\n  reader.next_hit: x\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_hit(pilot, "China")
        reader = app.query_one("#reader-pane")
        before = reader.match
        await pilot.press("x")
        assert reader.match == before + 1


async def test_the_chosen_theme_is_remembered(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    again = make_app(seed_index_dir, tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_wide_screens_show_search_and_reader_side_by_side(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_first_hit(pilot, "Boeing")
        assert app.query_one("#search-pane").display and app.query_one("#reader-pane").display
        await pilot.press("3")
        assert not app.query_one("#reader-pane").display
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_hit(pilot, "Boeing")
        assert not app.query_one("#search-pane").display


async def test_entity_to_mention_to_reader(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot, "3")
        await pilot.press("slash", *"Kuwait", "enter")
        assert "Kuwait" in shown(app, "#entity-info")
        await pilot.press("enter")                       # to the mentions
        mentions = app.query_one("#entities-pane").mentions
        assert mentions and "Kuwait" in str(app.query_one("#mentions").get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one("#reader-pane")
        m = mentions[0]
        assert (reader.doc.id, reader.passage) == (m.doc, m.passage)
        assert reader.matches[reader.match] == (m.passage, m.start, m.end)
        assert "for Kuwait" in shown(app, "#reader-status")


async def test_timeline_event_opens_the_reader_at_its_evidence(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot, "4")
        pane = app.query_one("#timeline-pane")
        assert pane.shown, "the bundled articles have dated events"
        dates = [str(e.date) for e in pane.shown]
        assert dates == sorted(dates)
        await pilot.press("slash", *"China", "enter")
        assert pane.shown and all(any("China" in p for p in e.partners) for e in pane.shown)
        event = pane.shown[0]
        assert str(event.date) in shown(app, "#event-detail")
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one("#reader-pane")
        evidence = event.evidence[0]
        assert (reader.doc.id, reader.passage) == (evidence.doc, evidence.passage)
        _, start, end = reader.matches[reader.match]
        assert reader.current_passage().text[start:end] == evidence.quote
        await pilot.press("alt+left")            # nothing before: stays, says so
        await pilot.pause()
        assert reader.passage == evidence.passage


async def test_command_palette_opens_a_document_by_name(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await palette_pick(pilot, "Document: Bamboo")
        reader = app.query_one("#reader-pane")
        assert reader.doc is not None and reader.doc.title.startswith("Bamboo diplomacy")
        assert reader.passage == 1
