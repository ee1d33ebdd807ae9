"""Cell values that a spreadsheet will not evaluate: the one rule every CSV and XLSX writer uses.

A spreadsheet program opening a CSV file treats a cell that starts with `=`, `+`, `-` or `@` as
a formula, and some treat a leading tab or carriage return the same way. A quote, a memo or a
header value such as `school: "=HYPERLINK(…)"` could then run as a formula on the reader's
machine ("CSV injection"). Following the OWASP rule, such a text value is written with a `'`
in front, which the spreadsheet shows as text. A value that is a real number (`-3`, `-0.5`,
`+4`) is left alone, so negative numbers stay numbers.

In XLSX files the same values (`needs_neutralising`) are written as text cells with Excel's
"quote prefix" flag (the workbook equivalent of the `'`), so the text keeps its own first
character and still never becomes a formula, not even when the cell is edited.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STARTS_PATTERN = "[=+\\-@\t\r]"
# A plain number as a spreadsheet reads one: a sign, digits, a decimal point or comma, an exponent.
NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def needs_neutralising(value: object) -> bool:
    """Whether `value` is text that a spreadsheet would evaluate as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and NUMBER_RE.fullmatch(value) is None
    )


def safe_cell(value: Any) -> Any:
    """`value` as it may go into a CSV cell: formula-like text gets a leading `'`."""
    return "'" + value if needs_neutralising(value) else value


def safe_frame(frame):
    """A copy of a pandas DataFrame whose text cells, column names, index labels and index
    name are safe for CSV (see `safe_cell`); numbers are untouched."""
    import pandas as pd

    out = frame.copy(deep=False)  # columns are replaced, never changed in place
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        # Text columns are `str` (pandas 3) or `object`; numbers are never touched. The test
        # runs on whole columns (pandas' string methods), not cell by cell in Python.
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            continue
        try:
            text = column.str
        except AttributeError:  # no text in it at all (only missing values), or mixed types
            out.isetitem(i, column.map(safe_cell))
            continue
        risky = text.match(STARTS_PATTERN, na=False)
        if not risky.any():
            continue
        # Of the few that start like a formula, real numbers stay as they are.
        risky[risky] = ~column[risky].str.fullmatch(NUMBER_RE.pattern, na=False)
        column = column.copy()
        column[risky] = "'" + column[risky].astype(str)
        out.isetitem(i, column)
    out.columns = _safe_index(out.columns, pd)
    out.index = _safe_index(out.index, pd)
    return out


def _safe_index(index, pd):
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(
            [tuple(safe_cell(v) for v in t) for t in index],
            names=[safe_cell(n) for n in index.names],
        )
    if pd.api.types.is_numeric_dtype(index) and not needs_neutralising(index.name):
        return index
    return pd.Index([safe_cell(v) for v in index], name=safe_cell(index.name))
