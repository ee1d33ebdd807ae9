"""Concrete bad files and bad situations, each with the message a user sees.

Each row runs the real command (`lfa-qual import FILE` or `lfa-qual codebook check FILE`) and
checks the exit status and the text on stderr. Large files are generated in tmp_path.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lfa_qual import store as store_module
from lfa_qual.cli import main
from lfa_qual.errors import StoreError
from lfa_qual.project import Project

BAD = Path(__file__).parent / "data" / "bad"
REPO = Path(__file__).parent.parent

# (file in tests/data/bad, exit status, what stderr says, what stdout says)
TRANSCRIPT_CASES = [
    ("binary.md", 2, "binary.md:1: binary file, not a text transcript", ""),
    ("empty.md", 2, "empty.md:1: empty transcript: the file has no text", ""),
    ("blank.md", 2, "blank.md:1: empty transcript: the file has no text", ""),
    ("no-front-matter.md", 2, "no-front-matter.md:1: no front matter: the file must start", ""),
    ("bad-date.md", 2, "bad-date.md:4 [date]: bad date '2021-13': write YYYY-MM or YYYY-MM-DD", ""),
    (
        "impossible-date.md",
        2,
        "impossible-date.md:4 [date]: bad date '2021-06-31': juni 2021 has no day 31",
        "",
    ),
    (
        "undeclared-label.md",
        2,
        "undeclared-label.md:15: speaker label 'E4' is not declared under 'speakers'",
        "",
    ),
    (
        "mistyped-label.md",
        2,
        "mistyped-label.md:13: 'Sl:' looks like a mistyped speaker label; did you mean 'SL:'?",
        "",
    ),
    (
        "tabs-in-header.md",
        2,
        "tabs-in-header.md:8: front matter: not valid YAML: a tab character where YAML needs "
        "spaces (indent with spaces, not tabs)",
        "",
    ),
    (
        "alias-bomb.md",
        2,
        "alias-bomb.md:5: front matter: YAML aliases (*name) are not allowed here",
        "",
    ),
    ("deep-yaml.md", 2, "deep-yaml.md:4: front matter: nested deeper than 40 levels", ""),
    ("crlf.md", 0, "", "imported 1 new"),
    ("mixed-newlines.md", 0, "", "imported 1 new"),
    ("tabs-in-text.md", 0, "", "imported 1 new"),
    ("bom.md", 0, "", "imported 1 new"),
    ("utf16.md", 0, "", "imported 1 new"),
    ("cp1252.md", 0, "cp1252.md: not UTF-8, read as cp1252", "imported 1 new"),
    ("zero-width.md", 0, "zero-width.md: removed 3 invisible or control character(s)", "imported"),
    ("control.md", 0, "control.md: removed 2 invisible or control character(s)", "imported"),
]

CODEBOOK_CASES = [
    (
        "codebook-missing-parent.yaml",
        "codebook-missing-parent.yaml:8: 'parent: pit_team' is not used: put the code in the "
        "'children' list of its parent code",
    ),
    (
        "codebook-alias-bomb.yaml",
        "codebook-alias-bomb.yaml:4: YAML aliases (*name) are not allowed",
    ),
    ("codebook-deep.yaml", "codebook-deep.yaml:61: nested deeper than 40 levels"),
    # A date-like value is text to the YAML loader: an impossible date is no internal error.
    ("codebook-impossible-date.yaml", "codebook-impossible-date.yaml:3: unknown key 'created'"),
]

EXPECTED_TEXT = {
    # What the stored text says where the file was odd: normalised, nothing invisible left.
    "crlf.md": "E3: Det er godt. Der er mere ro, og så lærer jeg mere.",
    "mixed-newlines.md": "E3: Det er godt. Der er mere ro, og så lærer jeg mere.",
    "tabs-in-text.md": "E3:\tDet\ter godt.",
    "bom.md": "E3: Det er godt.",
    "utf16.md": "Der er mere ro på Ærø",
    "cp1252.md": "især når vi får æbler og øl på Ærø",
    "zero-width.md": "E3: Det er godt. Der er mere ro",
    "control.md": "Der er mere [2Jro",
}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(("name", "status", "err", "out"), TRANSCRIPT_CASES)
def test_bad_transcript_files(project_dir: Path, capsys, name, status, err, out):
    got, stdout, stderr = run(capsys, "import", "--project", str(project_dir), str(BAD / name))
    assert got == status, stderr
    assert err in stderr
    assert out in stdout
    assert "Traceback" not in stderr
    if status == 2:
        assert len(stderr.strip().splitlines()) == 1, "one clear message"
        with Project(project_dir) as project:
            assert project.transcript_rows() == [], "nothing half-imported"
    else:
        with Project(project_dir) as project:
            (row,) = project.transcript_rows()
            text = project.transcript(row.interview).text
            assert EXPECTED_TEXT[name] in text
            assert not any(ch in text for ch in "\r\x1b\x07\u200b\u2060\ufeff")


@pytest.mark.parametrize(("name", "err"), CODEBOOK_CASES)
def test_bad_codebook_files(capsys, name, err):
    status, _, stderr = run(capsys, "codebook", "check", str(BAD / name))
    assert status == 2
    assert err in stderr
    assert "Traceback" not in stderr


def test_a_bad_file_in_the_folder_is_reported_and_every_command_goes_on(project_dir: Path, capsys):
    # Before: one bad transcript stopped every command with exit status 2.
    shutil.copy(REPO / "transcripts" / "skole1-elev1.md", project_dir / "transcripts")
    shutil.copy(BAD / "impossible-date.md", project_dir / "transcripts")
    for command in (["transcripts"], ["export", "quotes"], ["codings"]):
        status, _, err = run(capsys, *command, "--project", str(project_dir))
        assert status == 0, (command, err)
        assert "lfa-qual: warning: " in err and "impossible-date.md not imported (1 problem)" in err
        assert "impossible-date.md:4 [date]: bad date '2021-06-31'" in err
        assert "internal error" not in err and "Traceback" not in err
    status, out, _ = run(capsys, "transcripts", "--project", str(project_dir), "--format", "csv")
    assert "skole1-elev1" in out and "impossible" not in out


def test_yaml_values_that_cannot_be_constructed_name_their_line(project_dir: Path, capsys):
    src = (BAD / "bad-date.md").read_text("utf-8")
    (project_dir / "transcripts" / "tagged.md").write_text(
        src.replace("date: 2021-13", "date: !!timestamp 2021-02-30"), "utf-8"
    )
    status, _, err = run(capsys, "import", "--project", str(project_dir))
    assert status == 2
    assert "tagged.md:4 [date]: bad date '2021-02-30'" in err
    (project_dir / "transcripts" / "tagged.md").write_text(
        src.replace("date: 2021-13", "date: 2021-06\nkind: !!int abc"), "utf-8"
    )
    status, _, err = run(capsys, "transcripts", "--project", str(project_dir))
    assert status == 0
    assert "tagged.md:5: front matter: cannot read the value 'abc' as int" in err


def test_import_reports_every_problem_of_every_file_and_imports_the_good_ones(
    project_dir: Path, capsys
):
    folder = project_dir / "transcripts"
    shutil.copy(REPO / "transcripts" / "skole1-elev1.md", folder)
    shutil.copy(BAD / "impossible-date.md", folder)
    good = (REPO / "transcripts" / "skole1-skoleleder.md").read_text("utf-8")
    lines = good.split("\n")
    turns = [i for i, line in enumerate(lines) if line.startswith("SL:")]
    for i in turns[:2]:
        lines[i] = "Sl;" + lines[i][3:]
    (folder / "labels.md").write_text("\n".join(lines), "utf-8")
    status, out, err = run(capsys, "import", "--project", str(project_dir))
    assert status == 2
    assert "imported 1 new" in out
    assert "lfa-qual: error: " in err and "labels.md not imported (2 problems)" in err
    for i in turns[:2]:
        assert f"labels.md:{i + 1}: 'Sl;' looks like a mistyped speaker label" in err
    assert "impossible-date.md not imported (1 problem)" in err
    assert "2 files were not imported" in err
    with Project(project_dir) as project:
        # Nothing of a bad file is stored, not even the good part of it.
        assert [r.interview for r in project.transcript_rows()] == ["skole1-elev1"]


def test_crlf_and_lf_files_give_the_same_text_and_offsets(tmp_path: Path):
    from lfa_qual.readers import read_transcript

    lf = tmp_path / "lf.md"
    lf.write_bytes((BAD / "crlf.md").read_bytes().replace(b"\r\n", b"\n"))
    a, b = read_transcript(BAD / "crlf.md"), read_transcript(lf)
    assert a.text == b.text
    assert a.turns == b.turns


def test_a_20_mb_file_with_one_line(project_dir: Path, capsys):
    big = project_dir / "transcripts" / "en-linje.md"
    big.write_bytes(b"Interviewer: " + b"og s\xc3\xa5 videre " * 1_500_000)  # ~21 MB, no newline
    assert big.stat().st_size > 20_000_000
    t0 = time.perf_counter()
    status, _, err = run(capsys, "import", "--project", str(project_dir), str(big))
    assert status == 2
    assert "en-linje.md:1: no front matter" in err
    elapsed = time.perf_counter() - t0
    print(f"20 MB one-line file refused in {elapsed:.2f} s")


def test_a_20_mb_turn_on_one_line_imports(project_dir: Path, capsys):
    header = "---\nschool: Skole 1\ndate: 2021-06\nspeakers:\n  E1: {role: Elev 1}\n---\n"
    big = project_dir / "transcripts" / "lang-tur.md"
    big.write_text(header + "E1: " + "jeg læser langsomt, " * 1_000_000, encoding="utf-8")
    status, out, err = run(capsys, "import", "--project", str(project_dir), str(big))
    assert status == 0, err
    with Project(project_dir) as project:
        (row,) = project.transcript_rows()
        assert row.words == 3_000_000


def test_a_file_over_the_size_limit(project_dir: Path, capsys):
    huge = project_dir / "transcripts" / "kaempe.md"
    with huge.open("wb") as f:
        f.truncate(60_000_000)  # sparse: nothing is written to disk
    status, _, err = run(capsys, "import", "--project", str(project_dir), str(huge))
    assert status == 2
    assert "kaempe.md: file is 60.000.000 bytes; the limit is 50.000.000" in err


def test_coding_offsets_outside_the_text(project_dir: Path, capsys):
    shutil.copy(BAD / "crlf.md", project_dir / "transcripts")
    args = ["code", "--project", str(project_dir), "crlf", "mindset"]
    status, _, err = run(capsys, *args, "--start", "200", "--end", "99999")
    assert status == 2
    assert "offsets 200..99999 fall outside the text of 'crlf'" in err
    status, _, err = run(capsys, *args, "--start", "-5", "--end", "10")
    assert status == 2 and "fall outside the text" in err


def test_a_stored_coding_outside_its_text_is_reported_not_a_crash(project_dir: Path, capsys):
    shutil.copy(BAD / "crlf.md", project_dir / "transcripts")
    with Project(project_dir) as project:
        project.sync()
        coding = project.code("crlf", "mindset", quote="Der er mere ro")
        # A store edited by hand (or by another tool) with offsets past the end of the text.
        with project.store.transaction() as conn:
            conn.execute("UPDATE codings SET start = 5000, end = 5100 WHERE id = ?", (coding.id,))
    status, out, err = run(capsys, "verify", "--project", str(project_dir))
    assert status == 2
    assert f"coding {coding.id} in crlf lies outside its text" in err
    status, out, err = run(capsys, "codings", "--project", str(project_dir), "--format", "json")
    assert status == 0 and "Traceback" not in err


def _as_unprivileged(cmd: list[str]) -> list[str]:
    """Root ignores file permissions; drop that privilege so the folder really is read-only."""
    if os.geteuid() == 0 and shutil.which("setpriv"):
        return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--", *cmd]
    return cmd


@pytest.mark.skipif(
    os.geteuid() == 0 and not shutil.which("setpriv"), reason="root without setpriv"
)
def test_read_only_project_folder(project_dir: Path):
    shutil.copy(BAD / "crlf.md", project_dir / "transcripts")
    with Project(project_dir) as project:
        project.sync()
    paths = [project_dir, *project_dir.rglob("*")]
    for p in paths:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        cli = [sys.executable, "-c", "import sys; from lfa_qual.cli import main; sys.exit(main())"]
        for command in (["transcripts"], ["code", "crlf", "mindset", "--quote", "mere ro"]):
            proc = subprocess.run(
                _as_unprivileged([*cli, *command, "--project", str(project_dir)]),
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert proc.returncode == 2, proc.stderr
            assert "the project store is read-only: check the folder's and file's permissions" in (
                proc.stderr
            )
            assert "Traceback" not in proc.stderr
    finally:
        for p in paths:
            p.chmod(0o755 if p.is_dir() else 0o644)


def _fill_the_disk(project: Project) -> None:
    """SQLite's own limit on the file size: writes past it fail exactly as on a full disk."""
    pages = project.store.read_one("PRAGMA page_count")[0]
    project.store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")


def test_disk_full_while_coding(project_dir: Path):
    shutil.copy(BAD / "crlf.md", project_dir / "transcripts")
    with Project(project_dir) as project:
        project.sync()
        project.code("crlf", "mindset", quote="Der er mere ro")
        _fill_the_disk(project)
        with pytest.raises(StoreError, match="the disk is full: nothing was written"):
            project.code("crlf", "pit", quote="så lærer jeg mere", memo="x" * 200_000)
        assert [c.code for c in project.codings()] == ["mindset"]
        assert project.store.integrity_ok()


def test_disk_full_while_importing_imports_nothing(project_dir: Path, monkeypatch, capsys):
    for name in ("skole1-elev1.md", "skole2-personale.md", "skole3-skoleleder.md"):
        shutil.copy(REPO / "transcripts" / name, project_dir / "transcripts")
    with Project(project_dir) as project:
        project.sync_codebook()
    real_init = store_module.Store.__init__

    def full_disk_store(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages + 3}")

    monkeypatch.setattr(store_module.Store, "__init__", full_disk_store)
    status, _, err = run(capsys, "import", "--project", str(project_dir))
    assert status == 2
    assert "the disk is full: nothing was written; free some space and try again" in err
    monkeypatch.undo()
    with sqlite3.connect(project_dir / "lfa-qual.db") as conn:
        assert conn.execute("SELECT count(*) FROM transcripts").fetchone()[0] == 0
