"""lfa-qual: keyboard-driven qualitative coding of Danish interview transcripts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lfa_qual.version import __version__

if TYPE_CHECKING:
    from lfa_qual.api import Project

__all__ = ["Project", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy so that `import lfa_qual` stays cheap for the CLI's --help.
    if name == "Project":
        from lfa_qual.api import Project

        return Project
    raise AttributeError(name)
