"""Quotes (or any table) as an Excel workbook (openpyxl): one row per record, filters on.

The header row is bold and frozen and has Excel's auto filter, so a reader can filter by theme,
school or role straight away. Text cells are always written as text: a quote starting with "="
must not become a formula.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lfa_qual.errors import LfaError

WIDTHS = {"text": 80, "citation": 36, "heading": 36, "theme_label": 30, "memo": 30}


def write_xlsx(
    frame: pd.DataFrame, path: Path, sheet: str = "Citater", index: bool = False
) -> None:
    if index:
        frame = frame.reset_index()
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet)
    columns = [str(c) for c in frame.columns]
    for i, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(name, max(10, len(name) + 2))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    text_columns = {i for i, c in enumerate(columns) if c == "text"}
    for row in frame.astype(object).itertuples(index=False, name=None):
        ws.append([_cell(ws, v, i in text_columns, wrap) for i, v in enumerate(row)])
    last = get_column_letter(max(len(columns), 1))
    ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    try:
        workbook.save(str(path))
    except OSError as exc:
        raise LfaError(f"cannot write the workbook: {exc.strerror}", path=path) from None


def _cell(ws, value, wrapped: bool, wrap: Alignment):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("=") or wrapped:
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            if wrapped:
                cell.alignment = wrap
            return cell
    return value
