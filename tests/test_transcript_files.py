"""A stored transcript remembers its file: an import under the same interview id from another
file is refused (or replaces it on request), a renamed file or a moved project is followed, a
deleted file is reported, and `remove` takes a transcript out deliberately."""

from __future__ import annotations

import shutil
import sqlite3

from lfa_qual import history
from lfa_qual.cli import main
from lfa_qual.codings import set_memo
from lfa_qual.project import Project

CLASH = """---
interview: skole9-skoleleder
school: Skole 9
date: 2021-04
speakers:
  SL: {role: Skoleleder}
---
SL: Ja.
"""


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stored(project: Project, interview: str):
    return project.store.read_one(
        "SELECT school, source, text FROM transcripts WHERE interview = ?", (interview,)
    )


def test_import_of_another_file_with_a_used_interview_id_is_refused(
    small_project, capsys, tmp_path
):
    p = small_project
    root = str(p.root)
    clash = tmp_path / "clash.md"
    clash.write_text(CLASH, "utf-8")
    before = stored(p, "skole9-skoleleder")
    for coded in (False, True):
        if coded:
            p.code("skole9-skoleleder", "pit", quote="PIT-teamet")
        for extra in ([], ["--reanchor"], ["--replace"]):
            code, out, err = run(capsys, "import", str(clash), *extra, "--project", root)
            assert code == 2 and out == "", extra
            assert (
                f"{clash} [interview]: interview id 'skole9-skoleleder' is already used by" in err
            )
            assert str(p.transcripts_dir / "skole9-skoleleder.md") in err
            assert "Traceback" not in err and len(err.strip().splitlines()) == 1
            assert stored(p, "skole9-skoleleder") == before
    assert "copy it over" in err and "--replace cannot replace a file in the transcripts" in err
    # Every command still reads the folder's file, and the coding stayed where it was.
    code, out, err = run(capsys, "codings", "--project", root, "--format", "csv")
    assert code == 0 and "PIT-teamet" in out and "needs" not in err


def test_replace_takes_the_place_of_a_file_imported_from_outside(
    small_project, capsys, tmp_path_factory
):
    p = small_project
    root = str(p.root)
    outside = tmp_path_factory.mktemp("ude")
    first = outside / "v1.md"
    first.write_text(CLASH.replace("skole9-skoleleder", "skole9-ekstra"), "utf-8")
    assert run(capsys, "import", str(first), "--project", root)[0] == 0
    p.code("skole9-ekstra", "pit", quote="Ja")
    second = outside / "v2.md"
    second.write_text(
        CLASH.replace("skole9-skoleleder", "skole9-ekstra").replace("Ja.", "Ja. Og nej."), "utf-8"
    )
    code, _, err = run(capsys, "import", str(second), "--project", root)
    assert code == 2 and f"already used by {first}" in err and "--replace FILE" in err
    code, out, err = run(capsys, "import", str(second), "--replace", "--project", root)
    assert code == 0, err
    assert f"skole9-ekstra: {second} replaces {first}" in err and "1 updated" in out
    assert stored(p, "skole9-ekstra")["source"] == str(second)
    [coding] = p.codings(interview="skole9-ekstra")
    assert p.view(coding).text == "Ja"


def test_a_renamed_file_and_a_moved_project_are_followed(small_project, capsys, tmp_path_factory):
    p = small_project
    assert stored(p, "skole9-skoleleder")["source"] == "transcripts/skole9-skoleleder.md"
    coding = p.code("skole9-skoleleder", "pit", quote="PIT-teamet")
    old = p.transcripts_dir / "skole9-skoleleder.md"
    old.rename(p.transcripts_dir / "skoleleder-3.md")
    code, out, err = run(capsys, "transcripts", "--project", str(p.root))
    assert code == 0 and "warning" not in err
    assert (
        "its file is now transcripts/skoleleder-3.md (was transcripts/skole9-skoleleder.md)" in err
    )
    assert stored(p, "skole9-skoleleder")["source"] == "transcripts/skoleleder-3.md"
    # A store that recorded absolute paths, copied with its project folder to a new place
    # while the old folder is still there: the copy reads its own files without complaint.
    copy = tmp_path_factory.mktemp("ny") / "kopi"
    p.close()
    shutil.copytree(p.root, copy, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    with sqlite3.connect(copy / "lfa-qual.db") as conn:
        conn.execute("UPDATE transcripts SET source = ? || '/' || source", (str(p.root),))
    code, out, err = run(capsys, "transcripts", "--project", str(copy))
    assert code == 0 and err == "", err
    with Project(copy) as moved:
        assert stored(moved, "skole9-skoleleder")["source"] == "transcripts/skoleleder-3.md"
        assert moved.codings() == [coding]


def test_a_deleted_file_is_reported_and_removed_only_on_request(small_project, capsys):
    p = small_project
    root = str(p.root)
    gone = p.code("skole9-skoleleder", "pit", quote="PIT-teamet")
    history.code(p.store, "skole9-skoleleder", gone.start, gone.end, "mindset", "tester")
    kept_start = p.transcript("skole9-personale").text.index("PIT?")
    kept = history.code(p.store, "skole9-personale", kept_start, kept_start + 3, "pit", "tester")
    set_memo(p.store, "transcript", "skole9-skoleleder", "trukket tilbage?", "tester")
    code, _, err = run(capsys, "remove", "skole9-skoleleder", "--yes", "--project", root)
    assert code == 2 and "still in the transcripts folder" in err
    assert "skole9-skoleleder.md" in err

    (p.transcripts_dir / "skole9-skoleleder.md").unlink()
    code, out, err = run(capsys, "import", "--project", root)
    assert code == 0 and "1 unchanged" in out and "'skole9-skoleleder' is gone" in err
    for argv in (["transcripts"], ["codings", "--format", "csv"]):
        code, out, err = run(capsys, *argv, "--project", root)
        assert code == 0 and "skole9-skoleleder" in out  # never deleted automatically
        assert "the file of transcript 'skole9-skoleleder' is gone" in err
        assert "with its 2 coding(s)" in err and "`lfa-qual remove skole9-skoleleder`" in err

    code, out, err = run(capsys, "remove", "skole9-skoleleder", "--project", root)
    assert code == 2 and "confirm with --yes" in err  # no terminal to ask on
    assert len(p.codings()) == 3
    code, out, err = run(capsys, "remove", "nope", "--yes", "--project", root)
    assert code == 2 and "no interview 'nope'" in err

    code, out, err = run(capsys, "remove", "skole9-skoleleder", "--yes", "--project", root)
    assert code == 0, err
    assert "removed transcript skole9-skoleleder with 2 coding(s)" in out
    [backup] = p.root.glob("lfa-qual.before-remove-*.db")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT count(*) FROM codings").fetchone()[0] == 3
    assert [r.interview for r in p.transcript_rows()] == ["skole9-personale"]
    assert p.codings() == [kept]
    assert p.store.read("SELECT * FROM memos") == []
    assert p.store.read("PRAGMA foreign_key_check") == []
    # The undo history no longer mentions the removed interview; the other coder's work stays.
    labels = [a.label for a in history.actions(p.store)]
    assert labels == [f"pit on skole9-personale {kept.start}..{kept.end}"]
    code, out, err = run(capsys, "transcripts", "--project", root)
    assert code == 0 and err == "" and "skole9-skoleleder" not in out
    assert history.undo(p.store, "tester").label == labels[0]
    assert history.undo(p.store, "tester") is None


def test_remove_is_refused_while_a_renamed_file_would_bring_the_transcript_back(
    small_project, capsys
):
    p = small_project
    p.code("skole9-skoleleder", "pit", quote="PIT-teamet")
    folder = p.transcripts_dir
    (folder / "skole9-skoleleder.md").rename(folder / "sl.md")  # the store still has the old path
    code, _, err = run(capsys, "remove", "skole9-skoleleder", "--yes", "--project", str(p.root))
    assert code == 2 and "the next command would import it again" in err and "sl.md" in err
    assert len(p.codings()) == 1


def test_the_same_text_copied_into_the_folder_after_an_import_from_outside_is_followed(
    small_project, capsys, tmp_path_factory
):
    p = small_project
    root = str(p.root)
    outside = tmp_path_factory.mktemp("ude") / "ekstra.md"
    outside.write_text(CLASH.replace("skole9-skoleleder", "skole9-ekstra"), "utf-8")
    assert run(capsys, "import", str(outside), "--project", root)[0] == 0
    coding = p.code("skole9-ekstra", "pit", quote="Ja")
    shutil.copy(outside, p.transcripts_dir / "ekstra.md")  # both files stay
    code, out, err = run(capsys, "transcripts", "--project", root)
    assert code == 0 and "skole9-ekstra" in out, err
    assert "skole9-ekstra: now read from transcripts/ekstra.md (the same text as" in err
    assert stored(p, "skole9-ekstra")["source"] == "transcripts/ekstra.md"
    assert p.codings(interview="skole9-ekstra") == [coding]
    # Importing the outside copy again changes nothing: the folder's file stays the one read.
    code, out, err = run(capsys, "import", str(outside), "--project", root)
    assert code == 0 and "1 unchanged" in out and err == ""
    assert stored(p, "skole9-ekstra")["source"] == "transcripts/ekstra.md"
