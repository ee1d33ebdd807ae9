"""Reading a text file from disk: a size limit, no binary files, decoding and normalisation.

Every reader of the user's text files (transcripts, sidecars, codebooks, the configuration)
goes through here, so they all get the same limits and the same messages.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from lfa_qual.errors import LfaError, TranscriptError
from lfa_qual.text import count_invisible, decode_bytes, normalise
from lfa_qual.wording import number

# The largest transcript file read (text, subtitles or .docx): a 15-hour interview is a few MB.
MAX_FILE_BYTES = 50_000_000


def open_regular_file(
    path: Path, *, error: type[LfaError] = TranscriptError, what: str = "transcript file"
) -> BinaryIO:
    """A regular file opened for reading; anything else raises `error` (the reader's own kind
    of error; `what` names the file in its message).

    A FIFO would block, a device (a link to /dev/zero) would never end. The file is opened
    without blocking and checked on the open descriptor, so a file swapped for something else
    between a check and the read is still refused.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise error("no such file", path=path) from None
    except IsADirectoryError:
        raise error(f"is a folder, not a {what}", path=path) from None
    except PermissionError:
        raise error("cannot read the file: permission denied", path=path) from None
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", path=path) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise error(f"is a folder, not a {what}", path=path)
        if not stat.S_ISREG(mode):
            raise error(
                f"is {_kind(mode)}, not a regular file; only regular files are read", path=path
            )
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(
    path: Path,
    limit: int = MAX_FILE_BYTES,
    *,
    error: type[LfaError] = TranscriptError,
    what: str = "transcript file",
) -> bytes:
    """The bytes of a regular file (`open_regular_file`) of at most `limit` bytes; reading stops
    one byte past `limit`, so a file that grows while it is read is refused too."""
    with open_regular_file(path, error=error, what=what) as f:
        try:
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                raise error(
                    f"file is {number(size)} bytes; the limit is {number(limit)}", path=path
                )
            data = f.read(limit + 1)
        except OSError as exc:
            raise error(f"cannot read the file: {exc.strerror}", path=path) from None
    if len(data) > limit:
        raise error(f"file is larger than the limit of {number(limit)} bytes", path=path)
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
