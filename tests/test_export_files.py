"""`lfa_qual.export.files`: the one-file exports behind the TUI's export commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_export_project
from docx import Document

from lfa_qual.analysis import Filters
from lfa_qual.errors import LfaError
from lfa_qual.export.files import ExportRequest, export
from lfa_qual.outputs import OutputRefused


@pytest.fixture
def project(tmp_path: Path):
    root = tmp_path / "projekt"
    root.mkdir()
    with make_export_project(root) as p:
        p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.")
        p.code("skole2-elev4", "mindset", quote="Der er ro på holdet.")
        yield p


def test_each_kind_of_export_writes_its_file(project, tmp_path: Path) -> None:
    out = tmp_path / "ud"
    out.mkdir()
    said = export(project, ExportRequest("quotes", out / "c.md", Filters(roles=("Elev",))))
    assert said.startswith("1 quote(s)")
    assert "(Elev 4, 8. klasse, Skole 2, august 2021, 1)" in (out / "c.md").read_text("utf-8")
    request = ExportRequest("frequencies", out / "f.csv", percent=True)
    export(project, request)
    assert (out / "f.csv").read_bytes().startswith(b"\xef\xbb\xbfcode;Skole 1;")
    export(project, ExportRequest("figures", out / "fig", cols="role_group"))
    assert {p.name for p in (out / "fig").iterdir()} >= {"heatmap.svg", "bars.png"}
    export(project, ExportRequest("grid", out / "g.docx", rows="role_group"))
    table = Document(str(out / "g.docx")).tables[0]
    assert table.rows[0].cells[0].text == "Rollegruppe"


def test_a_wrong_name_or_a_project_file_is_refused(project) -> None:
    with pytest.raises(LfaError, match=r"name the file \.docx or \.xlsx for the grid export"):
        export(project, ExportRequest("grid", project.root / "g.pdf"))
    target = project.transcripts_dir / "skole2-elev.md"
    before = target.read_text("utf-8")
    with pytest.raises(OutputRefused, match="transcripts folder"):
        export(project, ExportRequest("quotes", target))
    assert target.read_text("utf-8") == before
