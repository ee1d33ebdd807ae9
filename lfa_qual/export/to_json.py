"""Quotes as JSON: a list of objects, one per quote and line, every column (UTF-8, <NA> as null).

Each line is exactly what `json.dumps(record, ensure_ascii=False)` gives, but built a column at a
time: every value is encoded with the standard library's own encoders (the C string encoder,
`int.__repr__`, `float.__repr__`), then each line is filled in from one template. Calling
`json.dumps` per record costs most of a second at 100,000 quotes.
"""

from __future__ import annotations

import math
from json.encoder import encode_basestring  # the encoder json.dumps uses with ensure_ascii=False
from typing import Any, TextIO

import numpy as np
import pandas as pd

CHUNK = 10_000  # records encoded at a time, so that memory stays flat


def write_json(quotes: pd.DataFrame, stream: TextIO) -> None:
    keys = [str(c) for c in quotes.columns]
    # "{"key": %s, "other": %s}" with the keys encoded as json.dumps encodes them.
    template = "{" + ", ".join(encode_basestring(k).replace("%", "%%") + ": %s" for k in keys) + "}"
    stream.write("[")
    for begin in range(0, len(quotes), CHUNK):
        part = quotes.iloc[begin : begin + CHUNK]
        columns = [_encoded(part.iloc[:, i]) for i in range(len(keys))]
        stream.write(",\n " if begin else "\n ")
        stream.write(",\n ".join(map(template.__mod__, zip(*columns, strict=True))))
    stream.write("\n]\n")


def _encoded(series: pd.Series) -> list[str]:
    """Each value of the column as json.dumps writes it inside a record."""
    complete = not series.isna().any()
    if complete and _is_text(series):  # the common cases, one C-level map each
        return list(map(encode_basestring, series.tolist()))
    if series.dtype.kind == "i" or (series.dtype.kind == "u" and series.dtype.itemsize < 8):
        # Integers, also nullable ones (Int64): missing values become null afterwards.
        out = list(map(int.__repr__, series.to_numpy(dtype=np.int64, na_value=0).tolist()))
        for i in np.flatnonzero(series.isna().to_numpy()).tolist():
            out[i] = "null"
        return out
    return ["null" if v is None else _json(v) for v in _values(series)]


def _is_text(series: pd.Series) -> bool:
    """pandas' string dtype, which holds only str (an object column may hold anything)."""
    return isinstance(series.dtype, pd.StringDtype)


def _json(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return float.__repr__(value)
    return encode_basestring(value)


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
