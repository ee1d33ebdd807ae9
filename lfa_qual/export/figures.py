"""Figures for people who would rather look than read: a theme × school heat map and a bar chart
of theme frequencies, each written as PNG and SVG (matplotlib, Agg backend: no display needed).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # before pyplot: the figures are files, never windows

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from lfa_qual.analysis import TOTAL, Filters, code_labels, code_table, frequency_table  # noqa: E402
from lfa_qual.errors import LfaError  # noqa: E402
from lfa_qual.outputs import check_output_path, export_file, prepare_export  # noqa: E402

if TYPE_CHECKING:
    from lfa_qual.project import Project

FORMATS = ("png", "svg")
COUNT_TITLES = {
    "codings": "Kodninger",
    "passages": "Kodede passager",
    "interviews": "Interview",
    "words": "Kodede ord",
}
DIMENSION_NAMES = {
    "school": "skole",
    "role": "rolle",
    "role_group": "rollegruppe",
    "interview": "interview",
    "kind": "type",
}


def _labels(project: Project, ids: list[str]) -> list[str]:
    labels = code_labels(project)
    return [labels[c] for c in ids]


def column_labels(columns: list[str], width: int = 14) -> tuple[list[str], bool]:
    """Column labels wrapped at `width` characters, and whether to turn them: labels longer
    than a cell is wide (roles, interview ids) overlapped their neighbours when set level."""
    wrapped = [textwrap.fill(str(c), width, break_long_words=False) for c in columns]
    turn = any(len(str(c)) > 9 for c in columns)
    return wrapped, turn


def heatmap(table: pd.DataFrame, row_labels: list[str], title: str) -> plt.Figure:
    values = table.to_numpy(dtype=float)
    labels, turn = column_labels([str(c) for c in table.columns])
    fig, ax = plt.subplots(
        figsize=(2.2 + 1.1 * max(len(table.columns), 2), 1.2 + 0.42 * len(table.index))
    )
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(table.columns)), labels)
    ax.set_yticks(range(len(table.index)), row_labels)
    ax.xaxis.tick_top()
    if turn:
        # Turned 45° and anchored at the cell, so each label starts above its own column.
        plt.setp(ax.get_xticklabels(), rotation=45, ha="left", rotation_mode="anchor")
    top = values.max() if values.size else 0
    for (i, j), v in np.ndenumerate(values):
        text = f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"
        ax.text(j, i, text, ha="center", va="center", color="white" if v > top * 0.6 else "black")
    fig.colorbar(image, ax=ax, shrink=0.6)
    ax.set_title(title, pad=28 if not turn else 12)
    fig.tight_layout()
    return fig


def titles(count: str, cols: str) -> tuple[str, str]:
    """The heat map's and the bar chart's titles, in Danish, for what is counted."""
    dim = DIMENSION_NAMES.get(cols, cols)
    if count == "interviews":
        if cols == "interview":  # each cell is 0 or 1: does the interview touch the theme
            heat = "Temaer i hvert interview (1 = temaet er kodet i interviewet)"
        else:
            heat = f"Interview med temaet pr. {dim}"
        return heat, "Interview med temaet"
    what = COUNT_TITLES[count]
    return f"{what} pr. tema og {dim}", f"{what} pr. tema"


def bar_chart(
    totals: pd.Series, labels: list[str], colors: list[str], title: str, xlabel: str = ""
) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(8, 1.0 + 0.38 * len(totals)))
    positions = np.arange(len(totals))
    ax.barh(positions, totals.to_numpy(dtype=float), color=colors)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()  # codebook order from the top
    ax.set_title(title)  # as the heat map has one
    ax.set_xlabel(xlabel or title)
    if all(float(v).is_integer() for v in totals):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for y, v in zip(positions, totals.to_numpy(dtype=float), strict=True):
        ax.text(v, y, f" {v:.0f}" if float(v).is_integer() else f" {v:.1f}", va="center")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def write_figures(
    project: Project,
    folder: Path,
    cols: str = "school",
    count: str = "codings",
    filters: Filters | None = None,
    force: bool = False,
) -> list[Path]:
    """heatmap.png/.svg (theme × `cols`) and bars.png/.svg (themes) in `folder`, of the codings
    `filters` selects (all by default); returns the paths. Each file is written safely (see
    `lfa_qual.outputs`); all four are checked before the first is written."""
    paths = {
        (name, fmt): folder / f"{name}.{fmt}" for name in ("heatmap", "bars") for fmt in FORMATS
    }
    for path in paths.values():
        check_output_path(path, project)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LfaError(f"cannot create the folder: {exc.strerror}", path=folder) from None
    for path in paths.values():
        prepare_export(project, path, force=force)
    table = frequency_table(project, rows="code", cols=cols, count=count, filters=filters)
    ids = [c for c in table.index if c != TOTAL]
    labels = _labels(project, ids)
    colors = list(code_table(project).loc[ids, "color"])
    heat_title, bar_title = titles(count, cols)
    cells = table.loc[ids, [c for c in table.columns if c != TOTAL]]
    figures = {
        "heatmap": heatmap(cells, labels, heat_title),
        "bars": bar_chart(table.loc[ids, TOTAL], labels, colors, bar_title, COUNT_TITLES[count]),
    }
    written = []
    try:
        for (name, fmt), path in paths.items():
            with export_file(project, path, force=force) as tmp:
                figures[name].savefig(tmp, format=fmt, dpi=150, bbox_inches="tight")
            written.append(path)
    finally:
        for fig in figures.values():
            plt.close(fig)
    return written
