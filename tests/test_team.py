"""Two coders on one project: the duplicate rule per coder, quotes never doubled, blind coding,
the disagreement list, and the TUI compare view from the first disagreement to consensus."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from team_data import code_a_and_b, make_team_project

from lfa_qual import history
from lfa_qual.agreement import Comparison
from lfa_qual.analysis import quotes_frame
from lfa_qual.cli import main
from lfa_qual.consensus import disagreements, resolve, resolved_keys
from lfa_qual.errors import LfaError
from lfa_qual.project import Project
from lfa_qual.tui.app import LfaApp
from lfa_qual.tui.compare import CompareScreen
from lfa_qual.tui.reader import TranscriptView
from lfa_qual.tui.reader_screen import ReaderScreen
from lfa_qual.tui.retrieve import RetrieveScreen

SIZE = (140, 40)


@pytest.fixture
def team(tmp_path: Path) -> Project:
    project = make_team_project(tmp_path / "p", transcripts=2, paragraphs=12)
    code_a_and_b(project, seed=5, drop=0.25, shift=0.25, relabel=0.25)
    yield project
    project.close()


def test_a_second_coder_may_code_the_same_passage_but_not_twice(small_project) -> None:
    p = small_project
    p.code("skole9-skoleleder", "pit", quote="PIT-teamet", coder="A")
    p.code("skole9-skoleleder", "pit", quote="PIT-teamet", coder="B")
    with pytest.raises(LfaError, match="already has code 'pit' by coder 'B'"):
        p.code("skole9-skoleleder", "pit", quote="PIT-teamet", coder="B")
    assert sorted(c.coder for c in p.codings()) == ["A", "B"]


def test_two_coders_agreeing_make_one_quote_naming_both(small_project) -> None:
    p = small_project
    quote = "vi startede med PIT-teamet i efteråret"
    p.code("skole9-skoleleder", "pit", quote=quote, coder="A")
    p.code("skole9-skoleleder", "pit", quote=quote, coder="B")
    quotes = quotes_frame(p)
    assert len(quotes) == 1 and quotes.iloc[0]["coders"] == "A, B"


def test_disagreements_list_citation_excerpt_and_who(team: Project, tmp_path: Path, capsys) -> None:
    found = disagreements(team, Comparison())
    assert found and all(d.citation.startswith("(Skolemedarbejder") for d in found)
    assert {d.who() for d in found} >= {"kun A", "A og B, forskellig afgrænsning"}
    root = str(team.root)
    assert main(["disagreements", "--project", root, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(found)
    assert set(rows[0]) >= {"Interview", "Kode", "Henvisning", "Uddrag", "Hvem", "Kodet af A"}
    out = tmp_path / "uenigheder.md"
    assert main(["disagreements", "--project", root, "--out", str(out)]) == 0
    assert "| Henvisning |" in out.read_text(encoding="utf-8")
    assert main(["disagreements", "--project", root, "--out", str(tmp_path / "u.xlsx")]) == 0


def test_resolving_codes_the_consensus_coder_and_undo_reopens(team: Project) -> None:
    found = disagreements(team, Comparison())
    d = found[0]
    resolve(team, d, "both")
    mine = team.codings(coder="konsensus")
    assert mine and all(c.code == d.code for c in mine)
    assert d.key in resolved_keys(team)
    history.undo(team.store, team.coder)
    assert team.codings(coder="konsensus") == [] and d.key not in resolved_keys(team)
    resolve(team, d, "neither")
    assert team.codings(coder="konsensus") == [] and d.key in resolved_keys(team)
    # The consensus coder is not a coder to compare by default.
    assert disagreements(team, Comparison())[0].coders == ("A", "B")


@pytest.mark.anyio
async def test_blind_shows_only_my_codings(team: Project) -> None:
    team.coder = "B"
    app = LfaApp(team)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript("skole1-personale")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        everyone = {c.coder for c in reader.codings}
        assert everyone == {"A", "B"}
        await pilot.press("B")
        await pilot.pause()
        assert {c.coder for c in reader.codings} == {"B"}
        view = reader.query_one(TranscriptView)
        assert len(view.marks) == len(team.codings(interview="skole1-personale", coder="B"))
        app.push_screen(RetrieveScreen("pit"))  # retrieving passages is blind too
        await pilot.pause()
        assert app.screen.views and {v.coding.coder for v in app.screen.views} == {"B"}


@pytest.mark.anyio
async def test_blind_from_the_config(tmp_path: Path) -> None:
    project = make_team_project(tmp_path / "p", transcripts=1, paragraphs=4)
    code_a_and_b(project, seed=2)
    (project.root / "lfa-qual.yaml").write_text("coder: A\nblind: true\n", encoding="utf-8")
    project.close()
    project = Project(tmp_path / "p")
    assert project.config.blind is True
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript("skole1-personale")
        await pilot.pause()
        assert {c.coder for c in app.screen.codings} == {"A"}
    project.close()


def test_blind_must_be_true_or_false(tmp_path: Path) -> None:
    (tmp_path / "lfa-qual.yaml").write_text("blind: maybe\n", encoding="utf-8")
    with pytest.raises(LfaError, match="'blind' must be true or false") as err:
        Project(tmp_path)
    assert err.value.line == 1


@pytest.mark.anyio
async def test_compare_view_from_first_disagreement_to_consensus(team: Project) -> None:
    interview = "skole1-personale"
    expected = disagreements(team, Comparison(interviews=(interview,)))
    assert len(expected) >= 3
    app = LfaApp(team)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript(interview)
        await pilot.pause()
        await pilot.press("K")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.current.key == expected[0].key  # opens on the first disagreement
        first = screen.query_one("#first", TranscriptView)
        second = screen.query_one("#second", TranscriptView)
        assert {m.code for m in first.marks} and first.selection == (
            expected[0].start,
            expected[0].end,
        )
        assert first.marks != second.marks
        figures = screen.figures
        choices = ["1", "2", "3", "0"]
        taken = {}
        for i, d in enumerate(expected):
            assert screen.current.key == d.key
            key = choices[i % 4]
            await pilot.press(key)
            await pilot.pause()
            taken[d.key] = key
            if i == 0:  # undo the first decision: the same passage is open again
                await pilot.press("u")
                await pilot.pause()
                assert screen.current.key == d.key and team.codings(coder="konsensus") == []
                await pilot.press(key)
                await pilot.pause()
        assert screen.current is None and "No open disagreements" in str(
            screen.query_one("#status").render()
        )
        assert screen.figures == figures  # A and B are untouched; consensus is separate
    want = set()
    for d in expected:
        spans = {"1": d.first, "2": d.second, "3": d.first + d.second, "0": ()}[taken[d.key]]
        for s, e in spans:
            want.add((d.code, s, e))
    got = {(c.code, c.start, c.end) for c in team.codings(coder="konsensus")}
    # "Both" merges overlapping spans of the two coders into one.
    assert {(c, s) for c, s, _ in got} <= {(c, s) for c, s, _ in want}
    assert all(any(c == w[0] and s <= w[1] and w[2] <= e for c, s, e in got) for w in want)
