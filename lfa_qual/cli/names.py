"""Commands: names (suspected direct identifiers, and their review) and pseudonymise."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lfa_qual.cli.core import print_report_notes
from lfa_qual.cli.table import render_table, write_csv
from lfa_qual.errors import LfaError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "names",
        parents=[common],
        help="find names and other direct identifiers left in transcripts",
        description="List suspected person names, addresses, phone and CPR numbers, e-mails "
        "and institution names in the project's transcripts (or in the FILEs given). Exit 0: "
        "none; 1: suspects remain; 2: bad input. Review by number: --accept N (not a name) or "
        "--replace N PSEUDONYM (edits the transcript file after a backup).",
    )
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="transcript files")
    p.add_argument("--interview", action="append", help="only this interview (repeatable)")
    p.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")
    p.add_argument("--key", type=Path, help="name key file (default: pseudonym_key of the project)")
    action = p.add_mutually_exclusive_group()
    action.add_argument(
        "--accept", type=int, nargs="+", metavar="N", help="mark suspects N… as not names"
    )
    action.add_argument(
        "--replace",
        nargs=2,
        metavar=("N", "PSEUDONYM"),
        help="replace suspect N by PSEUDONYM in its transcript file",
    )
    p.set_defaults(func=cmd_names)

    p = sub.add_parser(
        "pseudonymise",
        parents=[common],
        help="apply the name key to a raw transcript before import",
        description="Write OUT: IN with every name of the name key (and every name replaced "
        "earlier with `names --replace`) replaced by its pseudonym.",
    )
    p.add_argument("input", type=Path, metavar="IN")
    p.add_argument("output", type=Path, metavar="OUT")
    p.add_argument("--key", type=Path, help="name key file (default: pseudonym_key of the project)")
    p.set_defaults(func=cmd_pseudonymise)


def _key(args: argparse.Namespace, project):
    from lfa_qual.names.key import load_key
    from lfa_qual.names.review import name_key

    key = load_key(args.key) if args.key else (name_key(project) if project else None)
    if key is not None:
        for warning in key.warnings:
            print(f"lfa-qual: warning: {warning}", file=sys.stderr)
    return key


def _try_project(args: argparse.Namespace):
    from lfa_qual.project import Project

    if not (Path(args.project) / "lfa-qual.yaml").exists():
        return None
    return Project(args.project, coder=args.coder)


def _print(found, fmt: str) -> None:
    from lfa_qual.names.scan import FIELDS

    if fmt == "jsonl":
        for r in found:
            sys.stdout.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        write_csv(FIELDS, [[r.as_dict()[f] for f in FIELDS] for r in found])
    elif found:
        rows = [
            [n, r.interview, f"{r.line}:{r.column}", r.kind, r.text, r.reason, f"{r.score:.2f}"]
            for n, r in enumerate(found, start=1)
        ]
        headers = ["N", "interview", "line:col", "kind", "text", "reason", "score"]
        print(render_table(headers, rows, max_width=50))


def _files(args: argparse.Namespace) -> int:
    from lfa_qual.names.detect import NameContext
    from lfa_qual.names.review import project_context
    from lfa_qual.names.scan import records, transcript_suspects
    from lfa_qual.readers import read_transcript

    if args.accept or args.replace:
        raise LfaError("--accept and --replace work on the project's transcripts, not FILEs")
    project = _try_project(args)
    try:
        key = _key(args, project)
        context = project_context(project, key) if project else NameContext()
        if project is None and key is not None:
            context = NameContext(key=dict(key.entries))
        found = []
        for path in args.files:
            t = read_transcript(path)
            found += records(t, transcript_suspects(t, context), str(path))
    finally:
        if project is not None:
            project.close()
    _print(found, args.format)
    print(f"{len(found)} suspect(s) in {len(args.files)} file(s)", file=sys.stderr)
    return 1 if found else 0


def cmd_names(args: argparse.Namespace) -> int:
    from lfa_qual.names import review
    from lfa_qual.project import Project

    if args.files:
        if args.interview:
            raise LfaError("give FILEs or --interview, not both", field="interview")
        return _files(args)
    with Project(args.project, coder=args.coder) as project:
        project.sync()
        for iv in args.interview or []:
            project.transcript(iv)  # a clear error for an unknown interview
        key = _key(args, project)
        found = review.project_suspects(project, args.interview, key)
        if args.accept:
            chosen = [review.pick(found, n) for n in args.accept]
            for n, record in zip(args.accept, chosen, strict=True):
                review.accept(project, record, project.coder)
                print(f"accepted {n}: {record.text!r} is not a name (by {project.coder})")
            return 0
        if args.replace:
            number, pseudonym = args.replace
            try:
                n = int(number)
            except ValueError:
                raise LfaError(f"N must be a number, not {number!r}", field="replace") from None
            done = review.replace(project, review.pick(found, n), pseudonym, project.coder)
            print(
                f"replaced {n}: {done.record.text!r} → {done.pseudonym!r} in {done.file} "
                f"(the file as it was: {done.original}; delete it when no longer needed)"
            )
            print_report_notes(done.report)
            return 0
    _print(found, args.format)
    print(f"{len(found)} suspect(s)", file=sys.stderr)
    return 1 if found else 0


def cmd_pseudonymise(args: argparse.Namespace) -> int:
    from lfa_qual.names.key import pseudonymise_text
    from lfa_qual.names.review import replaced_names
    from lfa_qual.outputs import replacing_text
    from lfa_qual.textfile import read_text_file

    project = _try_project(args)
    try:
        key = _key(args, project)
        replacements = dict(key.entries) if key else {}
        if project is not None and project.db_path.exists():
            replacements = {**replaced_names(project.store), **replacements}
    finally:
        if project is not None:
            project.close()
    if not replacements:
        raise LfaError(
            "no name key: set pseudonym_key in lfa-qual.yaml or give --key FILE",
            field="pseudonym_key",
        )
    if args.output.exists() and args.output.resolve() == args.input.resolve():
        raise LfaError("OUT must differ from IN (IN is kept as it is)", path=args.output)
    from lfa_qual.names.lexicon import load_model

    text, _ = read_text_file(args.input)
    new_text, n = pseudonymise_text(text, replacements, load_model().lexicon.common)
    with replacing_text(args.output, newline="") as stream:
        stream.write(new_text)
    print(f"replaced {n} name(s); wrote {args.output}", file=sys.stderr)
    return 0
