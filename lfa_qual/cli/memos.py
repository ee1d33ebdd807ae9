"""`lfa-qual memos`: every memo of the project (codings, codes, transcripts, the project),
filtered and searched, as a table or exported (md, docx, csv, json)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lfa_qual.cli.core import open_project
from lfa_qual.cli.export import MANY, _force_option, _many, output_format, sync
from lfa_qual.cli.table import csv_dialect_option, render_table
from lfa_qual.csv_dialect import csv_dialect
from lfa_qual.errors import LfaError

FORMATS = ("table", "md", "docx", "csv", "json")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "memos",
        parents=[common],
        help="list, search and export the memos (codings, codes, transcripts, project)",
    )
    p.add_argument("--kind", **MANY, metavar="KIND", help="project, code, transcript, coding")
    p.add_argument("--codes", **MANY, metavar="ID", help="memos on these codes and their codings")
    p.add_argument(
        "--interviews", **MANY, metavar="ID", help="memos on these transcripts and their codings"
    )
    p.add_argument("--coders", **MANY, metavar="NAME", help="memos by these authors (or --coder)")
    p.add_argument("--search", metavar="WORDS", help="memos whose text holds every word")
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: from --out's extension, else table)",
    )
    p.add_argument("--out", type=Path, help="output file (default: standard output)")
    _force_option(p)
    csv_dialect_option(p)
    p.set_defaults(func=cmd_memos, default_format="table", include_needs_review=True)


def cmd_memos(args: argparse.Namespace) -> int:
    from lfa_qual.export import memos as out
    from lfa_qual.memos import MemoFilter, list_memos
    from lfa_qual.outputs import export_file, export_text, prepare_export

    fmt = output_format(args, FORMATS)
    coders = _many([*(args.coders or []), *([[args.coder]] if args.coder else [])])
    which = MemoFilter(
        kinds=_many(args.kind),
        codes=_many(args.codes),
        interviews=_many(args.interviews),
        authors=coders,
        search=args.search,
    )
    with open_project(args) as project:
        sync(project, args)
        memos = list_memos(project, which)
        if fmt == "table":
            if args.out is not None:
                raise LfaError(
                    "a table is for the terminal; name the file .md, .csv …", field="out"
                )
            rows = [[m.kind, m.place, m.author, m.updated[:10], m.text] for m in memos]
            if rows:
                print(render_table(["kind", "place", "author", "date", "text"], rows, max_width=50))
            print(f"{len(memos)} memo(s)", file=sys.stderr)
            return 0
        if args.out is not None:
            prepare_export(project, args.out, force=args.force)
        if fmt == "docx":
            with export_file(project, args.out, force=args.force) as tmp:
                out.write_docx(memos, tmp)
        else:
            dialect = csv_dialect(args.csv_dialect, args.out is not None)
            newline = "" if fmt == "csv" else None
            stream_cm = (
                export_text(project, args.out, force=args.force, newline=newline)
                if args.out
                else _stdout()
            )
            with stream_cm as stream:
                if fmt == "md":
                    out.write_md(memos, stream)
                elif fmt == "csv":
                    out.write_csv(memos, stream, dialect)
                else:
                    out.write_json(memos, stream)
    if args.out is not None:
        print(f"wrote {len(memos)} memo(s) to {args.out}", file=sys.stderr)
    return 0


def _stdout():
    from contextlib import nullcontext

    return nullcontext(sys.stdout)
