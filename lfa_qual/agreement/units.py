"""What coders are compared on: the characters or paragraphs of speech and who coded each.

All transcripts' speech is laid end to end on one line of "speech coordinates": the
paragraphs of participants' turns (speaker labels, timestamps, page markers and, unless asked,
the interviewer's turns are not on it). A coding becomes an interval on that line, once per
code, so that one sort and a few cumulative sums give every character's coders for every code
at once (numpy; no Python loop per coding).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from lfa_qual.store import Store


@dataclass
class Material:
    """The compared codings and the speech they fall on.

    Paragraphs are ordered by transcript then offset; `offsets` (P + 1) is each paragraph's
    start on the speech line; `present[p, c]` says coder c coded the paragraph's transcript
    at all (otherwise the coder's values there are missing, not "not coded").
    """

    coders: list[str]
    codes: list[str]
    interviews: list[str]
    para_t: np.ndarray
    para_start: np.ndarray
    para_end: np.ndarray
    offsets: np.ndarray
    present: np.ndarray
    # One row per coding: transcript number, code number, coder number, text offsets, id.
    t: np.ndarray
    k: np.ndarray
    c: np.ndarray
    start: np.ndarray
    end: np.ndarray
    ids: np.ndarray

    @property
    def length(self) -> int:
        return int(self.offsets[-1])

    def speech(self, t: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Speech coordinate of text offset `x` in transcript number `t`: the speech
        characters before it. Offsets between paragraphs map to the next paragraph's start."""
        if not len(self.para_t):  # no speech at all (only the interviewer's turns)
            return np.zeros(len(x), dtype=np.int64)
        key = t.astype(np.int64) * self._stride + x
        i = np.searchsorted(self._para_key, key, side="right") - 1
        j = np.maximum(i, 0)
        inside = np.clip(x - self.para_start[j], 0, self.para_end[j] - self.para_start[j])
        same = self.para_t[j] == t
        # Before the first paragraph of its transcript, an offset maps to that transcript's start.
        first = np.searchsorted(self.para_t, t, side="left")
        start_of_t = self.offsets[np.minimum(first, len(self.para_t))]
        return np.where((i >= 0) & same, self.offsets[j] + inside, start_of_t)

    def __post_init__(self) -> None:
        self._stride = int(self.para_end.max(initial=0)) + 1
        if len(self.end):
            self._stride = max(self._stride, int(self.end.max()) + 1)
        self._para_key = self.para_t.astype(np.int64) * self._stride + self.para_start


def _rows(store: Store, sql: str, params: tuple = ()) -> list[tuple]:
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: several times faster at 100,000 rows
    try:
        return cursor.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        from lfa_qual.store import _explain

        raise _explain(exc, store.path) from None
    finally:
        cursor.close()


def _marks(n: int) -> str:
    return ",".join("?" * n)


def load_material(
    store: Store,
    coders: list[str],
    codes: list[str],
    interviews: list[str],
    *,
    interviewer: bool = False,
) -> Material:
    """The speech of `interviews` and the codings of `coders` with `codes` on them."""
    meta = _rows(
        store,
        f"SELECT id, interview FROM transcripts WHERE interview IN ({_marks(len(interviews))})"
        " ORDER BY interview",
        tuple(interviews),
    )
    tids = np.array([r[0] for r in meta], dtype=np.int64)
    names = [r[1] for r in meta]
    number = {tid: i for i, tid in enumerate(tids.tolist())}
    who = "" if interviewer else " AND coalesce(s.interviewer, 0) = 0"
    paras = _rows(
        store,
        "SELECT p.transcript_id, p.start, p.end FROM paragraphs p JOIN turns u"
        " ON u.transcript_id = p.transcript_id AND u.idx = p.turn_idx LEFT JOIN speakers s"
        " ON s.transcript_id = u.transcript_id AND s.label = u.label"
        f" WHERE p.transcript_id IN ({_marks(len(tids))}){who}",
        tuple(tids.tolist()),
    )
    pt = np.array([number[r[0]] for r in paras], dtype=np.int64)
    ps = np.array([r[1] for r in paras], dtype=np.int64)
    pe = np.array([r[2] for r in paras], dtype=np.int64)
    order = np.lexsort((ps, pt))
    pt, ps, pe = pt[order], ps[order], pe[order]
    offsets = np.concatenate([[0], np.cumsum(pe - ps)]).astype(np.int64)

    coder_no = {c: i for i, c in enumerate(coders)}
    code_no = {c: i for i, c in enumerate(codes)}
    rows = _rows(
        store,
        "SELECT id, transcript_id, code_id, coder, start, end FROM codings"
        f" WHERE coder IN ({_marks(len(coders))}) AND transcript_id IN ({_marks(len(tids))})",
        (*coders, *tids.tolist()),
    )
    present_tc = np.zeros((len(tids), len(coders)), dtype=bool)
    keep = []
    for r in rows:
        present_tc[number[r[1]], coder_no[r[3]]] = True
        if r[2] in code_no:
            keep.append(r)
    cols = list(zip(*keep, strict=True)) if keep else [()] * 6
    return Material(
        coders=list(coders),
        codes=list(codes),
        interviews=names,
        para_t=pt,
        para_start=ps,
        para_end=pe,
        offsets=offsets,
        present=present_tc[pt] if len(pt) else np.zeros((0, len(coders)), dtype=bool),
        t=np.array([number[x] for x in cols[1]], dtype=np.int64),
        k=np.array([code_no[x] for x in cols[2]], dtype=np.int64),
        c=np.array([coder_no[x] for x in cols[3]], dtype=np.int64),
        start=np.array(cols[4], dtype=np.int64),
        end=np.array(cols[5], dtype=np.int64),
        ids=np.array(cols[0], dtype=np.int64),
    )


@dataclass
class Segments:
    """Pieces of one code's speech inside one paragraph with the same coders: code number,
    paragraph number, length (characters, or 1 for a paragraph unit) and `x[s, c]` coded."""

    k: np.ndarray
    p: np.ndarray
    length: np.ndarray
    x: np.ndarray


def spans(m: Material) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each coding's interval on the speech line, and whether it covers any speech."""
    s = m.speech(m.t, m.start)
    e = m.speech(m.t, m.end)
    return s, e, e > s


def char_segments(m: Material) -> Segments:
    """Characters: where each coder's codings of a code cover the speech line. A coder's own
    overlapping spans of one code count once (coverage > 0, not the number of spans)."""
    s, e, ok = spans(m)
    n_coders, length, n_codes = len(m.coders), max(m.length, 1), len(m.codes)
    k, c = m.k[ok], m.c[ok]
    base = k * length
    # Paragraph starts are events too, so that no piece crosses a paragraph.
    para = (np.arange(n_codes)[:, None] * length + m.offsets[None, :-1]).ravel()
    pos = np.concatenate([base + s[ok], base + e[ok], para])
    who = np.concatenate([c, c, np.zeros(len(para), dtype=np.int64)])
    delta = np.concatenate([np.ones(len(k)), -np.ones(len(k)), np.zeros(len(para))])
    order = np.argsort(pos, kind="stable")
    pos, who, delta = pos[order], who[order], delta[order]
    cover = np.stack([np.cumsum(np.where(who == j, delta, 0)) > 0 for j in range(n_coders)], axis=1)
    seg_len = np.diff(pos)
    cover = cover[:-1]
    keep = (seg_len > 0) & cover.any(axis=1)
    first = pos[:-1][keep]
    return Segments(
        k=first // length,
        p=np.searchsorted(m.offsets, first % length, side="right") - 1,
        length=seg_len[keep].astype(float),
        x=cover[keep],
    )


def paragraph_segments(m: Material) -> Segments:
    """Paragraphs: a coder coded a paragraph with a code when any of the coder's codings of
    it overlaps the paragraph's speech."""
    s, e, ok = spans(m)
    lo = np.searchsorted(m.offsets, s[ok], side="right") - 1
    hi = np.searchsorted(m.offsets, e[ok], side="left")  # paragraphs starting before the end
    count = hi - lo
    total = int(count.sum())
    first = np.repeat(np.cumsum(count) - count, count)
    p = np.repeat(lo, count) + (np.arange(total) - first)
    k, c = np.repeat(m.k[ok], count), np.repeat(m.c[ok], count)
    n_p, n_c = max(len(m.para_t), 1), len(m.coders)
    key = np.unique((k * n_p + p) * n_c + c)
    kp, coder = np.divmod(key, n_c)
    cells, where = np.unique(kp, return_inverse=True)
    x = np.zeros((len(cells), n_c), dtype=bool)
    x[where, coder] = True
    kk, pp = np.divmod(cells, n_p)
    return Segments(k=kk, p=pp, length=np.ones(len(cells)), x=x)
