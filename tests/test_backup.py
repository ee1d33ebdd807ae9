"""Backups (SQLite online backup API), automatic backups before a migration, and restore."""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

import pytest

from lfa_qual import store as store_module
from lfa_qual.backup import backup, inspect, list_backups, restore
from lfa_qual.cli import main
from lfa_qual.errors import LfaError, StoreError
from lfa_qual.project import Project

REPO = Path(__file__).parent.parent


@pytest.fixture
def project(tmp_path: Path):
    root = tmp_path / "projekt"
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    shutil.copy(REPO / "transcripts" / "skole1-elev1.md", root / "transcripts")
    (root / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    with Project(root) as p:
        p.sync()
        p.code("skole1-elev1", "hold_vs_klasse", quote="jeg går på læseholdet")
        yield p


def codings(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM codings").fetchone()[0]


def test_backup_is_a_consistent_copy_while_another_writer_is_mid_transaction(project, tmp_path):
    # Another process has begun writing but not committed: the backup holds only committed work.
    other = sqlite3.connect(project.db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM codings")
    out = backup(project.db_path, tmp_path / "kopi.db")
    other.execute("ROLLBACK")
    other.close()
    info = inspect(out)
    assert (info.transcripts, info.codings, info.needs_review) == (1, 1, 0)
    assert info.schema_version == store_module.SCHEMA_VERSION
    with sqlite3.connect(out) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_refuses_to_overwrite_and_names_missing_folders(project, tmp_path):
    out = backup(project.db_path, tmp_path / "kopi.db")
    with pytest.raises(LfaError, match="exists already"):
        backup(project.db_path, out)
    with pytest.raises(LfaError, match="folder for the backup does not exist"):
        backup(project.db_path, tmp_path / "mangler" / "kopi.db")


def test_default_backup_names_are_unique_within_a_second(project):
    first = backup(project.db_path)
    second = backup(project.db_path)
    assert first != second
    assert list_backups(project.db_path) == [first, second]


def test_restore_brings_back_the_backup_and_saves_the_current_store(project, tmp_path):
    saved = backup(project.db_path, tmp_path / "kopi.db")
    project.code("skole1-elev1", "mindset", quote="det er meget godt")
    assert codings(project.db_path) == 2
    safety = restore(saved, project.db_path)
    assert codings(project.db_path) == 1
    assert safety is not None and codings(safety) == 2
    # The open project sees the restored content.
    assert [c.code for c in project.codings()] == ["hold_vs_klasse"]


def test_restore_refuses_files_that_are_not_stores(project, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a readable lfa-qual store or backup"):
        restore(junk, project.db_path)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x(y)").connection.close()
    with pytest.raises(StoreError, match="not a valid lfa-qual store or backup"):
        restore(other, project.db_path)
    assert codings(project.db_path) == 1


def test_a_backup_is_made_before_a_schema_migration(project, monkeypatch):
    db = project.db_path
    project.close()
    migration = "CREATE TABLE future_feature(x INTEGER)"
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, migration])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", store_module.SCHEMA_VERSION + 1)
    with Project(db.parent) as upgraded:
        assert upgraded.store.version == store_module.SCHEMA_VERSION
    (pre,) = db.parent.glob("lfa-qual.pre-migration-*.db")
    info = inspect(pre)
    assert info.schema_version == store_module.SCHEMA_VERSION - 1
    assert info.codings == 1


def test_a_new_store_needs_no_migration_backup(tmp_path):
    (tmp_path / "lfa-qual.yaml").write_text("coder: x\n", encoding="utf-8")
    with Project(tmp_path) as p:
        assert p.store.version == store_module.SCHEMA_VERSION
    assert not list(tmp_path.glob("*.pre-migration-*.db"))


def test_a_store_from_a_newer_lfa_qual_is_refused(project):
    with project.store.transaction() as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    project.close()
    with pytest.raises(StoreError, match="newer than this lfa-qual"):
        _ = Project(project.root).store


def test_cli_backup_list_and_restore_with_confirmation(project, capsys, monkeypatch):
    root = str(project.root)
    project.close()
    assert main(["backup", "--project", root]) == 0
    out = capsys.readouterr().out
    assert "backed up to:" in out and "1 transcripts, 1 codings, 0 need review" in out
    (made,) = list_backups(project.db_path)
    with Project(root) as p:
        p.code("skole1-elev1", "mindset", quote="det er meget godt")

    # Not a terminal and no --yes: refused, nothing changed.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["restore", "--project", root, str(made)]) == 2
    assert "confirm with --yes" in capsys.readouterr().err
    assert codings(project.db_path) == 2

    # At a terminal, "n" keeps the store; "ja" restores.
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty("n\n"))
    assert main(["restore", "--project", root, str(made)]) == 0
    assert "nothing restored" in capsys.readouterr().out
    assert codings(project.db_path) == 2
    monkeypatch.setattr("sys.stdin", Tty("ja\n"))
    assert main(["restore", "--project", root, str(made)]) == 0
    out = capsys.readouterr().out
    assert "the previous store was saved to" in out and "restored" in out
    assert codings(project.db_path) == 1

    assert main(["restore", "--project", root, "--yes", str(made)]) == 0
    capsys.readouterr()
    assert main(["backup", "--project", root, "--list"]) == 0
    listing = capsys.readouterr().out
    assert listing.count("before-restore") == 2
    assert main(["restore", "--project", root, "--yes", root + "/findes-ikke.db"]) == 2
    assert "no such backup file" in capsys.readouterr().err


def test_a_damaged_store_can_be_restored(project, tmp_path, capsys):
    saved = backup(project.db_path, tmp_path / "kopi.db")
    root = str(project.root)
    project.close()
    for side in project.root.glob("lfa-qual.db-*"):
        side.unlink()
    project.db_path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    assert main(["transcripts", "--project", root]) == 2
    assert "the project store is damaged or not an lfa-qual store; restore a backup" in (
        capsys.readouterr().err
    )
    assert main(["restore", "--project", root, "--yes", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "current:" in out and "not a readable lfa-qual store" in out
    (damaged,) = project.root.glob("lfa-qual.before-restore-damaged-*.db")
    assert damaged.read_bytes().startswith(b"SQLite format 3")
    assert main(["verify", "--project", root]) == 0
    assert codings(project.db_path) == 1
    capsys.readouterr()
    assert main(["backup", "--list", "--project", root]) == 0
    assert "before-restore-damaged" in capsys.readouterr().out


def test_automatic_backups_before_reanchoring_keep_the_newest_ten(project):
    path = project.transcripts_dir / "skole1-elev1.md"
    original = path.read_text(encoding="utf-8")
    for i in range(12):
        path.write_text(
            original.replace("[side 1]", f"[side 1]\n\n# rettelse {i}"), encoding="utf-8"
        )
        project.sync()
    kept = list(project.root.glob("lfa-qual.pre-reanchor-*.db"))
    assert len(kept) == 10
    assert all(inspect(p).codings == 1 for p in kept)
