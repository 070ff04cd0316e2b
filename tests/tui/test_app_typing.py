"""Search as you type (issue 13, item 8): the word being typed matches as a prefix."""
from __future__ import annotations

from helpers_app import make_app, search, settle, shown


def marked(text) -> list[str]:
    return [text.plain[s.start:s.end] for s in text.spans if "yellow" in str(s.style)]


async def test_the_word_being_typed_matches_as_a_prefix_until_a_space_or_enter(
        seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "diplo")
        pane, hits = app.query_one("#search-pane"), app.query_one("#hits")
        status = shown(app, "#search-status")
        assert "match all words" in status and "“diplo…” as the start of a word" in status
        words = {w.lower() for i in range(hits.option_count)
                 for w in marked(hits.get_option_at_index(i).prompt)}
        assert words and all(w.startswith("diplo") for w in words) and "diplomacy" in words
        assert app.query_one("#query").value == "diplo"
        await search(pilot, " ")                          # a space: the word alone
        assert "No passages found" in shown(app, "#search-status")
        await search(pilot, "\b")                         # typing it again: a prefix again
        assert pane.result.hits and "as the start of a word" in shown(app, "#search-status")
        await pilot.press("enter")                        # Enter: the word alone, at once
        assert not pane.result.hits and "No passages found" in shown(app, "#search-status")
        await search(pilot, "\b" * 5 + "bamboo diplomacy")
        count = pane.result.total
        assert count and "start of a word" in shown(app, "#search-status")
        await pilot.press("enter")                        # a whole word: the same passages
        await settle(pilot)
        assert pane.result.total == count and app.query_one("#hits").has_focus


async def test_the_list_says_how_many_it_shows_and_loads_more_going_down(tmp_path):
    from conftest import write_files
    from tui.panes.search import LIMIT
    n = LIMIT + LIMIT // 2
    corpus = write_files(tmp_path / "corpus", {
        f"a{i:03}.txt": f"Report {i} on the Mekong delta and its rice.\n" for i in range(n)})
    app = make_app(tmp_path / "ix", tmp_path, folders=[corpus])
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "Mekong")
        await pilot.press("enter")
        await settle(pilot)
        status = shown(app, "#search-status")
        assert f"{n} passages match all words" in status
        assert f"showing {LIMIT} of {n}" in status
        hits = app.query_one("#hits")
        assert hits.has_focus and hits.option_count == LIMIT
        await pilot.press("G")                              # the end of the list: more come
        await settle(pilot)
        assert app.query_one("#search-pane").result.total == n
        assert hits.option_count == n and "showing" not in shown(app, "#search-status")
        assert hits.highlighted >= LIMIT - 3              # the list kept its place
        docs = [app.query_one("#search-pane").result.hits[i].doc for i in range(n)]
        assert len(set(docs)) == n


async def test_a_key_is_searched_at_once_and_the_last_text_wins(seed_index_dir, tmp_path):
    """No debounce (issue 13, item 9): a key starts a search at once when none runs; keys
    typed while one runs are searched together when it ends; clearing the box drops it."""
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one("#search-pane")
        await pilot.press("slash", "b", "a", "m")
        await app.workers.wait_for_complete()            # no timer to wait for
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert pane.result is not None and pane.result.query == "bam*"
        await pilot.press(*"boo diplomacy")
        await settle(pilot)
        assert pane.result.query == "bamboo diplomacy*"
        assert "“diplomacy…”" in shown(app, "#search-status")
        await pilot.press(*["backspace"] * len("bamboo diplomacy"))
        await settle(pilot)
        assert pane.result is None and app.query_one("#hits").option_count == 0
        assert "match" not in shown(app, "#search-status")
