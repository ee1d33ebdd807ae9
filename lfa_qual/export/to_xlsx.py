"""Quotes (or any table) as an Excel workbook: one row per record, header frozen, filters on.

openpyxl in write-only mode streams the rows to disk, so memory stays flat for 100,000 quotes.
Text is always written as text: a quote starting with "=" never becomes a formula.
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


WIDTHS = {"text": 80, "citation": 36, "heading": 36, "theme_label": 30, "memo": 30}
WRAPPED = {"text"}


def write_xlsx(
    frame: pd.DataFrame, path: Path, sheet: str = "Citater", index: bool = False
) -> None:
    # Zipped in memory, then written in one go: a disk error inside openpyxl's own writing
    # leaves half-closed generators whose clean-up prints "Exception ignored … Traceback".
    # An OSError of the write is the caller's to explain (see lfa_qual.outputs).
    try:
        data = _workbook_bytes(frame, sheet, index)
    except LxmlError as exc:
        # openpyxl streams each sheet to a file in the temporary folder; lxml reports a full
        # disk or a file size limit there as "IO_ENOSPC", "IO_EFBIG" …: make it an OSError.
        code = getattr(errno, str(exc).removeprefix("IO_"), errno.EIO)
        raise OSError(code, os.strerror(code) + " (in the temporary folder)") from None
    Path(path).write_bytes(data)


def _workbook_bytes(frame: pd.DataFrame, sheet: str, index: bool) -> bytes:
    if index:
        frame = frame.reset_index()
    columns = [str(c) for c in frame.columns]
    workbook = Workbook(write_only=True)
    workbook.properties.language = "da-DK"  # the workbook's metadata, as the DOCX's
    ws = workbook.create_sheet(sheet)
    for i, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(name, max(10, len(name) + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{len(frame) + 1}"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    wrapped = {i for i, c in enumerate(columns) if c in WRAPPED}
    values = [_values(frame.iloc[:, i]) for i in range(len(columns))]
    for row in zip(*values, strict=True):
        ws.append([_cell(ws, v, wrap if i in wrapped else None) for i, v in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _values(series: pd.Series) -> list[Any]:
    """Plain Python values of one column; missing values (and NaN) as None."""
    values = series.astype(object).tolist()
    missing = series.isna().tolist()
    return [
        None if m or (isinstance(v, float) and not math.isfinite(v)) else v
        for v, m in zip(values, missing, strict=True)
    ]


def _cell(ws, value: Any, alignment: Alignment | None) -> Any:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if alignment is None and not value.startswith("="):
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula
        if alignment is not None:
            cell.alignment = alignment
        return cell
    if value is not None and not isinstance(value, int | float | bool):
        return str(value)
    return value
