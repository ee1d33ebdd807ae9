"""A vendor's text and character positions, turned into lfa-qual's normalised text and offsets.

lfa-qual counts code points in text normalised by `lfa_qual.text.normalise` (line breaks to
\\n, invisible characters removed, NFC), end exclusive. A REFI-QDA archive counts code points
of its own text, which may hold CRLF line breaks (MAXQDA writes them); ATLAS.ti counts a CRLF
as one character. `Mapped` keeps, for every character of the normalised text, where it came
from, so that any position of the original text finds its normalised offset by bisection.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass

from lfa_qual.text import INVISIBLE_RE, LINE_BREAK_RE, normalise


@dataclass(frozen=True)
class Mapped:
    text: str  # normalised
    length: int  # the length of the vendor's text in the vendor's counting
    origin: list[int] | None  # vendor position of each normalised character; None: identity

    def offset(self, position: int) -> int:
        """The normalised offset of a vendor position (a start, or an exclusive end)."""
        if self.origin is None:
            return position
        return bisect.bisect_left(self.origin, position)


def to_utf16_origin(text: str) -> list[int]:
    """UTF-16 unit position of each code point of `text` (for tools that count UTF-16 units)."""
    out, pos = [], 0
    for ch in text:
        out.append(pos)
        pos += 2 if ord(ch) > 0xFFFF else 1
    return out


def map_text(raw: str, *, crlf_as_one: bool = False, utf16: bool = False) -> Mapped:
    """Normalise `raw` and keep the way back to the vendor's positions.

    `crlf_as_one`: the vendor counts CRLF as one character (ATLAS.ti). `utf16`: the vendor
    counts UTF-16 units, so a character outside the BMP (an emoji) counts two.
    """
    raw = raw.removeprefix("\ufeff")
    counted = raw.replace("\r\n", "\n") if crlf_as_one else raw
    if not utf16:
        text = normalise(counted)
        if text == counted:
            return Mapped(text, len(counted), None)
    units = to_utf16_origin(counted) if utf16 else list(range(len(counted)))
    length = (
        (units[-1] + (2 if ord(counted[-1]) > 0xFFFF else 1)) if utf16 and counted else len(counted)
    )
    # Line breaks and invisible characters, with the position each kept character had.
    chars: list[str] = []
    origin: list[int] = []
    i, n = 0, len(counted)
    while i < n:
        m = LINE_BREAK_RE.match(counted, i)
        if m:
            chars.append("\n")
            origin.append(units[i])
            i = m.end()
            continue
        ch = counted[i]
        if not INVISIBLE_RE.match(ch):
            chars.append(ch)
            origin.append(units[i])
        i += 1
    text = "".join(chars)
    if unicodedata.is_normalized("NFC", text):
        return Mapped(text, length, origin)
    # NFC, one base character with its combining marks at a time; each output character comes
    # from the group's first position.
    out: list[str] = []
    out_origin: list[int] = []
    start = 0
    for j in range(1, len(text) + 1):
        if j == len(text) or not unicodedata.combining(text[j]):
            group = unicodedata.normalize("NFC", text[start:j])
            out.append(group)
            out_origin += [origin[start]] * len(group)
            start = j
    return Mapped("".join(out), length, out_origin)
