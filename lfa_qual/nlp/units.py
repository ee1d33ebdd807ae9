"""The passages a suggestion is made for: paragraphs inside a speaker's turn.

A long paragraph is split later, after sentence splitting, into windows of a few sentences
(see `windows`), so that a suggestion points at a quotable passage, not at a whole monologue.
Interviewer turns are skipped unless asked for: researchers code the answers, not the questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from lfa_qual.codings import trim_span
from lfa_qual.transcript import Transcript

# A paragraph longer than this (in tokens) is split into windows of WINDOW_SENTENCES sentences.
LONG_PARAGRAPH_TOKENS = 140
WINDOW_SENTENCES = 3


@dataclass(frozen=True)
class Unit:
    interview: str
    start: int
    end: int
    turn: int  # 1-based turn number
    label: str  # speaker label, e.g. SL
    role: str  # speaker role, e.g. Skoleleder
    label_start: int  # offset of the speaker label that opens the turn (role evidence), or -1


def paragraph_units(transcript: Transcript, include_interviewer: bool = False) -> list[Unit]:
    units: list[Unit] = []
    text = transcript.text
    for turn in transcript.turns:
        speaker = transcript.speakers.get(turn.label)
        if speaker is None or (speaker.interviewer and not include_interviewer):
            continue
        label_start = text.rfind(f"{turn.label}:", 0, turn.start + 1)
        for para in turn.paragraphs:
            start, end = trim_span(text, para.start, para.end)
            if start < end:
                units.append(
                    Unit(
                        transcript.interview,
                        start,
                        end,
                        turn.index,
                        turn.label,
                        speaker.role,
                        label_start,
                    )
                )
    return units


def windows(sentence_bounds: list[tuple[int, int]], n_tokens: int) -> list[tuple[int, int]]:
    """Token ranges for one paragraph: the whole of it, or runs of WINDOW_SENTENCES sentences."""
    if n_tokens <= LONG_PARAGRAPH_TOKENS or len(sentence_bounds) <= WINDOW_SENTENCES:
        return [(0, n_tokens)]
    out = []
    for i in range(0, len(sentence_bounds), WINDOW_SENTENCES):
        group = sentence_bounds[i : i + WINDOW_SENTENCES]
        out.append((group[0][0], group[-1][1]))
    # A last window of one short sentence reads badly on its own: join it to the one before.
    if len(out) > 1 and out[-1][1] - out[-1][0] < 12:
        last = out.pop()
        out[-1] = (out[-1][0], last[1])
    return out
