"""Reliability commands: backup, restore, review (codings moved by re-anchoring), verify."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lfa_qual.backup import backup, inspect, list_backups, restore
from lfa_qual.cli.core import check_known, open_project, print_report_notes
from lfa_qual.cli.table import csv_dialect_option, render_table, write_csv, write_json
from lfa_qual.codings import NO_SPEECH_WHERE, get_coding
from lfa_qual.config import CONFIG_NAME
from lfa_qual.csv_dialect import csv_dialect
from lfa_qual.errors import LfaError
from lfa_qual.reanchor import mark_reviewed, needs_review


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "backup", parents=[common], help="copy the project store (safe while others work)"
    )
    p.add_argument("--out", type=Path, help="backup file (default: next to the store, dated)")
    p.add_argument("--list", action="store_true", help="list the backups next to the store")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="bring back a backup of the store")
    p.add_argument("backup", type=Path, help="a file made by `lfa-qual backup`")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "remove",
        parents=[common],
        help="remove a transcript and its codings from the project (after a backup)",
    )
    p.add_argument("interview", help="interview id (its file must be gone from transcripts/)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser(
        "review", parents=[common], help="codings that need review after a transcript was edited"
    )
    p.add_argument("--interview", help="only this interview")
    p.add_argument("--ok", type=int, nargs="+", metavar="ID", help="mark these codings as checked")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    csv_dialect_option(p)
    p.set_defaults(func=cmd_review)

    p = sub.add_parser(
        "verify", parents=[common], help="check the store: integrity, offsets, codings to review"
    )
    p.set_defaults(func=cmd_verify)


def _describe(label: str, path: Path) -> str:
    info = inspect(path)
    return (
        f"{label}: {info.path}  ({info.bytes / 1024:.0f} KiB, schema {info.schema_version}, "
        f"{info.transcripts} transcripts, {info.codings} codings, "
        f"{info.needs_review} need review)"
    )


def cmd_backup(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        db = project.db_path
        if args.list:
            found = list_backups(db)
            if not found:
                print(f"no backups next to {db}")
            for path in found:
                try:
                    print(_describe("backup", path))
                except LfaError as exc:
                    print(f"backup: {path}  ({exc.message})")
            return 0
        require_store(project)
        _ = project.store  # opens (and migrates) the store, so that a backup is of a current store
        out = backup(db, args.out)
        print(_describe("backed up to", out))
    return 0


def _confirm(question: str, why: str = "restore replaces the project store") -> bool:
    if not sys.stdin.isatty():
        raise LfaError(f"{why}; confirm with --yes", field="--yes")
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in ("y", "yes", "j", "ja")


def cmd_restore(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        db = project.db_path
        print(_describe("backup", args.backup))
        if db.exists():
            try:
                print(_describe("current", db))
            except LfaError as exc:
                print(f"current: {db}  ({exc.message})")
        if not args.yes and not _confirm(
            "Replace the project store with the backup? (the current store is backed up first)"
        ):
            print("nothing restored")
            return 0
        project.close()
        safety = restore(args.backup, db)
        if safety is not None:
            print(f"the previous store was saved to {safety}")
        print(f"restored {args.backup} into {db}")
        # Opening the project migrates an older backup to the current schema.
        with open_project(args) as reopened:
            _ = reopened.store
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        check_known(project, "interview", [args.interview], "interview")
        project.check_removable(args.interview)
        row = next(r for r in project.transcript_rows() if r.interview == args.interview)
        print(
            f"transcript {row.interview} ({row.school}, {', '.join(row.roles)}, {row.date}): "
            f"{row.codings} coding(s), {row.open_suggestions} open suggestion(s)"
        )
        if not args.yes and not _confirm(
            f"Remove {row.interview} and its codings from the project? (the store is backed "
            "up first)",
            f"remove deletes {row.interview} and its codings",
        ):
            print("nothing removed")
            return 0
        removed = project.remove_transcript(args.interview)
        print(f"the store before the removal was saved to {removed.backup}")
        print(
            f"removed transcript {removed.interview} with {removed.codings} coding(s) and "
            f"{removed.suggestions} suggestion(s); it is still in the backups "
            "(`lfa-qual backup --list`): delete those too if the participant withdrew consent"
        )
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        _, report = project.sync()
        print_report_notes(report)
        if args.ok:
            n = mark_reviewed(project.store, args.ok)
            print(f"marked {n} coding(s) as checked")
            return 0
        if args.interview:
            check_known(project, "interview", [args.interview], "--interview")
        items = needs_review(project.store, args.interview)
        records = [
            {
                "id": i.coding_id,
                "interview": i.interview,
                "code": i.code,
                "start": i.start,
                "end": i.end,
                "citation": project.cite(get_coding(project.store, i.coding_id)),
                "reason": i.reason,
                "text": i.text,
                "old_text": i.old_text,
                "coder": i.coder,
            }
            for i in items
        ]
        if args.format == "json":
            write_json(records)
            return 0
        headers = ["id", "code", "citation", "reason", "text", "old_text"]
        rows = [[r[h] for h in headers] for r in records]
        if args.format == "csv":
            write_csv(headers, rows, dialect=csv_dialect(args.csv_dialect, to_file=False))
        elif not rows:
            print("no codings need review")
        else:
            print(render_table(headers, rows, max_width=46))
            print(
                f"{len(rows)} coding(s) need review: check each passage, then "
                "`lfa-qual review --ok ID …`, or `lfa-qual uncode ID` and code it again"
            )
    return 0


def require_store(project) -> None:
    """Refuse to check or copy a store that is not there: opening it would create an empty
    one (and, outside a project, a stray lfa-qual.db) and report it fine."""
    if not (project.root / CONFIG_NAME).is_file():
        raise LfaError(
            f"not an lfa-qual project (no {CONFIG_NAME} here); run this in the project folder "
            "or give --project FOLDER",
            path=project.root,
        )
    if not project.db_path.exists():
        raise LfaError(
            "the project has no store yet (nothing imported or coded): nothing to check",
            path=project.db_path,
        )


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_verify(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        require_store(project)
        store = project.store
        problems: list[str] = []
        if not store.integrity_ok():
            problems.append("SQLite integrity check failed: restore a backup (`lfa-qual restore`)")
        outside = store.read(
            "SELECT c.id, t.interview FROM codings c JOIN transcripts t ON t.id = c.transcript_id"
            " WHERE c.end > length(t.text) OR c.start < 0 OR c.end <= c.start"
        )
        problems += [f"coding {r['id']} in {r['interview']} lies outside its text" for r in outside]
        shifted = store.read(
            "SELECT c.id, c.code_id, c.start, c.end, c.coded_text, t.interview,"
            " substr(t.text, c.start + 1, c.end - c.start) AS now FROM codings c"
            " JOIN transcripts t ON t.id = c.transcript_id WHERE c.coded_text IS NOT NULL"
            " AND c.coded_text != substr(t.text, c.start + 1, c.end - c.start) ORDER BY c.id"
        )
        problems += [
            f"coding {r['id']} ({r['code_id']}) in {r['interview']} [{r['start']}:{r['end']}] "
            f"no longer holds the text it was coded on ({_short(r['coded_text'])!r}, now "
            f"{_short(r['now'])!r}): `lfa-qual uncode {r['id']}`, then code the passage again"
            for r in shifted
        ]
        silent = store.read(
            "SELECT c.id, c.code_id, c.start, c.end, t.interview FROM codings c"
            f" JOIN transcripts t ON t.id = c.transcript_id WHERE {NO_SPEECH_WHERE} ORDER BY c.id"
        )
        problems += [
            f"coding {r['id']} ({r['code_id']}) in {r['interview']} [{r['start']}:{r['end']}] "
            "covers no speech (front matter, a label, a timestamp or a page marker): "
            f"`lfa-qual uncode {r['id']}`, then code the words meant"
            for r in silent
        ]
        fk = store.read("PRAGMA foreign_key_check")
        problems += [f"broken reference in table {r[0]} (row {r[1]})" for r in fk]
        n = store.read_one("SELECT count(*) AS n FROM codings")["n"]
        review = len(needs_review(store))
        print(_describe("store", project.db_path))
        print(f"{n} codings, {review} need review, {len(list_backups(project.db_path))} backups")
        if problems:
            for p in problems:
                print(f"lfa-qual: problem: {p}", file=sys.stderr)
            raise LfaError(f"the store has {len(problems)} problem(s)", path=project.db_path)
        print("store ok")
    return 0
