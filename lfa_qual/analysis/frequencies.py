"""Frequency tables and the code co-occurrence matrix, built with pandas from the codings frame.

What is counted (`count`):
- codings: every coding;
- passages: distinct coded passages, overlapping codings of one code in one interview counted once;
- interviews: interviews with at least one such coding;
- words: coded words, overlapping codings counted once (the union of the spans).

With `percent`, codings and passages become shares of the column total (each column sums to
100); interviews become the share of the column's interviews that mention the row; words become
coverage, as in NVivo: coded words as a share of all the words in the cell's interviews (for a
role, the words that role speaks). Totals ("I alt") of interviews and words are counted over the
union, not summed, so a passage coded with two codes counts once in the totals row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lfa_qual.analysis.frame import (
    COUNTS,
    GROUP_KEYS,
    TOTAL,
    Filters,
    Locator,
    _check_known,
    code_table,
    codings_base,
    count_words,
    speaker_words,
)
from lfa_qual.analysis.quotes import merge_spans, natural_key
from lfa_qual.errors import LfaError

if TYPE_CHECKING:
    from lfa_qual.project import Project


def check_dimensions(rows: str, cols: str, count: str) -> None:
    for name, value in (("rows", rows), ("cols", cols)):
        if value not in GROUP_KEYS:
            raise LfaError(f"{name} must be one of {', '.join(GROUP_KEYS)}", field=name)
    if rows == cols:
        raise LfaError("rows and cols must differ", field="cols")
    if count not in COUNTS:
        raise LfaError(f"count must be one of {', '.join(COUNTS)}", field="count")


def labels(project: Project, dim: str, frame: pd.DataFrame, base: pd.DataFrame) -> list[str]:
    """Every value of a dimension, also those without codings: codes in codebook order, role
    groups in the configuration's order, the rest in natural order ("Skole 2" before
    "Skole 10")."""
    if dim == "code":
        return list(code_table(project).index)
    values = set(base[dim].unique()) | set(frame[dim].unique())
    if dim == "role_group":  # the groups of lfa-qual.yaml in its order, then the others
        configured = [g for g in project.role_groups.configured if g in values]
        return configured + sorted(values - set(configured), key=natural_key)
    return sorted(values, key=natural_key)


def passages(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct passage (overlapping codings of one code in one interview merged):
    the first coding of each, found on integer keys (see `merge_spans`)."""
    if frame.empty:
        return frame
    interview = pd.factorize(frame["interview"])[0]
    code = pd.factorize(frame["code"])[0]
    starts, ends = frame["start"].to_numpy(), frame["end"].to_numpy()
    order = np.lexsort((ends, starts, code, interview))
    number = merge_spans(interview[order], code[order], starts[order], ends[order])
    firsts = np.flatnonzero(np.r_[True, number[1:] != number[:-1]])
    return frame.iloc[order[firsts]]


def union_words(frame: pd.DataFrame, keys: list[str], locator: Locator) -> pd.Series:
    """Coded words per group of `keys`, overlapping spans within an interview counted once.

    The spans are merged on integer keys (pandas' codes of each key) with numpy: which spans
    merge depends only on the grouping, not on the order of the groups.
    """
    group = list(dict.fromkeys(["interview", *keys]))
    starts, ends = frame["start"].to_numpy(), frame["end"].to_numpy()
    codes = [pd.factorize(frame[k])[0] for k in group]
    order = np.lexsort((starts, *codes[::-1]))
    same = np.ones(len(order), dtype=bool)
    for c in codes:
        c = c[order]
        same[1:] &= c[1:] == c[:-1]
    if len(order):
        same[0] = False
    s, e = starts[order], ends[order]
    number = merge_spans(np.cumsum(~same), np.zeros(len(order), np.int64), s, e)
    firsts = np.flatnonzero(np.r_[True, number[1:] != number[:-1]]) if len(order) else number
    spans = frame.iloc[order[firsts]][group].reset_index(drop=True)
    spans["start"] = s[firsts]
    spans["end"] = np.maximum.reduceat(e, firsts) if len(firsts) else e
    spans["words"] = count_words(spans, locator)
    if not keys:
        return pd.Series({(): spans["words"].sum()})
    return spans.groupby(keys)["words"].sum()


def _aggregate(
    frame: pd.DataFrame, keys: list[str], count: str, locator: Locator
) -> pd.Series | float:
    if count == "words":
        result = union_words(frame, keys, locator)
        return result.iloc[0] if not keys else result
    if count == "interviews":
        return frame.groupby(keys)["interview"].nunique() if keys else frame["interview"].nunique()
    if "n" in frame:  # counted per interview and code already (see `_coding_counts`)
        return frame.groupby(keys)["n"].sum() if keys else int(frame["n"].sum())
    return frame.groupby(keys).size() if keys else len(frame)


def _coding_counts(project: Project, filters: Filters | None) -> pd.DataFrame:
    """The codings counted per interview and code by SQLite: all that counting codings or
    interviews by code, school, interview or kind needs, without reading every coding.
    `filters` may select coders and leave out codings that need review (see `_counts_do`)."""
    where, params = [], []
    if filters is not None and not filters.needs_review:
        where.append("c.status = 'ok'")
    if filters is not None and filters.coders is not None:
        _check_known(project, "c.coder", filters.coders, "coders")
        where.append(f"c.coder IN ({','.join('?' * len(filters.coders))})")
        params += list(filters.coders)
    rows = project.store.read(
        "SELECT t.interview, t.school, t.kind, c.code_id, count(*) FROM codings c"
        " JOIN transcripts t ON t.id = c.transcript_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " GROUP BY c.transcript_id, c.code_id",
        tuple(params),
    )
    return pd.DataFrame.from_records(
        [tuple(r) for r in rows], columns=["interview", "school", "kind", "code", "n"]
    )


def _counts_do(filters: Filters | None) -> bool:
    """Whether `_coding_counts` can apply the filters: only coders and review status."""
    if filters is None:
        return True
    rest = (filters.codes, filters.schools, filters.roles, filters.interviews)
    return all(v is None for v in rest)


def _fill(table: pd.DataFrame, rows: str, cols: str, agg) -> None:
    """Put the results of `agg(keys)` into the table: cells, totals column, row, grand total."""
    for key, value in agg([rows, cols]).items():
        if key[0] in table.index and key[1] in table.columns:
            table.at[key[0], key[1]] = value
    for key, value in agg([rows]).items():
        if key in table.index:
            table.at[key, TOTAL] = value
    for key, value in agg([cols]).items():
        if key in table.columns:
            table.at[TOTAL, key] = value
    table.at[TOTAL, TOTAL] = agg([])


def frequency_table(
    project: Project,
    rows: str = "code",
    cols: str = "school",
    count: str = "codings",
    percent: bool = False,
    filters: Filters | None = None,
) -> pd.DataFrame:
    """A rows × cols table with a totals row and column named "I alt" of the codings `filters`
    selects (all by default)."""
    check_dimensions(rows, cols, count)
    locator = Locator(project)
    # A coding's role comes from its transcript's text; its role group from the role.
    grouped = "role_group" in (rows, cols)
    locate = "role" in (rows, cols) or grouped
    if count in ("codings", "interviews") and not locate and _counts_do(filters):
        frame = _coding_counts(project, filters)
    else:
        frame = codings_base(project, filters, locator=locator, locate=locate, full=False)
    if count == "passages":
        frame = passages(frame)
    base = speaker_words(project, locator)
    if grouped:
        group_of = project.role_groups.group_of
        frame = frame.assign(role_group=frame["role"].map(group_of))
        base["role_group"] = base["role"].map(group_of)
    row_labels = labels(project, rows, frame, base)
    col_labels = labels(project, cols, frame, base)
    table = pd.DataFrame(0.0, index=[*row_labels, TOTAL], columns=[*col_labels, TOTAL])
    table.index.name, table.columns.name = rows, cols
    if not frame.empty:
        _fill(table, rows, cols, lambda keys: _aggregate(frame, keys, count, locator))
    if not percent:
        return table.astype("int64")
    if count in ("codings", "passages"):
        denominators = pd.DataFrame(
            np.tile(table.loc[TOTAL].to_numpy(), (len(table), 1)),
            index=table.index,
            columns=table.columns,
        )
    else:
        denominators = _base_table(base, rows, cols, table, count)
    shares = table / denominators.replace(0, np.nan) * 100
    return shares.fillna(0.0)


def _base_table(
    base: pd.DataFrame, rows: str, cols: str, table: pd.DataFrame, count: str
) -> pd.DataFrame:
    """For each cell, the words (or interviews) of the transcripts and speakers it covers."""

    def measure(keys: list[str]):
        keys = [k for k in keys if k != "code"]
        if count == "words":
            return base.groupby(keys)["words"].sum() if keys else base["words"].sum()
        return base.groupby(keys)["interview"].nunique() if keys else base["interview"].nunique()

    out = pd.DataFrame(np.nan, index=table.index, columns=table.columns)
    whole = measure([])
    by_row, by_col = measure([rows]), measure([cols])
    by_cell = measure([rows, cols])
    for r in table.index:
        for c in table.columns:
            dims = {}
            if r != TOTAL:
                dims[rows] = r
            if c != TOTAL:
                dims[cols] = c
            dims = {k: v for k, v in dims.items() if k != "code"}
            if not dims:
                out.at[r, c] = whole
            elif len(dims) == 2:
                out.at[r, c] = by_cell.get((r, c), np.nan)
            elif rows in dims:
                out.at[r, c] = by_row.get(r, np.nan)
            else:
                out.at[r, c] = by_col.get(c, np.nan)
    return out


def cooccurrence(
    project: Project, within: str = "turn", filters: Filters | None = None
) -> pd.DataFrame:
    """A code × code matrix.

    within="turn": the number of turns in which both codes are applied (a coding counts for
    every turn it touches); the diagonal is the number of turns with the code.
    within="overlap": the number of pairs of codings of the two codes whose spans overlap; the
    diagonal is the number of codings of the code.
    """
    if within not in ("turn", "overlap"):
        raise LfaError("within must be 'turn' or 'overlap'", field="within")
    codes = list(code_table(project).index)
    matrix = pd.DataFrame(0, index=codes, columns=codes, dtype="int64")
    matrix.index.name, matrix.columns.name = "code", "code"
    frame = codings_base(project, filters, locate=False, full=False)
    if frame.empty:
        return matrix
    if within == "turn":
        units = _turn_units(project, frame)
        unit_no, _ = pd.factorize(units["unit"])
        code_no = units["code"].map({c: i for i, c in enumerate(codes)}).to_numpy()
        onehot = np.zeros((unit_no.max() + 1, len(codes)), dtype=np.int64)
        onehot[unit_no, code_no] = 1
        product = onehot.T @ onehot
        return pd.DataFrame(product, index=matrix.index, columns=matrix.columns)
    index = {code: i for i, code in enumerate(codes)}
    counts = np.zeros((len(codes), len(codes)), dtype=np.int64)
    for _, group in frame.groupby("interview", sort=False):
        group = group.sort_values("start")
        starts, ends = group["start"].to_numpy(), group["end"].to_numpy()
        names = group["code"].map(index).to_numpy()
        np.add.at(counts, (names, names), 1)
        # Each coding overlaps the later-starting codings that start before it ends.
        stops = np.searchsorted(starts, ends, side="left")
        later = np.maximum(stops - np.arange(len(group)) - 1, 0)
        first = np.repeat(np.arange(len(group)), later)
        second = first + 1 + _ramp(later)
        a, b = names[first], names[second]
        differ = a != b
        np.add.at(counts, (a[differ], b[differ]), 1)
        np.add.at(counts, (b[differ], a[differ]), 1)
    return pd.DataFrame(counts, index=matrix.index, columns=matrix.columns)


def _turn_units(project: Project, frame: pd.DataFrame) -> pd.DataFrame:
    """(unit, code) rows: one per turn each coding touches; a unit numbers an interview's turn."""
    parts = []
    locator = Locator(project)  # loads the transcripts in four queries, not four each
    for number, (interview, group) in enumerate(frame.groupby("interview", sort=False)):
        turns = locator.transcript(interview).turns
        starts = np.array([t.start for t in turns], dtype=np.int64)
        ends = np.array([t.end for t in turns], dtype=np.int64)
        begin = group["start"].to_numpy()
        first = np.maximum(np.searchsorted(starts, begin, "right") - 1, 0)
        # A coding starting past its turn's end (on the next label, a timestamp, a page
        # marker) starts in the next turn, as `Transcript.turn_at` has it.
        first += (begin >= ends[first]) & (first + 1 < len(turns))
        last = np.maximum(np.searchsorted(starts, group["end"].to_numpy() - 1, "right") - 1, 0)
        last = np.maximum(last, first)
        spans = last - first + 1
        turn = np.repeat(first, spans) + _ramp(spans)
        parts.append(
            pd.DataFrame(
                {
                    "unit": number * 1_000_000 + turn,
                    "code": np.repeat(group["code"].to_numpy(), spans),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _ramp(lengths: np.ndarray) -> np.ndarray:
    """[0..n0-1, 0..n1-1, …] for the given lengths."""
    total = int(lengths.sum())
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.arange(total) - offsets
