"""One `highlighted()` (search/cli/render.py) for the command line and the app (issue 11)."""
from search.cli.render import HIT, highlighted


def test_article_text_stays_literal_with_its_matches_lit():
    text = "[bold]Hanoi[/bold] and :rocket: trade"       # markup-like text from an article
    out = highlighted(text, [(7, 12), (32, 37)])
    assert out.plain == text
    assert [(s.start, s.end, str(s.style)) for s in out.spans] == [(7, 12, HIT), (32, 37, HIT)]


def test_the_app_and_the_command_line_share_it():
    import inspect

    import search.cli.main as cli
    import tui.panes.reader, tui.panes.related, tui.panes.search, tui.widgets  # noqa: E401
    for pane in (tui.panes.reader, tui.panes.related, tui.panes.search):
        assert pane.highlighted is highlighted, pane.__name__
    assert "def highlighted" not in inspect.getsource(tui.widgets)
    assert "def highlighted" not in inspect.getsource(cli)
    assert "from search.cli.render import highlighted" in inspect.getsource(cli.print_hit)
