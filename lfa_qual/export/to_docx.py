"""Quotes as a Word document (python-docx): a heading per group, quotes as indented block quotes.

The document uses Word's own heading styles (so the report's table of contents picks them up)
and one paragraph style, "Citat", for the quotes: indented 1 cm on both sides, the words in
italics and the citation upright after them, as Danish reports set quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt

from lfa_qual.errors import LfaError
from lfa_qual.export.quotes import Heading, outline

QUOTE_STYLE = "Citat"


def write_docx(
    quotes: pd.DataFrame, keys: Sequence[str], path: Path, title: str | None = None
) -> None:
    document = Document()
    style = document.styles.add_style(QUOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.paragraph_format.left_indent = Cm(1)
    style.paragraph_format.right_indent = Cm(1)
    style.paragraph_format.space_after = Pt(8)
    if title:
        document.add_heading(title, level=0)
    for item in outline(quotes, keys):
        if isinstance(item, Heading):
            document.add_heading(item.text, level=min(item.level, 9))
            continue
        paragraphs = item.text.split("\n\n")
        for i, text in enumerate(paragraphs):
            paragraph = document.add_paragraph(style=QUOTE_STYLE)
            paragraph.add_run(text).italic = True
            if i == len(paragraphs) - 1:
                paragraph.add_run(f" {item.citation}")
    try:
        document.save(str(path))
    except OSError as exc:
        raise LfaError(f"cannot write the document: {exc.strerror}", path=path) from None
