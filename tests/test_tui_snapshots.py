"""Snapshots of the main screens at 80×24 (SSH) and 120×40.

After a deliberate change of the look: `pytest tests/test_tui_snapshots.py --snapshot-update`,
then look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import choose

from lfa_qual.project import Project
from lfa_qual.store import new_guid, now
from lfa_qual.tui.app import LfaApp

DATA = Path(__file__).parent / "data" / "tui"
IV = "skole1-personale"


@pytest.fixture
def app(tmp_path: Path):
    root = tmp_path / "projekt"
    shutil.copytree(DATA, root)
    project = Project(root)
    project.sync()
    text = project.transcript(IV).text

    def at(quote: str) -> tuple[int, int]:
        start = text.index(quote)
        return start, start + len(quote)

    s, e = at("Vi er fire i teamet og mødes hver tirsdag.")
    project.code(IV, "pit", start=s, end=e, memo="teamets møder")
    s, e = at("Det meste af tiden går dog med én elev lige nu.")
    project.code(IV, "timer_37", start=s, end=e)
    project.code(IV, "pit_balance", start=s, end=e + 40)
    s, e = at("Jeg savner, at PIT kommer ind i klassen.")
    coding = project.code(IV, "hold_vs_klasse", start=s, end=e)
    project.store.conn.execute("UPDATE codings SET status='needs_review' WHERE id=?", (coding.id,))
    s, e = at("Vi har en fast kontaktperson for hver familie.")
    ws, we = at("kontaktperson")
    evidence = [{"start": ws, "end": we, "word": "kontaktperson", "keyword": "kontaktperson", "kind": "exact"}]  # fmt: skip
    with project.store.transaction() as conn:
        conn.execute(
            "INSERT INTO suggestions(guid, transcript_id, start, end, code_id, score, evidence,"
            " pipeline, created) VALUES (?, 1, ?, ?, 'foraeldre', 0.82, ?, 'test', ?)",
            (new_guid(), s, e, json.dumps(evidence), now()),
        )
    yield LfaApp(project)
    project.close()


def open_reader(step_to_suggestion: bool):
    async def run_before(pilot) -> None:
        pilot.app.open_transcript(IV)
        await pilot.pause()
        if step_to_suggestion:
            await pilot.press("n")
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_overview(snap_compare, app, size) -> None:
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_reader_with_codings_and_a_suggestion(snap_compare, app, size) -> None:
    assert snap_compare(app, terminal_size=size, run_before=open_reader(True))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_codebook_tree(snap_compare, app, size) -> None:
    # At 80×24 the rows keep their counts and quick keys (the label is what gets cut).
    async def run_before(pilot) -> None:
        await open_reader(False)(pilot)
        await pilot.press("b", "down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_reader_80x24_with_the_panel_hidden(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_reader(True)(pilot)
        await pilot.press("i")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_retrieve(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("r")
        await pilot.pause()
        await choose(pilot, code="pit")

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_help(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["question_mark"])


def test_search_80x24(snap_compare, app) -> None:
    # The scope and interviewer switch on the bar; the hit itself in view at 80 columns.
    async def run_before(pilot) -> None:
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"sparring", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
