"""The Whoosh schema: one index document per passage."""
from __future__ import annotations

import json

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from search.index.analysis import pair_analyzer, word_analyzer
from search.index.codec.fields import Text
from search.model import Document
from search.corpus.text import dedupe_key

# Bump when the schema, analysis or postings format changes: older indexes are then rebuilt.
SCHEMA_VERSION = 14  # 11: array postings blocks, words in one passage inlined, array spans,
                     # pairs counts only; 12: no key field, hash stored only, stop words
                     # of names kept (Tô Lâm, To Lam, An Giang); 13: page stored;
                     # 14: modules moved into subpackages (pickled class paths changed)

SEARCH_FIELDS = ("text", "title", "date", "doc", "source", "entity")


def make_schema() -> Schema:
    return Schema(
        doc=ID(stored=True),
        number=STORED(),
        page=STORED(),                             # a PDF passage's page, else None
        title=TEXT(analyzer=word_analyzer(), stored=True),
        date=KEYWORD(commas=True),                 # "2025,2025-12" so date:2025 matches
        date_text=STORED(),
        source=TEXT(analyzer=word_analyzer(), stored=True),
        meta=STORED(),                             # url, authors, path as JSON
        text=Text(analyzer=word_analyzer(), stored=True, phrase=True, chars=True,
                  spelling=True),
        pairs=Text(analyzer=pair_analyzer(), spans=False),
        entity=KEYWORD(commas=True, lowercase=True, scorable=True),
        hash=STORED(),                             # of the folded text: repeats share it
    )


def date_terms(date: str | None) -> str:
    if not date:
        return ""
    parts = date.split("-")
    return ",".join("-".join(parts[:i]) for i in range(1, len(parts) + 1))


def passage_fields(doc: Document, entity_names=None):
    """Yield the index fields of each passage of a document."""
    meta = json.dumps({"url": doc.url, "authors": doc.authors, "path": doc.path})
    dates, source = date_terms(doc.date), doc.source or ""      # the document's, once
    for p in doc.passages:
        names = entity_names(p) if entity_names else []
        yield dict(
            doc=doc.id, number=p.number, page=p.page, title=doc.title,
            date=dates, date_text=doc.date, source=source,
            meta=meta, text=p.text, pairs=p.text, hash=p.key or dedupe_key(p.text),
            entity=",".join(names),
        )
