"""Quotes as CSV (UTF-8, one row per quote, every column) for spreadsheets and R."""

from __future__ import annotations

from typing import TextIO

import pandas as pd

from lfa_qual.export.cells import safe_frame


def write_csv(quotes: pd.DataFrame, stream: TextIO) -> None:
    """Text that a spreadsheet would run as a formula is written with a leading `'`."""
    safe_frame(quotes).to_csv(stream, index=False, lineterminator="\n")
