"""Applying, removing and listing codings, and memos. Each action is one committed transaction."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from lfa_qual.errors import LfaError
from lfa_qual.importer import transcript_id
from lfa_qual.store import Store, new_guid, now
from lfa_qual.text import normalise
from lfa_qual.transcript import body_offset

SOURCES = ("manual", "suggestion")


@dataclass(frozen=True)
class Coding:
    id: int
    guid: str
    interview: str
    start: int
    end: int
    code: str
    coder: str
    created: str
    source: str
    memo: str = ""
    status: str = "ok"


CODING_SELECT = (
    "SELECT c.id, c.guid, t.interview, c.start, c.end, c.code_id AS code, c.coder, c.created,"
    " c.source, c.memo, c.status FROM codings c JOIN transcripts t ON t.id = c.transcript_id"
)


def _row_to_coding(row: sqlite3.Row) -> Coding:
    return Coding(**dict(row))


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends in white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def add_coding(
    store: Store,
    interview: str,
    start: int,
    end: int,
    code: str,
    coder: str,
    *,
    memo: str = "",
    source: str = "manual",
) -> Coding:
    if source not in SOURCES:
        raise LfaError(f"source must be one of {SOURCES}", field="source")
    if not coder.strip():
        raise LfaError("a coding needs a coder name", field="coder")
    tid = transcript_id(store, interview)
    with store.transaction() as conn:
        row = conn.execute("SELECT text FROM transcripts WHERE id = ?", (tid,)).fetchone()
        text = row["text"]
        if not (0 <= start < end <= len(text)):
            raise LfaError(
                f"offsets {start}..{end} fall outside the text of {interview!r} (0..{len(text)})",
                field="start/end",
            )
        start, end = trim_span(text, start, end)
        if start == end:
            raise LfaError("the selected span has no text", field="start/end")
        check_speech(conn, tid, interview, start, end)
        if conn.execute("SELECT 1 FROM codes WHERE id = ?", (code,)).fetchone() is None:
            raise LfaError(f"unknown code {code!r}; see `lfa-qual codebook check`", field="code")
        dup = conn.execute(
            "SELECT id FROM codings WHERE transcript_id=? AND start=? AND end=? AND code_id=?",
            (tid, start, end, code),
        ).fetchone()
        if dup is not None:
            raise LfaError(f"that passage already has code {code!r} (coding {dup['id']})")
        cur = conn.execute(
            "INSERT INTO codings(guid, transcript_id, start, end, code_id, coder, created, source, memo)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            (new_guid(), tid, start, end, code, coder, now(), source, memo),
        )
        coding_id = int(cur.lastrowid)
    return get_coding(store, coding_id)


# Codings whose span overlaps no paragraph of speech (front matter, labels, markers only).
NO_SPEECH_WHERE = (
    "NOT EXISTS (SELECT 1 FROM paragraphs p WHERE p.transcript_id = c.transcript_id"
    " AND p.start < c.end AND p.end > c.start)"
)


def check_speech(conn: sqlite3.Connection, tid: int, interview: str, start: int, end: int) -> None:
    """Refuse a span that holds no spoken words: only front matter, a speaker label, a
    timestamp, a `[side N]` marker or blank lines. A span with speech and a label is fine."""
    first = conn.execute(
        "SELECT min(start) AS first,"
        " EXISTS (SELECT 1 FROM paragraphs WHERE transcript_id = ? AND start < ? AND end > ?)"
        " AS speech FROM paragraphs WHERE transcript_id = ?",
        (tid, end, start, tid),
    ).fetchone()
    if first["speech"]:
        return
    where = (
        "the front matter, before the first turn"
        if first["first"] is not None and end <= first["first"]
        else "only a speaker label, timestamp, page marker or blank line"
    )
    raise LfaError(
        f"offsets {start}..{end} of {interview!r} cover no speech ({where}); "
        "a coding must include words someone says",
        field="start/end",
    )


def get_coding(store: Store, coding_id: int) -> Coding:
    row = store.read_one(CODING_SELECT + " WHERE c.id = ?", (coding_id,))
    if row is None:
        raise LfaError(f"no coding with id {coding_id}", field="coding")
    return _row_to_coding(row)


def remove_coding(store: Store, coding_id: int) -> Coding:
    coding = get_coding(store, coding_id)
    with store.transaction() as conn:
        conn.execute("UPDATE suggestions SET coding_id = NULL WHERE coding_id = ?", (coding_id,))
        conn.execute("DELETE FROM codings WHERE id = ?", (coding_id,))
    return coding


def set_coding_memo(store: Store, coding_id: int, memo: str) -> Coding:
    get_coding(store, coding_id)
    with store.transaction() as conn:
        conn.execute("UPDATE codings SET memo = ? WHERE id = ?", (memo, coding_id))
    return get_coding(store, coding_id)


def change_coding_code(store: Store, coding_id: int, code: str) -> Coding:
    get_coding(store, coding_id)
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM codes WHERE id = ?", (code,)).fetchone() is None:
            raise LfaError(f"unknown code {code!r}", field="code")
        conn.execute("UPDATE codings SET code_id = ? WHERE id = ?", (code, coding_id))
    return get_coding(store, coding_id)


def list_codings(
    store: Store,
    *,
    interview: str | None = None,
    codes: list[str] | None = None,
    coder: str | None = None,
) -> list[Coding]:
    where, params = [], []
    if interview:
        where.append("t.interview = ?")
        params.append(interview)
    if codes:
        where.append(f"c.code_id IN ({','.join('?' * len(codes))})")
        params += codes
    if coder:
        where.append("c.coder = ?")
        params.append(coder)
    sql = CODING_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY t.school, t.interview, c.start, c.end, c.code_id"
    return [_row_to_coding(r) for r in store.read(sql, tuple(params))]


def find_quote(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """Offsets of `quote` in the turns of `text` (not its front matter).

    The quote's words must match exactly (case too) and whole: "ordinator" does not match
    inside "PIT-koordinator", nor "kontaktperson" inside "kontaktpersonen". Any run of white
    space matches any run of white space. The quote is normalised as transcript text is (NFC,
    invisible and control characters removed), so a quote typed or pasted in another Unicode
    form (a decomposed "é", an emoji sequence with a zero-width joiner) matches.
    """
    words = normalise(quote).split()
    if not words:
        raise LfaError("the quote is empty", field="quote")
    core = r"\s+".join(re.escape(w) for w in words)
    before = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    after = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    pattern = re.compile(before + core + after)
    body = body_offset(text)
    hits = [(m.start(), m.end()) for m in pattern.finditer(text, body)]
    if not hits:
        inside = re.compile(core).search(text, body)
        if inside is not None:
            a = max(inside.start() - 20, body)
            context = " ".join(text[a : inside.end() + 20].split())
            raise LfaError(
                f"quote not found as whole words in the transcript: {quote!r} occurs only inside "
                f"longer words (e.g. at {inside.start()}: '…{context}…'); quote whole words",
                field="quote",
            )
        raise LfaError(f"quote not found in the transcript: {quote!r}", field="quote")
    if occurrence is not None:
        if not 1 <= occurrence <= len(hits):
            raise LfaError(
                f"the quote occurs {len(hits)} time(s); --occurrence {occurrence} is out of range",
                field="occurrence",
            )
        return hits[occurrence - 1]
    if len(hits) > 1:
        where = ", ".join(f"{s}..{e}" for s, e in hits[:10])
        raise LfaError(
            f"the quote occurs {len(hits)} times (at {where}); make it longer or pick one with --occurrence N",
            field="quote",
        )
    return hits[0]


def set_memo(store: Store, kind: str, target: str, text: str, author: str) -> None:
    """Memo on a code, a transcript or the project; an empty text deletes it."""
    with store.transaction() as conn:
        if not text.strip():
            conn.execute("DELETE FROM memos WHERE target_kind=? AND target=?", (kind, target))
            return
        conn.execute(
            "INSERT INTO memos(guid, target_kind, target, text, author, updated) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(target_kind, target) DO UPDATE SET text=excluded.text,"
            " author=excluded.author, updated=excluded.updated",
            (new_guid(), kind, target, text, author, now()),
        )


def get_memo(store: Store, kind: str, target: str) -> str:
    row = store.read_one("SELECT text FROM memos WHERE target_kind=? AND target=?", (kind, target))
    return row["text"] if row else ""
