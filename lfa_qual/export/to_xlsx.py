"""Quotes (or any table) as an Excel workbook: one row per record, header frozen, filters on.

openpyxl in write-only mode streams the rows to disk, so memory stays flat for 100,000 quotes.
Text is always written as text: a quote starting with "=" never becomes a formula, and text a
spreadsheet would evaluate (`lfa_qual.export.cells`), header cells included, carries Excel's
quote prefix. A cell holds at most 32,767 characters: a longer text continues, cut between words,
in columns "NAME (2)", "NAME (3)", … right after its own, so no word is lost and the row's
`words` still counts what the row shows; `write_xlsx` returns a warning saying so.
"""

from __future__ import annotations

import errno
import io
import math
import os
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

try:
    from lxml.etree import LxmlError
except ImportError:  # openpyxl without lxml writes through the standard library

    class LxmlError(Exception):  # type: ignore[no-redef]
        pass


from lfa_qual.export.cells import needs_neutralising

WIDTHS = {"text": 80, "citation": 36, "heading": 36, "theme_label": 30, "memo": 30}
WRAPPED = {"text"}
# Excel's limit on the characters of one cell (counted in UTF-16 units, as Excel counts them).
CELL_LIMIT = 32_767


def write_xlsx(
    frame: pd.DataFrame, path: Path, sheet: str = "Citater", index: bool = False
) -> list[str]:
    """Write the workbook; returns warnings (texts continued in extra columns)."""
    # Zipped in memory, then written in one go: a disk error inside openpyxl's own writing
    # leaves half-closed generators whose clean-up prints "Exception ignored … Traceback".
    # An OSError of the write is the caller's to explain (see lfa_qual.outputs).
    try:
        data, warnings = _workbook_bytes(frame, sheet, index)
    except LxmlError as exc:
        # openpyxl streams each sheet to a file in the temporary folder; lxml reports a full
        # disk or a file size limit there as "IO_ENOSPC", "IO_EFBIG" …: make it an OSError.
        code = getattr(errno, str(exc).removeprefix("IO_"), errno.EIO)
        raise OSError(code, os.strerror(code) + " (in the temporary folder)") from None
    Path(path).write_bytes(data)
    return warnings


def _workbook_bytes(frame: pd.DataFrame, sheet: str, index: bool) -> tuple[bytes, list[str]]:
    if index:
        frame = frame.reset_index()
    columns = [str(c) for c in frame.columns]
    values = [_values(frame.iloc[:, i]) for i in range(len(columns))]
    columns, values, warnings = _continue_long_texts(columns, values)
    workbook = Workbook(write_only=True)
    workbook.properties.language = "da-DK"  # the workbook's metadata, as the DOCX's
    ws = workbook.create_sheet(sheet)
    for i, name in enumerate(columns, start=1):
        base = name.rsplit(" (", 1)[0] if name not in WIDTHS else name
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(base, max(10, len(name) + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{len(frame) + 1}"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for name in columns:
        cell = _cell(ws, name, None, always=True)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    wrapped = {i for i, c in enumerate(columns) if c.rsplit(" (", 1)[0] in WRAPPED}
    for row in zip(*values, strict=True):
        ws.append([_cell(ws, v, wrap if i in wrapped else None) for i, v in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), warnings


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_cell_text(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """`text` in pieces of at most `limit` UTF-16 units, cut after white space where there is
    any; the pieces joined give `text` back."""
    pieces: list[str] = []
    while _utf16_len(text) > limit:
        cut = limit
        while _utf16_len(text[:cut]) > limit:
            cut -= 1
        space = max(text.rfind(" ", 0, cut), text.rfind("\n", 0, cut))
        if space > 0:
            cut = space + 1
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _continue_long_texts(
    columns: list[str], values: list[list[Any]]
) -> tuple[list[str], list[list[Any]], list[str]]:
    """Split every text longer than a cell holds into continuation columns after its own."""
    out_columns: list[str] = []
    out_values: list[list[Any]] = []
    warnings: list[str] = []
    for name, column in zip(columns, values, strict=True):
        split = [
            split_cell_text(_clean(v)) if isinstance(v, str) and len(v) > CELL_LIMIT // 2 else None
            for v in column
        ]
        parts = max((len(s) for s in split if s), default=1)
        if parts == 1:
            out_columns.append(name)
            out_values.append(column)
            continue
        rows = sum(1 for s in split if s and len(s) > 1)
        extra = [f"{name} ({k})" for k in range(2, parts + 1)]
        warnings.append(
            f"{rows} text(s) in column {name!r} are longer than the {CELL_LIMIT:,} characters a "
            f"spreadsheet cell holds; they continue, cut between words, in column(s) "
            f"{', '.join(repr(e) for e in extra)}"
        )
        out_columns += [name, *extra]
        for k in range(parts):
            out_values.append(
                [
                    (s[k] if k < len(s) else None) if s else (v if k == 0 else None)
                    for s, v in zip(split, column, strict=True)
                ]
            )
    return out_columns, out_values, warnings


def _values(series: pd.Series) -> list[Any]:
    """Plain Python values of one column; missing values (and NaN) as None."""
    values = series.astype(object).tolist()
    missing = series.isna().tolist()
    return [
        None if m or (isinstance(v, float) and not math.isfinite(v)) else v
        for v, m in zip(values, missing, strict=True)
    ]


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _cell(ws, value: Any, alignment: Alignment | None, always: bool = False) -> Any:
    if isinstance(value, str):
        value = _clean(value)
        risky = needs_neutralising(value)
        if alignment is None and not risky and not always:
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula
        if risky:
            cell.quotePrefix = True  # shown and kept as text, even when edited
        if alignment is not None:
            cell.alignment = alignment
        return cell
    if value is not None and not isinstance(value, int | float | bool):
        return str(value)
    return value
