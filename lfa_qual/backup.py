"""Backups through SQLite's online backup API: consistent even while another process writes.

Backups are ordinary SQLite files next to the store, named `STORE.LABEL-YYYYmmdd-HHMMSS.db`:
`backup` (made on request), `pre-migration` (before a newer lfa-qual changes the schema),
`pre-reanchor` (before codings are moved onto an edited transcript) and `before-restore`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from lfa_qual.errors import LfaError, StoreError
from lfa_qual.schema import SCHEMA_VERSION

LABELS = ("backup", "pre-migration", "pre-reanchor", "before-restore", "pre-import")


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def default_backup_path(db: Path, label: str = "backup") -> Path:
    """A new file name; a counter keeps two backups made within one second apart."""
    base = f"{db.stem}.{label}-{_stamp()}"
    out = db.with_name(f"{base}.db")
    n = 2
    while out.exists():
        out = db.with_name(f"{base}-{n}.db")
        n += 1
    return out


def _copy(src_path: Path, dst_path: Path, *, timeout: float = 10.0) -> None:
    src = sqlite3.connect(src_path, timeout=timeout)
    try:
        dst = sqlite3.connect(dst_path, timeout=timeout)
        try:
            # One step copies everything; SQLite restarts it if the source changes meanwhile.
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def backup(db: Path, out: Path | None = None) -> Path:
    """Copy the store at `db` to `out` (a new file) and return its path."""
    db = Path(db)
    if not db.exists():
        raise LfaError("no project store to back up", path=db)
    out = Path(out) if out is not None else default_backup_path(db)
    if out.exists():
        raise LfaError("the backup file exists already; choose another --out", path=out)
    if not out.parent.is_dir():
        raise LfaError("the folder for the backup does not exist", path=out.parent)
    try:
        _copy(db, out)
    except sqlite3.Error as exc:
        out.unlink(missing_ok=True)
        raise StoreError(_reason("backup failed", exc), path=out) from None
    except OSError as exc:
        out.unlink(missing_ok=True)
        raise StoreError(f"backup failed: {exc.strerror}", path=out) from None
    return out


def _reason(what: str, exc: sqlite3.Error) -> str:
    msg = str(exc).lower()
    if "full" in msg:
        return f"{what}: the disk is full"
    if "readonly" in msg or "unable to open" in msg:
        return f"{what}: cannot write there (check the folder's permissions)"
    return f"{what}: {exc}"


def backup_before_migration(db: Path) -> Path | None:
    """A backup before a newer lfa-qual migrates the store; none for a store that holds no
    transcript yet (typically one that another process is still creating: there is nothing to
    protect, and a backup of it would only be clutter)."""
    if not _holds_transcripts(db):
        return None
    return backup(db, default_backup_path(db, "pre-migration"))


def _holds_transcripts(db: Path) -> bool:
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute("SELECT EXISTS(SELECT 1 FROM transcripts)").fetchone()[0] == 1
    except sqlite3.Error:  # no transcripts table yet: a store in the making
        return False
    finally:
        conn.close()


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    schema_version: int
    transcripts: int
    codings: int
    needs_review: int
    bytes: int


def inspect(path: Path) -> BackupInfo:
    """What a store or backup file holds; raises StoreError if it is not an lfa-qual store."""
    path = Path(path)
    if not path.is_file():
        raise LfaError("no such backup file", path=path)
    try:
        # Read through a private copy in memory: opening a WAL file read-only can fail or write.
        mem = sqlite3.connect(":memory:")
        src = sqlite3.connect(path, timeout=10)
        try:
            src.backup(mem)
        finally:
            src.close()
        ok = mem.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        has_schema = mem.execute(
            "SELECT 1 FROM sqlite_master WHERE name='schema_version'"
        ).fetchone()
        if not ok or not has_schema:
            raise StoreError("not a valid lfa-qual store or backup", path=path)
        version = mem.execute("SELECT version FROM schema_version").fetchone()[0]
        transcripts = mem.execute("SELECT count(*) FROM transcripts").fetchone()[0]
        codings = mem.execute("SELECT count(*) FROM codings").fetchone()[0]
        review = mem.execute(
            "SELECT count(*) FROM codings WHERE status = 'needs_review'"
        ).fetchone()[0]
        mem.close()
    except sqlite3.Error as exc:
        raise StoreError(f"not a readable lfa-qual store or backup: {exc}", path=path) from None
    return BackupInfo(path, int(version), transcripts, codings, review, path.stat().st_size)


def list_backups(db: Path) -> list[Path]:
    """Backups next to the store, oldest first."""
    db = Path(db)
    found = [p for label in LABELS for p in db.parent.glob(f"{db.stem}.{label}-*.db")]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def newest_backup(db: Path) -> Path | None:
    """The newest backup beside the store that holds a readable lfa-qual store, or None."""
    for path in reversed(list_backups(db)):
        try:
            inspect(path)
        except LfaError:
            continue
        return path
    return None


def prune(db: Path, label: str, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups with `label`; returns those deleted."""
    db = Path(db)
    found = sorted(
        db.parent.glob(f"{db.stem}.{label}-*.db"), key=lambda p: (p.stat().st_mtime, p.name)
    )
    old = found[:-keep] if keep > 0 else found
    for path in old:
        path.unlink(missing_ok=True)
    return old


def restore(backup_file: Path, db: Path) -> Path | None:
    """Replace the store's content with the backup's; the current state is backed up first.

    Returns the path of that safety backup (None if there was no store). Other processes that
    have the store open see the restored content at their next read.
    """
    backup_file, db = Path(backup_file), Path(db)
    info = inspect(backup_file)
    if info.schema_version > SCHEMA_VERSION:
        raise StoreError(
            f"the backup has schema version {info.schema_version}, newer than this lfa-qual "
            f"({SCHEMA_VERSION}); upgrade lfa-qual",
            path=backup_file,
        )
    if backup_file.resolve() == db.resolve():
        raise LfaError("that is the project store itself, not a backup", path=backup_file)
    safety = None
    if db.exists():
        try:
            safety = backup(db, default_backup_path(db, "before-restore"))
        except StoreError:
            # SQLite cannot read a damaged store: keep its bytes aside and restore into a new file.
            safety = default_backup_path(db, "before-restore-damaged")
            db.replace(safety)
            for suffix in ("-wal", "-shm"):
                side = db.with_name(db.name + suffix)
                if side.exists():
                    side.replace(safety.with_name(safety.name + suffix))
    marks = high_water_marks([db, *list_backups(db)])
    try:
        _copy(backup_file, db)
        _carry_high_water_marks(db, marks)
    except sqlite3.Error as exc:
        raise StoreError(_reason("restore failed", exc), path=db) from None
    return safety


# Tables whose ids are never handed out twice (AUTOINCREMENT; schema 3 on).
NUMBERED = ("codings", "suggestions")


def high_water_marks(stores: list[Path]) -> dict[str, int]:
    """The highest id each numbered table has ever handed out in any of `stores` (unreadable
    ones are skipped)."""
    marks: dict[str, int] = {}
    for path in stores:
        if not Path(path).is_file():
            continue
        try:
            conn = sqlite3.connect(path, timeout=10)
            try:
                rows = conn.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
            finally:
                conn.close()
        except sqlite3.Error:
            continue
        for name, seq in rows:
            if name in NUMBERED and isinstance(seq, int):
                marks[name] = max(marks.get(name, 0), seq)
    return marks


def _carry_high_water_marks(db: Path, marks: dict[str, int]) -> None:
    """Make the restored store hand out ids above every id the replaced store (or any backup)
    had used: "coding 3" in a note or an earlier export must not name another passage."""
    conn = sqlite3.connect(db, timeout=10)
    try:
        has_sequence = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
        ).fetchone()
        if not has_sequence or not marks:
            return  # a store older than schema 3: its migration sets the sequence
        with conn:
            for name, seq in marks.items():
                updated = conn.execute(
                    "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq, name)
                ).rowcount
                if not updated:
                    conn.execute(
                        "INSERT INTO sqlite_sequence(name, seq) VALUES (?, ?)", (name, seq)
                    )
    finally:
        conn.close()
