"""What the app draws fast at 10,000 articles (issues 12 and 13), checked on the seeds: the
first screen before the documents table, every timeline row, the hit list of each search."""
from __future__ import annotations

import threading

from helpers_app import make_app, open_pane, screen_text, search, settle, shown
from search.engine import Engine


async def _until(pilot, test, tries: int = 200) -> None:
    for _ in range(tries):
        if test():
            return
        await pilot.pause(0.02)
    raise AssertionError("never happened")


async def test_the_first_screen_and_searching_come_before_the_documents_table(
        seed_index_dir, tmp_path, monkeypatch):
    gate = threading.Event()
    documents = Engine.documents

    def slow_documents(self):             # listing the documents takes its time
        gate.wait(20)
        return documents(self)
    monkeypatch.setattr(Engine, "documents", slow_documents)
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: app.engine is not None)
        assert not app.query_one("#loading").display
        assert shown(app, "#search-status").startswith("63 passages. Type to search")
        assert not app.titles                        # not listed yet
        await pilot.press(*"Algeria")                # and yet a search works
        await _until(pilot, lambda: "1 passage matches" in shown(app, "#search-status"))
        assert "Vietnam elevates partnerships with Algeria" in screen_text(app)
        gate.set()                                   # the documents come
        await settle(pilot)
        assert app.titles and len(app.titles) == 4
        assert app.state.summary.startswith("63 passages in 4 documents")
        await search(pilot, "\b" * 7)                # the query gone: the summary, complete
        assert "63 passages in 4 documents" in shown(app, "#search-status")


async def test_the_timeline_shows_every_event_and_opens_each(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_pane(pilot, "4")
        pane, box = app.query_one("#timeline-pane"), app.query_one("#events")
        assert len(pane.shown) == len(pane.events) >= 10
        for i, ev in enumerate(pane.shown):
            box.highlighted = box.get_option_index(f"ev-{i}")
            box.focus()
            await pilot.pause()
            region = box.region                      # the list's own rows on the screen
            rows = screen_text(app).split("\n")[region.y:region.bottom]
            words = " ".join(" ".join(row[region.x:region.right] for row in rows).split())
            first = " ".join(str(ev.summary).split()[:3])
            assert first in words and f"[{ev.kind}]" in words, (i, ev.summary)
            assert (", ".join(ev.partners) or "—").split()[0] in words
            await pilot.press("enter")
            if len(ev.evidence) == 1:                # its passage, in the Reader
                await _until(pilot, lambda: app.pane == "reader")
                assert app.query_one("#reader-pane").place.doc == ev.evidence[0].doc
                await app.run_action("show_pane('timeline')")
                await pilot.pause()
            else:                                    # several: the list to choose from
                await _until(pilot, lambda: app.query_one("#evidence").has_focus)


async def test_a_second_search_shows_only_its_own_hits_lit(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "Boeing")
        await search(pilot, "\b" * 6 + "Algeria")
        pane, hits = app.query_one("#search-pane"), app.query_one("#hits")
        assert hits.option_count == len(pane.result.hits) == 1
        prompt = hits.get_option_at_index(0).prompt
        lit = [prompt.plain[s.start:s.end] for s in prompt.spans if "yellow" in str(s.style)]
        assert lit and all(w.lower().startswith("algeria") for w in lit)
        assert "Boeing" not in screen_text(app)


async def test_the_status_keeps_its_height_while_typing_so_the_hits_stay_put(
        seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "diplo")                 # a prefix: a note below the count
        status, hits = app.query_one("#search-status"), app.query_one("#hits")
        assert "as the start of a word" in shown(app, "#search-status")
        height, top = status.size.height, hits.region.y
        await search(pilot, "macy ")                 # the whole word: no note, same place
        assert "as the start of a word" not in shown(app, "#search-status")
        assert "match all words" in shown(app, "#search-status")
        assert (status.size.height, hits.region.y) == (height, top)
        await pilot.press("enter")                   # done typing: the status fits its text
        await settle(pilot)
        assert status.size.height < height and hits.region.y < top
