"""Core commands: init, import, transcripts, codebook check, code, uncode, codings, memo."""

from __future__ import annotations

import argparse
import platform
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from lfa_qual import __version__
from lfa_qual.cli.table import csv_dialect_option, render_table, write_csv, write_json
from lfa_qual.codebook import load_codebook, render_tree
from lfa_qual.csv_dialect import csv_dialect
from lfa_qual.errors import LfaError, TranscriptError
from lfa_qual.importer import ImportReport, read_good
from lfa_qual.progress import progress
from lfa_qual.project import Project, TranscriptRow
from lfa_qual.readers import transcript_files
from lfa_qual.wording import count, plural


def subcommands(sub: argparse._SubParsersAction, name: str) -> argparse._SubParsersAction:
    """The sub-commands of command `name` (`export`, `codebook`), for a module that adds its own
    (`export qdpx`, `codebook merge`) when the CLI is built."""
    parser = sub.choices[name]
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def open_project(args: argparse.Namespace) -> Project:
    return Project(args.project, coder=getattr(args, "coder", None))


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help="create a new project folder")
    p.add_argument("dir", type=Path)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import", parents=[common], help="import transcripts into the project store")
    p.add_argument(
        "files", nargs="*", type=Path, help="transcript files (default: the transcripts folder)"
    )
    p.add_argument(
        "--reanchor",
        action="store_true",
        help="re-import transcripts edited after coding, moving their codings onto the new text",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="let FILE replace the transcript imported from another file under the same "
        "interview id (its codings are re-anchored onto FILE's text)",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("transcripts", parents=[common], help="list the project's transcripts")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    csv_dialect_option(p)
    p.set_defaults(func=cmd_transcripts)

    p = sub.add_parser("codebook", parents=[common], help="codebook tools")
    csub = p.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    c = csub.add_parser("check", parents=[common], help="validate a codebook and print its tree")
    c.add_argument("file", type=Path, nargs="?", help="codebook file (default: the project's)")
    c.set_defaults(func=cmd_codebook_check)

    p = sub.add_parser("code", parents=[common], help="apply a code to a span of a transcript")
    p.add_argument("interview", help="interview id")
    p.add_argument("code", help="code id")
    p.add_argument("--start", type=int, help="start offset (code points)")
    p.add_argument("--end", type=int, help="end offset (code points, exclusive)")
    p.add_argument(
        "--quote",
        help="exact whole words of the passage (white space may differ); not with --start",
    )
    p.add_argument("--occurrence", type=int, help="which occurrence of --quote (1-based)")
    p.add_argument("--memo", default="", help="a memo on the coding")
    p.set_defaults(func=cmd_code)

    p = sub.add_parser("uncode", parents=[common], help="remove a coding by its id")
    p.add_argument("coding_id", type=int)
    p.set_defaults(func=cmd_uncode)

    p = sub.add_parser("codings", parents=[common], help="list codings with their citations")
    p.add_argument("--interview")
    p.add_argument("--code", action="append", dest="codes", help="only this code (repeatable)")
    p.add_argument("--coded-by", dest="coded_by", help="only codings by this coder")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    csv_dialect_option(p)
    p.set_defaults(func=cmd_codings)

    p = sub.add_parser(
        "memo",
        parents=[common],
        help="show or set a memo on a code, transcript, coding or the project",
    )
    p.add_argument("kind", choices=["code", "transcript", "coding", "project"])
    p.add_argument("target", nargs="?", help="code id, interview id or coding id (not: project)")
    p.add_argument("--text", help="new memo text (empty deletes); without it the memo is printed")
    p.set_defaults(func=cmd_memo)


def print_version(args: argparse.Namespace) -> int:
    print(f"lfa-qual {__version__} (Python {platform.python_version()})")
    try:
        from lfa_qual.nlp.pipeline import describe_installed
    except ModuleNotFoundError:
        return 0
    print(describe_installed())  # from metadata: loading spaCy would take seconds
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    project = Project.init(args.dir, getattr(args, "coder", None))
    print(f"created project in {project.root} (coder {project.coder})")
    print("put transcripts in transcripts/ and run `lfa-qual import` there")
    project.close()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        project.sync_codebook()
        paths = args.files or transcript_files(project.transcripts_dir)
        if not paths:
            raise LfaError("no transcript files to import", path=project.transcripts_dir)
        # Every file is read, and every problem of every file reported in this one run; the
        # good files are imported, a bad one not at all (exit status 2, see docs/transcripts.md).
        parsed, failed = read_good(progress(paths, len(paths), "reading"))
        if failed and not parsed and len(failed) == 1:
            raise TranscriptError.collect(failed[0].problems)  # the one file: one message
        changed = args.reanchor or args.replace
        if changed:
            project.backup_before_reanchor(parsed)
        report = project.import_transcripts(parsed, allow_changed=changed, replace=args.replace)
        report.failed = failed
        report.missing = project.missing_files()
        for w in report.warnings:
            print(f"lfa-qual: warning: {w}", file=sys.stderr)
        print_report_notes(report, failed_as="error")
        print(
            f"imported {len(report.added)} new, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged transcript(s)"
        )
    if failed:
        n = len(failed)
        raise LfaError(
            f"{n} {plural(n, 'file was', 'files were')} not imported (see above); fix "
            f"{plural(n, 'it', 'them')} and run `lfa-qual import` again"
        )
    return 0


def print_report_notes(
    report: ImportReport, out: TextIO | None = None, failed_as: str = "warning"
) -> None:
    """Print what a sync found (re-anchored codings, moved, failed and missing files) on stderr."""
    for line in report.notes(failed_as):
        print(line, file=out or sys.stderr)


def cmd_transcripts(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        print_report_notes(project.sync()[1])
        rows = project.transcript_rows()
        if args.format == "json":
            write_json([asdict(r) for r in rows])
        elif args.format == "csv":
            dialect = csv_dialect(args.csv_dialect, to_file=False)
            write_csv(TRANSCRIPT_HEADERS, transcript_table(rows), dialect=dialect)
        else:
            print(render_table(TRANSCRIPT_HEADERS, transcript_table(rows), max_width=48))
    return 0


TRANSCRIPT_HEADERS = ["interview", "school", "roles", "date", "words", "pages", "codings"]


def transcript_table(rows: list[TranscriptRow]) -> list[list[object]]:
    return [
        [r.interview, r.school, ", ".join(r.roles), r.date, r.words, r.pages, r.codings]
        for r in rows
    ]


def cmd_codebook_check(args: argparse.Namespace) -> int:
    if args.file is not None:
        print(render_tree(load_codebook(args.file)))
        return 0
    with open_project(args) as project:
        print(render_tree(project.codebook()))
    return 0


def cmd_code(args: argparse.Namespace) -> int:
    if args.quote is not None and (args.start is not None or args.end is not None):
        raise LfaError(
            "give either --quote or --start and --end, not both (--quote finds the offsets)",
            field="span",
        )
    if args.occurrence is not None and args.quote is None:
        raise LfaError("--occurrence picks an occurrence of --quote; give --quote", field="span")
    with open_project(args) as project:
        print_report_notes(project.sync()[1])
        coding = project.code(
            args.interview,
            args.code,
            start=args.start,
            end=args.end,
            quote=args.quote,
            occurrence=args.occurrence,
            memo=args.memo,
            coder=args.coder,
        )
        view = project.view(coding)
        print(
            f"coding {coding.id}: {coding.code} on {coding.interview} [{coding.start}:{coding.end}] {view.citation}"
        )
    return 0


def cmd_uncode(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        coding = project.uncode(args.coding_id)
        print(f"removed coding {coding.id} ({coding.code} on {coding.interview})")
    return 0


def coding_record(project: Project, coding) -> dict:
    view = project.view(coding)
    return {
        "id": coding.id,
        "guid": coding.guid,
        "interview": coding.interview,
        "start": coding.start,
        "end": coding.end,
        "code": coding.code,
        "coder": coding.coder,
        "source": coding.source,
        "created": coding.created,
        "memo": coding.memo,
        "status": coding.status,
        "school": view.school,
        "role": view.role,
        "text": view.text,
        "citation": view.citation,
    }


def check_known(project: Project, what: str, values: list[str], field: str) -> None:
    """Refuse a filter value the project does not have (a typo would list nothing)."""
    sql = {
        "interview": "SELECT interview FROM transcripts",
        "code": "SELECT id FROM codes",
        "coder": "SELECT DISTINCT coder FROM codings",
    }[what]
    known = {r[0] for r in project.store.read(sql)}
    unknown = [v for v in values if v not in known]
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        if what == "coder":
            raise LfaError(
                f"no codings by {unknown[0]!r} in this project; coders with codings: {listed}",
                field=field,
            )
        raise LfaError(f"no {what} {unknown[0]!r} in this project; known: {listed}", field=field)


def cmd_codings(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        # The codebook file and the transcripts folder first, as every other command does.
        print_report_notes(project.sync()[1])
        if args.interview:
            check_known(project, "interview", [args.interview], "--interview")
        check_known(project, "code", args.codes or [], "--code")
        if args.coded_by:
            check_known(project, "coder", [args.coded_by], "--coded-by")
        codings = project.codings(interview=args.interview, codes=args.codes, coder=args.coded_by)
        records = [coding_record(project, c) for c in codings]
        if args.format == "json":
            write_json(records)
            return 0
        headers = ["id", "interview", "start", "end", "code", "coder", "source", "text", "citation"]
        rows = [[r[h] for h in headers] for r in records]
        if args.format == "csv":
            write_csv(headers, rows, dialect=csv_dialect(args.csv_dialect, to_file=False))
        else:
            print(render_table(headers, rows, max_width=50))
    return 0


def cmd_memo(args: argparse.Namespace) -> int:
    from lfa_qual import codings as ops

    if args.kind == "project":
        args.target = "project"  # one memo per project, stored under this target
    elif args.target is None:
        raise LfaError(f"a {args.kind} memo needs the {args.kind} it is on", field="target")
    with open_project(args) as project:
        if args.kind == "coding":
            try:
                coding_id = int(args.target)
            except ValueError:
                raise LfaError("a coding is named by its number", field="target") from None
            if args.text is None:
                print(ops.get_coding(project.store, coding_id).memo)
            else:
                ops.set_coding_memo(project.store, coding_id, args.text)
                print(memo_saved(args, f"coding {coding_id}"))
            return 0
        if args.kind == "code":
            project.sync_codebook()
            project.codebook().get(args.target)
        elif args.kind == "transcript":
            project.transcript(args.target)
        if args.text is None:
            print(ops.get_memo(project.store, args.kind, args.target))
        else:
            ops.set_memo(project.store, args.kind, args.target, args.text, project.coder)
            where = "the project" if args.kind == "project" else f"{args.kind} {args.target}"
            print(memo_saved(args, where))
    return 0


def memo_saved(args: argparse.Namespace, target: str) -> str:
    """The confirmation of `memo … --text`: silence looked like nothing had happened."""
    if not args.text.strip():
        return f"memo on {target} deleted"
    n = len(args.text)
    return f"memo on {target} saved ({count(n, 'character', 'characters')})"


def open_ui(args: argparse.Namespace) -> int:
    try:
        from lfa_qual.tui.app import run_app
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("lfa_qual.tui"):
            raise
        return print_summary(args)
    return run_app(args)


def print_summary(args: argparse.Namespace) -> int:
    """What `lfa-qual` shows without a terminal UI: the project at a glance."""
    with open_project(args) as project:
        _, report = project.sync()
        print_report_notes(report)
        codebook = project.codebook()
        rows = project.transcript_rows()
        print(f"Project {project.root}  (coder {project.coder})")
        print(
            f"Codebook {codebook.name} {codebook.version}: "
            f"{count(len(codebook.codes), 'code', 'codes')}"
        )
        print(
            f"{count(len(rows), 'transcript', 'transcripts')}, "
            f"{count(sum(r.words for r in rows), 'word', 'words')}, "
            f"{count(sum(r.codings for r in rows), 'coding', 'codings')}"
        )
        print()
        print(render_table(TRANSCRIPT_HEADERS, transcript_table(rows), max_width=48))
    return 0
