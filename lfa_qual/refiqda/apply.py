"""Writing an import's plan: backups, the codebook file, new transcript files, then the store
in one transaction; undone (files removed, codebook copy put back) if that transaction fails."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

from lfa_qual.backup import backup, default_backup_path
from lfa_qual.codebook_sync import sync_codebook
from lfa_qual.importer import import_transcripts
from lfa_qual.outputs import replacing_text
from lfa_qual.refiqda.plan import Plan, QdpxReport
from lfa_qual.store import new_guid, now
from lfa_qual.textfile import read_text_file


def _backup_codebook(codebook: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = codebook.with_name(f"{codebook.stem}.before-import-{stamp}{codebook.suffix}")
    n = 2
    while out.exists():
        out = codebook.with_name(f"{codebook.stem}.before-import-{stamp}-{n}{codebook.suffix}")
        n += 1
    shutil.copy2(codebook, out)
    return out


def write_codebook(project, text: str) -> Path | None:
    """Replace the codebook file's text after a copy of it; returns the copy (None: unchanged)."""
    old, _ = read_text_file(project.codebook_path)
    if old == text:
        return None
    made = _backup_codebook(project.codebook_path)
    with replacing_text(project.codebook_path, newline="\n") as out:
        out.write(text)
    return made


def nothing_to_do(project, plan: Plan) -> bool:
    """True when the import would change nothing (the same archive again): then no backup is
    made and nothing is written."""
    if plan.new or read_text_file(project.codebook_path)[0] != plan.merge.text:
        return False
    known = {r[0] for r in project.store.read("SELECT guid FROM codings")}
    if any(c[0] not in known for c in plan.codings):
        return False
    for _, kind, target, text, _ in plan.memos:
        row = project.store.read_one(
            "SELECT text FROM memos WHERE target_kind=? AND target=?", (kind, target)
        )
        if text.strip() and (row is None or text not in row["text"]):
            return False
    return True


def apply_plan(project, plan: Plan, report: QdpxReport, files: dict[str, Path]) -> None:
    store = project.store
    if nothing_to_do(project, plan):
        report.known = len(plan.codings)
        return
    if project.db_path.exists():
        report.backup = backup(project.db_path, default_backup_path(project.db_path, "pre-import"))
    report.codebook_backup = write_codebook(project, plan.merge.text)
    written: list[Path] = []
    try:
        transcripts = []
        for t in plan.new:
            file = files[t.interview]
            if not file.exists():
                file.parent.mkdir(parents=True, exist_ok=True)
                with replacing_text(file, newline="\n") as out:
                    out.write(t.text)
                written.append(file)
            transcripts.append(dataclasses.replace(t, source=str(file)))
        with store.transaction() as conn:
            sync_codebook(store, plan.merge.codebook, plan.merge.text)
            adopt_guids(conn, "codes", "id", plan.merge.new_guids)
            import_transcripts(
                store, transcripts, root=project.root, folder=project.transcripts_dir
            )
            adopt_guids(conn, "transcripts", "interview", plan.guids)
            _insert_codings(conn, plan, report)
            _insert_memos(conn, plan, report)
    except BaseException:
        for file in written:
            file.unlink(missing_ok=True)
        if report.codebook_backup is not None:  # the copy goes back in place
            os.replace(report.codebook_backup, project.codebook_path)
        raise


def adopt_guids(conn, table: str, key: str, guids: dict[str, str]) -> None:
    """Records created by this import take the archive's GUIDs (unless one is in use)."""
    for value, guid in guids.items():
        conn.execute(
            f"UPDATE {table} SET guid = ? WHERE {key} = ?"
            f" AND NOT EXISTS (SELECT 1 FROM {table} WHERE guid = ?)",
            (guid, value, guid),
        )


def _insert_codings(conn, plan: Plan, report: QdpxReport) -> None:
    tids = {r[1]: r[0] for r in conn.execute("SELECT id, interview FROM transcripts")}
    known = {r[0] for r in conn.execute("SELECT guid FROM codings")}
    # Two coders may code the same passage with the same code (that is agreement); one coder
    # twice is a repeat.
    places = {
        tuple(r)
        for r in conn.execute("SELECT transcript_id, start, end, code_id, coder FROM codings")
    }
    rows = []
    for guid, interview, start, end, code, coder, created, memo in plan.codings:
        if guid in known:
            report.known += 1
            continue
        place = (tids[interview], start, end, code, coder)
        if place in places:
            report.duplicates += 1
            continue
        places.add(place)
        known.add(guid)
        rows.append((guid, place[0], start, end, code, coder, created, memo))
    conn.executemany(
        "INSERT INTO codings(guid, transcript_id, start, end, code_id, coder, created, source, memo)"
        " VALUES (?,?,?,?,?,?,?,'manual',?)",
        rows,
    )
    report.codings += len(rows)


def _insert_memos(conn, plan: Plan, report: QdpxReport) -> None:
    for guid, kind, target, text, author in plan.memos:
        if not text.strip():
            continue
        row = conn.execute(
            "SELECT text FROM memos WHERE target_kind=? AND target=?", (kind, target)
        ).fetchone()
        if row is not None:
            if text in row["text"]:
                continue
            conn.execute(
                "UPDATE memos SET text=?, updated=? WHERE target_kind=? AND target=?",
                (row["text"] + "\n\n" + text, now(), kind, target),
            )
        else:
            used = conn.execute("SELECT 1 FROM memos WHERE guid=?", (guid,)).fetchone()
            conn.execute(
                "INSERT INTO memos(guid, target_kind, target, text, author, updated)"
                " VALUES (?,?,?,?,?,?)",
                (new_guid() if used else guid, kind, target, text, author, now()),
            )
        report.memos += 1
