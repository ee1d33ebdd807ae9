"""WebVTT and SRT files from automatic transcription.

The header (school, date, speakers) comes from a sidecar `NAME.yaml` beside the file, since
subtitle formats have no place for it. A cue's speaker is `<v Name>` or a `Name:` prefix; Name is
a declared speaker label or role. Consecutive cues of one speaker become one turn that keeps the
first cue's timestamp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lfa_qual.errors import TranscriptError
from lfa_qual.textfile import read_text_file
from lfa_qual.transcript import Speaker, Transcript, build_transcript, parse_body, parse_header

TIMING_RE = re.compile(
    r"^\s*(\d{1,2}:)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
)
VOICE_RE = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>")
PREFIX_RE = re.compile(r"^([^:<>]{1,40}):\s")
TAG_RE = re.compile(r"</?[^>]+>")


@dataclass
class Cue:
    line: int
    timestamp: str
    speaker: str | None
    text: str


def _timestamp(m: re.Match[str]) -> str:
    hours = int(m[1][:-1]) if m[1] else 0
    return f"{hours:02d}:{int(m[2]):02d}:{int(m[3]):02d}"


def parse_cues(text: str) -> list[Cue]:
    cues: list[Cue] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = TIMING_RE.match(lines[i])
        if not m:
            i += 1
            continue
        cue_line = i + 1
        i += 1
        parts: list[str] = []
        while i < len(lines) and lines[i].strip():
            parts.append(lines[i].strip())
            i += 1
        raw = " ".join(parts)
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
        cleaned = TAG_RE.sub("", raw).strip()
        if cleaned:
            cues.append(Cue(cue_line, _timestamp(m), speaker, cleaned))
    return cues


def _resolve(name: str, speakers: dict[str, Speaker]) -> str | None:
    if name in speakers:
        return name
    folded = name.casefold()
    for label, sp in speakers.items():
        if label.casefold() == folded or sp.role.casefold() == folded:
            return label
    return None


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
    cues = parse_cues(text)
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
        if label == previous and body_lines:
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
