"""The project's name key: real names and spellings mapped to their pseudonyms.

A YAML mapping, kept outside the project folder by default (it holds the real names):

    Mette Hansen: Lærer A
    Mette: Lærer A
    Nordbyskolen: Skole 1

`lfa-qual pseudonymise` applies it to a raw transcript; a key entry found in an imported
transcript is reported as a certain leak.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lfa_qual.errors import LfaError
from lfa_qual.textfile import read_bytes
from lfa_qual.yamlutil import YamlProblem, load_yaml


class NameKeyError(LfaError):
    """A name key that cannot be read or is not a mapping of names to pseudonyms."""


@dataclass
class NameKey:
    path: Path | None
    entries: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def git_work_tree(path: Path) -> Path | None:
    """The git work tree that holds `path`, if any (a key there may be committed and pushed)."""
    for folder in [path.parent, *path.parent.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def load_key(path: Path) -> NameKey:
    path = Path(path)
    if not os.path.lexists(path):
        raise NameKeyError("the name key (pseudonym_key) does not exist", path=path)
    if path.is_dir():
        raise NameKeyError("cannot read the name key: it is a folder", path=path)
    # Only a regular file, of a bounded size: a named pipe given as --key would block.
    raw = read_bytes(path, error=NameKeyError, what="name key")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise NameKeyError("the name key is not UTF-8 text", path=path, line=line) from None
    try:
        doc = load_yaml(text)
    except YamlProblem as exc:
        raise NameKeyError(f"the name key is {exc.message}", path=path, line=exc.line) from None
    data = doc.data or {}
    if not isinstance(data, dict):
        raise NameKeyError(
            "the name key must be a mapping 'real name: pseudonym', one a line", path=path, line=1
        )
    entries: dict[str, str] = {}
    for real, pseudonym in data.items():
        if not isinstance(real, str) or not isinstance(pseudonym, str) or not pseudonym.strip():
            raise NameKeyError(
                f"{real!r}: each entry maps a name (text) to a pseudonym (text)",
                path=path,
                line=doc.line(real),
            )
        if real.strip():
            entries[real.strip()] = pseudonym.strip()
    key = NameKey(path, entries)
    tree = git_work_tree(path.resolve())
    if tree is not None:
        key.warnings.append(
            f"the name key {path} lies inside the git work tree {tree}: real names may end up "
            "in a commit; keep the key outside the repository (pseudonym_key in lfa-qual.yaml)"
        )
    return key


def key_pattern(
    names: list[str], exact: set[str] | frozenset[str] = frozenset()
) -> re.Pattern | None:
    """Whole-word matches of the names (longest first), with a genitive s or apostrophe; in any
    case, except names whose lower-case form is in `exact` (ordinary words: the name "Bo" must
    not match the verb "bo"), which match only as written."""
    if not names:
        return None
    alts = "|".join(
        re.escape(n) if n.lower() in exact else f"(?i:{re.escape(n)})"
        for n in sorted(names, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?P<name>{alts})(?P<gen>s|')?(?!\w)")


def pseudonymise_text(
    text: str, replacements: dict[str, str], exact: set[str] | frozenset[str] = frozenset()
) -> tuple[str, int]:
    """`text` with every name of `replacements` replaced by its pseudonym (a genitive kept:
    "Mettes" → "Lærer As"); returns the new text and the number of replacements. Names that
    are ordinary words (`exact`) are replaced only where written as in the key."""
    pattern = key_pattern(list(replacements), exact)
    if pattern is None:
        return text, 0
    lower = {k.lower(): v for k, v in replacements.items()}

    def sub(m: re.Match) -> str:
        return lower[m.group("name").lower()] + (m.group("gen") or "")

    return pattern.subn(sub, text)
