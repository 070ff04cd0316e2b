"""`entity NAME --json` writes its mentions without the indenting JSON encoder: the same bytes."""
from __future__ import annotations

import json

import pytest

from search.cli.entities import entity_json
from search.entities.mentions import Mention


@pytest.mark.parametrize("ascii", [True, False])
def test_entity_json_is_what_json_dumps_writes(ascii):
    entity = {"name": "Nguyễn \"Phú\" Trọng", "type": "person", "aliases": ["Trọng", "a\tb"],
              "mentions": 3, "docs": ["d1", "d/2"]}
    mentions = [Mention("Nguyễn Phú Trọng", "d1", 1, 0, 16, "Nguyễn Phú Trọng", "", " met \"x\"\u2028"),
                Mention("Nguyễn Phú Trọng", "d/2", 12, 300, 306, "Trọng", "left \x07 ctl 🙂", None),
                Mention("N", "d/2", 0, 7, 8, "N", "<b>&amp;</b>", "\\ end")]
    companions = [("Hà Nội", 2), ("X", 1)]
    want = json.dumps({"entity": entity, "mentions": [m.to_dict() for m in mentions],
                       "cooccurring": [{"name": n, "count": c} for n, c in companions]},
                      ensure_ascii=ascii, indent=2)
    assert entity_json(entity, mentions, companions, ascii) == want
    none = json.dumps({"entity": entity, "mentions": [], "cooccurring": []}, ensure_ascii=ascii, indent=2)
    assert entity_json(entity, [], [], ascii) == none


@pytest.mark.parametrize("ascii", [True, False])
def test_entity_json_in_parts_of_a_few_mentions_is_what_json_dumps_writes(ascii):
    """Written in batches (here of 2 mentions, 61,000 for China in 10,000 articles), from
    Mentions or their tuples: the same bytes as one json.dumps."""
    from search.cli.entities import entity_json_parts
    entity = {"name": "Hà Nội", "type": "place", "aliases": ["Hà Nội", "Hanoi"], "mentions": 5,
              "docs": ["a", "b/c"]}
    mentions = [Mention("Hà Nội", "a", i, i * 10, i * 10 + 6, "Hà Nội" if i % 2 else "Hanoi",
                        f"left {i} \"q\" \\", None if i == 3 else f"right\u2028{i}") for i in range(5)]
    want = json.dumps({"entity": entity, "mentions": [m.to_dict() for m in mentions],
                       "cooccurring": [{"name": "Huế", "count": 1}]}, ensure_ascii=ascii, indent=2)
    rows = [tuple(m.to_dict().values()) for m in mentions]
    for given in (mentions, rows):
        parts = list(entity_json_parts(entity, given, [("Huế", 1)], ascii, batch=2))
        assert "".join(parts) == want
        assert len(parts) >= 5          # head, "[", three batches, "]", tail: never one copy
