"""Issue 18, items 1, 9 and 11: an export never destroys a file. It refuses the project's own
files, asks (--force) before replacing a file that is not an earlier export of ours, and
writes through a temporary file renamed into place, so a full disk leaves the previous file
as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_export_project, run
from safety_helpers import small_disk_available

CLI = [sys.executable, "-c", "import sys; from lfa_qual.cli import main; sys.exit(main())"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    root.mkdir()
    with make_export_project(root) as p:
        p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.")
        p.code("skole2-elev4", "mindset", quote="Der er ro på holdet. Jeg lærer mere der.")
        from lfa_qual.backup import backup

        backup(p.db_path)
    return root


def own_files(root: Path) -> list[Path]:
    backups = sorted(root.glob("lfa-qual.backup-*.db"))
    return [
        root / "lfa-qual.db",
        root / "lfa-qual.yaml",
        root / "codebooks" / "lfa.yaml",
        root / "transcripts" / "skole1-personale.md",
        backups[0],
    ]


COMMANDS = [
    ["export", "quotes", "--format", "md"],
    ["export", "quotes", "--format", "csv"],
    ["export", "quotes", "--format", "xlsx"],
    ["export", "frequencies", "--format", "csv"],
    ["export", "cooccurrence", "--format", "md"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[1:]))
def test_an_export_refuses_the_projects_own_files(root: Path, command, capsys) -> None:
    for path in own_files(root):
        before = path.read_bytes()
        assert run(root, *command, "--out", str(path), "--force") == 2, path
        err = capsys.readouterr().err
        # (--format csv and a transcript's name *.md are refused as a contradiction first.)
        assert "refusing to write an export here" in err or "contradicts the file name" in err
        assert "Traceback" not in err
        assert path.read_bytes() == before
    # The store still works (and has its codings).
    assert run(root, "verify") == 0
    assert "2 codings" in capsys.readouterr().out


def test_the_stores_companions_and_a_new_file_among_the_transcripts_are_refused(
    root: Path, capsys
) -> None:
    for name in ("lfa-qual.db-wal", "lfa-qual.db-shm", "transcripts/ny.md"):
        assert run(root, "export", "quotes", "--format", "md", "--out", str(root / name)) == 2
        assert "refusing to write an export here" in capsys.readouterr().err
    assert not (root / "transcripts" / "ny.md").exists()
    assert run(root, "export", "figures", "--out", str(root / "transcripts")) == 2
    assert "refusing to write an export here" in capsys.readouterr().err
    assert not list((root / "transcripts").glob("*.png"))


def test_a_file_that_is_not_an_earlier_export_needs_force(root: Path, tmp_path, capsys) -> None:
    notes = tmp_path / "noter.md"
    notes.write_text("Mine egne noter\n", encoding="utf-8")
    assert run(root, "export", "quotes", "--out", str(notes)) == 2
    err = capsys.readouterr().err
    assert "not an earlier lfa-qual export" in err and "--force" in err
    assert notes.read_text(encoding="utf-8") == "Mine egne noter\n"
    assert run(root, "export", "quotes", "--out", str(notes), "--force") == 0
    assert "Vi mødes hver tirsdag." in notes.read_text(encoding="utf-8")
    # Now it is an export of ours, unchanged: the next export replaces it without asking.
    assert run(root, "export", "quotes", "--codes", "pit", "--out", str(notes)) == 0
    assert "Der er ro" not in notes.read_text(encoding="utf-8")
    # Edited since (the researcher added a line): asked again.
    with notes.open("a", encoding="utf-8") as f:
        f.write("Min kommentar\n")
    capsys.readouterr()
    assert run(root, "export", "quotes", "--out", str(notes)) == 2
    assert "not an earlier lfa-qual export" in capsys.readouterr().err
    assert notes.read_text(encoding="utf-8").endswith("Min kommentar\n")


def test_figures_ask_before_replacing_a_foreign_file_and_keep_no_temporary_files(
    root: Path, tmp_path, capsys
) -> None:
    folder = tmp_path / "figurer"
    folder.mkdir()
    (folder / "bars.png").write_bytes(b"my own picture")
    assert run(root, "export", "figures", "--out", str(folder)) == 2
    assert (folder / "bars.png").read_bytes() == b"my own picture"
    assert sorted(p.name for p in folder.iterdir()) == ["bars.png"]  # nothing written
    assert run(root, "export", "figures", "--out", str(folder), "--force") == 0
    assert run(root, "export", "figures", "--out", str(folder)) == 0  # ours now
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["bars.png", "bars.svg", "heatmap.png", "heatmap.svg"]


def test_an_export_keeps_the_files_permissions(root: Path, tmp_path) -> None:
    out = tmp_path / "q.md"
    assert run(root, "export", "quotes", "--out", str(out)) == 0
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()
    out.chmod(0o640)
    assert run(root, "export", "quotes", "--out", str(out)) == 0
    assert out.stat().st_mode & 0o777 == 0o640


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_out_dev_full_is_a_clean_disk_full_message(root: Path, capsys) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    for fmt in ("md", "xlsx"):
        assert run(root, "export", "quotes", "--format", fmt, "--out", "/dev/full") == 2
        err = capsys.readouterr().err
        assert "the disk is full" in err and "internal error" not in err


def test_a_missing_folder_gives_one_clean_message(root: Path, tmp_path) -> None:
    """One process exports three formats into a missing folder: each gives one line, and
    nothing else reaches stderr, not even when the interpreter cleans up at exit (where
    openpyxl's half-written workbook printed "Exception ignored … Traceback")."""
    missing = tmp_path / "mangler"
    script = (
        "import sys\nfrom lfa_qual.cli import main\n"
        f"for name in ('q.xlsx', 'q.docx', 'q.md'):\n"
        f"    assert main(['export', 'quotes', '--out', {str(missing)!r} + '/' + name]) == 2\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 3, proc.stderr
    assert all("the folder for the output does not exist" in line for line in lines)


FULL_DISK = """
import hashlib, os, subprocess, sys
from contextlib import redirect_stderr
from io import StringIO
from lfa_qual.cli import main
disk = sys.argv[1]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", disk], check=True)
for fmt in ("md", "csv", "xlsx", "docx"):
    out = os.path.join(disk, "q." + fmt)
    assert main(["export", "quotes", "--out", out]) == 0
    before = hashlib.sha256(open(out, "rb").read()).hexdigest()
    with open(os.path.join(disk, "filler"), "wb") as f:
        try:
            f.write(bytes(400_000))
        except OSError:
            pass
    err = StringIO()
    with redirect_stderr(err):
        status = main(["export", "quotes", "--out", out, "--title", "Ny"])
    after = hashlib.sha256(open(out, "rb").read()).hexdigest()
    listing = sorted(os.listdir(disk))
    print(fmt, status, before == after, ",".join(listing), repr(err.getvalue()))
    os.remove(out)
    os.remove(os.path.join(disk, "filler"))
"""


@pytest.mark.skipif(not small_disk_available(), reason="cannot mount a small tmpfs here")
def test_a_full_disk_leaves_the_previous_export_intact(root: Path, tmp_path) -> None:
    """The output folder is a 200 kB tmpfs (its own mount namespace): a first export fits,
    then a filler leaves a few bytes free and the second export must fail cleanly with the
    first file unchanged and no temporary file left; md, csv, xlsx and docx."""
    disk = tmp_path / "disk"
    disk.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run(
        ["unshare", "-rm", sys.executable, "-c", FULL_DISK, str(disk)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [line.split(" ", 4) for line in proc.stdout.splitlines()]
    assert [r[0] for r in rows] == ["md", "csv", "xlsx", "docx"]
    for fmt, status, intact, listing, err in rows:
        assert status == "2", (fmt, err)
        assert "the disk is full" in err and "Traceback" not in err, (fmt, err)
        assert intact == "True", fmt
        assert listing == f"filler,q.{fmt}", (fmt, listing)  # no temporary file left


LIMITED_XLSX = """
import errno, resource, sys
import pandas as pd
from lfa_qual.export.to_xlsx import write_xlsx
frame = pd.DataFrame({"text": ["Vi mødes hver tirsdag og taler om eleverne. " * 3] * 3000})
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
try:
    write_xlsx(frame, sys.argv[1])
except OSError as exc:
    print(errno.errorcode[exc.errno])
"""


def test_a_full_temporary_folder_while_writing_a_workbook_is_an_os_error(tmp_path) -> None:
    """openpyxl writes each sheet to the temporary folder first; a full disk or a file size
    limit there is an OSError (a clear message at the CLI), not lxml's internal error."""
    proc = subprocess.run(
        [sys.executable, "-c", LIMITED_XLSX, str(tmp_path / "q.xlsx")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout.strip() == "EFBIG", proc.stderr


@pytest.mark.parametrize(
    "command, name",
    [
        (["export", "grid"], "oversigt.docx"),
        (["memos"], "memoer.md"),
        (["export", "qdc"], "kodebog.qdc"),
        (["export", "qdpx"], "projekt.qdpx"),
        (["agreement", "--format", "csv"], "enighed.csv"),
    ],
)
def test_every_other_export_asks_before_replacing_a_foreign_file(
    root: Path, tmp_path: Path, command: list[str], name: str, capsys
) -> None:
    """The grid, memo, REFI-QDA and agreement exports follow the same rule as the quotes."""
    from lfa_qual.project import Project

    with Project(root) as p:  # a second coder, for the agreement table
        p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.", coder="forsker2")
    out = tmp_path / name
    out.write_bytes(b"my own file")
    assert run(root, *command, "--out", str(out)) == 2
    assert "is not an earlier lfa-qual export" in capsys.readouterr().err
    assert out.read_bytes() == b"my own file"
    assert run(root, *command, "--out", str(out), "--force") == 0
    assert out.read_bytes() != b"my own file"
    assert run(root, *command, "--out", str(out)) == 0  # now an earlier export of ours
    assert run(root, *command, "--out", str(root / "lfa-qual.db"), "--force") == 2
