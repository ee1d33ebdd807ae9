"""Memos everywhere: on codings, codes, transcripts and the project; `lfa-qual memos` lists,
filters, searches and exports them; `export quotes --memos` puts a coding's memo under its
quote."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import make_export_project, run
from docx import Document

from lfa_qual.memos import MemoFilter, list_memos
from lfa_qual.project import Project


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    root.mkdir()
    with make_export_project(root) as p:
        p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.", memo="Fast mødedag")
        p.code("skole2-elev4", "mindset", quote="Der er ro på holdet.", memo="Ro som gevinst")
        p.code("skole10-foraelder2", "foraeldre", quote="Vi har fået en fast kontaktperson.")
    return root


def add_memos(root: Path) -> None:
    assert run(root, "memo", "project", "--text", "Rapportens rød tråd: ro og faste rammer") == 0
    assert run(root, "memo", "code", "pit", "--text", "PIT: sparring mod hænder", "--coder",
               "forsker2") == 0  # fmt: skip
    assert run(root, "memo", "transcript", "skole2-elev4", "--text", "Eleven taler om ro") == 0


def test_memos_of_every_kind_are_listed_in_order(root: Path) -> None:
    add_memos(root)
    with Project(root) as project:
        memos = list_memos(project)
    assert [m.kind for m in memos] == ["project", "code", "transcript", "coding", "coding"]
    assert memos[1].author == "forsker2" and memos[1].place == "PIT – Pædagogisk indsatsteam"
    coding = memos[3]
    assert coding.text == "Fast mødedag" and coding.interview == "skole1-personale"
    assert coding.place.endswith("(PIT-medarbejder, Skole 1, april 2021, 1)")
    assert coding.start is not None and coding.end > coding.start


def test_filters_and_search(root: Path) -> None:
    add_memos(root)
    with Project(root) as project:
        by_code = list_memos(project, MemoFilter(codes=("pit",)))
        assert [m.kind for m in by_code] == ["code", "coding"]
        by_interview = list_memos(project, MemoFilter(interviews=("skole2-elev4",)))
        assert [m.text for m in by_interview] == ["Eleven taler om ro", "Ro som gevinst"]
        found = list_memos(project, MemoFilter(search="RO faste"))
        assert [m.kind for m in found] == ["project"]
        assert [m.kind for m in list_memos(project, MemoFilter(authors=("forsker2",)))] == ["code"]
        kinds = MemoFilter(kinds=("coding",), search="ro")
        assert [m.text for m in list_memos(project, kinds)] == ["Ro som gevinst"]


def test_memos_command_table_json_and_bad_filters(root: Path, capsys) -> None:
    add_memos(root)
    capsys.readouterr()
    assert run(root, "memos", "--search", "ro") == 0
    captured = capsys.readouterr()
    assert "Rapportens rød tråd" in captured.out and "3 memo(s)" in captured.err
    assert run(root, "memos", "--kind", "coding", "--format", "json") == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["target"] for r in records] and {r["kind"] for r in records} == {"coding"}
    assert run(root, "memos", "--kind", "kode") == 2
    assert "no memo kind 'kode'" in capsys.readouterr().err
    assert run(root, "memos", "--codes", "ingen") == 2
    assert "no code 'ingen'" in capsys.readouterr().err


def test_memos_export_docx_md_csv(root: Path, tmp_path: Path, capsys) -> None:
    add_memos(root)
    docx = tmp_path / "memoer.docx"
    assert run(root, "memos", "--out", str(docx)) == 0
    texts = [p.text for p in Document(str(docx)).paragraphs]
    assert texts[0] == "Memoer" and "Projekt: Projekt" in texts
    assert "Kode: PIT – Pædagogisk indsatsteam" in texts and "PIT: sparring mod hænder" in texts
    md = tmp_path / "memoer.md"
    assert run(root, "memos", "--codes", "mindset", "--out", str(md)) == 0
    assert "## Kodning: Mindset og børnesyn (Elev 4" in md.read_text("utf-8")
    out = tmp_path / "memoer.csv"
    assert run(root, "memos", "--out", str(out)) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig")), delimiter=";"))
    assert [r["kind"] for r in rows][:2] == ["project", "code"]
    assert run(root, "memos", "--out", str(root / "lfa-qual.yaml"), "--format", "md") == 2
    assert "refusing to write an export here" in capsys.readouterr().err


def test_project_memo_and_a_memo_without_its_target(root: Path, capsys) -> None:
    assert run(root, "memo", "project", "--text", "Overblik") == 0
    assert capsys.readouterr().out == "memo on the project saved (8 characters)\n"
    assert run(root, "memo", "project") == 0
    assert capsys.readouterr().out.strip() == "Overblik"
    assert run(root, "memo", "code") == 2
    assert "a code memo needs the code it is on" in capsys.readouterr().err


def test_quote_exports_put_the_memo_under_its_quote(root: Path, tmp_path: Path, capsys) -> None:
    assert run(root, "export", "quotes", "--codes", "pit", "--memos") == 0
    out = capsys.readouterr().out
    quote = "> Vi mødes hver tirsdag. (PIT-medarbejder, Skole 1, april 2021, 1)\n"
    assert quote + "\n*Memo: Fast mødedag*\n" in out
    assert run(root, "export", "quotes", "--codes", "pit") == 0
    assert "Memo" not in capsys.readouterr().out
    docx = tmp_path / "citater.docx"
    assert run(root, "export", "quotes", "--memos", "--out", str(docx)) == 0
    paragraphs = Document(str(docx)).paragraphs
    texts = [p.text for p in paragraphs]
    at = texts.index("Vi mødes hver tirsdag. (PIT-medarbejder, Skole 1, april 2021, 1)")
    assert texts[at + 1] == "Memo: Fast mødedag"
    assert paragraphs[at + 1].style.name == "Memo"
    assert [t for t in texts if t.startswith("Memo:")] == ["Memo: Ro som gevinst", texts[at + 1]]
