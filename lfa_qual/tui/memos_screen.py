"""The memo list: every memo of the project (codings, codes, transcripts, the project), filtered
by kind, author, code and interview, searched by words; Enter jumps to the memo's place, e
edits it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from lfa_qual import codings as ops
from lfa_qual import history
from lfa_qual.errors import LfaError
from lfa_qual.memos import KIND_LABELS, KINDS, Memo, MemoFilter, list_memos
from lfa_qual.tui.dialogs import MemoEditor
from lfa_qual.tui.filters import ALL
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.retrieve import one_line


class MemoListScreen(Screen):
    BINDINGS = [
        Binding("enter", "jump", "Go to its place", id="memos.jump"),
        Binding("e", "edit", "Edit memo", id="memos.edit"),
        Binding("P", "project_memo", "Project memo", id="memos.project"),
        Binding("f", "focus_filter", "Filter/search", id="memos.filter"),
    ]
    DEFAULT_CSS = """
    MemoListScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    MemoListScreen #filters { height: 3; }
    MemoListScreen Select { width: 1fr; }
    MemoListScreen Input { width: 1fr; }
    MemoListScreen DataTable { height: 1fr; }
    MemoListScreen #memo { height: auto; max-height: 8; padding: 0 1;
        border-top: solid $primary-background-lighten-2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.project = self.app.project
        self.memos: list[Memo] = []

    def compose(self) -> ComposeResult:
        authors = sorted({m.author for m in list_memos(self.project)} | {self.project.coder})
        yield Static(id="title")
        with Horizontal(id="filters"):
            kinds = [("All kinds", ALL)] + [(KIND_LABELS[k], k) for k in KINDS]
            yield Select(kinds, value=ALL, allow_blank=False, id="kind")
            people = [("All authors", ALL)] + [(a, a) for a in authors]
            yield Select(people, value=ALL, allow_blank=False, id="author")
            codes = [("All codes", ALL)] + [(c.label, c.id) for c in self.project.codebook().codes]
            yield Select(codes, value=ALL, allow_blank=False, id="memo-code")
            interviews = [r.interview for r in self.project.transcript_rows()]
            places = [("All interviews", ALL)] + [(i, i) for i in interviews]
            yield Select(places, value=ALL, allow_blank=False, id="memo-interview")
            yield Input(placeholder="search words in the memos", id="search")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="memos")
        yield Static(id="memo")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Kind", "Place", "Author", "Date", "Memo")
        self.fill()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.fill()

    def fill(self) -> None:
        kind = str(self.query_one("#kind", Select).value)
        author = str(self.query_one("#author", Select).value)
        search = self.query_one("#search", Input).value
        code = str(self.query_one("#memo-code", Select).value)
        interview = str(self.query_one("#memo-interview", Select).value)
        which = MemoFilter(
            kinds=None if kind == ALL else (kind,),
            codes=None if code == ALL else (code,),
            interviews=None if interview == ALL else (interview,),
            authors=None if author == ALL else (author,),
            search=search or None,
        )
        try:
            self.memos = list_memos(self.project, which)
        except LfaError:  # an author whose memos are gone: nothing of theirs to list
            self.memos = []
        table = self.query_one(DataTable)
        table.clear()
        for i, m in enumerate(self.memos):
            table.add_row(
                KIND_LABELS[m.kind],
                one_line(m.place, 50),
                m.author,
                m.updated[:10],
                one_line(m.text, 70),
                key=str(i),
            )
        found = f" matching «{search}»" if search else ""
        self.query_one("#title", Static).update(
            f"[b]Memos[/b] · {len(self.memos)}{found} · Enter goes to its place · e edits"
        )
        self.show_memo()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.fill()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_memo()

    def current(self) -> Memo | None:
        row = self.query_one(DataTable).cursor_row
        return self.memos[row] if self.memos and row < len(self.memos) else None

    def show_memo(self) -> None:
        memo = self.current()
        text = "" if memo is None else f"[b]{memo.place}[/b]\n{memo.text}"
        self.query_one("#memo", Static).update(text)

    def action_focus_filter(self) -> None:
        self.query_one("#search", Input).focus()

    def action_jump(self) -> None:
        memo = self.current()
        if memo is None:
            return
        if memo.kind == "coding":
            self.app.open_transcript(memo.interview, (memo.start, memo.end))
        elif memo.kind == "transcript":
            self.app.open_transcript(memo.interview)
        elif memo.kind == "code":
            self.app.action_retrieve(memo.code)
        else:
            self.notify("The project memo belongs to the whole project: e edits it.")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_jump()

    def action_edit(self) -> None:
        memo = self.current()
        if memo is not None:
            self._edit(memo.kind, memo.target, memo.text, f"{KIND_LABELS[memo.kind]}: {memo.place}")

    def action_project_memo(self) -> None:
        old = ops.get_memo(self.project.store, "project", "project")
        self._edit("project", "project", old, "Project memo")

    def _edit(self, kind: str, target: str, old: str, title: str) -> None:
        store, coder = self.project.store, self.project.coder

        def done(text: str | None) -> None:
            if text is None or text == old:
                return
            try:
                if kind == "coding":  # undoable in the reader, as a memo written there
                    history.set_memo(store, int(target), text, coder)
                else:
                    ops.set_memo(store, kind, target, text, coder)
            except LfaError as exc:
                self.notify(exc.message, severity="error")
                return
            self.notify("Memo saved")
            self.fill()

        self.app.push_screen(MemoEditor(title, old), done)
