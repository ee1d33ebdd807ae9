"""REFI-QDA commands: `export qdpx`, `export qdc`, and `import FILE.qdpx|FILE.qdc` (the core
`import` command hands those files here)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from lfa_qual.cli.core import open_project, subcommands
from lfa_qual.errors import LfaError

REFI_SUFFIXES = (".qdpx", ".qdc")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from lfa_qual.cli.export import MANY, _force_option, _review_option
    from lfa_qual.refiqda import CRLF_CHOICES, POSITION_CHOICES

    esub = subcommands(sub, "export")
    x = esub.add_parser(
        "qdpx",
        parents=[common],
        help="the project as a REFI-QDA archive (NVivo, ATLAS.ti, MAXQDA, QualCoder)",
    )
    filters = x.add_argument_group("filters (comma-separated or repeated)")
    filters.add_argument("--schools", "--school", **MANY, metavar="SCHOOL")
    filters.add_argument("--interviews", "--interview", **MANY, metavar="ID")
    filters.add_argument(
        "--codes", "--code", **MANY, metavar="ID", help="codings of these codes (with sub-codes)"
    )
    filters.add_argument("--coders", **MANY, metavar="NAME")
    _review_option(x)
    x.add_argument("--out", type=Path, required=True, help="the .qdpx file to write")
    _force_option(x)
    x.add_argument(
        "--allow-names",
        action="store_true",
        help="write it even if the names check finds unresolved suspects (the archive's "
        "description says so)",
    )
    x.set_defaults(func=cmd_export_qdpx)

    c = esub.add_parser("qdc", parents=[common], help="the codebook as a REFI-QDA codebook")
    c.add_argument("--out", type=Path, required=True, help="the .qdc file to write")
    _force_option(c)
    c.set_defaults(func=cmd_export_qdc)

    imp = sub.choices["import"]
    imp.set_defaults(func=_import_dispatching(imp.get_default("func")))
    refi = imp.add_argument_group("REFI-QDA files (.qdpx, .qdc); see docs/refi-qda.md")
    refi.add_argument(
        "--codebook",
        choices=("merge", "replace"),
        default="merge",
        help=".qdpx: add the archive's codes to the codebook (merge, default) or make the "
        "archive's codebook the project's (replace; the old file is kept as a copy)",
    )
    refi.add_argument(
        "--crlf",
        choices=CRLF_CHOICES,
        default="auto",
        help=".qdpx: a CRLF line break counts as one character (ATLAS.ti) or two; auto: one "
        "when the archive comes from ATLAS.ti",
    )
    refi.add_argument(
        "--positions",
        choices=POSITION_CHOICES,
        default="codepoints",
        help=".qdpx: how the archive counts characters (default: code points, as the "
        "standard says; utf16 for a tool that counts an emoji as two)",
    )
    refi.add_argument(
        "--sources",
        type=Path,
        metavar="FILE",
        help=".qdpx: school, date, kind and speakers of sources that are not lfa-qual "
        "transcripts (default: ARCHIVE.qdpx.yaml when it exists)",
    )
    refi.add_argument(
        "--apply",
        action="store_true",
        help=".qdc: write the merged codebook over the project's (after a copy) instead of "
        "into CODEBOOK.merged.yaml for review",
    )
    refi.add_argument(
        "--out", type=Path, help=".qdc: where to write the merged codebook for review"
    )


def cmd_export_qdpx(args: argparse.Namespace) -> int:
    from lfa_qual.cli.export import _coders, _many, sync
    from lfa_qual.refiqda.export import export_qdpx

    with open_project(args) as project:
        sync(project, args)
        report = export_qdpx(
            project,
            args.out,
            schools=_many(args.schools),
            interviews=_many(args.interviews),
            codes=_many(args.codes),
            coders=_coders(args),
            needs_review=args.include_needs_review,
            allow_names=args.allow_names,
            force=args.force,
        )
    if report.note:
        print(f"lfa-qual: warning: {report.note}", file=sys.stderr)
    print(
        f"wrote {report.sources} source(s), {report.codings} coding(s), {report.codes} code(s), "
        f"{report.users} user(s) and {report.notes} memo(s) to {report.path}",
        file=sys.stderr,
    )
    return 0


def cmd_export_qdc(args: argparse.Namespace) -> int:
    from lfa_qual.refiqda.export import export_qdc

    with open_project(args) as project:
        n = export_qdc(project, args.out, force=args.force)
    print(f"wrote {n} code(s) to {args.out}", file=sys.stderr)
    return 0


def _import_dispatching(plain: Callable[[argparse.Namespace], int]):
    """`import` hands .qdpx and .qdc files to the REFI-QDA import, other files to `plain`."""

    def cmd_import(args: argparse.Namespace) -> int:
        if any(p.suffix.lower() in (".qdpx", ".qdc") for p in args.files):
            return cmd_import_refi(args)
        return plain(args)

    return cmd_import


def cmd_import_refi(args: argparse.Namespace) -> int:
    if len(args.files) != 1:
        raise LfaError("import a .qdpx or .qdc file on its own, without other files", field="files")
    path = args.files[0]
    with open_project(args) as project:
        if path.suffix.lower() == ".qdc":
            from lfa_qual.refiqda.qdc import import_qdc

            report = import_qdc(project, path, out=args.out, apply=args.apply)
            print(f"codes (codebook name → code id): {len(report.lines)}")
            for line in report.lines:
                print(f"  {line}")
            if not report.new:
                print("no new codes: every code is in the codebook already")
            elif args.apply:
                if report.backup:
                    print(
                        f"added {len(report.new)} code(s) to {report.written}; "
                        f"its previous version is {report.backup}"
                    )
                else:
                    print("no new codes: the codebook is unchanged")
            else:
                print(
                    f"wrote the merged codebook ({len(report.new)} new code(s)) to "
                    f"{report.written} for review; adopt it with --apply"
                )
            return 0
        from lfa_qual.refiqda.importer import import_qdpx

        project.sync()
        report = import_qdpx(
            project,
            path,
            codebook_mode=args.codebook,
            crlf=args.crlf,
            positions=args.positions,
            sources=args.sources,
        )
        for line in report.lines():
            print(line)
    return 0
