"""`lfa-qual grid`: the summary grid (rows × themes, passages and summaries) in the terminal,
`grid set`/`grid show`/`grid undo` for one cell, and `export grid` (docx, xlsx)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lfa_qual.cli.core import open_project, subcommands
from lfa_qual.cli.export import MANY, _force_option, _many, output_format, sync
from lfa_qual.cli.table import render_table
from lfa_qual.errors import LfaError
from lfa_qual.grid_summaries import ROW_KINDS

GRID_FORMATS = ("docx", "xlsx")


def _grid_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rows",
        choices=ROW_KINDS,
        default="school",
        help="rows: schools (default), interviews or role groups",
    )


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    register_export(subcommands(sub, "export"), common)
    p = sub.add_parser(
        "grid",
        parents=[common],
        help="the summary grid: coded passages and your summary per school (…) and theme",
    )
    _grid_options(p)
    p.add_argument("--codes", **MANY, metavar="ID", help="these themes (default: the top level)")
    p.set_defaults(func=cmd_grid)
    gsub = p.add_subparsers(dest="grid_command", metavar="ACTION")
    s = gsub.add_parser("set", parents=[common], help="write the summary of a cell")
    _grid_options(s)
    s.add_argument("row", help="school, interview or role group (see --rows)")
    s.add_argument("code", help="theme (code id)")
    s.add_argument("--text", required=True, help="the summary (empty deletes it)")
    s.set_defaults(func=cmd_grid_set)
    w = gsub.add_parser("show", parents=[common], help="a cell: its summary and its passages")
    _grid_options(w)
    w.add_argument("row")
    w.add_argument("code")
    w.set_defaults(func=cmd_grid_show)
    u = gsub.add_parser("undo", parents=[common], help="undo your latest summary change")
    u.set_defaults(func=cmd_grid_undo)


def register_export(esub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """`export grid`, added to `lfa-qual export` (built before this module's commands)."""
    g = esub.add_parser(
        "grid", parents=[common], help="the summary grid as a Word table or an Excel sheet"
    )
    _grid_options(g)
    g.add_argument("--codes", **MANY, metavar="ID", help="these themes (default: the top level)")
    g.add_argument("--citations", action="store_true", help="each cell's citations too")
    g.add_argument("--title", default="Oversigt over temaer", help="the Word document's title")
    g.add_argument("--format", choices=GRID_FORMATS, help="default: from --out's extension")
    g.add_argument("--out", type=Path, required=True, help="the file (.docx or .xlsx)")
    _force_option(g)
    g.set_defaults(func=cmd_export_grid, default_format="docx", include_needs_review=False)


def cmd_grid(args: argparse.Namespace) -> int:
    from lfa_qual.grid import ROW_NAMES, build_grid

    args.include_needs_review = False
    with open_project(args) as project:
        sync(project, args)
        grid = build_grid(project, args.rows, _many(args.codes))
    rows = [
        [row, *(_cell(grid.count(row, c), grid.summary(row, c)) for c in grid.codes)]
        for row in grid.rows
    ]
    print(render_table([ROW_NAMES[grid.row_kind], *grid.codes], rows, max_width=24))
    print(
        "cells: coded passages, * with a summary; `lfa-qual grid show ROW CODE` shows one",
        file=sys.stderr,
    )
    return 0


def _cell(n: int, summary: str) -> str:
    return f"{n}{' *' if summary else ''}"


def cmd_grid_set(args: argparse.Namespace) -> int:
    from lfa_qual.grid import set_summary

    with open_project(args) as project:
        project.sync_codebook()
        done = set_summary(project, args.rows, args.row, args.code, args.text, project.coder)
    what = "deleted the summary" if done is None else "saved the summary"
    print(f"{what} of {args.code} × {args.row} (undo: lfa-qual grid undo)")
    return 0


def cmd_grid_show(args: argparse.Namespace) -> int:
    from lfa_qual.grid import build_grid

    args.include_needs_review = False
    with open_project(args) as project:
        sync(project, args)
        grid = build_grid(project, args.rows, (args.code,), citations=True)
    if args.row not in grid.rows:
        known = ", ".join(grid.rows) or "none"
        raise LfaError(f"no row {args.row!r} in the grid; rows: {known}", field="row")
    found = grid.summaries.get((args.row, args.code))
    print(f"{grid.labels[args.code]} × {args.row}: {grid.count(args.row, args.code)} passage(s)")
    if found:
        print(f"\n{found.text}\n  ({found.author}, {found.updated[:16].replace('T', ' ')})")
    for citation in grid.citations.get((args.row, args.code), []):
        print(f"  {citation}")
    return 0


def cmd_grid_undo(args: argparse.Namespace) -> int:
    from lfa_qual import history

    with open_project(args) as project:
        latest = history.actions(project.store, project.coder, limit=50)
        pending = next((a for a in latest if not a.undone), None)
        if pending is None:
            raise LfaError("nothing to undo", field="history")
        if pending.kind != "grid":
            what = f"“{pending.label}”"
            raise LfaError(
                f"your latest action is {what}, not a grid summary; undo codings in the TUI (u)",
                field="history",
            )
        action = history.undo(project.store, project.coder)
    print(f"undone: {action.label}")
    return 0


def cmd_export_grid(args: argparse.Namespace) -> int:
    from lfa_qual.export.grid import write_grid_docx, write_grid_xlsx
    from lfa_qual.grid import build_grid
    from lfa_qual.outputs import export_file, prepare_export

    fmt = output_format(args, GRID_FORMATS)
    with open_project(args) as project:
        sync(project, args)
        prepare_export(project, args.out, force=args.force)
        grid = build_grid(project, args.rows, _many(args.codes), citations=args.citations)
        with export_file(project, args.out, force=args.force) as tmp:
            if fmt == "docx":
                write_grid_docx(grid, tmp, args.title)
            else:
                write_grid_xlsx(grid, tmp)
    print(
        f"wrote the grid ({len(grid.rows)} rows × {len(grid.codes)} themes) to {args.out}",
        file=sys.stderr,
    )
    return 0
