"""Codebooks: a YAML tree of codes, validated with a line number for every problem."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from lfa_qual.errors import CodebookError, LfaError
from lfa_qual.textfile import read_text_file
from lfa_qual.wording import count
from lfa_qual.yamlutil import LinedYaml, YamlProblem, load_yaml

ID_RE = re.compile(r"^[a-z0-9_]+$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
TOP_KEYS = {"name", "version", "description", "codes"}
CODE_KEYS = {
    "id",
    "label",
    "description",
    "include",
    "exclude",
    "keywords",
    "exclude_keywords",
    "roles",
    "examples",
    "color",
    "children",
    "renamed_from",
}
LIST_KEYS = ("keywords", "exclude_keywords", "roles")
TEXT_KEYS = ("description", "include", "exclude")
# Used for codes without their own colour; readable on dark and light terminals.
PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#1f9e89",
    "#d95f02",
    "#7570b3",
    "#e7298a",
]


@dataclass(frozen=True)
class Code:
    id: str
    label: str
    description: str = ""
    include: str = ""
    exclude: str = ""
    keywords: tuple[str, ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    # Anchor examples (Mayring's "ankereksempler"): typical statements for the code. They show
    # a researcher what the code means and are the learned model's first examples of it.
    examples: tuple[str, ...] = ()
    color: str = "#888888"
    parent: str | None = None
    renamed_from: tuple[str, ...] = ()
    depth: int = 0
    position: int = 0  # pre-order position in the tree: the codebook order


@dataclass
class Codebook:
    name: str
    version: str
    codes: list[Code]
    path: str = ""
    by_id: dict[str, Code] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.codes}

    def __contains__(self, code_id: str) -> bool:
        return code_id in self.by_id

    def get(self, code_id: str) -> Code:
        try:
            return self.by_id[code_id]
        except KeyError:
            raise LfaError(f"unknown code {code_id!r}", path=self.path or None) from None

    def children(self, code_id: str | None) -> list[Code]:
        return [c for c in self.codes if c.parent == code_id]

    def descendants(self, code_id: str) -> list[Code]:
        out: list[Code] = []
        for child in self.children(code_id):
            out += [child, *self.descendants(child.id)]
        return out

    def top(self, code_id: str) -> Code:
        code = self.get(code_id)
        while code.parent:
            code = self.get(code.parent)
        return code


def load_codebook(path: Path | str) -> Codebook:
    path = Path(path)
    text, _ = read_text_file(path)
    return parse_codebook_cached(text, str(path))


def parse_codebook_cached(text: str, source: str = "<codebook>") -> Codebook:
    """`parse_codebook`, taken from the user's cache when the same text was parsed before:
    reading the YAML with its line numbers costs a sixth of a second for the example codebook,
    on every command that needs the codebook. Only a valid codebook is kept; the key hashes
    the text, PyYAML's version and this parser's source (`usercache`)."""
    from lfa_qual import usercache, yamlutil

    key = usercache.make_key(
        text, usercache.package_version("PyYAML"), modules=(__file__, yamlutil.__file__)
    )
    found = usercache.read_entry("codebook", key)
    if isinstance(found, dict):
        try:
            codes = [Code(**{k: _untuple(v) for k, v in c.items()}) for c in found["codes"]]
            return Codebook(name=found["name"], version=found["version"], codes=codes, path=source)
        except (KeyError, TypeError, ValueError):
            pass  # an entry of another shape: parse again and replace it
    codebook = parse_codebook(text, source)
    entry = {
        "name": codebook.name,
        "version": codebook.version,
        "codes": [dataclasses.asdict(c) for c in codebook.codes],
    }
    usercache.write_entry("codebook", key, entry)
    return codebook


def _untuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value  # JSON gives lists for tuples


def parse_codebook(text: str, source: str = "<codebook>") -> Codebook:
    try:
        doc = load_yaml(text)
    except YamlProblem as exc:
        raise CodebookError(exc.message, path=source, line=exc.line) from None
    problems: list[LfaError] = []

    def problem(message: str, *key: object) -> None:
        problems.append(LfaError(message, path=source, line=doc.line(*key)))

    data = doc.data
    if not isinstance(data, dict):
        raise CodebookError(
            "a codebook must be a mapping with 'name', 'version' and 'codes'", path=source, line=1
        )
    for key in data:
        if key not in TOP_KEYS:
            problem(f"unknown key {key!r} (expected {', '.join(sorted(TOP_KEYS))})", key)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problem("missing 'name'", "name")
        name = ""
    version = data.get("version", "")
    codes_raw = data.get("codes")
    codes: list[Code] = []
    if not isinstance(codes_raw, list) or not codes_raw:
        problem("'codes' must be a non-empty list of codes", "codes")
    else:
        _walk(codes_raw, ("codes",), None, 0, doc, codes, problem)
    seen: dict[str, tuple] = {}
    for code, key in codes:
        if code.id in seen:
            problem(
                f"duplicate code id {code.id!r} (first at line {doc.line(*seen[code.id])})", *key
            )
        else:
            seen[code.id] = key
    for code, key in codes:
        for old in code.renamed_from:
            if old in seen:
                problem(
                    f"renamed_from {old!r}: that id is still in the codebook", *key, "renamed_from"
                )
    if problems:
        n = len(problems)
        raise CodebookError(
            f"{n} problem{'s' if n > 1 else ''} in the codebook", problems, path=source
        )
    final = [c for c, _ in codes]
    return Codebook(name=str(name).strip(), version=str(version), codes=final, path=source)


def _walk(items, path, parent, depth, doc: LinedYaml, out: list, problem) -> None:
    for i, raw in enumerate(items):
        key = (*path, i)
        if not isinstance(raw, dict):
            problem("each code must be a mapping with at least 'id' and 'label'", *key)
            continue
        for k in raw:
            if k == "parent":
                # Flat codebooks from other tools name the parent; here the tree is the nesting.
                problem(
                    f"'parent: {raw[k]}' is not used: put the code in the 'children' list of "
                    "its parent code (a parent that is not in the codebook must be added first)",
                    *key,
                    k,
                )
            elif k not in CODE_KEYS:
                problem(
                    f"unknown key {k!r} in a code (expected {', '.join(sorted(CODE_KEYS))})",
                    *key,
                    k,
                )
        cid = raw.get("id")
        if not isinstance(cid, str) or not ID_RE.match(cid):
            problem(f"bad id {cid!r}: use lower-case ASCII letters, digits and '_'", *key, "id")
            cid = None
        label = raw.get("label")
        if not isinstance(label, str) or not label.strip():
            problem(f"empty label for code {cid or '?'}", *key, "label")
        color = raw.get("color")
        if color is not None and (not isinstance(color, str) or not COLOR_RE.match(color)):
            problem(f'bad colour {color!r}: write it as "#rrggbb"', *key, "color")
            color = None
        lists = {}
        for lk in LIST_KEYS:
            value = raw.get(lk, [])
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                problem(f"'{lk}' must be a list of non-empty strings", *key, lk)
                value = []
            lists[lk] = tuple(v.strip() for v in value)
        examples = _examples(raw.get("examples", []), key, problem)
        texts = {}
        for tk in TEXT_KEYS:
            value = raw.get(tk, "")
            if not isinstance(value, str):
                problem(f"'{tk}' must be text", *key, tk)
                value = ""
            texts[tk] = value.strip()
        renamed = raw.get("renamed_from", [])
        if isinstance(renamed, str):
            renamed = [renamed]
        if not isinstance(renamed, list) or not all(
            isinstance(r, str) and ID_RE.match(r) for r in renamed
        ):
            problem("'renamed_from' must be a code id or a list of code ids", *key, "renamed_from")
            renamed = []
        if cid is not None:
            position = len(out)
            code = Code(
                id=cid,
                label=str(label or "").strip(),
                color=color or PALETTE[position % len(PALETTE)],
                parent=parent,
                renamed_from=tuple(renamed),
                depth=depth,
                position=position,
                keywords=lists["keywords"],
                exclude_keywords=lists["exclude_keywords"],
                roles=lists["roles"],
                examples=examples,
                **texts,
            )
            out.append((code, key))
        children = raw.get("children")
        if children is not None:
            if not isinstance(children, list):
                problem("'children' must be a list of codes", *key, "children")
            else:
                _walk(children, (*key, "children"), cid, depth + 1, doc, out, problem)


def _examples(value, key: tuple, problem) -> tuple[str, ...]:
    """A code's anchor examples: a list of non-empty texts, each problem on its own line."""
    if not isinstance(value, list):
        problem("'examples' must be a list of example statements (texts)", *key, "examples")
        return ()
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            problem(f"'examples' item {i + 1} must be text, not {item!r}", *key, "examples", i)
        elif not item.strip():
            problem(f"'examples' item {i + 1} is empty", *key, "examples", i)
        else:
            out.append(" ".join(item.split()))
    return tuple(out)


def render_tree(codebook: Codebook, counts: dict[str, int] | None = None) -> str:
    """The codebook as an indented tree, with keyword and example counts (and coding counts if
    given)."""
    lines = [f"{codebook.name} (version {codebook.version})"]
    for code in codebook.codes:
        extra = count(len(code.keywords), "keyword", "keywords")
        if code.examples:
            extra += f", {count(len(code.examples), 'example', 'examples')}"
        if counts is not None:
            extra += f", {count(counts.get(code.id, 0), 'coding', 'codings')}"
        lines.append(f"{'  ' * (code.depth + 1)}{code.id}  {code.label}  [{extra}]")
    tops = sum(1 for c in codebook.codes if c.parent is None)
    kws = sum(len(c.keywords) for c in codebook.codes)
    examples = sum(len(c.examples) for c in codebook.codes)
    total = (
        f"{count(len(codebook.codes), 'code', 'codes')} ({tops} top-level), "
        f"{count(kws, 'keyword', 'keywords')}"
    )
    lines.append(total + (f", {count(examples, 'example', 'examples')}" if examples else ""))
    return "\n".join(lines)
