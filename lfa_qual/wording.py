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


# Danish names of what a frequency table counts and of its dimensions, for exports and figures
# (ids such as "words" and "school" stay the names on the command line and in CSV/JSON).
COUNT_LABELS = {
    "codings": "Kodninger",
    "passages": "Kodede passager",
    "interviews": "Interview med temaet",
    "words": "Kodede ord",
}
PERCENT_LABELS = {
    "codings": "Kodninger i % af kolonnens kodninger",
    "passages": "Kodede passager i % af kolonnens passager",
    "interviews": "Interview med temaet i % af kolonnens interview",
    "words": "Dækning (kodede ord i % af interviewenes ord)",
}
DIMENSION_LABELS = {
    "code": "Tema",
    "school": "Skole",
    "role": "Rolle",
    "interview": "Interview",
    "kind": "Type",
    "role_group": "Rollegruppe",
}


def count_title(count: str, percent: bool) -> str:
    """The Danish heading of a frequency table of `count` (in percent or not)."""
    return (PERCENT_LABELS if percent else COUNT_LABELS).get(count, count)


def danish_axes(table):
    """`table` (a pandas frame) with its row and column dimension named in Danish."""
    return table.rename_axis(
        index=DIMENSION_LABELS.get(table.index.name, table.index.name),
        columns=DIMENSION_LABELS.get(table.columns.name, table.columns.name),
    )
