"""Pure text layout for the reader: soft-wrapped visual lines and selection units.

No Textual here, so the arithmetic is tested on its own and costs nothing to import.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from lfa_qual.transcript import Transcript

WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
# A sentence ends at . ! or ? followed by white space or the end of the paragraph. Not at "…":
# transcripts use it for a pause inside a sentence ("Øh … det er meget godt").
SENTENCE_END_RE = re.compile(r"[.!?]+[\"”»)]*(?=\s|$)")


def body_start(text: str) -> int:
    """Where the transcript body starts: after the YAML front matter, if there is one."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            return end + 5
    return 0


@dataclass
class Layout:
    """The text from `first` on, wrapped to `width` cells; `starts[i]..ends[i]` is visual line i."""

    text: str
    width: int
    first: int = 0

    def __post_init__(self) -> None:
        starts: list[int] = []
        ends: list[int] = []
        text, width = self.text, max(8, self.width)
        pos, n = self.first, len(self.text)
        while pos <= n:
            nl = text.find("\n", pos)
            line_end = n if nl == -1 else nl
            if line_end - pos <= width:
                starts.append(pos)
                ends.append(line_end)
            else:
                s = pos
                while line_end - s > width:
                    cut = text.rfind(" ", s, s + width)
                    cut = s + width if cut <= s else cut + 1
                    starts.append(s)
                    ends.append(cut)
                    s = cut
                starts.append(s)
                ends.append(line_end)
            if nl == -1:
                break
            pos = nl + 1
        self.starts, self.ends = starts, ends

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def location(self, offset: int) -> tuple[int, int]:
        line = self.line_of(offset)
        return line, offset - self.starts[line]

    def offset(self, line: int, col: int) -> int:
        line = max(0, min(line, len(self.starts) - 1))
        return min(self.starts[line] + max(col, 0), self.ends[line])

    @property
    def last(self) -> int:
        return len(self.text)


def word_at(text: str, offset: int) -> tuple[int, int]:
    """The word at (or the next word after) `offset`; an empty span at the end of the text."""
    for m in WORD_RE.finditer(text, max(0, offset - 64)):
        if m.end() > offset:
            return m.start(), m.end()
    return len(text), len(text)


def next_word_end(text: str, offset: int) -> int:
    m = WORD_RE.search(text, offset)
    if m and m.start() == offset and m.end() == offset:
        m = WORD_RE.search(text, offset + 1)
    return m.end() if m else len(text)


def prev_word_start(text: str, offset: int) -> int:
    start = max(0, offset - 200)
    best = 0 if start == 0 else start
    for m in WORD_RE.finditer(text, start, offset):
        if m.start() < offset:
            best = m.start()
    return best


def paragraphs(transcript: Transcript) -> list[tuple[int, int]]:
    return [(p.start, p.end) for t in transcript.turns for p in t.paragraphs]


def turns(transcript: Transcript) -> list[tuple[int, int]]:
    return [(t.start, t.end) for t in transcript.turns]


def unit_at(units: list[tuple[int, int]], offset: int) -> int:
    """Index of the unit containing `offset`, or the next one after it (clamped)."""
    i = bisect.bisect_right([s for s, _ in units], offset) - 1
    if i >= 0 and offset < units[i][1]:
        return i
    return min(i + 1, len(units) - 1)


def sentences(text: str, para: tuple[int, int]) -> list[tuple[int, int]]:
    """The sentences of one paragraph, trimmed of surrounding white space."""
    start, end = para
    out: list[tuple[int, int]] = []
    pos = start
    for m in SENTENCE_END_RE.finditer(text, start, end):
        out.append((pos, m.end()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    trimmed = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        if s < e:
            trimmed.append((s, e))
    return trimmed or [(start, end)]


def extend(
    units: list[tuple[int, int]], selection: tuple[int, int] | None, cursor: int
) -> tuple[int, int]:
    """Select the unit at the cursor, or, with a selection, grow it by the next unit."""
    if not units:
        return (cursor, cursor)
    if selection is None or selection[0] == selection[1]:
        i = unit_at(units, cursor)
        # Just after a unit (e.g. where the last selection ended): take that unit.
        if not units[i][0] <= cursor < units[i][1] and i > 0 and units[i - 1][1] == cursor:
            i -= 1
        return units[i]
    start, end = selection
    i = unit_at(units, end)
    if units[i][0] < end:  # `end` lies inside unit i: finish it first
        if units[i][1] > end:
            return (start, units[i][1])
        i += 1
    i = min(i, len(units) - 1)
    return (start, max(end, units[i][1]))
