"""Plain-text tables, CSV and JSON output for the command line."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from lfa_qual.csv_dialect import PLAIN, CsvDialect, csv_value, start_csv
from lfa_qual.export.cells import safe_cell


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 60) -> str:
    def cell(v: Any) -> str:
        s = "" if v is None else str(v).replace("\n", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    numeric = [all(_is_number(r[i]) for r in rows) and rows for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if numeric[i] else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    return "\n".join(out)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def csv_dialect_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--csv-dialect",
        choices=["excel", "plain"],
        help="csv: excel (UTF-8 with BOM, ';', decimal comma: what Danish Excel opens; default "
        "for files) or plain (UTF-8, ',', decimal point; default on standard output)",
    )


def csv_writer(stream: TextIO, dialect: CsvDialect):
    """A csv.writer in the dialect, the byte order mark already written if it has one."""
    start_csv(stream, dialect)
    return csv.writer(stream, delimiter=dialect.delimiter, lineterminator="\n")


def write_csv(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    stream: TextIO | None = None,
    dialect: CsvDialect = PLAIN,
) -> None:
    # sys.stdout is looked up at call time: it may have been replaced since import.
    # Text a spreadsheet would run as a formula gets a leading ' (lfa_qual.export.cells).
    writer = csv_writer(stream or sys.stdout, dialect)
    writer.writerow([safe_cell(h) for h in headers])
    writer.writerows([csv_value(safe_cell(v), dialect) for v in row] for row in rows)


def write_json(data: Any, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
