"""Suspects in transcripts: which parts of a transcript are scanned, and the records the CLI,
the TUI and the export gate share."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from lfa_qual.names.detect import NameContext, Suspect, find_suspects, vocabulary
from lfa_qual.text import LineIndex
from lfa_qual.transcript import Transcript

FIELDS = ["interview", "file", "line", "column", "start", "end", "text", "kind", "reason", "score"]


@dataclass(frozen=True)
class SuspectRecord:
    interview: str
    file: str
    line: int  # 1-based line in the stored text (the file's text after normalisation)
    column: int  # 1-based, in code points
    start: int
    end: int
    text: str
    kind: str
    reason: str
    score: float

    def as_dict(self) -> dict:
        d = asdict(self)
        d["score"] = round(self.score, 3)
        return d


def transcript_context(transcript: Transcript, base: NameContext | None = None) -> NameContext:
    """The project's context plus this transcript's speaker roles (never names)."""
    base = base or NameContext()
    roles = vocabulary(s.role for s in transcript.speakers.values())
    roles |= vocabulary([transcript.school])
    ctx = NameContext(allowed=base.allowed | roles, key=base.key)
    return ctx


def scanned_spans(transcript: Transcript) -> list[tuple[int, int]]:
    """The spoken text: every paragraph of every turn (labels, pages and the header are not)."""
    return [(p.start, p.end) for turn in transcript.turns for p in turn.paragraphs]


def transcript_suspects(
    transcript: Transcript, context: NameContext | None = None
) -> list[Suspect]:
    ctx = transcript_context(transcript, context)
    return find_suspects(transcript.text, ctx, scanned_spans(transcript))


def records(transcript: Transcript, suspects: list[Suspect], file: str = "") -> list[SuspectRecord]:
    index = LineIndex(transcript.text)
    out = []
    for s in suspects:
        row, col = index.location(s.start)
        out.append(
            SuspectRecord(
                transcript.interview,
                file or transcript.source,
                row + 1,
                col + 1,
                s.start,
                s.end,
                s.text,
                s.kind,
                s.reason,
                s.score,
            )
        )
    return out
