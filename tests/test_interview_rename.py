"""Editing `interview:` in a coded transcript file (issue 18, item 8): the file's transcript
gets the new id with its codings, memo and undo history; never a second transcript beside it."""

from __future__ import annotations

import pytest

from lfa_qual import history
from lfa_qual.cli import main
from lfa_qual.codings import get_memo, set_memo
from lfa_qual.errors import LfaError
from lfa_qual.project import Project


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def _rename_in_file(project: Project, old: str, new: str) -> None:
    path = project.transcripts_dir / f"{old}.md"
    path.write_text(
        path.read_text("utf-8").replace(f"interview: {old}\n", f"interview: {new}\n"), "utf-8"
    )


def test_a_changed_interview_id_renames_the_transcript_with_its_codings(small_project, capsys):
    p = small_project
    root = str(p.root)
    coding = p.code("skole9-skoleleder", "pit", quote="PIT-teamet i efteråret")
    undone = history.code(
        p.store, "skole9-skoleleder", coding.start, coding.end, "mindset", "tester"
    )
    set_memo(p.store, "transcript", "skole9-skoleleder", "Interview i personalerummet.", "tester")
    words = {r.interview: r.words for r in p.transcript_rows()}
    p.close()
    _rename_in_file(p, "skole9-skoleleder", "skole9-leder")

    status, out, err = run(capsys, "transcripts", "--project", root, "--format", "csv")
    assert status == 0, err
    assert (
        "skole9-leder: renamed from 'skole9-skoleleder' (the 'interview:' of "
        "transcripts/skole9-skoleleder.md changed); its 2 coding(s) are kept"
    ) in err
    with Project(root) as project:
        rows = {r.interview: r for r in project.transcript_rows()}
        assert sorted(rows) == ["skole9-leder", "skole9-personale"]  # not three
        assert sum(r.words for r in rows.values()) == sum(words.values())
        codings = project.codings(interview="skole9-leder")
        assert [project.view(c).text for c in codings] == ["PIT-teamet i efteråret"] * 2
        assert [c.status for c in codings] == ["ok", "ok"]
        assert get_memo(project.store, "transcript", "skole9-leder").startswith("Interview")
        backups = list(project.root.glob("*pre-reanchor*"))
        assert backups, "the codings were re-anchored without a backup before"
        # Undo still finds the coding's transcript under its new id. Redo would code offsets
        # taken from the old text (the header line changed, so every passage moved): refused
        # with the new id named, never a coding on other words.
        assert history.undo(project.store, "tester") is not None
        assert [c.id for c in project.codings(interview="skole9-leder")] == [coding.id]
        with pytest.raises(LfaError, match="the text of 'skole9-leder' has changed since"):
            history.redo(project.store, "tester")
        assert [c.id for c in project.codings(interview="skole9-leder")] == [coding.id]
        assert undone.id not in [c.id for c in project.codings()]


def test_import_without_reanchor_refuses_and_changes_nothing(small_project, capsys):
    p = small_project
    root = str(p.root)
    p.code("skole9-skoleleder", "pit", quote="PIT-teamet i efteråret")
    p.close()
    _rename_in_file(p, "skole9-skoleleder", "skole9-leder")
    path = p.transcripts_dir / "skole9-skoleleder.md"
    status, out, err = run(capsys, "import", "--project", root, str(path))
    assert status == 2 and out == ""
    assert "changed after it was coded" in err and "--reanchor" in err
    with Project(root) as project:
        assert [r.interview for r in project.transcript_rows()] == [
            "skole9-personale",
            "skole9-skoleleder",
        ]


def test_a_new_id_that_another_transcript_has_is_refused(small_project, capsys):
    p = small_project
    root = str(p.root)
    p.code("skole9-skoleleder", "pit", quote="PIT-teamet i efteråret")
    p.close()
    _rename_in_file(p, "skole9-skoleleder", "skole9-personale")
    # Like any bad file, it is left out (and import says so with exit 2); the others go on.
    status, out, err = run(capsys, "transcripts", "--project", root)
    assert status == 0
    assert "interview id 'skole9-personale' is also used by" in err
    status, out, err = run(capsys, "import", "--project", root)
    assert status == 2
    assert "interview id 'skole9-personale' is also used by" in err


def test_a_store_that_already_holds_both_ids_from_one_file_keeps_working(small_project, capsys):
    """Stores made before the fix may hold the old and the new id, both from one file."""
    p = small_project
    root = str(p.root)
    p.code("skole9-skoleleder", "pit", quote="PIT-teamet i efteråret")
    _rename_in_file(p, "skole9-skoleleder", "skole9-leder")
    with p.store.transaction() as conn:
        conn.execute(
            "INSERT INTO transcripts(guid, interview, school, date, kind, source, text, sha256,"
            " words, pages, imported_at) SELECT 'dobbelt', 'skole9-leder', school, date, kind,"
            " source, text, sha256, words, pages, imported_at FROM transcripts"
            " WHERE interview = 'skole9-skoleleder'"
        )
    p.close()
    status, out, err = run(capsys, "transcripts", "--project", root, "--format", "csv")
    assert status == 0, err
    assert "renamed" not in err
    with Project(root) as project:
        assert len(project.codings(interview="skole9-skoleleder")) == 1
