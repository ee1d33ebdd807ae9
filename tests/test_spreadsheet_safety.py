"""Exports a spreadsheet opens (issue 18, items 5 and 10): no cell runs as a formula, and no
text is cut silently at Excel's 32,767 characters per cell."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lfa_qual.cli import main
from lfa_qual.export.cells import needs_neutralising, safe_cell
from lfa_qual.export.to_xlsx import CELL_LIMIT
from lfa_qual.project import Project

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
SCHOOL = '=HYPERLINK("http://eksempel.invalid","klik")'


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project whose header values and coded passages start like formulas."""
    root = tmp_path / "projekt"
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    shutil.copy(DATA / "hostile" / "formula" / "formel.md", root / "transcripts")
    (root / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    with Project(root) as project:
        project.sync()
        project.code("formel", "mindset", quote="=1+2 er tre", memo="=1+1")
        project.code("formel", "pit", quote="+45 er landekoden, og PIT-teamet hjælper.")
        project.code("formel", "hold_vs_klasse", quote="-3 grader i dag, og vi er på hold.")
    return root


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def test_the_rule():
    for text in ("=SUM(A1)", "+45 er", "-3 grader", "@Elev", "\tx", "\rx"):
        assert needs_neutralising(text) and safe_cell(text) == "'" + text
    for value in ("-3", "-0.5", "+4", "-1,5", "1e-3", -3, -2.5, "Skole 1", "", None):
        assert not needs_neutralising(value) and safe_cell(value) == value


def test_csv_quotes_neutralise_text_headers_and_memos(root: Path, capsys):
    status, out, err = run(capsys, "export", "quotes", "--project", str(root), "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted(r["text"] for r in rows) == [
        "'+45 er landekoden, og PIT-teamet hjælper.",
        "'-3 grader i dag, og vi er på hold.",
        "'=1+2 er tre",
    ]
    assert {r["school"] for r in rows} == {"'" + SCHOOL}
    assert {r["role"] for r in rows} == {"'@Elev 1"}
    assert [r["memo"] for r in rows if r["memo"]] == ["'=1+1"]
    assert sorted(r["words"] for r in rows) == ["3", "6", "9"]  # numbers stay numbers


def test_csv_tables_neutralise_header_cells(root: Path, capsys):
    for what in ("frequencies", "cooccurrence"):
        status, out, err = run(capsys, "export", what, "--project", str(root), "--format", "csv")
        assert status == 0, err
        header = next(csv.reader(io.StringIO(out)))
        if what == "frequencies":
            assert header[1:] == ["'" + SCHOOL, "I alt"]
    args = ["export", "frequencies", "--project", str(root), "--rows", "role", "--format", "csv"]
    status, out, err = run(capsys, *args)
    assert [r[0] for r in csv.reader(io.StringIO(out))][1:2] == ["'@Elev 1"]


def test_csv_codings_and_transcripts_lists(root: Path, capsys):
    status, out, _ = run(capsys, "codings", "--project", str(root), "--format", "csv")
    assert status == 0
    assert sorted(r["text"][:2] for r in csv.DictReader(io.StringIO(out))) == ["'+", "'-", "'="]
    status, out, _ = run(capsys, "transcripts", "--project", str(root), "--format", "csv")
    assert status == 0
    assert "'" + SCHOOL in next(iter(csv.DictReader(io.StringIO(out)))).values()


def test_xlsx_header_cells_from_values_are_never_formulas(root: Path, tmp_path: Path, capsys):
    out = tmp_path / "frekvenser.xlsx"
    status, _, err = run(capsys, "export", "frequencies", "--project", str(root), "--out", str(out))
    assert status == 0, err
    ws = load_workbook(out).active
    header = ws["B1"]
    assert header.value == SCHOOL and header.data_type == "s" and header.quotePrefix
    quotes = tmp_path / "citater.xlsx"
    status, _, err = run(capsys, "export", "quotes", "--project", str(root), "--out", str(quotes))
    assert status == 0, err
    ws = load_workbook(quotes).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if needs_neutralising(c.value)]
    assert {c.value for c in risky} >= {SCHOOL, "@Elev 1", "=1+2 er tre", "=1+1"}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    words = [c for c in ws[1] if c.value == "words"][0].column
    assert all(isinstance(ws.cell(r, words).value, int) for r in range(2, ws.max_row + 1))


def test_a_text_longer_than_a_cell_continues_between_words(tmp_path: Path, capsys):
    root = tmp_path / "projekt"
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    (root / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    speech = " ".join(f"sætning{i} om læsning og hold" for i in range(3000))  # ~95,000 chars
    (root / "transcripts" / "lang.md").write_text(
        "---\nschool: Skole 1\ndate: 2021-06\nspeakers:\n  E1: {role: Elev 1}\n---\n"
        f"E1: {speech}\n",
        encoding="utf-8",
    )
    with Project(root) as project:
        project.sync()
        project.code("lang", "mindset", quote=speech)
    out = tmp_path / "citater.xlsx"
    status, _, err = run(capsys, "export", "quotes", "--project", str(root), "--out", str(out))
    assert status == 0, err
    assert "warning: 1 text(s) in column 'text' are longer than the 32,767 characters" in err
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    pieces = ["text", "text (2)", "text (3)"]
    assert header[header.index("text") : header.index("text") + 3] == pieces
    row = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert "".join(row[p] for p in pieces) == speech
    assert all(len(row[p]) <= CELL_LIMIT for p in pieces)
    assert all(row[p].endswith(" ") for p in pieces[:-1])  # cut between words
    assert row["words"] == len(speech.split()) == sum(len(row[p].split()) for p in pieces)
