"""The app's pure modules: history and settings."""
from tui import config as cfg
from tui.history import History, Place


def test_history_goes_back_and_forward_like_a_browser():
    h = History()
    a, b, c = Place("d1", 1), Place("d2", 4), Place("d3", 2)
    assert h.back() is None
    h.visit(a)
    h.visit(b)
    assert h.back() == a and h.current == a
    assert h.forward() == b and h.forward() is None
    h.back()
    h.visit(c)                       # a new jump drops the forward branch
    assert h.places == [a, c] and not h.can_go_forward


def test_history_records_moves_inside_a_document_without_new_entries():
    h = History()
    h.visit(Place("d1", 1))
    h.move_to(Place("d1", 5))
    h.visit(Place("d2", 1))
    assert h.back() == Place("d1", 5)
    assert len(h.places) == 2


def test_history_is_bounded():
    h = History(limit=3)
    for n in range(10):
        h.visit(Place("d", n))
    assert [p.passage for p in h.places] == [7, 8, 9]


def test_config_round_trip_keeps_unknown_settings(tmp_path):
    path = tmp_path / "vn" / "config.yaml"
    c = cfg.load(path)
    assert c.theme == cfg.DEFAULT_THEME and c.keys == {} and c.problem is None
    c.theme = "nord"
    c.keys["reader.next_hit"] = "x"
    c.save()
    path.write_text(path.read_text() + "mine: kept\n")
    again = cfg.load(path)
    assert again.theme == "nord" and again.keys == {"reader.next_hit": "x"}
    again.save()
    assert "mine: kept" in path.read_text()
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_config_accepts_key_lists_and_reports_bad_files(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("keys:\n  reader.copy: [y, ctrl+c]\n")
    assert cfg.load(path).keys == {"reader.copy": "y,ctrl+c"}
    path.write_text("keys: [oops\n")
    bad = cfg.load(path)
    assert bad.problem and "not valid YAML" in bad.problem and bad.theme == cfg.DEFAULT_THEME
    path.write_text("- a list\n")
    assert "mapping" in cfg.load(path).problem


def test_timeline_lines_show_month_and_day_under_the_year_and_wrap_indented():
    from search.timeline.build import Event
    from textual.style import Style
    from textual.visual import RenderOptions
    from tui.panes.timeline import day_month, event_line
    assert [day_month(d) for d in ("2023", "2023-09", "2023-09-10", "")] == \
        ["", "Sep", "10 Sep", ""]
    ev = Event("2023-09-10", ["United States"], "comprehensive strategic partnership",
               "Vietnam and the United States raise their ties two steps at once " * 3)
    row = event_line(ev, width=6)               # drawn as the Timeline's list draws it
    lines = [strip.text.rstrip() for strip in
             row.render_strips(44, None, Style(), RenderOptions(Style.parse, {}))]
    assert row.get_height({}, 44) == len(lines) and all(len(line) <= 44 for line in lines)
    assert lines[0].startswith("10 Sep United States") and "2023" not in lines[0]
    assert len(lines) > 4 and all(line.startswith(" " * 7) for line in lines[1:])
