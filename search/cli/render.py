"""Rich rendering shared by the command line and the app: article text, literal, lit up."""
from __future__ import annotations

from rich.text import Text

HIT = "bold black on yellow"


def highlighted(text: str, spans, style: str = HIT) -> Text:
    """Article text as a Rich Text: literal (never markup), with the spans styled."""
    out = Text(text)
    for start, end in spans:
        out.stylize(style, start, end)
    return out
