"""The school and role filters that the overview and retrieve screens share."""

from __future__ import annotations

from textual.widgets import Select

from lfa_qual.project import TranscriptRow

ALL = "__all__"


def school_role_selects(rows: list[TranscriptRow]) -> tuple[Select, Select]:
    """A school and a role Select (ids "school" and "role"), each with "all" first."""
    schools = sorted({r.school for r in rows})
    roles = sorted({role for r in rows for role in r.roles if role})
    return (
        Select(
            [("All schools", ALL)] + [(s, s) for s in schools],
            value=ALL,
            allow_blank=False,
            id="school",
        ),
        Select(
            [("All roles", ALL)] + [(r, r) for r in roles],
            value=ALL,
            allow_blank=False,
            id="role",
        ),
    )
