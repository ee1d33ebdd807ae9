"""Quotes as CSV (UTF-8, one row per quote, every column) for spreadsheets and R; the dialect
(`lfa_qual.csv_dialect`) decides separator, decimal sign and byte order mark."""

from __future__ import annotations

from typing import TextIO

import pandas as pd

from lfa_qual.csv_dialect import PLAIN, CsvDialect, start_csv
from lfa_qual.export.cells import safe_frame


def write_csv(quotes: pd.DataFrame, stream: TextIO, dialect: CsvDialect = PLAIN) -> None:
    """Text that a spreadsheet would run as a formula is written with a leading `'`."""
    start_csv(stream, dialect)
    safe_frame(quotes).to_csv(
        stream,
        index=False,
        sep=dialect.delimiter,
        decimal=dialect.decimal,
        lineterminator="\n",
    )
