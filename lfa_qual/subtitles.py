"""WebVTT and SRT files from automatic transcription.

The header (school, date, speakers) comes from a sidecar `NAME.yaml` beside the file, since
subtitle formats have no place for it. A cue's speaker is `<v Name>` or a `Name:` prefix; Name is
a declared speaker label or role. Consecutive cues of one speaker become one turn that keeps the
first cue's timestamp. A named cue's text is speech: when it would read as a label or a page
marker on a line of its own, it starts a turn line of its own instead.

Nothing is dropped silently: every block of the file is a cue, a WebVTT header/NOTE/STYLE/REGION
block, or an error naming its line (text outside a cue, a malformed or impossible timing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lfa_qual.errors import TranscriptError
from lfa_qual.textfile import read_text_file
from lfa_qual.transcript import (
    LABEL_LIKE_RE,
    LABEL_RE,
    PAGE_RE,
    Speaker,
    Transcript,
    build_transcript,
    parse_body,
    parse_header,
)

# One cue time: [hours:]minutes:seconds.milliseconds (SRT writes a comma).
TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
# A cue's timing line; WebVTT may add cue settings after the end time.
TIMING_RE = re.compile(rf"^\s*{TIME}\s*-->\s*{TIME}(?:\s+.*)?$")
# A line that was meant as a timing line but is not one ("00:01.000 -> 00:02.000").
TIMING_LIKE_RE = re.compile(r"^\s*\d{1,3}:\d{1,2}|-->|->")
VOICE_RE = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>")
PREFIX_RE = re.compile(r"^([^:<>]{1,40}):\s")
TAG_RE = re.compile(r"</?[^>]+>")
# WebVTT blocks that are not cues.
OTHER_BLOCK_RE = re.compile(r"^(WEBVTT|NOTE|STYLE|REGION)(\s|$)")


@dataclass
class Cue:
    line: int
    timestamp: str
    speaker: str | None
    text: str
    # The speaker was named (a voice tag or a `Name:` prefix): what follows is speech, even
    # when it looks like a label or a page marker.
    named: bool = False


def _seconds(parts: tuple[str | None, ...]) -> tuple[float, str | None]:
    """Seconds since the start, and what is impossible about the time (None when nothing)."""
    hours, minutes, seconds, millis = parts
    h, m, s = int(hours or 0), int(minutes or 0), int(seconds or 0)
    if m >= 60 or s >= 60:
        return 0.0, "minutes and seconds run from 00 to 59"
    return h * 3600 + m * 60 + s + int((millis or "0").ljust(3, "0")) / 1000, None


def _timestamp(parts: tuple[str | None, ...]) -> str:
    hours, minutes, seconds, _ = parts
    return f"{int(hours or 0):02d}:{int(minutes or 0):02d}:{int(seconds or 0):02d}"


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the 1-based number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                blocks.append((number, current))
            current.append(line)
        else:
            current = []
    return blocks


def _cue(first: int, block: list[str]) -> Cue | tuple[int, str] | None:
    """The cue of one block, None for a block that is no cue (WEBVTT, NOTE), or a problem:
    (line, message)."""
    if OTHER_BLOCK_RE.match(block[0].strip()):
        return None
    # A cue is an optional identifier (SRT's number), the timing line, then its text.
    timed = [bool(TIMING_LIKE_RE.search(line)) for line in block[:2]]
    at = 1 if not timed[0] and len(timed) > 1 and timed[1] else 0
    timing = block[at]
    m = TIMING_RE.match(timing)
    if not m:
        if TIMING_LIKE_RE.search(timing):
            return (
                first + at,
                f"bad cue timing {timing.strip()!r}; write 'HH:MM:SS.mmm --> HH:MM:SS.mmm'",
            )
        return first, f"text outside a cue (no timing line before it): {block[0].strip()!r}"
    start, problem = _seconds(m.groups()[:4])
    end, problem_end = _seconds(m.groups()[4:])
    if problem or problem_end:
        return first + at, f"impossible cue time {timing.strip()!r}: {problem or problem_end}"
    if end < start:
        return first + at, f"the cue ends before it starts: {timing.strip()!r}"
    raw = " ".join(line.strip() for line in block[at + 1 :])
    speaker = None
    vm = VOICE_RE.match(raw)
    if vm:
        speaker = vm[1].strip()
        raw = raw[vm.end() :]
    else:
        pm = PREFIX_RE.match(raw)
        if pm:
            speaker = pm[1].strip()
            raw = raw[pm.end() :]
    # A form feed is a page break to the turn parser; in a cue it is only white space.
    cleaned = TAG_RE.sub("", raw).replace("\f", " ").strip()
    if not cleaned:
        return None  # a cue without words loses nothing
    return Cue(first + at, _timestamp(m.groups()[:4]), speaker, cleaned, speaker is not None)


def parse_cues(text: str, source: str = "") -> list[Cue]:
    """Every cue with text. A block that is not a cue (text outside a cue, a bad or impossible
    timing line) is an error naming its line, never silently dropped."""
    cues: list[Cue] = []
    problems: list[tuple[int, str]] = []
    for first, block in _blocks(text.split("\n")):
        cue = _cue(first, block)
        if isinstance(cue, tuple):
            problems.append(cue)
        elif cue is not None:
            cues.append(cue)
    if problems:
        line, message = problems[0]
        if len(problems) > 1:
            others = ", ".join(str(n) for n, _ in problems[1:11])
            message += f" (and {len(problems) - 1} more problem(s), at line(s) {others})"
        raise TranscriptError(message, path=source, line=line)
    return cues


def _resolve(name: str, speakers: dict[str, Speaker]) -> str | None:
    if name in speakers:
        return name
    folded = name.casefold()
    for label, sp in speakers.items():
        if label.casefold() == folded or sp.role.casefold() == folded:
            return label
    return None


def _markup(text: str, header) -> bool:
    """Whether a line of `text` on its own would be read as a speaker label or a page marker.
    A named cue's text is speech: it then starts a turn line of its own ("I: [time] E1: …"),
    where only the line's first label counts."""
    lm = LABEL_RE.match(text)
    if lm and (lm[1] in header.speakers or LABEL_LIKE_RE.match(lm[1])):
        return True
    return bool(PAGE_RE.match(text))


def read_subtitles(path: Path) -> Transcript:
    source = str(path)
    sidecar = path.with_suffix(".yaml")
    if not sidecar.exists():
        raise TranscriptError(
            f"subtitles need a header: write school, date and speakers in {sidecar.name} beside it",
            path=path,
        )
    fm, warnings = read_text_file(sidecar)
    header = parse_header(fm, str(sidecar), path.stem, first_line=1)
    text, more = read_text_file(path)
    warnings += more
    cues = parse_cues(text, source)
    if not cues:
        raise TranscriptError("empty transcript: no cues with text", path=path, line=1)

    body_lines: list[str] = []
    line_of_body: list[int] = []
    previous: str | None = None
    for cue in cues:
        label = previous
        if cue.speaker is not None:
            label = _resolve(cue.speaker, header.speakers)
            if label is None:
                raise TranscriptError(
                    f"speaker {cue.speaker!r} is not declared in {sidecar.name} "
                    "(name it as a label or a role under 'speakers')",
                    path=path,
                    line=cue.line,
                )
        if label is None:
            raise TranscriptError(
                "cue without a speaker before any named speaker", path=path, line=cue.line
            )
        if label == previous and body_lines and not (cue.named and _markup(cue.text, header)):
            body_lines.insert(len(body_lines) - 1, cue.text)
            line_of_body.insert(len(line_of_body) - 1, cue.line)
        else:
            body_lines += [f"{label}: [{cue.timestamp}] {cue.text}", ""]
            line_of_body += [cue.line, cue.line]
        previous = label

    head = "---\n" + fm.rstrip("\n") + "\n---\n"
    body = "\n".join(body_lines)
    first_line = head.count("\n") + 1
    turns = parse_body(
        body,
        header.speakers,
        source,
        base=len(head),
        first_line=first_line,
        line_name=lambda n: line_of_body[min(n - first_line, len(line_of_body) - 1)],
    )
    return build_transcript(header, head + body, turns, source, warnings)
