"""A segment's postings, grouped by field and word in memory, then written a block at a time.

Whoosh's segment writer puts every posting (field, word, docnum, weight, value) in a
sorting pool: a list of tuples that is sorted, pickled to disk in runs when it grows,
read back and merged, then handed one posting at a time to the codec, which looks up the
document's field length for each. Here postings are grouped by word as they arrive
(documents come in docnum order, so each word's postings are already sorted), only the
words are sorted, and each word's postings go to the block writer a block at a time.

Words of the passage text are the bulk of the work, so they take a short path: a passage
is split and folded once (`analysis.fold_spans`) for the text, word-pair and spelling
fields, and each occurrence costs one append:
  text   {term: array [docnum, position, start, end, ...]}, one group of four per occurrence
  pairs  {pair: [docnum, ...]}, one docnum per occurrence (a repeat is a higher count),
         keyed by the pair's two stems (a tuple) while passages arrive: the stems' hashes
         are cached, where a joined string would be made and hashed for each occurrence;
         the pair's text is joined once per pair when the pool's `fields` are read
  spelling {word: passages having it}: one posting per word, weighted by that count (the
         word list and frequencies Whoosh's corrector reads are the same)
Postings, weights and values are made from these when the segment is written; postings
merged in from other segments are put in the same layouts. Other fields keep Whoosh's
(docnums, weights, values) per word; a list of items handed again for the next docnums (a
document's title, date, id and source, the same for each of its passages) is added a run of
docnums at a time, when another list, a merged posting or a read of `fields` comes.
"""
from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from functools import partial
from itertools import accumulate, chain, count, repeat
from operator import itemgetter

from whoosh.util.numeric import byte_to_length

from search.index.analysis import WORD_PAIR_SEP, _stem, fold_spans
from search.index.codec.blocks import BlockWriter, from_bytes, to_bytes
from search.index.codec.terms import FieldWriter
from search.index.whooshapi import length_bytes, postings_writer

GENERIC, SPANS, COUNTS, SPELLING = range(4)   # how a field's words are kept


def _new_terms(kind: int) -> dict:
    """A field's {word: postings}. The text field's is a defaultdict that gives a word's
    first posting a new empty array, so add_words appends with no Python step a word."""
    if kind == SPANS:
        return defaultdict(partial(array, "I"))
    return Counter() if kind == SPELLING else {}


class MemoryPool:
    """Postings grouped by field and word; see the module's docstring for the layouts.

    The text and pair layouts keep counts, not weights: index-time boosts are refused there."""

    def __init__(self, schema):
        self._fields: dict[str, dict] = {}
        self._pairs: dict[str, defaultdict] = {}   # pair field -> {(stem, stem): [docnum, ...]}
        self._runs: dict[str, tuple] = {}          # field -> (items, length, [docnum, ...])
        self.kinds: dict[str, int] = {name: _kind(f) for name, f in schema.items()}
        for name, f in schema.items():
            if f.separate_spelling():
                self.kinds[f.spelling_fieldname(name)] = SPELLING
        self.unsorted: set[tuple] = set()     # (field, word) whose docnums arrived out of order
        self._last = (None, None)             # the last text analysed, and its words

    @property
    def fields(self) -> dict[str, dict]:
        """{field: {word: postings}}, the pairs added by add_pairs joined in first."""
        if self._pairs:
            self._join_pairs()
        if self._runs:
            self._add_runs()
        return self._fields

    def _join_pairs(self) -> None:
        """Each pair field's tuple keys as the pair's text, merged with the postings under
        that text already (from add(), or another tuple joining to the same text: a
        variant word can hold a space). Docnums are kept in order, as add_pairs appends them.
        Usually nothing is merged, and the texts are made by one map in C."""
        for field, pairs in self._pairs.items():
            terms = self._terms(field)
            joined = dict(zip(map(WORD_PAIR_SEP.join, pairs), pairs.values()))
            if not terms and len(joined) == len(pairs):
                self._fields[field] = joined
                continue
            for key, docs in pairs.items():
                word = WORD_PAIR_SEP.join(key)
                old = terms.get(word)
                terms[word] = docs if old is None else sorted(old + docs)
        self._pairs.clear()

    def _terms(self, field: str) -> dict:
        terms = self._fields.get(field)
        if terms is None:
            kind = self.kinds.setdefault(field, GENERIC)
            terms = self._fields[field] = _new_terms(kind)
        return terms

    def _stems(self, text: str):
        if self._last[0] is not text:
            words, starts, ends = fold_spans(text)
            self._last = (text, (words, list(map(_stem, words)), starts, ends))
        return self._last[1]

    def add_words(self, field: str, docnum: int, text: str, spelling: str | None) -> int:
        """The passage text's terms with their positions and spans; its length."""
        words, stems, starts, ends = self._stems(text)
        terms = self._terms(field)
        any(map(array.extend, map(terms.__getitem__, stems),    # any(): None each, to the end
                zip(repeat(docnum), count(), starts, ends)))
        if spelling:
            self._terms(spelling).update(set(words))
        return len(stems)

    def add_pairs(self, field: str, docnum: int, text: str) -> int:
        """The passage text's pairs of neighbouring terms; its length."""
        stems = self._stems(text)[1]
        pairs = self._pairs.get(field)
        if pairs is None:
            pairs = self._pairs[field] = defaultdict(list)
        any(map(list.append, map(pairs.__getitem__, zip(stems, stems[1:])), repeat(docnum)))
        return max(0, len(stems) - 1)

    def add_spelling(self, field: str, words) -> None:
        """One more passage for each of these whole words."""
        self._terms(field).update(words)

    def add_field(self, field: str, docnum: int, items, boost: float, scorable: bool) -> int:
        """A document's (word, frequency, weight, value) items of one field; its length."""
        run = self._runs.get(field)
        if run is not None:
            if run[0] is items and boost == 1.0:      # the document's title, date, source again
                run[2].append(docnum)
                return run[1]
            if run[2]:
                self._add_runs(field)
        terms = self._terms(field)
        generic = self.kinds[field] == GENERIC
        if boost != 1.0 and not generic:
            raise ValueError(f"the {field} field keeps counts: it cannot take a boost")
        length = 0
        for word, freq, weight, value in items:
            if scorable:
                length += freq
            p = terms.get(word) if generic else None
            if p is None or p[0][-1] >= docnum:       # new, out of order, or not generic
                self._add((field, word, docnum, weight * boost, value))
            else:
                p[0].append(docnum)
                p[1].append(weight * boost)
                p[2].append(value or b"")
        if generic and boost == 1.0 and type(items) is list:
            self._runs[field] = (items, length, [])   # the next docnums handing the same list
        elif run is not None:
            self._runs.pop(field, None)
        return length

    def _add_runs(self, only: str | None = None) -> None:
        """The postings of the docnums that handed a field the same list of items again (of
        one field, or all), added a run of docnums at a time: why, see add_field."""
        for name in [only] if only else list(self._runs):
            items, _, docs = self._runs.pop(name)
            if docs:
                self._extend(name, items, docs)

    def _extend(self, field: str, items: list, docs: list) -> None:
        """Each item's docnum, weight and value for each of `docs` (ascending) extend its
        word's arrays. Every word has its postings already (add_field added the run's first
        docnum), all below docs: any other posting of the field adds the run first."""
        terms, n = self._terms(field), len(docs)
        for word, _, weight, value in items:
            p = terms[word]
            p[0].extend(docs)
            p[1].extend(array("f", [weight]) * n)
            p[2].extend([value or b""] * n)

    def add(self, item) -> None:
        """One posting, as Whoosh's pool takes them (also merging another segment's)."""
        if self._runs:
            self._add_runs()
        self._add(item)

    def _add(self, item) -> None:
        field, word, docnum, weight, value = item
        terms = self._terms(field)
        kind = self.kinds[field]
        if kind != GENERIC:
            word = word.decode("utf-8")
        if kind == SPELLING:
            terms[word] += int(weight)
            return
        old = terms.get(word)
        if old is not None:
            last = old[0][-1] if kind == GENERIC else old[-4] if kind == SPANS else old[-1]
            if docnum < last or (docnum == last and kind == GENERIC):
                self.unsorted.add((field, word))
        if kind == GENERIC:
            if old is None:
                terms[word] = (array("I", (docnum,)), array("f", (weight,)), [value or b""])
            else:
                old[0].append(docnum)
                old[1].append(weight)
                old[2].append(value or b"")
        elif kind == SPANS:
            flat = from_bytes("I", value)
            groups = ((docnum, flat[i], flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3))
            terms.setdefault(word, array("I")).extend(chain.from_iterable(groups))
        else:
            terms.setdefault(word, []).extend([docnum] * int(weight))

    def postings(self, field: str, word) -> tuple:
        """(docnums, weights, values) of one word, in docnum order. Values are a list of
        bytes, or (value lengths, all the values' bytes) for the text field. Arrays are made
        from lists, not from a Counter's keys or values: an array made from a list is sized
        once, not grown item by item (a third less time)."""
        if self._pairs or self._runs:
            self.fields
        kind, p = self.kinds[field], self._fields[field][word]
        unsorted = self.unsorted and (field, word) in self.unsorted
        if kind == SPANS:
            if len(p) == 4:               # one occurrence (a third of the words)
                return array("I", p[:1]), array("f", (1.0,)), (array("I", (12,)), to_bytes(p[1:]))
            if unsorted:
                groups = sorted(zip(p[0::4], p[1::4], p[2::4], p[3::4]), key=itemgetter(0))
                p = array("I", chain.from_iterable(groups))
            freqs = Counter(p[0::4])
            data = array("I", p)
            del data[0::4]                # (position, start, end) of each occurrence
            counts = list(freqs.values())
            return (array("I", list(freqs)), array("f", counts),
                    (array("I", [n * 12 for n in counts]), to_bytes(data)))
        if kind == COUNTS:
            if unsorted:
                p = sorted(p)
            if len(set(p)) == len(p):     # in no passage twice (most pairs): counts of 1
                return array("I", p), array("f", (1.0,)) * len(p), [b""] * len(p)
            freqs = Counter(p)
            return array("I", list(freqs)), array("f", list(freqs.values())), [b""] * len(freqs)
        ids, weights, values = p
        if unsorted:
            order = sorted(range(len(ids)), key=ids.__getitem__)
            ids = array("I", (ids[i] for i in order))
            weights = array("f", (weights[i] for i in order))
            values = [values[i] for i in order]
        return ids, weights, values

    def rows(self, field: str, lengths: bytes | None):
        """(word bytes, docnums, weights, values, length bytes or None) of each word of a
        field, words in order; `lengths` is each document's length byte in the field."""
        terms, kind = self.fields[field], self.kinds[field]
        for word in sorted(terms):
            btext = word.encode("utf-8") if kind != GENERIC else word
            if kind == SPELLING:
                yield btext, array("I", (0,)), array("f", (float(terms[word]),)), [b""], None
                continue
            ids, weights, values = self.postings(field, word)
            lens = None
            if lengths is not None:
                lens = itemgetter(*ids)(lengths) if len(ids) > 1 else (lengths[ids[0]],)
            yield btext, ids, weights, values, lens

    def cleanup(self) -> None:
        self._fields.clear()
        self._pairs.clear()
        self._runs.clear()
        self._last = (None, None)


def _kind(field) -> int:
    kind = getattr(field, "kind", None)
    return SPANS if kind == "words" else COUNTS if kind == "pairs" else GENERIC


def write_postings(fieldwriter, schema, pdr, pool: MemoryPool, doccount: int) -> None:
    """Each field's words in order, each word's postings a block at a time (all of a
    field's words at once when the field writer can: search.index.codec.terms)."""
    for field in sorted(pool.fields):
        fieldwriter.start_field(field, schema[field])
        lengths = length_bytes(pdr, field, doccount) if schema[field].scorable else None
        rows = pool.rows(field, lengths)
        if isinstance(fieldwriter, FieldWriter) and \
                isinstance(postings_writer(fieldwriter), BlockWriter):
            fieldwriter.add_terms(rows)
        else:
            write_each(fieldwriter, rows)
        fieldwriter.finish_field()


def write_each(fieldwriter, rows) -> None:
    """The rows of MemoryPool.rows through Whoosh's term-by-term interface."""
    postwriter = postings_writer(fieldwriter)
    bulk = isinstance(postwriter, BlockWriter)
    for word, ids, weights, values, lens in rows:
        fieldwriter.start_term(word)
        if bulk:
            postwriter.add_postings(ids, weights, values, lens)
        else:
            if isinstance(values, tuple):
                sizes, data = values
                ends = list(accumulate(sizes))
                values = [data[e - n:e] for e, n in zip(ends, sizes)]
            for i, d in enumerate(ids):
                fieldwriter.add(d, weights[i], values[i],
                                byte_to_length(lens[i]) if lens else 0)
        fieldwriter.finish_term()
