"""Quotes (or any table) as an Excel workbook: one row per record, header frozen, filters on.

XlsxWriter in constant-memory mode streams the rows to disk, so memory stays flat for 100,000
quotes; on the same cells it writes faster than openpyxl in write-only mode (measured by
benchmarks/bench_export.py: about 1.3× at 5,000 quotes, more at 100,000). Text is always
written as text: a quote starting with "=" never becomes a formula, and text a spreadsheet would
evaluate (`lfa_qual.export.cells`), header cells included, carries Excel's quote prefix. A cell
holds at most 32,767 characters: a longer text continues, cut between words, in columns
"NAME (2)", "NAME (3)", … right after its own, so no word is lost and the row's `words` still
counts what the row shows; `write_xlsx` returns a warning saying so. XlsxWriter writes no
document language (Excel takes its proofing language from the user's Office settings).
"""

from __future__ import annotations

import errno
import io
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from lfa_qual.collector import fewer_collections
from lfa_qual.export.cells import needs_neutralising

WIDTHS = {"text": 80, "citation": 36, "heading": 36, "theme_label": 30, "memo": 30}
WRAPPED = {"text"}
# Excel's limit on the characters of one cell (counted in UTF-16 units, as Excel counts them).
CELL_LIMIT = 32_767
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
) -> list[str]:
    """Write the workbook; returns warnings (texts continued in extra columns). A failed write
    is an OSError, the caller's to explain (see lfa_qual.outputs)."""
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    if index:
        frame = frame.reset_index()
    columns = [str(c) for c in frame.columns]
    cells = [_column(frame.iloc[:, i]) for i in range(len(columns))]
    columns, cells, warnings = _continue_long_texts(columns, cells)
    # Zipped in memory, then written in one go: a disk error while XlsxWriter writes the file
    # leaves its zip half-open, to fail again at exit ("Exception ignored … Traceback").
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, OPTIONS)
    ws = workbook.add_worksheet(sheet)
    for i, name in enumerate(columns):
        base = name.rsplit(" (", 1)[0] if name not in WIDTHS else name
        ws.set_column(i, i, WIDTHS.get(base, max(10, len(name) + 2)))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(frame), max(len(columns), 1) - 1)
    bold = workbook.add_format({"bold": True})
    bold_quoted = workbook.add_format({"bold": True, "quote_prefix": True})
    for i, name in enumerate(columns):
        ws.write_string(0, i, name, bold_quoted if needs_neutralising(name) else bold)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    formats = {
        (True, False): wrap,
        (True, True): workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": 1}),
        (False, True): workbook.add_format({"quote_prefix": True}),
        (False, False): None,
    }
    wrapped = [name.rsplit(" (", 1)[0] in WRAPPED for name in columns]
    with fewer_collections():  # the cells are millions of long-lived objects
        _write_rows(ws, cells, wrapped, formats)
    try:
        workbook.close()
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise OSError(errno.EIO, str(exc)) from None
    Path(path).write_bytes(buffer.getvalue())
    return warnings


def _write_rows(ws, cells: list[list[Any]], wrapped: list[bool], formats: dict) -> None:
    # One call per non-empty cell, as a bare XlsxWriter loop; the format only where needed.
    write_string, write_number, write_boolean = ws.write_string, ws.write_number, ws.write_boolean
    for row, values in enumerate(zip(*cells, strict=True), start=1):
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                fmt = formats[wrapped[col], needs_neutralising(value)]
                write_string(row, col, value, fmt)
            elif isinstance(value, bool):
                write_boolean(row, col, value)
            else:
                write_number(row, col, value)


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
            split_cell_text(v) if isinstance(v, str) and len(v) > CELL_LIMIT // 2 else None
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
