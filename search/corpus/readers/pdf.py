"""PDF -> paragraphs with their pages, via pdfium (pypdfium2).

pdfium gives each page's text in reading order, a line at a time, with the box of every
character. From the boxes: a gap wider than the usual line spacing, or a change of type
size, starts a paragraph; lines at the top or bottom of pages that repeat on many pages
(running headers and footers, digits aside) or are a bare page number are left out; a word
hyphenated at a line end is joined. Chosen over pypdf by measurement: see
benchmarks/bench_formats.py and benchmarks/README.md.

pdfium is not thread-safe: one extraction at a time per process (a lock). It has no
JavaScript engine in this build, and it never fetches anything.
"""
from __future__ import annotations

import datetime as dt
import re
import statistics
import threading
from collections import Counter
from dataclasses import dataclass

from search.corpus import text as T
from search.corpus.readers import Extracted, Paragraph, Unreadable

SCANNED = "no text to index: a scanned PDF needs OCR first"
EDGE = 0.12               # share of the page height at the top and bottom where headers sit
_lock = threading.Lock()
_PAGE_NUMBER = re.compile(r"(?i)^[-–—(\[]?\s*(?:page|p\.|pg\.?)?\s*(?:\d{1,4}|[ivxlc]{1,7})"
                          r"(?:\s*(?:of|/)\s*\d{1,4})?\s*[-–—)\]]?$")
_SOFT = ("\x02", "\ufffe")
_SOFT_INSIDE = re.compile("[\x02\ufffe](.?)")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")


@dataclass
class Line:
    text: str
    top: float
    bottom: float
    size: float
    end_bottom: float       # of its last character: pdfium joins a hyphenated word's lines


def extract(data: bytes) -> Extracted:
    import pypdfium2 as pdfium
    with _lock:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            if "password" in str(e).lower():
                raise Unreadable("encrypted PDF that needs a password; skipped") from None
            raise
        try:
            pages = [_page_lines(pdf[i]) for i in range(len(pdf))]
            info = pdf.get_metadata_dict(skip_empty=True)
        finally:
            pdf.close()
    if not any(lines for lines, _ in pages):
        raise Unreadable(SCANNED)
    body = _drop_running_lines(pages)
    meta = _metadata(info, body)
    return Extracted(_paragraphs(body), meta, _empty_pages(pages))


def _empty_pages(pages) -> list[str]:
    """A warning naming the pages without text in a PDF that has some."""
    empty = [str(n) for n, (lines, _) in enumerate(pages, 1) if not lines]
    if not empty:
        return []
    named = ", ".join(empty[:20]) + (" …" if len(empty) > 20 else "")
    one = len(empty) == 1
    return [f"page{'' if one else 's'} {named} of {len(pages)} ha{'s' if one else 've'} no "
            "text to index (blank, or scanned and in need of OCR)"]


def _page_lines(page) -> tuple[list[Line], float]:
    height = page.get_height()
    tp = page.get_textpage()
    try:
        text = tp.get_text_range()
        lines, at = [], 0
        sep = "\r\n" if "\r\n" in text else "\n"
        for raw in text.split(sep):
            start, at = at, at + len(raw) + len(sep)
            soft = raw.endswith(_SOFT)      # pdfium's mark of a hyphen at a line end
            clean = T.normalise(_SOFT_INSIDE.sub(_unhyphen, raw[:-1] if soft else raw)).strip()
            if not clean:
                continue
            clean += "\x02" if soft else ""
            first = start + (len(raw) - len(raw.lstrip()))
            last = start + len(raw.rstrip()) - 1
            _, bottom, _, top = tp.get_charbox(first, loose=True)
            end_bottom = tp.get_charbox(max(first, last), loose=True)[1]
            lines.append(Line(clean, top, bottom, top - bottom, end_bottom))
    finally:
        tp.close()
        page.close()
    return lines, height


def _unhyphen(m: re.Match) -> str:
    after = m.group(1)
    return after if after.islower() else "-" + after


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _edges(lines: list[Line], height: float):
    """The lines that could be a running header or footer: the first and last two of the
    page, when they lie near its top or bottom."""
    for i, line in enumerate(lines):
        if (i < 2 and line.top > height * (1 - EDGE)) or \
                (i >= len(lines) - 2 and line.bottom < height * EDGE):
            yield line


def _drop_running_lines(pages) -> list[list[Line]]:
    counts = Counter()
    for lines, height in pages:
        counts.update({_key(l.text) for l in _edges(lines, height)})
    need = max(2, int(len(pages) * 0.4 + 0.5))
    repeated = {k for k, n in counts.items() if n >= need}
    out = []
    for lines, height in pages:
        drop = {id(l) for l in _edges(lines, height)
                if _key(l.text) in repeated or _PAGE_NUMBER.match(l.text.strip())}
        out.append([l for l in lines if id(l) not in drop])
    return out


def _paragraphs(pages: list[list[Line]]) -> list[Paragraph]:
    steps = [a.end_bottom - b.bottom for lines in pages for a, b in zip(lines, lines[1:])
             if 0 < a.end_bottom - b.bottom < 3 * max(a.size, 1)]
    pitch = statistics.median(steps) if steps else 0
    paras: list[Paragraph] = []
    current: Paragraph | None = None
    for number, lines in enumerate(pages, 1):
        previous = None
        for line in lines:
            text = line.text
            gap = previous.end_bottom - line.bottom if previous else None
            if current is None:
                joined = False
            elif gap is None or gap < -0.5:      # the top of a page, or of the next column
                joined = _runs_on(current.text, text)
                if joined and gap is None:
                    current.breaks.append((len(current.text) + 1, number))
            else:
                size_change = abs(line.size - previous.size) > 0.2 * max(previous.size, 1)
                joined = not size_change and gap <= pitch * 1.3 + 0.5
            if joined:
                current.text = _join(current.text, text)
            else:
                if current is not None:
                    paras.append(current)
                current = Paragraph(text, number)
            previous = line
    if current is not None:
        paras.append(current)
    for p in paras:
        p.text = p.text.replace("\x02", "-")
    return paras


def _runs_on(before: str, after: str) -> bool:
    """A paragraph cut by a page or column break: no sentence end, a lower-case start."""
    return not _SENTENCE_END.search(before.rstrip("\x02")) and after[:1].islower()


def _join(before: str, after: str) -> str:
    """Two lines of a paragraph; a word hyphenated across them is made whole."""
    soft = before.endswith("\x02")
    if soft or (before.endswith("-") and len(before) > 1 and before[-2].isalpha()):
        if after[:1].islower():
            return before[:-1] + after
        return before[:-1] + "-" + after
    return f"{before} {after}"


def _metadata(info: dict, pages: list[list[Line]]) -> dict:
    meta = {}
    title = (info.get("Title") or "").strip()
    title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)
    if title and not re.fullmatch(r"(?i)untitled|document\d*|[\w-]+\.(?:docx?|pdf|indd)", title):
        meta["title"] = title
    if info.get("Author", "").strip():
        meta["authors"] = info["Author"].strip()
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", info.get("CreationDate", ""))
    if m and _valid(*m.groups()):
        meta["date"] = "-".join(g for g in m.groups() if g)
    first = pages[0] if pages else []
    if "title" not in meta and first:
        sizes = [l.size for lines in pages[:3] for l in lines]
        body = statistics.median(sizes) if sizes else 0
        big = []
        for line in first[:4]:
            if line.size >= 1.25 * body and len(line.text) < 150:
                big.append(line.text)
            elif big:
                break
        if big:
            meta["title"] = " ".join(big)
    for line in first[:10]:
        m = re.match(r"(?i)^(?:by|authors?:)\s+(.{3,150})$", line.text)
        if m and "authors" not in meta:
            meta["authors"] = m.group(1)
        if "date" not in meta:
            from search.corpus.dates import find_dates
            full = [d.value for d in find_dates(line.text) if d.value and len(d.value) == 10]
            if full and len(line.text) < 60:
                meta["date"] = full[0]
    return meta


def _valid(y, m, d) -> bool:
    try:
        dt.date(int(y), int(m or 1), int(d or 1))
    except ValueError:
        return False
    return True
