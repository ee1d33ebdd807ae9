"""The terminal UI driven with Textual's pilot; every test checks the store afterwards."""

from __future__ import annotations

import asyncio
import json

import pytest
from conftest import choose, span

from lfa_qual.codings import get_memo, list_codings
from lfa_qual.project import Project
from lfa_qual.store import Store, new_guid, now
from lfa_qual.tui.app import LfaApp
from lfa_qual.tui.codebook_screen import CodebookScreen
from lfa_qual.tui.help import HelpScreen, binding_rows, help_text
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.reader import TranscriptView
from lfa_qual.tui.reader_screen import ReaderScreen
from lfa_qual.tui.retrieve import RetrieveScreen
from lfa_qual.tui.search import SearchScreen

SIZE = (120, 40)
pytestmark = pytest.mark.anyio


@pytest.fixture
def project(project_from) -> Project:
    return project_from("tui")


def add_suggestion(
    project: Project, interview: str, quote: str, code: str, word: str, example: str = ""
) -> int:
    s, e = span(project, interview, quote)
    ws = project.transcript(interview).text.index(word, s)
    evidence = [
        {"start": ws, "end": ws + len(word), "word": word, "keyword": word, "kind": "exact"}
    ]
    if example:
        evidence[0].update(kind="example", example=example)
    with project.store.transaction() as conn:
        tid = conn.execute("SELECT id FROM transcripts WHERE interview=?", (interview,)).fetchone()
        cur = conn.execute(
            "INSERT INTO suggestions(guid, transcript_id, start, end, code_id, score, evidence,"
            " pipeline, created) VALUES (?,?,?,?,?,?,?,?,?)",
            (new_guid(), tid[0], s, e, code, 0.75, json.dumps(evidence), "test", now()),
        )
    return int(cur.lastrowid)


def coded(project: Project) -> list[tuple[str, str, str]]:
    """(interview, code, text) of every coding, read through a second connection to the store.

    A second connection sees only committed transactions: what the UI showed as done must be
    there even if the app were killed now.
    """
    out = []
    with Store(project.db_path) as other:
        for c in list_codings(other):
            text = project.transcript(c.interview).text
            out.append((c.interview, c.code, text[c.start : c.end]))
    return out


async def open_reader(pilot, interview: str = "skole1-personale") -> ReaderScreen:
    pilot.app.open_transcript(interview)
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReaderScreen)
    return pilot.app.screen


async def test_overview_lists_transcripts_filters_by_school_and_opens_one(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        assert table.row_count == 2
        app.screen.query_one("#school").value = "Skole 2"
        await pilot.pause()
        assert table.row_count == 1
        app.screen.query_one("#school").value = "__all__"
        app.screen.query_one("#role").value = "PIT-medarbejder"
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.interview == "skole1-personale"


async def test_select_by_sentence_code_by_number_key_undo_and_redo(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot)
        view = reader.query_one(TranscriptView)
        view.move_to(span(project, "skole1-personale", "Det meste af tiden")[0])
        await pilot.press("s", "s")  # this sentence, then the next one too
        await pilot.press("5")  # quick slot 5: timer_37 (codebook order)
        await pilot.pause()
        expected = (
            "Det meste af tiden går dog med én elev lige nu. Det er en af de der 37-timers-sager."
        )
        assert coded(project) == [("skole1-personale", "timer_37", expected)]
        # The reader shows it: the passage's marks and the panel list the code.
        assert [m.code for m in view.marks] == ["timer_37"]
        await pilot.press("u")
        await pilot.pause()
        assert coded(project) == []
        assert view.marks == []
        await pilot.press("U")
        await pilot.pause()
        assert [c[1] for c in coded(project)] == ["timer_37"]
    # Undo works after a restart too: the log is in the store.
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert coded(project) == []


async def test_select_by_word_paragraph_turn_and_shift_arrows(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot)
        view = reader.query_one(TranscriptView)
        text = view.text
        start = span(project, "skole1-personale", "Vi er fire")[0]
        view.move_to(start)
        await pilot.press("w", "w")
        assert text[slice(*view.selection)] == "Vi er"
        await pilot.press("escape", "p")
        assert text[slice(*view.selection)].startswith("Vi er fire i teamet")
        assert text[slice(*view.selection)].endswith("sparring til lærerne.")
        await pilot.press("p")  # the next paragraph of the same turn
        assert text[slice(*view.selection)].endswith("37-timers-sager.")
        await pilot.press("escape", "t")
        sel = text[slice(*view.selection)]
        assert sel.startswith("Vi er fire") and sel.endswith("37-timers-sager.")
        view.move_to(start)
        await pilot.press(*["shift+right"] * 5)
        assert text[slice(*view.selection)] == "Vi er"
        await pilot.press("c")
        await pilot.press(*"pit-team", "enter")
        await pilot.pause()
    assert coded(project) == [("skole1-personale", "pit", "Vi er")]


async def test_mouse_drag_selects(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot)
        view = reader.query_one(TranscriptView)
        line = view.lines.line_of(span(project, "skole1-personale", "I: Hvordan er PIT")[0])
        y = line - view.scroll_offset.y
        await pilot.mouse_down(view, offset=(16 + 3, y))
        await pilot.hover(view, offset=(16 + 10, y))
        await pilot.mouse_up(view, offset=(16 + 10, y))
        assert view.text[slice(*view.selection)] == "Hvordan"


async def test_code_by_fuzzy_search_then_change_memo_and_remove(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot)
        view = reader.query_one(TranscriptView)
        view.select(*span(project, "skole1-personale", "Vi har en fast kontaktperson"))
        await pilot.press("c", *"forældr", "enter")  # a typo-tolerant match on the label
        await pilot.pause()
        assert coded(project) == [("skole1-personale", "foraeldre", "Vi har en fast kontaktperson")]
        await pilot.press("e", *"samarb", "enter")
        await pilot.pause()
        assert [c[1] for c in coded(project)] == ["samarbejde"]
        await pilot.press("m", *"fast kontaktperson", "ctrl+s")
        await pilot.pause()
        assert list_codings(project.store)[0].memo == "fast kontaktperson"
        await pilot.press("x")
        await pilot.pause()
        assert coded(project) == []
        await pilot.press("u")  # undo the removal: the memo and the new code come back
        await pilot.pause()
        [c] = list_codings(project.store)
        assert (c.code, c.memo) == ("samarbejde", "fast kontaktperson")


async def test_overlapping_codings_pick_which_one_to_remove(project) -> None:
    s, e = span(project, "skole1-personale", "Vi er fire i teamet")
    project.code("skole1-personale", "pit", start=s, end=e)
    project.code("skole1-personale", "samarbejde", start=s, end=e + 10)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot)
        reader.query_one(TranscriptView).move_to(s + 2)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("down", "enter")  # the second: samarbejde
        await pilot.pause()
    assert [c[1] for c in coded(project)] == ["pit"]


async def test_step_through_suggestions_accept_reject_and_adjust(project) -> None:
    iv = "skole1-personale"
    first = add_suggestion(
        project, iv, "Vi er fire i teamet og mødes hver tirsdag.", "pit", "teamet"
    )
    second = add_suggestion(
        project, iv, "Jeg savner, at PIT kommer ind i klassen.", "hold_vs_klasse", "klassen"
    )
    third = add_suggestion(
        project, iv, "Vi har en fast kontaktperson for hver familie.", "foraeldre", "kontaktperson"
    )
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, iv)
        view = reader.query_one(TranscriptView)
        await pilot.press("n")
        assert reader.current_suggestion.id == first
        assert view.selection == span(project, iv, "Vi er fire i teamet og mødes hver tirsdag.")
        teamet = view.text.index("teamet", view.selection[0])
        assert view.evidence == [(teamet, teamet + len("teamet"))]
        await pilot.press("a")  # accept; the reader steps on to the next one
        await pilot.pause()
        assert reader.current_suggestion.id == second
        await pilot.press("d")  # reject
        await pilot.pause()
        assert reader.current_suggestion.id == third
        # Adjust: shrink the span by the last word and the full stop, then accept.
        await pilot.press(*["shift+left"] * 14, "a")
        await pilot.pause()
        assert reader.current_suggestion is None
    statuses = dict(project.store.read("SELECT id, status FROM suggestions"))
    assert statuses == {first: "accepted", second: "rejected", third: "accepted"}
    assert coded(project) == [
        (iv, "pit", "Vi er fire i teamet og mødes hver tirsdag."),
        (iv, "foraeldre", "Vi har en fast kontaktperson for"),
    ]
    assert {c.source for c in list_codings(project.store)} == {"suggestion"}


async def test_run_nlp_in_a_worker_then_step_to_a_suggestion(project) -> None:
    pytest.importorskip("lfa_qual.nlp.run")
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert reader.suggestions, "the example codebook's keywords occur in the fixture"
        await pilot.press("n")
        assert reader.current_suggestion is not None
    rows = project.store.read("SELECT count(*) FROM suggestions WHERE status='open'")
    assert rows[0][0] == len(reader.suggestions)


async def test_retrieve_lists_passages_with_citations_and_jumps(project) -> None:
    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e)
    s2, e2 = span(project, "skole1-personale", "Jeg savner, at PIT kommer ind i klassen.")
    project.code("skole1-personale", "hold_vs_klasse", start=s2, end=e2)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrieveScreen)
        await choose(pilot, code="hold_vs_klasse")
        table = screen.query_one("DataTable")
        citations = [table.get_row_at(i)[1] for i in range(table.row_count)]
        assert citations == [
            "(Skolemedarbejder, Skole 1, maj 2021, 1)",
            "(Elev 2, 7. klasse, Skole 2, august 2021, 1)",
        ]
        await choose(pilot, role="Elev 2")
        assert table.row_count == 1
        assert screen.query_one("#passages").has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.interview == "skole2-elev2"
        assert app.screen.query_one(TranscriptView).selection == (s, e)


async def test_retrieve_from_a_coding_in_the_reader_opens_on_its_code(project) -> None:
    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, "skole2-elev2")
        reader.query_one(TranscriptView).move_to(s + 3)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrieveScreen)
        assert screen.choices["code"] == "hold_vs_klasse"  # was the first code
        assert screen.query_one("DataTable").row_count == 1


async def test_retrieve_shows_its_choices_in_a_line_and_f_changes_them(project) -> None:
    """The common task "change the code and read its passages" by keys alone: r, f (the
    chooser, on the code), Enter (its list), a few letters, Enter, esc (back to the table)."""
    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "mindset", start=s, end=e)
    s2, e2 = span(project, "skole1-personale", "Jeg savner, at PIT kommer ind i klassen.")
    project.code("skole1-personale", "mindset", start=s2, end=e2)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrieveScreen)
        line = str(screen.query_one("#choices").render())
        assert line.startswith("implementering · Implementering · all schools · all roles")
        table = screen.query_one("DataTable")
        assert table.row_count == 0
        await pilot.press("f", "enter", *"minds", "enter")
        await pilot.pause()
        assert table.row_count == 2  # the table behind the chooser changed at once
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and table.has_focus
        assert screen.choices["code"] == "mindset"
        assert str(screen.query_one("#choices").render()).startswith("mindset · Mindset")
        assert "2 passages coded mindset" in str(screen.query_one("#title").render())
        await pilot.press("down")
        await pilot.pause()
        quote = str(screen.query_one("#quote").render())
        assert "Jeg savner" in quote or "pinligt" in quote
        await choose(pilot, school="Skole 2", code="__review__")
        assert str(screen.query_one("#choices").render()).startswith(
            "⚠ codings that need review · Skole 2 · all roles"
        )
        assert table.row_count == 0


async def test_retrieve_from_the_codebook_opens_on_the_highlighted_code(project) -> None:
    s, e = span(project, "skole2-elev2", "Det er fint.")
    project.code("skole2-elev2", "videndeling", start=s, end=e)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        tree = app.screen.query_one("Tree")
        tree.move_cursor(next(n for n in tree.root.children if n.data == "videndeling"))
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrieveScreen)
        assert screen.choices["code"] == "videndeling"
        line = str(screen.query_one("#choices").render())
        assert line.startswith("videndeling · Videndeling på tværs af skoler · all schools")
        assert screen.query_one("DataTable").row_count == 1
        await pilot.press("f")  # the chooser starts from the same code
        await pilot.pause()
        assert app.screen.query_one("#code").value == "videndeling"
        assert app.screen.query_one("#code").has_focus


async def test_stats_shows_what_it_counts_in_a_line_and_f_changes_the_table(project) -> None:
    from lfa_qual.tui.stats import StatsScreen

    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    project.code("skole2-elev2", "mindset", start=s, end=e)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("F")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)

        def line() -> str:
            return str(screen.query_one("#choices").render())

        assert line().startswith("code × school · codings · counts")
        table = screen.query_one("DataTable")
        # f, tab to the columns, Enter, "role", Enter: code × role, computed behind the box.
        await pilot.press("f", "tab", "enter", *"role", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        header = [str(c.label) for c in table.columns.values()]
        assert "Elev 2" in header and "Skole 2" not in header
        await pilot.press("tab", "tab", "space")  # the count list, then the percent switch
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and table.has_focus
        assert line().startswith("code × role · codings · percent")
        assert screen.choices == {
            "rows": "code",
            "cols": "role",
            "count": "codings",
            "percent": True,
        }
        await pilot.press("ctrl+t")  # still toggles on the screen
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert line().startswith("code × role · codings · counts")


async def test_a_long_memo_in_the_side_panel_ends_with_an_ellipsis(project) -> None:
    from lfa_qual.tui.reader_screen import Panel

    s, e = span(project, "skole2-elev2", "Det er lidt pinligt.")
    memo = 'Eleven oplever holdet som stigmatiserende; koblingen til økonomi/"spareøvelse".'
    project.code("skole2-elev2", "hold_vs_klasse", start=s, end=e, memo=memo)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, "skole2-elev2")
        reader.query_one(TranscriptView).move_to(s + 3)
        await pilot.pause()
        panel = reader.query_one(Panel).content.plain
    [line] = [x for x in panel.splitlines() if "✎" in x]
    assert line.endswith("…") and memo.startswith(line.split("✎ ")[1][:-1]), line


async def test_next_goes_through_one_passages_suggestions_by_score(project) -> None:
    low = add_suggestion(project, "skole2-elev2", "Det er fint.", "implementering", "fint")
    high = add_suggestion(project, "skole2-elev2", "Det er fint.", "mindset", "fint")
    project.store.conn.execute("UPDATE suggestions SET score=0.33 WHERE id=?", (low,))
    project.store.conn.execute("UPDATE suggestions SET score=0.81 WHERE id=?", (high,))
    project.store.conn.commit()
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, "skole2-elev2")
        await pilot.press("n")
        await pilot.pause()
        first = reader.current_suggestion.code
        await pilot.press("n")
        await pilot.pause()
        second = reader.current_suggestion.code
    assert (first, second) == ("mindset", "implementering")  # was implementering first


async def test_needs_review_codings_are_listed_and_marked(project) -> None:
    s, e = span(project, "skole2-elev2", "Det er fint.")
    c = project.code("skole2-elev2", "indsatser", start=s, end=e)
    project.store.conn.execute("UPDATE codings SET status='needs_review' WHERE id=?", (c.id,))
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        assert table.row_count == 1 and "⚠" in str(table.get_row_at(0)[0])
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.query_one(TranscriptView)
        assert [m.review for m in view.marks] == [True]


async def test_search_exact_and_fuzzy_then_code_all_hits(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"sparring", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.hits) == 2  # "sparring" and "Sparringen"? no: exact finds the word twice
        await pilot.press("ctrl+k", *"pit", "enter")
        await pilot.pause()
        await pilot.press("r")  # not a way out of the question: navigation waits for it
        assert type(app.screen).__name__ == "Confirm"
        await pilot.press("n")  # the confirmation: no
        await pilot.pause()
        assert coded(project) == []
        await pilot.press("ctrl+k", *"pit", "enter", "y")
        await pilot.pause()
        # The default scope is the sentence around each hit (was: the matched letters only).
        assert [c[1:] for c in coded(project)] == [
            ("pit", "Koordinatoren fordeler sagerne, og vi giver sparring til lærerne."),
            ("pit", "Sparringen er god, men jeg står alene med 24 elever."),
        ]
        await pilot.press("ctrl+f")  # fuzzy finds the misspelt "kontakt person"
        screen.query_one("Input").value = "kontakt person"
        await pilot.press("f", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        [hit] = screen.hits
        assert project.transcript(hit.interview).text[hit.start : hit.end] == "kontaktperson"


async def test_search_context_has_no_space_inside_a_word(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"sparring", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        rows = [table.get_row_at(i)[1].plain for i in range(table.row_count)]
    assert "giver sparring til lærerne." in rows[0], rows  # spaces where the text has them
    assert "Sparringen er god" in rows[1], rows  # was "Sparring en er god"


async def test_code_all_hits_scope_interviewer_turns_full_label_and_undo(project) -> None:
    from textual.geometry import Region

    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"PIT", "enter")  # in a question of the interviewer and an answer
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.hits) == 2
        screen.query_one("#scope").value = "turn"
        await pilot.pause()
        await pilot.press("ctrl+k", *"foraeldre", "enter")
        await pilot.pause()
        label = app.screen.query_one("Label")
        shown = " ".join(
            "".join(seg.text for seg in strip).strip()
            for strip in label.render_lines(Region(0, 0, *label.size))
        )
        label_text = project.codebook().get("foraeldre").label
        assert f"(foraeldre) {label_text}".split()[-1] in shown  # the whole label, not cut
        # Wrapped inside the dialog, not cut at its right edge.
        assert label.region.right <= label.parent.content_region.right, label.region
        assert "1 hit in interviewer turns left out" in shown, shown
        await pilot.press("y")
        await pilot.pause()
        [turn] = [c[2] for c in coded(project)]  # the whole turn; not the interviewer's
        assert turn.startswith("Jeg savner, at PIT kommer ind") and turn.endswith("24 elever.")
        await pilot.press("u")  # the notice says u undoes it: on this screen too
        await pilot.pause()
        assert coded(project) == []
        screen.query_one("#interviewer").value = True
        screen.query_one("#scope").value = "word"
        await pilot.pause()
        await pilot.press("ctrl+k", *"foraeldre", "enter", "y")
        await pilot.pause()
        assert [c[2] for c in coded(project)] == ["PIT", "PIT"]


async def test_memos_on_transcript_and_code(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await pilot.press("M", *"god gruppe", "ctrl+s")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        await pilot.press("down", "m", *"se også pit", "ctrl+s")
        await pilot.pause()
        assert "se også pit" in str(app.screen.query_one("#detail").render())
    assert get_memo(project.store, "transcript", "skole1-personale") == "god gruppe"
    assert get_memo(project.store, "code", "mindset") == "se også pit"


async def test_codebook_counts_and_pinning_a_quick_slot(project) -> None:
    s, e = span(project, "skole2-elev2", "Det er fint.")
    project.code("skole2-elev2", "videndeling", start=s, end=e)
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, "skole2-elev2")
        await pilot.press("b")
        await pilot.pause()
        tree = app.screen.query_one("Tree")
        labels = {n.data: str(n.label) for n in tree.root.children}
        assert "(1/1)" in labels["videndeling"] and "(0/0)" in labels["pit"]
        tree.move_cursor(next(n for n in tree.root.children if n.data == "videndeling"))
        await pilot.press("1")  # pin videndeling on key 1
        await pilot.pause()
        # The cursor stays on the pinned code and its details stay shown (was: back to the
        # root, detail pane blank).
        assert tree.cursor_node.data == "videndeling"
        assert "[1]" in str(tree.cursor_node.label)
        detail = str(app.screen.query_one("#detail").render())
        assert project.codebook().get("videndeling").label in detail
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is reader
        reader.query_one(TranscriptView).select(
            *span(project, "skole2-elev2", "Hellere at der kom")
        )
        await pilot.press("1")
        await pilot.pause()
    assert coded(project)[-1] == ("skole2-elev2", "videndeling", "Hellere at der kom")


async def test_help_lists_every_key_and_the_palette_every_action(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = help_text(app)
        for _, _, binding in binding_rows(app, None):
            if not binding.description.startswith(("Quick code ", "Pin to key ")):
                assert binding.description in shown
        await pilot.press("escape")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for action in ("Accept", "Reject", "Undo", "Code…", "Memo", "Retrieve", "Search"):
            assert action in titles
        assert "Select sentence (again: extend)" in titles  # the reader view's own keys
        assert "Jump to passage" not in titles  # the retrieve screen's: not runnable here
        helps = [c.help for c in app.get_system_commands(app.screen) if c.title == "Help"]
        assert helps == ["Everywhere · key ? / f1"], helps  # was "key question_mark,f1"


async def test_overview_numbers_are_da_dk_and_counts_read_right(project) -> None:
    import shutil
    from pathlib import Path

    example = Path(__file__).parent.parent / "transcripts" / "skole1-skoleleder.md"
    shutil.copy(example, project.root / "transcripts")  # a transcript of over 1.000 words
    project.sync()
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        words = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        title = str(app.screen.query_one("#title").render())
    total = sum(r.words for r in project.transcript_rows())
    assert total >= 1000
    assert f"{total // 1000}.{total % 1000:03d} words" in title  # as `lfa-qual stats`
    assert all("," not in w for w in words) and any("." in w for w in words), words


async def test_clicking_a_key_in_the_key_bar_presses_it(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        x = bar.render().plain.index(" Help ")  # the description, right of the key
        await pilot.click(KeyBar, offset=(x + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_what_the_start_up_sync_found_is_shown(project) -> None:
    from lfa_qual.tui.app import sync_notes

    (project.root / "transcripts" / "skole2-elev2.md").unlink()
    notes = sync_notes(project)
    assert any("skole2-elev2" in n and "gone" in n for n in notes)
    app = LfaApp(project, notes)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.pause()
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("lfa-qual remove skole2-elev2" in t for t in toasts), toasts


async def test_a_bad_transcript_is_a_notice_and_the_others_open(project) -> None:
    from lfa_qual.tui.app import sync_notes

    folder = project.root / "transcripts"
    text = (folder / "skole2-elev2.md").read_text("utf-8")
    (folder / "skole2-elev2.md").write_text(
        text.replace("\nE2: Det er fint", "\nE2 : Det er fint"), "utf-8"
    )
    notes = sync_notes(project)  # before: raised, and the TUI did not start
    assert any("skole2-elev2.md not imported" in n for n in notes), notes
    app = LfaApp(project, notes)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.pause()
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("not imported" in t and "mistyped speaker label" in t for t in toasts), toasts
        reader = await open_reader(pilot, "skole2-elev2")  # the stored version stays readable
        assert reader.interview == "skole2-elev2"


async def test_palette_runs_an_action(project) -> None:
    s, e = span(project, "skole2-elev2", "Det er fint.")
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, "skole2-elev2")
        reader.query_one(TranscriptView).select(s, e)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Quick code", "enter")  # the first hit: "Quick code" (key 1)
        await pilot.pause()
        await pilot.pause()
    assert coded(project) == [("skole2-elev2", "implementering", "Det er fint.")]


async def test_narrow_terminal_80x24_still_shows_text_and_panel(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_reader(pilot)
        assert reader.has_class("-narrow")
        view = reader.query_one(TranscriptView)
        assert view.size.width == 80 and view.lines.width >= 60
        assert reader.query_one("#panel").size.height > 0


async def test_80x24_shows_quick_keys_evidence_help_columns_and_counts(project) -> None:
    from lfa_qual.tui.reader_screen import Panel

    add_suggestion(
        project, "skole1-personale", "Vi har en fast kontaktperson", "foraeldre", "kontaktperson"
    )
    app = LfaApp(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        right = {str(c.label): c for c in table.columns.values()}
        x = sum(c.get_render_width(table) for c in list(table.columns.values())[:7])
        assert "Sugg." in right and x <= 80  # Pages, Codings, Sugg. inside 80 columns
        assert "Help" in app.screen.query_one(KeyBar).render().plain
        reader = await open_reader(pilot)
        await pilot.press("n")
        await pilot.pause()
        panel = reader.query_one(Panel)
        lines = panel.content.plain.splitlines()
        height = panel.content_region.height
        visible = "\n".join(lines[:height])
        assert "kontaktperson" in visible  # the suggestion's evidence
        assert "1■implementering" in visible and "9■" in visible  # all quick-code keys
        bar = reader.query_one(KeyBar).render().plain
        assert bar.rstrip().endswith("Help") and len(bar.rstrip()) <= 80
        text_rows = reader.query_one(TranscriptView).size.height
        await pilot.press("i")  # the panel's rows go to the text
        await pilot.pause()
        assert reader.query_one(TranscriptView).size.height > text_rows
        await pilot.press("b")
        await pilot.pause()
        tree = app.screen.query_one("Tree")
        width = tree.content_region.width
        for node in tree.root.children:
            label = str(node.label)
            assert label.index(")") + 8 < width, label  # "(here/total)" inside the tree


async def test_frequency_table_counts_codings_by_school(project) -> None:
    pytest.importorskip("lfa_qual.analysis")
    for interview, quote, code in (
        ("skole1-personale", "Vi er fire i teamet", "pit"),
        ("skole1-personale", "Koordinatoren fordeler sagerne", "pit"),
        ("skole2-elev2", "Det er fint.", "pit"),
    ):
        s, e = span(project, interview, quote)
        project.code(interview, code, start=s, end=e)
    # A coding in doubt after a transcript edit is not counted, as in `lfa-qual stats`.
    s, e = span(project, "skole2-elev2", "Der er mere ro end inde i klassen")
    doubt = project.code("skole2-elev2", "pit", start=s, end=e)
    project.store.conn.execute("UPDATE codings SET status='needs_review' WHERE id=?", (doubt.id,))
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("F")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        header = [str(c.label) for c in table.columns.values()]
        rows = {table.get_row_at(i)[0]: table.get_row_at(i)[1:] for i in range(table.row_count)}
        assert header[1:] == ["Skole 1", "Skole 2", "I alt"]
        assert rows["PIT – Pædagogisk indsatsteam"] == ["2", "1", "3"]  # codes by label
        assert "1 needing review not counted" in str(app.screen.query_one("#title").render())


async def test_a_store_error_escaping_a_handler_ends_the_app_with_the_message(
    project, monkeypatch
) -> None:
    from lfa_qual.errors import StoreError
    from lfa_qual.tui import reader_screen

    s, e = span(project, "skole2-elev2", "Det er fint.")
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, "skole2-elev2")
        reader.query_one(TranscriptView).select(s, e)
        await pilot.press("1")
        await pilot.pause()

        def locked(*args, **kw):
            raise StoreError("the project store is busy", path=project.db_path)

        monkeypatch.setattr(reader_screen, "list_codings", locked)
        # As a key press would: the undo commits, then re-reading the codings fails.
        reader.call_later(reader.action_undo)
        for _ in range(50):
            if app.domain_error is not None:
                break
            await asyncio.sleep(0.02)
    assert isinstance(app.domain_error, StoreError)
    assert app.return_code == 2
    assert coded(project) == []  # the undo was committed before the failure


async def test_the_coder_from_the_command_line_signs_the_codings(project) -> None:
    other = Project(project.root, coder="forsker2")  # as `lfa-qual --coder forsker2`
    app = LfaApp(other)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "coder forsker2" in str(app.screen.query_one("#title").render())
        reader = await open_reader(pilot, "skole2-elev2")
        reader.query_one(TranscriptView).select(*span(project, "skole2-elev2", "Det er fint."))
        await pilot.press("2")
        await pilot.pause()
    other.close()
    assert [(c.code, c.coder) for c in list_codings(project.store)] == [("mindset", "forsker2")]


async def test_a_suggestion_from_an_anchor_example_shows_the_example(project) -> None:
    iv = "skole1-personale"
    example = "Vi sidder fire mennesker i teamet og fordeler sagerne hver uge."
    add_suggestion(
        project, iv, "Vi er fire i teamet og mødes hver tirsdag.", "pit", "teamet", example
    )
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, iv)
        await pilot.press("n")
        panel = reader.query_one("#panel").content.plain
        assert "evidence: teamet" in panel
        assert f"like «{example}»" in panel
