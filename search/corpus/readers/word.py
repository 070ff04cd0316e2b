"""A Word file (.docx) -> its paragraphs, headings and tables, and its core properties
(title, authors, date), via python-docx.

A .docx is a zip: its central directory is checked first, so a zip bomb (parts that inflate
to gigabytes) is refused before anything is inflated. python-docx's XML parser resolves no
entities and fetches nothing.
"""
from __future__ import annotations

import io
import zipfile

from search.corpus.readers import Extracted, Paragraph, Unreadable

MAX_UNPACKED = 256 << 20      # bytes, all parts together
MAX_RATIO = 200               # a part inflating more than this is a bomb, not a document
MAX_PARTS = 10000


def check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except zipfile.BadZipFile as e:
        raise Unreadable(f"not a valid Word file ({e}); skipped") from None
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_PARTS or total > MAX_UNPACKED or any(
            i.file_size > 1 << 20 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
            for i in infos):
        raise Unreadable(f"unpacks to {total >> 20} MB in {len(infos)} parts: "
                         "looks like a zip bomb; skipped")


def extract(data: bytes) -> Extracted:
    check_zip(data)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph
    document = docx.Document(io.BytesIO(data))
    paragraphs = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = DocxParagraph(block, document).text
            if text.strip():
                paragraphs.append(Paragraph(text))
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                if cells:
                    paragraphs.append(Paragraph(" | ".join(cells)))
    props = document.core_properties
    date = props.created or props.modified
    meta = {"title": props.title, "authors": props.author,
            "date": date.date().isoformat() if date else None}
    return Extracted(paragraphs, meta)
