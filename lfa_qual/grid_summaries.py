"""The summaries of the summary grid as stored, one row per cell (`grid_summaries`): the state
an undoable action records and the replay of one. Below `history`, which undoes and redoes a
summary through `apply_grid`; the grid itself is built in `grid`."""

from __future__ import annotations

import sqlite3

STATE_FIELDS = ("row_kind", "row", "code", "text", "author", "updated")
ROW_KINDS = ("school", "interview", "role_group")  # what a row of the grid is


def summary_state(conn: sqlite3.Connection, guid: str) -> dict | None:
    row = conn.execute(
        "SELECT row_kind, row, code_id AS code, text, author, updated FROM grid_summaries"
        " WHERE guid = ?",
        (guid,),
    ).fetchone()
    return None if row is None else {f: row[f] for f in STATE_FIELDS}


def apply_grid(
    conn: sqlite3.Connection, guid: str, expected: dict | None, want: dict | None, why
) -> None:
    """Undo/redo of a summary: make it `want` if it is still `expected`; `why(text)` makes
    the error for a summary changed since (by another coder, say)."""
    current = summary_state(conn, guid)
    if (current or {}).get("text") != (expected or {}).get("text"):
        raise why("the summary has been changed since")
    if want is None:
        conn.execute("DELETE FROM grid_summaries WHERE guid = ?", (guid,))
    elif current is None:
        conn.execute(
            "INSERT INTO grid_summaries(guid, row_kind, row, code_id, text, author, updated)"
            " VALUES (?,?,?,?,?,?,?)",
            (guid, *(want[f] for f in STATE_FIELDS)),
        )
    else:
        conn.execute(
            "UPDATE grid_summaries SET text=?, author=?, updated=? WHERE guid=?",
            (want["text"], want["author"], want["updated"], guid),
        )
