"""Backups through SQLite's online backup API: consistent even while another process writes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from lfa_qual.errors import LfaError, StoreError


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def default_backup_path(db: Path, label: str = "backup") -> Path:
    return db.with_name(f"{db.stem}.{label}-{_stamp()}.db")


def backup(db: Path, out: Path | None = None) -> Path:
    """Copy the store at `db` to `out` (a new file) and return its path."""
    if not db.exists():
        raise LfaError("no project store to back up", path=db)
    out = out or default_backup_path(db)
    if out.exists():
        raise LfaError("the backup file exists already; choose another --out", path=out)
    try:
        src = sqlite3.connect(db)
        dst = sqlite3.connect(out)
        with dst:
            src.backup(dst)
        dst.close()
        src.close()
    except sqlite3.Error as exc:
        raise StoreError(f"backup failed: {exc}", path=out) from None
    return out


def backup_before_migration(db: Path) -> Path:
    return backup(db, default_backup_path(db, "pre-migration"))


def restore(backup_file: Path, db: Path) -> None:
    """Replace the store's content with the backup's (the current state is backed up first)."""
    try:
        check = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        has_schema = check.execute(
            "SELECT 1 FROM sqlite_master WHERE name='schema_version'"
        ).fetchone()
        check.close()
    except sqlite3.Error as exc:
        raise StoreError(f"not a readable lfa-qual backup: {exc}", path=backup_file) from None
    if not ok or not has_schema:
        raise StoreError("not a valid lfa-qual backup", path=backup_file)
    if db.exists():
        backup(db, default_backup_path(db, "before-restore"))
    try:
        src = sqlite3.connect(backup_file)
        dst = sqlite3.connect(db, timeout=10)
        with dst:
            src.backup(dst)
        dst.close()
        src.close()
    except sqlite3.Error as exc:
        raise StoreError(f"restore failed: {exc}", path=db) from None
