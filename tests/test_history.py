"""Undo and redo of coding actions, persistent in the store."""

from __future__ import annotations

import json

import pytest
from conftest import span

from lfa_qual import history
from lfa_qual.codings import list_codings
from lfa_qual.errors import LfaError
from lfa_qual.project import Project
from lfa_qual.store import new_guid, now


@pytest.fixture
def project(project_from) -> Project:
    return project_from("tui")


def codes_of(project: Project) -> list[tuple[str, int, int, str]]:
    return [(c.code, c.start, c.end, c.memo) for c in list_codings(project.store)]


def test_undo_and_redo_a_coding_survive_a_restart(project: Project) -> None:
    s, e = span(project, "skole1-personale", "37-timers-sager")
    coding = history.code(project.store, "skole1-personale", s, e, "timer_37", "tester")
    assert codes_of(project) == [("timer_37", s, e, "")]

    root = project.root
    project.close()
    reopened = Project(root)
    undone = history.undo(reopened.store, "tester")
    assert undone is not None and undone.kind == "code" and undone.undone
    assert codes_of(reopened) == []
    reopened.close()

    again = Project(root)
    assert history.redo(again.store, "tester") is not None
    [back] = list_codings(again.store)
    # The same record comes back: guid, coder and time of the original action.
    assert (back.guid, back.code, back.start, back.end) == (coding.guid, "timer_37", s, e)
    assert history.redo(again.store, "tester") is None
    again.close()


def test_undo_remove_change_and_memo_restore_the_coding(project: Project) -> None:
    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    coding = history.code(project.store, "skole2-elev2", s, e, "hold_vs_klasse", "tester")
    history.set_memo(project.store, coding.id, "elevens egen oplevelse", "tester")
    history.change_code(project.store, coding.id, "mindset", "tester")
    history.uncode(project.store, coding.id, "tester")
    assert codes_of(project) == []

    history.undo(project.store, "tester")  # the removal
    assert codes_of(project) == [("mindset", s, e, "elevens egen oplevelse")]
    history.undo(project.store, "tester")  # the change of code
    assert codes_of(project) == [("hold_vs_klasse", s, e, "elevens egen oplevelse")]
    history.undo(project.store, "tester")  # the memo
    assert codes_of(project) == [("hold_vs_klasse", s, e, "")]
    history.redo(project.store, "tester")
    assert codes_of(project) == [("hold_vs_klasse", s, e, "elevens egen oplevelse")]


def test_a_new_action_drops_the_redo_list_and_coders_are_separate(project: Project) -> None:
    s, e = span(project, "skole1-personale", "Vi er fire i teamet")
    history.code(project.store, "skole1-personale", s, e, "pit", "tester")
    history.code(project.store, "skole1-personale", s, e + 5, "pit", "anden")
    history.undo(project.store, "tester")
    assert [c[0] for c in codes_of(project)] == ["pit"]  # the other coder's coding stays
    assert history.can_redo(project.store, "tester")
    s2, e2 = span(project, "skole1-personale", "Koordinatoren fordeler sagerne")
    history.code(project.store, "skole1-personale", s2, e2, "pit", "tester")
    assert not history.can_redo(project.store, "tester")
    assert history.can_undo(project.store, "anden")


def test_undo_refuses_when_the_coding_was_changed_elsewhere(project: Project) -> None:
    s, e = span(project, "skole2-elev2", "Det er fint.")
    coding = history.code(project.store, "skole2-elev2", s, e, "indsatser", "tester")
    history.change_code(project.store, coding.id, "mindset", "tester")
    # Another session changes the code again, outside this coder's history.
    project.store.conn.execute("UPDATE codings SET code_id = 'pit' WHERE id = ?", (coding.id,))
    with pytest.raises(LfaError, match="code has been changed since"):
        history.undo(project.store, "tester")
    assert codes_of(project) == [("pit", s, e, "")]
    assert history.can_undo(project.store, "tester")  # nothing was marked undone


def test_code_many_is_one_action_and_skips_duplicates(project: Project) -> None:
    text = project.transcript("skole1-personale").text
    hits = [i for i in range(len(text)) if text.startswith("Sparring", i)]
    hits += [i for i in range(len(text)) if text.startswith("sparring", i)]
    spans = [("skole1-personale", i, i + 8) for i in sorted(hits)]
    done, skipped = history.code_many(project.store, spans + spans[:1], "pit", "tester")
    assert len(done) == 2 and len(skipped) == 1 and "already has code" in skipped[0]
    history.undo(project.store, "tester")
    assert codes_of(project) == []


def _suggestion(project: Project, quote: str, code: str) -> int:
    s, e = span(project, "skole1-personale", quote)
    with project.store.transaction() as conn:
        tid = conn.execute("SELECT id FROM transcripts WHERE interview='skole1-personale'")
        cur = conn.execute(
            "INSERT INTO suggestions(guid, transcript_id, start, end, code_id, score, evidence,"
            " pipeline, created) VALUES (?,?,?,?,?,?,?,?,?)",
            (new_guid(), tid.fetchone()[0], s, e, code, 0.8, "[]", "test", now()),
        )
    return int(cur.lastrowid)


def test_undo_accept_reopens_the_suggestion(project: Project) -> None:
    pytest.importorskip("lfa_qual.suggestions")
    sid = _suggestion(project, "Vi har en fast kontaktperson for hver familie.", "foraeldre")
    coding = history.accept(project.store, sid, "tester")
    assert coding.code == "foraeldre" and coding.source == "suggestion"
    history.undo(project.store, "tester")
    assert codes_of(project) == []
    row = project.store.read_one("SELECT status, coding_id FROM suggestions WHERE id=?", (sid,))
    assert (row["status"], row["coding_id"]) == ("open", None)
    history.redo(project.store, "tester")
    row = project.store.read_one("SELECT status, coding_id FROM suggestions WHERE id=?", (sid,))
    assert row["status"] == "accepted" and row["coding_id"] == list_codings(project.store)[0].id


def test_an_action_and_its_undo_entry_commit_together(small_project, monkeypatch):
    from lfa_qual import history

    def fail(*args, **kwargs):
        raise RuntimeError("crash between the coding and its log entry")

    monkeypatch.setattr(history, "record", fail)
    t = small_project.transcript("skole9-skoleleder")
    start = t.text.index("Vi flytter")
    with pytest.raises(RuntimeError):
        history.code(small_project.store, "skole9-skoleleder", start, start + 10, "mindset", "a")
    assert small_project.codings() == []


def test_undo_and_redo_put_a_coding_back_under_its_own_number(project: Project) -> None:
    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    first = history.code(project.store, "skole2-elev2", s, e, "hold_vs_klasse", "tester")
    second = history.code(project.store, "skole2-elev2", s, e, "mindset", "tester")
    history.uncode(project.store, first.id, "tester")
    history.undo(project.store, "tester")  # the removal
    assert sorted(c.id for c in list_codings(project.store)) == [first.id, second.id]
    history.undo(project.store, "tester")  # the second coding
    history.redo(project.store, "tester")
    assert {c.guid: c.id for c in list_codings(project.store)} == {
        first.guid: first.id,
        second.guid: second.id,
    }
    # A new coding never gets a number that was used before.
    history.uncode(project.store, second.id, "tester")
    s3, e3 = span(project, "skole2-elev2", "pinligt")
    third = history.code(project.store, "skole2-elev2", s3, e3, "mindset", "tester")
    assert third.id > second.id


def test_an_entry_logged_without_ids_keeps_the_id_its_coding_was_put_back_under(
    project: Project,
) -> None:
    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    coding = history.code(project.store, "skole2-elev2", s, e, "mindset", "tester")
    history.uncode(project.store, coding.id, "tester")
    # As entries were logged before ids were kept (schema 2): no id in the states.
    with project.store.transaction() as conn:
        for row in conn.execute("SELECT id, payload FROM actions").fetchall():
            payload = json.loads(row["payload"])
            for _, _, before, after in payload["changes"]:
                for state in (before, after):
                    if state is not None:
                        state.pop("id", None)
            conn.execute(
                "UPDATE actions SET payload = ? WHERE id = ?", (json.dumps(payload), row["id"])
            )
    history.undo(project.store, "tester")  # the removal: a new id, as none was recorded
    [back] = list_codings(project.store)
    assert back.guid == coding.guid
    history.undo(project.store, "tester")  # the coding itself
    history.redo(project.store, "tester")
    history.redo(project.store, "tester")  # removed again
    history.undo(project.store, "tester")
    assert [(c.guid, c.id) for c in list_codings(project.store)] == [(coding.guid, back.id)]
