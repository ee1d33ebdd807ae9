"""The first suggestions of a transcript are stored (and shown in the reader) while the NLP goes
on, batch by batch; the end result is the same as storing them at the end, ids included."""

from __future__ import annotations

from pathlib import Path

import pytest

from lfa_qual.codebook import load_codebook
from lfa_qual.nlp.run import all_interviews, suggest_project
from lfa_qual.nlp.suggest import Options, Suggester, spans
from lfa_qual.nlp.units import paragraph_units
from lfa_qual.project import Project
from lfa_qual.readers import read_transcript
from lfa_qual.tui.app import LfaApp
from lfa_qual.tui.reader_screen import ReaderScreen

REPO = Path(__file__).parent.parent


@pytest.fixture
def project(project_from) -> Project:
    return project_from("tui")


def open_rows(project: Project, interview: str) -> list[tuple]:
    return [
        tuple(r)
        for r in project.store.read(
            "SELECT s.id, s.start, s.end, s.code_id, s.score FROM suggestions s"
            " JOIN transcripts t ON t.id = s.transcript_id"
            " WHERE t.interview=? AND s.status='open' ORDER BY s.start, s.code_id",
            (interview,),
        )
    ]


def test_the_scores_do_not_depend_on_the_batch_size():
    codebook = load_codebook(REPO / "codebooks" / "lfa.yaml")
    transcripts = [read_transcript(p) for p in sorted((REPO / "transcripts").glob("*.md"))[:4]]

    def run(batch: int) -> list:
        suggester = Suggester(codebook, options=Options(min_score=0.0, top=0, batch_size=batch))
        return [(t.interview, spans(u)) for t, u in suggester.run(transcripts)]

    assert run(5) == run(256)


def test_batches_are_stored_while_the_run_goes_on_and_end_as_without(project):
    interview = max(all_interviews(project), key=lambda iv: len(project.transcript(iv).text))
    n_units = len(paragraph_units(project.transcript(interview)))
    assert n_units >= 4
    options = Options(batch_size=1)
    seen: list[tuple[int, int]] = []  # (reported count, open suggestions in the store then)

    def stored(iv: str, count: int) -> None:
        assert iv == interview
        seen.append((count, len(open_rows(project, interview))))

    total = suggest_project(project, [interview], options=options, on_stored=stored)
    assert len(seen) > 2 and seen[-1] == (total, total) and total > 0
    assert 0 < seen[0][1] < total  # the first ones were there before the end
    assert [n for n, _ in seen] == sorted(n for n, _ in seen)
    after_stream = open_rows(project, interview)
    # A run that stores at the end keeps every suggestion and its id; and streaming again
    # (old open suggestions beyond the batches so far are left until covered) keeps them too.
    suggest_project(project, [interview], options=options)
    assert open_rows(project, interview) == after_stream
    suggest_project(project, [interview], options=options, on_stored=lambda *_: None)
    assert open_rows(project, interview) == after_stream


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_the_reader_shows_suggestions_before_the_nlp_is_done(project):
    app = LfaApp(project)
    while_running: list[tuple[int, str]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        interview = all_interviews(project)[0]
        app.open_transcript(interview)
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        original = reader.reload

        def spy(*args, **kwargs):
            original(*args, **kwargs)
            if reader.nlp_status:  # a batch stored while the NLP runs
                while_running.append((len(reader.suggestions or []), reader.nlp_status))

        reader.reload = spy
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        final = len(reader.suggestions)
    assert final > 0 and while_running and while_running[-1][0] == final
