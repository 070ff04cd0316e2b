"""Comma-separated keyword fields analysed on the segment writer's short path
(search.index.write.keywords) give exactly what Whoosh's field.index gives."""
from __future__ import annotations

import random

from whoosh.fields import ID, KEYWORD, TEXT

from search.index.schema import make_schema
from search.index.write.keywords import comma_keywords, keyword_items

VALUES = [
    "", ",", ",,", " , ", "china", "China,china, CHINA ", "united states,vietnam",
    "Tô Lâm,Đà Nẵng,TÔ LÂM", " đà nẵng ,Đà Nẵng", "U.S.,u.s.,U.S", "“quoted”,‘single’",
    "co-operation, sea-lane ,co-operation", "line\nbreak,line\nbreak", "\tasean\t,ASEAN",
    ",leading", "trailing,", "a,,b", "x, ,y", "İstanbul,ǅ,ß,ﬁ", "2025,2025-12,2025-12-01",
]


def random_values(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pieces = ["China", "japan", "Tô Lâm", " ", "", "U.S.", "Hà Nội", "a b", "\n", "ASEAN "]
    return [",".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(count)]


def test_keyword_items_are_whooshs_items():
    fields = [make_schema()["entity"], make_schema()["date"], KEYWORD(commas=True),
              KEYWORD(commas=True, lowercase=True, scorable=True, field_boost=2.5)]
    for field in fields:
        lowercase = comma_keywords(field)
        assert lowercase is not None
        for value in VALUES + random_values(7, 300):
            assert keyword_items(value, lowercase, field.format.field_boost) == \
                list(field.index(value)), (field, value)


def test_other_fields_keep_whooshs_analysis():
    assert comma_keywords(make_schema()["entity"]) is True
    assert comma_keywords(make_schema()["date"]) is False
    for field in (KEYWORD(), KEYWORD(lowercase=True), ID(), TEXT(), make_schema()["title"],
                  KEYWORD(commas=True, analyzer=TEXT().analyzer)):
        assert comma_keywords(field) is None
