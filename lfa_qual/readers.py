"""Reading transcript files of every supported type into `Transcript` records."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lfa_qual.errors import TranscriptError
from lfa_qual.text import count_invisible, decode_bytes, normalise
from lfa_qual.transcript import Transcript, parse_markdown

TEXT_SUFFIXES = {".md", ".txt"}
SUBTITLE_SUFFIXES = {".vtt", ".srt"}
DOCX_SUFFIXES = {".docx"}
SUFFIXES = TEXT_SUFFIXES | SUBTITLE_SUFFIXES | DOCX_SUFFIXES
# The largest transcript file read (text, subtitles or .docx): a 15-hour interview is a few MB.
MAX_FILE_BYTES = 50_000_000


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Only a regular file is read: a FIFO would block, a device (a link to /dev/zero) would never
    end. The file is opened without blocking and checked on the open descriptor, so a file
    swapped for something else between a check and the read is still refused; reading stops
    one byte past `limit`, so a file that grows while it is read is refused too.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise TranscriptError("no such file", path=path) from None
    except IsADirectoryError:
        raise TranscriptError("is a folder, not a transcript file", path=path) from None
    except PermissionError:
        raise TranscriptError("cannot read the file: permission denied", path=path) from None
    except OSError as exc:
        raise TranscriptError(f"cannot read the file: {exc.strerror}", path=path) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise TranscriptError("is a folder, not a transcript file", path=path)
        if not stat.S_ISREG(info.st_mode):
            raise TranscriptError(
                f"is {_kind(info.st_mode)}, not a regular file; only regular files are read",
                path=path,
            )
        if info.st_size > limit:
            raise TranscriptError(
                f"file is {info.st_size:,} bytes; the limit is {limit:,}", path=path
            )
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise TranscriptError(f"cannot read the file: {exc.strerror}", path=path) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise TranscriptError(f"file is larger than the limit of {limit:,} bytes", path=path)
    return data


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_text_file(path: Path) -> tuple[str, list[str]]:
    """Decoded, normalised text and any warnings (e.g. a cp1252 fallback)."""
    data = read_bytes(path)
    if b"\x00" in data[:8192] and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raise TranscriptError("binary file, not a text transcript", path=path, line=1)
    decoded = decode_bytes(data, str(path))
    warnings = list(decoded.warnings)
    removed = count_invisible(decoded.text)
    if removed:
        warnings.append(f"{path}: removed {removed} invisible or control character(s)")
    return normalise(decoded.text), warnings


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
        from lfa_qual.subtitles import read_subtitles

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
