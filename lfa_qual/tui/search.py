"""Search across transcripts, exact or fuzzy, and code every hit after a confirmation."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Select, Static, Switch

from lfa_qual import history
from lfa_qual.citation import cite
from lfa_qual.codings import StaleText
from lfa_qual.errors import LfaError
from lfa_qual.tui.dialogs import CodePicker, Confirm
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.searching import SCOPES, Hit, context, hit_span, in_interviewer_turn, search
from lfa_qual.wording import count


class SearchScreen(Screen):
    BINDINGS = [
        Binding("enter", "jump", "Jump to hit", id="search.jump"),
        Binding("ctrl+f", "toggle_fuzzy", "Exact/fuzzy", id="search.fuzzy"),
        Binding("ctrl+k,c", "code_hits", "Code all hits…", id="search.code_all"),
        Binding("f", "focus_query", "Edit query", show=False, id="search.query"),
        # "Code all hits" says it can be undone: here, not only in the reader.
        Binding("u,ctrl+z", "undo", "Undo", show=False, id="search.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="search.redo"),
    ]
    DEFAULT_CSS = """
    SearchScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    SearchScreen #bar { height: 3; }
    SearchScreen Input { width: 1fr; }
    SearchScreen Label { padding: 1 1 0 2; }
    SearchScreen #scope { width: 16; }
    SearchScreen DataTable { height: 1fr; }
    """

    class Results(Message):
        def __init__(self, query: str, hits: list[Hit], hashes: dict[str, str]) -> None:
            super().__init__()
            self.query = query
            self.hits = hits
            self.hashes = hashes  # interview -> hash of the text searched

    def __init__(self) -> None:
        super().__init__()
        self.project = self.app.project
        self.hits: list[Hit] = []
        self.hashes: dict[str, str] = {}
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Static("[b]Search[/b] · type and press Enter", id="title")
        with Horizontal(id="bar"):
            yield Input(placeholder="word or phrase…", id="query")
            yield Label("fuzzy")
            # No slide: its 0.3 s animation redrew the screen for 17 frames after each toggle
            # (bench_tui.py: most of the 310 ms the fuzzy toggle took), for no information.
            yield Switch(False, id="fuzzy", animate=False)
            # What "code all hits" codes around each hit, and whether it codes the
            # interviewer's questions too (not by default: they are rarely what a theme means).
            yield Select([(s, s) for s in SCOPES], value=SCOPES[0], allow_blank=False, id="scope")
            yield Label("I")
            yield Switch(
                False, id="interviewer", animate=False, tooltip="code hits in interviewer turns too"
            )
        yield DataTable(cursor_type="row", zebra_stripes=True, id="hits")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Citation", "Hit in context")
        self.query_one(Input).focus()

    @property
    def fuzzy(self) -> bool:
        return self.query_one(Switch).value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.start_search()

    def on_switch_changed(self, event: Switch.Changed) -> None:
        if event.switch.id == "fuzzy" and self.query_one(Input).value.strip():
            self.start_search()

    def action_toggle_fuzzy(self) -> None:
        switch = self.query_one(Switch)
        switch.value = not switch.value

    def action_focus_query(self) -> None:
        self.query_one(Input).focus()

    def start_search(self) -> None:
        query = self.query_one(Input).value
        self.query_one("#title", Static).update(f"[b]Search[/b] · searching for “{query}”…")
        self.run_search(query, self.fuzzy)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str, fuzzy: bool) -> None:
        from lfa_qual.project import Project

        # Its own connection: SQLite connections are not shared between threads here.
        with Project(self.project.root) as project:
            transcripts = [project.transcript(r.interview) for r in project.transcript_rows()]
        hashes = {t.interview: t.sha256 for t in transcripts}
        self.post_message(self.Results(query, search(transcripts, query, fuzzy=fuzzy), hashes))

    def on_search_screen_results(self, message: Results) -> None:
        self.hits = message.hits
        self.hashes = message.hashes
        self.query_text = message.query
        table = self.query_one(DataTable)
        table.clear()
        config = self.project.config.citation
        # Less context before the hit on a narrow terminal, so the hit itself stays in view.
        width = 40 if self.app.size.width >= 100 else 16
        # One look-up per transcript, not per hit (each asks the store for the text's hash).
        interviews = dict.fromkeys(hit.interview for hit in self.hits)
        transcripts = {i: self.project.transcript(i) for i in interviews}
        for i, hit in enumerate(self.hits):
            t = transcripts[hit.interview]
            before, found, after = context(t.text, hit.start, hit.end, width)
            line = Text(f"…{before}")
            line.append(found, style="bold reverse")
            line.append(f"{after}…")
            table.add_row(cite(t, hit.start, config), line, key=str(i))
        kind = "fuzzy" if self.fuzzy else "exact"
        self.query_one("#title", Static).update(
            f"[b]Search[/b] · {count(len(self.hits), kind + ' hit', kind + ' hits')} for "
            f"“{message.query}” · "
            "Enter jumps · ctrl+k codes all hits"
        )
        if self.hits:
            table.focus()

    def action_jump(self) -> None:
        table = self.query_one(DataTable)
        if self.hits and table.cursor_row < len(self.hits):
            hit = self.hits[table.cursor_row]
            self.app.open_transcript(hit.interview, (hit.start, hit.end))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_jump()

    def action_code_hits(self) -> None:
        if not self.hits:
            self.notify("Search first; there are no hits to code.", severity="warning")
            return
        scope = str(self.query_one("#scope", Select).value)
        spans, asked = self.spans(scope, self.query_one("#interviewer", Switch).value)
        codebook = self.project.codebook()
        left_out = len(self.hits) - asked
        skipped = ""
        if left_out:
            skipped = f" {count(left_out, 'hit', 'hits')} in interviewer turns left out."

        what = "" if scope == "word" else f"the {scope} around each of "

        def picked(code_id: str | None) -> None:
            if not code_id:
                return
            question = (
                f"Code {what}{count(asked, 'hit', 'hits')} for "
                f"“{self.query_text}” ({count(len(spans), 'passage', 'passages')}) with "
                f"{code_id} ({codebook.get(code_id).label})?{skipped}"
            )
            self.app.push_screen(Confirm(question), lambda ok: ok and self.code_all(spans, code_id))

        if not spans:
            self.notify("Every hit is in an interviewer turn; switch I on to code them.")
            return
        self.app.push_screen(CodePicker(codebook, f"Code {len(spans)} passages with"), picked)

    def spans(self, scope: str, interviewer: bool) -> tuple[list[tuple[str, int, int]], int]:
        """The passages to code for the hits (one per sentence, say, however many hits it
        holds), and how many hits they cover."""
        spans: dict[tuple[str, int, int], None] = {}
        asked = 0
        for hit in self.hits:
            t = self.project.transcript(hit.interview)
            if not interviewer and in_interviewer_turn(t, hit):
                continue
            asked += 1
            spans[(hit.interview, *hit_span(t, hit, scope))] = None
        return list(spans), asked

    def code_all(self, spans: list[tuple[str, int, int]], code_id: str) -> None:
        try:
            done, skipped = history.code_many(
                self.project.store, spans, code_id, self.project.coder, self.hashes
            )
        except StaleText as exc:
            # A transcript was re-anchored since the search: its hits point at other words.
            self.notify(exc.message + "; searching again", severity="error", timeout=8)
            self.start_search()
            return
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        extra = f"; {len(skipped)} skipped (already coded)" if skipped else ""
        self.notify(
            f"Coded {count(len(done), 'passage', 'passages')} with {code_id}{extra}. u undoes it.",
            timeout=4,
        )
        self.query_one(DataTable).focus()  # so that u reaches the screen, not the query

    def action_undo(self) -> None:
        self._replay(history.undo, "Undone", "Nothing to undo.")

    def action_redo(self) -> None:
        self._replay(history.redo, "Redone", "Nothing to redo.")

    def _replay(self, func, verb: str, nothing: str) -> None:
        try:
            action = func(self.project.store, self.project.coder)
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        if action is None:
            self.notify(nothing, severity="warning", timeout=2)
        else:
            self.notify(f"{verb}: {action.label}", timeout=3)
