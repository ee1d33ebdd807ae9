"""Frequency tables and matrices as text: a terminal table, Markdown, CSV (xlsx: `to_xlsx`)."""

from __future__ import annotations

from typing import TextIO

import pandas as pd

from lfa_qual.csv_dialect import PLAIN, CsvDialect, start_csv
from lfa_qual.export.cells import safe_frame
from lfa_qual.wording import number


def cell_text(value: object, percent: bool) -> str:
    """A number as Danish readers write it (da-DK): "1.234", "12,5"."""
    if percent or not float(value).is_integer():
        return number(float(value), 1)
    return number(int(value))


def text_rows(table: pd.DataFrame, percent: bool) -> tuple[list[str], list[list[str]]]:
    headers = [table.index.name or "", *[str(c) for c in table.columns]]
    rows = [
        [str(label), *[cell_text(v, percent) for v in values]]
        for label, values in zip(table.index, table.to_numpy(), strict=True)
    ]
    return headers, rows


def render_text(table: pd.DataFrame, percent: bool = False) -> str:
    """An aligned plain-text table: labels left, numbers right."""
    headers, rows = text_rows(table, percent)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = []
    for cells in [headers, *rows]:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_md_table(table: pd.DataFrame, stream: TextIO, percent: bool = False) -> None:
    headers, rows = text_rows(table, percent)
    stream.write("| " + " | ".join(headers) + " |\n")
    stream.write("|" + "|".join([":---", *["---:"] * (len(headers) - 1)]) + "|\n")
    for row in rows:
        stream.write("| " + " | ".join(row) + " |\n")


def write_csv_table(
    table: pd.DataFrame, stream: TextIO, percent: bool = False, dialect: CsvDialect = PLAIN
) -> None:
    out = table.round(2) if percent else table
    # Labels come from transcript headers (a school, a role): never a formula in a spreadsheet.
    start_csv(stream, dialect)
    safe_frame(out).to_csv(
        stream, sep=dialect.delimiter, decimal=dialect.decimal, lineterminator="\n"
    )
