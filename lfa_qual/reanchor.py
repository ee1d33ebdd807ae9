"""Re-anchoring codings when a transcript's text changed after it was coded.

The old and the new text are aligned (difflib, first line by line, then word by word and
character by character inside the lines that changed), and every coding's span is carried over:

- `kept`: the passage is unchanged and still at the same offsets;
- `moved`: the passage is unchanged (the same words) but sits elsewhere, because text was
  inserted or deleted before it, or its paragraph moved;
- `review`: the passage was edited, deleted, occurs several times, or its speaker changed. The
  coding stays (nothing is dropped), on the best span found, with `status = 'needs_review'`, the
  originally coded text in `old_text` and the reason in `review_note`.

Open suggestions are carried over the same way; one whose passage did not survive unchanged is
deleted (the suggester proposes it again on the new text). Decided suggestions keep the best span.
"""

from __future__ import annotations

import bisect
import json
import re
import sqlite3
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from lfa_qual.errors import LfaError
from lfa_qual.store import Store
from lfa_qual.transcript import Transcript

# Above these sizes a changed region is not aligned at the finer level (difflib is quadratic in
# the worst case); codings in it are then found again by their words, or marked for review.
MAX_WORD_TOKENS = 60_000
MAX_CHARS = 4_000
FUZZY_MIN_SCORE = 75.0
# A mapped span at least this similar to the old passage is that passage, edited in place.
EDITED_MIN_SCORE = 60.0

KEPT, MOVED, REVIEW = "kept", "moved", "review"
# Lines keep the blank lines after them: thousands of identical "\n" tokens would make difflib
# slow (it compares every pair of equal tokens) and say nothing about where a passage is.
_LEVELS = (re.compile(r"[^\n]*\n+|[^\n]+"), re.compile(r"\S+\s*|\s+"))


@dataclass(frozen=True)
class Block:
    """`size` code points at `a` in the old text equal those at `b` in the new text."""

    a: int
    b: int
    size: int


def _tokens(text: str, lo: int, hi: int, level: int) -> list[tuple[str, int]]:
    return [(m.group(), m.start()) for m in _LEVELS[level].finditer(text, lo, hi)]


def _align(old: str, a0: int, a1: int, new: str, b0: int, b1: int, level: int, out: list) -> None:
    if a0 >= a1 or b0 >= b1:
        return
    # Common prefix and suffix first: the usual edit is small and this keeps difflib's input small.
    # They are cut back to whole tokens of this level, so that "lærerne.\n" -> "lærerne. Og os.\n"
    # does not pair the two full stops.
    seps = "\n" if level == 0 else (" \t\n\f" if level == 1 else "")
    n = 0
    limit = min(a1 - a0, b1 - b0)
    while n < limit and old[a0 + n] == new[b0 + n]:
        n += 1
    while seps and n and n < limit and old[a0 + n - 1] not in seps:
        n -= 1
    if n:
        out.append(Block(a0, b0, n))
        a0, b0 = a0 + n, b0 + n
    m = 0
    limit = min(a1 - a0, b1 - b0)
    while m < limit and old[a1 - 1 - m] == new[b1 - 1 - m]:
        m += 1

    def starts_token(text: str, lo: int, pos: int) -> bool:
        return not seps or pos == lo or text[pos - 1] in seps

    while m and not (starts_token(old, a0, a1 - m) and starts_token(new, b0, b1 - m)):
        m -= 1
    if m:
        out.append(Block(a1 - m, b1 - m, m))
        a1, b1 = a1 - m, b1 - m
    if a0 >= a1 or b0 >= b1:
        return
    if level >= len(_LEVELS):
        if max(a1 - a0, b1 - b0) > MAX_CHARS:
            return
        sm = SequenceMatcher(None, old[a0:a1], new[b0:b1], autojunk=False)
        out += [Block(a0 + i, b0 + j, k) for i, j, k in sm.get_matching_blocks() if k]
        return
    ta, tb = _tokens(old, a0, a1, level), _tokens(new, b0, b1, level)
    if level == 1 and max(len(ta), len(tb)) > MAX_WORD_TOKENS:
        return
    sm = SequenceMatcher(None, [t for t, _ in ta], [t for t, _ in tb], autojunk=False)

    def span(tokens: list[tuple[str, int]], i: int, j: int, hi: int) -> tuple[int, int]:
        def at(k: int) -> int:
            return tokens[k][1] if k < len(tokens) else hi

        return at(i), at(j)

    for op, i1, i2, j1, j2 in sm.get_opcodes():
        sa, ea = span(ta, i1, i2, a1)
        sb, eb = span(tb, j1, j2, b1)
        if op == "equal":
            out.append(Block(sa, sb, ea - sa))
        elif op == "replace":
            _align(old, sa, ea, new, sb, eb, level + 1, out)


class Alignment:
    """Maps offsets of the old text onto the new text."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        blocks: list[Block] = []
        _align(old, 0, len(old), new, 0, len(new), 0, blocks)
        self.blocks = sorted(blocks, key=lambda b: b.a)
        self._starts = [b.a for b in self.blocks]

    def _find(self, x: int) -> int:
        return bisect.bisect_right(self._starts, x) - 1

    def map_start(self, x: int) -> int:
        i = self._find(x)
        if i < 0:
            return 0
        blk = self.blocks[i]
        if x < blk.a + blk.size:
            return blk.b + x - blk.a
        return blk.b + blk.size  # in a changed region: from where the new text of it begins

    def map_end(self, x: int) -> int:
        i = self._find(x - 1)
        if i >= 0 and x - 1 < self.blocks[i].a + self.blocks[i].size:
            blk = self.blocks[i]
            return blk.b + x - blk.a
        # In a changed region: up to where the new text of it ends.
        return self.blocks[i + 1].b if i + 1 < len(self.blocks) else len(self.new)

    def matched(self) -> int:
        return sum(b.size for b in self.blocks)


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    outcome: str  # kept | moved | review
    reason: str = ""


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _words(text: str) -> list[str]:
    return text.split()


def _occurrences(text: str, passage: str) -> list[tuple[int, int]]:
    words = passage.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    # Overlapping ones too: "at at" occurs twice in "at at at", and the coded pair may be the
    # second (finditer would see only the first, and the span would be placed on other words).
    found: list[tuple[int, int]] = []
    m = pattern.search(text)
    while m is not None:
        found.append((m.start(), m.end()))
        m = pattern.search(text, m.start() + 1)
    return found


def _role(t: Transcript | None, offset: int) -> str | None:
    if t is None or not t.turns:
        return None
    speaker = t.speakers.get(t.turn_at(offset).label)
    if speaker is None:
        return None
    return f"{speaker.role}, {speaker.grade}" if speaker.grade else speaker.role


def _nearest_paragraph(t: Transcript, offset: int) -> tuple[int, int]:
    paras = [p for turn in t.turns for p in turn.paragraphs]
    if not paras:
        return 0, max(len(t.text), 1)
    after = [p for p in paras if p.end > offset]
    p = after[0] if after else paras[-1]
    return p.start, p.end


def anchor_span(
    alignment: Alignment,
    start: int,
    end: int,
    new: Transcript,
    old: Transcript | None = None,
) -> Anchor:
    """Where the passage `start..end` of the old text is in the new transcript."""
    text = new.text
    passage = alignment.old[start:end]
    s, e = alignment.map_start(start), alignment.map_end(end)
    s, e = _trim(text, s, e) if s < e else (s, s)
    anchor: Anchor
    if s < e and _words(text[s:e]) == _words(passage):
        anchor = Anchor(s, e, KEPT if (s, e) == (start, end) else MOVED)
    else:
        hits = _occurrences(text, passage)
        edited_here = s < e and fuzz.ratio(text[s:e], passage) >= EDITED_MIN_SCORE
        if len(hits) == 1 and edited_here and not (hits[0][0] < e and s < hits[0][1]):
            # The passage is still where it was, edited, and its old words occur elsewhere (a
            # repeated sentence): stay with the place that was coded, but ask.
            score = fuzz.ratio(text[s:e], passage)
            anchor = Anchor(
                s,
                e,
                REVIEW,
                f"the passage was edited ({score:.0f}% similar); its old words occur elsewhere",
            )
        elif len(hits) == 1:
            anchor = Anchor(*hits[0], MOVED)
        elif hits:
            hs, he = min(hits, key=lambda h: abs(h[0] - s))
            anchor = Anchor(
                hs,
                he,
                REVIEW,
                f"the passage occurs {len(hits)} times in the new text; placed at the nearest",
            )
        elif s < e:
            score = fuzz.ratio(text[s:e], passage)
            anchor = Anchor(s, e, REVIEW, f"the passage was edited ({score:.0f}% similar)")
        else:
            anchor = _relocate(passage, new, s)
    if anchor.outcome != REVIEW and old is not None:
        was, now_ = _role(old, start), _role(new, anchor.start)
        if was is not None and now_ is not None and was != now_:
            anchor = Anchor(
                anchor.start, anchor.end, REVIEW, f"the speaker changed from {was} to {now_}"
            )
    return anchor


def _relocate(passage: str, new: Transcript, near: int) -> Anchor:
    """A passage whose text is gone: the most similar passage, else the nearest paragraph."""
    if passage.strip():
        found = fuzz.partial_ratio_alignment(passage, new.text)
        if found is not None and found.score >= FUZZY_MIN_SCORE:
            s, e = _trim(new.text, found.dest_start, found.dest_end)
            if s < e:
                return Anchor(
                    s,
                    e,
                    REVIEW,
                    f"the passage was deleted or rewritten; placed at the most similar text "
                    f"({found.score:.0f}% similar)",
                )
    s, e = _nearest_paragraph(new, near)
    return Anchor(s, e, REVIEW, "the passage was deleted; placed at the nearest paragraph")


@dataclass(frozen=True)
class CodingMove:
    coding_id: int
    code: str
    old_start: int
    old_end: int
    start: int
    end: int
    outcome: str
    reason: str
    old_text: str


@dataclass
class ReanchorResult:
    interview: str
    codings: list[CodingMove] = field(default_factory=list)
    suggestions_moved: int = 0
    suggestions_dropped: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for m in self.codings if m.outcome == outcome)

    @property
    def kept(self) -> int:
        return self.count(KEPT)

    @property
    def moved(self) -> int:
        return self.count(MOVED)

    @property
    def review(self) -> int:
        return self.count(REVIEW)

    def summary(self) -> str:
        return (
            f"{self.interview}: text changed; {len(self.codings)} coding(s): {self.kept} kept, "
            f"{self.moved} moved, {self.review} need review"
        )


def reanchor_rows(
    conn: sqlite3.Connection, tid: int, interview: str, old: Transcript, new: Transcript
) -> ReanchorResult:
    """Move the codings and suggestions of transcript `tid` from `old` onto `new`.

    Runs inside the caller's transaction (the import that replaces the text), so that text and
    codings change together or not at all.
    """
    result = ReanchorResult(interview)
    codings = conn.execute(
        "SELECT id, start, end, code_id, status, old_text, review_note, coded_text FROM codings"
        " WHERE transcript_id = ? ORDER BY start, id",
        (tid,),
    ).fetchall()
    suggestions = conn.execute(
        "SELECT id, start, end, status, evidence FROM suggestions WHERE transcript_id = ?",
        (tid,),
    ).fetchall()
    if not codings and not suggestions:
        return result
    alignment = Alignment(old.text, new.text)
    for c in codings:
        a = anchor_span(alignment, c["start"], c["end"], new, old)
        passage = old.text[c["start"] : c["end"]]
        move = CodingMove(
            c["id"],
            c["code_id"],
            c["start"],
            c["end"],
            a.start,
            a.end,
            a.outcome,
            a.reason,
            passage,
        )
        result.codings.append(move)
        if a.outcome == REVIEW:
            # A coding still waiting for review keeps the text it was coded on; one that was
            # checked since keeps the text that was checked.
            pending = c["status"] == "needs_review" and c["old_text"]
            first_coded = c["old_text"] if pending else passage
            conn.execute(
                "UPDATE codings SET start=?, end=?, status='needs_review', old_text=?,"
                " review_note=?, coded_text=? WHERE id=?",
                (a.start, a.end, first_coded, a.reason, new.text[a.start : a.end], c["id"]),
            )
        elif (a.start, a.end) != (c["start"], c["end"]) or c["coded_text"] != (
            new.text[a.start : a.end]
        ):
            # coded_text follows the span, so that `verify` can tell a coding left on other
            # words (which only a bug or a hand-edited store can make) from one moved here.
            conn.execute(
                "UPDATE codings SET start=?, end=?, coded_text=? WHERE id=?",
                (a.start, a.end, new.text[a.start : a.end], c["id"]),
            )
    for sg in suggestions:
        a = anchor_span(alignment, sg["start"], sg["end"], new)
        if sg["status"] == "open" and a.outcome == REVIEW:
            conn.execute("DELETE FROM suggestions WHERE id = ?", (sg["id"],))
            result.suggestions_dropped += 1
        elif (a.start, a.end) != (sg["start"], sg["end"]):
            conn.execute(
                "UPDATE suggestions SET start=?, end=?, evidence=? WHERE id=?",
                (a.start, a.end, _move_evidence(sg["evidence"], alignment), sg["id"]),
            )
            result.suggestions_moved += 1
    return result


def _move_evidence(evidence: str, alignment: Alignment) -> str:
    """The suggestion's evidence (JSON list of matched words with offsets) on the new text."""
    try:
        items = json.loads(evidence)
        for item in items:
            if isinstance(item.get("start"), int) and isinstance(item.get("end"), int):
                start, end = item["start"], item["end"]
                if start < end:
                    item["start"] = alignment.map_start(start)
                    item["end"] = max(item["start"], alignment.map_end(end))
        return json.dumps(items, ensure_ascii=False)
    except (ValueError, TypeError, AttributeError):
        return evidence  # not the format this version writes: leave it as it was


@dataclass(frozen=True)
class ReviewItem:
    """A coding marked "needs review": where it is now, what was coded, and why."""

    coding_id: int
    interview: str
    code: str
    start: int
    end: int
    text: str
    old_text: str
    reason: str
    coder: str


def needs_review(store: Store, interview: str | None = None) -> list[ReviewItem]:
    sql = (
        "SELECT c.id, t.interview, c.code_id, c.start, c.end, c.coder, c.old_text, c.review_note,"
        " substr(t.text, c.start + 1, c.end - c.start) AS text"
        " FROM codings c JOIN transcripts t ON t.id = c.transcript_id"
        " WHERE c.status = 'needs_review'"
    )
    params: tuple = ()
    if interview:
        sql += " AND t.interview = ?"
        params = (interview,)
    sql += " ORDER BY t.school, t.interview, c.start, c.id"
    return [
        ReviewItem(
            r["id"],
            r["interview"],
            r["code_id"],
            r["start"],
            r["end"],
            r["text"],
            r["old_text"] or "",
            r["review_note"] or "",
            r["coder"],
        )
        for r in store.read(sql, params)
    ]


def mark_reviewed(store: Store, coding_ids: list[int]) -> int:
    """Mark codings as checked (status 'ok'); the old text is kept for the record."""
    with store.transaction() as conn:
        missing = [
            i
            for i in coding_ids
            if conn.execute("SELECT 1 FROM codings WHERE id = ?", (i,)).fetchone() is None
        ]
        if missing:
            raise LfaError(f"no coding with id {missing[0]}", field="coding")
        n = 0
        for i in coding_ids:
            n += conn.execute(
                "UPDATE codings SET status = 'ok', review_note = NULL"
                " WHERE id = ? AND status = 'needs_review'",
                (i,),
            ).rowcount
    return n
