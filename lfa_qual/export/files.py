"""One export to one file, as the TUI's export commands ask for it: quotes, a frequency table,
the figures or the summary grid, with the screen's filters, in the format the file's name
says. Every file goes through `lfa_qual.outputs` (never a project file; written to a temporary
name and renamed into place). CSV is Danish Excel's dialect, as `--out x.csv` writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lfa_qual.errors import LfaError
from lfa_qual.names.gate import check_export, quote_items
from lfa_qual.outputs import check_output_path, export_file, export_text, prepare_export

if TYPE_CHECKING:
    from lfa_qual.analysis import Filters
    from lfa_qual.project import Project

WHAT = ("quotes", "frequencies", "figures", "grid")
FORMATS = {
    "quotes": ("docx", "md", "xlsx", "csv", "json"),
    "frequencies": ("xlsx", "csv", "md"),
    "figures": ("",),  # a folder
    "grid": ("docx", "xlsx"),
}
DEFAULT_NAMES = {
    "quotes": "citater.docx",
    "frequencies": "frekvenser.xlsx",
    "figures": "figurer",
    "grid": "oversigt.docx",
}


@dataclass
class ExportRequest:
    what: str  # one of WHAT
    path: Path
    filters: Filters | None = None
    rows: str = "code"  # frequencies: rows and cols; figures: cols; grid: rows (row kind)
    cols: str = "school"
    count: str = "codings"
    percent: bool = False
    options: dict = field(default_factory=dict)


def file_format(what: str, path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if what == "figures":
        if suffix:
            raise LfaError("figures go into a folder: give a folder name", path=path)
        return ""
    if suffix not in FORMATS[what]:
        raise LfaError(
            f"name the file .{' or .'.join(FORMATS[what])} for the {what} export", path=path
        )
    return suffix


def export(project: Project, request: ExportRequest) -> str:
    """Write the export; returns what was written, for a notice."""
    from lfa_qual.analysis import Filters

    fmt = file_format(request.what, request.path)
    if request.what == "figures":  # a folder of figures (each file is checked as written)
        check_output_path(request.path, project)
    else:  # one file: prepare_export checks the path too
        prepare_export(project, request.path)
    filters = request.filters or Filters(needs_review=False)
    if request.what == "quotes":
        return _quotes(project, request.path, fmt, filters)
    if request.what == "frequencies":
        return _frequencies(project, request, fmt, filters)
    if request.what == "figures":
        from lfa_qual.export.figures import write_figures

        cols = request.cols if request.cols != "code" else "school"
        paths = write_figures(project, request.path, cols, request.count, filters)
        return f"{len(paths)} figure files in {request.path}"
    return _grid(project, request, fmt, filters)


def _quotes(project: Project, path: Path, fmt: str, filters: Filters) -> str:
    from lfa_qual.analysis import quotes_frame

    keys = ["theme", "school"]
    quotes = quotes_frame(project, filters, keys)
    # Quotes are transcript text: unreviewed suspected names stop the export, as in the CLI.
    check_export(project, quote_items(quotes))
    if fmt in ("docx", "xlsx"):
        with export_file(project, path) as tmp:
            if fmt == "docx":
                from lfa_qual.export.to_docx import write_docx

                write_docx(quotes, keys, tmp)
            else:
                from lfa_qual.export.to_xlsx import write_xlsx

                write_xlsx(quotes, tmp)
    else:
        with export_text(project, path, newline="" if fmt == "csv" else None) as stream:
            if fmt == "md":
                from lfa_qual.export.to_md import write_md

                write_md(quotes, keys, stream)
            elif fmt == "csv":
                from lfa_qual.csv_dialect import EXCEL
                from lfa_qual.export.to_csv import write_csv

                write_csv(quotes, stream, EXCEL)
            else:
                from lfa_qual.export.to_json import write_json

                write_json(quotes, stream)
    return f"{len(quotes)} quote(s) to {path}"


def _frequencies(project: Project, request: ExportRequest, fmt: str, filters: Filters) -> str:
    from lfa_qual.analysis import frequency_table, with_code_labels
    from lfa_qual.export import tables

    table = frequency_table(
        project, request.rows, request.cols, request.count, request.percent, filters
    )
    table = with_code_labels(table, project)
    if fmt == "xlsx":
        from lfa_qual.export.to_xlsx import write_xlsx

        with export_file(project, request.path) as tmp:
            out = table.round(2) if request.percent else table
            write_xlsx(out, tmp, sheet="Frekvenser", index=True)
    else:
        with export_text(project, request.path, newline="" if fmt == "csv" else None) as stream:
            if fmt == "csv":
                from lfa_qual.csv_dialect import EXCEL

                tables.write_csv_table(table, stream, request.percent, EXCEL)
            else:
                tables.write_md_table(table, stream, request.percent)
    what = f"{request.rows} × {request.cols}: {request.count}"
    return f"the frequency table ({what}) to {request.path}"


def _grid(project: Project, request: ExportRequest, fmt: str, filters: Filters) -> str:
    from lfa_qual.export.grid import write_grid_docx, write_grid_xlsx
    from lfa_qual.grid import build_grid

    grid = build_grid(project, request.rows, None, filters, citations=True)
    with export_file(project, request.path) as tmp:
        if fmt == "docx":
            write_grid_docx(grid, tmp)
        else:
            write_grid_xlsx(grid, tmp)
    return f"the summary grid ({len(grid.rows)} × {len(grid.codes)}) to {request.path}"
