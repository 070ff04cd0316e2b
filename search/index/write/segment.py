"""Whoosh's segment writer, its postings grouped in memory (`search.index.write.pool`) and written in bulk.

The workers of a parallel build use this writer too (`search.index.write.parallel`). A segment's
postings are all in memory until it is written: each of the two workers building 10,000
articles peaks at about 210 MB.
"""
from __future__ import annotations

from whoosh.writing import SegmentWriter

from search.index.codec.fields import Text
from search.index.write.shortpaths import short_path
from search.index.write.pool import COUNTS, SPANS, MemoryPool, write_postings


class FastSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with postings grouped in memory and written in bulk."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = MemoryPool(self.schema)
        self._vectors = any(f.vector for _, f in self.schema.items())
        self._analysed: dict = {}
        self._plans: dict = {}              # a document's keys -> its fields (see _plan)
        self._short: dict = {}              # field name -> short_path(field)

    def add_document(self, **fields):
        """Whoosh's add_document, handing each field's postings to the pool at once."""
        if self._vectors:
            return super().add_document(**fields)
        self._check_state()
        perdoc, pool, docnum = self.perdocwriter, self.pool, self.docnum
        keys = tuple(fields)                # the same keys for every passage of a build:
        plan = self._plans.get(keys)        # sorted, checked and looked up once
        if plan is None:
            plan = self._plans[keys] = self._plan(fields)
        plain = len(plan) == len(keys)      # no _boost, _<field>_boost or _stored_<field>
        docboost = 1.0 if plain else self._doc_boost(fields)
        perdoc.start_doc(docnum)
        try:
            for name, field, kind, spelling, scorable, stored, column in plan:
                value = fields[name]
                if value is None:
                    continue
                length = 0
                boost = docboost if plain else self._field_boost(fields, name, docboost)
                if kind == SPANS and isinstance(value, str) and boost == 1.0:
                    length = pool.add_words(name, docnum, value, spelling)
                elif kind == COUNTS and isinstance(value, str) and boost == 1.0:
                    length = pool.add_pairs(name, docnum, value)
                else:
                    if field.indexed:
                        length = pool.add_field(name, docnum, self._index(name, field, value),
                                                boost, scorable)
                    if spelling:
                        pool.add_spelling(spelling, field.spellable_words(value))
                shown = value if plain else fields.get("_stored_%s" % name, value)
                perdoc.add_field(name, field, shown if stored else None, length)
                if column and shown is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(shown))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _plan(self, fields: dict) -> list[tuple]:
        """A document's fields, sorted and checked, each with what add_document asks of it:
        (name, field, how the pool keeps its words, its spelling field or False, scorable,
        stored, column type)."""
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(self.schema, names)
        plan = []
        for name in names:
            f = self.schema[name]
            plan.append((name, f, self.pool.kinds.get(name),
                         f.separate_spelling() and f.spelling_fieldname(name),
                         f.scorable, f.stored, f.column_type))
        return plan

    def add_each(self, items: list, read, size=len):
        """Index each item; yield (index, outcome). `read(item) -> (outcome, passages)`,
        passages being the fields of each index document to add (see search.index.write.parallel)."""
        for i, item in enumerate(items):
            outcome, passages = read(item)
            for fields in passages:
                self.add_document(**fields)
            yield i, outcome

    def _index(self, name: str, field, value):
        """field.index(value); short values (a title, a date, a document id) are analysed
        once and reused for each passage of the document."""
        if isinstance(field, Text) or not isinstance(value, str) or len(value) > 300:
            return field.index(value)
        cache = self._analysed
        items = cache.get((name, value))
        if items is None:
            if len(cache) > 20_000:
                cache.clear()
            items = cache[(name, value)] = self._analyse(name, field, value)
        return items

    def _analyse(self, name: str, field, value: str) -> list:
        """list(field.index(value)), on a short path for the fields that have one (keywords,
        titles: search.index.write.shortpaths)."""
        if name not in self._short:
            self._short[name] = short_path(field)
        analyse = self._short[name]
        return analyse(value) if analyse else list(field.index(value))

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        write_postings(self.fieldwriter, self.schema, pdr, self.pool, self.docnum)
        self.fieldwriter.close()
        if pdr:
            pdr.close()
