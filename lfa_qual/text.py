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
    """UTF-8 (with or without BOM) first; line by line with cp1252 as the fallback, with a warning.

    Decoding is per line so that valid text is never corrupted: a UTF-8 file with one pasted
    latin-1 line keeps its UTF-8 lines as they are ("går" stays "går") and only the lines that
    are not valid UTF-8 are read as cp1252; the warning names them. cp1252 rather than latin-1
    because Windows editors write it, and it is a superset for the Danish letters; bytes
    undefined in cp1252 fall back to latin-1 so reading never fails. Splitting at b"\\n" is safe
    in both encodings (that byte is never part of a UTF-8 sequence).
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
    lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    out: list[str] = []
    fallback: list[int] = []
    utf8_non_ascii = False
    enc = "cp1252"
    for number, line in enumerate(lines, start=1):
        try:
            out.append(line.decode("utf-8"))
            utf8_non_ascii = utf8_non_ascii or not line.isascii()
            continue
        except UnicodeDecodeError:
            fallback.append(number)
        try:
            out.append(line.decode("cp1252"))
        except UnicodeDecodeError:
            out.append(line.decode("latin-1"))
            enc = "cp1252/latin-1"
    text = "\n".join(out)
    if not utf8_non_ascii:
        # No line needed UTF-8: the whole file is in the old encoding, as before.
        return Decoded(text, enc, (f"{source}: not UTF-8, read as {enc}",))
    return Decoded(
        text,
        "utf-8+" + enc,
        (
            f"{source}: line(s) {_line_list(fallback)} are not UTF-8 and were read as {enc}; "
            "the other lines are UTF-8 (check those lines, or save the file as UTF-8)",
        ),
    )


def _line_list(numbers: list[int], most: int = 10) -> str:
    shown = ", ".join(map(str, numbers[:most]))
    return shown + (f" and {len(numbers) - most} more" if len(numbers) > most else "")


# Characters that are invisible or control the terminal: they break speaker-label and quote
# matching (a zero-width space before "E1:") or would reach the terminal UI as escape sequences.
# Tab, newline and form feed (a page break) stay. The bidi embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069) reorder what is shown, so a passage could be displayed as
# something else than what is coded: they go too. Removing characters changes the text hash only
# of a text that contains them, so stores of texts without them are not re-anchored.
INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
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
