"""The Python API's project: the domain's `Project` with the analysis frames as methods.

`from lfa_qual import Project` gives this class, so an analyst can write
`Project("min-analyse").codings_frame()`. It lives above the analysis layer because the domain
project must not import analysis (which builds on it); the CLI and the TUI use the domain
project and the analysis functions directly.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lfa_qual.analysis import Filters, codings_frame, quotes_frame
from lfa_qual.project import Project as DomainProject


class Project(DomainProject):
    """A project folder with its store, codebook and transcripts, and its analysis frames."""

    def codings_frame(self, filters: Filters | None = None) -> pd.DataFrame:
        """One row per coding with metadata, text and citation: see `lfa_qual.analysis`."""
        return codings_frame(self, filters)

    def quotes_frame(
        self,
        filters: Filters | None = None,
        by: Sequence[str] = ("theme", "school"),
        max_words: int | None = None,
    ) -> pd.DataFrame:
        """One row per quote (overlapping codings of a theme merged): see `lfa_qual.analysis`."""
        return quotes_frame(self, filters, by, max_words)
