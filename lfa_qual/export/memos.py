"""Memos as Markdown, Word, CSV or JSON: one section per memo, headed by its kind and place."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TextIO

from lfa_qual.csv_dialect import PLAIN, CsvDialect, start_csv
from lfa_qual.memos import KIND_LABELS, Memo

COLUMNS = ["kind", "target", "place", "code", "interview", "author", "updated", "text"]


def heading(memo: Memo) -> str:
    """'Kode: PIT – Pædagogisk indsatsteam', 'Kodning: PIT … (PIT-medarbejder, Skole 1, …)'."""
    return f"{KIND_LABELS[memo.kind]}: {memo.place}"


def signature(memo: Memo) -> str:
    return f"{memo.author}, {memo.updated[:10]}"


def write_md(memos: list[Memo], stream: TextIO, title: str = "Memoer") -> None:
    stream.write(f"# {title}\n")
    for memo in memos:
        stream.write(f"\n## {heading(memo)}\n\n{memo.text.strip()}\n\n*{signature(memo)}*\n")


def write_docx(memos: list[Memo], path: Path, title: str = "Memoer") -> None:
    from docx import Document

    document = Document()
    document.core_properties.language = "da-DK"
    document.add_heading(title, level=1)
    for memo in memos:
        document.add_heading(heading(memo), level=2)
        for paragraph in memo.text.strip().split("\n\n"):
            document.add_paragraph(paragraph)
        document.add_paragraph().add_run(signature(memo)).italic = True
    document.save(str(path))


def write_csv(memos: list[Memo], stream: TextIO, dialect: CsvDialect = PLAIN) -> None:
    start_csv(stream, dialect)
    writer = csv.writer(stream, delimiter=dialect.delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([getattr(m, c) for c in COLUMNS] for m in memos)


def write_json(memos: list[Memo], stream: TextIO) -> None:
    json.dump([m.record() for m in memos], stream, ensure_ascii=False, indent=2)
    stream.write("\n")
