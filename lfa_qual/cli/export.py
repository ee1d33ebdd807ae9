"""Export and statistics commands: `export quotes|frequencies|cooccurrence|figures` and `stats`.

Each command first brings the store up to date with the codebook and the transcripts folder
(`Project.sync`), printing the re-anchoring report as `lfa-qual transcripts` does, and leaves out
the codings that need review unless --include-needs-review. pandas, python-docx, XlsxWriter and
matplotlib are imported inside the handlers, so that `lfa-qual --help` and the other commands do
not pay for them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from lfa_qual import wording
from lfa_qual.cli.core import open_project
from lfa_qual.cli.table import csv_dialect_option
from lfa_qual.csv_dialect import csv_dialect
from lfa_qual.errors import LfaError
from lfa_qual.export import QUOTE_FORMATS
from lfa_qual.outputs import export_file, export_text, prepare_export

TABLE_FORMATS = ("table", "md", "csv", "xlsx")
BINARY = ("docx", "xlsx")
DIMENSIONS = ("code", "school", "role", "role_group", "interview", "kind")
COUNTS = ("codings", "passages", "interviews", "words")


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _many(values: list[list[str]] | None) -> tuple[str, ...] | None:
    """Repeatable options that also take comma-separated lists: --schools "Skole 1,Skole 2"."""
    if not values:
        return None
    return tuple(v for group in values for v in group)


# A filter option: a repeated option adds to the values (action="extend"), as the help
# promises; each value is itself a comma-separated list (flattened by `_many`).
MANY = {"type": _list, "nargs": "+", "action": "extend"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common], help="export quotes, tables and figures")
    esub = p.add_subparsers(dest="export_command", metavar="WHAT", required=True)

    q = esub.add_parser(
        "quotes", parents=[common], help="quotes per theme and school with citations"
    )
    q.add_argument(
        "--by",
        default="theme,school",
        help="grouping, comma-separated, from theme, school, role, interview, kind "
        "(default: theme,school)",
    )
    filters = q.add_argument_group("filters (comma-separated or repeated)")
    filters.add_argument("--codes", **MANY, metavar="ID", help="codes (with their sub-codes)")
    filters.add_argument("--schools", **MANY, metavar="SCHOOL")
    filters.add_argument(
        "--roles", **MANY, metavar="ROLE", help="speaker roles or role groups (Elev: Elev 1, 2, …)"
    )
    # --coder NAME (the common option) filters too; --coders takes several names.
    filters.add_argument("--coders", **MANY, metavar="NAME")
    filters.add_argument("--interviews", **MANY, metavar="ID")
    q.add_argument(
        "--max-words", type=int, metavar="N", help="shorten longer quotes with (…) at sentences"
    )
    q.add_argument("--title", help="a title at the top of a md or docx export")
    q.add_argument(
        "--memos",
        action="store_true",
        help="md, docx: each quote's coding memos under it (csv, xlsx, json always have them)",
    )
    _review_option(q)
    _allow_names_option(q)
    _output_options(q, QUOTE_FORMATS, "md")
    q.set_defaults(func=cmd_export_quotes)

    f = esub.add_parser(
        "frequencies", parents=[common], help="a frequency table (codes × schools, …)"
    )
    _table_options(f)
    _coder_options(f)
    _names_option(f)
    _output_options(f, TABLE_FORMATS, "table")
    f.set_defaults(func=cmd_export_frequencies)

    c = esub.add_parser("cooccurrence", parents=[common], help="the code co-occurrence matrix")
    c.add_argument(
        "--within",
        choices=["turn", "overlap"],
        default="turn",
        help="turn: codes in the same turn (default); overlap: overlapping codings",
    )
    _coder_options(c)
    _names_option(c)
    _output_options(c, TABLE_FORMATS, "table")
    c.set_defaults(func=cmd_export_cooccurrence)

    g = esub.add_parser("figures", parents=[common], help="heat map and bar chart as PNG and SVG")
    g.add_argument("--cols", choices=DIMENSIONS[1:], default="school")
    g.add_argument("--count", choices=COUNTS, default="codings")
    g.add_argument("--out", type=Path, default=Path("figurer"), help="folder (default: figurer)")
    _force_option(g)
    _coder_options(g)
    g.set_defaults(func=cmd_export_figures)

    s = sub.add_parser("stats", parents=[common], help="frequency tables in the terminal")
    s.add_argument("--cols", choices=DIMENSIONS[1:], default="school")
    s.add_argument("--count", choices=COUNTS, help="only this table")
    s.add_argument("--percent", action="store_true", help="with --count: percentages")
    s.add_argument(
        "--cooccurrence", action="store_true", help="also the co-occurrence matrix (turns)"
    )
    _coder_options(s)
    _names_option(s)
    s.set_defaults(func=cmd_stats)


def _review_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--include-needs-review",
        action="store_true",
        help="also the codings a transcript edit left in doubt (status needs_review; left out "
        "by default: check them with `lfa-qual review`)",
    )


def _allow_names_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-names",
        action="store_true",
        help="write the export although its text holds suspected names or identifiers (see "
        "`lfa-qual names`); the export's header says so",
    )


def _coder_options(p: argparse.ArgumentParser) -> None:
    """--coder NAME (the common option) and --coders count only those coders' codings."""
    p.add_argument(
        "--coders",
        **MANY,
        metavar="NAME",
        help="count only these coders' codings (comma-separated or repeated; --coder NAME too)",
    )
    _review_option(p)


def _table_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rows", choices=DIMENSIONS, default="code")
    p.add_argument("--cols", choices=DIMENSIONS, default="school")
    p.add_argument("--count", choices=COUNTS, default="codings")
    p.add_argument(
        "--percent",
        action="store_true",
        help="shares: of the column (codings, passages), of its interviews, coverage (words)",
    )


def _names_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--names",
        choices=["label", "id"],
        help="show codes by their labels (default, as reports do) or their ids (default for csv)",
    )


def _code_names(table, project, args: argparse.Namespace, fmt: str):
    """Codes by label for people, by id for other programs (csv), unless --names says."""
    from lfa_qual.analysis import with_code_labels

    names = args.names or ("id" if fmt == "csv" else "label")
    return with_code_labels(table, project) if names == "label" else table


def _output_options(p: argparse.ArgumentParser, formats: tuple[str, ...], default: str) -> None:
    p.add_argument(
        "--format",
        choices=formats,
        help=f"output format (default: from --out's extension, else {default})",
    )
    p.add_argument("--out", type=Path, help="output file (default: standard output)")
    _force_option(p)
    if "csv" in formats:
        csv_dialect_option(p)
    p.set_defaults(default_format=default)


def _force_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output file that is not an earlier lfa-qual export "
        "(an earlier export, unchanged since, is replaced without it)",
    )


SUFFIX_FORMATS = {"md": "md", "markdown": "md", "docx": "docx", "xlsx": "xlsx", "csv": "csv"}
SUFFIX_FORMATS |= {"json": "json", "txt": "table"}


def output_format(args: argparse.Namespace, formats: tuple[str, ...]) -> str:
    """--format, else the format --out's extension names, else the command's default. A
    --format that contradicts the extension (`--out q.docx --format md`) is refused: the file
    would not open in the program its name promises."""
    fmt = args.format
    if args.out is not None:
        suffix = args.out.suffix.lower().lstrip(".")
        named = SUFFIX_FORMATS.get(suffix)
        if fmt is None and named not in formats:
            raise LfaError(
                f"cannot tell the format from {args.out.name!r}; give --format "
                f"({', '.join(formats)})",
                field="format",
            )
        # A .txt file takes any text format; other known extensions only their own.
        text_ok = named == "table" and fmt not in BINARY
        if fmt is not None and named is not None and named != fmt and not text_ok:
            raise LfaError(
                f"--format {fmt} contradicts the file name {args.out.name!r} "
                f"(a {suffix} file); drop --format or name the file *.{fmt}",
                field="format",
            )
        fmt = fmt or named
    fmt = fmt or args.default_format
    if fmt in BINARY and args.out is None:
        raise LfaError(f"a {fmt} export needs --out FILE", field="out")
    return fmt


@contextmanager
def text_output(
    project, path: Path | None, force: bool, newline: str | None = None
) -> Iterator[TextIO]:
    """Standard output, or a file written safely (see `lfa_qual.outputs`)."""
    if path is None:
        yield sys.stdout
        return
    with export_text(project, path, force=force, newline=newline) as stream:
        yield stream


def cmd_export_quotes(args: argparse.Namespace) -> int:
    from lfa_qual.analysis import Filters, quotes_frame
    from lfa_qual.analysis.quotes import parse_by

    fmt = output_format(args, QUOTE_FORMATS)
    keys = parse_by(args.by)
    filters = Filters(
        codes=_many(args.codes),
        schools=_many(args.schools),
        roles=_many(args.roles),
        coders=_coders(args),
        interviews=_many(args.interviews),
        needs_review=args.include_needs_review,
    )
    with open_project(args) as project:
        if args.out is not None:  # refuse a bad --out before the work, not after it
            prepare_export(project, args.out, force=args.force)
        sync(project, args)
        quotes = quotes_frame(project, filters, keys, args.max_words)
        if quotes.empty:
            print(f"lfa-qual: {_nothing(project)}", file=sys.stderr)
        note = names_gate(project, quotes, args.allow_names)
        write_quotes(
            project,
            quotes,
            keys,
            fmt,
            args.out,
            args.title,
            force=args.force,
            note=note,
            dialect=args.csv_dialect,
            memos=args.memos,
        )
    if args.out is not None:
        themes = quotes["theme"].nunique() if len(quotes) else 0
        print(f"wrote {len(quotes)} quote(s) in {themes} theme(s) to {args.out}", file=sys.stderr)
    return 0


def _coders(args: argparse.Namespace) -> tuple[str, ...] | None:
    """--coders and the common --coder, when given on the command line."""
    return _many([*(args.coders or []), *([[args.coder]] if args.coder else [])])


def _table_filters(args: argparse.Namespace):
    from lfa_qual.analysis import Filters

    return Filters(coders=_coders(args), needs_review=args.include_needs_review)


def sync(project, args: argparse.Namespace) -> None:
    """Bring the store up to date with the codebook and the transcripts folder, as `import`
    would, saying on stderr what `lfa-qual transcripts` says: which codings were re-anchored
    onto edited transcripts and which need review. Then how the codings that need review are
    treated: left out, unless --include-needs-review."""
    from lfa_qual.analysis import needs_review_count
    from lfa_qual.cli.core import print_report_notes

    print_report_notes(project.sync()[1])
    n = needs_review_count(project)
    if not n:
        return
    if args.include_needs_review:
        print(
            f"lfa-qual: {n} coding(s) that need review are included (--include-needs-review)",
            file=sys.stderr,
        )
    else:
        print(
            f"lfa-qual: {n} coding(s) that need review after transcript edits are left out; "
            "check them with `lfa-qual review` (or add --include-needs-review)",
            file=sys.stderr,
        )


def _nothing(project) -> str:
    n = project.store.read_one("SELECT count(*) AS n FROM codings")["n"]
    if not n:
        return "no quotes: the project has no codings yet"
    return "no quotes: no coding matches the filters"


def names_gate(project, quotes, allow_names: bool) -> str | None:
    """Stop the export when its quotes hold unresolved suspects (lfa_qual.names.gate); with
    --allow-names, the note for the export's header."""
    from lfa_qual.names.gate import check_export, quote_items

    note = check_export(project, quote_items(quotes), allow_names)
    if note:
        print(f"lfa-qual: warning: {note}", file=sys.stderr)
    return note


def write_quotes(
    project,
    quotes,
    keys: list[str],
    fmt: str,
    out: Path | None,
    title: str | None,
    *,
    force: bool = False,
    note: str | None = None,
    dialect: str | None = None,
    memos: bool = False,
) -> None:
    if note and fmt in ("xlsx", "csv", "json"):
        # Tables have no header text: every row carries the note in a column of its own.
        quotes = quotes.copy()
        quotes.insert(0, "navnekontrol", note)
    if fmt == "docx":
        from lfa_qual.export.to_docx import write_docx

        with export_file(project, out, force=force) as path:
            write_docx(quotes, keys, path, title, note=note, memos=memos)
    elif fmt == "xlsx":
        from lfa_qual.export.to_xlsx import write_xlsx

        with export_file(project, out, force=force) as path:
            _warn(write_xlsx(quotes, path))
    elif fmt == "md":
        from lfa_qual.export.to_md import write_md

        with text_output(project, out, force) as stream:
            if note:
                stream.write(f"**{note}**\n\n")
            if title:
                stream.write(f"# {title}\n\n")
            write_md(quotes, [*keys], stream, level_offset=1 if title else 0, memos=memos)
    elif fmt == "csv":
        from lfa_qual.export.to_csv import write_csv

        with text_output(project, out, force, newline="") as stream:
            write_csv(quotes, stream, csv_dialect(dialect, out is not None))
    else:
        from lfa_qual.export.to_json import write_json

        with text_output(project, out, force) as stream:
            write_json(quotes, stream)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"lfa-qual: warning: {warning}", file=sys.stderr)


def write_table(
    project,
    table,
    fmt: str,
    out: Path | None,
    percent: bool,
    sheet: str,
    force: bool = False,
    dialect: str | None = None,
) -> None:
    from functools import partial

    from lfa_qual.export import tables

    if fmt != "csv":  # CSV keeps the ids (code, school) for scripts; the others are read
        table = wording.danish_axes(table)
    if fmt == "xlsx":
        from lfa_qual.export.to_xlsx import write_xlsx

        with export_file(project, out, force=force) as path:
            _warn(write_xlsx(table.round(2) if percent else table, path, sheet=sheet, index=True))
        return
    writers: dict[str, Callable] = {
        "md": tables.write_md_table,
        "csv": partial(tables.write_csv_table, dialect=csv_dialect(dialect, out is not None)),
    }
    with text_output(project, out, force, newline="" if fmt == "csv" else None) as stream:
        if fmt == "table":
            stream.write(tables.render_text(table, percent) + "\n")
        else:
            writers[fmt](table, stream, percent)


def cmd_export_frequencies(args: argparse.Namespace) -> int:
    from lfa_qual.analysis import frequency_table

    fmt = output_format(args, TABLE_FORMATS)
    with open_project(args) as project:
        if args.out is not None:
            prepare_export(project, args.out, force=args.force)
        sync(project, args)
        filters = _table_filters(args)
        table = frequency_table(project, args.rows, args.cols, args.count, args.percent, filters)
        table = _code_names(table, project, args, fmt)
        write_table(
            project,
            table,
            fmt,
            args.out,
            args.percent,
            sheet="Frekvenser",
            force=args.force,
            dialect=args.csv_dialect,
        )
    return 0


def cmd_export_cooccurrence(args: argparse.Namespace) -> int:
    from lfa_qual.analysis import cooccurrence

    fmt = output_format(args, TABLE_FORMATS)
    with open_project(args) as project:
        if args.out is not None:
            prepare_export(project, args.out, force=args.force)
        sync(project, args)
        matrix = cooccurrence(project, args.within, _table_filters(args))
        matrix = _code_names(matrix, project, args, fmt)
        write_table(
            project,
            matrix,
            fmt,
            args.out,
            False,
            sheet="Samforekomst",
            force=args.force,
            dialect=args.csv_dialect,
        )
    return 0


def cmd_export_figures(args: argparse.Namespace) -> int:
    from lfa_qual.export.figures import write_figures

    with open_project(args) as project:
        sync(project, args)
        filters = _table_filters(args)
        paths = write_figures(
            project, args.out, cols=args.cols, count=args.count, filters=filters, force=args.force
        )
    for path in paths:
        print(path)
    return 0


STATS_TABLES = (
    ("codings", False, "Kodninger"),
    ("interviews", False, "Interview med temaet"),
    ("words", True, "Dækning (kodede ord i % af interviewenes ord)"),
)


def cmd_stats(args: argparse.Namespace) -> int:
    from lfa_qual.analysis import (
        coding_count,
        cooccurrence,
        frequency_table,
        transcripts_frame,
    )
    from lfa_qual.export.tables import render_text

    filters = _table_filters(args)
    with open_project(args) as project:
        sync(project, args)
        meta = transcripts_frame(project)
        n, coders = coding_count(project, filters)
        print(
            f"{wording.count(len(meta), 'transcript', 'transcripts')}, "
            f"{wording.count(int(meta['words'].sum()), 'word', 'words')}, "
            f"{wording.count(n, 'coding', 'codings')} by "
            f"{wording.count(coders, 'coder', 'coders')}"
        )
        wanted = (
            [(args.count, args.percent, wording.count_title(args.count, args.percent))]
            if args.count
            else list(STATS_TABLES)
        )
        for count, percent, title in wanted:
            table = frequency_table(project, "code", args.cols, count, percent, filters)
            table = _code_names(table, project, args, "table")
            table = wording.danish_axes(table)
            print(f"\n{title}\n\n{render_text(table, percent)}")
        if args.cooccurrence:
            matrix = cooccurrence(project, filters=filters)
            matrix = render_text(_code_names(matrix, project, args, "table"))
            print(f"\nSamforekomst (koder i samme tur)\n\n{matrix}")
    return 0
