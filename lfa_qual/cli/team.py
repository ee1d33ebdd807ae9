"""Team commands: merge another coder's project, intercoder agreement, disagreements."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lfa_qual.cli.core import open_project, print_report_notes
from lfa_qual.cli.export import _force_option
from lfa_qual.cli.table import render_table
from lfa_qual.errors import LfaError
from lfa_qual.outputs import export_file, export_text

FORMATS = ("table", "md", "csv", "xlsx", "json")
SUFFIXES = {".md": "md", ".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".txt": "table"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "merge",
        parents=[common],
        help="merge another coder's project (folder or store file) into this one",
    )
    p.add_argument("other", type=Path, help="the other project's folder or its .db store")
    p.add_argument("--dry-run", action="store_true", help="say what would change; change nothing")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("agreement", parents=[common], help="intercoder agreement per code")
    _filters(p)
    p.add_argument(
        "--unit",
        choices=["char", "paragraph", "segment"],
        default="char",
        help="characters of speech (NVivo), paragraphs (also Krippendorff's alpha), or "
        "coded segments (MAXQDA); default char",
    )
    p.add_argument(
        "--overlap",
        type=float,
        default=90.0,
        metavar="P",
        help="segment unit: the percentage two segments must overlap to agree (default 90)",
    )
    p.add_argument(
        "--by-interview", action="store_true", help="a row per interview as well as pooled"
    )
    p.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="N",
        help="a 95 %% confidence interval from N bootstrap resamples of the paragraphs",
    )
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    _output(p)
    p.set_defaults(func=cmd_agreement)

    p = sub.add_parser(
        "disagreements",
        parents=[common],
        help="passages the coders coded differently: citation, excerpt, who coded what",
    )
    _filters(p)
    p.add_argument(
        "--unit",
        choices=["passage", "segment"],
        default="passage",
        help="passage: where the coders' characters differ (default); segment: every coded "
        "segment with its best overlap, agreeing or not (MAXQDA's table)",
    )
    p.add_argument("--overlap", type=float, default=90.0, metavar="P", help="segment unit: P %%")
    p.add_argument(
        "--all", action="store_true", help="segment unit: list the agreeing segments too"
    )
    p.add_argument(
        "--allow-names",
        action="store_true",
        help="write the list although its excerpts hold suspected names or identifiers (see "
        "`lfa-qual names`); the list says so",
    )
    _output(p)
    p.set_defaults(func=cmd_disagreements)


def _sync(project) -> None:
    """Bring the store up to date first and say what was re-anchored, as other commands do."""
    print_report_notes(project.sync()[1])


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coders", nargs="+", metavar="CODER", help="coders to compare (default all)")
    p.add_argument("--code", action="append", dest="codes", help="only this code (repeatable)")
    p.add_argument("--interview", action="append", dest="interviews", help="only this interview")
    p.add_argument("--school", action="append", dest="schools", help="only this school")
    p.add_argument(
        "--include-interviewer",
        action="store_true",
        help="count the interviewer's turns too (default: participants' speech only)",
    )


def _output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, help="default: from --out's extension, else table")
    p.add_argument("--out", type=Path, help="output file (default: standard output)")
    _force_option(p)


def _format(args: argparse.Namespace) -> str:
    named = SUFFIXES.get(args.out.suffix.lower()) if args.out is not None else None
    fmt = args.format or named or "table"
    if args.out is not None and args.format and named and named != fmt and named != "table":
        raise LfaError(
            f"--format {fmt} contradicts the file name {args.out.name!r}", field="format"
        )
    if fmt == "xlsx" and args.out is None:
        raise LfaError("an xlsx export needs --out FILE", field="out")
    return fmt


def _request(args: argparse.Namespace):
    from lfa_qual.agreement import Comparison

    return Comparison(
        coders=tuple(args.coders) if args.coders else None,
        codes=tuple(args.codes) if args.codes else None,
        interviews=tuple(args.interviews) if args.interviews else None,
        schools=tuple(args.schools) if args.schools else None,
        interviewer=args.include_interviewer,
    )


def write_frame(
    frame, records: list[dict], fmt: str, out: Path | None, project, sheet: str, force: bool
):
    """A table export through `outputs`: never onto the project's own files, never half done,
    never over a file that is not an earlier export without `force`."""
    if fmt == "xlsx":
        from lfa_qual.export.to_xlsx import write_xlsx

        with export_file(project, out, force=force) as tmp:
            write_xlsx(frame, tmp, sheet=sheet)
        return
    text = _render(frame, records, fmt)
    if out is None:
        sys.stdout.write(text)
        return
    with export_text(project, out, force=force, newline="" if fmt == "csv" else None) as stream:
        stream.write(text)


def _render(frame, records: list[dict], fmt: str) -> str:
    import io

    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    shown = frame.astype(object).where(frame.notna(), "")
    if fmt in ("table", "md"):
        shown = shown.map(_cell)
    if fmt == "csv":
        buffer = io.StringIO()
        shown.to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()
    headers = [str(c) for c in frame.columns]
    rows = shown.to_numpy().tolist()
    if fmt == "md":
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(["---"] * len(headers)) + "|"]
        lines += ["| " + " | ".join(str(v).replace("|", "\\|") for v in r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    return render_table(headers, rows, max_width=70) + "\n"


def _cell(value: object) -> object:
    """A number as few digits as it needs (at most three decimals): 12295, 99.8, 0.861."""
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if not value.is_integer() else int(value)
    return value


def cmd_agreement(args: argparse.Namespace) -> int:
    from lfa_qual.agreement import compare, rows_frame
    from lfa_qual.analysis import code_labels

    fmt = _format(args)
    with open_project(args) as project:
        _sync(project)
        rows = compare(
            project,
            _request(args),
            args.unit,
            overlap=args.overlap,
            per_interview=args.by_interview,
            bootstrap=args.bootstrap,
            seed=args.seed,
            consensus=project.config.consensus,
        )
        frame = rows_frame(rows, code_labels(project))
        write_frame(
            frame, [r.as_json() for r in rows], fmt, args.out, project, "Enighed", args.force
        )
    return 0


def cmd_disagreements(args: argparse.Namespace) -> int:
    from lfa_qual.consensus import disagreements, disagreements_frame
    from lfa_qual.names.gate import ExportItem, check_export

    fmt = _format(args)
    with open_project(args) as project:
        _sync(project)
        if args.unit == "segment":
            return _segment_list(project, args, fmt)
        found = disagreements(project, _request(args))
        frame = disagreements_frame(project, found)
        records = [r.as_json() for r in found]
        # The excerpts are transcript text: they pass the names check as the quotes do.
        items = [ExportItem(d.interview, d.key, d.excerpt) for d in found]
        note = check_export(project, items, args.allow_names)
        if note:
            print(f"lfa-qual: warning: {note}", file=sys.stderr)
            frame.insert(0, "navnekontrol", note)
            records = [{"navnekontrol": note, **r} for r in records]
        write_frame(frame, records, fmt, args.out, project, "Uenigheder", args.force)
        if not found:
            print("lfa-qual: the coders agree on every compared passage", file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from lfa_qual.merge import merge_project

    with open_project(args) as project:
        _sync(project)
        report = merge_project(project, args.other, dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    return 0


def _segment_list(project, args: argparse.Namespace, fmt: str) -> int:
    from lfa_qual.agreement import material
    from lfa_qual.agreement.segments import segment_table
    from lfa_qual.consensus import segments_frame

    if not 0 < args.overlap <= 100:
        raise LfaError("--overlap must be a percentage above 0 and at most 100", field="overlap")
    rows = segment_table(material(project, _request(args), project.config.consensus), args.overlap)
    if not args.all:
        rows = [r for r in rows if not r.agrees]
    frame = segments_frame(project, rows)
    write_frame(frame, [r.as_json() for r in rows], fmt, args.out, project, "Segmenter", args.force)
    return 0
