"""The review screen: each coding a transcript edit left in doubt, the text coded before the
edit next to the text it now covers; o keeps it (OK), m moves it onto the words you type,
Enter opens it in the reader. Both decisions are undone with u in the reader."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from lfa_qual.errors import LfaError
from lfa_qual.reanchor import ReviewItem, needs_review
from lfa_qual.review import nearest_quote, review_move, review_ok
from lfa_qual.tui.codebook_edit import AskText
from lfa_qual.tui.keybar import KeyBar


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("o", "ok", "OK: keep it here", id="review.ok"),
        Binding("m", "move", "Move onto…", id="review.move"),
        Binding("enter", "jump", "Open in the reader", id="review.jump"),
    ]
    DEFAULT_CSS = """
    ReviewScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    ReviewScreen DataTable { height: 1fr; }
    ReviewScreen #compare { height: 12; border-top: solid $primary-background-lighten-2; }
    ReviewScreen #compare VerticalScroll { width: 1fr; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.project = self.app.project
        self.items: list[ReviewItem] = []

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="items")
        with Horizontal(id="compare"):
            with VerticalScroll():
                yield Static(id="old")
            with VerticalScroll():
                yield Static(id="new")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Code", "Citation", "Why")
        self.fill()
        self.query_one(DataTable).focus()

    # Opening filled the list twice (mount and resume); coming back from the reader (where a
    # coding may have been decided or undone) fills it again.
    _away = False

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        if self.is_mounted and self._away:
            self._away = False
            self.fill()

    def fill(self) -> None:
        from lfa_qual.codings import get_coding

        self.items = needs_review(self.project.store)
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for i, item in enumerate(self.items):
            citation = self.project.cite(get_coding(self.project.store, item.coding_id))
            table.add_row(f"{item.code} ⚠", citation, item.reason, key=str(i))
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))
        self.query_one("#title", Static).update(
            f"[b]Needs review[/b] · {len(self.items)} coding(s) moved by transcript edits · "
            "o keeps one where it is, m moves it, Enter opens it"
        )
        self.show_item()

    def current(self) -> ReviewItem | None:
        row = self.query_one(DataTable).cursor_row
        return self.items[row] if self.items and row < len(self.items) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_item()

    def show_item(self) -> None:
        item = self.current()
        old = "[b]Coded before the edit[/b]\n" + (item.old_text if item else "")
        new = "[b]Covers now[/b]\n" + (item.text if item else "")
        if item is None:
            old = new = ""
        self.query_one("#old", Static).update(old)
        self.query_one("#new", Static).update(new)

    def _done(self, func, *args, message: str) -> None:
        try:
            func(self.project.store, *args, self.project.coder)
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        self.notify(message)
        self.fill()

    def action_ok(self) -> None:
        item = self.current()
        if item is not None:
            self._done(review_ok, item.coding_id, message=f"{item.code}: kept where it is")

    def action_move(self) -> None:
        item = self.current()
        if item is None:
            return

        def done(values: list[str] | None) -> None:
            if not values or not values[0].strip():
                return
            text = self.project.transcript(item.interview).text
            try:
                start, end = nearest_quote(text, values[0], item.start)
            except LfaError as exc:
                self.notify(exc.message, severity="error")
                return
            self._done(review_move, item.coding_id, start, end, message=f"{item.code}: moved")

        prompt = "The words the coding should cover (whole words, as in the transcript)"
        self.app.push_screen(AskText(prompt, [("words", item.old_text)]), done)

    def action_jump(self) -> None:
        item = self.current()
        if item is not None:
            self.app.open_transcript(item.interview, (item.start, item.end))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_jump()
