"""Writing an output file safely: never onto the project's own files, never half-written,
never over a file the researcher made.

Every export writes through `export_file` / `export_text`:
- `check_output_path` refuses a path that is one of the project's own files (the store and its
  companions and backups, the configuration, the codebook, a transcript);
- an existing file is replaced only if it is an earlier export of ours, unchanged since: the
  store's `exports` table records each file an export wrote (resolved path and SHA-256), and
  the file must still have that hash. Anything else needs `force` (`--force` in the CLI);
- the content goes to a temporary file in the same folder, which is renamed onto the path only
  when complete (`replacing`), so a kill or a full disk leaves the previous file as it was.
A device (`/dev/stdout`, `/dev/full`) or a pipe is written directly: there is no file to keep.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from lfa_qual.errors import LfaError, StoreError

STORE_COMPANIONS = ("-wal", "-shm", "-journal")


class OutputRefused(LfaError):
    """An output path that would overwrite one of the project's own files, or a file that is
    not an earlier export (without `force`)."""


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


def os_problem(exc: OSError, path: Path) -> LfaError:
    """An OSError while writing `path` as a message a user can act on."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        text = (
            "the disk is full: the file was not written (an earlier file there is unchanged); "
            "free some space and try again"
        )
    elif exc.errno == errno.EFBIG:
        text = (
            "the file would exceed the size limit for files (ulimit -f or the file system's): "
            "it was not written (an earlier file there is unchanged)"
        )
    else:
        text = f"cannot write the file: {exc.strerror or exc}"
    return LfaError(text, path=path)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_earlier_export(path: Path, project) -> bool:
    """Whether `path` holds exactly what an earlier export of this project wrote there."""
    row = project.store.read_one(
        "SELECT sha256 FROM exports WHERE path = ?", (str(path.resolve()),)
    )
    try:
        return row is not None and file_sha256(path) == row["sha256"]
    except OSError:
        return False


def _is_device(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def prepare_export(project, path: Path, *, force: bool = False) -> Path:
    """Check that an export may write `path`; returns the path to write (a symbolic link's
    target, so that the link stays a link)."""
    path = Path(path)
    target = path.resolve() if path.is_symlink() else path
    check_output_path(target, project)
    if target.is_dir():
        raise OutputRefused("that is a folder; give a file name to --out", path=path)
    if _is_device(target):
        return target
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise LfaError("the folder for the output does not exist; create it first", path=folder)
    if target.exists() and not force and not is_earlier_export(target, project):
        raise OutputRefused(
            "the file exists and is not an earlier lfa-qual export (or was changed since); "
            "choose another --out, or add --force to replace it",
            path=path,
        )
    return target


@contextmanager
def export_file(project, path: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a path to write the export to; it replaces `path` when the block succeeds, and
    is recorded as an export of ours."""
    target = prepare_export(project, path, force=force)
    if _is_device(target):
        try:
            yield target
        except OSError as exc:
            raise os_problem(exc, path) from None
        return
    with replacing(target) as tmp:
        yield tmp
        digest, size = file_sha256(tmp), tmp.stat().st_size
    record_export(project, target, digest, size)


@contextmanager
def export_text(
    project, path: Path, *, force: bool = False, newline: str | None = None
) -> Iterator[TextIO]:
    """A text stream whose content replaces `path` (see `export_file`)."""
    with export_file(project, path, force=force) as tmp:
        try:
            stream = tmp.open("w", encoding="utf-8", newline=newline)
        except OSError as exc:
            raise os_problem(exc, path) from None
        with stream:
            yield stream


def record_export(project, path: Path, digest: str, size: int) -> None:
    """Remember that we wrote `path`; a store that cannot record it (read-only) only means
    that the next export to this path asks for --force."""
    from lfa_qual.store import now

    try:
        with project.store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO exports(path, sha256, bytes, written) VALUES (?,?,?,?)",
                (str(path.resolve()), digest, size, now()),
            )
    except StoreError:
        pass


def _temporary(path: Path) -> Path:
    """A new file beside `path` with the permissions a new file gets (the umask), or the
    existing file's own permissions."""
    folder = path.parent if str(path.parent) else Path(".")
    for _ in range(100):
        tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        with suppress(OSError):
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        return tmp
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to `path`; rename it onto `path` when the block succeeds."""
    try:
        tmp = _temporary(path)
    except OSError as exc:
        raise os_problem(exc, path) from None
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _sync_folder(path)
    except OSError as exc:
        raise os_problem(exc, path) from None
    finally:
        tmp.unlink(missing_ok=True)


def _sync_folder(path: Path) -> None:
    """Make the rename itself durable (where the system allows opening a folder)."""
    try:
        fd = os.open(path.parent if str(path.parent) else ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def replacing_text(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """A text stream whose content replaces `path` only when the block succeeds."""
    with replacing(path) as tmp, tmp.open("w", encoding="utf-8", newline=newline) as stream:
        yield stream
