"""Field values analysed on the segment writer's short paths (search.index.write.shortpaths)
give exactly what Whoosh's field.index gives: comma-separated keywords (entity, date) and
word-analysed titles."""
from __future__ import annotations

import random

from whoosh.fields import ID, KEYWORD, TEXT

from search.index.analysis import word_analyzer
from search.index.schema import make_schema
from search.index.write.shortpaths import comma_keywords, short_path

KEYWORD_VALUES = [
    "", ",", ",,", " , ", "china", "China,china, CHINA ", "united states,vietnam",
    "Tô Lâm,Đà Nẵng,TÔ LÂM", " đà nẵng ,Đà Nẵng", "U.S.,u.s.,U.S", "“quoted”,‘single’",
    "co-operation, sea-lane ,co-operation", "line\nbreak,line\nbreak", "\tasean\t,ASEAN",
    ",leading", "trailing,", "a,,b", "x, ,y", "İstanbul,ǅ,ß,ﬁ", "2025,2025-12,2025-12-01",
]
TITLES = [
    "", "   ", "The", "Tô Lâm visits Đà Nẵng", "To Lam meets An Giang and Can Tho leaders",
    "U.S. and Viet Nam: 5 per cent, the United States says", "“Comprehensive” ‘strategic’ ties",
    "Co-operation on sea-lane security\nand O'Brien's report", "Trade, trade and TRADE again",
    "Vietnam–China relations (2024–2025): relations upgraded, relating", "U.S.A. vs US vs us",
]


def random_values(seed: int, pieces: list[str], sep: str, count: int) -> list[str]:
    rng = random.Random(seed)
    return [sep.join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(count)]


def assert_whooshs(field, values):
    analyse = short_path(field)
    assert analyse is not None
    for value in values:
        assert analyse(value) == list(field.index(value)), (field, value)


def test_keyword_items_are_whooshs_items():
    pieces = ["China", "japan", "Tô Lâm", " ", "", "U.S.", "Hà Nội", "a b", "\n", "ASEAN "]
    values = KEYWORD_VALUES + random_values(7, pieces, ",", 300)
    for field in (make_schema()["entity"], make_schema()["date"], KEYWORD(commas=True),
                  KEYWORD(commas=True, lowercase=True, scorable=True, field_boost=2.5)):
        assert_whooshs(field, values)


def test_title_items_are_whooshs_items():
    words = ["Tô", "Lâm", "To", "Lam", "the", "U.S.", "per", "cent", "trade", "trading",
             "Đà", "Nẵng", "co-operation", "“ties”", "\n", "An", "Giang", "of", "relations"]
    values = TITLES + random_values(8, words, " ", 300)
    for field in (make_schema()["title"], make_schema()["source"],
                  TEXT(analyzer=word_analyzer(), field_boost=1.5)):
        assert_whooshs(field, values)


def test_other_fields_keep_whooshs_analysis():
    assert comma_keywords(make_schema()["entity"]) is True
    assert comma_keywords(make_schema()["date"]) is False
    for field in (KEYWORD(), KEYWORD(lowercase=True), ID(), TEXT(), make_schema()["doc"],
                  KEYWORD(commas=True, analyzer=TEXT().analyzer), make_schema()["text"],
                  make_schema()["pairs"], TEXT(analyzer=word_analyzer(), phrase=False)):
        assert short_path(field) is None, field
