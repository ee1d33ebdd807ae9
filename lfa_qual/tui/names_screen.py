"""The Names screen: step through suspected names and identifiers; accept (not a name) or
replace by a pseudonym, and undo either. The decisions are the CLI's (`lfa_qual.names.review`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label, Static

from lfa_qual.errors import LfaError
from lfa_qual.names import review
from lfa_qual.names.scan import SuspectRecord
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.retrieve import one_line


class PseudonymPrompt(ModalScreen[str | None]):
    """Ask for the pseudonym that replaces a suspect; enter replaces, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    PseudonymPrompt { align: center middle; }
    PseudonymPrompt > Vertical { width: 60; height: 5; border: round $accent;
        background: $surface; padding: 0 1; }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Replace {self.text!r} by (enter · esc cancel):")
            yield Input(placeholder="e.g. Lærer A, Elev 6, Skole 4", id="pseudonym")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NamesScreen(Screen):
    BINDINGS = [
        Binding("a", "accept", "Not a name", id="names.accept"),
        Binding("p", "replace", "Replace by pseudonym…", id="names.replace"),
        Binding("u,ctrl+z", "undo", "Undo", id="names.undo"),
        Binding("enter", "jump", "Show in transcript", id="names.jump"),
    ]
    DEFAULT_CSS = """
    NamesScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    NamesScreen DataTable { height: 1fr; }
    NamesScreen #context { height: auto; max-height: 6; padding: 0 1;
        border-top: solid $primary-background-lighten-2; }
    """

    def __init__(self, interview: str | None = None) -> None:
        super().__init__()
        self.project = self.app.project
        self.interview = interview  # None: every transcript
        self.found: list[SuspectRecord] = []
        self.undo_stack: list[tuple[str, object]] = []
        self.status = ""

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="suspects")
        yield Static(id="context")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Interview", "Line", "Kind", "Text", "Why", "Score")
        self.fill()
        table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.fill()

    def fill(self, row: int | None = None) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row if row is None else row
        try:
            self.found = review.project_suspects(
                self.project,
                [self.interview] if self.interview else None,
                review.name_key(self.project),
            )
        except LfaError as exc:
            self.found = []
            self.status = f"⚠ {exc}"
        table.clear()
        for i, r in enumerate(self.found):
            table.add_row(
                r.interview, str(r.line), r.kind, r.text, r.reason, f"{r.score:.2f}", key=str(i)
            )
        if self.found:
            table.move_cursor(row=min(max(row, 0), len(self.found) - 1))
        where = self.interview or "all transcripts"
        title = f"[b]Names[/b] · {len(self.found)} suspect(s) in {where}"
        self.query_one("#title", Static).update(f"{title}   {self.status}")
        self.show_context()

    @property
    def current(self) -> SuspectRecord | None:
        row = self.query_one(DataTable).cursor_row
        return self.found[row] if self.found and 0 <= row < len(self.found) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_context()

    def show_context(self) -> None:
        r = self.current
        context = self.query_one("#context", Static)
        if r is None:
            context.update("No suspects left." if not self.status else "")
            return
        text = self.project.transcript(r.interview).text
        before = one_line(text[max(0, r.start - 120) : r.start])[-100:]
        after = one_line(text[r.end : r.end + 120])[:100]
        context.update(f"…{before} [b red]{r.text}[/b red] {after}…")

    def done(self, message: str, row: int) -> None:
        self.status = f"✓ {message}"
        self.fill(row)

    def action_accept(self) -> None:
        r = self.current
        if r is None:
            return
        row = self.query_one(DataTable).cursor_row
        try:
            review.accept(self.project, r, self.project.coder)
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        self.undo_stack.append(("accept", r))
        self.done(f"{r.text!r} is not a name", row)

    def action_replace(self) -> None:
        r = self.current
        if r is None:
            return
        row = self.query_one(DataTable).cursor_row

        def answered(pseudonym: str | None) -> None:
            if not pseudonym:
                return
            try:
                replaced = review.replace(self.project, r, pseudonym, self.project.coder)
            except LfaError as exc:
                self.notify(str(exc), severity="error")
                return
            self.undo_stack.append(("replace", replaced))
            self.done(f"{r.text!r} → {pseudonym!r} (original kept: {replaced.original.name})", row)

        self.app.push_screen(PseudonymPrompt(r.text), answered)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("nothing to undo here", timeout=2)
            return
        kind, what = self.undo_stack.pop()
        row = self.query_one(DataTable).cursor_row
        try:
            if kind == "accept":
                review.unaccept(self.project, what.text)
                message = f"undone: {what.text!r} is a suspect again"
            else:
                review.undo_replace(self.project, what)
                message = f"undone: {what.record.text!r} is back"
        except LfaError as exc:
            self.notify(str(exc), severity="error")
            return
        self.done(message, row)

    def action_jump(self) -> None:
        r = self.current
        if r is not None:
            self.app.open_transcript(r.interview, (r.start, r.end))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_jump()
