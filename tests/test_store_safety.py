"""Issue 18, items 2 (domain and verify), 3, 9, 12, 13 and 17: the store is never silently
replaced, its messages say what is wrong and what to do, coding numbers survive a restore, and
no write lands on offsets taken from another version of a transcript's text."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run
from safety_helpers import INTERVIEW, insert_interviewer_line, small_disk_available
from test_bad_input import _as_unprivileged

from lfa_qual import history
from lfa_qual.backup import backup, restore
from lfa_qual.codings import StaleText, add_coding
from lfa_qual.project import Project

DATA = Path(__file__).parent / "data"
CLI = [sys.executable, "-c", "import sys; from lfa_qual.cli import main; sys.exit(main())"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    shutil.copytree(DATA / "tui", root)
    with Project(root) as p:
        p.sync()
        p.code(INTERVIEW, "pit", quote="Det er lidt pinligt")
    return root


def _old_mtime(path: Path) -> None:
    os.utime(path, (1_600_000_000, 1_600_000_000))  # not a store another process is creating


# -- item 3: an empty or foreign store file is damaged, not a new store -----------------
@pytest.mark.parametrize(
    "content", [b"", "# Citater\n\n> Vi mødes hver tirsdag.\n".encode()], ids=["empty", "markdown"]
)
def test_an_empty_or_foreign_store_is_damaged_and_the_newest_backup_is_named(
    root: Path, content: bytes, capsys
) -> None:
    db = root / "lfa-qual.db"
    first = backup(db)
    newest = backup(db)
    for side in root.glob("lfa-qual.db-*"):
        side.unlink()
    db.write_bytes(content)
    _old_mtime(db)
    assert run(root, "transcripts") == 2
    err = capsys.readouterr().err
    assert "the project store is damaged" in err
    assert f"lfa-qual restore '{newest.name}'" in err and first.name not in err
    assert db.read_bytes() == content  # left as it was, for the restore to save aside
    assert run(root, "restore", "--yes", str(newest)) == 0
    assert run(root, "codings", "--format", "json") == 0
    assert "Det er lidt pinligt" in capsys.readouterr().out


def test_an_empty_store_without_backups_says_so(root: Path, capsys) -> None:
    db = root / "lfa-qual.db"
    for side in root.glob("lfa-qual.db-*"):
        side.unlink()
    db.write_bytes(b"")
    _old_mtime(db)
    assert run(root, "code", INTERVIEW, "pit", "--quote", "Det er fint") == 2
    err = capsys.readouterr().err
    assert "damaged (the file is empty, 0 bytes)" in err and "none found beside it" in err
    assert db.stat().st_size == 0


# -- item 9: a damaged schema_version, a full disk -------------------------------------
@pytest.mark.parametrize("value", ["'fem'", "''", "'5a'"])
def test_an_empty_or_non_integer_schema_version_is_damaged(root: Path, value, capsys) -> None:
    with sqlite3.connect(root / "lfa-qual.db") as conn:
        conn.execute(f"UPDATE schema_version SET version = {value}")
    assert run(root, "transcripts") == 2
    err = capsys.readouterr().err
    assert "damaged (its schema_version is empty or not a number)" in err
    assert "internal error" not in err
    with sqlite3.connect(root / "lfa-qual.db") as conn:
        conn.execute("DELETE FROM schema_version")
    assert run(root, "transcripts") == 2
    assert "damaged" in capsys.readouterr().err


@pytest.mark.skipif(not small_disk_available(), reason="cannot mount a small tmpfs here")
def test_no_space_left_says_the_disk_is_full(root: Path, tmp_path: Path) -> None:
    """The project on a tmpfs with 0 bytes free: SQLite fails growing its -shm and says only
    "disk I/O error"; the message must be the one the docs promise."""
    disk = tmp_path / "disk"
    disk.mkdir()
    for side in root.glob("lfa-qual.db-*"):
        side.unlink()
    script = f"""
set -e
mount -t tmpfs -o size=400k tmpfs '{disk}'
cp -r '{root}' '{disk}/p'
head -c 1000000 /dev/zero > '{disk}/filler' 2>/dev/null || true
cd '{disk}/p'
"$0" -c 'import sys; from lfa_qual.cli import main; sys.exit(main())' code {INTERVIEW} pit --quote 'Det er fint'
"""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, sys.executable],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 2, proc.stderr
    assert "the disk is full: nothing was written; free some space and try again" in proc.stderr


# -- item 12: coding numbers are not handed out again after a restore -------------------
def test_coding_numbers_are_not_reused_after_restore(root: Path, tmp_path: Path) -> None:
    with Project(root) as p:
        saved = backup(p.db_path, tmp_path / "kopi.db")
        later = [p.code(INTERVIEW, "mindset", quote=q).id for q in ("Det er fint", "Hellere")]
    restore(saved, root / "lfa-qual.db")
    with Project(root) as p:
        assert [c.id for c in p.codings()] == [1]
        new = p.code(INTERVIEW, "tydelighed", quote="læreren venter på en")
        assert new.id > max(later)


# -- item 13: a read-only -shm left behind is named ------------------------------------
@pytest.mark.skipif(
    os.geteuid() == 0 and not shutil.which("setpriv"), reason="root without setpriv"
)
def test_a_read_only_shm_left_behind_is_named_with_what_to_do(root: Path) -> None:
    shm = root / "lfa-qual.db-shm"
    for side in root.glob("lfa-qual.db-*"):
        side.unlink()
    shm.write_bytes(bytes(32768))  # what a read-only session left behind
    shm.chmod(0o444)
    proc = subprocess.run(
        _as_unprivileged([*CLI, "code", INTERVIEW, "mindset", "--quote", "Det er fint"]),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert f"companion file {shm} is read-only" in proc.stderr
    assert "chmod u+w" in proc.stderr and "Traceback" not in proc.stderr


# -- item 17: verify outside a project ---------------------------------------------------
def test_verify_and_backup_outside_a_project_refuse_and_create_nothing(tmp_path, capsys):
    empty = tmp_path / "tom"
    empty.mkdir()
    for command in ("verify", "backup"):
        assert run(empty, command) == 2
        err = capsys.readouterr().err
        assert "not an lfa-qual project (no lfa-qual.yaml here)" in err
        assert "store ok" not in capsys.readouterr().out
    assert list(empty.iterdir()) == []


# -- item 2: offsets from another version of the text are refused ----------------------
def test_a_coding_on_offsets_from_the_old_text_is_refused(root: Path) -> None:
    with Project(root) as p:
        old = p.transcript(INTERVIEW)
        start = old.text.index("jeg hellere")
        insert_interviewer_line(root)
        with Project(root) as other:  # another process re-reads the file
            other.sync()
        with pytest.raises(StaleText, match="has changed since it was shown"):
            add_coding(p.store, INTERVIEW, start, start + 3, "mindset", "a", text_sha256=old.sha256)
        assert [c.code for c in p.codings()] == ["pit"]


def test_undo_does_not_put_a_coding_back_on_moved_text(root: Path) -> None:
    with Project(root) as p:
        coding = p.codings()[0]
        history.uncode(p.store, coding.id, "a")
        insert_interviewer_line(root)
        p.sync()
        with pytest.raises(Exception, match="no longer at those offsets"):
            history.undo(p.store, "a")
        assert p.codings() == []


def test_verify_finds_a_coding_whose_span_no_longer_holds_its_text(root: Path, capsys):
    assert run(root, "verify") == 0
    capsys.readouterr()
    # The text changed without its codings being moved (an older lfa-qual, a hand edit).
    with sqlite3.connect(root / "lfa-qual.db") as conn:
        conn.execute(
            "UPDATE transcripts SET text = replace(text, 'E2: Det er fint.',"
            " 'I: Og hvordan går det?' || char(10) || char(10) || 'E2: Det er fint.')"
        )
    assert run(root, "verify") == 2
    err = capsys.readouterr().err
    assert "no longer holds the text it was coded on ('Det er lidt pinligt'" in err


def test_code_all_hits_and_accept_on_offsets_from_the_old_text_are_refused(root: Path) -> None:
    with Project(root) as p:
        old = p.transcript(INTERVIEW)
        start = old.text.index("læreren venter")
        with p.store.transaction() as conn:
            tid = conn.execute("SELECT id FROM transcripts WHERE interview=?", (INTERVIEW,))
            cur = conn.execute(
                "INSERT INTO suggestions(guid, transcript_id, start, end, code_id, score,"
                " evidence, pipeline, created) VALUES ('S1', ?, ?, ?, 'mindset', 0.5, '[]',"
                " 'test', '2026-01-01')",
                (tid.fetchone()[0], start, start + 14),
            )
        insert_interviewer_line(root)
        with Project(root) as other:
            other.sync()
        spans = [(INTERVIEW, start, start + 7), (INTERVIEW, start + 8, start + 14)]
        with pytest.raises(StaleText):
            history.code_many(p.store, spans, "mindset", "a", {INTERVIEW: old.sha256})
        with pytest.raises(StaleText):
            history.accept(p.store, cur.lastrowid, "a", start, start + 7, old.sha256)
        assert [c.code for c in p.codings()] == ["pit"]
        # With the current text's hash the suggestion (moved by the re-anchoring) is accepted.
        coding = history.accept(
            p.store, cur.lastrowid, "a", text_sha256=p.transcript(INTERVIEW).sha256
        )
        assert p.view(coding).text == "læreren venter"


FILE_SIZE_LIMITED = """
import resource, sys
from lfa_qual.cli import main
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
sys.exit(main(["code", sys.argv[1], "mindset", "--quote", "Det er fint"]))
"""


def test_a_file_size_limit_is_named_instead_of_a_disk_io_error(root: Path) -> None:
    for side in root.glob("lfa-qual.db-*"):
        side.unlink()
    proc = subprocess.run(
        [sys.executable, "-c", FILE_SIZE_LIMITED, INTERVIEW],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "the file size limit of this process (ulimit -f)" in proc.stderr, proc.stderr
    with Project(root) as p:
        assert [c.code for c in p.codings()] == ["pit"]
