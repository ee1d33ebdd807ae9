"""Helpers shared by the REFI-QDA tests: the schemas, archives built from fixture folders."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from lfa_qual.codings import set_memo

DATA = Path(__file__).parent / "data" / "refiqda"
REPO = Path(__file__).parent.parent
# CI clones the repository with `shared/` beside it; LFA_QUAL_SHARED names it elsewhere (a
# git worktree deeper down).
SHARED = Path(os.environ.get("LFA_QUAL_SHARED") or Path(__file__).parents[2] / "shared")
SCHEMAS = SHARED / "refi-qda"
NS = {"q": "urn:QDA-XML:project:1.0"}


def schema(name: str) -> etree.XMLSchema:
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"the REFI-QDA schemas are not at {SCHEMAS} (shared/ beside the repository)")
    return etree.XMLSchema(etree.parse(str(path)))


def assert_valid(xml: bytes, name: str, required: bool = True) -> None:
    """Validate against the schema; without the schemas, skip the test (`required`) or only
    this check (a test that checks more than validity)."""
    if not required and not (SCHEMAS / name).exists():
        return
    s = schema(name)
    doc = etree.fromstring(xml)
    assert s.validate(doc), s.error_log


def zip_folder(folder: Path, out: Path, replace: dict[str, str] | None = None) -> Path:
    """Zip a fixture folder as a .qdpx, optionally editing project.qde's text first."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_dir():
                continue
            data = path.read_bytes()
            if path.name == "project.qde" and replace:
                text = data.decode("utf-8")
                for old, new in replace.items():
                    assert old in text, old
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            zf.writestr(path.relative_to(folder).as_posix(), data)
    return out


def example_project(root: Path):
    """The repository's example project (transcripts/ and codebooks/lfa.yaml), synced, with
    the names check's suspects reviewed (accepted as not names), as a researcher would before
    exporting whole transcripts."""
    from lfa_qual.names.review import accept, project_suspects
    from lfa_qual.project import Project

    shutil.copytree(REPO / "transcripts", root / "transcripts")
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    shutil.copy(REPO / "lfa-qual.yaml", root / "lfa-qual.yaml")
    project = Project(root, coder="forsker1")
    project.sync()
    for record in project_suspects(project):
        accept(project, record, "forsker1")
    return project


def code_some(project) -> None:
    """Codings by two coders, with memos, plus a code, a transcript and a project memo."""
    project.code("skole1-skoleleder", "pit", quote="PIT", occurrence=1, memo="første memo")
    project.code("skole1-skoleleder", "pit_balance", quote="PIT", occurrence=1, coder="forsker2")
    project.code("skole2-personale", "indsatser", quote="niveau", occurrence=1)
    set_memo(project.store, "code", "pit", "Kodememo om PIT", "forsker1")
    set_memo(project.store, "transcript", "skole2-personale", "Interviewmemo", "forsker2")
    set_memo(project.store, "project", "", "Projektmemo", "forsker1")
