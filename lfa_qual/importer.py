"""Putting transcripts into the store and reading them back."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lfa_qual.errors import LfaError, TranscriptError
from lfa_qual.history import forget_interview
from lfa_qual.readers import read_transcript
from lfa_qual.reanchor import REVIEW, ReanchorResult, reanchor_rows
from lfa_qual.store import Store, new_guid, now, transcript_id
from lfa_qual.transcript import Paragraph, Speaker, Transcript, Turn
from lfa_qual.wording import plural


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # One entry per changed transcript that had codings or suggestions to carry over.
    reanchored: list[ReanchorResult] = field(default_factory=list)
    # Notes on transcripts whose file was renamed or moved, or replaced with `--replace`.
    moved: list[str] = field(default_factory=list)
    # Transcripts in the store whose file is gone (filled by `Project.sync`).
    missing: list[MissingFile] = field(default_factory=list)
    # Files that could not be read and were left out, each with all its problems.
    failed: list[FailedFile] = field(default_factory=list)

    def notes(self, failed_as: str = "warning") -> list[str]:
        """What the user must hear about this sync, line by line, as every interface shows it:
        re-anchored transcripts with the codings that need review, moved files, files left out
        (an error for `import`, which exits 2; a warning where the command goes on without
        them) and missing files."""
        lines: list[str] = []
        for r in self.reanchored:
            lines.append(f"lfa-qual: {r.summary()}")
            lines += [
                f"  coding {m.coding_id} ({m.code}): {m.reason}"
                for m in r.codings
                if m.outcome == REVIEW
            ]
            if r.suggestions_dropped:
                lines.append(f"  {r.suggestions_dropped} open suggestion(s) on edited text dropped")
        if any(r.review for r in self.reanchored):
            lines.append("lfa-qual: see `lfa-qual review` for the codings to check")
        lines += [f"lfa-qual: {note}" for note in self.moved]
        for f in self.failed:
            n = len(f.problems)
            problems = plural(n, "problem", "problems")
            lines.append(f"lfa-qual: {failed_as}: {f.path} not imported ({n} {problems}):")
            lines += [f"  {p}" for p in f.problems]
        lines += [
            f"lfa-qual: warning: the file of transcript {m.interview!r} is gone ({m.path}); "
            f"it stays in the project and its exports with its {m.codings} coding(s): put the "
            f"file back, or remove it with `lfa-qual remove {m.interview}`"
            for m in self.missing
        ]
        return lines


@dataclass(frozen=True)
class FailedFile:
    """A transcript file left out of an import: nothing of it is stored (an earlier version
    of the same interview, if any, stays as it was)."""

    path: Path
    problems: list[LfaError]


@dataclass(frozen=True)
class MissingFile:
    interview: str
    path: Path
    codings: int


def read_all(paths: list[Path]) -> list[Transcript]:
    """Parse every file first, so that a bad file stops the import before anything is written."""
    transcripts = [read_transcript(p) for p in paths]
    check_unique(transcripts)
    return transcripts


def read_good(paths: Iterable[Path]) -> tuple[list[Transcript], list[FailedFile]]:
    """Parse every file; the good ones, and the bad ones with all their problems. One bad
    file must not stop the work on the others. Files that share an interview id are all
    refused (which one is meant is the user's call); the stored transcript stays as it was."""
    parsed: list[Transcript] = []
    failed: list[FailedFile] = []
    for path in paths:
        try:
            parsed.append(read_transcript(path))
        except TranscriptError as exc:
            failed.append(FailedFile(Path(path), list(exc.problems)))
        except LfaError as exc:
            failed.append(FailedFile(Path(path), [exc]))
    sources: dict[str, list[str]] = {}
    for t in parsed:
        sources.setdefault(t.interview, []).append(t.source)
    good = []
    for t in parsed:
        others = [s for s in sources[t.interview] if s != t.source]
        if others:
            failed.append(FailedFile(Path(t.source), [_duplicate(t, ", ".join(others))]))
        else:
            good.append(t)
    return good, failed


def _duplicate(t: Transcript, other: str) -> TranscriptError:
    return TranscriptError(
        f"interview id {t.interview!r} is also used by {other}; "
        "give each transcript its own 'interview:'",
        path=t.source,
        field="interview",
    )


def check_unique(transcripts: list[Transcript]) -> None:
    seen: dict[str, str] = {}
    for t in transcripts:
        if t.interview in seen:
            raise _duplicate(t, seen[t.interview])
        seen[t.interview] = t.source


def canonical(source: str | Path) -> Path:
    """An absolute path with its folders resolved but not the file itself: a symbolic link to a
    transcript is recorded as the link (the file the user put in the project), so that deleting
    the link is noticed as "file gone", not hidden behind the target that still exists."""
    path = Path(os.path.abspath(source))
    return path.parent.resolve() / path.name


def source_key(source: str | Path, root: Path | None) -> str:
    """How the store records a transcript's file: relative to the project folder when the file
    lies inside it (so the project can be moved or copied with its store), else absolute. A
    symbolic link is recorded as itself (see `canonical`)."""
    if not str(source):
        return ""
    path = canonical(source)
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return str(path)


def recorded_file(source: str, root: Path | None) -> Path:
    """The file a stored transcript was imported from (see `source_key`)."""
    path = Path(source)
    if root is not None and not path.is_absolute():
        return root / path
    return path


def _same_file(recorded: str, key: str, root: Path | None) -> bool:
    if not recorded or not key or recorded == key:
        return True
    if recorded_file(recorded, root).resolve() == recorded_file(key, root).resolve():
        return True
    # A store from before paths were recorded relative to the project, in a project folder that
    # was moved or copied since: the recorded path ends with the file's path in the project.
    rec, new = Path(recorded), Path(key)
    return rec.is_absolute() and not new.is_absolute() and rec.parts[-len(new.parts) :] == new.parts


def in_folder(source: str | Path, folder: Path | None) -> bool:
    """Whether the file `source` lies in the transcripts `folder` (read on every command)."""
    return (
        bool(str(source))
        and folder is not None
        and canonical(source).is_relative_to(folder.resolve())
    )


def _check_same_file(
    t: Transcript, recorded: str, key: str, root: Path | None, folder: Path | None, replace: bool
) -> str | None:
    """None when `t` comes from the file its interview was imported from; a note when it takes
    the place of a renamed or moved file, or replaces it on request; else a refusal naming both."""
    if _same_file(recorded, key, root):
        return None
    old = recorded_file(recorded, root)
    if not old.exists():
        return f"{t.interview}: its file is now {key} (was {recorded})"
    old_in_folder = in_folder(old, folder)
    if old_in_folder:
        advice = (
            f"if this file is a new version of that interview, copy it over {old} (lfa-qual "
            "re-anchors the codings on the next command, after a backup)"
        )
    else:
        advice = (
            "if this file is a new version of that interview, import it with "
            "`lfa-qual import --replace FILE` (the codings are re-anchored and reported)"
        )
    if replace and not old_in_folder:
        return f"{t.interview}: {key} replaces {recorded}"
    raise TranscriptError(
        f"interview id {t.interview!r} is already used by {old}, which the project's transcript "
        f"was imported from; give this file its own 'interview:', or, {advice}"
        + (
            f". --replace cannot replace a file in the transcripts folder ({folder}), which "
            "is read on every command"
            if replace and old_in_folder
            else ""
        ),
        path=t.source,
        field="interview",
    )


class ChangedTranscriptError(LfaError):
    """A transcript whose text changed after it was coded; `interview` names it."""

    def __init__(self, message: str, interview: str, **kw) -> None:
        super().__init__(message, **kw)
        self.interview = interview


def import_transcripts(
    store: Store,
    transcripts: list[Transcript],
    *,
    allow_changed: bool = False,
    root: Path | None = None,
    folder: Path | None = None,
    replace: bool = False,
) -> ImportReport:
    """Store new and changed transcripts in one transaction; unchanged ones are left alone.

    A changed transcript that already has codings is refused, naming the file, unless
    `allow_changed`: then its codings and suggestions are re-anchored onto the new text in the
    same transaction (see `lfa_qual.reanchor`) and reported in `reanchored`.

    A file whose interview id belongs to a transcript imported from another file that still
    exists is refused, naming both, unless `replace` (never for a file in the transcripts
    `folder`, which the project reads on every command). When that other file is gone, the
    new one takes its place (a rename or move; noted in `moved`). Paths are recorded relative
    to the project folder `root` when inside it.
    """
    report = ImportReport()
    claimed = {t.interview for t in transcripts}
    with store.transaction() as conn:
        for t in transcripts:
            report.warnings += t.warnings
            key = source_key(t.source, root)
            select = "SELECT id, sha256, source FROM transcripts WHERE interview = ?"
            row = conn.execute(select, (t.interview,)).fetchone()
            if row is None:
                note = rename_from_same_file(conn, t.interview, key, claimed)
                if note:
                    report.moved.append(note)
                    row = conn.execute(select, (t.interview,)).fetchone()
            if row is None:
                _insert(conn, t, key)
                report.added.append(t.interview)
                continue
            if (
                row["sha256"] == t.sha256
                and not _same_file(row["source"], key, root)
                and recorded_file(row["source"], root).exists()
            ):
                # The same text from another file (e.g. copied into the transcripts folder after
                # an import from elsewhere): nothing to refuse. The folder's copy is the one
                # read on every command, so the project follows it.
                if in_folder(t.source, folder):
                    conn.execute("UPDATE transcripts SET source=? WHERE id=?", (key, row["id"]))
                    report.moved.append(
                        f"{t.interview}: now read from {key} (the same text as {row['source']})"
                    )
                report.unchanged.append(t.interview)
                continue
            note = _check_same_file(t, row["source"], key, root, folder, replace)
            if note:
                report.moved.append(note)
            if row["sha256"] == t.sha256:
                if row["source"] != key:
                    conn.execute("UPDATE transcripts SET source=? WHERE id=?", (key, row["id"]))
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
            _replace(conn, row["id"], t, key)
            report.updated.append(t.interview)
    return report


def renamed_from(
    conn: sqlite3.Connection, interview: str, key: str, claimed: set[str]
) -> sqlite3.Row | None:
    """The stored transcript that `interview` read from the file `key` renames: one recorded
    from that same file under another id that no file being imported claims. A file whose
    `interview:` was edited is the same transcript with a new id, never a second transcript."""
    if not key:
        return None
    rows = conn.execute(
        "SELECT id, interview FROM transcripts WHERE source = ? AND interview != ?",
        (key, interview),
    ).fetchall()
    rows = [r for r in rows if r["interview"] not in claimed]
    return rows[0] if len(rows) == 1 else None


def rename_from_same_file(
    conn: sqlite3.Connection, interview: str, key: str, claimed: set[str]
) -> str | None:
    """Give the transcript of file `key` its new id `interview`, which no stored transcript has
    (see `renamed_from`), with its codings, suggestions, memo and undo history; a note saying
    so, or None."""
    old = renamed_from(conn, interview, key, claimed)
    if old is None:
        return None
    from lfa_qual.history import rename_interview

    codings = conn.execute(
        "SELECT count(*) FROM codings WHERE transcript_id = ?", (old["id"],)
    ).fetchone()[0]
    conn.execute("UPDATE transcripts SET interview = ? WHERE id = ?", (interview, old["id"]))
    conn.execute(
        "UPDATE memos SET target = ? WHERE target_kind = 'transcript' AND target = ?",
        (interview, old["interview"]),
    )
    rename_interview(conn, old["interview"], interview)
    return (
        f"{interview}: renamed from {old['interview']!r} (the 'interview:' of {key} changed); "
        f"its {codings} coding(s) are kept"
    )


def _insert(conn: sqlite3.Connection, t: Transcript, source: str) -> int:
    cur = conn.execute(
        "INSERT INTO transcripts(guid, interview, school, date, kind, source, text, sha256,"
        " words, pages, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            new_guid(),
            t.interview,
            t.school,
            t.date,
            t.kind,
            source,
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


def _replace(conn: sqlite3.Connection, tid: int, t: Transcript, source: str) -> None:
    conn.execute(
        "UPDATE transcripts SET school=?, date=?, kind=?, source=?, text=?, sha256=?, words=?,"
        " pages=?, imported_at=? WHERE id=?",
        (t.school, t.date, t.kind, source, t.text, t.sha256, t.words, t.pages, now(), tid),
    )
    for table in ("speakers", "turns", "paragraphs"):
        conn.execute(f"DELETE FROM {table} WHERE transcript_id = ?", (tid,))
    _insert_structure(conn, tid, t)


@dataclass(frozen=True)
class Removed:
    codings: int
    suggestions: int


def remove_transcript(store: Store, interview: str) -> Removed:
    """Delete a transcript with its codings, suggestions, memo and their undo entries, in one
    transaction (`Project.remove_transcript` backs the store up first)."""
    tid = transcript_id(store, interview)
    with store.transaction() as conn:
        suggestions = {
            r[0] for r in conn.execute("SELECT guid FROM suggestions WHERE transcript_id=?", (tid,))
        }
        codings = conn.execute(
            "SELECT count(*) FROM codings WHERE transcript_id=?", (tid,)
        ).fetchone()[0]
        forget_interview(conn, interview, suggestions)
        conn.execute("DELETE FROM codings WHERE transcript_id=?", (tid,))
        conn.execute("DELETE FROM memos WHERE target_kind='transcript' AND target=?", (interview,))
        # Speakers, turns, paragraphs and suggestions follow (ON DELETE CASCADE).
        conn.execute("DELETE FROM transcripts WHERE id=?", (tid,))
    return Removed(codings, len(suggestions))


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
