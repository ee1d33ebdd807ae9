"""Writing an output file safely: never onto the project's own files, never half-written.

Every export writes through `replacing` (a temporary file in the same folder, renamed into
place only when complete), so a kill or a full disk leaves the previous file as it was. Before
that, `check_output_path` refuses a path that is one of the project's own files (the store and
its companions, the configuration, the codebook, a transcript).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from lfa_qual.errors import LfaError

STORE_COMPANIONS = ("-wal", "-shm", "-journal")


class OutputRefused(LfaError):
    """An output path that would overwrite one of the project's own files."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def protected_reason(path: Path, project) -> str | None:
    """Why `path` must not be written by an export, or None when it may be."""
    db = project.db_path
    if _same_file(path, db):
        return "it is the project store"
    resolved = path.resolve()
    if resolved.parent == db.resolve().parent:
        name = resolved.name
        if any(name == db.name + suffix for suffix in STORE_COMPANIONS):
            return "it belongs to the project store"
        stem = db.stem
        if name.startswith(stem + ".") and name.endswith(db.suffix) and name != db.name:
            return "it is a backup of the project store"
    if _same_file(path, project.root / "lfa-qual.yaml"):
        return "it is the project configuration"
    if _same_file(path, project.codebook_path):
        return "it is the project codebook"
    transcripts = project.transcripts_dir.resolve()
    if resolved.is_relative_to(transcripts):
        return "it is in the transcripts folder"
    return None


def check_output_path(path: Path, project) -> None:
    """Refuse an output path that is one of the project's own files."""
    reason = protected_reason(path, project)
    if reason:
        raise OutputRefused(
            f"refusing to write an export here: {reason}; choose another --out", path=path
        )


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to `path`; rename it onto `path` when the block succeeds."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise LfaError(f"cannot write the file: {exc.strerror}", path=path) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise LfaError(f"cannot write the file: {exc.strerror}", path=path) from None
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def replacing_text(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """A text stream whose content replaces `path` only when the block succeeds."""
    with replacing(path) as tmp, tmp.open("w", encoding="utf-8", newline=newline) as stream:
        yield stream
