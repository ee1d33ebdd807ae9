"""`lfa-qual merge OTHER`: blind coders' projects merged by text, idempotent, order-independent,
the other project never modified."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from team_data import code_a_and_b, make_team_project

from lfa_qual import store as store_module
from lfa_qual.cli import main
from lfa_qual.errors import LfaError
from lfa_qual.merge import merge_project
from lfa_qual.project import Project


def coder_project(root: Path, coder: str, seed: int) -> Project:
    """The generated project (same transcripts every time) coded by `coder` alone."""
    project = make_team_project(root)
    code_a_and_b(project, seed=seed)
    # Keep only one coder's work, renamed: as if `coder` had coded blind in their own copy.
    with project.store.transaction() as conn:
        conn.execute("DELETE FROM codings WHERE coder != 'A'")
        conn.execute("UPDATE codings SET coder = ?, memo = ?", (coder, f"note by {coder}"))
    return project


def codings_of(project: Project) -> set[tuple]:
    return {
        (c.guid, c.interview, c.start, c.end, c.code, c.coder, c.created, c.memo, c.status)
        for c in project.codings()
    }


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def three(tmp_path: Path):
    projects = [coder_project(tmp_path / n, n, seed) for n, seed in (("A", 1), ("B", 2), ("C", 3))]
    yield projects
    for p in projects:
        p.close()


def test_merge_keeps_coder_guid_memo_and_time_and_is_idempotent(three) -> None:
    a, b, _ = three
    before_b = codings_of(b)
    other_db = digest(b.db_path)
    report = merge_project(a, b.root)
    assert report.codings_added == len(before_b) and report.by_coder == {"B": len(before_b)}
    assert before_b <= codings_of(a)
    assert report.backup is not None and report.backup.exists()
    again = merge_project(a, b.root)
    assert again.codings_added == 0 and again.codings_present == len(before_b)
    assert digest(b.db_path) == other_db and codings_of(b) == before_b


def test_merge_order_does_not_matter(tmp_path: Path, three) -> None:
    a, b, c = three
    # A second copy of A's project, to merge in the other order.
    a.close()
    shutil.copytree(a.root, tmp_path / "A-copy")
    first, second = Project(a.root), Project(tmp_path / "A-copy")
    merge_project(first, b.root)
    merge_project(first, c.root)
    merge_project(second, c.root)
    merge_project(second, b.root)
    assert codings_of(first) == codings_of(second)
    assert {x[5] for x in codings_of(first)} == {"A", "B", "C"}
    first.close()
    second.close()


def test_dry_run_changes_nothing(three, capsys) -> None:
    a, b, _ = three
    before = codings_of(a)
    assert main(["merge", "--project", str(a.root), str(b.root), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run" in out and f"codings: {len(codings_of(b))} would add (B " in out
    assert codings_of(a) == before


def test_a_transcript_edited_on_one_side_is_reanchored_and_nothing_lost(three) -> None:
    a, b, _ = three
    interview = "skole1-personale"
    path = b.transcripts_dir / f"{interview}.md"
    text = path.read_text(encoding="utf-8")
    first_l = text.index("\nL: ") + 4
    path.write_text(text[:first_l] + "Ja, altså. " + text[first_l:], encoding="utf-8")
    b.sync()  # B's own codings follow B's edit
    theirs = [c for c in b.codings() if c.interview == interview]
    report = merge_project(a, b.root)
    assert interview in report.reanchored
    merged = [c for c in a.codings(coder="B") if c.interview == interview]
    assert len(merged) == len(theirs)
    ours_text = a.transcript(interview).text
    for c, t in zip(
        sorted(merged, key=lambda c: c.guid), sorted(theirs, key=lambda c: c.guid), strict=True
    ):
        if c.status == "ok":  # moved: the same words at our offsets
            assert ours_text[c.start : c.end] == b.transcript(interview).text[t.start : t.end]


def test_a_transcript_we_lack_is_added(three) -> None:
    a, b, _ = three
    extra = (b.transcripts_dir / "skole1-personale.md").read_text(encoding="utf-8")
    extra = extra.replace("skole1-personale", "skole7-personale").replace("Skole 1", "Skole 3")
    (b.transcripts_dir / "skole7-personale.md").write_text(extra, encoding="utf-8")
    b.sync()
    s = b.transcript("skole7-personale").turns[1].paragraphs[0].start
    b.code("skole7-personale", "pit", start=s, end=s + 5, coder="B")
    report = merge_project(a, b.root)
    assert report.added_transcripts == ["skole7-personale"]
    assert [c.coder for c in a.codings(interview="skole7-personale")] == ["B"]
    a.sync()  # the added transcript stays although its file is in the other project
    assert "skole7-personale" in [r.interview for r in a.transcript_rows()]


def test_a_code_we_lack_stops_the_merge_and_is_listed(three) -> None:
    a, b, _ = three
    book = b.codebook_path.read_text(encoding="utf-8")
    b.codebook_path.write_text(book + "  - id: ny_kode\n    label: Ny kode\n", encoding="utf-8")
    b.sync()
    s = b.transcript("skole2-personale").turns[1].paragraphs[0].start
    b.code("skole2-personale", "ny_kode", start=s, end=s + 5, coder="B")
    before = codings_of(a)
    with pytest.raises(LfaError, match="ny_kode") as err:
        merge_project(a, b.root)
    assert "nothing was merged" in str(err.value) and "label: Ny kode" in str(err.value)
    assert codings_of(a) == before


def test_a_different_label_keeps_ours_and_is_reported(three) -> None:
    a, b, _ = three
    book = b.codebook_path.read_text(encoding="utf-8")
    b.codebook_path.write_text(book.replace("label: Mindset", "label: Børnesyn"), encoding="utf-8")
    b.sync()
    report = merge_project(a, b.root)
    assert any("'mindset'" in d and "ours is kept" in d for d in report.label_differences)
    assert a.store.read_one("SELECT label FROM codes WHERE id='mindset'")["label"] == "Mindset"


@pytest.mark.parametrize("kind", ["newer", "no project", "not a store", "self"])
def test_bad_others_exit_2_and_change_nothing(three, tmp_path: Path, kind: str, capsys) -> None:
    a, b, _ = three
    before = codings_of(a)
    if kind == "newer":
        b.close()
        other = tmp_path / "newer.db"
        other.write_bytes(b.db_path.read_bytes())
        with sqlite3.connect(other) as conn:
            conn.execute(
                "UPDATE schema_version SET version = ?", (store_module.SCHEMA_VERSION + 1,)
            )
        message = "from a newer lfa-qual"
    elif kind == "no project":
        other = tmp_path / "empty"
        other.mkdir()
        message = "not an lfa-qual project"
    elif kind == "not a store":
        other = tmp_path / "notes.db"
        other.write_text("not sqlite at all " * 100, encoding="utf-8")
        message = "not an lfa-qual project store"
    else:
        other = a.db_path
        message = "this project's own store"
    assert main(["merge", "--project", str(a.root), str(other)]) == 2
    assert message in capsys.readouterr().err
    assert codings_of(a) == before


def test_merged_store_file_works_as_other_and_agreement_follows(three, capsys) -> None:
    a, b, _ = three
    assert main(["merge", "--project", str(a.root), str(b.db_path)]) == 0
    assert main(["agreement", "--project", str(a.root), "--format", "json"]) == 0
    assert '"coders": [\n      "A",\n      "B"\n    ]' in capsys.readouterr().out


def test_a_merge_that_fails_half_way_leaves_nothing_half_merged(three, tmp_path: Path) -> None:
    """One transaction: the last coding of the other store cannot be inserted here (a source
    value our schema refuses), so none of the earlier ones may stay either."""
    a, b, _ = three
    b.close()
    other = tmp_path / "broken.db"
    other.write_bytes(b.db_path.read_bytes())
    with sqlite3.connect(other) as conn:
        # A copy of the table without its CHECK constraints, to hold a value ours refuses.
        conn.execute("CREATE TABLE c2 AS SELECT * FROM codings")
        conn.execute("DROP TABLE codings")
        conn.execute("ALTER TABLE c2 RENAME TO codings")
        last = conn.execute("SELECT max(start) FROM codings").fetchone()[0]
        conn.execute("UPDATE codings SET source = 'imported' WHERE start = ?", (last,))
    before = codings_of(a)
    with pytest.raises(LfaError, match="CHECK constraint"):
        merge_project(a, other)
    assert codings_of(a) == before
    assert list(a.root.glob("lfa-qual.before-merge-*.db"))  # the backup was made first


CHILD = r"""
import sys
from lfa_qual.merge import merge_project
from lfa_qual.project import Project

project = Project(sys.argv[1])
project.store  # opened before "ready": the kill falls inside the merge
print("ready", flush=True)
merge_project(project, sys.argv[2])
print("merged", flush=True)
"""


def test_a_merge_killed_at_any_moment_is_all_or_nothing(three, tmp_path: Path) -> None:
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    a, b, _ = three
    # Enough codings that the merge takes a while: 20,000 short spans by coder B.
    t = b.transcript("skole1-personale")
    paras = [p for turn in t.turns if turn.label == "L" for p in turn.paragraphs]
    spans = [
        (s, s + n)
        for n in range(3, 40)
        for p in paras
        for s in range(p.start, p.end - n)
        if not t.text[s].isspace() and not t.text[s + n - 1].isspace()
    ][:20_000]
    rows = [(f"GUID-{i:06d}", s, e) for i, (s, e) in enumerate(spans)]
    with b.store.transaction() as conn:
        tid = conn.execute("SELECT id FROM transcripts WHERE interview='skole1-personale'")
        tid = tid.fetchone()[0]
        conn.executemany(
            "INSERT INTO codings(guid, transcript_id, start, end, code_id, coder, created, source)"
            " VALUES (?, ?, ?, ?, 'pit', 'B', '2021-04-01T00:00:00+00:00', 'manual')",
            [(g, tid, s, e) for g, s, e in rows],
        )
    total_b = len(b.codings(coder="B"))
    a_root = a.root
    a.close()
    rng = random.Random(4)
    for _ in range(3):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(a_root), str(b.root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(rng.uniform(0.0, 0.8))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        child.stdout.close()
        child.stderr.close()
        with Project(a_root) as reopened:
            assert reopened.store.integrity_ok()
            merged = len(reopened.codings(coder="B"))
            assert merged in (0, total_b)  # never half-merged
    with Project(a_root) as reopened:
        merge_project(reopened, b.root)
        assert len(reopened.codings(coder="B")) == total_b
