"""Decoding and normalising text, and mapping between offsets and lines.

Every offset anywhere in lfa-qual is a code-point offset into text normalised by `normalise`.
"""

from __future__ import annotations

import bisect
import hashlib
import unicodedata
from dataclasses import dataclass, field

BOM = "\ufeff"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes, source: str) -> Decoded:
    """UTF-8 (with or without BOM) first; cp1252 as the fallback, with a warning.

    cp1252 rather than latin-1 because Windows editors write it, and it is a superset for the
    Danish letters; bytes undefined in cp1252 fall back to latin-1 so reading never fails.
    """
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        enc = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        enc = "latin-1"
    return Decoded(text, enc, (f"{source}: not UTF-8, read as {enc}",))


def normalise(text: str) -> str:
    """Newlines to \\n, Unicode NFC, BOM removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace(BOM, "")
    return unicodedata.normalize("NFC", text)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class LineIndex:
    """Line starts of a text, for O(log n) offset <-> (row, col) mapping."""

    text: str
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.starts = starts

    def row_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def location(self, offset: int) -> tuple[int, int]:
        row = self.row_of(offset)
        return row, offset - self.starts[row]

    def offset(self, row: int, col: int) -> int:
        row = max(0, min(row, len(self.starts) - 1))
        return self.starts[row] + col

    def line_count(self) -> int:
        return len(self.starts)
