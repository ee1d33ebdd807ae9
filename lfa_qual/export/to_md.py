"""Quotes as Markdown: a heading per group, each quote a block quote ending with its citation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

import pandas as pd

from lfa_qual.analysis.quotes import Heading, outline


def write_md(
    quotes: pd.DataFrame,
    keys: Sequence[str],
    stream: TextIO,
    level_offset: int = 0,
    memos: bool = False,
) -> None:
    """`memos`: each quote's coding memos in italics under it (`--memos`)."""
    first = True
    for item in outline(quotes, keys):
        if not first:
            stream.write("\n")
        first = False
        if isinstance(item, Heading):
            stream.write(f"{'#' * (item.level + level_offset)} {item.text}\n")
            continue
        paragraphs = item.text.split("\n\n")
        paragraphs[-1] = f"{paragraphs[-1]} {item.citation}"
        stream.write("\n>\n".join(f"> {p}" for p in paragraphs) + "\n")
        if memos and item.memo:
            stream.write(f"\n*Memo: {' '.join(item.memo.split())}*\n")
