"""Work the screens do when they open and when keys are pressed (issue 14), counted rather than
timed: each count below was once higher and cost a screen its first frame."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import choose, span

from lfa_qual.project import Project
from lfa_qual.tui.app import LfaApp

SIZE = (120, 40)
pytestmark = pytest.mark.anyio


@pytest.fixture
def project(project_from) -> Project:
    return project_from("tui")


def counting(monkeypatch, module, name: str) -> list[tuple]:
    """Replace `module.name` by a spy that records its arguments and calls it."""
    calls: list[tuple] = []
    func = getattr(module, name)

    def spy(*args, **kwargs):
        calls.append(args)
        return func(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


async def test_retrieve_fills_once_per_filter_and_again_after_the_reader(
    project, monkeypatch
) -> None:
    """Opening filled the table five times (mount, resume and each Select's first Changed),
    each clearing the rows the frame before had drawn."""
    import lfa_qual.tui.retrieve as retrieve
    from lfa_qual.tui.filters import ALL

    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e)
    calls = counting(monkeypatch, retrieve, "retrieve")
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, retrieve.RetrieveScreen)
        assert len(calls) == 1
        await choose(pilot, code="hold_vs_klasse")
        assert [c[1:] for c in calls[1:]] == [("hold_vs_klasse", ALL, ALL)]
        table = screen.query_one("DataTable")
        assert table.row_count == 1
        await pilot.press("enter")  # to the reader, where a coding is added; then back
        await pilot.pause()
        s2, e2 = span(project, "skole2-elev2", "Der er mere ro end inde i klassen")
        project.code("skole2-elev2", "hold_vs_klasse", start=s2, end=e2)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen
        assert len(calls) == 3
        assert table.row_count == 2


async def test_review_lists_once_on_opening_and_again_after_the_reader(
    project, monkeypatch
) -> None:
    import lfa_qual.tui.review_screen as review_screen

    s, e = span(project, "skole2-elev2", "Det er fint.")
    coding = project.code("skole2-elev2", "indsatser", start=s, end=e)
    project.store.conn.execute(
        "UPDATE codings SET status='needs_review', old_text='Det er godt.' WHERE id=?",
        (coding.id,),
    )
    calls = counting(monkeypatch, review_screen, "needs_review")
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, review_screen.ReviewScreen)
        assert len(calls) == 1
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen
        assert len(calls) == 2


# The command palette and the help screen list every screen's bindings, importing each screen's
# module: the compare screen's imported the agreement figures and with them numpy (≈0.15 s of
# the palette's first opening).
PROBE = """
import sys
from lfa_qual.tui.app import LfaApp
from lfa_qual.tui.help import binding_rows
assert list(binding_rows(LfaApp, None))
print(sorted(m for m in ("numpy", "pandas") if m in sys.modules))
"""


def test_listing_the_bindings_imports_neither_numpy_nor_pandas() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


WARM_UP = """
import asyncio, gc, sys
from lfa_qual.project import Project
from lfa_qual.tui.app import LfaApp

async def start() -> int:
    app = LfaApp(Project(sys.argv[1]))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    return gc.get_freeze_count()

first = asyncio.run(start())
loaded = all(m in sys.modules for m in ("pandas", "lfa_qual.tui.grid_screen"))
print(loaded, first > 50_000, asyncio.run(start()) <= first)
"""


def test_start_up_loads_pandas_and_freezes_what_it_loaded_once(project) -> None:
    """The frequency table's first opening imported pandas (≈0.35 s), the first ctrl+p every
    screen's module, and a full garbage collection walked every module's objects (80–110 ms),
    about once per screen opened."""
    root = str(project.root)
    project.close()
    out = subprocess.run(
        [sys.executable, "-c", WARM_UP, root], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "True", "True"]


async def test_the_codebook_opens_with_its_first_codes_details(project, monkeypatch) -> None:
    """Drawn after the first frame (as a step's are), the details cost the opening two more
    layouts: the pane's new height, then its scroll bar."""
    from lfa_qual.tui.codebook_screen import CodebookScreen

    mounted: list[str] = []
    on_mount = CodebookScreen.on_mount

    def spy(self) -> None:
        on_mount(self)
        mounted.append(str(self.query_one("#detail").render()))

    monkeypatch.setattr(CodebookScreen, "on_mount", spy)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        first = project.codebook().codes[0]
        assert len(mounted) == 1 and first.label in mounted[0]
        assert first.label in str(app.screen.query_one("#detail").render())


async def test_the_codebook_wraps_its_details_at_one_width_and_its_tree_never_scrolls_sideways(
    project, monkeypatch
) -> None:
    """The details were wrapped for a pane without a scroll bar, then again when the bar
    appeared in the next layout; a label wider than the tree gave it a horizontal scroll bar
    in that layout too (a row less: the tree drawn again). The full label is the details'
    first line."""
    from textual.widget import Widget

    widths: list[int] = []
    render_lines = Widget.render_lines

    def spy(self, crop):
        if self.id == "detail":
            widths.append(self.size.width)
        return render_lines(self, crop)

    monkeypatch.setattr(Widget, "render_lines", spy)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        tree = app.screen.query_one("Tree")
        assert len(set(widths)) == 1
        assert not tree.show_horizontal_scrollbar
        first = project.codebook().codes[0]
        assert str(app.screen.query_one("#detail").render()).startswith(f"■ {first.label}")


def test_the_idle_collector_collects_after_a_second_without_input(monkeypatch) -> None:
    """Full collections (40–150 ms) ran about once per screen opened, inside the key's time."""
    import gc

    from lfa_qual.tui import idle_gc

    now = [100.0]
    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *a: collected.append(1) or 0)
    monkeypatch.setattr(gc, "get_count", lambda: (0, 0, 1))  # something allocated since
    collector = idle_gc.IdleCollector(clock=lambda: now[0])
    collector.touched()
    now[0] += 0.5
    collector.tick()
    assert collected == []  # a key half a second ago: the user is busy
    now[0] += 0.6
    collector.tick()
    assert collected == [1]
    monkeypatch.setattr(gc, "get_count", lambda: (0, 0, 0))
    now[0] += 5
    collector.tick()
    assert collected == [1]  # nothing allocated since: no second collection


async def test_the_app_makes_full_collections_rarer_while_it_runs(project) -> None:
    import gc

    before = gc.get_threshold()
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.get_threshold()[2] >= 100
        touched = app.idle_gc.last_input
        await pilot.press("b")
        await pilot.pause()
        assert app.idle_gc.last_input > touched  # keys count as input
    assert gc.get_threshold() == before


async def test_the_reader_reads_and_lays_out_once_on_opening(project, monkeypatch) -> None:
    """It read its codings, suggestions and names twice (mount and resume) and, at 120
    columns, laid the text out twice (the first guess of the width was a column short)."""
    import lfa_qual.tui.reader as reader
    import lfa_qual.tui.reader_screen as reader_screen

    reads = counting(monkeypatch, reader_screen, "list_codings")
    layouts = counting(monkeypatch, reader, "Layout")
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript("skole2-elev2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, reader_screen.ReaderScreen)
        assert (len(reads), len(layouts)) == (1, 1)
        s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
        await pilot.press("b")  # another screen; meanwhile a coding is added
        await pilot.pause()
        project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen
        assert (len(reads), len(layouts)) == (2, 1)
        assert [(c.start, c.end) for c in screen.codings] == [(s, e)]


@pytest.mark.parametrize(("key", "table"), [("r", "passages"), ("F", "table")])
async def test_retrieve_and_stats_focus_their_table_first(project, monkeypatch, key, table) -> None:
    """The first Select took the focus when the screen was composed, and on_mount moved it to
    the table: another restyle and frame in the opening."""
    from textual.screen import Screen

    focused: list[str | None] = []
    monkeypatch.setattr(
        Screen,
        "on_descendant_focus",
        lambda self, event: focused.append(event.widget.id),
        raising=False,
    )
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        focused.clear()
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert set(focused) == {table}


async def test_search_results_look_each_transcript_up_once(project, monkeypatch) -> None:
    """It was once per hit, each asking the store for the text's hash (160 hits for
    "sparring" in the 30,000-word transcript)."""
    from lfa_qual.tui.search import SearchScreen

    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        looked_up = counting(monkeypatch, project, "transcript")
        await pilot.press(*"klassen", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        interviews = {hit.interview for hit in screen.hits}
        assert len(screen.hits) > len(interviews) > 1
        assert sorted(c[0] for c in looked_up) == sorted(interviews)
        assert screen.query_one("DataTable").row_count == len(screen.hits)


async def test_a_screen_draws_its_key_bar_once_when_it_opens(project, monkeypatch) -> None:
    """The screen's bindings are "updated" while it opens (resume, focus) and the bar is
    resized from nothing, with the same keys each time: the bar was drawn three times, the
    last one alone in a frame of its own (≈30 ms of the codebook's opening)."""
    from lfa_qual.tui.keybar import KeyBar

    drawn: list[str] = []
    render = KeyBar.render

    def spy(self):
        drawn.append(type(self.screen).__name__)
        return render(self)

    monkeypatch.setattr(KeyBar, "render", spy)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript("skole2-elev2")
        await pilot.pause()
        drawn.clear()
        await pilot.press("b")
        await pilot.pause()
        assert drawn == ["CodebookScreen"]
        await pilot.press("down")  # keys that change nothing in the bar do not draw it
        await pilot.pause()
        assert drawn == ["CodebookScreen"]
        await pilot.press("q")
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        await pilot.resize_terminal(100, 40)  # a new width draws it anew
        await pilot.pause()
        assert drawn[-1] == "ReaderScreen" and "Help" in bar.render().plain


async def test_the_palette_lists_a_short_list_before_typing_and_finds_every_command(
    project,
) -> None:
    """It listed the ~73 commands of the reader (its cursor moves too), two lines each, before
    anything was typed: the list got a scroll bar a layout later and was drawn again."""
    from textual.command import CommandList

    from lfa_qual.tui.palette import Palette

    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        app.open_transcript("skole2-elev2")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, Palette)
        assert app.screen.styles.background.a == 1  # no dimmed copy of the reader to render
        listed = app.screen.query_one(CommandList)
        titles = [option.hit.text for option in listed.options]
        for title in ("Help", "Codebook", "Retrieve", "Memos", "Export quotes…", "Theme"):
            assert title in titles
        assert "Select word (again: extend)" not in titles and "Accept" not in titles
        assert listed.virtual_size.height == listed.option_count  # one line each
        assert not listed.show_vertical_scrollbar
        await pilot.press(*"select word")
        await app.workers.wait_for_complete()
        await pilot.pause()
        found = [option.hit.text for option in listed.options]
        assert found[0] == "Select word (again: extend)"
