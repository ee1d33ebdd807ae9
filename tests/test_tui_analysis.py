"""TUI features of everyday analysis work (issue 15), driven with Textual's pilot: role groups
in the filters, the memo list, exports from the command palette."""

from __future__ import annotations

import pytest
from conftest import choose, span

from lfa_qual.project import Project
from lfa_qual.tui.app import LfaApp
from lfa_qual.tui.retrieve import RetrieveScreen

SIZE = (120, 40)
pytestmark = pytest.mark.anyio


@pytest.fixture
def project(project_from) -> Project:
    return project_from("tui")


def with_groups(project: Project, groups: str) -> Project:
    """The project reopened with `role_groups:` added to its configuration."""
    config = project.root / "lfa-qual.yaml"
    config.write_text(config.read_text("utf-8") + groups, encoding="utf-8")
    project.close()
    return Project(project.root)


async def test_the_role_filters_offer_groups(project) -> None:
    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e)
    s2, e2 = span(project, "skole1-personale", "Jeg savner, at PIT kommer ind i klassen.")
    project.code("skole1-personale", "hold_vs_klasse", start=s2, end=e2)
    project = with_groups(project, "role_groups:\n  Personale: [PIT-medarbejder, Skole*]\n")
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        overview = app.screen
        role = overview.query_one("#role")
        values = [value for _, value in role._options]
        assert "group:Personale" in values and "group:Elev" in values
        assert "group:Interviewer" not in values  # a group of one role of its own name
        role.value = "group:Personale"
        await pilot.pause()
        assert overview.query_one("DataTable").row_count == 1
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrieveScreen)
        await choose(pilot, code="hold_vs_klasse")
        table = screen.query_one("DataTable")
        assert table.row_count == 2
        await choose(pilot, role="group:Elev")
        assert [table.get_row_at(0)[1]] == ["(Elev 2, 7. klasse, Skole 2, august 2021, 1)"]
        assert "Elev (group)" in str(screen.query_one("#choices").render())
        await choose(pilot, role="group:Personale")
        assert table.get_row_at(0)[1].startswith("(Skolemedarbejder, Skole 1")
    project.close()


async def test_memo_list_filters_searches_jumps_and_edits(project) -> None:
    from lfa_qual.codings import get_memo
    from lfa_qual.tui.memos_screen import MemoListScreen
    from lfa_qual.tui.reader import TranscriptView
    from lfa_qual.tui.reader_screen import ReaderScreen

    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    coding = project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e, memo="Skam ved holdet")
    project.store.conn.execute(
        "INSERT INTO memos(guid, target_kind, target, text, author, updated)"
        " VALUES ('G1', 'transcript', 'skole1-personale', 'Travl personalegruppe', 'forsker2',"
        " '2021-05-01T10:00:00')"
    )
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("E")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MemoListScreen)
        table = screen.query_one("DataTable")
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["Interview", "Kodning"]
        screen.query_one("#author").value = "forsker2"
        await pilot.pause()
        assert table.row_count == 1
        screen.query_one("#author").value = "__all__"
        screen.query_one("#memo-code").value = "indsatser"  # hold_vs_klasse is its sub-code
        await pilot.pause()
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["Kodning"]
        screen.query_one("#memo-code").value = "__all__"
        screen.query_one("#memo-interview").value = "skole1-personale"
        await pilot.pause()
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["Interview"]
        screen.query_one("#memo-interview").value = "__all__"
        await pilot.press("f")
        await pilot.press(*"skam")
        await pilot.pause()
        assert table.row_count == 1 and "Skam ved holdet" in table.get_row_at(0)[4]
        await pilot.press("enter")  # leaves the search box for the list
        await pilot.press("enter")  # goes to the passage
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.interview == "skole2-elev2"
        assert app.screen.query_one(TranscriptView).selection == (s, e)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen.query_one("TextArea")
        editor.text = "Skam ved holdet, også i 7. klasse"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "også i 7. klasse" in table.get_row_at(0)[4]
        await pilot.press("P")
        await pilot.pause()
        app.screen.query_one("TextArea").text = "Tema: at høre til"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert project.codings()[0].memo == "Skam ved holdet, også i 7. klasse"
    assert project.codings()[0].id == coding.id
    assert get_memo(project.store, "project", "project") == "Tema: at høre til"


async def test_grid_screen_opens_passages_edits_and_undoes_a_summary(project) -> None:
    from lfa_qual.grid import build_grid
    from lfa_qual.tui.grid_screen import GridScreen
    from lfa_qual.tui.passages import PassagesScreen
    from lfa_qual.tui.reader_screen import ReaderScreen

    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e)  # a sub-code of indsatser
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GridScreen)
        table = screen.query_one("DataTable")
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["Skole 1", "Skole 2"]
        column = screen.grid.codes.index("indsatser") + 1
        table.cursor_coordinate = table.cursor_coordinate._replace(row=1, column=column)
        await pilot.pause()
        assert table.get_row_at(1)[column] == "1"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PassagesScreen)
        assert app.screen.query_one("DataTable").row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.interview == "skole2-elev2"
        await pilot.press("q")
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("TextArea").text = "Holdet er pinligt for eleven"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert table.get_row_at(1)[column] == "1 ✎"
        assert build_grid(project).summary("Skole 2", "indsatser") == "Holdet er pinligt for eleven"
        await pilot.press("u")
        await pilot.pause()
        assert table.get_row_at(1)[column] == "1"
    assert build_grid(project).summary("Skole 2", "indsatser") == ""


async def test_codebook_screen_creates_relabels_and_merges_codes(project) -> None:
    from lfa_qual.tui.codebook_screen import CodebookScreen

    path = project.codebook_path
    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        await pilot.press("a")  # the highlighted code is the first: implementering
        await pilot.pause()
        await pilot.press("down", "enter")  # at the top level
        await pilot.pause()
        await pilot.press(
            *"skam", "enter", *"Skam", "enter", *"#aa3377", "enter", *"Flovt", "enter"
        )
        await pilot.pause()
        assert "skam" in project.codebook() and project.codebook().get("skam").parent is None
        assert (
            '  - id: skam\n    label: Skam\n    color: "#aa3377"\n    description: Flovt\n'
        ) in path.read_text("utf-8")
        assert path.read_text("utf-8").startswith("#")  # the file's comments are kept
        assert screen.highlighted.id == "skam"
        await pilot.press("L")
        await pilot.pause()
        await pilot.press(*"Skam ved hold", "enter")  # replaces the old label
        await pilot.pause()
        assert project.codebook().get("skam").label == "Skam ved hold"
        # Someone edits the file meanwhile: the next edit is refused, their text kept.
        theirs = path.read_text("utf-8").replace("Skam ved hold", "Deres skam")
        path.write_text(theirs, "utf-8")
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("x", "enter")
        await pilot.pause()
        assert path.read_text("utf-8") == theirs
        assert "changed on disk" in [n.message for n in app._notifications][-1]
        # Merge hold_vs_klasse into the new code: its coding moves along.
        tree = screen.query_one("Tree")
        tree.move_cursor(next(n for n in _nodes(tree.root) if n.data == "hold_vs_klasse"))
        await pilot.pause()
        await pilot.press("J")
        await pilot.pause()
        await pilot.press(*"skam", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert screen.highlighted.id == "skam"
    assert "hold_vs_klasse" not in project.codebook()
    assert [c.code for c in project.codings()] == ["skam"]
    assert project.codebook().get("skam").label == "Deres skam"  # their edit stands


def _nodes(node):
    for child in node.children:
        yield child
        yield from _nodes(child)


async def test_quick_code_slots_show_labels(project) -> None:
    from lfa_qual.tui.slots import slot_label

    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # the first transcript
        await pilot.pause()
        panel = str(app.screen.query_one("Panel").render())
        first = project.codebook().codes[0]
        assert f"1 ■ {slot_label(first.label)}" in panel
        assert f"■ {first.id}\n" not in panel
    assert slot_label("PIT – Pædagogisk indsatsteam og dets arbejde", 20) == "PIT – Pædagogisk in…"


async def test_stats_and_cooccurrence_cells_open_their_passages(project) -> None:
    from lfa_qual.drill import cell_codings, pair_codings
    from lfa_qual.tui.drill import CooccurrenceScreen
    from lfa_qual.tui.passages import PassagesScreen
    from lfa_qual.tui.stats import StatsScreen

    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e)
    s2, e2 = span(project, "skole2-elev2", "Hellere at der kom en voksen ind i klassen og hjalp.")
    project.code("skole2-elev2", "mindset", start=s2, end=e2)  # the same turn
    s3, e3 = span(project, "skole2-elev2", "Der er mere ro end inde i klassen")
    project.code("skole2-elev2", "hold_vs_klasse", start=s3, end=e3)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("F")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        table = screen.query_one("DataTable")
        row = screen.keys[0].index("hold_vs_klasse")
        column = screen.keys[1].index("Skole 2") + 1
        assert table.get_row_at(row)[column] == "2"
        table.cursor_coordinate = table.cursor_coordinate._replace(row=row, column=column)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PassagesScreen)
        listed = app.screen.query_one("DataTable")
        assert listed.row_count == 2
        assert listed.get_row_at(0)[1] == "(Elev 2, 7. klasse, Skole 2, august 2021, 1)"
        await pilot.press("q")
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        co = app.screen
        assert isinstance(co, CooccurrenceScreen)
        matrix = co.query_one("DataTable")
        row, column = co.codes.index("mindset"), co.codes.index("hold_vs_klasse") + 1
        assert matrix.get_row_at(row)[column] == "1"
        matrix.cursor_coordinate = matrix.cursor_coordinate._replace(row=row, column=column)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PassagesScreen)
        pair = [app.screen.query_one("DataTable").get_row_at(i)[0] for i in range(2)]
        assert sorted(pair) == ["hold_vs_klasse", "mindset"]
    # The first hold_vs_klasse passage is in an earlier turn: not in the pair.
    assert len(pair_codings(project, "mindset", "hold_vs_klasse")) == 2
    assert len(pair_codings(project, "mindset", "hold_vs_klasse", "overlap")) == 0
    assert len(cell_codings(project, "code", "I alt", "school", "Skole 2")) == 3


async def test_review_screen_shows_old_and_new_text_keeps_or_moves(project) -> None:
    from lfa_qual import history
    from lfa_qual.tui.review_screen import ReviewScreen

    s, e = span(project, "skole2-elev2", "Det er fint.")
    kept = project.code("skole2-elev2", "indsatser", start=s, end=e)
    s2, e2 = span(project, "skole2-elev2", "Det er lidt pinligt.")
    moved = project.code("skole2-elev2", "hold_vs_klasse", start=s2, end=e2)
    for coding, old in ((kept, "Det er fint."), (moved, "Det er lidt flovt.")):
        project.store.conn.execute(
            "UPDATE codings SET status='needs_review', old_text=?, review_note='text changed'"
            " WHERE id=?",
            (old, coding.id),
        )
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        table = screen.query_one("DataTable")
        assert table.row_count == 2
        await pilot.press("down")
        await pilot.pause()
        assert "Det er lidt flovt." in str(screen.query_one("#old").render())
        assert "Det er lidt pinligt." in str(screen.query_one("#new").render())
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"Hellere at der kom en voksen ind", "enter")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("o")
        await pilot.pause()
        assert table.row_count == 0
    by_id = {c.id: c for c in project.codings()}
    assert by_id[kept.id].status == "ok" and (by_id[kept.id].start, by_id[kept.id].end) == (s, e)
    text = project.transcript("skole2-elev2").text
    now = by_id[moved.id]
    assert now.status == "ok" and text[now.start : now.end] == "Hellere at der kom en voksen ind"
    history.undo(project.store, project.coder)  # the OK
    history.undo(project.store, project.coder)  # the move
    back = {c.id: c for c in project.codings()}[moved.id]
    assert back.status == "needs_review" and (back.start, back.end) == (s2, e2)


async def _palette(pilot, app, command: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_exports_from_the_palette_use_the_screens_filters(project) -> None:
    from docx import Document
    from openpyxl import load_workbook

    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e)
    s2, e2 = span(project, "skole1-personale", "Jeg savner, at PIT kommer ind i klassen.")
    project.code("skole1-personale", "hold_vs_klasse", start=s2, end=e2)
    transcript = project.root / "transcripts" / "skole2-elev2.md"
    before = transcript.read_text("utf-8")
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await choose(pilot, code="hold_vs_klasse", role="group:Elev")
        await _palette(pilot, app, "quotes")
        assert "code hold_vs_klasse, Elev" in str(app.screen.query_one("Label").render())
        await pilot.press(*"e.docx", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Wrote 1 quote(s)" in n.message for n in app._notifications)
        # A project file is refused with a notice; the file stays as it was.
        await _palette(pilot, app, "quotes")
        await pilot.press(*"transcripts/skole2-elev2.md", "enter")
        await pilot.pause()
        await pilot.press("y")  # it exists: replace? yes — and still refused
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "refusing to write an export here" in list(app._notifications)[-1].message
        await pilot.press("q")
        await pilot.press("F")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await _palette(pilot, app, "export freq")
        await pilot.press(*"t.xlsx", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    texts = [p.text for p in Document(str(project.root / "e.docx")).paragraphs]
    assert "Det er lidt pinligt. (Elev 2, 7. klasse, Skole 2, august 2021, 1)" in texts
    assert not any("Skolemedarbejder" in t for t in texts)
    assert transcript.read_text("utf-8") == before
    ws = load_workbook(project.root / "t.xlsx").active
    assert ws.title == "Frekvenser" and ws.cell(1, 2).value == "Skole 1"


async def test_stats_computes_once_per_table_asked_for(project, monkeypatch) -> None:
    """Opening the screen computed the table five times (mount, resume, each Select's first
    Changed), each in a thread that ran on while the screen was drawn."""
    from lfa_qual.tui.stats import StatsScreen

    asked: list[tuple] = []
    compute = StatsScreen.compute

    def spy(self, *args):
        asked.append(args)
        return compute(self, *args)

    monkeypatch.setattr(StatsScreen, "compute", spy)
    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("F")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert asked == [("code", "school", "codings", False)]
        await pilot.press("ctrl+t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert asked[1:] == [("code", "school", "codings", True)]
        await choose(pilot)  # the chooser opened and closed without a change: not again
        await app.workers.wait_for_complete()
        assert len(asked) == 2
        screen = app.screen
        await pilot.press("c")  # the co-occurrence screen, then back: counted again
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("q")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        assert asked[2:] == [("code", "school", "codings", True)]
