"""Quotes (or any table) as an Excel workbook: one row per record, header frozen, filters on.

XlsxWriter in constant-memory mode streams the rows to disk, so memory stays flat for 100,000
quotes; on the same cells it writes faster than openpyxl in write-only mode (measured by
benchmarks/bench_export.py: about 1.3× at 5,000 quotes, more at 100,000). Text is always
written as text: a quote starting with "=" never becomes a formula.
"""

from __future__ import annotations

import gc
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from lfa_qual.errors import LfaError

WIDTHS = {"text": 80, "citation": 36, "heading": 36, "theme_label": 30, "memo": 30}
WRAPPED = {"text"}
# Control characters XML 1.0 cannot carry (as openpyxl's ILLEGAL_CHARACTERS_RE): dropped.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
OPTIONS = {
    "constant_memory": True,  # rows go to disk as they are written
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


def write_xlsx(
    frame: pd.DataFrame, path: Path, sheet: str = "Citater", index: bool = False
) -> None:
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    if index:
        frame = frame.reset_index()
    columns = [str(c) for c in frame.columns]
    workbook = xlsxwriter.Workbook(str(path), OPTIONS)
    ws = workbook.add_worksheet(sheet)
    for i, name in enumerate(columns):
        ws.set_column(i, i, WIDTHS.get(name, max(10, len(name) + 2)))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(frame), max(len(columns), 1) - 1)
    ws.write_row(0, 0, columns, workbook.add_format({"bold": True}))
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    # Values are prepared a column at a time (a comprehension per column); the loop below does
    # no more per cell than a bare XlsxWriter loop: one call per non-empty cell.
    cells = [_column(frame.iloc[:, i]) for i in range(len(columns))]
    writers = [
        (i, ws.write_string, wrap) if name in WRAPPED else (i, ws.write, None)
        for i, name in enumerate(columns)
    ]
    write_string, write_number = ws.write_string, ws.write_number
    # Rarer garbage collections while writing: the cells are millions of long-lived objects
    # that every full collection would scan again (as in nlp/suggest.py's fewer_collections).
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], 50_000), max(old[1], 20), max(old[2], 100))
    try:
        _write_rows(cells, writers, write_string, write_number)
    finally:
        gc.set_threshold(*old)
    try:
        workbook.close()
    except (FileCreateError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise LfaError(f"cannot write the workbook: {reason}", path=path) from None


def _write_rows(cells: list[list[Any]], writers: list, write_string, write_number) -> None:
    for row, values in enumerate(zip(*cells, strict=True), start=1):
        for (col, write, fmt), value in zip(writers, values, strict=True):
            if value is None:
                continue
            if isinstance(value, str):
                write_string(row, col, value, fmt)
            elif isinstance(value, bool):
                write(row, col, value, fmt)
            else:
                write_number(row, col, value, fmt)


def _values(series: pd.Series) -> list[Any]:
    """Plain Python values of one column; missing values (and NaN) as None."""
    values = series.astype(object).tolist()
    if not series.hasnans:
        return values
    missing = series.isna().tolist()
    return [None if m else v for v, m in zip(values, missing, strict=True)]


def _column(series: pd.Series) -> list[Any]:
    """One column's values: text without illegal characters, numbers (finite), booleans,
    None for empty, anything else as its text. Whole columns of one kind are converted in
    one comprehension: per-value type tests cost as much as a fifth of the writing."""
    values = _values(series)
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_integer_dtype(series):
        return values
    if pd.api.types.is_float_dtype(series):
        return [v if v is None or math.isfinite(v) else None for v in values]
    if not pd.api.types.is_string_dtype(series):  # mixed: value by value
        values = [_plain(v) for v in values]
    # One search over the whole column: illegal characters are rare, a search per cell is not.
    if ILLEGAL_CHARACTERS_RE.search("\n".join(v for v in values if isinstance(v, str))):
        values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
    return values


def _plain(v: Any) -> Any:
    """A value written as it is (text, number, boolean, empty), else its text."""
    if v is None or isinstance(v, str | int | bool):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    return str(v)
