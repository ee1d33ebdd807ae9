"""How numbers and counts read on every surface (CLI, TUI, exports): one convention each.

Numbers use the Danish (da-DK) grouping, a full stop between thousands ("27.598"), in the
CLI and the TUI alike; a count picks the singular or plural word ("1 passage", "2 passages").
"""

from __future__ import annotations


def number(n: int | float, decimals: int = 0) -> str:
    """`n` with da-DK separators: 27598 -> "27.598", 0.5 with one decimal -> "0,5"."""
    text = f"{n:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def plural(n: int, one: str, many: str) -> str:
    """The word for `n` things: `plural(1, "passage", "passages")` -> "passage"."""
    return one if n == 1 else many


def count(n: int, one: str, many: str) -> str:
    """`n` and its word: `count(1, "passage", "passages")` -> "1 passage"."""
    return f"{number(n)} {plural(n, one, many)}"
