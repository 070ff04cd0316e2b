"""Fixtures written by the tests: PDFs (fpdf2), Word files (python-docx), saved web pages."""
from __future__ import annotations

import datetime as dt
import io
import re

HEADER = "Institute of Strategic Studies | Working Paper 12"


def pdf_bytes(pages: list[list[str]], *, title: str | None = "Vietnam between the powers",
              author: str | None = "Nguyen Van An, Jane Smith", date=dt.datetime(2025, 3, 4),
              header: str | None = HEADER, footer: str | None = "Page {n} of {total}",
              first_lines: list[tuple[str, int]] = (), user_password: str | None = None,
              owner_password: str | None = None) -> bytes:
    """A PDF, one list of lines per page: "" between lines starts a paragraph; a line is
    placed as given, so a line may end in a hyphen to split a word. Every page gets the
    running header and a footer with its number; `first_lines` (text, font size) go on
    top of page 1 (a title page's heading, byline, date)."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_creation_date((date or dt.datetime(2000, 1, 1)).replace(tzinfo=dt.timezone.utc))
    if user_password is not None or owner_password is not None:
        pdf.set_encryption(owner_password=owner_password or "owner",
                           user_password=user_password)
    for n, lines in enumerate(pages, 1):
        pdf.add_page()
        if header:
            pdf.set_font("Helvetica", size=8)
            pdf.set_xy(10, 8)
            pdf.cell(0, 5, header)
        y = 25
        if n == 1:
            for text, size in first_lines:
                pdf.set_font("Helvetica", size=size)
                pdf.set_xy(20, y)
                pdf.cell(0, size * 0.5, text)
                y += size * 0.5 + 4
        pdf.set_font("Helvetica", size=11)
        for line in lines:
            if line == "":
                y += 5
                continue
            pdf.set_xy(20, y)
            pdf.cell(0, 6, line)
            y += 6
        if footer:
            pdf.set_font("Helvetica", size=8)
            pdf.set_xy(95, 285)
            pdf.cell(0, 5, footer.format(n=n, total=len(pages)))
    data = bytes(pdf.output())
    if date is None:         # fpdf2 always writes a date: blank it out, offsets unchanged
        data = re.sub(rb"/(?:Creation|Mod)Date \(D:[^)]*\)", lambda m: b" " * len(m.group()),
                      data)
    return data


def scanned_pdf_bytes(text_before: str | None = None) -> bytes:
    """A page that is only a picture of text, as a scanner makes it: no text layer
    (after a page of real text, when given)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw
    img = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(img).text((20, 80), "Vietnam and ASEAN: a scanned page", fill=0)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    pdf = FPDF()
    if text_before:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.cell(0, 6, text_before)
    pdf.add_page()
    pdf.image(io.BytesIO(buf.getvalue()), x=10, y=10, w=180)
    return bytes(pdf.output())


def docx_bytes(blocks: list[tuple[str, str]], *, title=None, author=None, created=None) -> bytes:
    """A Word file from (kind, text) blocks: kind "h1", "h2", "p", or "table" (cells by |)."""
    import docx
    d = docx.Document()
    props = d.core_properties
    props.title, props.author = title or "", author or ""
    if created:
        props.created = created
    for kind, text in blocks:
        if kind.startswith("h"):
            d.add_heading(text, int(kind[1:]))
        elif kind == "table":
            cells = text.split("|")
            row = d.add_table(rows=1, cols=len(cells)).rows[0]
            for cell, value in zip(row.cells, cells):
                cell.text = value.strip()
        else:
            d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


ARTICLE = [
    "Vietnam and Australia upgraded their relationship to a comprehensive strategic "
    "partnership on Thursday, during a visit to Canberra by Prime Minister Phạm Minh Chính.",
    "The upgrade places Australia among the small group of countries with Vietnam's highest "
    "diplomatic tier, alongside China, Russia, India, South Korea and the United States.",
    "Officials said cooperation would deepen in trade, education, maritime security and "
    "climate change, and that a new economic engagement strategy would follow next year.",
]
BOILERPLATE = ["Subscribe to our premium newsletter", "Advertisement: discount casino bonuses",
               "Great article! Visit my crypto website", "Copyright 2024 Example Media Group",
               "Privacy policy and terms of use"]


def html_page(head: str = "", byline: str = "", paragraphs=ARTICLE, body_extra: str = "",
              charset: str = "utf-8") -> str:
    """A saved news page: navigation, an ad, the article, comments and a footer."""
    paras = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}">{head}</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/asean">ASEAN</a></li>
<li>{BOILERPLATE[0]}</li></ul></nav>
<div class="ad-banner">{BOILERPLATE[1]}</div>
<article><h1>Vietnam upgrades ties with Australia</h1>{byline}
{paras}
</article>{body_extra}
<section class="comments"><h3>Comments</h3><p>{BOILERPLATE[2]}</p></section>
<footer><p>{BOILERPLATE[3]}</p><p>{BOILERPLATE[4]}</p></footer>
</body></html>"""


# Three pages of an article, as a PDF's text layer would lay them out.
PAGES = [
    ["Vietnam has long practised what its leaders call bamboo diplomacy, bending",
     "with the wind while keeping its roots. The comprehensive strategic partner-",
     "ship with Australia was announced in Canberra.",
     "",
     "Hanoi signed a maritime agreement with Jakarta after years of talks on the",
     "continental shelf, and the two sides agreed to"],
    ["expand coast guard cooperation in the Natuna Sea.",
     "",
     "Trade with the European Union grew after the free trade agreement entered",
     "into force, helped by lower tariffs on rice and textiles."],
    ["A final paragraph on the third page mentions the Mekong delta and water security."],
]
