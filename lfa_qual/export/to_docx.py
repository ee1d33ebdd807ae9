"""Quotes as a Word document (python-docx): a heading per group, quotes as indented block quotes.

The document uses Word's own heading styles (so the report's table of contents picks them up)
and one paragraph style, "Citat", for the quotes: indented 1 cm on both sides, the words in
italics and the citation upright after them, as Danish reports set quotes.

python-docx's `add_paragraph` searches the whole body for its end on every call, which makes
100,000 quotes take minutes; so the paragraphs are written as WordprocessingML in one piece
and parsed once, into a document that python-docx created and saves.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from lfa_qual.analysis.quotes import Heading, outline

QUOTE_STYLE = "Citat"
LANGUAGE = "da-DK"
MEMO_STYLE = "Memo"  # a coding's memo under its quote (`--memos`): small, grey, indented
# Characters XML 1.0 does not allow; a stray control character must not break the document.
XML_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _run(text: str, italic: bool = False) -> str:
    props = "<w:rPr><w:i/></w:rPr>" if italic else ""
    text = escape(text)  # characters XML does not allow are removed from the whole body
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _paragraph(style_id: str, runs: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{runs}</w:p>'


def danish_a4(document) -> None:
    """A4 paper and Danish proofing: python-docx's template is US Letter with en-US, which
    Word would spell-check a Danish report against and print on the wrong paper."""
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)
    # The document defaults and any style that sets its own language.
    for lang in document.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    document.core_properties.language = LANGUAGE


def _memo_style(document) -> str:
    style = document.styles.add_style(MEMO_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.paragraph_format.left_indent = Cm(1.5)
    style.paragraph_format.space_after = Pt(10)
    style.font.size = Pt(9)
    style.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    return style.style_id


def write_docx(
    quotes: pd.DataFrame,
    keys: Sequence[str],
    path: Path,
    title: str | None = None,
    note: str | None = None,
    memos: bool = False,
) -> None:
    document = Document()
    danish_a4(document)
    style = document.styles.add_style(QUOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.paragraph_format.left_indent = Cm(1)
    style.paragraph_format.right_indent = Cm(1)
    style.paragraph_format.space_after = Pt(8)
    headings = {level: document.styles[f"Heading {level}"].style_id for level in range(1, 10)}
    quote_style = style.style_id  # looked up once: python-docx searches the styles each time
    memo_style = _memo_style(document) if memos else ""
    parts = []
    if note:  # e.g. that the names check was overridden (lfa_qual.names.gate): first of all
        parts.append(_paragraph(document.styles["Normal"].style_id, _run(note, italic=True)))
    if title:
        parts.append(_paragraph(document.styles["Title"].style_id, _run(title)))
    for item in outline(quotes, keys):
        if isinstance(item, Heading):
            parts.append(_paragraph(headings[min(item.level, 9)], _run(item.text)))
            continue
        paragraphs = item.text.split("\n\n")
        for i, text in enumerate(paragraphs):
            runs = _run(text, italic=True)
            if i == len(paragraphs) - 1:
                runs += _run(f" {item.citation}")
            parts.append(_paragraph(quote_style, runs))
        if memos and item.memo:
            parts.append(_paragraph(memo_style, _run(f"Memo: {' '.join(item.memo.split())}")))
    body = document.element.body
    end = body.sectPr  # the section properties stay the body's last element
    body.remove(end)
    # One extend moves all the parsed paragraphs in C; one addprevious each costs a second.
    # Removing what XML does not allow from the whole body at once removes it from each text:
    # the markup around the texts holds no such characters.
    xml = XML_ILLEGAL_RE.sub("", "".join(parts))
    body.extend(list(parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>")))
    body.append(end)
    # Zipped in memory, then written in one go (as the workbook: see to_xlsx); an OSError of
    # the write is the caller's to explain (see lfa_qual.outputs).
    buffer = io.BytesIO()
    document.save(buffer)
    Path(path).write_bytes(buffer.getbuffer())
