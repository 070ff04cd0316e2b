"""Character spans of matched terms, read from the index postings (no re-analysis), and snippets."""
from __future__ import annotations

from collections import defaultdict

from search.index.analysis import WORD_PAIR_SEP
from search.index.score.bulk import values_at
from search.index.whooshapi import WhooshChanged

SPAN_FIELDS = ("text", "pairs")


def merge_spans(spans) -> list[tuple[int, int]]:
    """Sort spans and join the ones that overlap (phrase word pairs overlap by one word)."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def spans_for_hits(reader, hits, terms=None) -> dict[int, list[tuple[int, int]]]:
    """{docnum: merged spans} for Whoosh hits searched with terms=True.

    Or, with `terms` [(field, text)], the spans of those terms wherever a hit has them
    (for queries whose every positive term present in a hit is a matched one)."""
    wanted: dict[tuple[str, bytes], list[int]] = defaultdict(list)
    if terms is not None:
        docnums = [hit.docnum for hit in hits]
        for field, term in terms:
            if field in SPAN_FIELDS:
                wanted[(field, term)] = docnums
    for hit in hits if terms is None else ():
        for field, term in hit.matched_terms():
            if field in SPAN_FIELDS:
                wanted[(field, term)].append(hit.docnum)
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    read: dict = {}

    def chars_of(term, docnums):           # a word of two pairs ("china") is read once
        key = (term.decode("utf-8") if isinstance(term, bytes) else term, tuple(docnums))
        if key not in read:
            read[key] = _chars(reader, term, docnums)
        return read[key]

    for (field, term), docnums in wanted.items():
        if field == "text":
            for docnum, chars in chars_of(term, docnums).items():
                found[docnum].extend((s, e) for _, s, e in chars)
        else:          # a word pair: where the second word follows the first in the text
            first, _, second = (term.decode("utf-8") if isinstance(term, bytes) else
                                term).partition(WORD_PAIR_SEP)
            after = chars_of(second, docnums)
            for docnum, chars in chars_of(first, docnums).items():
                ends = {pos: e for pos, _, e in after.get(docnum, ())}
                found[docnum].extend((s, ends[pos + 1]) for pos, s, _ in chars if pos + 1 in ends)
    return {dn: merge_spans(sp) for dn, sp in found.items()}


def _chars(reader, term, docnums) -> dict[int, list[tuple[int, int, int]]]:
    """{docnum: [(position, start, end)]} of a text-field term in the given documents,
    read segment by segment from the postings (search.index.score.bulk)."""
    btext = term.encode("utf-8") if isinstance(term, str) else term
    decode = reader.schema["text"].format.decode_characters
    docs = sorted(set(docnums))
    out: dict[int, list] = {}
    for leaf, offset in [(reader, 0)] if reader.is_atomic() else reader.leaf_readers():
        local = [d - offset for d in docs if offset <= d < offset + leaf.doc_count_all()]
        if local:
            try:
                found = values_at(leaf, "text", btext, local)
            except WhooshChanged:
                raise
            except Exception:       # term vanished (index refreshed under us): no spans
                continue
            out.update((d + offset, decode(v)) for d, v in found.items())
    return out


def snippet(text: str, spans, width: int = 240) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `width` characters around the densest run of hits, cut at spaces."""
    if len(text) <= width:
        return text, list(spans)
    best_start, best_count = 0, -1
    for s, _ in spans:
        count = sum(1 for s2, e2 in spans if s2 >= s and e2 <= s + width)
        if count > best_count:
            best_start, best_count = s, count
    start = max(0, best_start - width // 4)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < best_start else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + text[start:end] + suffix, inside


def mark(text: str, spans, before: str = "**", after: str = "**") -> str:
    """Text with each span wrapped in markers, for plain-text snippets."""
    out, last = [], 0
    for s, e in spans:
        out += [text[last:s], before, text[s:e], after]
        last = e
    out.append(text[last:])
    return "".join(out)
