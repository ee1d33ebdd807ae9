"""The summary grid (a framework matrix): rows are schools, interviews or role groups, columns
the codebook's themes. A cell counts the coded passages of the theme (its sub-codes included)
in the row and holds the researcher's summary of them, signed and dated. Setting a summary is
an undoable action of `lfa_qual.history` (change target "grid")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lfa_qual.errors import LfaError
from lfa_qual.grid_summaries import ROW_KINDS, summary_state
from lfa_qual.store import new_guid, now

if TYPE_CHECKING:  # pandas only for the hints: `lfa-qual grid --help` need not load it
    import pandas as pd

    from lfa_qual.analysis import Filters
    from lfa_qual.project import Project

ROW_NAMES = {"school": "Skole", "interview": "Interview", "role_group": "Rollegruppe"}

Cell = tuple[str, str]  # (row, code)


@dataclass(frozen=True)
class Summary:
    row_kind: str
    row: str
    code: str
    text: str
    author: str
    updated: str
    guid: str = ""


@dataclass
class Grid:
    row_kind: str
    rows: list[str]
    codes: list[str]  # the columns: theme ids in codebook order
    labels: dict[str, str]  # code id → label
    counts: dict[Cell, int] = field(default_factory=dict)
    summaries: dict[Cell, Summary] = field(default_factory=dict)
    citations: dict[Cell, list[str]] = field(default_factory=dict)

    def count(self, row: str, code: str) -> int:
        return self.counts.get((row, code), 0)

    def summary(self, row: str, code: str) -> str:
        found = self.summaries.get((row, code))
        return found.text if found else ""


def check_row_kind(row_kind: str) -> None:
    if row_kind not in ROW_KINDS:
        raise LfaError(f"grid rows must be one of {', '.join(ROW_KINDS)}", field="rows")


def theme_columns(project: Project, codes: tuple[str, ...] | None = None) -> list[str]:
    """The grid's columns: the codes asked for, else the top-level themes, in codebook order."""
    codebook = project.codebook()
    if codes is None:
        return [c.id for c in codebook.codes if not c.parent]
    for code in codes:
        codebook.get(code)  # an unknown code is an error naming it
    return [c.id for c in codebook.codes if c.id in codes]


def row_values(project: Project, row_kind: str) -> list[str]:
    """Every row of the grid, also those without codings (natural order, as the tables)."""
    from lfa_qual.analysis.quotes import natural_key

    check_row_kind(row_kind)
    rows = project.transcript_rows()
    if row_kind == "school":
        values = {r.school for r in rows}
    elif row_kind == "interview":
        values = {r.interview for r in rows}
    else:
        groups = project.role_groups.groups(project.roles())
        interviewer = {s["role"] for s in project.store.read(
            "SELECT DISTINCT role FROM speakers WHERE interviewer = 1"
        )}  # fmt: skip
        values = {g for g, roles in groups.items() if set(roles) - interviewer}
    return sorted(values, key=natural_key)


def cell_frame(
    project: Project, row_kind: str, codes: list[str], filters: Filters | None = None
) -> pd.DataFrame:
    """The coded passages behind the grid: one row per passage with its `row` and `theme`
    (the column its code counts in) and its citation; a sub-code's passages count in its
    theme's column."""
    from lfa_qual.analysis import Filters, codings_frame
    from lfa_qual.analysis.frequencies import passages

    codebook = project.codebook()
    theme_of = {}
    for code in codes:
        for c in [codebook.get(code), *codebook.descendants(code)]:
            theme_of.setdefault(c.id, code)
    frame = codings_frame(project, filters or Filters(needs_review=False))
    frame = frame[frame["code"].isin(theme_of)].copy()
    frame["theme"] = frame["code"].map(theme_of)
    if row_kind == "role_group":
        frame["row"] = frame["role"].map(project.role_groups.group_of)
    else:
        frame["row"] = frame[row_kind]
    # Overlapping codings of one theme in one interview are one passage.
    frame = frame.assign(code=frame["theme"])
    return passages(frame.reset_index(drop=True))


def cell_passages(
    project: Project, row_kind: str, row: str, code: str, filters: Filters | None = None
) -> pd.DataFrame:
    """The coded passages of one cell, in interview and text order: what the cell counts."""
    check_row_kind(row_kind)
    frame = cell_frame(project, row_kind, theme_columns(project, (code,)), filters)
    frame = frame[frame["row"] == row]
    return frame.sort_values(["interview", "start"]).reset_index(drop=True)


def build_grid(
    project: Project,
    row_kind: str = "school",
    codes: tuple[str, ...] | None = None,
    filters: Filters | None = None,
    citations: bool = False,
) -> Grid:
    check_row_kind(row_kind)
    columns = theme_columns(project, codes)
    labels = {c.id: c.label for c in project.codebook().codes}
    grid = Grid(row_kind, row_values(project, row_kind), columns, labels)
    frame = cell_frame(project, row_kind, columns, filters)
    for (row, theme), n in frame.groupby(["row", "theme"]).size().items():
        grid.counts[(row, theme)] = int(n)
    if citations:
        ordered = frame.sort_values(["interview", "start"])
        for (row, theme), group in ordered.groupby(["row", "theme"], sort=False):
            grid.citations[(row, theme)] = list(dict.fromkeys(group["citation"]))
    for s in summaries(project, row_kind):
        if s.code in columns:
            grid.summaries[(s.row, s.code)] = s
            if s.row not in grid.rows:
                grid.rows.append(s.row)  # a row whose interviews are gone keeps its text
    return grid


def summaries(project: Project, row_kind: str | None = None) -> list[Summary]:
    sql = "SELECT guid, row_kind, row, code_id, text, author, updated FROM grid_summaries"
    rows = project.store.read(sql + (" WHERE row_kind = ?" if row_kind else ""),
                              (row_kind,) if row_kind else ())  # fmt: skip
    return [
        Summary(
            r["row_kind"], r["row"], r["code_id"], r["text"], r["author"], r["updated"], r["guid"]
        )  # fmt: skip
        for r in rows
    ]


def set_summary(
    project: Project, row_kind: str, row: str, code: str, text: str, author: str
) -> Summary | None:
    """Write (an empty text: delete) the summary of a cell, as one undoable action."""
    from lfa_qual import history

    check_row_kind(row_kind)
    project.codebook().get(code)
    known = row_values(project, row_kind)
    existing = {s.row for s in summaries(project, row_kind)}
    if row not in known and row not in existing:
        raise LfaError(
            f"no {row_kind.replace('_', ' ')} {row!r} in this project; known: "
            f"{', '.join(known) or 'none'}",
            field="row",
        )
    store = project.store
    text = text.strip()
    with store.transaction() as conn:
        found = conn.execute(
            "SELECT guid FROM grid_summaries WHERE row_kind=? AND row=? AND code_id=?",
            (row_kind, row, code),
        ).fetchone()
        guid = found["guid"] if found else new_guid()
        before = summary_state(conn, guid)
        if not text:
            if before is None:
                return None
            conn.execute("DELETE FROM grid_summaries WHERE guid = ?", (guid,))
        else:
            conn.execute(
                "INSERT INTO grid_summaries(guid, row_kind, row, code_id, text, author, updated)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT(guid) DO UPDATE SET text=excluded.text,"
                " author=excluded.author, updated=excluded.updated",
                (guid, row_kind, row, code, text, author, now()),
            )
        after = summary_state(conn, guid)
        history.record(
            store,
            "grid",
            f"summary of {code} × {row}" + ("" if text else " deleted"),
            author,
            [history.Change("grid", guid, before, after)],
        )
    if after is None:
        return None
    return Summary(row_kind, row, code, after["text"], author, after["updated"], guid)
