"""Decoding and normalising text, and mapping between offsets and lines.

Every offset anywhere in lfa-qual is a code-point offset into text normalised by `normalise`.
"""

from __future__ import annotations

import bisect
import hashlib
import re
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
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Windows editors' "Unicode": UTF-16 with a byte order mark.
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            pass
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


# Characters that are invisible or control the terminal: they break speaker-label and quote
# matching (a zero-width space before "E1:") or would reach the terminal UI as escape sequences.
# Tab, newline and form feed (a page break) stay.
INVISIBLE_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
# Line breaks other than \n that editors write; every offset counts lines by \n only.
LINE_BREAK_RE = re.compile("\r\n|[\r\x0b\u2028\u2029]")


def normalise(text: str) -> str:
    """Newlines to \\n, Unicode NFC, BOM, zero-width and control characters removed."""
    text = LINE_BREAK_RE.sub("\n", text)
    text = INVISIBLE_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def count_invisible(text: str) -> int:
    """How many characters `normalise` removes (a leading BOM is not counted)."""
    return len(INVISIBLE_RE.findall(text.removeprefix(BOM)))


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
