"""Search across transcripts, exact or fuzzy, and code every hit after a confirmation."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static, Switch

from lfa_qual import history
from lfa_qual.citation import cite
from lfa_qual.codings import StaleText
from lfa_qual.errors import LfaError
from lfa_qual.tui.dialogs import CodePicker, Confirm
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.searching import Hit, context, search


class SearchScreen(Screen):
    BINDINGS = [
        Binding("enter", "jump", "Jump to hit", id="search.jump"),
        Binding("ctrl+f", "toggle_fuzzy", "Exact/fuzzy", id="search.fuzzy"),
        Binding("ctrl+k,c", "code_hits", "Code all hits…", id="search.code_all"),
        Binding("f", "focus_query", "Edit query", show=False, id="search.query"),
    ]
    DEFAULT_CSS = """
    SearchScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    SearchScreen #bar { height: 3; }
    SearchScreen Input { width: 1fr; }
    SearchScreen Label { padding: 1 1 0 2; }
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
            yield Switch(False, id="fuzzy")
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
        if self.query_one(Input).value.strip():
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
        for i, hit in enumerate(self.hits):
            t = self.project.transcript(hit.interview)
            before, found, after = context(t.text, hit.start, hit.end)
            line = Text(f"…{before} ")
            line.append(found, style="bold reverse")
            line.append(f" {after}…")
            table.add_row(cite(t, hit.start, config), line, key=str(i))
        kind = "fuzzy" if self.fuzzy else "exact"
        self.query_one("#title", Static).update(
            f"[b]Search[/b] · {len(self.hits)} {kind} hits for “{message.query}” · "
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
        hits = list(self.hits)
        codebook = self.project.codebook()

        def picked(code_id: str | None) -> None:
            if not code_id:
                return
            question = (
                f"Code all {len(hits)} hits for “{self.query_text}” with "
                f"{code_id} ({codebook.get(code_id).label})?"
            )
            self.app.push_screen(Confirm(question), lambda ok: ok and self.code_all(hits, code_id))

        self.app.push_screen(CodePicker(codebook, f"Code {len(hits)} hits with"), picked)

    def code_all(self, hits: list[Hit], code_id: str) -> None:
        spans = [(h.interview, h.start, h.end) for h in hits]
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
        self.notify(f"Coded {len(done)} hits with {code_id}{extra}. u undoes it.", timeout=4)
