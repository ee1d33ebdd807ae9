"""The analysis layer: codings, quotes and tables as pandas DataFrames, built from the domain.

- `frame`: the codings frame with report metadata and citations (the base of every export);
- `quotes`: quotes (overlapping codings of a theme merged, cut at word boundaries) and their
  outline for grouped exports; `quote_text`: a coded span's quote text;
- `frequencies`: frequency tables and the co-occurrence matrix.

The writers in `lfa_qual.export` and the interfaces sit above this layer; the domain below it
never imports it.
"""

from __future__ import annotations

from lfa_qual.analysis.frame import (
    COUNTS,
    GROUP_KEYS,
    TOTAL,
    CitationIndex,
    Filters,
    Locator,
    WordIndex,
    code_labels,
    code_table,
    coding_count,
    codings_frame,
    expand_codes,
    interview_rows,
    month_names,
    needs_review_count,
    speaker_words,
    transcripts_frame,
    with_code_labels,
)
from lfa_qual.analysis.frequencies import cooccurrence, frequency_table
from lfa_qual.analysis.quotes import quotes_frame

__all__ = [
    "COUNTS",
    "GROUP_KEYS",
    "TOTAL",
    "CitationIndex",
    "Filters",
    "Locator",
    "WordIndex",
    "code_labels",
    "code_table",
    "coding_count",
    "codings_frame",
    "cooccurrence",
    "expand_codes",
    "frequency_table",
    "interview_rows",
    "month_names",
    "needs_review_count",
    "quotes_frame",
    "speaker_words",
    "transcripts_frame",
    "with_code_labels",
]
