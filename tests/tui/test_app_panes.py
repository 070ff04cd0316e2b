"""Smaller things seen in the panes (issue 13, items 12-17)."""
from __future__ import annotations

from helpers_app import make_app, open_first_hit, open_pane, screen_text, search, settle, shown


def marked(text) -> list[str]:
    return [text.plain[s.start:s.end] for s in text.spans if "yellow" in str(s.style)]


async def test_an_entity_search_highlights_the_entity_in_hits_and_reader(seed_index_dir,
                                                                         tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot, "3")
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


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_n_goes_on_to_the_next_result_and_says_when_it_wraps(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await open_first_hit(pilot, "Hanoi")
        hits = app.query_one("#search-pane").result.hits
        reader = app.query_one("#reader-pane")
        following = next(h for h in hits if h.doc != first.doc)
        for _ in range(len(reader.matches) - reader.match - 1):   # to this document's last
            await pilot.press("n")
        assert reader.doc.id == first.doc
        await pilot.press("n")                                   # on to the next result
        await settle(pilot)
        assert (reader.doc.id, reader.passage) == (following.doc, following.passage)
        assert "on to result" in toasts(app)[-1] and following.doc in toasts(app)[-1] or \
            (following.title or "") in toasts(app)[-1]
        # opened from an entity's mentions there is no result list: n wraps, and says so
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("slash", *"Kuwait", "enter", "enter", "enter")
        await settle(pilot)
        assert reader.place.marks
        for _ in range(len(reader.matches) - reader.match - 1):
            await pilot.press("n")
        doc = reader.doc.id
        await pilot.press("n")
        assert reader.doc.id == doc and reader.match == 0
        assert "Wrapped to the first hit" in toasts(app)[-1]


async def test_every_piece_of_evidence_of_an_event_can_be_opened(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot, "4")
        pane = app.query_one("#timeline-pane")
        event = next(ev for ev in pane.shown if len(ev.evidence) >= 3)
        events = app.query_one("#events")
        while pane.shown[int(events.highlighted_option.id[3:])] != event:
            await pilot.press("j")
        reader = app.query_one("#reader-pane")
        opened = []
        for i, evidence in enumerate(event.evidence):
            await pilot.press("enter")                        # the event: to its evidence
            assert app.query_one("#evidence").has_focus
            await pilot.press(*["j"] * i, "enter")
            await settle(pilot)
            assert (reader.doc.id, reader.passage) == (evidence.doc, evidence.passage)
            _, start, end = reader.matches[reader.match]
            assert reader.current_passage().text[start:end] == evidence.quote
            opened.append((reader.doc.id, reader.passage))
            await pilot.press("b")
            await settle(pilot)
            assert app.pane == "timeline" and events.has_focus
            assert pane.shown[int(events.highlighted_option.id[3:])] == event
        assert len(set(opened)) == len(event.evidence)


def in_view(app, number: int) -> bool:
    box, current = app.query_one("#passages"), app.query_one(f"#p-{number}")
    top = current.virtual_region.y - box.scroll_y
    return 0 <= top < box.scrollable_content_region.height


async def test_opening_related_keeps_the_current_passage_in_view(seed_index_dir, tmp_path):
    """(Issue 13, item 13: not reproduced here, under Pilot or tmux; this holds the line.)"""
    for size in ((80, 24), (200, 50)):
        app = make_app(seed_index_dir, tmp_path)
        async with app.run_test(size=size) as pilot:
            await open_first_hit(pilot, "Boeing")
            for number in (app.query_one("#reader-pane").passage, 2):
                reader = app.query_one("#reader-pane")
                while reader.passage != number:
                    await pilot.press("left_square_bracket" if reader.passage > number
                                      else "right_square_bracket")
                await pilot.press("r")
                await settle(pilot)
                await pilot.pause(0.1)
                assert app.query_one("#related").display
                assert in_view(app, number), (size, number)
                await pilot.press("r")                   # and closing it too
                await settle(pilot)
                await pilot.pause(0.1)
                assert not app.query_one("#related").display
                assert in_view(app, number), (size, number, "closed")


def contrast(a, b) -> float:
    """WCAG contrast ratio of two RGB colours."""
    def lum(c):
        ch = [v / 255 for v in c]
        ch = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in ch]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


async def test_the_current_passage_and_its_hits_are_readable_in_every_theme(seed_index_dir,
                                                                            tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_hit(pilot, '"South China Sea" China')
        reader = app.query_one("#reader-pane")
        assert len([m for m in reader.matches if m[0] == reader.passage]) > 1   # hit + current
        themes = sorted(t for t in app.available_themes if not t.startswith("ansi"))
        assert "textual-light" in themes and len(themes) > 10
        poor = []
        for theme in themes:          # (ansi themes use the terminal's own palette)
            app.theme = theme
            await pilot.pause()
            region = app.query_one(f"#p-{reader.passage}").region
            rows = app.screen._compositor.render_strips()[region.y:region.bottom]
            for strip in rows:
                for seg in strip:
                    style, text = seg.style, seg.text.strip()
                    drawing = all(0x2500 <= ord(c) <= 0x259F for c in text)  # bars, borders
                    if not text or drawing or not (style and style.color and style.bgcolor):
                        continue
                    fg, bg = style.color.get_truecolor(), style.bgcolor.get_truecolor()
                    if contrast(fg, bg) < 4.5:
                        poor.append((theme, text[:20], round(contrast(fg, bg), 2)))
        assert not poor, poor


def rows_of(app, selector: str) -> list[str]:
    region = app.query_one(selector).region
    rows = screen_text(app).split("\n")[region.y:region.bottom]
    return [row[region.x:region.right] for row in rows]


def drawing(token: str) -> bool:
    return all(0x2500 <= ord(c) <= 0x259F for c in token)


async def test_small_terminals_show_less_never_broken_text(seed_index_dir, tmp_path):
    import re
    from search.timeline.build import ladder
    for size in ((40, 12), (80, 24)):
        app = make_app(seed_index_dir, tmp_path)
        async with app.run_test(size=size) as pilot:
            await open_pane(pilot, "3")
            for _ in range(3):                     # down the list of names, page by page
                for row in rows_of(app, "#entity-list"):
                    row = "".join(c for c in row if not drawing(c)).rstrip()
                    assert not row or re.fullmatch(r"\s*\d+\s+\S.*", row) or \
                        re.fullmatch(r" \S.* \(\d+\)", row), (size, row)    # count + name
                await pilot.press("pagedown")
            await pilot.press("4")
            await settle(pilot)
            assert app.query_one("#partner-filter").outer_size.width >= 12, size
            pane = app.query_one("#timeline-pane")
            words = set()                          # every word the timeline may show
            for ev in pane.events:
                words.update(", ".join(ev.partners).split() + f"[{ev.kind}]".split()
                             + str(ev.summary).split() + [str(ev.date)]
                             + f"from: {ev.origin} {len(ev.evidence)} pieces of evidence: "
                               "Enter, then choose one".split())
                for e in ev.evidence:
                    words.update(f"{e.doc} §{e.passage} “{e.quote}”".split())
            for title, date in app.titles.values():          # evidence: title, date
                words.update(f"{title} {date}".split())
            for lad in ladder(pane.events):
                words.update(f"{lad.partner}: now {lad.tier or 'no partnership'}".split())
            for _ in range(4):
                for selector in ("#events", "#event-side"):
                    for token in " ".join(rows_of(app, selector)).split():
                        token = token.rstrip("▁▂▃▄▅▆▇█")          # a scrollbar beside it
                        if not token or token in words or drawing(token):
                            continue
                        cut = token.removesuffix("…")               # shown less: a word cut
                        assert cut != token and any(w.startswith(cut) for w in words), \
                            (size, selector, token)
                await pilot.press("j", "j", "j")


async def test_counts_of_one_are_singular(seed_index_dir, tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_hit(pilot, "Boeing")
        assert "1 passage matches all words" in shown(app, "#search-status")
        await pilot.press("right_square_bracket")            # a passage without the hit
        assert "· 1 hit for Boeing" in shown(app, "#reader-status")
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("slash", *"Kuwait", "enter")
        assert "1 mention in 1 document" in shown(app, "#entity-info")


async def test_wide_screens_preview_the_hit_and_lists_name_titles_not_ids(seed_index_dir,
                                                                          tmp_path):
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await search(pilot, "Hanoi")
        hits = app.query_one("#search-pane").result.hits
        reader = app.query_one("#reader-pane")
        await pilot.press("down", "j", "j")                # through the list, focus stays
        await settle(pilot)
        assert app.query_one("#hits").has_focus
        assert (reader.doc.id, reader.passage) == (hits[2].doc, hits[2].passage)
        assert app.query_one(f"#p-{hits[2].passage}").has_class("-current")
        assert not [p for p in app.history.places if p.pane == "reader"]   # not visits
        screen = screen_text(app)
        assert hits[2].title in screen
        listed = "\n".join(row[:80] for row in screen.split("\n"))        # the hit list
        assert not [d for d in {h.doc for h in hits} if d[:12] in listed], listed
        await pilot.press("3")                             # mentions: titles, not ids
        await settle(pilot)
        await pilot.press("slash", *"Kuwait", "enter")
        mention = str(app.query_one("#mentions").get_option_at_index(0).prompt)
        assert app.titles[app.query_one("#entities-pane").mentions[0].doc][0][:10] in mention
        assert "_" not in mention.split()[-2]
    app = make_app(seed_index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:      # one pane at a time: no preview
        await search(pilot, "Hanoi")
        await pilot.press("down", "j")
        await settle(pilot)
        assert app.query_one("#reader-pane").doc is None
