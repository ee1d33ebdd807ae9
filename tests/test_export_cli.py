"""The export and stats commands end to end: formats, files, figures, and errors as exit 2."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import make_export_project, run
from docx import Document
from matplotlib.image import imread
from openpyxl import load_workbook


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    root.mkdir()
    with make_export_project(root) as p:
        p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.")
        p.code("skole1-personale", "pit", quote="hver tirsdag. Så", coder="forsker2")
        p.code("skole1-personale", "mindset", quote="Vi ser mere på læringsmiljøet nu.")
        p.code("skole2-elev4", "mindset", quote="Der er ro på holdet. Jeg lærer mere der.")
        p.code("skole10-foraelder2", "foraeldre", quote="Vi har fået en fast kontaktperson.")
    return root


def test_export_quotes_markdown_to_stdout(root: Path, capsys) -> None:
    assert run(root, "export", "quotes", "--codes", "mindset", "--max-words", "5") == 0
    assert capsys.readouterr().out == (
        "# Mindset og børnesyn\n\n"
        "## Skole 1\n\n"
        "> Vi ser mere på læringsmiljøet nu. (Skolemedarbejder, Skole 1, april 2021, 2)\n\n"
        "## Skole 2\n\n"
        "> Der er ro på holdet. (…) (Elev 4, 8. klasse, Skole 2, august 2021, 1)\n"
    )


def test_filters_combine(root: Path, capsys) -> None:
    assert run(root, "export", "quotes", "--schools", "Skole 1", "--coder", "forsker2") == 0
    out = capsys.readouterr().out
    assert out == (
        "# PIT – Pædagogisk indsatsteam\n\n## Skole 1\n\n"
        "> hver tirsdag. Så (PIT-medarbejder, Skole 1, april 2021, 1)\n"
    )
    assert run(root, "export", "quotes", "--roles", "Elev 4,Forælder 2", "--by", "role") == 0
    out = capsys.readouterr().out
    assert out.startswith("# Elev 4\n") and "# Forælder 2\n" in out and "Skole 1," not in out


@pytest.mark.parametrize(
    ("repeated", "combined"),
    [
        (["--codes", "pit", "--codes", "foraeldre"], ["--codes", "pit,foraeldre"]),
        (["--schools", "Skole 1", "--schools", "Skole 10"], ["--schools", "Skole 1,Skole 10"]),
        (["--roles", "Elev 4", "--roles", "Forælder 2"], ["--roles", "Elev 4,Forælder 2"]),
        (["--coders", "forsker1", "--coders", "forsker2"], ["--coders", "forsker1,forsker2"]),
        (
            ["--interviews", "skole2-elev4", "--interviews", "skole10-foraelder2"],
            ["--interviews", "skole2-elev4,skole10-foraelder2"],
        ),
    ],
)
def test_a_repeated_filter_adds_its_values(root: Path, capsys, repeated, combined) -> None:
    assert run(root, "export", "quotes", "--format", "json", *combined) == 0
    expected = json.loads(capsys.readouterr().out)
    assert run(root, "export", "quotes", "--format", "json", *repeated) == 0
    assert json.loads(capsys.readouterr().out) == expected
    first_only = run(root, "export", "quotes", "--format", "json", *repeated[:2])
    assert first_only == 0 and json.loads(capsys.readouterr().out) != expected  # both count


def test_format_follows_the_file_extension(root: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "citater.docx"
    assert run(root, "export", "quotes", "--out", str(out), "--title", "Citater") == 0
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert texts[:3] == ["Citater", "Mindset og børnesyn", "Skole 1"]
    assert "wrote 4 quote(s) in 3 theme(s)" in capsys.readouterr().err
    xlsx = tmp_path / "citater.xlsx"
    assert run(root, "export", "quotes", "--out", str(xlsx)) == 0
    ws = load_workbook(xlsx).active
    assert ws.max_row == 5 and ws.auto_filter.ref
    for fmt in ("csv", "json"):
        path = tmp_path / f"citater.{fmt}"
        assert run(root, "export", "quotes", "--out", str(path)) == 0
    rows = _excel_rows(tmp_path / "citater.csv", dict)
    records = json.loads((tmp_path / "citater.json").read_text("utf-8"))
    assert [r["text"] for r in rows] == [r["text"] for r in records]
    assert records[-1]["citation"] == "(Forælder 2, Skole 10, juni 2021, 2)"


@pytest.mark.parametrize(
    ("command", "name", "fmt"),
    [
        ("quotes", "citater.docx", "md"),
        ("frequencies", "f.csv", "xlsx"),
        ("quotes", "c.md", "json"),
    ],
)
def test_a_format_contradicting_the_extension_is_refused(
    root: Path, tmp_path: Path, capsys, command, name, fmt
) -> None:
    out = tmp_path / name
    assert run(root, "export", command, "--out", str(out), "--format", fmt) == 2
    err = capsys.readouterr().err
    assert err.startswith("lfa-qual: error: format:") and name in err and fmt in err
    assert not out.exists()


def test_a_txt_file_takes_any_text_format(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "noter.txt"
    assert run(root, "export", "quotes", "--out", str(out), "--format", "md") == 0
    assert out.read_text("utf-8").startswith("# Mindset")
    assert run(root, "export", "frequencies", "--out", str(out), "--format", "csv") == 0
    assert out.read_text("utf-8").startswith("\ufeffcode;")


@pytest.mark.parametrize(
    "args",
    [
        ["export", "quotes", "--format", "docx"],  # a binary format needs --out
        ["export", "quotes", "--out", "x.pdf"],
        ["export", "quotes", "--codes", "ukendt"],
        ["export", "quotes", "--schools", "Skole 7"],
        ["export", "quotes", "--by", "theme,side"],
        ["export", "quotes", "--max-words", "0"],
        ["export", "frequencies", "--rows", "school", "--cols", "school"],
    ],
)
def test_bad_input_exits_2_with_a_message(root: Path, capsys, args) -> None:
    assert run(root, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("lfa-qual: error:") and "Traceback" not in err


def test_frequencies_in_every_format(root: Path, tmp_path: Path, capsys) -> None:
    assert run(root, "export", "frequencies") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Tema", "Skole", "1", "Skole", "2", "Skole", "10", "I", "alt"]
    assert lines[2].split() == ["Mindset", "og", "børnesyn", "1", "1", "0", "2"]  # labels
    assert lines[-1].split() == ["I", "alt", "3", "1", "1", "5"]
    assert run(root, "export", "frequencies", "--count", "passages", "--format", "md") == 0
    md = capsys.readouterr().out.splitlines()
    assert md[0] == "| Tema | Skole 1 | Skole 2 | Skole 10 | I alt |"
    assert md[3] == "| PIT – Pædagogisk indsatsteam | 1 | 0 | 0 | 1 |"
    assert md[4] == "| › Sparring eller hænder | 0 | 0 | 0 | 0 |"  # a sub-code
    out = tmp_path / "f.csv"
    assert run(root, "export", "frequencies", "--percent", "--out", str(out)) == 0
    rows = _excel_rows(out)
    assert rows[1][0] == "mindset"  # csv is for other programs: ids
    assert rows[-1] == ["I alt", "100,0", "100,0", "100,0", "100,0"]
    assert sum(float(r[1].replace(",", ".")) for r in rows[1:-1]) == pytest.approx(100.0)
    xlsx = tmp_path / "f.xlsx"
    assert run(root, "export", "frequencies", "--cols", "role", "--out", str(xlsx)) == 0
    ws = load_workbook(xlsx).active
    assert ws.cell(1, 1).value == "Tema" and ws.cell(ws.max_row, 1).value == "I alt"
    assert ws.cell(2, 1).value == "Mindset og børnesyn"
    assert run(root, "export", "frequencies", "--names", "id", "--format", "md") == 0
    assert capsys.readouterr().out.splitlines()[3].startswith("| pit |")
    assert run(root, "export", "frequencies", "--names", "label", "--format", "csv") == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("Mindset og børnesyn,")


def test_cooccurrence_matrix(root: Path, capsys) -> None:
    assert run(root, "export", "cooccurrence", "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["code", "mindset", "pit", "pit_balance", "foraeldre"]
    assert rows[2] == ["pit", "0", "1", "0", "0"]
    assert run(root, "export", "cooccurrence") == 0  # for people: labels on both axes
    table = capsys.readouterr().out.splitlines()
    assert "Forældresamarbejde" in table[0] and table[3].startswith("PIT – Pædagogisk")


def test_figures_are_valid_png_and_svg(root: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "figurer"
    assert run(root, "export", "figures", "--out", str(folder)) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["bars.png", "bars.svg", "heatmap.png", "heatmap.svg"]
    for png in folder.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        image = imread(png)
        assert image.shape[0] > 100 and image.shape[1] > 100
    for svg in folder.glob("*.svg"):
        root_element = ET.parse(svg).getroot()
        assert root_element.tag == "{http://www.w3.org/2000/svg}svg"
    heat = (folder / "heatmap.svg").read_text("utf-8")
    assert "Skole 10" in heat or "Skole" in heat


def test_stats_prints_the_tables(root: Path, capsys) -> None:
    assert run(root, "stats", "--cooccurrence") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "3 transcripts, 155 words, 5 codings by 2 coders"
    for title in ("Kodninger", "Interview med temaet", "Dækning", "Samforekomst"):
        assert title in out
    assert run(root, "stats", "--count", "words") == 0
    assert "I alt" in capsys.readouterr().out
    # Danish headings for --percent too (was "words (%)"), and da-DK decimals (was "100.0").
    assert run(root, "stats", "--count", "codings", "--percent") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "Kodninger i % af kolonnens kodninger"
    assert lines[4].split()[0] == "Tema" and lines[-1].split()[-1] == "100,0"


def _delete_a_coded_passage(root: Path) -> None:
    """Code a sentence of the parent interview, then delete it from the transcript file."""
    from lfa_qual.project import Project

    with Project(root) as p:
        p.code("skole10-foraelder2", "pit", quote="Det har gjort en stor forskel for os.")
    path = root / "transcripts" / "skole10-foraelder.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace(" Det har gjort en stor forskel for os.", ""), "utf-8")


def test_exports_report_reanchoring_and_leave_out_codings_that_need_review(
    root: Path, tmp_path: Path, capsys
) -> None:
    _delete_a_coded_passage(root)
    out = tmp_path / "pit.csv"
    assert run(root, "export", "quotes", "--codes", "pit", "--out", str(out)) == 0
    err = capsys.readouterr().err
    assert "skole10-foraelder2: text changed" in err and "1 need review" in err
    assert "1 coding(s) that need review after transcript edits are left out" in err
    assert "lfa-qual review" in err and "--include-needs-review" in err
    rows = _excel_rows(out, dict)
    assert [r["school"] for r in rows] == ["Skole 1"] and rows[0]["status"] == "ok"
    # Asked for, it is exported, marked.
    assert (
        run(root, "export", "quotes", "--codes", "pit", "--out", str(out), "--include-needs-review")
        == 0
    )
    assert "are included" in capsys.readouterr().err
    rows = _excel_rows(out, dict)
    assert [(r["school"], r["status"]) for r in rows] == [
        ("Skole 1", "ok"),
        ("Skole 10", "needs_review"),
    ]
    # The tables count the same codings as the quotes.
    assert run(root, "export", "frequencies", "--format", "csv") == 0
    captured = capsys.readouterr()
    table = {r[0]: r for r in csv.reader(io.StringIO(captured.out))}
    assert table["pit"][-2:] == ["0", "2"] and "left out" in captured.err
    assert run(root, "export", "frequencies", "--format", "csv", "--include-needs-review") == 0
    table = {r[0]: r for r in csv.reader(io.StringIO(capsys.readouterr().out))}
    assert table["pit"][-2:] == ["1", "3"]


def test_table_exports_count_only_the_coders_asked_for(root: Path, capsys) -> None:
    assert run(root, "export", "frequencies", "--format", "csv", "--coder", "forsker2") == 0
    table = {r[0]: r for r in csv.reader(io.StringIO(capsys.readouterr().out))}
    assert table["pit"][-1] == "1" and table["mindset"][-1] == "0"
    assert table["I alt"][-1] == "1"
    assert run(root, "export", "frequencies", "--format", "csv", "--coders", "forsker1") == 0
    table = {r[0]: r for r in csv.reader(io.StringIO(capsys.readouterr().out))}
    assert table["I alt"][-1] == "4"
    assert run(root, "stats", "--coder", "forsker2") == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("1 coding by 1 coder")
    assert run(root, "export", "cooccurrence", "--format", "csv", "--coder", "forsker2") == 0
    rows = {r[0]: r for r in csv.reader(io.StringIO(capsys.readouterr().out))}
    assert rows["mindset"][2] == "0"
    assert run(root, "export", "frequencies", "--coder", "ingen") == 2
    assert "no coder 'ingen'" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["md", "docx", "xlsx", "csv", "json"])
def test_an_export_without_quotes_says_so_and_writes_a_valid_empty_file(
    root: Path, tmp_path: Path, capsys, fmt
) -> None:
    out = tmp_path / f"tom.{fmt}"
    assert run(root, "export", "quotes", "--codes", "pit_balance", "--out", str(out)) == 0
    err = capsys.readouterr().err
    assert "no quotes: no coding matches the filters" in err
    assert "wrote 0 quote(s)" in err
    if fmt == "docx":
        assert not [p for p in Document(str(out)).paragraphs if p.text]
    elif fmt == "xlsx":
        ws = load_workbook(out).active
        assert ws.max_row == 1 and ws.cell(1, 1).value == "theme"
    elif fmt == "csv":
        assert _excel_rows(out) == [next(csv.reader([_header()]))]
    elif fmt == "json":
        assert json.loads(out.read_text("utf-8")) == []
    else:
        assert out.read_text("utf-8") == ""


def _excel_rows(path: Path, kind: type = list) -> list:
    """A .csv export read as Danish Excel reads it: a UTF-8 BOM, then ';'-separated rows."""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = io.StringIO(data.decode("utf-8-sig"))
    reader = (
        csv.DictReader(text, delimiter=";") if kind is dict else csv.reader(text, delimiter=";")
    )
    return list(reader)


def _header() -> str:
    from lfa_qual.analysis.quotes import QUOTE_COLUMNS

    return ",".join(QUOTE_COLUMNS)


def test_an_empty_export_to_the_terminal_says_so(root: Path, capsys) -> None:
    assert run(root, "export", "quotes", "--codes", "pit_balance") == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "no quotes" in captured.err
