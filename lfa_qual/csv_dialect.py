"""CSV dialects: what Danish Excel opens (`excel`) and what other programs read (`plain`).

Danish Excel reads a CSV file as the system's code page unless it starts with a UTF-8 byte
order mark, and splits columns on the list separator, which is `;` in da-DK because `,` is the
decimal sign. So a `.csv` file for people is UTF-8 with BOM, `;`-separated, with decimal commas;
one for R, pandas or csvkit is the plain RFC 4180 form (UTF-8, `,`, decimal point).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from lfa_qual.errors import LfaError

BOM = "\ufeff"


@dataclass(frozen=True)
class CsvDialect:
    name: str
    delimiter: str
    decimal: str
    bom: bool


EXCEL = CsvDialect("excel", ";", ",", True)
PLAIN = CsvDialect("plain", ",", ".", False)
DIALECTS = {d.name: d for d in (EXCEL, PLAIN)}


def csv_dialect(name: str | None, to_file: bool) -> CsvDialect:
    """The dialect asked for; without one, `excel` for a file (people open it) and `plain` on
    standard output (it is piped into programs, for which a BOM would corrupt the first name)."""
    if name is None:
        return EXCEL if to_file else PLAIN
    try:
        return DIALECTS[name]
    except KeyError:
        known = ", ".join(DIALECTS)
        raise LfaError(
            f"unknown CSV dialect {name!r} (known: {known})", field="csv-dialect"
        ) from None


def start_csv(stream: TextIO, dialect: CsvDialect) -> None:
    """Write the byte order mark the dialect asks for (a UTF-8 stream encodes it as EF BB BF)."""
    if dialect.bom:
        stream.write(BOM)


def csv_value(value: object, dialect: CsvDialect) -> object:
    """A number as the dialect writes it: 12.5 becomes '12,5' for Danish Excel."""
    if isinstance(value, float) and dialect.decimal != ".":
        return repr(value).replace(".", dialect.decimal)
    return value
