"""Reading transcript files of every supported type into `Transcript` records."""

from __future__ import annotations

from pathlib import Path

from lfa_qual.errors import TranscriptError
from lfa_qual.subtitles import read_subtitles
from lfa_qual.textfile import read_text_file
from lfa_qual.transcript import Transcript, parse_markdown

TEXT_SUFFIXES = {".md", ".txt"}
SUBTITLE_SUFFIXES = {".vtt", ".srt"}
DOCX_SUFFIXES = {".docx"}
SUFFIXES = TEXT_SUFFIXES | SUBTITLE_SUFFIXES | DOCX_SUFFIXES


def read_transcript(path: Path | str) -> Transcript:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text, warnings = read_text_file(path)
        return parse_markdown(text, path, warnings)
    if suffix in DOCX_SUFFIXES:
        from lfa_qual.docx_reader import read_docx

        return read_docx(path)
    if suffix in SUBTITLE_SUFFIXES:
        return read_subtitles(path)
    raise TranscriptError(
        f"unsupported file type {suffix or '(none)'}; use one of {', '.join(sorted(SUFFIXES))}",
        path=path,
    )


def transcript_files(folder: Path) -> list[Path]:
    """Transcript files directly in `folder`, sorted; sidecar .yaml files are not transcripts.

    A named pipe or a link to a device with a transcript's name is listed too, so that reading
    it stops with a clear message instead of it being skipped without a word; a dangling link is
    not (its transcript is reported as "file gone")."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.exists()
        and not p.is_dir()
        and p.suffix.lower() in SUFFIXES
        and not p.name.startswith((".", "~$"))
    )
