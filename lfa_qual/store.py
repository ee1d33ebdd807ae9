"""The project store: one SQLite file, WAL mode, one short transaction per user action.

Domain modules (importer, codings, codebook_sync, …) run their SQL through `Store.transaction()`
and `Store.read()`; this module owns the connection, runs the migrations of `schema`, and turns
SQLite's failures into messages a user can act on.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from lfa_qual.backup import newest_backup
from lfa_qual.errors import LfaError, StoreError
from lfa_qual.schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_S = 10.0


def new_guid() -> str:
    """A stable record id in the form REFI-QDA expects (upper-case UUID)."""
    return str(uuid.uuid4()).upper()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _explain(exc: sqlite3.Error, path: Path) -> StoreError:
    msg = str(exc).lower()
    if "locked" in msg or "busy" in msg:
        text = (
            f"the project store is busy: another lfa-qual process kept it locked for "
            f"{BUSY_TIMEOUT_S:.0f} s; try again when it has finished"
        )
    elif "readonly" in msg or "read-only" in msg:
        text = _read_only_message(path)
    elif "full" in msg or ("disk i/o error" in msg and _disk_full(path)):
        # With no space left SQLite often fails growing its -shm or -wal file and says only
        # "disk I/O error"; the free space tells the two apart.
        text = DISK_FULL
    elif "disk i/o error" in msg and _file_size_limited():
        text = (
            "the file size limit of this process (ulimit -f) stopped a write to the project "
            "store: nothing was written; raise the limit and try again"
        )
    elif "unable to open" in msg:
        text = "cannot open the project store: check that the folder exists and is writable"
    elif "not a database" in msg or "malformed" in msg:
        text = damaged_message(path, "the project store is damaged or not an lfa-qual store")
    else:
        text = f"the project store failed: {exc}"
    return StoreError(text, path=path)


DISK_FULL = "the disk is full: nothing was written; free some space and try again"
# Below this much free space an I/O error of the store is taken to be a full disk.
LOW_SPACE_BYTES = 1 << 20


def _disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def _file_size_limited() -> bool:
    """Whether this process may not write files past some size (`ulimit -f`): SQLite reports
    a write stopped by it only as "disk I/O error"."""
    try:
        import resource
    except ImportError:  # not on this system
        return False
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft != resource.RLIM_INFINITY


def _read_only_message(path: Path) -> str:
    """Name the file that is read-only: a -shm or -wal left read-only after the store itself
    was made writable again keeps the whole project read-only."""
    for suffix in ("-shm", "-wal"):
        side = path.with_name(path.name + suffix)
        try:
            writable = side.stat().st_mode & stat.S_IWUSR and os.access(side, os.W_OK)
        except OSError:
            continue
        if not writable:
            return (
                f"the project store's companion file {side} is read-only, so the store is too: "
                f"make it writable (chmod u+w '{side}'), or delete it while no lfa-qual is "
                "running (SQLite makes a new one)"
            )
    return "the project store is read-only: check the folder's and file's permissions"


def damaged_message(path: Path, what: str = "the project store is damaged") -> str:
    """`what` (the store is damaged …) with the way back: the newest backup beside it."""
    found = newest_backup(path)
    if found is None:
        return (
            f"{what}; restore a backup: none found beside it (if the project is new and "
            "holds nothing yet, move the file aside and run the command again)"
        )
    return f"{what}; restore a backup: the newest beside it is `lfa-qual restore '{found.name}'`"


SQLITE_HEADER = b"SQLite format 3\x00"


def check_store_file(path: Path, wait_s: float = 2.0) -> None:
    """Refuse a store file that exists but is empty or not SQLite: SQLite would silently
    make an empty store of an empty file, and the next sync would re-import the transcripts
    without their codings. A store another process is creating is empty for a moment, so a
    new empty file is given `wait_s` to grow."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            st = path.stat()
        except OSError:
            return  # missing (a new store) or unreadable: SQLite says which
        if not stat.S_ISREG(st.st_mode):
            return
        if st.st_size > 0:
            break
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return  # SQLite recovers the content from the write-ahead log
        if time.monotonic() > deadline or time.time() - st.st_mtime > wait_s:
            raise StoreError(
                damaged_message(path, "the project store is damaged (the file is empty, 0 bytes)"),
                path=path,
            )
        time.sleep(0.05)
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError:
        return
    if header != SQLITE_HEADER:
        raise StoreError(
            damaged_message(path, "the project store is damaged or not an lfa-qual store"),
            path=path,
        )


class Store:
    """A connection to one project's SQLite file."""

    def __init__(
        self,
        path: Path | str,
        *,
        migrate: bool = True,
        before_migration: Callable[[Path], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self._depth = 0  # nesting of transaction() blocks
        check_store_file(self.path)
        try:
            self.conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._use_wal()
            # FULL: an action reported done survives a crash of the process and of the machine.
            self.conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None
        if migrate:
            self.migrate(before_migration)

    def _use_wal(self) -> None:
        """Switch the store to WAL. While another process is still creating the store, SQLite
        answers "locked" at once instead of waiting (the busy timeout does not apply to this
        switch): try again until the timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        try:
            row = self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'"
            ).fetchone()
            if row is None:
                return 0
            value = self.conn.execute("SELECT version FROM schema_version").fetchone()
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None
        try:
            return int(value[0])
        except (TypeError, ValueError):
            raise StoreError(
                damaged_message(
                    self.path,
                    "the project store is damaged (its schema_version is empty or not a number)",
                ),
                path=self.path,
            ) from None

    def migrate(self, before_migration: Callable[[Path], None] | None = None) -> None:
        current = self.version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"this store has schema version {current}, newer than this lfa-qual "
                f"({SCHEMA_VERSION}); upgrade lfa-qual",
                path=self.path,
            )
        if current == SCHEMA_VERSION:
            return
        if current > 0 and before_migration is not None:
            before_migration(self.path)
        # A migration that rebuilds a table must not fire the foreign keys' ON DELETE actions
        # when the old table is dropped; the references are checked before each commit instead.
        # (The pragma only takes effect outside a transaction.)
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            already = len(self.conn.execute("PRAGMA foreign_key_check").fetchall())
            for version in range(current + 1, SCHEMA_VERSION + 1):
                with self.transaction() as conn:
                    # Another process may have migrated while this one waited for the lock.
                    if self.version >= version:
                        continue
                    for statement in MIGRATIONS[version - 1].split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    if version == 1:
                        conn.execute("CREATE TABLE schema_version(version INTEGER NOT NULL)")
                        conn.execute("INSERT INTO schema_version VALUES (1)")
                    else:
                        conn.execute("UPDATE schema_version SET version = ?", (version,))
                    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                    if len(broken) > already:
                        raise StoreError(
                            f"migration to schema version {version} would break "
                            f"{len(broken) - already} reference(s); nothing was changed",
                            path=self.path,
                        )
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed (durably) when the block ends without an error.

        Nested blocks become savepoints of the outer transaction, so that an action made of
        several domain calls (a coding and its undo entry) commits as one.
        """
        if self._depth:
            yield from self._savepoint()
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None
        self._depth = 1
        try:
            yield self.conn
        except sqlite3.Error as exc:
            self._rollback()
            raise _explain(exc, self.path) from None
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise _explain(exc, self.path) from None

    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        name = f"lfa_{self._depth}"
        self.conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self.conn
        except BaseException:
            with suppress(sqlite3.Error):
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        finally:
            self._depth -= 1
        self.conn.execute(f"RELEASE {name}")

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            # If the connection is gone, SQLite rolls back on its own.
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def read(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None

    def read_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        rows = self.read(sql, params)
        return rows[0] if rows else None

    def integrity_ok(self) -> bool:
        row = self.read_one("PRAGMA integrity_check")
        return row is not None and row[0] == "ok"


def transcript_id(store: Store, interview: str) -> int:
    """The store's row id of the transcript `interview`; an unknown id is the user's error."""
    row = store.read_one("SELECT id FROM transcripts WHERE interview = ?", (interview,))
    if row is None:
        raise LfaError(f"no transcript {interview!r} in this project", field="interview")
    return int(row["id"])
