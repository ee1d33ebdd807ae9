"""The names check in the TUI: marks in the reader, and the Names screen's accept, replace and
undo, driven with the pilot; the store and the transcript file are checked afterwards."""

from __future__ import annotations

import pytest

from lfa_qual.project import Project
from lfa_qual.store import Store
from lfa_qual.tui.app import LfaApp
from lfa_qual.tui.names_screen import NamesScreen, PseudonymPrompt
from lfa_qual.tui.reader_screen import ReaderScreen

SIZE = (120, 40)
pytestmark = pytest.mark.anyio

LEAKY = """---
interview: skole1-elev6
school: Skole 1
date: 2021-06
kind: elevinterview
speakers:
  I: {role: Interviewer, interviewer: true}
  E6: {role: Elev 6, grade: 4. klasse}
---
[side 1]
I: Hvem hjælper dig i dansk?

E6: Det gør Mette fra PIT. Hun kommer om tirsdagen.

E6: Min mor har skrevet sit nummer på sedlen, 12 34 56 78.
"""


@pytest.fixture
def project(project_from) -> Project:
    project = project_from("tui")
    (project.transcripts_dir / "skole1-elev6.md").write_text(LEAKY, encoding="utf-8")
    project.sync()
    return project


def allowed(project: Project) -> list[tuple[str, str]]:
    with Store(project.db_path) as other:  # a second connection: only what was committed
        return [(r["text"], r["accepted_by"]) for r in other.read("SELECT * FROM names_allowed")]


async def test_reader_marks_suspects(project: Project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript("skole1-elev6")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        text = project.transcript("skole1-elev6").text
        marked = [text[s:e] for s, e in screen.view.name_marks]
        assert marked == ["Mette", "12 34 56 78"]
        screen.view.move_to(text.index("Mette") + 2)
        await pilot.pause()
        panel = screen.query_one("#panel").content.plain
        assert "suspected name" in panel
        screen.view.move_to(text.index("Hun kommer"))
        await pilot.pause()
        assert "suspected name" not in screen.query_one("#panel").content.plain


async def test_names_screen_accepts_replaces_and_undoes(project: Project) -> None:
    path = project.transcripts_dir / "skole1-elev6.md"
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript("skole1-elev6")
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NamesScreen)
        assert [r.text for r in screen.found] == ["Mette", "12 34 56 78"]

        await pilot.press("down", "a")  # the phone number: "not a name" (a made-up example)
        await pilot.pause()
        assert allowed(project) == [("12 34 56 78", "tester")]
        assert [r.text for r in screen.found] == ["Mette"]
        await pilot.press("u")
        await pilot.pause()
        assert allowed(project) == []
        assert len(screen.found) == 2

        await pilot.press("up", "p")
        await pilot.pause()
        assert isinstance(app.screen, PseudonymPrompt)
        await pilot.press(*"PIT-medarbejder A", "enter")
        await pilot.pause()
        assert "Det gør PIT-medarbejder A fra PIT." in path.read_text(encoding="utf-8")
        assert "PIT-medarbejder A" in project.transcript("skole1-elev6").text
        assert [r.text for r in screen.found] == ["12 34 56 78"]
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == LEAKY
        assert [r.text for r in screen.found] == ["Mette", "12 34 56 78"]

        # Replace again and go back: the reader shows the edited text.
        await pilot.press("p", *"Lærer A", "enter")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert "Det gør Lærer A fra PIT." in reader.view.text
        text = reader.view.text
        assert [text[s:e] for s, e in reader.view.name_marks] == ["12 34 56 78"]
