"""Selecting quotes: codings filtered, cut at word boundaries, merged per theme, grouped, ordered.

A quote is one passage under one theme (code): when several codings of the same code overlap in
a transcript (two coders, or a passage coded twice), they are merged into one quote spanning
them all, so the report never prints the same words twice under one heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lfa_qual.analysis.frame import (
    Filters,
    Locator,
    attach_locations,
    code_table,
    codings_base,
    interview_rows,
    month_names,
)
from lfa_qual.analysis.quote_text import (
    ELISION,
    Piece,
    cut_to_words,
    elide_pieces,
    needs_cut,
    normal_spans,
    piece_words,
    quote_paragraphs,
    quote_pieces,
    render,
    word_count,
)
from lfa_qual.errors import LfaError

if TYPE_CHECKING:
    from lfa_qual.project import Project

ELISION_RE = re.compile(re.escape(ELISION))
BY_KEYS = ("theme", "school", "role", "interview", "kind")
QUOTE_COLUMNS = [
    "theme",
    "theme_label",
    "heading",
    "parent",
    "school",
    "interview",
    "kind",
    "date",
    "month",
    "role",
    "grade",
    "speaker",
    "turn",
    "page",
    "locator",
    "citation",
    "text",
    "words",
    "coders",
    "codings",
    "status",
    "memo",
    "start",
    "end",
]


def parse_by(by: str | Sequence[str]) -> list[str]:
    keys = [k.strip() for k in by.split(",")] if isinstance(by, str) else [k.strip() for k in by]
    keys = [k for k in keys if k]
    bad = [k for k in keys if k not in BY_KEYS]
    if bad:
        raise LfaError(f"cannot group by {bad[0]!r}; use {', '.join(BY_KEYS)}", field="by")
    if len(set(keys)) != len(keys):
        raise LfaError("each grouping key may appear only once", field="by")
    return keys


def natural_key(value: str) -> str:
    """A sort key that puts "Skole 2" before "Skole 10"."""
    return re.sub(r"\d+", lambda m: m.group().zfill(9), str(value).casefold())


def merge_overlaps(frame: pd.DataFrame) -> pd.Series:
    """A quote number per row: rows of one interview and code whose spans overlap share one.

    `frame` must be sorted by interview, code, start, end.
    """
    same_group = (frame["interview"] == frame["interview"].shift()) & (
        frame["code"] == frame["code"].shift()
    )
    reach = frame.groupby(["interview", "code"], sort=False)["end"].cummax()
    new = ~same_group | (frame["start"] >= reach.shift())
    return new.cumsum()


def join_per_quote(
    number: np.ndarray, values: pd.Series, n: int, sep: str, unique: bool = False
) -> np.ndarray:
    """The values of each quote (numbered 1..n), sorted and joined with `sep`; "" for none.

    Vectorised (numpy's reduceat concatenates the strings) because a per-group Python function
    costs seconds at 100,000 codings.
    """
    out = np.full(n, "", dtype=object)
    frame = pd.DataFrame({"q": number, "v": values.to_numpy()})
    if unique:
        frame = frame.drop_duplicates()
    if frame.empty:
        return out
    frame = frame.sort_values(["q", "v"], kind="stable")
    q = frame["q"].to_numpy()
    v = frame["v"].astype(str).to_numpy(dtype=object)
    first = np.r_[True, q[1:] != q[:-1]]
    pieces = np.where(first, v, sep + v)
    starts = np.flatnonzero(first)
    out[q[starts] - 1] = np.add.reduceat(pieces, starts)
    return out


def cut_spans(codings: pd.DataFrame, locator: Locator) -> tuple[np.ndarray, np.ndarray]:
    """Every coding's span widened to whole words and brackets (see `cut_to_words`)."""
    starts = codings["start"].to_numpy(dtype=np.int64).copy()
    ends = codings["end"].to_numpy(dtype=np.int64).copy()
    for interview, rows in interview_rows(codings["interview"]).items():
        text = locator.transcript(interview).text
        cut = needs_cut(text, starts[rows], ends[rows], locator.classes(interview))
        for row in rows[cut]:
            starts[row], ends[row] = cut_to_words(text, int(starts[row]), int(ends[row]))
    return starts, ends


def quote_texts(
    quotes: pd.DataFrame, locator: Locator, max_words: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Each quote's text (see `quote_pieces`, `render`, `elide_pieces`) and its number of words
    (speech only: a role heading of a quote with several speakers is not counted).

    Most quotes lie inside one paragraph: that is found for all of them at once, their text is
    the span with white space normalised and their words come from the word index; only the
    others go through `quote_pieces`.
    """
    texts = np.empty(len(quotes), dtype=object)
    words = np.full(len(quotes), -1, dtype=np.int64)
    pieces: dict[int, list[Piece]] = {}  # the paragraphs and speakers of quotes across them
    starts, ends = quotes["start"].to_numpy(), quotes["end"].to_numpy()
    for interview, rows in interview_rows(quotes["interview"]).items():
        transcript = locator.transcript(interview)
        p_starts, p_ends = locator.paragraphs(interview)
        s, e = starts[rows], ends[rows]
        if not len(p_starts):
            single = np.zeros(len(rows), dtype=bool)
        else:
            inside = np.searchsorted(p_starts, s, side="right") - 1
            single = (inside >= 0) & (e <= p_ends[np.maximum(inside, 0)])
        words[rows] = np.where(single, locator.words(interview).count(s, e), -1)
        text = transcript.text
        normal = single & normal_spans(locator.classes(interview), s, e)
        # "(…)" is not a word: the quotes holding one are counted again below.
        marks = np.zeros(len(text) + 1, dtype=np.int64)
        at = [m.start() for m in ELISION_RE.finditer(text)]
        if at:
            marks[np.array(at) + 1] = 1
            marks = np.cumsum(marks)
            elided = marks[np.maximum(e - len(ELISION) + 1, s)] - marks[s] > 0
            words[rows[single & elided]] = -1
        for row, a, b, one, plain in zip(
            rows.tolist(), s.tolist(), e.tolist(), single.tolist(), normal.tolist(), strict=True
        ):
            if plain:
                texts[row] = text[a:b]
            elif one:
                texts[row] = " ".join(text[a:b].split())
            else:
                pieces[row] = quote_pieces(transcript, a, b)
                if pieces[row]:
                    texts[row] = render(pieces[row])
                    words[row] = piece_words(pieces[row])
                else:
                    texts[row] = quote_paragraphs(transcript, a, b)
    for row in np.flatnonzero(words < 0).tolist():
        words[row] = word_count(texts[row])
    if max_words:
        for row in np.flatnonzero(words > max_words).tolist():
            short = elide_pieces(pieces.get(row) or texts[row], max_words)
            texts[row] = render(short)
            words[row] = piece_words(short)
    return texts, words


def rank(values: np.ndarray, key=None) -> np.ndarray:
    """Integer sort keys: equal values (or equal `key(value)`) share a rank, the order of the
    ranks is the order of the values, missing values rank last (as `sort_values` puts them).

    Sorting by ranks with numpy's stable lexsort is sorting by the values with pandas' stable
    sort, without pandas comparing or hashing 100,000 strings for each key.
    """
    numbers, uniques = pd.factorize(values)
    keys = [key(u) for u in uniques] if key else list(uniques)
    distinct = sorted(set(keys))
    position = {k: i for i, k in enumerate(distinct)}
    ranks = np.array([position[k] for k in keys] + [len(distinct)], dtype=np.int64)
    return ranks[numbers]  # -1 (missing) takes the last rank


def quotes_frame(
    project: Project,
    filters: Filters | None = None,
    by: Sequence[str] = ("theme", "school"),
    max_words: int | None = None,
) -> pd.DataFrame:
    """One row per quote: codings of one theme on overlapping text merged, cut at word boundaries."""
    return build_quotes(project, filters or Filters(), by, max_words)


def build_quotes(
    project: Project, filters: Filters, by: Sequence[str] | str, max_words: int | None
) -> pd.DataFrame:
    keys = parse_by(by)
    if max_words is not None and max_words < 1:
        raise LfaError("--max-words must be at least 1", field="max-words")
    locator = Locator(project)
    codings = codings_base(project, filters, locator, locate=False, full=False)
    if codings.empty:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    starts, ends = cut_spans(codings, locator)
    # Sorted by interview (its number `_t`), code, start, end; a stable sort of codings that
    # come ordered by interview, start, end, code, id.
    transcript = codings["_t"].to_numpy(dtype=np.int64)
    code_no, code_values = pd.factorize(codings["code"])
    code = rank(np.asarray(code_values, dtype=object))[code_no]
    order = np.lexsort((ends, starts, code, transcript))
    number = merge_spans(transcript[order], code[order], starts[order], ends[order])
    firsts = np.flatnonzero(np.r_[True, number[1:] != number[:-1]])
    take = order[firsts]  # a quote's first coding, the one with the lowest start
    meta = {k: codings[k].to_numpy(dtype=object) for k in ("interview", "code", "school")}
    meta.update({k: codings[k].to_numpy(dtype=object) for k in ("kind", "date")})
    quotes = pd.DataFrame({k: v[take] for k, v in meta.items()})
    quotes["start"] = starts[order][firsts]
    quotes["end"] = np.maximum.reduceat(ends[order], firsts)
    sorted_coders = pd.Series(codings["coder"].to_numpy(dtype=object)[order])
    quotes["coders"] = join_per_quote(number, sorted_coders, len(quotes), ", ", unique=True)
    quotes["codings"] = join_per_quote(
        number, pd.Series(codings["id"].to_numpy()[order]), len(quotes), ", "
    )
    # "needs_review" when any of a quote's codings needs review (only when they are included).
    doubtful = np.isin(codings["id"].to_numpy()[order], _needs_review_ids(project))
    flagged = np.maximum.reduceat(doubtful.astype(np.int8), firsts) > 0
    quotes["status"] = np.where(flagged, "needs_review", "ok").astype(object)
    memos = codings["memo"].to_numpy(dtype=object)[order]
    memo = memos != ""
    quotes["memo"] = join_per_quote(number[memo], pd.Series(memos[memo]), len(quotes), " | ")
    attach_locations(quotes, locator)
    quotes["month"] = month_names(quotes["date"])
    quotes["text"], quotes["words"] = quote_texts(quotes, locator, max_words)
    _add_theme(project, quotes)
    return _order(quotes, keys)[QUOTE_COLUMNS]


def _needs_review_ids(project: Project) -> np.ndarray:
    rows = project.store.read("SELECT id FROM codings WHERE status = 'needs_review'")
    return np.array([r[0] for r in rows], dtype=np.int64)


def merge_spans(
    transcript: np.ndarray, code: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """`merge_overlaps` on arrays sorted by transcript, code, start, end: a quote number
    (1, 2, …) per row, rows of one transcript and code whose spans overlap sharing one."""
    if not len(starts):
        return np.zeros(0, dtype=np.int64)
    same = np.r_[False, (transcript[1:] == transcript[:-1]) & (code[1:] == code[:-1])]
    group = np.cumsum(~same)
    # The running maximum of the ends within each group: groups are contiguous, so lifting
    # each group above all ends of the groups before it makes one running maximum do.
    lift = group * (int(ends.max()) + 1)
    reach = np.maximum.accumulate(ends + lift) - lift
    new = ~same
    new[1:] |= starts[1:] >= reach[:-1]
    return np.cumsum(new)


def _add_theme(project: Project, quotes: pd.DataFrame) -> None:
    codes = code_table(project)
    quotes["theme"] = quotes.pop("code")
    number, themes = pd.factorize(quotes["theme"])
    themes = pd.Series(themes)

    def per_theme(values: pd.Series | dict) -> np.ndarray:
        # Series.map on the distinct themes only, then taken per quote.
        return themes.map(values).to_numpy()[number]

    quotes["theme_label"] = per_theme(codes["label"])
    quotes["parent"] = pd.Series(per_theme(codes["parent"]), index=quotes.index).fillna("")
    headings = {}
    for cid in codes.index:
        label, parent = codes.at[cid, "label"], codes.at[cid, "parent"]
        parts = [label]
        while isinstance(parent, str) and parent in codes.index:
            parts.insert(0, codes.at[parent, "label"])
            parent = codes.at[parent, "parent"]
        headings[cid] = " › ".join(parts)
    quotes["heading"] = per_theme(headings)
    quotes["_position"] = per_theme(codes["position"])


def _order(quotes: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Group keys in the order given (theme in codebook order, the rest in natural order)."""
    sort_keys = []
    for key in dict.fromkeys([*keys, "theme", "interview"]):
        if key == "theme":
            sort_keys.append(rank(quotes["_position"].to_numpy()))
        else:
            sort_keys.append(rank(quotes[key].to_numpy(dtype=object), natural_key))
    sort_keys.append(quotes["start"].to_numpy())
    order = np.lexsort(sort_keys[::-1])
    return quotes.take(order).reset_index(drop=True)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 for the first grouping key
    text: str


@dataclass(frozen=True)
class Quote:
    text: str  # paragraphs separated by a blank line
    citation: str
    memo: str = ""  # the memos of the quote's codings, " | " between them


def outline(quotes: pd.DataFrame, keys: Sequence[str]) -> Iterator[Heading | Quote]:
    """Headings whenever a grouping key changes (and every key below it), then the quotes."""
    columns = ["heading" if k == "theme" else k for k in keys]
    previous: list[object] = [None] * len(columns)
    # Plain lists: iterating a Series goes through pandas for every value.
    lists = [quotes[c].to_numpy(dtype=object).tolist() for c in [*columns, "text", "citation"]]
    memos = quotes["memo"].tolist() if "memo" in quotes else [""] * len(quotes)
    for *values, memo in zip(*lists, memos, strict=True):
        labels = values[: len(columns)]
        changed = False
        for level, label in enumerate(labels):
            if changed or label != previous[level]:
                changed = True
                previous[level] = label
                yield Heading(level + 1, str(label))
        yield Quote(values[-2], values[-1], memo or "")
