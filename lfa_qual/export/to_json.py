"""Quotes as JSON: a list of objects, one per quote, with every column (UTF-8, <NA> as null)."""

from __future__ import annotations

from typing import TextIO

import pandas as pd


def write_json(quotes: pd.DataFrame, stream: TextIO) -> None:
    # pandas' own writer: the standard library's indenting encoder is pure Python and takes
    # seconds for 100,000 quotes.
    stream.write(quotes.to_json(orient="records", force_ascii=False, indent=1))
    stream.write("\n")
