"""Coding and suggestion ids are never handed out twice, and older stores migrate to that."""

from __future__ import annotations

import shutil
import sqlite3

from lfa_qual import history
from lfa_qual import store as store_module
from lfa_qual.project import Project
from lfa_qual.store import new_guid, now


def test_a_removed_codings_id_is_not_given_to_the_next_coding(small_project):
    p = small_project
    first = p.code("skole9-skoleleder", "pit", quote="PIT-teamet")
    second = p.code("skole9-skoleleder", "mindset", quote="Vi flytter blikket fra barnet")
    p.uncode(second.id)
    third = p.code("skole9-skoleleder", "mindset", quote="klassefællesskabet")
    assert third.id not in (first.id, second.id)
    # Also across a restart, and when every coding was removed.
    p.uncode(third.id)
    p.uncode(first.id)
    root = p.root
    p.close()
    with Project(root) as again:
        fourth = again.code("skole9-skoleleder", "pit", quote="PIT-teamet")
        assert fourth.id > third.id


def _suggestion(project: Project, interview: str, start: int, end: int, code: str) -> int:
    with project.store.transaction() as conn:
        tid = conn.execute(
            "SELECT id FROM transcripts WHERE interview = ?", (interview,)
        ).fetchone()[0]
        cur = conn.execute(
            "INSERT INTO suggestions(guid, transcript_id, start, end, code_id, score, evidence,"
            " pipeline, created) VALUES (?,?,?,?,?,?,?,?,?)",
            (new_guid(), tid, start, end, code, 0.9, "[]", "test", now()),
        )
    return int(cur.lastrowid)


def test_a_suggestion_id_is_not_reused_after_a_new_run(small_project):
    p = small_project
    first = _suggestion(p, "skole9-skoleleder", 10, 20, "pit")
    with p.store.transaction() as conn:
        conn.execute("DELETE FROM suggestions WHERE id = ?", (first,))
    assert _suggestion(p, "skole9-skoleleder", 10, 20, "pit") != first


def test_a_schema_2_store_migrates_with_its_codings_links_and_history(
    tmp_path, data_dir, monkeypatch
):
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "codebooks").mkdir()
    shutil.copy(data_dir / "formats" / "skole9-skoleleder.md", tmp_path / "transcripts" / "a.md")
    shutil.copy(data_dir / "codebooks" / "small.yaml", tmp_path / "codebooks" / "lfa.yaml")
    (tmp_path / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:2])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    with Project(tmp_path) as old:
        old.sync()
        # Today's domain code writes each coding's text, a column added later (issue 18): the
        # simulated old store gets it too. The rebuild of migration 3 drops it again, and the
        # migration that adds it fills it in from the spans.
        old.store.conn.execute("ALTER TABLE codings ADD COLUMN coded_text TEXT")
        text = old.transcript("skole9-skoleleder").text
        s = text.index("PIT-teamet")
        kept = history.code(old.store, "skole9-skoleleder", s, s + 10, "pit", "tester")
        s2 = text.index("Vi flytter blikket")
        gone = history.code(old.store, "skole9-skoleleder", s2, s2 + 18, "mindset", "tester")
        history.set_memo(old.store, kept.id, "vigtig", "tester")
        sug = _suggestion(old, "skole9-skoleleder", s, s + 10, "pit")
        with old.store.transaction() as conn:
            conn.execute(
                "UPDATE suggestions SET status='accepted', coding_id=? WHERE id=?", (kept.id, sug)
            )
        history.uncode(old.store, gone.id, "tester")
        assert old.store.version == 2
    monkeypatch.undo()

    with Project(tmp_path) as new:
        assert new.store.version == store_module.SCHEMA_VERSION
        assert new.store.read_one("PRAGMA foreign_keys")[0] == 1
        [coding] = new.codings()
        assert (coding.id, coding.guid, coding.memo) == (kept.id, kept.guid, "vigtig")
        assert coding.coded_text == "PIT-teamet"
        row = new.store.read_one("SELECT coding_id, status FROM suggestions WHERE id = ?", (sug,))
        assert (row["coding_id"], row["status"]) == (kept.id, "accepted")
        assert new.store.integrity_ok()
        assert new.store.read("PRAGMA foreign_key_check") == []
        # The history came along: undoing the removal puts the coding back under its old id
        # (same guid), and a new coding gets a fresh id.
        assert history.undo(new.store, "tester").kind == "uncode"
        assert {c.guid: c.id for c in new.codings()} == {kept.guid: kept.id, gone.guid: gone.id}
        s3 = text.index("klassefællesskabet")
        fresh = new.code("skole9-skoleleder", "mindset", start=s3, end=s3 + 18)
        ids = [c.id for c in new.codings()]
        assert len(set(ids)) == len(ids) == 3 and fresh.id > max(kept.id, gone.id)
        # Deleting a coding still unlinks its suggestion (the foreign keys work again).
        new.uncode(kept.id)
        row = new.store.read_one("SELECT coding_id FROM suggestions WHERE id = ?", (sug,))
        assert row["coding_id"] is None
    backups = list(tmp_path.glob("lfa-qual.pre-migration-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == 2
