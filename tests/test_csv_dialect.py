"""CSV dialects: `.csv` files open in Danish Excel by default (UTF-8 BOM, ';', decimal comma);
`--csv-dialect plain` gives comma-separated UTF-8 without a BOM; standard output is plain unless
asked."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import make_export_project, run

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    root.mkdir()
    with make_export_project(root) as p:
        p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.")
        p.code("skole1-personale", "mindset", quote="Vi ser mere på læringsmiljøet nu.")
        p.code("skole10-foraelder2", "foraeldre", quote="Vi har fået en fast kontaktperson.")
    return root


def test_a_quotes_csv_file_is_for_danish_excel_by_default(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "citater.csv"
    assert run(root, "export", "quotes", "--out", str(out)) == 0
    data = out.read_bytes()
    assert data.startswith(BOM + b"theme;theme_label;")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r["school"] for r in rows] == ["Skole 1", "Skole 1", "Skole 10"]
    assert "læringsmiljøet" in rows[0]["text"] + rows[1]["text"]


def test_plain_dialect_is_comma_separated_without_bom(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "citater.csv"
    assert run(root, "export", "quotes", "--out", str(out), "--csv-dialect", "plain") == 0
    data = out.read_bytes()
    assert data.startswith(b"theme,theme_label,")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert rows[-1]["citation"] == "(Forælder 2, Skole 10, juni 2021, 2)"


def test_frequency_percentages_take_a_decimal_comma_in_excel_only(
    root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "f.csv"
    assert run(root, "export", "frequencies", "--percent", "--out", str(out)) == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["code", "Skole 1"]
    assert {r[0]: r[1] for r in rows}["pit"] == "50,0"
    assert run(root, "export", "frequencies", "--percent", "--out", str(out), "--csv-dialect",
               "plain") == 0  # fmt: skip
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert {r[0]: r[1] for r in rows}["pit"] == "50.0"


def test_cooccurrence_file_in_the_excel_dialect(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "samforekomst.csv"
    assert run(root, "export", "cooccurrence", "--out", str(out)) == 0
    assert out.read_bytes().startswith(BOM + b"code;mindset;pit;")


def test_standard_output_is_plain_unless_excel_is_asked_for(root: Path, capsys) -> None:
    assert run(root, "codings", "--format", "csv") == 0
    assert capsys.readouterr().out.startswith("id,interview,start,end,code,")
    assert run(root, "codings", "--format", "csv", "--csv-dialect", "excel") == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffid;interview;start;end;code;")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][4] == "pit" and rows[1][-1] == "(PIT-medarbejder, Skole 1, april 2021, 1)"
    assert run(root, "export", "frequencies", "--format", "csv", "--csv-dialect", "excel") == 0
    assert capsys.readouterr().out.startswith("\ufeffcode;Skole 1;")
    assert run(root, "transcripts", "--format", "csv", "--csv-dialect", "excel") == 0
    assert capsys.readouterr().out.startswith("\ufeffinterview;school;")


def test_an_unknown_dialect_is_refused(root: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(root, "codings", "--format", "csv", "--csv-dialect", "semikolon")
    assert exit_.value.code == 2
    assert "--csv-dialect" in capsys.readouterr().err


def test_suggest_csv_in_the_excel_dialect_writes_scores_with_a_decimal_comma(
    root: Path, capsys
) -> None:
    import json

    from lfa_qual.project import Project
    from lfa_qual.store import new_guid, now

    with Project(root) as project:
        text = project.transcript("skole1-personale").text
        start = text.index("Vi mødes hver tirsdag.")
        word = text.index("tirsdag", start)
        evidence = [{"start": word, "end": word + 7, "word": "tirsdag", "keyword": "tirsdag",
                     "kind": "exact"}]  # fmt: skip
        with project.store.transaction() as conn:
            tid = conn.execute(
                "SELECT id FROM transcripts WHERE interview = 'skole1-personale'"
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO suggestions(guid, transcript_id, start, end, code_id, score,"
                " evidence, pipeline, created) VALUES (?,?,?,?,?,?,?,?,?)",
                (new_guid(), tid, start, start + 22, "pit", 0.625, json.dumps(evidence), "t",
                 now()),
            )  # fmt: skip
    argv = ["suggest", "--list", "--format", "csv"]
    assert run(root, *argv) == 0
    assert capsys.readouterr().out.startswith("id,interview,")
    assert run(root, *argv, "--csv-dialect", "excel") == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffid;interview;turn;speaker;role;school;")
    [row] = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert row["score"] == "0,625" and row["evidence"] == "tirsdag"
