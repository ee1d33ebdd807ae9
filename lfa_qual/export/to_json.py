"""Quotes as JSON: a list of objects, one per quote and line, every column (UTF-8, <NA> as null).

Each record goes through `json.dumps` without indentation, which uses the standard library's C
encoder; the indenting encoder is pure Python and takes seconds for 100,000 quotes.
"""

from __future__ import annotations

import json
import math
from typing import Any, TextIO

import pandas as pd


def write_json(quotes: pd.DataFrame, stream: TextIO) -> None:
    keys = [str(c) for c in quotes.columns]
    columns = [_values(quotes.iloc[:, i]) for i in range(len(keys))]
    stream.write("[")
    for i, row in enumerate(zip(*columns, strict=True)):
        stream.write(",\n " if i else "\n ")
        stream.write(json.dumps(dict(zip(keys, row, strict=True)), ensure_ascii=False))
    stream.write("\n]\n")


def _values(series: pd.Series) -> list[Any]:
    values = series.astype(object).tolist()
    missing = series.isna().tolist()
    if pd.api.types.is_bool_dtype(series.dtype):
        return [None if m else bool(v) for v, m in zip(values, missing, strict=True)]
    if pd.api.types.is_integer_dtype(series.dtype):
        return [None if m else int(v) for v, m in zip(values, missing, strict=True)]
    if pd.api.types.is_float_dtype(series.dtype):
        return [
            None if m or not math.isfinite(v) else float(v)
            for v, m in zip(values, missing, strict=True)
        ]
    return [None if m else str(v) for v, m in zip(values, missing, strict=True)]
