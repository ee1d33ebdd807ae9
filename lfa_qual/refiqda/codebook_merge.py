"""REFI-QDA codes merged into the YAML codebook.

A code of the archive is the same as a codebook code when (in this order) its GUID is that
code's GUID in the store, its description ends with that code's `Kode-id:` (an lfa-qual
export), or its name equals the code's label (letter case aside). Other codes are new: their
id is the `Kode-id:` or a slug of the name, with `_2`, `_3`, … when that id is taken (reported).
New codes are added under their parent with ruamel.yaml, which keeps the file's comments and
layout; the result is validated as a codebook before anything is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted
from ruamel.yaml.scalarstring import LiteralScalarString

from lfa_qual.codebook import ID_RE, Codebook, parse_codebook
from lfa_qual.errors import CodebookError, LfaError
from lfa_qual.refiqda.codes import RefiCode, color6, slug, unfold

FIELDS = ("description", "include", "exclude", "examples", "keywords", "exclude_keywords", "roles")


@dataclass
class CodeMerge:
    ids: dict[str, str] = field(default_factory=dict)  # archive code guid → code id
    new: list[tuple[str, RefiCode]] = field(default_factory=list)  # (id, code), pre-order
    lines: list[str] = field(default_factory=list)  # the mapping, one line per code
    text: str = ""  # the merged codebook YAML
    codebook: Codebook | None = None

    @property
    def new_guids(self) -> dict[str, str]:
        return {code_id: code.guid for code_id, code in self.new}


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the file's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _entry(code_id: str, code: RefiCode) -> CommentedMap:
    entry = CommentedMap()
    entry["id"] = code_id
    # Quoted: the codebook loader reads YAML 1.1, where `2019`, `no` or `on` are not text.
    entry["label"] = Quoted(code.name)
    color = color6(code.color)
    if color:
        entry["color"] = Quoted(color)
    fields = unfold(code.description)
    for name in FIELDS:
        value = fields.get(name)
        if not value:
            continue
        if isinstance(value, list):
            entry[name] = CommentedSeq(Quoted(v) for v in value)
        else:
            entry[name] = LiteralScalarString(value) if "\n" in value else Quoted(value)
    return entry


def _find(items, code_id: str):
    for item in items or ():
        if isinstance(item, dict):
            if item.get("id") == code_id:
                return item
            found = _find(item.get("children"), code_id)
            if found is not None:
                return found
    return None


def merge_codes(
    codes: list[RefiCode],
    codebook: Codebook | None,
    yaml_text: str,
    store_guids: dict[str, str],
    *,
    name: str = "",
    path: str = "<codebook>",
) -> CodeMerge:
    """Map the archive's codes onto `codebook` (None: a new codebook, named `name`) and give
    the YAML with the new codes added."""
    merge = CodeMerge()
    by_guid = {guid: code_id for code_id, guid in store_guids.items()}
    known = codebook.by_id if codebook else {}
    labels: dict[str, list[str]] = {}
    for code in codebook.codes if codebook else ():
        labels.setdefault(code.label.strip().lower(), []).append(code.id)
    taken = set(known)
    for code in codes:
        marked = unfold(code.description).get("id")
        marked = marked if isinstance(marked, str) and ID_RE.match(marked) else None
        same_label = labels.get(code.name.lower(), [])
        if code.guid in by_guid and by_guid[code.guid] in known:
            code_id = by_guid[code.guid]
        elif marked and marked in known:
            code_id = marked
        elif len(same_label) == 1:
            code_id = same_label[0]
        else:
            base = marked or slug(code.name)
            code_id, n = base, 2
            while code_id in taken:
                code_id, n = f"{base}_{n}", n + 1
            taken.add(code_id)
            merge.new.append((code_id, code))
            note = f" (id {base!r} was taken)" if code_id != base else ""
            merge.ids[code.guid] = code_id
            merge.lines.append(f"{code.name} → {code_id} (new){note}")
            continue
        merge.ids[code.guid] = code_id
        merge.lines.append(f"{code.name} → {code_id}")
    merge.text = _render(merge, codes, codebook, yaml_text, name)
    try:
        merge.codebook = parse_codebook(merge.text, path)
    except CodebookError as exc:
        raise LfaError(f"the merged codebook is not valid: {exc}", path=path) from None
    return merge


def _render(merge: CodeMerge, codes, codebook, yaml_text: str, name: str) -> str:
    if not merge.new and codebook is not None:
        return yaml_text
    yaml = _yaml()
    if codebook is None:
        data = CommentedMap()
        data["name"] = Quoted(name or "Importeret kodebog")
        data["version"] = Quoted("1.0")
        data["codes"] = CommentedSeq()
    else:
        data = yaml.load(yaml_text)
    parents = {code.guid: code.parent for code in codes}
    entries: dict[str, CommentedMap] = {}
    for code_id, code in merge.new:
        entry = _entry(code_id, code)
        entries[code_id] = entry
        parent_guid = parents.get(code.guid)
        parent_id = merge.ids.get(parent_guid) if parent_guid else None
        if parent_id is None:
            data["codes"].append(entry)
            continue
        parent = entries.get(parent_id) or _find(data["codes"], parent_id)
        if parent.get("children") is None:
            parent["children"] = CommentedSeq()
        parent["children"].append(entry)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
