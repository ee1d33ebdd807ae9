"""Codings as pandas DataFrames: the table analysts continue with, and the base of every export.

`codings_frame` reads the codings in one query and attaches what a report needs (school, role,
page, citation, text). Citations come from `lfa_qual.citation`: a citation only changes where a
turn or a paragraph starts, so `cite` is called once per such break point and each coding looks
its start up with a binary search. That keeps 100,000 codings fast and gives exactly the
citation `Project.cite` gives.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lfa_qual.citation import citation_fields
from lfa_qual.errors import LfaError, StoreError
from lfa_qual.transcript import Transcript

if TYPE_CHECKING:
    from lfa_qual.project import Project

TOTAL = "I alt"  # name of the totals row and column in every table
GROUP_KEYS = ("code", "school", "role", "interview", "kind")
COUNTS = ("codings", "passages", "interviews", "words")

CODING_COLUMNS = [
    "id",
    "guid",
    "interview",
    "school",
    "kind",
    "date",
    "month",
    "role",
    "grade",
    "speaker",
    "turn",
    "page",
    "locator",
    "code",
    "code_label",
    "parent",
    "coder",
    "source",
    "status",
    "created",
    "memo",
    "start",
    "end",
    "words",
    "text",
    "citation",
]


@dataclass(frozen=True)
class Filters:
    """Which codings to include; None means all. `codes` includes each code's descendants."""

    codes: tuple[str, ...] | None = None
    schools: tuple[str, ...] | None = None
    roles: tuple[str, ...] | None = None
    coders: tuple[str, ...] | None = None
    interviews: tuple[str, ...] | None = None


class CitationIndex:
    """The citation fields of one transcript at each offset where they can change."""

    def __init__(self, transcript: Transcript, template: str) -> None:
        points = {0}
        for turn in transcript.turns:
            points.add(turn.start)
            points.update(p.start for p in turn.paragraphs)
        self.points = np.array(sorted(points), dtype=np.int64)
        fields = [citation_fields(transcript, int(p)) for p in self.points]
        self.citations = np.array([template.format(**f) for f in fields], dtype=object)
        self.fields = {
            key: np.array([f[key] for f in fields], dtype=object)
            for key in ("role", "grade", "label")
        }
        # Numbers as integers, -1 where there is none (a transcript without page markers).
        for key in ("turn", "page", "locator"):
            self.fields[key] = np.array([int(f[key] or -1) for f in fields], dtype=np.int64)

    def positions(self, offsets: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.points, offsets, side="right") - 1


class WordIndex:
    """The number of words in any span of a text, as `len(text[s:e].split())` counts them, for
    whole arrays of spans at once (a prefix sum of word starts)."""

    def __init__(self, text: str) -> None:
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        spaces = [c for c in np.unique(points).tolist() if chr(c).isspace()]
        self.solid = ~np.isin(points, spaces)
        starts = self.solid.copy()
        starts[1:] &= ~self.solid[:-1]
        self.cum = np.concatenate([[0], np.cumsum(starts)])

    def count(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        if not len(self.solid):
            return np.zeros(len(starts), dtype=np.int64)
        inner = self.cum[ends] - self.cum[np.minimum(starts + 1, ends)]
        first = self.solid[np.minimum(starts, len(self.solid) - 1)] & (ends > starts)
        return inner + first


def code_table(project: Project) -> pd.DataFrame:
    """The codes in codebook order (pre-order: parents before children) with label and parent."""
    rows = project.store.read("SELECT id, parent, label, color, position FROM codes")
    frame = pd.DataFrame(
        [dict(r) for r in rows], columns=["id", "parent", "label", "color", "position"]
    )
    return frame.sort_values("position", kind="stable").set_index("id")


def expand_codes(project: Project, codes: Iterable[str]) -> list[str]:
    """The given codes and all their descendants; an unknown id is the user's error."""
    table = code_table(project)
    children: dict[str, list[str]] = {}
    for cid, parent in table["parent"].items():
        if isinstance(parent, str):
            children.setdefault(parent, []).append(cid)
    out: list[str] = []
    for cid in codes:
        if cid not in table.index:
            known = ", ".join(table.index)
            raise LfaError(f"unknown code {cid!r}; codes: {known}", field="codes")
        stack = [cid]
        while stack:
            c = stack.pop()
            if c not in out:
                out.append(c)
                stack.extend(children.get(c, []))
    return out


def _read_codings(project: Project, filters: Filters) -> pd.DataFrame:
    where, params = [], []
    if filters.codes is not None:
        codes = expand_codes(project, filters.codes)
        where.append(f"c.code_id IN ({','.join('?' * len(codes))})")
        params += codes
    for column, values, name in (
        ("t.school", filters.schools, "schools"),
        ("c.coder", filters.coders, "coders"),
        ("t.interview", filters.interviews, "interviews"),
    ):
        if values is not None:
            _check_known(project, column, values, name)
            where.append(f"{column} IN ({','.join('?' * len(values))})")
            params += list(values)
    sql = (
        "SELECT c.id, c.guid, t.interview, t.school, t.kind, t.date, c.code_id AS code, c.coder,"
        " c.source, c.status, c.created, c.memo, c.start, c.end"
        " FROM codings c JOIN transcripts t ON t.id = c.transcript_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY t.interview, c.start, c.end, c.code_id"
    rows = _plain_rows(project, sql, tuple(params))
    columns = [
        "id",
        "guid",
        "interview",
        "school",
        "kind",
        "date",
        "code",
        "coder",
        "source",
        "status",
        "created",
        "memo",
        "start",
        "end",
    ]
    return pd.DataFrame.from_records(rows, columns=columns)


def _plain_rows(project: Project, sql: str, params: tuple) -> list[tuple]:
    """Rows as plain tuples: pandas builds a frame from them several times faster than from
    sqlite3.Row objects, which matters at 100,000 codings."""
    cursor = project.store.conn.cursor()
    cursor.row_factory = None
    try:
        return cursor.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise StoreError(f"the project store failed: {exc}", path=project.store.path) from None
    finally:
        cursor.close()


def _check_known(project: Project, column: str, values: Sequence[str], name: str) -> None:
    table, field = column.split(".")
    source = {"c": "codings", "t": "transcripts", "s": "speakers"}[table]
    known = {r[0] for r in project.store.read(f"SELECT DISTINCT {field} FROM {source}")}
    unknown = [v for v in values if v not in known]
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise LfaError(f"no {field} {unknown[0]!r} in this project; known: {listed}", field=name)


class Locator:
    """Transcripts and their citation indexes, each loaded once per export."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.template = project.config.citation
        self._cache: dict[str, tuple[Transcript, CitationIndex]] = {}
        self._words: dict[str, WordIndex] = {}
        self._paragraphs: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def get(self, interview: str) -> tuple[Transcript, CitationIndex]:
        if interview not in self._cache:
            transcript = self.project.transcript(interview)
            self._cache[interview] = (transcript, CitationIndex(transcript, self.template))
        return self._cache[interview]

    def transcript(self, interview: str) -> Transcript:
        return self.get(interview)[0]

    def paragraphs(self, interview: str) -> tuple[np.ndarray, np.ndarray]:
        """Start and end offsets of the transcript's paragraphs, in text order."""
        if interview not in self._paragraphs:
            paras = [p for turn in self.transcript(interview).turns for p in turn.paragraphs]
            self._paragraphs[interview] = (
                np.array([p.start for p in paras], dtype=np.int64),
                np.array([p.end for p in paras], dtype=np.int64),
            )
        return self._paragraphs[interview]

    def words(self, interview: str) -> WordIndex:
        if interview not in self._words:
            self._words[interview] = WordIndex(self.transcript(interview).text)
        return self._words[interview]


def attach_locations(frame: pd.DataFrame, locator: Locator) -> None:
    """Add role, grade, speaker, turn, page, locator and citation for each row's start offset."""
    n = len(frame)
    out = {key: np.empty(n, dtype=object) for key in ("role", "grade", "speaker", "citation")}
    out.update({key: np.full(n, -1, dtype=np.int64) for key in ("turn", "page", "locator")})
    if n:
        starts = frame["start"].to_numpy()
        for interview, rows in frame.groupby("interview", sort=False).indices.items():
            _, index = locator.get(interview)
            pos = index.positions(starts[rows])
            out["citation"][rows] = index.citations[pos]
            for key, field in (
                ("role", "role"),
                ("grade", "grade"),
                ("speaker", "label"),
                ("turn", "turn"),
                ("page", "page"),
                ("locator", "locator"),
            ):
                out[key][rows] = index.fields[field][pos]
    for key, values in out.items():
        if values.dtype == np.int64:
            frame[key] = pd.arrays.IntegerArray(values, values < 0)
        else:
            frame[key] = values


def month_names(dates: pd.Series) -> pd.Series:
    """ "2021-04" → "april 2021" (Danish, lower-case, as in citations)."""
    from lfa_qual.transcript import DANISH_MONTHS

    months = {d: f"{DANISH_MONTHS[int(d[5:7]) - 1]} {d[:4]}" for d in dates.unique()}
    return dates.map(months)


def codings_base(
    project: Project,
    filters: Filters | None = None,
    locator: Locator | None = None,
    locate: bool = True,
) -> pd.DataFrame:
    """The filtered codings with transcript metadata, and (`locate`) speaker and citation."""
    filters = filters or Filters()
    frame = _read_codings(project, filters)
    if locate or filters.roles is not None:
        attach_locations(frame, locator or Locator(project))
    if filters.roles is not None:
        _check_known(project, "s.role", filters.roles, "roles")
        frame = frame[frame["role"].isin(filters.roles)].reset_index(drop=True)
    return frame


def count_words(frame: pd.DataFrame, locator: Locator) -> np.ndarray:
    """Words in each row's [start, end) span of its interview."""
    out = np.zeros(len(frame), dtype=np.int64)
    starts, ends = frame["start"].to_numpy(), frame["end"].to_numpy()
    for interview, rows in frame.groupby("interview", sort=False).indices.items():
        out[rows] = locator.words(interview).count(starts[rows], ends[rows])
    return out


def codings_frame(project: Project, filters: Filters | None = None) -> pd.DataFrame:
    """One row per coding with its transcript's metadata, speaker, page, code, text and citation.

    Columns: see `CODING_COLUMNS`. Rows are ordered by interview and offset. `page` is empty
    (<NA>) for transcripts without page markers; `locator` is then the turn number.
    """
    locator = Locator(project)
    frame = codings_base(project, filters, locator)
    codes = code_table(project)
    frame["code_label"] = frame["code"].map(codes["label"])
    frame["parent"] = frame["code"].map(codes["parent"]).fillna("")
    frame["month"] = month_names(frame["date"]) if len(frame) else pd.Series(dtype=object)
    texts = [
        locator.transcript(i).text[s:e]
        for i, s, e in zip(
            frame["interview"].tolist(), frame["start"].tolist(), frame["end"].tolist(), strict=True
        )
    ]
    frame["text"] = pd.Series(texts, index=frame.index, dtype=object)
    frame["words"] = count_words(frame, locator)
    return frame[CODING_COLUMNS]


def transcripts_frame(project: Project) -> pd.DataFrame:
    """One row per transcript: interview, school, kind, date, words."""
    rows = project.store.read("SELECT interview, school, kind, date, words FROM transcripts")
    return pd.DataFrame.from_records(
        rows, columns=["interview", "school", "kind", "date", "words"]
    ).set_index("interview")


def speaker_words(project: Project) -> pd.DataFrame:
    """Words spoken per interview and role (interviewers too), with the interview's school and
    kind: the denominators of coverage and of interview shares."""
    meta = transcripts_frame(project)
    records = []
    for interview in meta.index:
        t = project.transcript(interview)
        for turn in t.turns:
            words = sum(len(t.text[p.start : p.end].split()) for p in turn.paragraphs)
            records.append((interview, t.speakers[turn.label].role, words))
    frame = pd.DataFrame.from_records(records, columns=["interview", "role", "words"])
    frame = frame.groupby(["interview", "role"], as_index=False)["words"].sum()
    frame["school"] = frame["interview"].map(meta["school"])
    frame["kind"] = frame["interview"].map(meta["kind"])
    return frame


def frequency_table(
    project: Project,
    rows: str = "code",
    cols: str = "school",
    count: str = "codings",
    percent: bool = False,
) -> pd.DataFrame:
    """A rows × cols table with a totals row and column named "I alt" (see `lfa_qual.frequencies`)."""
    from lfa_qual.frequencies import build_frequency_table

    return build_frequency_table(project, rows, cols, count, percent)


def cooccurrence(project: Project, within: str = "turn") -> pd.DataFrame:
    """A code × code matrix; see `lfa_qual.frequencies.build_cooccurrence`."""
    from lfa_qual.frequencies import build_cooccurrence

    return build_cooccurrence(project, within)


def quotes_frame(
    project: Project,
    filters: Filters | None = None,
    by: Sequence[str] = ("theme", "school"),
    max_words: int | None = None,
) -> pd.DataFrame:
    """One row per quote: codings of one theme on overlapping text merged, cut at word boundaries."""
    from lfa_qual.export.quotes import build_quotes

    return build_quotes(project, filters or Filters(), by, max_words)
