"""HOME, the country whose relations the timeline tells, is one constant (search.timeline.model):
extraction never makes it a partner, nor does the ladder."""
from search.timeline import build, extract, model
from search.timeline.model import Event, Evidence


def test_home_is_one_constant_for_extraction_and_the_ladder():
    assert model.HOME == "Vietnam"
    assert build.HOME is model.HOME and extract.HOME is model.HOME


def test_home_is_never_a_partner_on_the_ladder():
    steps = [Event("2023-09", ["Vietnam", "United States"], "comprehensive strategic partnership",
                   "", [Evidence("d", 1, "q")]),
             Event("2014", ["VIETNAM", "Japan"], "strategic partnership", "", [Evidence("d", 2, "q")])]
    ladders = build.ladder(steps)
    assert [l.partner for l in ladders] == ["United States", "Japan"]
