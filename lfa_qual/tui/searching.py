"""Exact and fuzzy search across transcripts (pure: no Textual, used by the search screen)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from lfa_qual.transcript import Transcript

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
    """Some text before, the hit, and some text after, on one line each."""
    before = " ".join(text[max(0, start - width) : start].split()[-8:])
    after = " ".join(text[end : end + width].split()[:8])
    return before, " ".join(text[start:end].split()), after
