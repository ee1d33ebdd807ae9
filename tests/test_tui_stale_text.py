"""Issue 18, item 2: the TUI must not code the wrong words after another process re-anchors
the transcript it shows. Every write carries the hash of the text its offsets came from and is
refused in its own transaction when the stored text is another; the reader then shows the new
text."""

from __future__ import annotations

import pytest
from safety_helpers import INTERVIEW, insert_interviewer_line

from lfa_qual.codings import list_codings
from lfa_qual.project import Project
from lfa_qual.store import Store
from lfa_qual.tui.app import LfaApp
from lfa_qual.tui.reader import TranscriptView
from lfa_qual.tui.reader_screen import ReaderScreen

SIZE = (120, 40)
pytestmark = pytest.mark.anyio


@pytest.fixture
def project(project_from) -> Project:
    return project_from("tui")


def stored(project: Project) -> list[tuple[str, str]]:
    """(code, text under the span) of every coding, through a second connection."""
    with Store(project.db_path) as other:
        text = other.read_one("SELECT text FROM transcripts WHERE interview=?", (INTERVIEW,))[0]
        return [(c.code, text[c.start : c.end]) for c in list_codings(other, interview=INTERVIEW)]


def edit_and_sync_elsewhere(project: Project) -> None:
    """Another shell: an interviewer line is inserted above the passage, then `lfa-qual
    transcripts` (a second Project, its own connection) re-reads the file."""
    insert_interviewer_line(project.root)
    with Project(project.root) as other:
        other.sync()


async def test_coding_after_another_process_reanchored_is_refused_and_reloads(project) -> None:
    project.code(INTERVIEW, "pit", quote="Det er lidt pinligt")  # a coding that moves
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript(INTERVIEW)
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        view = reader.query_one(TranscriptView)
        view.move_to(view.text.index("jeg hellere"))
        edit_and_sync_elsewhere(project)
        await pilot.press("w", "5")  # the word "jeg", quick slot 5 (timer_37)
        await pilot.pause()
        # Nothing coded at the old offsets (which now point at other words) …
        assert stored(project) == [("pit", "Det er lidt pinligt")]
        # … and the reader shows the new text, with the moved coding where it is now.
        fresh = app.screen
        assert isinstance(fresh, ReaderScreen) and fresh is not reader
        new_view = fresh.query_one(TranscriptView)
        assert "I: Og hvordan går det?" in new_view.text
        assert [new_view.text[m.start : m.end] for m in new_view.marks] == ["Det er lidt pinligt"]
        # Coding on the new text works.
        new_view.move_to(new_view.text.index("jeg hellere"))
        await pilot.press("w", "5")
        await pilot.pause()
    assert sorted(stored(project)) == [("pit", "Det er lidt pinligt"), ("timer_37", "jeg")]


async def test_uncode_and_accept_on_a_stale_screen_are_refused(project) -> None:
    coding = project.code(INTERVIEW, "pit", quote="Det er lidt pinligt")
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript(INTERVIEW)
        await pilot.pause()
        reader = app.screen
        view = reader.query_one(TranscriptView)
        view.move_to(coding.start + 2)
        edit_and_sync_elsewhere(project)
        await pilot.press("x")  # remove the coding at the cursor, as the stale screen shows it
        await pilot.pause()
        assert stored(project) == [("pit", "Det er lidt pinligt")]
        assert app.screen is not reader and isinstance(app.screen, ReaderScreen)


async def test_coming_back_to_a_reader_whose_text_changed_shows_the_new_text(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript(INTERVIEW)
        await pilot.pause()
        reader = app.screen
        await pilot.press("question_mark")  # the help screen, then back
        await pilot.pause()
        assert app.screen is not reader
        edit_and_sync_elsewhere(project)
        await pilot.press("escape")
        await pilot.pause()
        fresh = app.screen
        assert isinstance(fresh, ReaderScreen) and fresh is not reader
        assert "I: Og hvordan går det?" in fresh.query_one(TranscriptView).text
