"""Codings as pandas DataFrames: the table analysts continue with, and the base of every export.

`codings_frame` reads the codings in one query and attaches what a report needs (school, role,
page, citation, text). Citations come from `lfa_qual.citation`: a citation only changes where a
turn or a paragraph starts or ends, so `cite` is called once per such break point and each
coding looks its start up with a binary search. That keeps 100,000 codings fast and gives
exactly the citation `Project.cite` gives.
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
from lfa_qual.importer import load_transcripts
from lfa_qual.transcript import Paragraph, Transcript

if TYPE_CHECKING:
    from lfa_qual.project import Project

TOTAL = "I alt"  # name of the totals row and column in every table
GROUP_KEYS = ("code", "school", "role", "role_group", "interview", "kind")
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
    """Which codings to include; None means all. `codes` includes each code's descendants.

    `needs_review=False` leaves out the codings a transcript edit left in doubt (status
    needs_review, see `lfa-qual review`): their span may no longer be the coded passage. The
    export commands leave them out unless asked; the Python API keeps them by default, with
    their `status` column.
    """

    codes: tuple[str, ...] | None = None
    schools: tuple[str, ...] | None = None
    roles: tuple[str, ...] | None = None
    coders: tuple[str, ...] | None = None
    interviews: tuple[str, ...] | None = None
    needs_review: bool = True


class CitationIndex:
    """The citation fields of one transcript at each offset where they can change."""

    def __init__(self, transcript: Transcript, template: str) -> None:
        turns = transcript.turns
        paras = [(i, p) for i, turn in enumerate(turns) for p in turn.paragraphs]
        # Turn and paragraph ends are break points too: from a turn's end on (its next
        # speaker's label, a timestamp, a page marker) the citation is the next turn's, as
        # `Transcript.turn_at`; from a paragraph's end on (a blank line, a page marker inside
        # the turn) the next paragraph's page, as `Transcript.paragraph_at`.
        starts = [
            0,
            *(t.start for t in turns),
            *(t.end for t in turns),
            *(p.start for _, p in paras),
            *(p.end for _, p in paras),
        ]
        self.points = np.unique(np.array(starts, dtype=np.int64))
        if not turns:  # nothing to cite; keeps `citation_fields`' own error for such a text
            fields = [citation_fields(transcript, int(p)) for p in self.points]
        else:
            fields = _point_fields(transcript, self.points, paras)
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


def _point_fields(
    transcript: Transcript, points: np.ndarray, paras: list[tuple[int, Paragraph]]
) -> list[dict[str, str]]:
    """`citation_fields` at each of the sorted `points`, with the turn and paragraph lookups
    done for all points at once (one call per point costs most of an export's loading time).

    `paras` is every paragraph with its turn's position, in text order.
    """
    turns = transcript.turns
    t_starts = np.array([t.start for t in turns], dtype=np.int64)
    t_ends = np.array([t.end for t in turns], dtype=np.int64)
    # Transcript.turn_at: the turn starting at or before the offset; past its end (a label, a
    # page marker), the next one.
    i = np.searchsorted(t_starts, points, side="right") - 1
    past = (i < 0) | ((points >= t_ends[np.maximum(i, 0)]) & (i + 1 < len(turns)))
    i = np.where(past, i + 1, i)
    # Transcript.paragraph_at: the turn's first paragraph ending after the offset (the one
    # containing it, or the next one after a blank line or page marker), else the turn's last.
    # Paragraphs are in text order, so that is the first such paragraph overall, if it is the
    # turn's.
    p_ends = np.array([p.end for _, p in paras], dtype=np.int64)
    p_turns = np.array([t for t, _ in paras], dtype=np.int64)
    j = np.searchsorted(p_ends, points, side="right")
    if len(paras):
        own = (j < len(paras)) & (p_turns[np.minimum(j, len(paras) - 1)] == i)
        # Each turn's last paragraph (p_turns is sorted), -1 for a turn without text.
        last = np.searchsorted(p_turns, i, side="right") - 1
        last = np.where((last >= 0) & (p_turns[np.maximum(last, 0)] == i), last, -1)
        j = np.where(own, j, last)
    else:
        j = np.full_like(i, -1)
    found = j >= 0
    has_pages = transcript.has_pages
    month, year = transcript.month_year.split()
    common = {
        "school": transcript.school,
        "month": month,
        "year": year,
        "date": transcript.date,
        "interview": transcript.interview,
        "kind": transcript.kind,
    }
    out = []
    for turn_no, para_no, has_para in zip(i.tolist(), j.tolist(), found.tolist(), strict=True):
        turn = turns[turn_no]
        speaker = transcript.speakers[turn.label]
        if has_pages:
            page = paras[para_no][1].page if has_para else turn.page
            locator = page or 1
        else:
            locator = turn.index
        out.append(
            {
                "speaker": f"{speaker.role}, {speaker.grade}" if speaker.grade else speaker.role,
                "role": speaker.role,
                "grade": speaker.grade or "",
                "label": speaker.label,
                **common,
                "locator": str(locator),
                "page": str(locator) if has_pages else "",
                "turn": str(turn.index),
            }
        )
    return out


class WordIndex:
    """The number of words in any span of a text, as `len(text[s:e].split())` counts them, for
    whole arrays of spans at once (a prefix sum of word starts).

    With `spans` (start and end arrays, e.g. a transcript's paragraphs), only the words inside
    them count: a span's words are then the words of the speech it covers, counted as
    `Transcript.words` counts them, without speaker labels, timestamps and page markers.
    """

    def __init__(
        self,
        text: str,
        classes: np.ndarray | None = None,
        spans: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        from lfa_qual.analysis.quote_text import SPACE, char_classes

        if classes is None:  # `char_classes(text)`, unless the caller has it already
            classes = char_classes(text)
        self.solid = (classes & SPACE) == 0
        if spans is not None:  # outside the spans, every character counts as white space
            inside = np.zeros(len(self.solid) + 1, dtype=np.int64)
            np.add.at(inside, spans[0], 1)
            np.add.at(inside, spans[1], -1)
            self.solid &= np.cumsum(inside[:-1]) > 0
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


def code_labels(project: Project) -> dict[str, str]:
    """Each code's label as reports show it: a sub-code's with "› " before it; a label two codes
    share keeps its id in brackets, so that no two rows of a table look alike."""
    codes = code_table(project)
    shared = codes["label"].duplicated(keep=False)
    return {
        c: ("› " if isinstance(row.parent, str) else "")
        + (f"{row.label} ({c})" if shared[c] else row.label)
        for c, row in codes.iterrows()
    }


def with_code_labels(table: pd.DataFrame, project: Project) -> pd.DataFrame:
    """A frequency or co-occurrence table with its code axes (named "code") showing the codes'
    labels instead of their ids; the totals ("I alt") stay."""
    labels = code_labels(project)
    out = table
    if table.index.name == "code":
        out = out.rename(index=labels)
    if table.columns.name == "code":
        out = out.rename(columns=labels)
    return out


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


BASE_COLUMNS = [
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
LEAN_COLUMNS = [c for c in BASE_COLUMNS if c not in ("guid", "source", "status", "created")]


def transcript_meta(project: Project) -> pd.DataFrame:
    """id, interview, school, kind, date of every transcript, in interview order (row i is the
    transcript numbered i in a codings frame's `_t` column)."""
    rows = _plain_rows(
        project, "SELECT id, interview, school, kind, date FROM transcripts ORDER BY interview", ()
    )
    return pd.DataFrame.from_records(rows, columns=["id", "interview", "school", "kind", "date"])


def _read_codings(project: Project, filters: Filters, full: bool = True) -> pd.DataFrame:
    """The filtered codings ordered by interview, start, end, code (then id), with the transcript
    metadata; `_t` numbers the transcript (see `transcript_meta`). Without `full`, the columns a
    report does not show (guid, source, status, created) are left out.

    The codings are read from their own table alone and the transcript columns are taken from
    the 200-odd transcript rows by number, and sorted with numpy: a join repeating four strings
    per coding and SQLite's sort cost more than the rest of reading 100,000 codings.
    """
    where, params = [], []
    if not filters.needs_review:
        where.append("c.status = 'ok'")
    if filters.codes is not None:
        codes = expand_codes(project, filters.codes)
        where.append(f"c.code_id IN ({','.join('?' * len(codes))})")
        params += codes
    meta = transcript_meta(project)
    keep = np.ones(len(meta), dtype=bool)
    for column, values, name in (
        ("t.school", filters.schools, "schools"),
        ("c.coder", filters.coders, "coders"),
        ("t.interview", filters.interviews, "interviews"),
    ):
        if values is None:
            continue
        _check_known(project, column, values, name)
        if column.startswith("t."):
            keep &= meta[column[2:]].isin(values).to_numpy()
        else:
            where.append(f"{column} IN ({','.join('?' * len(values))})")
            params += list(values)
    if not keep.all():
        ids = meta["id"].to_numpy()[keep].tolist()
        where.append(f"c.transcript_id IN ({','.join(map(str, ids))})")
    extra = ["guid", "source", "status", "created"] if full else []
    sql = "SELECT " + ", ".join(
        f"c.{c}"
        for c in ["id", "transcript_id", "code_id", "coder", "memo", "start", "end", *extra]
    )
    sql += " FROM codings c"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = _plain_rows(project, sql, tuple(params))
    columns = BASE_COLUMNS if full else LEAN_COLUMNS
    if not rows:
        return pd.DataFrame.from_records(rows, columns=[*columns, "_t"])
    values = dict(
        zip(
            ["id", "tid", "code", "coder", "memo", "start", "end", *extra],
            zip(*rows, strict=True),
            strict=True,
        )
    )
    # Transcript number of each coding: ids → position in interview order.
    ids = meta["id"].to_numpy()
    by_id = np.argsort(ids)
    tid = np.array(values.pop("tid"), dtype=np.int64)
    t = by_id[np.searchsorted(ids[by_id], tid)]
    numbers = {key: np.array(values[key], dtype=np.int64) for key in ("id", "start", "end")}
    code = np.array(values["code"], dtype=object)
    code_no, code_values = pd.factorize(code)
    code_rank = np.empty(len(code_values), dtype=np.int64)
    code_rank[np.argsort(np.array(code_values, dtype=str), kind="stable")] = np.arange(
        len(code_values)
    )
    # ORDER BY interview, start, end, code; ties in the order SQLite gave them (by id).
    order = np.lexsort((numbers["id"], code_rank[code_no], numbers["end"], numbers["start"], t))
    t = t[order]
    data: dict[str, np.ndarray] = {}
    for key in columns:
        if key in ("interview", "school", "kind", "date"):
            data[key] = meta[key].to_numpy(dtype=object)[t]
        elif key in numbers:
            data[key] = numbers[key][order]
        elif key == "code":
            data[key] = code[order]
        else:
            data[key] = np.array(values[key], dtype=object)[order]
    data["_t"] = t
    return pd.DataFrame(data)


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
        self._classes: dict[str, np.ndarray] = {}
        self._paragraphs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._loaded: dict[str, Transcript] | None = None

    def get(self, interview: str) -> tuple[Transcript, CitationIndex]:
        if interview not in self._cache:
            transcript = self.transcript(interview)
            self._cache[interview] = (transcript, CitationIndex(transcript, self.template))
        return self._cache[interview]

    def transcript(self, interview: str) -> Transcript:
        if self._loaded is None:
            # The first transcript asked for loads them all, in four queries: an export nearly
            # always needs every transcript, and one query per table and transcript costs more
            # than loading the few it does not need.
            self._loaded = load_transcripts(self.project.store)
        if interview not in self._loaded:
            self._loaded[interview] = self.project.transcript(interview)
        return self._loaded[interview]

    def paragraphs(self, interview: str) -> tuple[np.ndarray, np.ndarray]:
        """Start and end offsets of the transcript's paragraphs, in text order."""
        if interview not in self._paragraphs:
            paras = [p for turn in self.transcript(interview).turns for p in turn.paragraphs]
            self._paragraphs[interview] = (
                np.array([p.start for p in paras], dtype=np.int64),
                np.array([p.end for p in paras], dtype=np.int64),
            )
        return self._paragraphs[interview]

    def classes(self, interview: str) -> np.ndarray:
        """`char_classes` of the transcript's text, shared by cutting and counting words."""
        if interview not in self._classes:
            from lfa_qual.analysis.quote_text import char_classes

            self._classes[interview] = char_classes(self.transcript(interview).text)
        return self._classes[interview]

    def words(self, interview: str) -> WordIndex:
        """Words of the transcript's speech (its paragraphs) in any span."""
        if interview not in self._words:
            text = self.transcript(interview).text
            spans = self.paragraphs(interview)
            self._words[interview] = WordIndex(text, self.classes(interview), spans)
        return self._words[interview]


def interview_rows(interviews: pd.Series) -> dict[str, np.ndarray]:
    """The row numbers of each interview, in order of first appearance: what
    `groupby("interview", sort=False).indices` gives, found from the runs of equal values
    (frames here are sorted by interview), which is several times faster than hashing 100,000
    strings each time."""
    values = interviews.to_numpy(dtype=object)
    if not len(values):
        return {}
    bounds = np.flatnonzero(values[1:] != values[:-1]) + 1
    starts = np.r_[0, bounds]
    stops = np.r_[bounds, len(values)]
    runs: dict[str, list[np.ndarray]] = {}
    for a, b in zip(starts.tolist(), stops.tolist(), strict=True):
        runs.setdefault(values[a], []).append(np.arange(a, b, dtype=np.intp))
    return {k: v[0] if len(v) == 1 else np.concatenate(v) for k, v in runs.items()}


def attach_locations(frame: pd.DataFrame, locator: Locator) -> None:
    """Add role, grade, speaker, turn, page, locator and citation for each row's start offset."""
    n = len(frame)
    out = {key: np.empty(n, dtype=object) for key in ("role", "grade", "speaker", "citation")}
    out.update({key: np.full(n, -1, dtype=np.int64) for key in ("turn", "page", "locator")})
    if n:
        starts = frame["start"].to_numpy()
        for interview, rows in interview_rows(frame["interview"]).items():
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

    numbers, uniques = pd.factorize(dates)
    months = np.array(
        [f"{DANISH_MONTHS[int(d[5:7]) - 1]} {d[:4]}" for d in uniques] + [np.nan], dtype=object
    )
    # Taken by number rather than with Series.map (a dict lookup per row); -1 (a missing date)
    # takes the NaN at the end, as map gives.
    return pd.Series(months[numbers], index=dates.index, name=dates.name)


def codings_base(
    project: Project,
    filters: Filters | None = None,
    locator: Locator | None = None,
    locate: bool = True,
    full: bool = True,
) -> pd.DataFrame:
    """The filtered codings with transcript metadata, and (`locate`) speaker and citation;
    without `full`, only the columns an export or a table needs (see `_read_codings`)."""
    filters = filters or Filters()
    frame = _read_codings(project, filters, full)
    if locate or filters.roles is not None:
        attach_locations(frame, locator or Locator(project))
    if filters.roles is not None:
        # A role group (`Elev`) stands for its roles (Elev 1–5); see `lfa_qual.role_groups`.
        roles = project.expand_roles(filters.roles)
        frame = frame[frame["role"].isin(roles)].reset_index(drop=True)
    return frame


def count_words(frame: pd.DataFrame, locator: Locator) -> np.ndarray:
    """Words of speech in each row's [start, end) span of its interview: the words of the
    paragraphs it covers, as the transcript's own word count has them (no speaker labels,
    timestamps or page markers), so coverage never exceeds 100 %."""
    out = np.zeros(len(frame), dtype=np.int64)
    starts, ends = frame["start"].to_numpy(), frame["end"].to_numpy()
    for interview, rows in interview_rows(frame["interview"]).items():
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
    if len(frame):
        # Looked up for the distinct codes only, then taken per coding.
        number, distinct = pd.factorize(frame["code"])
        distinct = pd.Series(distinct)
        frame["code_label"] = distinct.map(codes["label"]).to_numpy()[number]
        parent = distinct.map(codes["parent"]).to_numpy()[number]
        frame["parent"] = pd.Series(parent, index=frame.index).fillna("")
    else:
        frame["code_label"] = frame["code"].map(codes["label"])
        frame["parent"] = frame["code"].map(codes["parent"]).fillna("")
    frame["month"] = month_names(frame["date"]) if len(frame) else pd.Series(dtype=object)
    texts = np.empty(len(frame), dtype=object)
    starts, ends = frame["start"].to_numpy(), frame["end"].to_numpy()
    for interview, rows in interview_rows(frame["interview"]).items():
        text = locator.transcript(interview).text
        texts[rows] = [
            text[a:b] for a, b in zip(starts[rows].tolist(), ends[rows].tolist(), strict=True)
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


def speaker_words(project: Project, locator: Locator | None = None) -> pd.DataFrame:
    """Words spoken per interview and role (interviewers too), with the interview's school and
    kind: the denominators of coverage and of interview shares. The words of every paragraph
    are counted at once with the transcript's `WordIndex` (as `str.split` counts them)."""
    meta = transcripts_frame(project)
    locator = locator or Locator(project)
    interviews, roles, counts = [], [], []
    for interview in meta.index:
        t = locator.transcript(interview)
        # Each turn's words: the sum over its paragraphs (0 for a turn without any).
        turn_of = [i for i, turn in enumerate(t.turns) for _ in turn.paragraphs]
        p_starts = np.array([p.start for turn in t.turns for p in turn.paragraphs], np.int64)
        p_ends = np.array([p.end for turn in t.turns for p in turn.paragraphs], np.int64)
        words = np.bincount(
            np.array(turn_of, dtype=np.int64),
            weights=locator.words(interview).count(p_starts, p_ends),
            minlength=len(t.turns),
        ).astype(np.int64)
        interviews += [interview] * len(t.turns)
        roles += [t.speakers[turn.label].role for turn in t.turns]
        counts.append(words)
    if not interviews:
        frame = pd.DataFrame.from_records([], columns=["interview", "role", "words"])
    else:
        frame = pd.DataFrame(
            {
                "interview": np.array(interviews, dtype=object),
                "role": np.array(roles, dtype=object),
                "words": np.concatenate(counts),
            }
        )
    frame = frame.groupby(["interview", "role"], as_index=False)["words"].sum()
    frame["school"] = frame["interview"].map(meta["school"])
    frame["kind"] = frame["interview"].map(meta["kind"])
    return frame


def coding_count(project: Project, filters: Filters | None = None) -> tuple[int, int]:
    """The number of codings `filters` selects, and of coders who made them."""
    frame = _read_codings(project, filters or Filters(), full=False)
    return len(frame), int(frame["coder"].nunique())


def needs_review_count(project: Project) -> int:
    """The number of codings that need review after transcript edits."""
    row = project.store.read_one("SELECT count(*) AS n FROM codings WHERE status = 'needs_review'")
    return int(row["n"])
