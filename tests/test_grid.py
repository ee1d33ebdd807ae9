"""The summary grid: passages per row × theme, summaries signed and dated, undoable; `lfa-qual
grid`, `grid set/show/undo` and `export grid` (docx: A4, landscape when wide; xlsx)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_export_project, run
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from lfa_qual import history
from lfa_qual.errors import LfaError
from lfa_qual.grid import build_grid, cell_passages, set_summary
from lfa_qual.project import Project


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    root.mkdir()
    with make_export_project(root) as p:
        p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.")
        p.code("skole1-personale", "pit", quote="hver tirsdag. Så", coder="forsker2")  # overlaps
        p.code("skole1-personale", "pit_balance", quote="Nogle uger går alt til én elev")
        p.code("skole2-elev4", "mindset", quote="Der er ro på holdet.")
        p.code("skole10-foraelder2", "foraeldre", quote="Vi har fået en fast kontaktperson.")
    return root


def test_cells_count_passages_of_the_theme_and_its_sub_codes(root: Path) -> None:
    with Project(root) as project:
        grid = build_grid(project)
        assert grid.rows == ["Skole 1", "Skole 2", "Skole 10"]
        assert grid.codes == ["mindset", "pit", "foraeldre"]  # top-level themes
        # two overlapping pit codings are one passage; the pit_balance one counts under pit
        assert grid.count("Skole 1", "pit") == 2 and grid.count("Skole 2", "mindset") == 1
        by_group = build_grid(project, "role_group")
        assert by_group.count("Elev", "mindset") == 1 and "Interviewer" not in by_group.rows
        frame = cell_passages(project, "school", "Skole 1", "pit")
        assert list(frame["code"]) == ["pit", "pit"] and len(frame) == 2


def test_a_summary_is_signed_dated_and_undoable(root: Path) -> None:
    with Project(root, coder="forsker2") as project:
        set_summary(
            project, "school", "Skole 1", "pit", "PIT mødes fast; tiden er knap.", "forsker2"
        )
        found = build_grid(project).summaries[("Skole 1", "pit")]
        assert found.author == "forsker2" and found.updated[:4].isdigit()
        set_summary(project, "school", "Skole 1", "pit", "Anden tekst", "forsker2")
        assert history.undo(project.store, "forsker2").kind == "grid"
        assert build_grid(project).summary("Skole 1", "pit") == "PIT mødes fast; tiden er knap."
        history.undo(project.store, "forsker2")
        assert build_grid(project).summary("Skole 1", "pit") == ""
        history.redo(project.store, "forsker2")
        assert build_grid(project).summary("Skole 1", "pit").startswith("PIT mødes")
        with pytest.raises(LfaError, match="no school 'Skole 4'"):
            set_summary(project, "school", "Skole 4", "pit", "x", "forsker2")
        with pytest.raises(LfaError, match="unknown code 'ingen'"):
            set_summary(project, "school", "Skole 1", "ingen", "x", "forsker2")


def test_grid_cli_set_show_undo(root: Path, capsys) -> None:
    assert run(root, "grid", "set", "Skole 2", "mindset", "--text", "Ro på holdet") == 0
    assert run(root, "grid") == 0
    out = capsys.readouterr().out
    assert "Skole 2" in out and "1 *" in out
    assert run(root, "grid", "show", "Skole 2", "mindset") == 0
    out = capsys.readouterr().out
    assert "Ro på holdet" in out and "(Elev 4, 8. klasse, Skole 2, august 2021, 1)" in out
    assert run(root, "grid", "undo") == 0
    assert "undone: summary of mindset × Skole 2" in capsys.readouterr().out
    assert run(root, "grid", "undo") == 2
    assert "nothing to undo" in capsys.readouterr().err
    assert run(root, "grid", "set", "Elev", "mindset", "--text", "x") == 2
    assert "no school 'Elev'" in capsys.readouterr().err
    assert run(root, "grid", "set", "Elev", "mindset", "--rows", "role_group", "--text", "x") == 0


def test_export_grid_docx_portrait_and_landscape(root: Path, tmp_path: Path) -> None:
    with Project(root) as project:
        set_summary(project, "school", "Skole 1", "pit", "PIT mødes fast.", "forsker1")
    out = tmp_path / "grid.docx"
    assert run(root, "export", "grid", "--out", str(out), "--citations") == 0
    document = Document(str(out))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT and section.page_width.mm == pytest.approx(
        210, abs=0.1
    )
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Skole",
        "Mindset og børnesyn",
        "PIT – Pædagogisk indsatsteam",
        "Forældresamarbejde",
    ]
    cell = [p.text for p in table.rows[1].cells[2].paragraphs]
    assert cell[:2] == ["2 passager", "PIT mødes fast."]
    assert "(PIT-medarbejder, Skole 1, april 2021, 1)" in cell
    assert 'w:val="da-DK"' in document.styles["Normal"].element.xml
    wide = tmp_path / "bred.docx"
    codes = "mindset,pit,pit_balance,foraeldre"
    assert run(root, "export", "grid", "--codes", codes, "--out", str(wide)) == 0
    section = Document(str(wide)).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width.mm == pytest.approx(297, abs=0.1)


def test_export_grid_xlsx(root: Path, tmp_path: Path) -> None:
    with Project(root) as project:
        set_summary(project, "school", "Skole 10", "foraeldre", "=fast kontaktperson", "forsker1")
    out = tmp_path / "grid.xlsx"
    assert run(root, "export", "grid", "--out", str(out)) == 0
    workbook = load_workbook(out)
    ws = workbook["Oversigt"]
    assert [c.value for c in ws[1]] == ["Skole", "Mindset og børnesyn",
                                         "PIT – Pædagogisk indsatsteam", "Forældresamarbejde"]  # fmt: skip
    assert ws["D4"].value == "1 passage\n=fast kontaktperson" and ws["D4"].data_type == "s"
    counts = workbook["Passager"]
    assert [c.value for c in counts[2]] == ["Skole 1", 0, 2, 0]


def test_a_code_with_a_summary_cannot_be_removed_from_the_codebook(root: Path) -> None:
    with Project(root) as project:
        for coding in project.codings(codes=["mindset"]):
            project.uncode(coding.id)
        set_summary(project, "school", "Skole 2", "mindset", "Ro på holdet", "forsker1")
        path = project.codebook_path
    text = path.read_text("utf-8")
    start = text.index("  - id: mindset")
    path.write_text(text[:start] + text[text.index("  - id: pit\n") :], "utf-8")
    with pytest.raises(LfaError) as exc, Project(root) as project:
        project.sync_codebook()
    assert "the summary grid's cell Skole 2 × 'mindset'" in str(exc.value)
