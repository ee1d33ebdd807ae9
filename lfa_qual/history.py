"""Persistent undo and redo of coding actions, kept in the store's `actions` table.

Each action function here does the work through the domain functions in `codings` (and
`suggestions`) and logs what changed, all inside one transaction: the domain functions' own
transactions become savepoints of it, so an action and its undo entry commit together.
A log entry holds the state of every touched coding and suggestion before and after the action,
keyed by guid, so undo and redo are "make these records look like this again" and survive a
restart. Undo and redo change only the fields the action changed: a re-anchoring of a coding's
offsets by the reliability tools after the action is kept.

Undo and redo are per coder: two people coding the same project undo their own actions only.
A new action drops that coder's redo list, as in any editor.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from lfa_qual import codings as ops
from lfa_qual.codebook_file import apply_codebook
from lfa_qual.codings import Coding
from lfa_qual.errors import LfaError
from lfa_qual.grid_summaries import apply_grid
from lfa_qual.store import Store, now
from lfa_qual.suggestions import accept_suggestion, reject_suggestion
from lfa_qual.wording import count

# The coding fields an action may change and undo may put back.
FIELDS = ("interview", "start", "end", "code", "coder", "created", "source", "memo", "status")
SUGGESTION_FIELDS = ("status", "decided_by", "decided_at", "coding_guid")

State = dict[str, object] | None


@dataclass(frozen=True)
class Action:
    id: int
    kind: str
    label: str
    coder: str
    created: str
    undone: bool


@dataclass(frozen=True)
class Change:
    """One record before and after an action (None: the record did not exist)."""

    target: str  # "coding", "suggestion", "grid" (a grid summary) or "codebook" (its file)
    guid: str
    before: State
    after: State


def coding_state(coding: Coding | None) -> State:
    """The coding's FIELDS, plus its id so that undo and redo put a coding back under its own
    number (ids are never handed out twice, so that number is still free)."""
    if coding is None:
        return None
    # The coded text too: undo or redo puts a coding back only where its passage still is.
    return {"id": coding.id, **{f: getattr(coding, f) for f in FIELDS}, "text": coding.coded_text}


def _coding_state(conn: sqlite3.Connection, guid: str) -> State:
    row = conn.execute(
        "SELECT t.interview, c.start, c.end, c.code_id AS code, c.coder, c.created, c.source,"
        " c.memo, c.status FROM codings c JOIN transcripts t ON t.id = c.transcript_id"
        " WHERE c.guid = ?",
        (guid,),
    ).fetchone()
    return None if row is None else {f: row[f] for f in FIELDS}


def suggestion_state(store: Store, suggestion_id: int) -> tuple[str, State]:
    row = store.read_one(
        "SELECT s.guid, s.status, s.decided_by, s.decided_at, c.guid AS coding_guid"
        " FROM suggestions s LEFT JOIN codings c ON c.id = s.coding_id WHERE s.id = ?",
        (suggestion_id,),
    )
    if row is None:
        raise LfaError(f"no suggestion with id {suggestion_id}", field="suggestion")
    return row["guid"], {f: row[f] for f in SUGGESTION_FIELDS}


def _suggestion_state(conn: sqlite3.Connection, guid: str) -> State:
    row = conn.execute(
        "SELECT s.status, s.decided_by, s.decided_at, c.guid AS coding_guid"
        " FROM suggestions s LEFT JOIN codings c ON c.id = s.coding_id WHERE s.guid = ?",
        (guid,),
    ).fetchone()
    return None if row is None else {f: row[f] for f in SUGGESTION_FIELDS}


# -- logging ------------------------------------------------------------------------------
def record(store: Store, kind: str, label: str, coder: str, changes: list[Change]) -> Action:
    """Log an action that has been done; drops the coder's redo list."""
    payload = json.dumps(
        {
            "label": label,
            "changes": [[c.target, c.guid, c.before, c.after] for c in changes],
        },
        ensure_ascii=False,
    )
    created = now()
    with store.transaction() as conn:
        conn.execute("DELETE FROM actions WHERE coder = ? AND undone = 1", (coder,))
        cur = conn.execute(
            "INSERT INTO actions(kind, payload, coder, created) VALUES (?,?,?,?)",
            (kind, payload, coder, created),
        )
    return Action(int(cur.lastrowid), kind, label, coder, created, False)


def _row_action(row: sqlite3.Row) -> Action:
    label = json.loads(row["payload"]).get("label", row["kind"])
    return Action(row["id"], row["kind"], label, row["coder"], row["created"], bool(row["undone"]))


def actions(store: Store, coder: str | None = None, limit: int = 50) -> list[Action]:
    """The newest actions first."""
    sql = "SELECT * FROM actions" + (" WHERE coder = ?" if coder else "")
    rows = store.read(sql + " ORDER BY id DESC LIMIT ?", ((coder, limit) if coder else (limit,)))
    return [_row_action(r) for r in rows]


def can_undo(store: Store, coder: str) -> bool:
    return _next(store, coder, undone=False) is not None


def can_redo(store: Store, coder: str) -> bool:
    return _next(store, coder, undone=True) is not None


def _next(store: Store, coder: str, *, undone: bool) -> sqlite3.Row | None:
    order = "ASC" if undone else "DESC"
    return store.read_one(
        f"SELECT * FROM actions WHERE coder = ? AND undone = ? ORDER BY id {order} LIMIT 1",
        (coder, int(undone)),
    )


def undo(store: Store, coder: str) -> Action | None:
    """Undo the coder's latest action; None when there is nothing to undo."""
    return _replay(store, coder, undo=True)


def redo(store: Store, coder: str) -> Action | None:
    """Redo the coder's most recently undone action; None when there is nothing to redo."""
    return _replay(store, coder, undo=False)


def _replay(store: Store, coder: str, *, undo: bool) -> Action | None:
    row = _next(store, coder, undone=not undo)
    if row is None:
        return None
    action = _row_action(row)
    raw = json.loads(row["payload"])["changes"]
    changes = [Change(t, g, b, a) for t, g, b, a in raw]
    verb = "undo" if undo else "redo"
    with store.transaction() as conn:
        # Codings first, so that a suggestion can point at a coding that is put back; a
        # codebook edit's codes exist before codings return to them and go after they left.
        for change in sorted(changes, key=lambda c: _replay_order(c.target, undo)):
            want, have_expected = (
                (change.before, change.after) if undo else (change.after, change.before)
            )
            if change.target == "coding":
                given = _apply_coding(conn, change.guid, have_expected, want, verb, action.label)
                if given is not None:
                    _remember_id(conn, change.guid, given)
            elif change.target == "codebook":  # a codebook edit (lfa_qual.codebook_edit)
                why = functools.partial(_conflict, verb, action.label)
                apply_codebook(store, change.guid, have_expected, want, why)
            elif change.target == "grid":  # a summary of the summary grid (lfa_qual.grid)
                why = functools.partial(_conflict, verb, action.label)
                apply_grid(conn, change.guid, have_expected, want, why)
            else:
                _apply_suggestion(conn, change.guid, have_expected, want)
        conn.execute("UPDATE actions SET undone = ? WHERE id = ?", (int(undo), action.id))
    return Action(action.id, action.kind, action.label, coder, action.created, undo)


def _replay_order(target: str, undo: bool) -> int:
    if target == "codebook":
        return -1 if undo else 2
    return 0 if target == "coding" else 1


def _conflict(verb: str, label: str, why: str) -> LfaError:
    return LfaError(f"cannot {verb} “{label}”: {why}", field="history")


def _remember_id(conn: sqlite3.Connection, guid: str, coding_id: int) -> None:
    """Write the id a coding was put back under into every history entry of it (entries logged
    before ids were kept have none), so that further undo and redo keep that id."""
    rows = conn.execute(
        "SELECT id, payload FROM actions WHERE instr(payload, ?) > 0", (guid,)
    ).fetchall()
    for row in rows:
        payload = json.loads(row["payload"])
        for _, g, before, after in payload["changes"]:
            for state in (before, after):
                if g == guid and state is not None:
                    state["id"] = coding_id
        conn.execute(
            "UPDATE actions SET payload = ? WHERE id = ?",
            (json.dumps(payload, ensure_ascii=False), row["id"]),
        )


def _apply_coding(
    conn: sqlite3.Connection, guid: str, expected: State, want: State, verb: str, label: str
) -> int | None:
    """Make the coding `guid` what `want` says; returns the id it was given when it was put
    back without a recorded one."""
    current = _coding_state(conn, guid)
    if want is None:
        if current is None:
            raise _conflict(verb, label, "the coding has already been removed")
        conn.execute("DELETE FROM codings WHERE guid = ?", (guid,))
        return None
    if expected is None:
        if current is not None:
            raise _conflict(verb, label, "the coding exists already")
        tid = conn.execute(
            "SELECT id, text FROM transcripts WHERE interview = ?", (want["interview"],)
        ).fetchone()
        if tid is None:
            raise _conflict(verb, label, f"transcript {want['interview']!r} is gone")
        passage = tid["text"][want["start"] : want["end"]]
        if want.get("text") is not None and passage != want["text"]:
            # The transcript was edited and its codings re-anchored after the action: the
            # logged offsets now point at other words.
            raise _conflict(
                verb,
                label,
                f"the text of {want['interview']!r} has changed since, and the passage is no "
                "longer at those offsets; code it again",
            )
        own_id = want.get("id")  # absent in entries logged before ids were kept
        if (
            own_id is not None
            and conn.execute("SELECT 1 FROM codings WHERE id = ?", (own_id,)).fetchone()
        ):
            own_id = None
        cur = conn.execute(
            "INSERT INTO codings(id, guid, transcript_id, start, end, code_id, coder, created,"
            " source, memo, status, coded_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                own_id,
                guid,
                tid["id"],
                want["start"],
                want["end"],
                want["code"],
                want["coder"],
                want["created"],
                want["source"],
                want["memo"],
                want["status"],
                passage,
            ),
        )
        return None if own_id is not None else int(cur.lastrowid)
    if current is None:
        raise _conflict(verb, label, "the coding has been removed since")
    changed = [f for f in FIELDS if expected.get(f) != want.get(f)]
    for f in changed:
        if current[f] != expected[f]:
            raise _conflict(verb, label, f"the coding's {f} has been changed since")
    column = {"code": "code_id"}
    for f in changed:
        conn.execute(f"UPDATE codings SET {column.get(f, f)} = ? WHERE guid = ?", (want[f], guid))
    return None


def _apply_suggestion(conn: sqlite3.Connection, guid: str, expected: State, want: State) -> None:
    # A suggestion may have been replaced by a new NLP run meanwhile; the coding is what matters.
    if want is None or _suggestion_state(conn, guid) is None:
        return
    conn.execute(
        "UPDATE suggestions SET status = ?, decided_by = ?, decided_at = ?,"
        " coding_id = (SELECT id FROM codings WHERE guid = ?) WHERE guid = ?",
        (want["status"], want["decided_by"], want["decided_at"], want["coding_guid"], guid),
    )


def forget_interview(conn: sqlite3.Connection, interview: str, suggestions: set[str]) -> int:
    """Drop from the log every change to a coding of `interview` or to one of its
    `suggestions` (guids), before the transcript is removed: such a change could not be undone
    any more, and a withdrawn interview should leave nothing behind. An action left with no
    change is deleted. Returns the number of actions touched."""
    touched = 0
    for row in conn.execute("SELECT id, payload FROM actions").fetchall():
        payload = json.loads(row["payload"])
        changes = payload["changes"]
        kept = [
            c
            for c in changes
            if not (
                (
                    c[0] == "coding"
                    and interview in ((c[2] or {}).get("interview"), (c[3] or {}).get("interview"))
                )
                or (c[0] == "suggestion" and c[1] in suggestions)
            )
        ]
        if len(kept) == len(changes):
            continue
        touched += 1
        if kept:
            payload["changes"] = kept
            conn.execute(
                "UPDATE actions SET payload = ? WHERE id = ?",
                (json.dumps(payload, ensure_ascii=False), row["id"]),
            )
        else:
            conn.execute("DELETE FROM actions WHERE id = ?", (row["id"],))
    return touched


def rename_interview(conn: sqlite3.Connection, old: str, new: str) -> int:
    """Make every logged coding state of interview `old` name `new` (a transcript file whose
    `interview:` was edited), so that undo and redo still find the transcript. Returns the
    number of actions changed."""
    touched = 0
    for row in conn.execute("SELECT id, payload FROM actions").fetchall():
        payload = json.loads(row["payload"])
        changed = False
        for change in payload["changes"]:
            for state in change[2:4]:
                if change[0] == "coding" and state and state.get("interview") == old:
                    state["interview"] = new
                    changed = True
        if changed:
            touched += 1
            conn.execute(
                "UPDATE actions SET payload = ? WHERE id = ?",
                (json.dumps(payload, ensure_ascii=False), row["id"]),
            )
    return touched


# -- actions: do the work through the domain functions, then log it ----------------------
F = TypeVar("F", bound=Callable[..., Any])


def _atomic(func: F) -> F:
    """Run an action and its log entry in one transaction of the store (the first argument)."""

    @functools.wraps(func)
    def wrapper(store: Store, *args: Any, **kwargs: Any) -> Any:
        with store.transaction():
            return func(store, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


@_atomic
def code(
    store: Store,
    interview: str,
    start: int,
    end: int,
    code_id: str,
    coder: str,
    memo: str = "",
    text_sha256: str | None = None,
) -> Coding:
    """`text_sha256`, here and below: the hash of the text the offsets or the coding were
    picked on; the action is refused (codings.StaleText) if the stored text is another."""
    coding = ops.add_coding(
        store, interview, start, end, code_id, coder, memo=memo, text_sha256=text_sha256
    )
    record(
        store,
        "code",
        f"{code_id} on {interview} {coding.start}..{coding.end}",
        coder,
        [Change("coding", coding.guid, None, coding_state(coding))],
    )
    return coding


@_atomic
def code_many(
    store: Store,
    spans: list[tuple[str, int, int]],
    code_id: str,
    coder: str,
    text_sha256: dict[str, str] | None = None,
) -> tuple[list[Coding], list[str]]:
    """Code many (interview, start, end) spans as one undoable action.

    Returns the new codings and one message per span that was skipped (e.g. already coded).
    `text_sha256` maps each interview to the hash of the text its spans were found in; if one
    has changed since, nothing at all is coded (StaleText).
    """
    done: list[Coding] = []
    skipped: list[str] = []
    hashes = text_sha256 or {}
    for interview, start, end in spans:
        try:
            done.append(
                ops.add_coding(
                    store, interview, start, end, code_id, coder, text_sha256=hashes.get(interview)
                )
            )
        except ops.StaleText:
            raise
        except LfaError as exc:
            skipped.append(f"{interview} {start}..{end}: {exc.message}")
    if done:
        record(
            store,
            "code_many",
            f"{code_id} on {count(len(done), 'passage', 'passages')}",
            coder,
            [Change("coding", c.guid, None, coding_state(c)) for c in done],
        )
    return done, skipped


@_atomic
def uncode(store: Store, coding_id: int, coder: str, text_sha256: str | None = None) -> Coding:
    coding = ops.remove_coding(store, coding_id, text_sha256)
    record(
        store,
        "uncode",
        f"remove {coding.code} on {coding.interview} {coding.start}..{coding.end}",
        coder,
        [Change("coding", coding.guid, coding_state(coding), None)],
    )
    return coding


@_atomic
def change_code(
    store: Store, coding_id: int, code_id: str, coder: str, text_sha256: str | None = None
) -> Coding:
    before = ops.get_coding(store, coding_id)
    after = ops.change_coding_code(store, coding_id, code_id, text_sha256)
    record(
        store,
        "change_code",
        f"{before.code} → {code_id} on {before.interview} {before.start}..{before.end}",
        coder,
        [Change("coding", after.guid, coding_state(before), coding_state(after))],
    )
    return after


@_atomic
def set_memo(
    store: Store, coding_id: int, memo: str, coder: str, text_sha256: str | None = None
) -> Coding:
    before = ops.get_coding(store, coding_id)
    after = ops.set_coding_memo(store, coding_id, memo, text_sha256)
    record(
        store,
        "memo",
        f"memo on coding {coding_id} ({before.code})",
        coder,
        [Change("coding", after.guid, coding_state(before), coding_state(after))],
    )
    return after


@_atomic
def accept(
    store: Store,
    suggestion_id: int,
    coder: str,
    start: int | None = None,
    end: int | None = None,
    text_sha256: str | None = None,
) -> Coding:
    """Accept a suggestion (optionally with an adjusted span) as one undoable action."""
    guid, before = suggestion_state(store, suggestion_id)
    coding = accept_suggestion(
        store, suggestion_id, coder, start=start, end=end, text_sha256=text_sha256
    )
    _, after = suggestion_state(store, suggestion_id)
    record(
        store,
        "accept",
        f"accept {coding.code} on {coding.interview} {coding.start}..{coding.end}",
        coder,
        [
            Change("coding", coding.guid, None, coding_state(coding)),
            Change("suggestion", guid, before, after),
        ],
    )
    return coding


@_atomic
def reject(store: Store, suggestion_id: int, coder: str) -> None:
    guid, before = suggestion_state(store, suggestion_id)
    reject_suggestion(store, suggestion_id, coder)
    _, after = suggestion_state(store, suggestion_id)
    record(
        store,
        "reject",
        f"reject suggestion {suggestion_id}",
        coder,
        [Change("suggestion", guid, before, after)],
    )
