"""A saved web page -> its article's paragraphs and metadata, via trafilatura.

trafilatura keeps the main text (navigation, ads, comments and boilerplate left out) and
reads the title, date, authors, site name and canonical URL from meta tags, Open Graph,
JSON-LD and visible bylines. It is given the page's text only, never a URL: nothing is
fetched, and scripts are dropped with the rest of the markup, never run.
"""
from __future__ import annotations

import logging
import re
from configparser import ConfigParser

from search.corpus.readers import Extracted, Paragraph, Unreadable

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_config: ConfigParser | None = None


def _settings() -> ConfigParser:
    """trafilatura's defaults, quiet, with no download settings in use (we never pass a URL)."""
    global _config
    if _config is None:
        from trafilatura.settings import use_config
        _config = use_config()
        _config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")   # no signal handlers in workers
        for name in ("trafilatura", "htmldate", "courlan", "justext"):
            log = logging.getLogger(name)
            log.addHandler(logging.NullHandler())
            log.propagate = False
    return _config


def decode(data: bytes) -> tuple[str, str | None]:
    """The page's text and a warning, if any. Valid UTF-8 is UTF-8 whatever the page
    declares (a wrong declaration is common); otherwise the declared charset, else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), None
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "replace").lower() if m else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        wrong = declared and declared not in ("utf-8", "utf8", "us-ascii", "ascii") \
            and not text.isascii()
        return text, (f"declares charset {declared} but is UTF-8; read as UTF-8"
                      if wrong else None)
    if declared:
        try:
            return data.decode(declared), None
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("cp1252"), "not valid UTF-8" + (
            f" nor {declared}" if declared else "") + "; decoded as cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not valid UTF-8; decoded as latin-1"


def extract(data: bytes) -> Extracted:
    import trafilatura
    page, problem = decode(data)
    if "\x00" in page:
        page = page.replace("\x00", "")
    found = trafilatura.bare_extraction(
        page, url=None, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, output_format="python",
        config=_settings())
    text = getattr(found, "text", None) if found is not None else None
    if not text or not text.strip():
        raise Unreadable("no article text found in the page; skipped")
    paragraphs = [Paragraph(line) for line in text.split("\n") if line.strip()]
    meta = {"title": found.title, "date": found.date, "source": found.sitename,
            "url": found.url if _is_web(found.url) else None,
            "authors": [a.strip() for a in re.split(r";|\|", found.author or "") if a.strip()]}
    return Extracted(paragraphs, meta, [problem] if problem else [])


def _is_web(url) -> bool:
    return isinstance(url, str) and url.startswith(("http://", "https://"))
