"""The segment writer checks and sorts a document's field names once per set of keys: a
document with other keys (boosts, stored overrides, a field the schema lacks) is still
handled as Whoosh handles it."""
from __future__ import annotations

import pytest
from whoosh.fields import UnknownFieldError
from whoosh.index import create_in
from whoosh.query import Term

from search.index.schema import make_schema
from search.index.write.options import IndexOptions
from search.index.write.writer import open_writer


def test_boosts_stored_overrides_and_unknown_fields_after_plain_documents(tmp_path):
    ix = create_in(str(tmp_path), make_schema())
    w = open_writer(ix, 3, 10, IndexOptions(parallel_from=10**9))
    plain = dict(doc="a", number=1, title="Mekong report", text="river trade", pairs="river trade")
    w.add_document(**plain)
    w.add_document(**{**plain, "doc": "b", "_stored_title": "Shown title"})
    w.add_document(**{**plain, "doc": "c", "_title_boost": 3.0})
    w.add_document(**plain)
    for _ in range(2):                     # refused each time, not only the first
        with pytest.raises(UnknownFieldError):
            w.add_document(**{**plain, "colour": "red"})
    w.commit()
    with ix.searcher() as s:
        stored = {f["doc"]: f["title"] for f in s.all_stored_fields() if f["doc"] != "a"}
        assert stored == {"b": "Shown title", "c": "Mekong report"}
        hits = s.search(Term("title", "mekong"))
        assert hits[0]["doc"] == "c" and hits.score(0) > hits.score(1) == hits.score(3)
        assert s.doc_count() == 4
