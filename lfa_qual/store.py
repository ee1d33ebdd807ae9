"""The project store: one SQLite file, WAL mode, one short transaction per user action.

Domain modules (importer, codings, codebook_sync, …) run their SQL through `Store.transaction()`
and `Store.read()`; this module owns the connection, the schema and its migrations, and turns
SQLite's failures into messages a user can act on.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from lfa_qual.errors import StoreError

BUSY_TIMEOUT_S = 10.0

MIGRATIONS: list[str] = [
    # 1: the first release.
    """
    CREATE TABLE transcripts(
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        interview TEXT NOT NULL UNIQUE,
        school TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL,
        text TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        words INTEGER NOT NULL DEFAULT 0,
        pages INTEGER NOT NULL DEFAULT 0,
        imported_at TEXT NOT NULL
    );
    CREATE TABLE speakers(
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        role TEXT NOT NULL,
        grade TEXT,
        interviewer INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL,
        PRIMARY KEY(transcript_id, label)
    );
    CREATE TABLE turns(
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        label TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        page INTEGER,
        timestamp TEXT,
        PRIMARY KEY(transcript_id, idx)
    );
    CREATE TABLE paragraphs(
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        turn_idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        page INTEGER,
        PRIMARY KEY(transcript_id, start)
    );
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE codes(
        id TEXT PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        parent TEXT,
        label TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        color TEXT NOT NULL,
        position INTEGER NOT NULL
    );
    CREATE TABLE codings(
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
        coder TEXT NOT NULL,
        created TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('manual', 'suggestion')),
        memo TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'needs_review')),
        old_text TEXT,
        CHECK (start >= 0 AND end > start)
    );
    CREATE INDEX codings_by_transcript ON codings(transcript_id, start);
    CREATE INDEX codings_by_code ON codings(code_id);
    CREATE TABLE memos(
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('code', 'transcript', 'project')),
        target TEXT NOT NULL,
        text TEXT NOT NULL,
        author TEXT NOT NULL,
        updated TEXT NOT NULL,
        UNIQUE(target_kind, target)
    );
    CREATE TABLE suggestions(
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE CASCADE,
        score REAL NOT NULL,
        evidence TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        created TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
        decided_by TEXT,
        decided_at TEXT,
        coding_id INTEGER REFERENCES codings(id) ON DELETE SET NULL
    );
    CREATE INDEX suggestions_by_transcript ON suggestions(transcript_id, start);
    CREATE TABLE actions(
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        coder TEXT NOT NULL,
        created TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 2: why a re-anchored coding needs review (lfa_qual.reanchor).
    """
    ALTER TABLE codings ADD COLUMN review_note TEXT
    """,
    # 3: coding and suggestion ids are never handed out twice (AUTOINCREMENT): an id in a note
    # or an earlier export keeps naming the same passage after `uncode` or a new `suggest` run.
    # The tables are rebuilt with their rows, ids and links; `migrate` turns foreign keys off
    # around it (a DROP would otherwise unlink suggestions from their codings).
    """
    CREATE TABLE codings_v3(
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
        coder TEXT NOT NULL,
        created TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('manual', 'suggestion')),
        memo TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'needs_review')),
        old_text TEXT,
        review_note TEXT,
        CHECK (start >= 0 AND end > start)
    );
    INSERT INTO codings_v3(id, guid, transcript_id, start, end, code_id, coder, created, source,
        memo, status, old_text, review_note)
        SELECT id, guid, transcript_id, start, end, code_id, coder, created, source,
        memo, status, old_text, review_note FROM codings;
    DROP TABLE codings;
    ALTER TABLE codings_v3 RENAME TO codings;
    CREATE INDEX codings_by_transcript ON codings(transcript_id, start);
    CREATE INDEX codings_by_code ON codings(code_id);
    CREATE TABLE suggestions_v3(
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE CASCADE,
        score REAL NOT NULL,
        evidence TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        created TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
        decided_by TEXT,
        decided_at TEXT,
        coding_id INTEGER REFERENCES codings(id) ON DELETE SET NULL
    );
    INSERT INTO suggestions_v3 SELECT id, guid, transcript_id, start, end, code_id, score,
        evidence, pipeline, created, status, decided_by, decided_at, coding_id FROM suggestions;
    DROP TABLE suggestions;
    ALTER TABLE suggestions_v3 RENAME TO suggestions;
    CREATE INDEX suggestions_by_transcript ON suggestions(transcript_id, start)
    """,
    # 4: a suggestion's evidence may name the anchor example it shares words with (kind
    # "example", field "example"). No table changes; the version tells an older lfa-qual, which
    # cannot read such evidence, to ask for an upgrade instead of failing on it.
    "SELECT 1",
    # (issue 15, summary grid) a researcher's summary of one cell of the framework matrix:
    # a row (a school, an interview or a role group) × a theme, signed and dated. Additive.
    """
    CREATE TABLE grid_summaries(
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        row_kind TEXT NOT NULL CHECK (row_kind IN ('school', 'interview', 'role_group')),
        row TEXT NOT NULL,
        code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
        text TEXT NOT NULL,
        author TEXT NOT NULL,
        updated TEXT NOT NULL,
        UNIQUE(row_kind, row, code_id)
    )
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


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
        text = "the project store is read-only: check the folder's and file's permissions"
    elif "full" in msg:
        text = "the disk is full: nothing was written; free some space and try again"
    elif "unable to open" in msg:
        text = "cannot open the project store: check that the folder exists and is writable"
    elif "not a database" in msg or "malformed" in msg:
        text = "the project store is damaged or not an lfa-qual store; restore a backup"
    else:
        text = f"the project store failed: {exc}"
    return StoreError(text, path=path)


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
            return int(self.conn.execute("SELECT version FROM schema_version").fetchone()[0])
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None

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
