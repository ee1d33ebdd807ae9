"""The summary grid: rows (schools, interviews or role groups) × themes; a cell shows the coded
passages and ✎ when it has a summary. Enter opens the cell's passages, e edits its summary,
u undoes the latest summary change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static

from lfa_qual import history
from lfa_qual.errors import LfaError
from lfa_qual.grid import ROW_KINDS, ROW_NAMES, Grid, build_grid, cell_passages, set_summary
from lfa_qual.tui.dialogs import MemoEditor
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.passages import PassagesScreen, passages_of


class GridScreen(Screen):
    BINDINGS = [
        Binding("enter", "open_cell", "Passages", id="grid.open"),
        Binding("e", "edit", "Edit summary", id="grid.edit"),
        Binding("u", "undo", "Undo summary", id="grid.undo"),
        Binding("f", "focus_rows", "Rows", id="grid.rows"),
    ]
    DEFAULT_CSS = """
    GridScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    GridScreen #bar { height: 3; }
    GridScreen Select { width: 30; }
    GridScreen DataTable { height: 1fr; }
    GridScreen #summary { height: auto; max-height: 8; padding: 0 1;
        border-top: solid $primary-background-lighten-2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.project = self.app.project
        self.grid: Grid | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        with Horizontal(id="bar"):
            options = [(ROW_NAMES[k], k) for k in ROW_KINDS]
            yield Select(options, value="school", allow_blank=False, id="rows")
        yield DataTable(cursor_type="cell", zebra_stripes=True, id="grid")
        yield Static(id="summary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.fill()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.fill()

    def fill(self) -> None:
        row_kind = str(self.query_one("#rows", Select).value)
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate
        try:
            self.grid = grid = build_grid(self.project, row_kind)
        except LfaError as exc:
            self.query_one("#title", Static).update(f"[b]Grid[/b] · [red]{exc.message}[/red]")
            return
        table.clear(columns=True)
        table.add_column(ROW_NAMES[row_kind])
        for code in grid.codes:
            table.add_column(grid.labels.get(code, code)[:18], key=code)
        for row in grid.rows:
            cells = [f"{grid.count(row, c)}{' ✎' if grid.summary(row, c) else ''}"
                     for c in grid.codes]  # fmt: skip
            table.add_row(row, *cells, key=row)
        if table.row_count:
            table.cursor_coordinate = keep if keep.column else keep._replace(column=1)
        self.query_one("#title", Static).update(
            f"[b]Summary grid[/b] · {len(grid.rows)} × {len(grid.codes)} · cell: coded passages,"
            " ✎ summary · Enter passages · e summary"
        )
        self.show_summary()

    def cell(self) -> tuple[str, str] | None:
        """The (row, code) under the cursor, or None on the row names."""
        table = self.query_one(DataTable)
        grid = self.grid
        coordinate = table.cursor_coordinate
        if grid is None or not grid.rows or coordinate.column == 0:
            return None
        if coordinate.row >= len(grid.rows) or coordinate.column > len(grid.codes):
            return None
        return grid.rows[coordinate.row], grid.codes[coordinate.column - 1]

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.show_summary()

    def show_summary(self) -> None:
        cell = self.cell()
        out = self.query_one("#summary", Static)
        if cell is None or self.grid is None:
            out.update("")
            return
        row, code = cell
        found = self.grid.summaries.get(cell)
        head = f"[b]{self.grid.labels.get(code, code)} × {row}[/b]: "
        head += f"{self.grid.count(row, code)} passage(s)"
        if found:
            out.update(f"{head}\n{found.text}\n[dim]{found.author}, {found.updated[:10]}[/dim]")
        else:
            out.update(f"{head} · no summary yet (e)")

    def action_focus_rows(self) -> None:
        self.query_one("#rows", Select).focus()

    def action_open_cell(self) -> None:
        cell = self.cell()
        if cell is None or self.grid is None:
            return
        row, code = cell
        frame = cell_passages(self.project, self.grid.row_kind, row, code)
        title = f"{self.grid.labels.get(code, code)} × {row}"
        self.app.push_screen(
            PassagesScreen(title, passages_of(frame), self.grid.summary(row, code))
        )

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_open_cell()

    def action_edit(self) -> None:
        cell = self.cell()
        if cell is None or self.grid is None:
            return
        row, code = cell
        old = self.grid.summary(row, code)
        row_kind = self.grid.row_kind

        def done(text: str | None) -> None:
            if text is None or text.strip() == old:
                return
            try:
                set_summary(self.project, row_kind, row, code, text, self.project.coder)
            except LfaError as exc:
                self.notify(exc.message, severity="error")
                return
            self.notify("Summary saved (u undoes)")
            self.fill()

        label = self.grid.labels.get(code, code)
        self.app.push_screen(MemoEditor(f"Summary: {label} × {row}", old), done)

    def action_undo(self) -> None:
        store, coder = self.project.store, self.project.coder
        latest = next((a for a in history.actions(store, coder) if not a.undone), None)
        if latest is None or latest.kind != "grid":
            self.notify("No summary change to undo (codings are undone in the reader).")
            return
        try:
            history.undo(store, coder)
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        self.notify(f"Undone: {latest.label}")
        self.fill()
