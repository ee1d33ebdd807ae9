"""Stored code suggestions and the researcher's decisions on them.

A suggestion is never applied by itself: `accept_suggestion` turns it into a coding (source
'suggestion') and records the decision in the same transaction; `reject_suggestion` records a
rejection, which keeps the span from being suggested again for that code and teaches the learned
model a negative example.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from lfa_qual.codings import Coding, add_coding
from lfa_qual.errors import LfaError
from lfa_qual.store import Store, new_guid, now

STATUSES = ("open", "accepted", "rejected")
KINDS = ("exact", "lemma", "compound", "phrase", "fuzzy", "learned", "example", "role")


@dataclass(frozen=True)
class Evidence:
    """Why a code was suggested: one matched word (or phrase) with its offsets in the text."""

    start: int
    end: int
    word: str
    keyword: str
    kind: str  # exact|lemma|compound|phrase|fuzzy|learned|example|role

    def as_dict(self) -> dict:
        """Its fields, for JSON (the example's text only where there is one). Read-only: the
        record's own dictionary, not a copy (a run serialises millions of these; a copy each
        cost a twentieth of `suggest`'s time)."""
        return vars(self)


@dataclass(frozen=True)
class ExampleEvidence(Evidence):
    """A word shared with the code's nearest anchor example (kind "example"), and the example."""

    example: str = ""


def evidence_from(fields: dict) -> Evidence:
    return ExampleEvidence(**fields) if "example" in fields else Evidence(**fields)


@dataclass(frozen=True)
class Suggestion:
    id: int
    guid: str
    interview: str
    start: int
    end: int
    code: str
    score: float
    evidence: tuple[Evidence, ...]
    pipeline: str
    status: str  # open|accepted|rejected


@dataclass(frozen=True)
class NewSuggestion:
    """A suggestion computed by the NLP, before it is stored."""

    start: int
    end: int
    code: str
    score: float
    evidence: tuple[Evidence, ...]


SELECT = (
    "SELECT s.id, s.guid, t.interview, s.start, s.end, s.code_id, s.score, s.evidence,"
    " s.pipeline, s.status FROM suggestions s JOIN transcripts t ON t.id = s.transcript_id"
)


def evidence_json(evidence: Iterable[Evidence]) -> str:
    return json.dumps([e.as_dict() for e in evidence], ensure_ascii=False)


def _row(row: sqlite3.Row) -> Suggestion:
    evidence = tuple(evidence_from(e) for e in json.loads(row["evidence"]))
    return Suggestion(
        row["id"],
        row["guid"],
        row["interview"],
        row["start"],
        row["end"],
        row["code_id"],
        row["score"],
        evidence,
        row["pipeline"],
        row["status"],
    )


def list_suggestions(
    store: Store, interview: str | None = None, status: str | None = "open"
) -> list[Suggestion]:
    """Stored suggestions, ordered by interview, start and falling score."""
    where, params = [], []
    if interview is not None:
        where.append("t.interview = ?")
        params.append(interview)
    if status is not None:
        if status not in STATUSES:
            raise LfaError(f"status must be one of {', '.join(STATUSES)}", field="status")
        where.append("s.status = ?")
        params.append(status)
    sql = SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY t.interview, s.start, s.score DESC, s.code_id"
    return [_row(r) for r in store.read(sql, tuple(params))]


def get_suggestion(store: Store, suggestion_id: int) -> Suggestion:
    row = store.read_one(SELECT + " WHERE s.id = ?", (suggestion_id,))
    if row is None:
        raise LfaError(f"no suggestion with id {suggestion_id}", field="suggestion")
    return _row(row)


def _open(conn: sqlite3.Connection, suggestion_id: int) -> sqlite3.Row:
    row = conn.execute(
        "SELECT s.*, t.text FROM suggestions s JOIN transcripts t ON t.id = s.transcript_id"
        " WHERE s.id = ?",
        (suggestion_id,),
    ).fetchone()
    if row is None:
        raise LfaError(f"no suggestion with id {suggestion_id}", field="suggestion")
    if row["status"] != "open":
        raise LfaError(
            f"suggestion {suggestion_id} was already {row['status']} by {row['decided_by']}",
            field="suggestion",
        )
    return row


def accept_suggestion(
    store: Store,
    suggestion_id: int,
    coder: str,
    start: int | None = None,
    end: int | None = None,
    text_sha256: str | None = None,
) -> Coding:
    """Code the suggested span (or an adjusted one) and record the decision, in one transaction.
    `text_sha256`: the hash of the text an adjusted span was taken from (see `add_coding`)."""
    if not coder.strip():
        raise LfaError("a decision needs a coder name", field="coder")
    with store.transaction() as conn:
        row = _open(conn, suggestion_id)
        interview = conn.execute(
            "SELECT interview FROM transcripts WHERE id = ?", (row["transcript_id"],)
        ).fetchone()["interview"]
        # The same rules as any coding (offsets, white space, duplicates), in this transaction.
        coding = add_coding(
            store,
            interview,
            row["start"] if start is None else start,
            row["end"] if end is None else end,
            row["code_id"],
            coder,
            source="suggestion",
            text_sha256=text_sha256,
        )
        conn.execute(
            "UPDATE suggestions SET status='accepted', decided_by=?, decided_at=?, coding_id=?"
            " WHERE id=?",
            (coder, coding.created, coding.id, suggestion_id),
        )
    return coding


def reject_suggestion(store: Store, suggestion_id: int, coder: str) -> None:
    """Record a rejection: the span is not suggested again for this code."""
    if not coder.strip():
        raise LfaError("a decision needs a coder name", field="coder")
    with store.transaction() as conn:
        _open(conn, suggestion_id)
        conn.execute(
            "UPDATE suggestions SET status='rejected', decided_by=?, decided_at=? WHERE id=?",
            (coder, now(), suggestion_id),
        )


def replace_open_suggestions(
    store: Store,
    interview: str,
    suggestions: Iterable[NewSuggestion],
    pipeline: str,
    *,
    since: int = 0,
    upto: int | None = None,
) -> int:
    """Store a transcript's new open suggestions in place of its old open ones.

    An open suggestion suggested again (same span and code) keeps its id and guid, with the
    new score and evidence, so ids shown to the researcher survive a re-run. Spans rejected
    for a code, and spans already coded with it (overlapping), are left out: the researcher
    has decided on them. Returns the number stored.

    With `upto`, the new suggestions are those of the text from `since` up to that offset
    only (a run still going, a batch at a time): old open ones starting outside it are left
    as they are until another call covers them.
    """
    with store.transaction() as conn:
        row = conn.execute("SELECT id FROM transcripts WHERE interview=?", (interview,)).fetchone()
        if row is None:
            raise LfaError(f"no transcript {interview!r} in the project", field="interview")
        tid = row["id"]
        decided: dict[str, list[tuple[int, int]]] = {}
        for r in conn.execute(
            "SELECT code_id, start, end FROM suggestions WHERE transcript_id=? AND status='rejected'"
            " UNION ALL SELECT code_id, start, end FROM codings WHERE transcript_id=?",
            (tid, tid),
        ):
            decided.setdefault(r["code_id"], []).append((r["start"], r["end"]))
        known = {r["id"] for r in conn.execute("SELECT id FROM codes")}
        old = {
            (r["start"], r["end"], r["code_id"]): r["id"]
            for r in conn.execute(
                "SELECT id, start, end, code_id FROM suggestions"
                " WHERE transcript_id=? AND status='open' AND start >= ?",
                (tid, since),
            )
        }
        stamp, count, kept = now(), 0, set()
        for s in suggestions:
            if s.code not in known:
                continue
            if any(a < s.end and s.start < b for a, b in decided.get(s.code, ())):
                continue
            values = (round(s.score, 4), evidence_json(s.evidence), pipeline)
            same = old.get((s.start, s.end, s.code))
            if same is not None and same not in kept:
                conn.execute(
                    "UPDATE suggestions SET score=?, evidence=?, pipeline=?, created=? WHERE id=?",
                    (*values, stamp, same),
                )
                kept.add(same)
            else:
                conn.execute(
                    "INSERT INTO suggestions(guid, transcript_id, start, end, code_id, score,"
                    " evidence, pipeline, created) VALUES (?,?,?,?,?,?,?,?,?)",
                    (new_guid(), tid, s.start, s.end, s.code, *values, stamp),
                )
            count += 1
        gone = [
            i
            for (start, _, _), i in old.items()
            if i not in kept and (upto is None or start < upto)
        ]
        conn.executemany("DELETE FROM suggestions WHERE id=?", [(i,) for i in gone])
    return count
