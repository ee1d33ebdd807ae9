"""The store's schema: the SQL of every version, applied in order by `Store` (each after a
backup of a store that holds transcripts). A new version appends one entry; none is ever
edited, so every store can be brought forward from any earlier version."""

from __future__ import annotations

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
    # Data safety (issue 18): each coding keeps the text it was made on, so that `verify` finds
    # a coding whose span no longer holds that text; `exports` records the files lfa-qual wrote
    # (resolved path and SHA-256), so that an export replaces only an earlier export of its own
    # without asking.
    """
    ALTER TABLE codings ADD COLUMN coded_text TEXT;
    UPDATE codings SET coded_text = substr(
        (SELECT text FROM transcripts t WHERE t.id = codings.transcript_id), start + 1, end - start);
    CREATE TABLE exports(
        path TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        written TEXT NOT NULL
    )
    """,
    # names (pseudonymisation guard, lfa_qual.names): words and phrases a researcher marked
    # "not a name", and the names replaced by a pseudonym (applied again by `pseudonymise`),
    # each with who and when.
    """
    CREATE TABLE names_allowed(
        text TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        interview TEXT NOT NULL DEFAULT '',
        accepted_by TEXT NOT NULL,
        accepted_at TEXT NOT NULL
    );
    CREATE TABLE names_replaced(
        text TEXT PRIMARY KEY,
        pseudonym TEXT NOT NULL,
        kind TEXT NOT NULL,
        interview TEXT NOT NULL DEFAULT '',
        replaced_by TEXT NOT NULL,
        replaced_at TEXT NOT NULL
    )
    """,
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
