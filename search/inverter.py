"""Writing a segment's postings from memory, in bulk.

Whoosh's segment writer puts every posting (field, word, docnum, weight, value) in a
sorting pool: a list of tuples that is sorted, pickled to disk in runs when it grows,
read back and merged, then handed one posting at a time to the codec, which looks up the
document's field length for each. Here postings are grouped by word as they arrive
(documents come in docnum order, so each word's postings are already sorted), only the
words are sorted, and each word's postings go to the block writer a block at a time.

The spelling field (whole words, for suggestions and fuzzy terms) gets one posting per
word whose weight counts the passages that have it, instead of one posting per passage:
the word list and word frequencies Whoosh's corrector reads are the same.

Sub-writers of a parallel build use this writer too (`FastMpWriter` below). A segment's
postings are all in memory until it is written: the build of 10,000 articles in two
processes peaks at about 440 MB (Whoosh's pool, spilling to disk: about 330 MB).
"""
from __future__ import annotations

from array import array
from collections import Counter
from operator import itemgetter

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from .formats import Text
from .postings import BlockWriter


class MemoryPool:
    """Postings grouped by field and word: {field: {word: (docnums, weights, values)}}."""

    def __init__(self, schema):
        self.fields: dict[str, dict] = {}
        self.fieldnames: set[str] = set()
        self.unsorted: set[tuple] = set()     # words whose docnums arrived out of order
        self.spelling = {f.spelling_fieldname(name) for name, f in schema.items()
                         if f.separate_spelling()}

    def add_field(self, field: str, docnum: int, items, boost: float, scorable: bool) -> int:
        """A document's (word, frequency, weight, value) items of one field; its length."""
        terms = self.fields.get(field)
        if terms is None:
            terms = self.fields[field] = {}
            self.fieldnames.add(field)
        length = 0
        for word, freq, weight, value in items:
            if scorable:
                length += freq
            p = terms.get(word)
            if p is None:
                terms[word] = (array("I", (docnum,)), array("f", (weight * boost,)),
                               [value or b""])
            else:
                if docnum <= p[0][-1]:
                    self.unsorted.add((field, word))
                p[0].append(docnum)
                p[1].append(weight * boost)
                p[2].append(value or b"")
        return length

    def add_spelling(self, field: str, words) -> None:
        """One more passage for each of these whole words."""
        counts = self.fields.get(field)
        if counts is None:
            counts = self.fields[field] = Counter()
            self.fieldnames.add(field)
        counts.update(w.encode("utf-8") for w in words)

    def add(self, item) -> None:
        """One posting, as Whoosh's pool takes them (merging another segment's postings)."""
        field, word, docnum, weight, value = item
        terms = self.fields.get(field)
        if terms is None:
            terms = self.fields[field] = {}
            self.fieldnames.add(field)
        if field in self.spelling:           # one posting per word; weight = passages
            terms[word] = terms.get(word, 0) + weight
            return
        p = terms.get(word)
        if p is None:
            terms[word] = (array("I", (docnum,)), array("f", (weight,)), [value or b""])
        else:
            if docnum <= p[0][-1]:
                self.unsorted.add((field, word))
            p[0].append(docnum)
            p[1].append(weight)
            p[2].append(value or b"")

    def iter_postings(self):
        """(field, word, docnum, weight, value) in Whoosh's sorted order."""
        for field in sorted(self.fields):
            terms = self.fields[field]
            for word in sorted(terms):
                p = terms[word]
                if field in self.spelling:
                    yield field, word, 0, float(p), b""
                    continue
                for i in self.order(field, word):
                    yield field, word, p[0][i], p[1][i], p[2][i]

    def order(self, field: str, word) -> range | list[int]:
        """Positions of a word's postings in docnum order."""
        docnums = self.fields[field][word][0]
        if (field, word) not in self.unsorted:
            return range(len(docnums))
        return sorted(range(len(docnums)), key=docnums.__getitem__)

    def cleanup(self) -> None:
        self.fields.clear()


def _lengths(pdr, field: str, doccount: int) -> bytes:
    """The encoded length of `field` in each document of the new segment."""
    col = pdr._cached_reader(_lenfield(field), LENGTHS_COLUMN) if pdr is not None else None
    data = col._dbfile.get(col._basepos, col._count) if col is not None else b""
    return data + bytes(max(0, doccount - len(data)))


def write_postings(fieldwriter, schema, pdr, pool: MemoryPool, doccount: int) -> None:
    """Each field's words in order, each word's postings a block at a time."""
    for field in sorted(pool.fields):
        terms = pool.fields[field]
        fieldwriter.start_field(field, schema[field])
        bulk = isinstance(fieldwriter._postwriter, BlockWriter)
        lengths = _lengths(pdr, field, doccount) if schema[field].scorable else None
        for word in sorted(terms):
            fieldwriter.start_term(word)
            p = terms[word]
            if field in pool.spelling:
                fieldwriter.add(0, float(p), b"", 0)
                fieldwriter.finish_term()
                continue
            ids, weights, values = p
            order = pool.order(field, word)
            if not isinstance(order, range):
                ids = array("I", (ids[i] for i in order))
                weights = array("f", (weights[i] for i in order))
                values = [values[i] for i in order]
            lens = None
            if lengths is not None:
                lens = itemgetter(*ids)(lengths) if len(ids) > 1 else (lengths[ids[0]],)
            if bulk:
                fieldwriter._postwriter.add_postings(ids, weights, values, lens)
            else:
                for i, d in enumerate(ids):
                    fieldwriter.add(d, weights[i], values[i], byte_to_length(lens[i]) if lens else 0)
            fieldwriter.finish_term()
        fieldwriter.finish_field()


class FastSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with postings grouped in memory and written in bulk."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = MemoryPool(self.schema)
        self._vectors = any(f.vector for _, f in self.schema.items())
        self._analysed: dict = {}

    def add_document(self, **fields):
        """Whoosh's add_document, handing each field's postings to the pool at once."""
        if self._vectors:
            return super().add_document(**fields)
        self._check_state()
        schema, perdoc, pool, docnum = self.schema, self.perdocwriter, self.pool, self.docnum
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    length = pool.add_field(name, docnum, self._index(name, field, value),
                                            self._field_boost(fields, name, docboost),
                                            field.scorable)
                if field.separate_spelling():
                    pool.add_spelling(field.spelling_fieldname(name), field.spellable_words(value))
                stored = fields.get("_stored_%s" % name, value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

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
            items = cache[(name, value)] = list(field.index(value))
        return items

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        write_postings(self.fieldwriter, self.schema, pdr, self.pool, self.docnum)
        self.fieldwriter.close()
        if pdr:
            pdr.close()


class _SubWriterTask(SubWriterTask):
    def run(self):
        # A forked child of the build: its sub-writer is a FastSegmentWriter. Whoosh's run()
        # names SegmentWriter from its module, which this process alone owns from here on.
        import whoosh.multiproc
        whoosh.multiproc.SegmentWriter = FastSegmentWriter
        super().run()


class FastMpWriter(MpWriter):
    """Whoosh's parallel writer whose sub-writers are FastSegmentWriters."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = MemoryPool(self.schema)

    def _new_task(self):
        task = _SubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                              self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
