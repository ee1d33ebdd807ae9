"""Merging another coder's project into this one.

The other project (a folder or its store file) is opened read-only and never modified.
Transcripts are matched by the SHA-256 of their normalised text, never by file name: an equal
text is the same transcript whatever it is called. A transcript with our interview id but other
text (one side fixed a typo) has the other side's codings re-anchored onto our text with
`lfa_qual.reanchor` (kept, moved, or marked "needs review"; none dropped). A transcript we lack
is added to the store. Codings keep their coder, GUID, memo, status and timestamps; one whose
GUID we have already is skipped, so merging twice adds nothing, and merging B then C gives the
same codings as C then B.

Codebook rule: our codebook file is the source of truth. A code id both sides have keeps our
label (a different label on the other side is reported). A code id only the other side has
stops the merge before anything is written: nothing is dropped, the report lists the codes
to add to our codebook, and merging again after adding them takes their codings.

Everything is written in one transaction after a backup of our store; `dry_run` reports the
same without writing or backing up.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lfa_qual.config import CONFIG_NAME, load_config
from lfa_qual.errors import LfaError, StoreError
from lfa_qual.importer import _insert, load_transcript
from lfa_qual.reanchor import REVIEW, Alignment, anchor_span
from lfa_qual.store import SCHEMA_VERSION, Store

if TYPE_CHECKING:
    from lfa_qual.project import Project


class ReadOnlyStore(Store):
    """Another project's store, opened with SQLite's read-only mode: it cannot be written."""

    def __init__(self, path: Path) -> None:  # no WAL switch, no migration: those write
        self.path = path
        self._depth = 0
        try:
            self.conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
            self.conn.row_factory = sqlite3.Row
            names = {
                r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.Error:
            raise LfaError(
                "not an lfa-qual project store (SQLite cannot read it)", path=path
            ) from None
        if not {"schema_version", "transcripts", "codings", "codes"} <= names:
            self.conn.close()
            raise LfaError("not an lfa-qual project store (its tables are missing)", path=path)
        version = self.version
        if version > SCHEMA_VERSION:
            self.conn.close()
            raise StoreError(
                f"this store is from a newer lfa-qual (schema {version}, ours {SCHEMA_VERSION}); "
                "upgrade lfa-qual to merge it",
                path=path,
            )


def other_store_path(other: Path) -> Path:
    """The store file of OTHER: a project folder (its configured database) or the file itself."""
    if not other.exists():
        raise LfaError("no such project folder or store file", path=other)
    if other.is_dir():
        if not (other / CONFIG_NAME).exists():
            raise LfaError(f"not an lfa-qual project (no {CONFIG_NAME})", path=other)
        db = other / load_config(other).database
        if not db.exists():
            raise LfaError("the other project has no store yet (nothing is coded)", path=db)
        return db
    if other.suffix.lower() == ".qdpx":
        # The seam for a REFI-QDA importer: it would turn the archive into a store first.
        raise LfaError(
            "merging a REFI-QDA archive (.qdpx) needs its importer, which this lfa-qual lacks; "
            "import it into a project folder first and merge that",
            path=other,
        )
    return other


@dataclass
class MergeReport:
    other: Path
    dry_run: bool
    matched: list[str] = field(default_factory=list)  # "ours" or "ours ← theirs (renamed)"
    added_transcripts: list[str] = field(default_factory=list)
    reanchored: dict[str, dict[str, int]] = field(default_factory=dict)
    codings_added: int = 0
    codings_present: int = 0  # GUID already here
    codings_duplicate: int = 0  # the same coder, passage and code under another GUID
    label_differences: list[str] = field(default_factory=list)
    missing_codes: list[tuple[str, str, str | None]] = field(default_factory=list)
    by_coder: dict[str, int] = field(default_factory=dict)
    backup: Path | None = None

    def lines(self) -> list[str]:
        verb = "would add" if self.dry_run else "added"
        out = [f"merging {self.other}" + (" (dry run: nothing is changed)" if self.dry_run else "")]
        out.append(
            f"transcripts: {len(self.matched)} matched by text, {len(self.added_transcripts)} {verb}"
        )
        out += [f"  {verb} transcript {i}" for i in self.added_transcripts]
        out += [f"  matched {m}" for m in self.matched if "←" in m]
        for interview, counts in self.reanchored.items():
            out.append(
                f"  {interview}: the other text differs; its codings re-anchored: "
                + ", ".join(f"{n} {k}" for k, n in counts.items())
            )
        who = ", ".join(f"{c} {n}" for c, n in sorted(self.by_coder.items()))
        out.append(
            f"codings: {self.codings_added} {verb}"
            + (f" ({who})" if who else "")
            + f", {self.codings_present} already here"
            + (f", {self.codings_duplicate} duplicate(s) skipped" if self.codings_duplicate else "")
        )
        out += [f"codebook: {d}" for d in self.label_differences]
        if self.backup:
            out.append(f"backup of the store before merging: {self.backup}")
        return out


def _codes(store: Store) -> dict[str, dict]:
    return {r["id"]: dict(r) for r in store.read("SELECT id, parent, label FROM codes")}


def _check_codebooks(ours: Store, theirs: Store, report: MergeReport) -> None:
    mine, other = _codes(ours), _codes(theirs)
    used = {r[0] for r in theirs.read("SELECT DISTINCT code_id FROM codings")}
    for cid in sorted(other):
        if cid in mine and mine[cid]["label"] != other[cid]["label"]:
            report.label_differences.append(
                f"code {cid!r} is {mine[cid]['label']!r} here and {other[cid]['label']!r} in "
                "the other project; ours is kept"
            )
        elif cid not in mine and cid in used:
            report.missing_codes.append((cid, other[cid]["label"], other[cid]["parent"]))
    if report.missing_codes:
        listed = "\n".join(
            f"  - id: {cid}\n    label: {label}" + (f"   # under {parent}" if parent else "")
            for cid, label, parent in report.missing_codes
        )
        raise LfaError(
            f"the other project codes with {len(report.missing_codes)} code(s) our codebook "
            f"lacks; nothing was merged. Add them to the codebook, then merge again:\n{listed}",
            field="codebook",
        )


def merge_project(project: Project, other: Path, *, dry_run: bool = False) -> MergeReport:
    path = other_store_path(Path(other))
    if path.resolve() == project.db_path.resolve():
        raise LfaError("that is this project's own store", path=path)
    theirs = ReadOnlyStore(path)
    try:
        return _merge(project, theirs, path, dry_run)
    finally:
        theirs.close()


def _merge(project: Project, theirs: Store, path: Path, dry_run: bool) -> MergeReport:
    ours = project.store
    report = MergeReport(path, dry_run)
    _check_codebooks(ours, theirs, report)
    by_sha = {
        r["sha256"]: r["interview"] for r in ours.read("SELECT interview, sha256 FROM transcripts")
    }
    known_guids = {r[0] for r in ours.read("SELECT guid FROM codings")}
    plan: list[tuple[str, dict]] = []  # (our interview, the coding's row at our offsets)
    new_transcripts = []
    for t in theirs.read("SELECT id, interview, sha256 FROM transcripts ORDER BY interview"):
        rows = [
            dict(r)
            for r in theirs.read(
                "SELECT guid, start, end, code_id, coder, created, source, memo, status,"
                " old_text, review_note FROM codings WHERE transcript_id = ? ORDER BY start, guid",
                (t["id"],),
            )
        ]
        fresh = [r for r in rows if r["guid"] not in known_guids]
        report.codings_present += len(rows) - len(fresh)
        if t["sha256"] in by_sha:
            mine = by_sha[t["sha256"]]
            report.matched.append(mine if mine == t["interview"] else f"{mine} ← {t['interview']}")
            plan += [(mine, r) for r in fresh]
        elif ours.read_one("SELECT 1 FROM transcripts WHERE interview = ?", (t["interview"],)):
            counts: dict[str, int] = {}
            old, new = load_transcript(theirs, t["interview"]), project.transcript(t["interview"])
            alignment = Alignment(old.text, new.text)
            for r in fresh:
                a = anchor_span(alignment, r["start"], r["end"], new, old)
                counts[a.outcome] = counts.get(a.outcome, 0) + 1
                if a.outcome == REVIEW:
                    r = {
                        **r,
                        "status": "needs_review",
                        "review_note": a.reason,
                        "old_text": r["old_text"] or old.text[r["start"] : r["end"]],
                    }
                plan.append((t["interview"], {**r, "start": a.start, "end": a.end}))
            if counts:
                report.reanchored[t["interview"]] = counts
        else:
            new_transcripts.append(load_transcript(theirs, t["interview"]))
            report.added_transcripts.append(t["interview"])
            plan += [(t["interview"], r) for r in fresh]
    if not dry_run and (plan or new_transcripts):
        from lfa_qual.backup import backup, default_backup_path

        report.backup = backup(
            project.db_path, default_backup_path(project.db_path, "before-merge")
        )
    _apply(ours, plan, new_transcripts, report, dry_run)
    return report


def _apply(ours: Store, plan, new_transcripts, report: MergeReport, dry_run: bool) -> None:
    """All of the merge in one transaction (rolled back for a dry run)."""
    try:
        with ours.transaction() as conn:
            for transcript in new_transcripts:
                _insert(conn, transcript, "")  # kept in the store; its file is the other's
            tids = {r[0]: r[1] for r in conn.execute("SELECT interview, id FROM transcripts")}
            for interview, r in plan:
                tid = tids[interview]
                dup = conn.execute(
                    "SELECT 1 FROM codings WHERE transcript_id=? AND start=? AND end=?"
                    " AND code_id=? AND coder=?",
                    (tid, r["start"], r["end"], r["code_id"], r["coder"]),
                ).fetchone()
                if dup:
                    report.codings_duplicate += 1
                    continue
                conn.execute(
                    "INSERT INTO codings(guid, transcript_id, start, end, code_id, coder, created,"
                    " source, memo, status, old_text, review_note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        r["guid"],
                        tid,
                        r["start"],
                        r["end"],
                        r["code_id"],
                        r["coder"],
                        r["created"],
                        r["source"],
                        r["memo"],
                        r["status"],
                        r["old_text"],
                        r["review_note"],
                    ),
                )
                report.codings_added += 1
                report.by_coder[r["coder"]] = report.by_coder.get(r["coder"], 0) + 1
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass


class _DryRun(Exception):
    """Raised to roll the merge's transaction back after counting what it would do."""
