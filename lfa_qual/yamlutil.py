"""YAML loading that knows line numbers and refuses what could hang or exhaust memory.

Aliases are refused outright (a "billion laughs" document is made of them and codebooks and
front matter never need them), documents are capped in size and nesting depth.

Dates stay text: the loader has no implicit timestamp type, so `date: 2021-06-31` is the string
'2021-06-31' and the code that uses a date validates it and reports the field (a YAML timestamp
would be an internal ValueError before any field is known). A value that a YAML type still cannot
construct (`!!int abc`) is a YamlProblem with its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from lfa_qual.wording import number

MAX_YAML_CHARS = 2_000_000
MAX_DEPTH = 40

Path_ = tuple[Any, ...]


class YamlProblem(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem(
                "YAML aliases (*name) are not allowed here", event.start_mark.line + 1
            )
        depth = getattr(self, "_lfa_depth", 0) + 1
        if depth > MAX_DEPTH:
            raise YamlProblem(
                f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark.line + 1
            )
        self._lfa_depth = depth
        try:
            return super().compose_node(parent, index)
        finally:
            self._lfa_depth = depth - 1

    def construct_object(self, node, deep=False):  # type: ignore[override]
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            value = repr(node.value)[:60] if isinstance(node, yaml.ScalarNode) else "here"
            raise YamlProblem(
                f"cannot read the value {value} as {node.tag.rsplit(':', 1)[-1]}: {exc}",
                node.start_mark.line + 1,
            ) from None


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NoAliasLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# An explicit `!!timestamp` is text too, for the same reason.
_NoAliasLoader.add_constructor(_TIMESTAMP, yaml.SafeLoader.construct_yaml_str)


class _TextLoader(_NoAliasLoader):
    """Every plain scalar is text (or null when empty): `interview: yes` is 'yes', not True, and
    `interview: 007` is '007', not 7. For transcript headers, whose values are all names."""


_NULL = "tag:yaml.org,2002:null"
_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == _NULL]
    for first, resolvers in _NoAliasLoader.yaml_implicit_resolvers.items()
}


@dataclass
class LinedYaml:
    """Parsed data plus the 1-based line of every mapping key and list item, by path."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *path: Any) -> int:
        """Line of the deepest known prefix of `path` (so a missing key reports its parent)."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]] + self.first_line - 1
        return self.first_line


def load_yaml(text: str, *, first_line: int = 1, text_scalars: bool = False) -> LinedYaml:
    """Parse one YAML document; raises YamlProblem with a line relative to `first_line`.

    With `text_scalars`, plain scalars are never read as booleans or numbers (see _TextLoader).
    """
    if len(text) > MAX_YAML_CHARS:
        raise YamlProblem(f"YAML larger than {number(MAX_YAML_CHARS)} characters", None)
    try:
        loader = (_TextLoader if text_scalars else _NoAliasLoader)(text)  # checks every character
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + first_line
        raise YamlProblem(
            f"a control character (U+{exc.character:04X}) is not allowed in YAML", line
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return LinedYaml(None, {(): 1}, first_line)
        data = loader.construct_document(node)
    except YamlProblem as exc:
        if exc.line is not None:
            exc.line += first_line - 1
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        problem = str(exc.problem or exc)
        if "'\\t'" in problem:
            problem = "a tab character where YAML needs spaces (indent with spaces, not tabs)"
        raise YamlProblem(f"not valid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"not valid YAML: {exc}", None) from None
    except RecursionError:
        raise YamlProblem("YAML nested too deeply", None) from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    _collect_lines(node, (), lines)
    return LinedYaml(data, lines, first_line)


def _collect_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[path + (key,)] = key_node.start_mark.line + 1
            _collect_lines(value_node, path + (key,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line + 1
            _collect_lines(item, path + (i,), lines)
