"""A coding must include spoken words: front matter, labels, timestamps and page markers alone
are refused (CLI, suggestion accept, the TUI's history actions), and `verify` reports old ones."""

from __future__ import annotations

import pytest

from lfa_qual import history
from lfa_qual.cli import main
from lfa_qual.errors import LfaError
from lfa_qual.store import new_guid, now
from lfa_qual.suggestions import accept_suggestion


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_code_refuses_front_matter_and_a_page_marker(small_project, capsys):
    p = str(small_project.root)
    text = small_project.transcript("skole9-skoleleder").text
    marker = text.index("[side 2]")
    for start, end in [(10, 40), (marker, marker + 8)]:
        code, out, err = run(
            capsys, "code", "skole9-skoleleder", "pit", "--project", p,
            "--start", str(start), "--end", str(end),
        )  # fmt: skip
        assert code == 2 and out == ""
        assert "error: start/end: " in err and "cover no speech" in err
        assert len(err.strip().splitlines()) == 1
    assert small_project.codings() == []


def test_accept_and_the_tui_actions_refuse_a_span_without_speech(small_project):
    p = small_project
    with p.store.transaction() as conn:
        tid = conn.execute("SELECT id FROM transcripts WHERE interview='skole9-skoleleder'")
        tid = tid.fetchone()[0]
        sid = conn.execute(
            "INSERT INTO suggestions(guid, transcript_id, start, end, code_id, score, evidence,"
            " pipeline, created) VALUES (?,?,?,?,?,?,?,?,?)",
            (new_guid(), tid, 200, 210, "pit", 0.9, "[]", "test", now()),
        ).lastrowid
    with pytest.raises(LfaError, match="cover no speech"):
        accept_suggestion(p.store, sid, "tester", start=10, end=20)
    row = p.store.read_one("SELECT status FROM suggestions WHERE id = ?", (sid,))
    assert row["status"] == "open"
    # The TUI codes through `history.code` / `history.code_many`.
    with pytest.raises(LfaError, match="cover no speech"):
        history.code(p.store, "skole9-skoleleder", 10, 40, "pit", "tester")
    done, skipped = history.code_many(p.store, [("skole9-skoleleder", 0, 3)], "pit", "tester")
    assert done == [] and "cover no speech" in skipped[0]
    assert p.codings() == [] and history.actions(p.store) == []


def test_verify_reports_an_old_coding_that_covers_no_speech(small_project, capsys):
    p = small_project
    ok = p.code("skole9-skoleleder", "mindset", quote="Vi flytter blikket fra barnet")
    # A coding made before the rule (or by another tool) on the front matter.
    with p.store.transaction() as conn:
        conn.execute(
            "INSERT INTO codings(guid, transcript_id, start, end, code_id, coder, created, source)"
            " SELECT ?, transcript_id, 10, 40, 'pit', 'tester', ?, 'manual' FROM codings"
            " WHERE id = ?",
            (new_guid(), now(), ok.id),
        )
    bad = max(c.id for c in p.codings())
    code, out, err = run(capsys, "verify", "--project", str(p.root))
    assert code == 2 and "store ok" not in out
    assert f"coding {bad} (pit) in skole9-skoleleder [10:40] covers no speech" in err
    assert f"coding {ok.id} " not in err
    p.uncode(bad)
    code, out, err = run(capsys, "verify", "--project", str(p.root))
    assert code == 0 and "store ok" in out
