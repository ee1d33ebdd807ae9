"""Figures for people who would rather look than read: a theme × school heat map and a bar chart
of theme frequencies, each written as PNG and SVG (matplotlib, Agg backend: no display needed).
"""

from __future__ import annotations

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


def heatmap(table: pd.DataFrame, row_labels: list[str], title: str) -> plt.Figure:
    values = table.to_numpy(dtype=float)
    fig, ax = plt.subplots(
        figsize=(2.2 + 1.1 * max(len(table.columns), 2), 1.2 + 0.42 * len(table.index))
    )
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(table.columns)), [str(c) for c in table.columns])
    ax.set_yticks(range(len(table.index)), row_labels)
    ax.xaxis.tick_top()
    top = values.max() if values.size else 0
    for (i, j), v in np.ndenumerate(values):
        text = f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"
        ax.text(j, i, text, ha="center", va="center", color="white" if v > top * 0.6 else "black")
    fig.colorbar(image, ax=ax, shrink=0.6)
    ax.set_title(title, pad=28)
    fig.tight_layout()
    return fig


def bar_chart(totals: pd.Series, labels: list[str], colors: list[str], title: str) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(8, 1.0 + 0.38 * len(totals)))
    positions = np.arange(len(totals))
    ax.barh(positions, totals.to_numpy(dtype=float), color=colors)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()  # codebook order from the top
    ax.set_xlabel(title)
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
) -> list[Path]:
    """heatmap.png/.svg (theme × `cols`) and bars.png/.svg (themes) in `folder`, of the codings
    `filters` selects (all by default); returns the paths."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LfaError(f"cannot create the folder: {exc.strerror}", path=folder) from None
    table = frequency_table(project, rows="code", cols=cols, count=count, filters=filters)
    ids = [c for c in table.index if c != TOTAL]
    labels = _labels(project, ids)
    colors = list(code_table(project).loc[ids, "color"])
    title = COUNT_TITLES[count]
    cells = table.loc[ids, [c for c in table.columns if c != TOTAL]]
    figures = {
        "heatmap": heatmap(cells, labels, f"{title} pr. tema og {DIMENSION_NAMES.get(cols, cols)}"),
        "bars": bar_chart(table.loc[ids, TOTAL], labels, colors, title),
    }
    written = []
    try:
        for name, fig in figures.items():
            for fmt in FORMATS:
                path = folder / f"{name}.{fmt}"
                fig.savefig(path, format=fmt, dpi=150, bbox_inches="tight")
                written.append(path)
    except OSError as exc:
        raise LfaError(f"cannot write the figure: {exc.strerror}", path=folder) from None
    finally:
        for fig in figures.values():
            plt.close(fig)
    return written
