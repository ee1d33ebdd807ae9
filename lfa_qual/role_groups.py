"""Role groups: the report speaks of "elever" and "forældre", not of Elev 1–5 one by one.

A role's group comes from `role_groups:` in `lfa-qual.yaml` (group → roles or shell-style
patterns such as `Elev *`), first matching group in file order; a role no group names is in the
group of its own name without a trailing number (Elev 4 → Elev, Forælder 2 → Forælder,
Skoleleder → Skoleleder). Wherever a role is asked for (`--roles`, the TUI's role filter), a group
may be given instead and stands for all of its roles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from lfa_qual.errors import LfaError

_NUMBER = re.compile(r"\s*\d+$")


def default_group(role: str) -> str:
    """The role without its trailing number: 'Elev 4' → 'Elev'; a bare number stays itself."""
    return _NUMBER.sub("", role) or role


def _matches(entry: str, role: str) -> bool:
    if entry == role:
        return True
    return any(ch in entry for ch in "*?[") and fnmatchcase(role, entry)


@dataclass(frozen=True)
class RoleGroups:
    """The configured groups (group → roles or patterns, in file order) and the default rule."""

    configured: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def group_of(self, role: str) -> str:
        for group, entries in self.configured.items():
            if any(_matches(e, role) for e in entries):
                return group
        return default_group(role)

    def groups(self, roles: Iterable[str]) -> dict[str, list[str]]:
        """Every group of these roles with its roles (configured groups first, then by name)."""
        out: dict[str, list[str]] = {g: [] for g in self.configured}
        for role in sorted(set(roles)):
            out.setdefault(self.group_of(role), []).append(role)
        return out

    def expand(self, values: Sequence[str], roles: Iterable[str], name: str = "roles") -> tuple:
        """The roles that `values` (roles or groups) stand for, among the project's `roles`.

        A value is a role, or a group standing for its roles. An unknown name, or a configured
        group that names none of the project's roles, is refused with a message that lists
        both, since either would silently select nothing."""
        known = sorted(set(roles))
        groups = self.groups(known)
        out: list[str] = []
        for value in values:
            chosen = [r for r in known if r == value] + groups.get(value, [])
            if not chosen and value in self.configured:
                entries = ", ".join(self.configured[value])
                raise LfaError(
                    f"the role group {value!r} (role_groups in lfa-qual.yaml: {entries}) names "
                    f"no role in this project; roles: {', '.join(known) or 'none'}",
                    field=name,
                )
            if not chosen:
                named = ", ".join(g for g, rs in groups.items() if rs)
                raise LfaError(
                    f"no role or role group {value!r} in this project; roles: "
                    f"{', '.join(known) or 'none'}; groups: {named or 'none'}",
                    field=name,
                )
            out += [r for r in chosen if r not in out]
        return tuple(out)


def parse_role_groups(value: object, line_of) -> dict[str, tuple[str, ...]]:
    """`role_groups:` from the configuration: a mapping of group → a role, or a list of roles
    and patterns. `line_of(*path)` gives the line of a key, for the message."""
    if not isinstance(value, dict):
        raise LfaError(
            "'role_groups' must map each group to its roles, e.g. 'Personale: [Skoleleder, "
            "PIT-medarbejder]'",
            line=line_of("role_groups"),
            field="role_groups",
        )
    out: dict[str, tuple[str, ...]] = {}
    for group, entries in value.items():
        where = {"line": line_of("role_groups", group), "field": f"role_groups.{group}"}
        if isinstance(entries, str | int):
            entries = [entries]
        if not isinstance(group, str) or not group.strip():
            raise LfaError("a role group needs a name", **where)
        if not isinstance(entries, list) or not entries:
            raise LfaError(f"the role group {group!r} needs a role or a list of roles", **where)
        if not all(isinstance(e, str | int) and str(e).strip() for e in entries):
            raise LfaError(f"the role group {group!r} lists something that is not a role", **where)
        out[group.strip()] = tuple(str(e).strip() for e in entries)
    return out
