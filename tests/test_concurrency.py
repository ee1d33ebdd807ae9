"""Concurrent use: two processes writing to one project lose nothing; a stuck lock is explained."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lfa_qual import store as store_module
from lfa_qual.cli import main
from lfa_qual.errors import StoreError
from lfa_qual.project import Project

REPO = Path(__file__).parent.parent
N = 60

# Each writer waits for "go" on stdin so that both start writing at the same moment. Writer 0
# codes passages; writer 1 codes others and also writes memos and re-syncs the project, like a
# batch job next to an interactive session.
WRITER = r"""
import sys
from lfa_qual.codings import set_memo
from lfa_qual.project import Project

root, who, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
project = Project(root, coder=f"writer{who}")
text = project.transcript("skole1-elev1").text
starts = [s for s in range(400, len(text) - 12) if not text[s].isspace() and not text[s + 9].isspace()]
print("ready", flush=True)
sys.stdin.readline()
for i in range(n):
    start = starts[2 * i + who]
    project.code("skole1-elev1", "mindset", start=start, end=start + 10)
    if who == 1:
        set_memo(project.store, "transcript", f"memo-{i}", f"note {i}", project.coder)
        if i % 10 == 0:
            project.sync()
print("done", flush=True)
"""


def make_project(root: Path, names=("skole1-elev1",)) -> Path:
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    for name in names:
        shutil.copy(REPO / "transcripts" / f"{name}.md", root / "transcripts")
    (root / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    return root


def start_writers(root: Path, n: int) -> list[subprocess.Popen]:
    """Two WRITER processes coding `n` passages each, ready and waiting for `release`."""
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), str(who), str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in (0, 1)
    ]
    for w in writers:
        assert w.stdout.readline().strip() == "ready", w.stderr.read()
    return writers


def release(writers: list[subprocess.Popen]) -> None:
    """Let the writers start at the same moment."""
    for w in writers:
        w.stdin.write("go\n")
        w.stdin.flush()


def test_two_writers_at_once_lose_no_row(tmp_path: Path):
    root = make_project(tmp_path / "projekt")
    with Project(root) as project:
        project.sync()
    writers = start_writers(root, N)
    release(writers)
    for w in writers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
        assert out.strip().endswith("done")
    with Project(root) as project:
        counts = {
            r["coder"]: r["n"]
            for r in project.store.read("SELECT coder, count(*) AS n FROM codings GROUP BY coder")
        }
        assert counts == {"writer0": N, "writer1": N}
        memos = project.store.read_one("SELECT count(*) AS n FROM memos")["n"]
        assert memos == N
        assert project.store.integrity_ok()


@pytest.mark.parametrize("attempt", range(4))  # a race: one attempt failed about 1 in 10
def test_two_processes_creating_one_new_store_at_once(tmp_path: Path, attempt: int):
    """Both open (and migrate) a store that does not exist yet; neither fails."""
    root = make_project(tmp_path / "projekt")
    script = "import sys; from lfa_qual.project import Project; Project(sys.argv[1]).sync()"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(root)], stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    with Project(root) as project:
        assert project.store.version == store_module.SCHEMA_VERSION
        assert len(project.transcript_rows()) == 1
    # The one that found the store half made did not back up the empty store.
    assert not list(root.glob("*.pre-migration-*.db"))


@pytest.fixture
def locked(tmp_path: Path, monkeypatch):
    """A project whose store another connection holds a write lock on; a short busy timeout."""
    root = make_project(tmp_path / "projekt")
    with Project(root) as project:
        project.sync()
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.3)
    other = sqlite3.connect(root / "lfa-qual.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield root
    other.execute("ROLLBACK")
    other.close()


def test_a_store_that_stays_locked_gives_a_clear_error(locked: Path):
    with Project(locked) as project:
        # Reading still works while someone else writes (WAL).
        assert len(project.transcript_rows()) == 1
        with pytest.raises(StoreError, match="busy: another lfa-qual process kept it locked"):
            project.code("skole1-elev1", "mindset", start=500, end=520)
        assert project.codings() == []


def test_cli_reports_a_locked_store_with_exit_status_2(locked: Path, capsys):
    status = main(
        [
            "code",
            "--project",
            str(locked),
            "skole1-elev1",
            "mindset",
            "--start",
            "500",
            "--end",
            "520",
        ]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert "the project store is busy" in err and "try again" in err
    assert "Traceback" not in err
