"""Quotes as CSV (UTF-8, one row per quote, every column) for spreadsheets and R."""

from __future__ import annotations

from typing import TextIO

import pandas as pd


def write_csv(quotes: pd.DataFrame, stream: TextIO) -> None:
    quotes.to_csv(stream, index=False, lineterminator="\n")
