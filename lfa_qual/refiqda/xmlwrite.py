"""Writing XML as text: an archive of 100,000 codings is 300,000 elements, which lxml builds
several times slower than strings are joined (see benchmarks/bench_qdpx.py). The caller writes
elements in schema order; this module escapes and indents."""

from __future__ import annotations

import re

# Characters XML 1.0 cannot hold at all (a form feed in a memo): dropped.
INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TEXT_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
ATTR_ESC = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def text(value: str) -> str:
    return INVALID_RE.sub("", value).translate(TEXT_ESC)


def attrs(pairs: dict[str, str | None]) -> str:
    return "".join(
        f' {k}="{INVALID_RE.sub("", v).translate(ATTR_ESC)}"'
        for k, v in pairs.items()
        if v is not None
    )


class Writer:
    def __init__(self) -> None:
        self.parts: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
        self.depth = 0

    def open(self, tag: str, **a: str | None) -> None:
        self.parts.append(f"{'  ' * self.depth}<{tag}{attrs(a)}>\n")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.parts.append(f"{'  ' * self.depth}</{tag}>\n")

    def empty(self, tag: str, **a: str | None) -> None:
        self.parts.append(f"{'  ' * self.depth}<{tag}{attrs(a)}/>\n")

    def leaf(self, tag: str, content: str, **a: str | None) -> None:
        self.parts.append(f"{'  ' * self.depth}<{tag}{attrs(a)}>{text(content)}</{tag}>\n")

    def raw(self, chunk: str) -> None:
        """Pre-escaped markup (the per-coding fast path)."""
        self.parts.append(chunk)

    def bytes(self) -> bytes:
        return "".join(self.parts).encode("utf-8")
