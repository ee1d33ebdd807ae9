"""The school and role filters that the overview and retrieve screens share. The role filter
offers the role groups too (`Elev` for Elev 1–5, see `lfa_qual.role_groups`)."""

from __future__ import annotations

from textual.widgets import Select

from lfa_qual.project import TranscriptRow
from lfa_qual.role_groups import RoleGroups

ALL = "__all__"
GROUP = "group:"  # the value of a role group in the role Select: "group:Elev"

Options = list[tuple[str, str]]


def role_matches(value: str, role: str, groups: RoleGroups) -> bool:
    """Whether a role passes the role filter's value: all, the role, or the role's group."""
    if value in (ALL, role):
        return True
    return value.startswith(GROUP) and groups.group_of(role) == value[len(GROUP) :]


def group_options(roles: list[str], groups: RoleGroups) -> Options:
    """A role Select's group entries: the groups that stand for more than a role of that name."""
    return [
        (f"{group} (group: {', '.join(members)})", GROUP + group)
        for group, members in groups.groups(roles).items()
        if members and members != [group]
    ]


def school_role_options(
    rows: list[TranscriptRow], groups: RoleGroups | None = None
) -> tuple[Options, Options]:
    """The school and the role filter's options, each with "all" first; the roles are followed
    by the role groups."""
    schools = sorted({r.school for r in rows})
    roles = sorted({role for r in rows for role in r.roles if role})
    extra = group_options(roles, groups or RoleGroups())
    return (
        [("All schools", ALL)] + [(s, s) for s in schools],
        [("All roles", ALL)] + [(r, r) for r in roles] + extra,
    )


def school_role_selects(
    rows: list[TranscriptRow],
    groups: RoleGroups | None = None,
    school: str = ALL,
    role: str = ALL,
) -> tuple[Select, Select]:
    """A school and a role Select (ids "school" and "role") with `school_role_options`."""
    schools, roles = school_role_options(rows, groups)
    return (
        Select(schools, value=school, allow_blank=False, id="school"),
        Select(roles, value=role, allow_blank=False, id="role"),
    )


def option_label(options: Options, value: object) -> str:
    """The words a Select shows for `value`, for a one-line summary of the choices: without
    the code tree's indentation, "all" in lower case, a role group without its members."""
    label = next((prompt for prompt, v in options if v == value), str(value)).strip()
    if value == ALL:
        return label.lower()
    if isinstance(value, str) and value.startswith(GROUP):
        return f"{value[len(GROUP) :]} (group)"
    return label
