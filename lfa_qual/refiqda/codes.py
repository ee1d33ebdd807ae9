"""Codes in REFI-QDA: one `Description` carries all of a code's texts, and comes back apart.

REFI-QDA gives a code a name, a colour and one description. lfa-qual's code has a label, a
description, include and exclude rules, anchor examples, keywords and roles; they are folded
into the description as labelled paragraphs (Danish, as the codebook is), ending with the
code's id, and unfolded on import, so that a codebook survives a round trip and a co-author in
another tool reads the rules beside the code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lfa_qual.codebook import Code

# Field → the label of its paragraph in the folded description, in the order written.
SECTIONS = {
    "include": "Inkluder:",
    "exclude": "Ekskluder:",
    "examples": "Ankereksempler:",
    "keywords": "Nøgleord:",
    "exclude_keywords": "Udelukkende nøgleord:",
    "roles": "Roller:",
    "id": "Kode-id:",
}
LIST_FIELDS = ("keywords", "exclude_keywords", "roles")


@dataclass
class RefiCode:
    guid: str
    name: str
    color: str | None = None
    description: str = ""
    codable: bool = True
    parent: str | None = None  # the parent's guid
    notes: list[str] = field(default_factory=list)  # guids of Notes (memos) on the code
    element: str = ""  # where it is in the file, for messages


def fold(code: Code) -> str:
    """The REFI `Description` of a code."""
    parts = [code.description.strip()] if code.description.strip() else []
    if code.include.strip():
        parts.append(f"{SECTIONS['include']} {code.include.strip()}")
    if code.exclude.strip():
        parts.append(f"{SECTIONS['exclude']} {code.exclude.strip()}")
    if code.examples:
        lines = [f"- {' '.join(e.split())}" for e in code.examples]
        parts.append("\n".join([SECTIONS["examples"], *lines]))
    for name in LIST_FIELDS:
        values = getattr(code, name)
        if values:
            parts.append(f"{SECTIONS[name]} {'; '.join(values)}")
    parts.append(f"{SECTIONS['id']} {code.id}")
    return "\n\n".join(parts)


def unfold(text: str) -> dict[str, object]:
    """The fields of a folded description (any tool's plain description gives `description`)."""
    text = text.replace("\r\n", "\n").strip()
    fields: dict[str, object] = {}
    current = "description"
    chunks: dict[str, list[str]] = {"description": []}
    for block in re.split(r"\n[ \t]*\n", text):
        for name, label in SECTIONS.items():
            if block.startswith(label):
                current = name
                chunks[current] = [block[len(label) :].strip()]
                break
        else:
            chunks.setdefault(current, []).append(block.strip())
    for name, blocks in chunks.items():
        value = "\n\n".join(b for b in blocks if b)
        if name == "examples":
            fields[name] = [
                line[2:].strip() for line in value.splitlines() if line.startswith("- ")
            ]
        elif name in LIST_FIELDS:
            fields[name] = [v.strip() for v in value.split(";") if v.strip()]
        elif value:
            fields[name] = value
    return fields


def slug(name: str) -> str:
    """A code id from a code's name: lower-case letters, digits and _ (æ ø å spelled out)."""
    text = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "kode"


def color6(value: str | None) -> str | None:
    """`#abc` → `#aabbcc`; None for anything that is not a colour."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return value
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:]).lower()
    return None
