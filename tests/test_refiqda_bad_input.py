"""Bad REFI-QDA archives: each gives a message naming the archive and the element, exit 2,
and leaves the project as it was (store, codebook file, transcripts folder)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from refiqda_util import DATA, code_some, example_project, zip_folder

from lfa_qual.cli import main
from lfa_qual.project import Project
from lfa_qual.refiqda import archive as archive_module

U = "1A2B3C4D-0000-4000-8000-0000000000"
DECL = '<?xml version="1.0" encoding="utf-8"?>'
LAUGHS = (
    DECL
    + '\n<!DOCTYPE Project [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    + '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


def state(root: Path) -> tuple:
    with Project(root) as p:
        n = p.store.read_one("SELECT count(*) AS n FROM codings")["n"]
        t = p.store.read_one("SELECT count(*) AS n FROM transcripts")["n"]
        codes = p.store.read_one("SELECT count(*) AS n FROM codes")["n"]
    files = sorted(f.name for f in (root / "transcripts").iterdir())
    return n, t, codes, files, (root / "codebooks" / "lfa.yaml").read_text("utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "p")]) == 0
    return tmp_path / "p"


CASES = {
    "selection outside its text": (
        "qualcoder",
        {'startPosition="139" endPosition="157"': 'startPosition="139" endPosition="999"'},
        ["falls outside its text", "PlainTextSelection guid=1A2B3C4D-0000-4000-8000-0000000000D2"],
    ),
    "unknown code": (
        "qualcoder",
        {
            f'<CodeRef targetGUID="{U}02"/>\n        </Coding>': f'<CodeRef targetGUID="{U}99"/></Coding>'
        },
        ["CodeRef 1A2B3C4D-0000-4000-8000-000000000099 names no Code", "Coding guid="],
    ),
    "unknown user": (
        "qualcoder",
        {f'<User guid="{U}AA"': f'<User guid="{U}AB"'},
        ["creatingUser 1A2B3C4D-0000-4000-8000-0000000000AA is not among the archive's Users"],
    ),
    "duplicate GUIDs": (
        "qualcoder",
        {f'guid="{U}02" name="Forældre"': f'guid="{U}01" name="Forældre"'},
        ["duplicate GUID 1A2B3C4D-0000-4000-8000-000000000001", "Code 'PIT sparring'"],
    ),
    "a path out of the archive": (
        "nvivo",
        {'plainTextPath="laerer.txt"': 'plainTextPath="internal://../../etc/passwd"'},
        ["escapes the archive", "TextSource 'Lærer, Skole 2'"],
    ),
    "an absolute path": (
        "nvivo",
        {'plainTextPath="laerer.txt"': 'plainTextPath="/etc/passwd"'},
        ["escapes the archive"],
    ),
    "a missing source file": (
        "nvivo",
        {'plainTextPath="laerer.txt"': 'plainTextPath="internal://andet.txt"'},
        ["source file 'internal://andet.txt' is not in the archive"],
    ),
    "malformed XML": ("qualcoder", {"</Project>": ""}, ["project.qde", "not well-formed XML"]),
    "another namespace": (
        "qualcoder",
        {"urn:QDA-XML:project:1.0": "urn:example:other"},
        ["project.qde", "not a REFI-QDA project"],
    ),
    "entity expansion": (
        "qualcoder",
        {DECL: LAUGHS, "Sparring fra PIT-teamet.": "&d;"},
        ["project.qde", "declares a DTD or entities"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_archive_is_refused_with_element_and_nothing_changes(tmp_path, root, case, capsys):
    vendor, replace, expected = CASES[case]
    archive = zip_folder(DATA / vendor, tmp_path / "bad.qdpx", replace)
    before = state(root)
    assert main(["--project", str(root), "import", str(archive)]) == 2
    err = capsys.readouterr().err
    assert "bad.qdpx" in err and "Traceback" not in err
    for text in expected:
        assert text in err, err
    assert state(root) == before
    assert not list((root / "codebooks").glob("lfa.before-import-*"))


def test_not_a_zip_and_a_zip_without_project_qde(tmp_path, root, capsys) -> None:
    before = state(root)
    plain = tmp_path / "tekst.qdpx"
    plain.write_text("ikke et arkiv", encoding="utf-8")
    assert main(["--project", str(root), "import", str(plain)]) == 2
    assert "tekst.qdpx: not a REFI-QDA project archive" in capsys.readouterr().err
    other = tmp_path / "andet.qdpx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("sources/a.txt", "tekst")
    assert main(["--project", str(root), "import", str(other)]) == 2
    assert "andet.qdpx [project.qde]: no project.qde in the archive" in capsys.readouterr().err
    assert state(root) == before
    assert not list((root / "codebooks").glob("lfa.before-import-*"))


def test_a_zip_bomb_stops_at_the_cap(tmp_path, root, capsys, monkeypatch) -> None:
    monkeypatch.setattr(archive_module, "MAX_UNCOMPRESSED", 1_000_000)
    bomb = tmp_path / "bomb.qdpx"
    zip_folder(DATA / "qualcoder", bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("sources/nul.txt", b"\0" * 5_000_000)  # 5 MB in about 5 kB
    before = state(root)
    assert main(["--project", str(root), "import", str(bomb)]) == 2
    assert "bomb.qdpx [zip]: the archive unpacks to" in capsys.readouterr().err
    assert state(root) == before
    assert not list((root / "codebooks").glob("lfa.before-import-*"))


def test_a_failure_inside_the_transaction_undoes_files_and_codebook(tmp_path, capsys) -> None:
    """Replacing the codebook of a coded project fails when the store syncs the codes: after
    the codebook file and the new transcript file were written. Both are undone."""
    root = tmp_path / "p"
    code_some(example_project(root))
    archive = zip_folder(DATA / "qualcoder", tmp_path / "q.qdpx")
    before = state(root)
    assert main(["--project", str(root), "import", str(archive), "--codebook", "replace"]) == 2
    assert "removes code(s) that still have codings" in capsys.readouterr().err
    assert state(root) == before
    assert not list((root / "codebooks").glob("lfa.before-import-*"))
