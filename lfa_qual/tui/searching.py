"""Exact and fuzzy search across transcripts (pure: no Textual, used by the search screen)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from lfa_qual.transcript import Transcript
from lfa_qual.tui.layout import sentences

FUZZY_CUTOFF = 80.0


@dataclass(frozen=True)
class Hit:
    interview: str
    start: int
    end: int
    score: float  # 100 for exact hits


def _expand_to_words(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while start > lo and text[start - 1].isalnum():
        start -= 1
    while end < hi and text[end].isalnum():
        end += 1
    return start, end


def search(
    transcripts: list[Transcript], query: str, *, fuzzy: bool = False, limit: int = 2000
) -> list[Hit]:
    """Hits in the paragraphs of the transcripts, in transcript order.

    Exact: case-insensitive, any run of white space matches any white space.
    Fuzzy: the best approximate match per paragraph (rapidfuzz partial ratio ≥ 80), widened to
    whole words — finds spelling variants such as "forældresamarbejdet" for "forældre samarbejde".
    """
    words = query.split()
    if not words:
        return []
    hits: list[Hit] = []
    if not fuzzy:
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    needle = " ".join(words).lower()
    for t in transcripts:
        for turn in t.turns:
            for p in turn.paragraphs:
                if fuzzy:
                    part = t.text[p.start : p.end]
                    found = fuzz.partial_ratio_alignment(
                        needle, part.lower(), score_cutoff=FUZZY_CUTOFF
                    )
                    if found is not None:
                        s, e = _expand_to_words(
                            t.text,
                            p.start + found.dest_start,
                            p.start + found.dest_end,
                            p.start,
                            p.end,
                        )
                        hits.append(Hit(t.interview, s, e, round(found.score, 1)))
                else:
                    for m in pattern.finditer(t.text, p.start, p.end):
                        hits.append(Hit(t.interview, m.start(), m.end(), 100.0))
                if len(hits) >= limit:
                    return hits
    return hits


def context(text: str, start: int, end: int, width: int = 40) -> tuple[str, str, str]:
    """Some text before, the hit, and some text after, on one line each. A space separates
    them only where the text has white space: "sparring" in "sparringstid" reads
    "sparring|stid", not "sparring stid"."""
    raw_before, raw_after = text[max(0, start - width) : start], text[end : end + width]
    before = " ".join(raw_before.split()[-8:])
    if before and raw_before[-1:].isspace():
        before += " "
    after = " ".join(raw_after.split()[:8])
    if after and raw_after[:1].isspace():
        after = " " + after
    return before, " ".join(text[start:end].split()), after


SCOPES = ("sentence", "word", "paragraph", "turn")  # the first is the default


def hit_span(t: Transcript, hit: Hit, scope: str) -> tuple[int, int]:
    """What "code all hits" codes for `hit`: its words, or the sentence, paragraph or turn
    around it (a sentence or paragraph the hit runs past is widened to the hit)."""
    if scope == "word":
        return hit.start, hit.end
    turn = t.turn_at(hit.start)
    if scope == "turn":
        return turn.start, max(turn.end, hit.end)
    para = t.paragraph_at(hit.start)
    if para is None:
        return hit.start, hit.end
    if scope == "paragraph":
        return para.start, max(para.end, hit.end)
    units = sentences(t.text, (para.start, para.end))
    first = next((u for u in units if u[1] > hit.start), units[-1])
    last = next((u for u in units if u[1] >= hit.end), units[-1])
    return min(first[0], hit.start), max(last[1], hit.end)


def in_interviewer_turn(t: Transcript, hit: Hit) -> bool:
    return t.speaker_at(hit.start).interviewer
