"""Putting transcripts into the store and reading them back."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from lfa_qual.errors import LfaError, TranscriptError
from lfa_qual.readers import read_transcript
from lfa_qual.reanchor import ReanchorResult, reanchor_rows
from lfa_qual.store import Store, new_guid, now
from lfa_qual.transcript import Paragraph, Speaker, Transcript, Turn


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # One entry per changed transcript that had codings or suggestions to carry over.
    reanchored: list[ReanchorResult] = field(default_factory=list)


def read_all(paths: list[Path]) -> list[Transcript]:
    """Parse every file first, so that a bad file stops the import before anything is written."""
    transcripts = [read_transcript(p) for p in paths]
    check_unique(transcripts)
    return transcripts


def check_unique(transcripts: list[Transcript]) -> None:
    seen: dict[str, str] = {}
    for t in transcripts:
        if t.interview in seen:
            raise TranscriptError(
                f"interview id {t.interview!r} is also used by {seen[t.interview]}; "
                "give each transcript its own 'interview:'",
                path=t.source,
                field="interview",
            )
        seen[t.interview] = t.source


class ChangedTranscriptError(LfaError):
    """A transcript whose text changed after it was coded; `interview` names it."""

    def __init__(self, message: str, interview: str, **kw) -> None:
        super().__init__(message, **kw)
        self.interview = interview


def import_transcripts(
    store: Store, transcripts: list[Transcript], *, allow_changed: bool = False
) -> ImportReport:
    """Store new and changed transcripts in one transaction; unchanged ones are left alone.

    A changed transcript that already has codings is refused, naming the file, unless
    `allow_changed`: then its codings and suggestions are re-anchored onto the new text in the
    same transaction (see `lfa_qual.reanchor`) and reported in `reanchored`.
    """
    report = ImportReport()
    with store.transaction() as conn:
        for t in transcripts:
            report.warnings += t.warnings
            row = conn.execute(
                "SELECT id, sha256 FROM transcripts WHERE interview = ?", (t.interview,)
            ).fetchone()
            if row is None:
                _insert(conn, t)
                report.added.append(t.interview)
                continue
            if row["sha256"] == t.sha256:
                report.unchanged.append(t.interview)
                continue
            n = conn.execute(
                "SELECT count(*) FROM codings WHERE transcript_id = ?", (row["id"],)
            ).fetchone()[0]
            if n and not allow_changed:
                raise ChangedTranscriptError(
                    f"the text of {t.interview!r} changed after it was coded ({n} codings); "
                    "re-import it with `lfa-qual import --reanchor` to move the codings onto the new text",
                    t.interview,
                    path=t.source,
                )
            old = load_transcript(store, t.interview)
            moved = reanchor_rows(conn, row["id"], t.interview, old, t)
            if moved.codings or moved.suggestions_moved or moved.suggestions_dropped:
                report.reanchored.append(moved)
            _replace(conn, row["id"], t)
            report.updated.append(t.interview)
    return report


def _insert(conn: sqlite3.Connection, t: Transcript) -> int:
    cur = conn.execute(
        "INSERT INTO transcripts(guid, interview, school, date, kind, source, text, sha256,"
        " words, pages, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            new_guid(),
            t.interview,
            t.school,
            t.date,
            t.kind,
            t.source,
            t.text,
            t.sha256,
            t.words,
            t.pages,
            now(),
        ),
    )
    tid = int(cur.lastrowid)
    _insert_structure(conn, tid, t)
    return tid


def _insert_structure(conn: sqlite3.Connection, tid: int, t: Transcript) -> None:
    conn.executemany(
        "INSERT INTO speakers(transcript_id, label, role, grade, interviewer, position) VALUES (?,?,?,?,?,?)",
        [
            (tid, s.label, s.role, s.grade, int(s.interviewer), i)
            for i, s in enumerate(t.speakers.values())
        ],
    )
    conn.executemany(
        "INSERT INTO turns(transcript_id, idx, label, start, end, page, timestamp) VALUES (?,?,?,?,?,?,?)",
        [(tid, u.index, u.label, u.start, u.end, u.page, u.timestamp) for u in t.turns],
    )
    conn.executemany(
        "INSERT INTO paragraphs(transcript_id, turn_idx, start, end, page) VALUES (?,?,?,?,?)",
        [(tid, u.index, p.start, p.end, p.page) for u in t.turns for p in u.paragraphs],
    )


def _replace(conn: sqlite3.Connection, tid: int, t: Transcript) -> None:
    conn.execute(
        "UPDATE transcripts SET school=?, date=?, kind=?, source=?, text=?, sha256=?, words=?,"
        " pages=?, imported_at=? WHERE id=?",
        (t.school, t.date, t.kind, t.source, t.text, t.sha256, t.words, t.pages, now(), tid),
    )
    for table in ("speakers", "turns", "paragraphs"):
        conn.execute(f"DELETE FROM {table} WHERE transcript_id = ?", (tid,))
    _insert_structure(conn, tid, t)


def transcript_id(store: Store, interview: str) -> int:
    row = store.read_one("SELECT id FROM transcripts WHERE interview = ?", (interview,))
    if row is None:
        raise LfaError(f"no transcript {interview!r} in this project", field="interview")
    return int(row["id"])


def load_transcript(store: Store, interview: str) -> Transcript:
    row = store.read_one("SELECT * FROM transcripts WHERE interview = ?", (interview,))
    if row is None:
        raise LfaError(f"no transcript {interview!r} in this project", field="interview")
    tid = row["id"]
    speakers = {
        s["label"]: Speaker(s["label"], s["role"], bool(s["interviewer"]), s["grade"])
        for s in store.read(
            "SELECT * FROM speakers WHERE transcript_id=? ORDER BY position", (tid,)
        )
    }
    paras: dict[int, list[Paragraph]] = {}
    for p in store.read("SELECT * FROM paragraphs WHERE transcript_id=? ORDER BY start", (tid,)):
        paras.setdefault(p["turn_idx"], []).append(Paragraph(p["start"], p["end"], p["page"]))
    turns = [
        Turn(
            u["idx"],
            u["label"],
            u["start"],
            u["end"],
            u["page"],
            u["timestamp"],
            tuple(paras.get(u["idx"], ())),
        )
        for u in store.read("SELECT * FROM turns WHERE transcript_id=? ORDER BY idx", (tid,))
    ]
    return Transcript(
        interview=row["interview"],
        school=row["school"],
        date=row["date"],
        kind=row["kind"],
        speakers=speakers,
        text=row["text"],
        turns=turns,
        source=row["source"],
    )


def interviews(store: Store) -> list[str]:
    return [
        r[0] for r in store.read("SELECT interview FROM transcripts ORDER BY school, interview")
    ]


def load_transcripts(store: Store, interviews: list[str] | None = None) -> dict[str, Transcript]:
    """Several transcripts (all, or the given interviews) read in four queries, one per table,
    instead of four per transcript: exports of 200 transcripts load them all. Each transcript
    equals what `load_transcript` returns."""
    where, params = "", ()
    if interviews is not None:
        where = f" WHERE t.interview IN ({','.join('?' * len(interviews))})"
        params = tuple(interviews)
    rows = store.read(
        "SELECT t.id, t.interview, t.school, t.date, t.kind, t.text, t.source"
        f" FROM transcripts t{where}",
        params,
    )
    ids = {r["id"]: r for r in rows}
    join = f" JOIN transcripts t ON t.id = x.transcript_id{where}"
    speakers: dict[int, dict[str, Speaker]] = {tid: {} for tid in ids}
    for s in store.read(
        "SELECT x.transcript_id, x.label, x.role, x.interviewer, x.grade FROM speakers x"
        f"{join} ORDER BY x.transcript_id, x.position",
        params,
    ):
        speakers[s[0]][s[1]] = Speaker(s[1], s[2], bool(s[3]), s[4])
    paras: dict[tuple[int, int], list[Paragraph]] = {}
    for p in store.read(
        "SELECT x.transcript_id, x.turn_idx, x.start, x.end, x.page FROM paragraphs x"
        f"{join} ORDER BY x.transcript_id, x.start",
        params,
    ):
        paras.setdefault((p[0], p[1]), []).append(Paragraph(p[2], p[3], p[4]))
    turns: dict[int, list[Turn]] = {tid: [] for tid in ids}
    for u in store.read(
        "SELECT x.transcript_id, x.idx, x.label, x.start, x.end, x.page, x.timestamp FROM turns x"
        f"{join} ORDER BY x.transcript_id, x.idx",
        params,
    ):
        turns[u[0]].append(
            Turn(u[1], u[2], u[3], u[4], u[5], u[6], tuple(paras.get((u[0], u[1]), ())))
        )
    return {
        row["interview"]: Transcript(
            interview=row["interview"],
            school=row["school"],
            date=row["date"],
            kind=row["kind"],
            speakers=speakers[tid],
            text=row["text"],
            turns=turns[tid],
            source=row["source"],
        )
        for tid, row in ids.items()
    }
