"""From a number to its passages: the codings behind a frequency-table cell or a co-occurrence
pair, as `lfa_qual.analysis.codings_frame` rows (with citations), so that a count can be read.

A cell selects on its row and column values ("I alt" selects all); a `passages` or `words`
table shows the distinct passages it counted (overlapping codings of a code merged), the others
every coding. A pair shows the codings of either code that share a turn with (or, `overlap`,
overlap) a coding of the other; the diagonal, the codings of the code.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

import pandas as pd

from lfa_qual.analysis import TOTAL, Filters, codings_frame

if TYPE_CHECKING:
    from lfa_qual.project import Project

ORDER = ["interview", "start", "code"]


def _frame(project: Project, filters: Filters | None) -> pd.DataFrame:
    frame = codings_frame(project, filters or Filters(needs_review=False))
    frame["role_group"] = frame["role"].map(project.role_groups.group_of)
    return frame


def cell_codings(
    project: Project,
    rows: str,
    row: str,
    cols: str,
    col: str,
    count: str = "codings",
    filters: Filters | None = None,
) -> pd.DataFrame:
    """The codings (or passages) a frequency table's cell counts."""
    from lfa_qual.analysis.frequencies import passages

    frame = _frame(project, filters)
    for dim, value in ((rows, row), (cols, col)):
        if value != TOTAL:
            frame = frame[frame[dim].astype(str) == str(value)]
    if count in ("passages", "words"):
        frame = passages(frame.reset_index(drop=True))
    return frame.sort_values(ORDER).reset_index(drop=True)


def _turn_span(turn_starts: list[int], turn_ends: list[int], start: int, end: int) -> range:
    """The turns a coding touches; one starting past its turn's end starts in the next turn,
    as `frequencies._turn_units` counts it."""
    first = max(bisect_right(turn_starts, start) - 1, 0)
    if start >= turn_ends[first] and first + 1 < len(turn_starts):
        first += 1
    last = max(bisect_right(turn_starts, end - 1) - 1, first)
    return range(first, last + 1)


def pair_codings(
    project: Project, a: str, b: str, within: str = "turn", filters: Filters | None = None
) -> pd.DataFrame:
    """The codings of `a` and `b` that co-occur (see the module's doc)."""
    frame = _frame(project, filters)
    frame = frame[frame["code"].isin({a, b})]
    if a == b:
        return frame.sort_values(ORDER).reset_index(drop=True)
    keep: list[int] = []
    for interview, group in frame.groupby("interview", sort=False):
        rows = list(group.itertuples())
        if within == "turn":
            turns = project.transcript(interview).turns
            starts, ends = [t.start for t in turns], [t.end for t in turns]
            spans = {r.Index: set(_turn_span(starts, ends, r.start, r.end)) for r in rows}
            for r in rows:
                if any(o.code != r.code and spans[r.Index] & spans[o.Index] for o in rows):
                    keep.append(r.Index)
        else:
            for r in rows:
                if any(o.code != r.code and o.start < r.end and r.start < o.end for o in rows):
                    keep.append(r.Index)
    return frame.loc[keep].sort_values(ORDER).reset_index(drop=True)
