"""Reading a text file from disk: a size limit, no binary files, decoding and normalisation.

Every reader of the user's text files (transcripts, sidecars, codebooks, the configuration)
goes through here, so they all get the same limits and the same messages.
"""

from __future__ import annotations

from pathlib import Path

from lfa_qual.errors import TranscriptError
from lfa_qual.text import count_invisible, decode_bytes, normalise
from lfa_qual.wording import number

MAX_FILE_BYTES = 50_000_000


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TranscriptError(
                f"file is {number(size)} bytes; the limit is {number(MAX_FILE_BYTES)}", path=path
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise TranscriptError("no such file", path=path) from None
    except IsADirectoryError:
        raise TranscriptError("is a folder, not a transcript file", path=path) from None
    except PermissionError:
        raise TranscriptError("cannot read the file: permission denied", path=path) from None
    except OSError as exc:
        raise TranscriptError(f"cannot read the file: {exc.strerror}", path=path) from None


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
