"""Applying, removing and listing codings, and memos. Each action is one committed transaction."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from lfa_qual.errors import LfaError
from lfa_qual.store import Store, new_guid, now, transcript_id
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
    coded_text: str | None = None  # the passage when it was coded (re-anchoring keeps it true)


CODING_SELECT = (
    "SELECT c.id, c.guid, t.interview, c.start, c.end, c.code_id AS code, c.coder, c.created,"
    " c.source, c.memo, c.status, c.coded_text"
    " FROM codings c JOIN transcripts t ON t.id = c.transcript_id"
)


class StaleText(LfaError):
    """The transcript's text changed after the offsets of an action were taken from it."""


def check_text(conn: sqlite3.Connection, tid: int, interview: str, sha256: str | None) -> None:
    """Refuse an action whose offsets (or whose view of the codings) were taken from another
    version of the transcript's text: another process has re-read the edited file and moved
    the codings meanwhile, so the offsets now point at other words. Run inside the action's
    transaction, so that no re-anchoring can come between the check and the write."""
    if sha256 is None:
        return
    row = conn.execute("SELECT sha256 FROM transcripts WHERE id = ?", (tid,)).fetchone()
    if row is not None and row["sha256"] != sha256:
        raise StaleText(
            f"the text of {interview!r} has changed since it was shown (its file was edited "
            "and re-read by another lfa-qual); nothing was changed: look at the new text and "
            "select the passage again",
            field="transcript",
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
    text_sha256: str | None = None,
) -> Coding:
    """Code `start..end` of `interview`. `text_sha256`: the hash of the text the offsets were
    taken from; the coding is refused (StaleText) if the stored text is another."""
    if source not in SOURCES:
        raise LfaError(f"source must be one of {SOURCES}", field="source")
    if not coder.strip():
        raise LfaError("a coding needs a coder name", field="coder")
    tid = transcript_id(store, interview)
    with store.transaction() as conn:
        check_text(conn, tid, interview, text_sha256)
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
        # The rule holds per coder: a second coder codes the same passage independently
        # (intercoder agreement needs both codings), but one coder never codes it twice.
        dup = conn.execute(
            "SELECT id FROM codings WHERE transcript_id=? AND start=? AND end=? AND code_id=?"
            " AND coder=?",
            (tid, start, end, code, coder),
        ).fetchone()
        if dup is not None:
            raise LfaError(
                f"that passage already has code {code!r} by coder {coder!r} (coding {dup['id']})"
            )
        cur = conn.execute(
            "INSERT INTO codings(guid, transcript_id, start, end, code_id, coder, created, source,"
            " memo, coded_text) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (new_guid(), tid, start, end, code, coder, now(), source, memo, text[start:end]),
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


def _check_coding_text(conn: sqlite3.Connection, coding: Coding, sha256: str | None) -> None:
    if sha256 is None:
        return
    row = conn.execute("SELECT transcript_id FROM codings WHERE id = ?", (coding.id,)).fetchone()
    if row is not None:
        check_text(conn, row["transcript_id"], coding.interview, sha256)


def remove_coding(store: Store, coding_id: int, text_sha256: str | None = None) -> Coding:
    """Remove a coding; `text_sha256` (the text it was picked on) as in `add_coding`."""
    coding = get_coding(store, coding_id)
    with store.transaction() as conn:
        _check_coding_text(conn, coding, text_sha256)
        conn.execute("UPDATE suggestions SET coding_id = NULL WHERE coding_id = ?", (coding_id,))
        conn.execute("DELETE FROM codings WHERE id = ?", (coding_id,))
    return coding


def set_coding_memo(
    store: Store, coding_id: int, memo: str, text_sha256: str | None = None
) -> Coding:
    coding = get_coding(store, coding_id)
    with store.transaction() as conn:
        _check_coding_text(conn, coding, text_sha256)
        conn.execute("UPDATE codings SET memo = ? WHERE id = ?", (memo, coding_id))
    return get_coding(store, coding_id)


def change_coding_code(
    store: Store, coding_id: int, code: str, text_sha256: str | None = None
) -> Coding:
    coding = get_coding(store, coding_id)
    with store.transaction() as conn:
        _check_coding_text(conn, coding, text_sha256)
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


def find_quote(
    text: str,
    quote: str,
    occurrence: int | None = None,
    locate: Callable[[int], str] | None = None,
) -> tuple[int, int]:
    """Offsets of `quote` in the turns of `text` (not its front matter).

    The quote's words must match exactly (case too) and whole: "ordinator" does not match
    inside "PIT-koordinator", nor "kontaktperson" inside "kontaktpersonen". Any run of white
    space matches any run of white space. The quote is normalised as transcript text is (NFC,
    invisible and control characters removed), so a quote typed or pasted in another Unicode
    form (a decomposed "é", an emoji sequence with a zero-width joiner) matches. `locate` names
    a place for a reader ("side 3, SL"); when the quote is ambiguous, the message lists each
    place with its context.
    """

    def where(start: int, end: int, mark: bool = True) -> str:
        a, b = max(start - 25, body), min(end + 25, len(text))
        hit = f"[{text[start:end]}]" if mark else text[start:end]
        context = " ".join(f"{text[a:start]}{hit}{text[end:b]}".split())
        place = locate(start) if locate else f"at {start}"
        return f"{place}: '…{context}…'"

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
            raise LfaError(
                f"quote not found as whole words in the transcript: {quote!r} occurs only inside "
                f"longer words (e.g. {where(inside.start(), inside.end(), mark=False)}); quote whole words",
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
        places = "\n".join(f"  {i}. {where(s, e)}" for i, (s, e) in enumerate(hits[:10], 1))
        more = f"\n  … and {len(hits) - 10} more" if len(hits) > 10 else ""
        raise LfaError(
            f"the quote occurs {len(hits)} times; make it longer or pick one with "
            f"--occurrence N:\n{places}{more}",
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
