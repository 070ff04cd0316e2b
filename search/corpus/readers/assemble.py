"""Extracted paragraphs and metadata -> a Document, cleaned and split like a text article."""
from __future__ import annotations

import re

from search.corpus import names
from search.corpus import text as T
from search.corpus.dates import check_date
from search.model import Document, LoadWarning, Passage
from search.corpus.readers import Extracted, Paragraph, Unreadable, extract, kind_of

NAMES = {"html": "a web page", "pdf": "a PDF", "docx": "a Word file"}


def read_document(src, data: bytes, side: dict | None,
                  warnings: list[LoadWarning]) -> Document | None:
    """One saved page, PDF or Word file -> its Document, or None (with a warning naming it).
    `side` (metadata.yaml's fields for this document) overrides what the file says."""
    kind = kind_of(src.path)
    try:
        found = extract(src.path, data)
    except Unreadable as e:
        warnings.append(names.warning(src.path, str(e)))
        return None
    except (Exception, RecursionError) as e:     # the library's own error on a broken file
        first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
        warnings.append(names.warning(
            src.path, f"cannot be read as {NAMES[kind]} ({first}); skipped"))
        return None
    for problem in found.warnings:
        warnings.append(names.warning(src.path, problem))
    doc = document(src.doc, names.shown(src.path), found, side, warnings)
    if not doc.passages:
        warnings.append(names.warning(src.path, "no text; skipped"))
        return None
    return doc


def document(doc_id: str, path: str, found: Extracted, side: dict | None = None,
             warnings: list[LoadWarning] | None = None) -> Document:
    fields = {**{k: v for k, v in found.meta.items() if v}, **(side or {})}
    date = None
    for value, where in (((side or {}).get("date"), f"in {names.METADATA_FILE}"),
                         (found.meta.get("date"), "in the file")):
        date, problem = check_date(value, where)
        if problem and warnings is not None:
            warnings.append(names.warning(path, problem))
        if date:
            break
    passages = [Passage(doc_id, i, text, page)
                for i, (text, page) in enumerate(passages_with_pages(found.paragraphs), 1)]
    authors = fields.get("authors") or fields.get("author") or []
    if isinstance(authors, str):
        authors = [a.strip() for a in re.split(r",|;| and ", authors) if a.strip()]
    if not isinstance(authors, list):
        authors = []
    title = names.as_text(fields.get("title")) \
        or T.derive_title([p.text for p in passages], doc_id)
    return Document(
        id=doc_id, path=path, title=" ".join(title.split()),
        date=date,
        source=names.as_text(fields.get("source")), url=names.as_text(fields.get("url")),
        authors=list(dict.fromkeys(a for a in (names.as_text(x) for x in authors) if a)),
        passages=passages)


def passages_with_pages(paragraphs: list[Paragraph]) -> list[tuple[str, int | None]]:
    """Clean the paragraphs, drop repeats, split long ones at sentence ends; each passage
    keeps the page it starts on."""
    out: list[tuple[str, int | None]] = []
    seen: set[str] = set()
    for para in paragraphs:
        text = " ".join(T.remove_ref_markers(T.normalise(para.text)).split())
        if not text:
            continue
        key = T.dedupe_key(text)
        if key in seen:
            continue
        seen.add(key)
        at = 0
        for chunk in T.split_long(text):
            found = text.find(chunk[:40], at)
            at = found if found >= 0 else at
            page = para.page
            for offset, later in para.breaks:
                if offset <= at:
                    page = later
            out.append((chunk, page))
            at += len(chunk)
    return out
