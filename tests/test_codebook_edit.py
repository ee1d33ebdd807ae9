"""Editing the codebook (create, relabel, move, merge) from the CLI: written back to the YAML
file with its comments and key order, after a backup, undoable; refused when the file changed
on disk since it was read."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_export_project, run

from lfa_qual import history
from lfa_qual.codebook_edit import CodebookEditor
from lfa_qual.errors import LfaError
from lfa_qual.project import Project


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    root.mkdir()
    with make_export_project(root) as p:
        p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.")
        p.code("skole1-personale", "pit_balance", quote="Nogle uger går alt til én elev")
        p.code("skole1-personale", "pit", quote="Nogle uger går alt til én elev")
        p.code("skole2-elev4", "mindset", quote="Der er ro på holdet.")
    return root


def codebook_text(root: Path) -> str:
    return (root / "codebooks" / "lfa.yaml").read_text("utf-8")


def test_create_keeps_comments_and_order_and_backs_up(root: Path, capsys) -> None:
    before = codebook_text(root)
    assert run(root, "codebook", "add", "tovholder", "--label", "Tovholder", "--parent", "pit",
               "--color", "#aa3377") == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "created tovholder (Tovholder) under pit" in out
    after = codebook_text(root)
    assert after.startswith("# A small codebook for the export tests")
    assert (
        after.replace(
            '      - id: tovholder\n        label: Tovholder\n        color: "#aa3377"\n', ""
        )
        == before
    )
    backups = list((root / "codebooks" / ".backup").iterdir())
    assert [b.read_text("utf-8") for b in backups] == [before]
    with Project(root) as project:
        code = project.codebook().get("tovholder")
        assert code.parent == "pit" and code.label == "Tovholder"
        assert project.store.read_one("SELECT label FROM codes WHERE id='tovholder'")[0] == (
            "Tovholder"
        )


def test_bad_edits_are_refused_and_change_nothing(root: Path, capsys) -> None:
    before = codebook_text(root)
    cases = [
        (["add", "pit", "--label", "PIT igen"], "already has a code 'pit'"),
        (["add", "Ny Kode", "--label", "x"], "bad id 'Ny Kode'"),
        (["add", "ny", "--label", "x", "--parent", "ingen"], "unknown code 'ingen'"),
        (["move", "pit", "--parent", "pit_balance"], "is pit itself or one of its sub-codes"),
        (["move", "pit_balance", "--parent", "pit"], "already under pit"),
        (["merge", "pit", "pit"], "cannot merge pit into itself"),
        (["merge", "pit", "pit_balance"], "into its own sub-code"),
        (["relabel", "pit", "  "], "a code needs a label"),
    ]
    for args, message in cases:
        assert run(root, "codebook", *args) == 2, args
        assert message in capsys.readouterr().err, args
    assert codebook_text(root) == before
    assert not (root / "codebooks" / ".backup").exists()


def test_relabel_and_move(root: Path, capsys) -> None:
    assert run(root, "codebook", "relabel", "pit", "PIT-teamet") == 0
    assert run(root, "codebook", "move", "pit_balance", "--top") == 0
    assert run(root, "codebook", "move", "foraeldre", "--parent", "mindset") == 0
    with Project(root) as project:
        codebook = project.codebook()
        assert codebook.get("pit").label == "PIT-teamet"
        assert codebook.get("pit_balance").parent is None
        assert codebook.get("foraeldre").parent == "mindset"
        assert [c.id for c in codebook.codes] == ["mindset", "foraeldre", "pit", "pit_balance"]
    assert "children:" not in codebook_text(root).split("- id: pit\n")[1].split("- id:")[0]


def test_merge_moves_codings_and_is_undone(root: Path, capsys) -> None:
    before = codebook_text(root)
    assert run(root, "codebook", "merge", "pit_balance", "pit") == 0
    out = capsys.readouterr().out
    assert "merged pit_balance into pit (0 coding(s) moved)" in out
    assert "1 passage(s) had both codes" in out
    with Project(root) as project:
        assert "pit_balance" not in project.codebook()
        assert sorted(c.code for c in project.codings()) == ["mindset", "pit", "pit"]
    assert run(root, "codebook", "undo") == 0
    assert "undone: merged pit_balance into pit" in capsys.readouterr().out
    assert codebook_text(root) == before
    with Project(root) as project:
        assert sorted(c.code for c in project.codings()) == ["mindset", "pit", "pit", "pit_balance"]
    assert run(root, "codebook", "merge", "mindset", "pit") == 0
    assert "(1 coding(s) moved)" in capsys.readouterr().out
    with Project(root) as project:
        assert [c.code for c in project.codings(interview="skole2-elev4")] == ["pit"]
        history.undo(project.store, project.coder)
        assert [c.code for c in project.codings(interview="skole2-elev4")] == ["mindset"]
        history.redo(project.store, project.coder)
        assert [c.code for c in project.codings(interview="skole2-elev4")] == ["pit"]


def test_an_edit_on_disk_since_loading_is_never_overwritten(root: Path) -> None:
    path = root / "codebooks" / "lfa.yaml"
    with Project(root) as project:
        editor = CodebookEditor(project)
        theirs = path.read_text("utf-8").replace("Forældresamarbejde", "Forældre og skole")
        path.write_text(theirs, "utf-8")
        with pytest.raises(LfaError, match="changed on disk since it was loaded"):
            editor.relabel("pit", "PIT-teamet")
        assert path.read_text("utf-8") == theirs
        editor.relabel("pit", "PIT-teamet")  # read again: the edit now applies to their text
    text = path.read_text("utf-8")
    assert "Forældre og skole" in text and "label: PIT-teamet" in text


def test_renamed_from_still_carries_codings_after_edits(root: Path) -> None:
    assert run(root, "codebook", "relabel", "mindset", "Børnesyn") == 0
    path = root / "codebooks" / "lfa.yaml"
    text = path.read_text("utf-8").replace(
        "  - id: mindset\n", "  - id: boernesyn\n    renamed_from: mindset\n"
    )
    path.write_text(text, "utf-8")
    with Project(root) as project:
        project.sync_codebook()
        assert [c.code for c in project.codings(interview="skole2-elev4")] == ["boernesyn"]


def test_merge_refuses_a_code_with_grid_summaries(root: Path, capsys) -> None:
    assert run(root, "grid", "set", "Skole 2", "mindset", "--text", "Ro") == 0
    assert run(root, "codebook", "merge", "mindset", "pit") == 2
    assert "summary grid" in capsys.readouterr().err
