"""Progress of the NLP by passages (done / total): from `suggest_project`, and in the TUI's
status while the NLP process runs (`R` used to show "NLP: starting…" for seconds, then 0/1,
1/1, in a thread that held up the UI)."""

from __future__ import annotations

import os

import pytest

from lfa_qual.nlp.run import all_interviews, suggest_project
from lfa_qual.nlp.suggest import Options
from lfa_qual.nlp.units import paragraph_units
from lfa_qual.project import Project
from lfa_qual.tui.app import LfaApp
from lfa_qual.tui.reader_screen import ReaderScreen


@pytest.fixture
def project(project_from) -> Project:
    return project_from("tui")


def units(project: Project, interviews: list[str]) -> int:
    return sum(len(paragraph_units(project.transcript(iv))) for iv in interviews)


def test_suggest_project_reports_every_passage_of_both_phases(project):
    reports: list[tuple[str, int, int]] = []
    interview = all_interviews(project)[0]
    suggest_project(
        project, [interview], options=Options(), on_passages=lambda *r: reports.append(r)
    )
    learning = [r for r in reports if r[0] == "learning"]
    suggesting = [r for r in reports if r[0] == "suggesting"]
    assert reports == learning + suggesting  # learning first
    n_all, n_one = units(project, all_interviews(project)), units(project, [interview])
    assert n_one < n_all
    assert [d for _, d, _ in learning] == list(range(n_all + 1))
    assert [d for _, d, _ in suggesting] == list(range(n_one + 1))
    assert {t for _, _, t in learning} == {n_all} and {t for _, _, t in suggesting} == {n_one}


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_the_reader_shows_passages_done_of_total_while_the_nlp_runs(project):
    app = LfaApp(project)
    shown: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        interview = all_interviews(project)[0]
        app.open_transcript(interview)
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        original = reader.update_panel

        def spy(*args, **kwargs):
            if reader.nlp_status and reader.nlp_status not in shown[-1:]:
                shown.append(reader.nlp_status)  # what the status line shows now
            return original(*args, **kwargs)

        reader.update_panel = spy
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        worker = app.nlp_worker
        processes = list(worker._pool._processes.values())
        assert processes and all(p.is_alive() for p in processes)
        assert processes[0].pid != os.getpid()  # the NLP ran in a process of its own
    assert not any(p.is_alive() for p in processes)  # and it ended with the app
    n_all, n_one = units(project, all_interviews(project)), units(project, [interview])
    assert shown[0] == "NLP: starting…"
    assert shown[1] == f"NLP: learning from the project 0/{n_all} passages"
    assert f"NLP: learning from the project {n_all}/{n_all} passages" in shown
    assert shown[-1] == f"NLP: suggesting {n_one}/{n_one} passages"
