"""Deciding on a coding that needs review after a transcript edit: keep it where it now is
(OK) or move it onto the passage meant. Both are undoable actions of `lfa_qual.history`."""

from __future__ import annotations

from lfa_qual import history
from lfa_qual.codings import Coding, check_speech, find_quote, get_coding, trim_span
from lfa_qual.errors import LfaError
from lfa_qual.store import Store, transcript_id


def _decide(store: Store, coding_id: int, coder: str, span: tuple[int, int] | None) -> Coding:
    before = get_coding(store, coding_id)
    with store.transaction() as conn:
        if span is not None:
            start, end = span
            conn.execute(
                "UPDATE codings SET start = ?, end = ? WHERE id = ?", (start, end, coding_id)
            )
        conn.execute("UPDATE codings SET status = 'ok' WHERE id = ?", (coding_id,))
        after = get_coding(store, coding_id)
        what = "moved" if span is not None else "kept"
        history.record(
            store,
            "review",
            f"review: {what} {before.code} on {before.interview} {after.start}..{after.end}",
            coder,
            [
                history.Change(
                    "coding",
                    before.guid,
                    history.coding_state(before),
                    history.coding_state(after),
                )
            ],
        )
    return after


def review_ok(store: Store, coding_id: int, coder: str) -> Coding:
    """The coding is right where it is now."""
    return _decide(store, coding_id, coder, None)


def review_move(store: Store, coding_id: int, start: int, end: int, coder: str) -> Coding:
    """Move the coding onto [start, end) of its transcript (speech only) and mark it checked."""
    coding = get_coding(store, coding_id)
    tid = transcript_id(store, coding.interview)
    text = store.read_one("SELECT text FROM transcripts WHERE id = ?", (tid,))["text"]
    if not 0 <= start < end <= len(text):
        raise LfaError(f"offsets {start}..{end} fall outside the text", field="start/end")
    start, end = trim_span(text, start, end)
    check_speech(store.conn, tid, coding.interview, start, end)
    return _decide(store, coding_id, coder, (start, end))


def nearest_quote(text: str, quote: str, near: int) -> tuple[int, int]:
    """The occurrence of `quote` (whole words, as `lfa-qual code --quote`) nearest to `near`."""
    hits: list[tuple[int, int]] = []
    while True:
        try:
            hits.append(find_quote(text, quote, len(hits) + 1))
        except LfaError:
            if not hits:
                find_quote(text, quote)  # the error saying why it is not found
            break
    return min(hits, key=lambda h: abs(h[0] - near))
