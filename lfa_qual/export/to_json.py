"""Quotes as JSON: a list of objects, one per quote and line, every column (UTF-8, <NA> as null)."""

from __future__ import annotations

import json
from typing import Any, TextIO

import pandas as pd


def write_json(quotes: pd.DataFrame, stream: TextIO) -> None:
    # One compact object per line: the standard library's indenting encoder is pure Python and
    # takes seconds for 100,000 quotes, and pandas' own writer escapes every "/" as "\/".
    plain = quotes.astype(object).where(quotes.notna(), None)
    stream.write("[")
    for i, record in enumerate(plain.to_dict("records")):
        stream.write(",\n " if i else "\n ")
        stream.write(json.dumps(record, ensure_ascii=False, default=_plain))
    stream.write("\n]\n")


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
