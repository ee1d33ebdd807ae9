"""Quotes as JSON: a list of objects, one per quote, with every column."""

from __future__ import annotations

import json
from typing import Any, TextIO

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values (pandas' <NA> becomes null)."""
    columns = list(frame.columns)
    out = []
    for row in frame.astype(object).itertuples(index=False, name=None):
        out.append({c: (None if v is pd.NA else v) for c, v in zip(columns, row, strict=True)})
    return out


def write_json(quotes: pd.DataFrame, stream: TextIO) -> None:
    json.dump(records(quotes), stream, ensure_ascii=False, indent=1, default=_plain)
    stream.write("\n")


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
