"""Exit statuses and messages of the real `lfa-qual` command, run as a separate process.

2 and one clear message for a user error, 1 and a pointer to the log for an internal error,
130 when interrupted; a traceback only with --debug.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent

# Runs the CLI after replacing one function with a failure, to see what a user sees then.
RUN_WITH_FAULT = r"""
import sys
import lfa_qual.project as project

fault = sys.argv[1]
def broken(self, *a, **k):
    if fault == "bug":
        raise RuntimeError("simulated bug")
    raise KeyboardInterrupt
project.Project.transcript_rows = broken
from lfa_qual.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.fixture
def project_dir(project_dir: Path) -> Path:
    """conftest's empty project folder, with one transcript."""
    shutil.copy(REPO / "transcripts" / "skole1-elev1.md", project_dir / "transcripts")
    return project_dir


def lfa(tmp_path: Path, *argv: str, fault: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    if fault:
        cmd = [sys.executable, "-c", RUN_WITH_FAULT, fault, *argv]
    else:
        cmd = [sys.executable, "-c", "import sys; from lfa_qual.cli import main; sys.exit(main())"]
        cmd += argv
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


USER_ERRORS = [
    (
        ["code", "findes-ikke", "mindset", "--start", "1", "--end", "5"],
        "no transcript 'findes-ikke'",
    ),
    (
        ["code", "skole1-elev1", "ukendt", "--quote", "jeg går på læseholdet"],
        "unknown code 'ukendt'",
    ),
    (["code", "skole1-elev1", "mindset", "--quote", "findes slet ikke"], "quote not found"),
    (["uncode", "999"], "no coding with id 999"),
    (["memo", "coding", "abc"], "a coding is named by its number"),
    (["restore", "ingen.db", "--yes"], "ingen.db: no such backup file"),
    (["review", "--ok", "42"], "no coding with id 42"),
]


@pytest.mark.parametrize(("argv", "message"), USER_ERRORS)
def test_user_errors_exit_2_with_one_line(tmp_path, project_dir, argv, message):
    proc = lfa(tmp_path, *argv, "--project", str(project_dir))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lfa-qual: error: ")
    assert message in lines[0]
    assert "Traceback" not in proc.stderr


def test_bad_arguments_exit_2_with_usage(tmp_path, project_dir):
    proc = lfa(tmp_path, "code", "--start", "x", "--project", str(project_dir))
    assert proc.returncode == 2
    assert "usage:" in proc.stderr and "invalid int value: 'x'" in proc.stderr


def test_damaged_store_and_bad_config_are_user_errors(tmp_path, project_dir):
    (project_dir / "lfa-qual.db").write_bytes(b"\x00garbage" * 1000)
    proc = lfa(tmp_path, "transcripts", "--project", str(project_dir))
    assert proc.returncode == 2
    assert "the project store is damaged or not an lfa-qual store; restore a backup" in proc.stderr
    (project_dir / "lfa-qual.yaml").write_text("coder: [x\n", encoding="utf-8")
    proc = lfa(tmp_path, "transcripts", "--project", str(project_dir))
    assert proc.returncode == 2
    assert "lfa-qual.yaml:2: not valid YAML" in proc.stderr


def test_user_error_with_debug_shows_the_traceback(tmp_path, project_dir):
    proc = lfa(tmp_path, "uncode", "999", "--debug", "--project", str(project_dir))
    assert proc.returncode == 2
    assert "Traceback" in proc.stderr and "no coding with id 999" in proc.stderr


def test_internal_error_exits_1_and_points_to_the_log(tmp_path, project_dir):
    proc = lfa(tmp_path, "transcripts", "--project", str(project_dir), fault="bug")
    assert proc.returncode == 1
    log = tmp_path / "state" / "lfa-qual" / "lfa-qual.log"
    assert proc.stderr.strip() == (
        "lfa-qual: internal error (a bug, not your data). "
        f"Details are in {log}; run with --debug to see them here."
    )
    assert "RuntimeError: simulated bug" in log.read_text(encoding="utf-8")


def test_internal_error_with_debug_shows_the_traceback(tmp_path, project_dir):
    proc = lfa(tmp_path, "transcripts", "--debug", "--project", str(project_dir), fault="bug")
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "RuntimeError: simulated bug" in proc.stderr


def test_interrupt_exits_130_and_says_what_was_saved(tmp_path, project_dir):
    proc = lfa(tmp_path, "transcripts", "--project", str(project_dir), fault="interrupt")
    assert proc.returncode == 130
    assert "every action reported done was saved" in proc.stderr
    assert "Traceback" not in proc.stderr
