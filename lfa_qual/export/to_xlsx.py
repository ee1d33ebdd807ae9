"""Quotes (or any table) as an Excel workbook: one row per record, header frozen, filters on.

openpyxl in write-only mode streams the rows to disk, so memory stays flat for 100,000 quotes.
Text is always written as text: a quote starting with "=" never becomes a formula.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lfa_qual.errors import LfaError

WIDTHS = {"text": 80, "citation": 36, "heading": 36, "theme_label": 30, "memo": 30}
WRAPPED = {"text"}


def write_xlsx(
    frame: pd.DataFrame, path: Path, sheet: str = "Citater", index: bool = False
) -> None:
    if index:
        frame = frame.reset_index()
    columns = [str(c) for c in frame.columns]
    workbook = Workbook(write_only=True)
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
    # Cells are prepared a column at a time (a list comprehension per column): per-cell calls
    # of ours would cost as much again as openpyxl's own writing (benchmarks/bench_export.py).
    cells = [
        _column(ws, frame.iloc[:, i], wrap if name in WRAPPED else None)
        for i, name in enumerate(columns)
    ]
    for row in zip(*cells, strict=True):
        ws.append(row)
    try:
        workbook.save(path)
    except OSError as exc:
        raise LfaError(f"cannot write the workbook: {exc.strerror}", path=path) from None


def _values(series: pd.Series) -> list[Any]:
    """Plain Python values of one column; missing values (and NaN) as None."""
    values = series.astype(object).tolist()
    if not series.hasnans:
        return values
    missing = series.isna().tolist()
    return [None if m else v for v, m in zip(values, missing, strict=True)]


def _column(ws, series: pd.Series, alignment: Alignment | None) -> list[Any]:
    """One column's cells: text as text (never a formula, no illegal characters), numbers as
    numbers, anything else as its text; wrapped cells carry `alignment`. Whole columns of one
    kind are converted in one comprehension: per-value type tests cost as much as a fifth of
    openpyxl's own writing."""
    values = _values(series)
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_integer_dtype(series):
        return values
    if pd.api.types.is_float_dtype(series):
        return [v if v is None or math.isfinite(v) else None for v in values]
    if not pd.api.types.is_string_dtype(series):  # mixed: value by value
        values = [_plain(v) for v in values]
    # One search over the whole column: illegal characters are rare, a search per cell is not.
    texts = "\n".join(v for v in values if isinstance(v, str))
    if ILLEGAL_CHARACTERS_RE.search(texts):
        values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
    if alignment is not None:
        return [_text_cell(ws, v, alignment) if isinstance(v, str) else v for v in values]
    if "\n=" not in "\n" + texts:
        return values
    return [_text_cell(ws, v, None) if isinstance(v, str) and v[:1] == "=" else v for v in values]


def _plain(v: Any) -> Any:
    """A value openpyxl writes as it is (text, number, empty), else its text."""
    if v is None or isinstance(v, str | int | bool):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    return str(v)


def _text_cell(ws, value: str, alignment: Alignment | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never a formula
    if alignment is not None:
        cell.alignment = alignment
    return cell
