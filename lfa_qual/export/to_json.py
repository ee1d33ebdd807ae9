"""Quotes as JSON: a list of objects, one per quote and line, every column (UTF-8, <NA> as null).

Encoded column by column with the standard library's C string encoder: the indenting
`json.dump` is pure Python and takes seconds for 100,000 quotes, and pandas' own writer escapes
every "/" as "\\/".
"""

from __future__ import annotations

import math
from json.encoder import encode_basestring
from typing import TextIO

import pandas as pd


def write_json(quotes: pd.DataFrame, stream: TextIO) -> None:
    keys = [encode_basestring(str(c)) + ": " for c in quotes.columns]
    columns = [_column(quotes.iloc[:, i]) for i in range(len(keys))]
    stream.write("[")
    for i, row in enumerate(zip(*columns, strict=True)):
        stream.write(",\n " if i else "\n ")
        stream.write("{" + ", ".join(k + v for k, v in zip(keys, row, strict=True)) + "}")
    stream.write("\n]\n")


def _column(series: pd.Series) -> list[str]:
    values = series.astype(object).tolist()
    pairs = zip(values, series.isna().tolist(), strict=True)
    if pd.api.types.is_bool_dtype(series.dtype):
        return ["null" if m else ("true" if v else "false") for v, m in pairs]
    if pd.api.types.is_integer_dtype(series.dtype):
        return ["null" if m else str(int(v)) for v, m in pairs]
    if pd.api.types.is_float_dtype(series.dtype):
        return ["null" if m or not math.isfinite(v) else repr(float(v)) for v, m in pairs]
    return ["null" if m else encode_basestring(str(v)) for v, m in pairs]
