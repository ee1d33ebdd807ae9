"""Matrix to quotes: Enter on a frequency-table cell lists the passages it counts; c opens the
co-occurrence matrix, where Enter lists the passages of a code pair (see `lfa_qual.drill`)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static

from lfa_qual.errors import LfaError
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.passages import PassagesScreen, passages_of


class StatsDrill:
    """The stats screen's Enter (mixed into `StatsScreen`): `keys` are the shown table's row
    and column values as ids, set when the table arrives."""

    keys: tuple[list, list] | None = None
    choices: dict[str, object]  # the screen's rows, cols, count and percent

    def action_open_cell(self) -> None:
        from lfa_qual.drill import cell_codings

        table = self.query_one(DataTable)
        if self.keys is None or not table.row_count:
            return
        row, column = table.cursor_coordinate
        if column == 0 or row >= len(self.keys[0]) or column > len(self.keys[1]):
            return
        value, col_value = self.keys[0][row], self.keys[1][column - 1]
        rows, cols, count = (str(self.choices[k]) for k in ("rows", "cols", "count"))
        try:
            frame = cell_codings(self.app.project, rows, value, cols, col_value, count)
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        labels = {c.id: c.label for c in self.app.project.codebook().codes}
        title = f"{labels.get(value, value)} × {labels.get(col_value, col_value)}"
        self.app.push_screen(PassagesScreen(title, passages_of(frame)))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_open_cell()

    def action_cooccurrence(self) -> None:
        self.app.push_screen(CooccurrenceScreen())


class CooccurrenceScreen(Screen):
    BINDINGS = [
        Binding("enter", "open_pair", "Passages", id="cooccurrence.open"),
        Binding("f", "focus_within", "Turn/overlap", id="cooccurrence.within"),
    ]
    DEFAULT_CSS = """
    CooccurrenceScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    CooccurrenceScreen #bar { height: 3; }
    CooccurrenceScreen Select { width: 40; }
    CooccurrenceScreen DataTable { height: 1fr; }
    """

    class Ready(Message):
        def __init__(self, matrix, error: str | None) -> None:
            super().__init__()
            self.matrix = matrix
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.codes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("[b]Co-occurrence[/b]", id="title")
        with Horizontal(id="bar"):
            options = [("codes in the same turn", "turn"), ("overlapping codings", "overlap")]
            yield Select(options, value="turn", allow_blank=False, id="within")
        yield DataTable(zebra_stripes=True, id="matrix")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.compute(self.within)

    @property
    def within(self) -> str:
        return str(self.query_one("#within", Select).value)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.compute(self.within)

    @work(thread=True, exclusive=True, group="cooccurrence")
    def compute(self, within: str) -> None:
        from lfa_qual.analysis import Filters, cooccurrence
        from lfa_qual.project import Project

        # As `lfa-qual stats`: codings that need review are not counted.
        try:
            with Project(self.app.project.root) as project:
                matrix = cooccurrence(project, within, Filters(needs_review=False))
        except LfaError as exc:
            self.post_message(self.Ready(None, exc.message))
            return
        self.post_message(self.Ready(matrix, None))

    def on_cooccurrence_screen_ready(self, message: Ready) -> None:
        title = self.query_one("#title", Static)
        if message.error:
            title.update(f"[b]Co-occurrence[/b] · [red]{message.error}[/red]")
            return
        matrix = message.matrix
        self.codes = list(matrix.index)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("code")
        for code in self.codes:
            table.add_column(code, key=code)
        for code, row in matrix.iterrows():
            table.add_row(code, *[str(v) for v in row.tolist()], key=code)
        title.update(f"[b]Co-occurrence[/b] · {self.within} · Enter lists a pair's passages")

    def action_focus_within(self) -> None:
        self.query_one("#within", Select).focus()

    def action_open_pair(self) -> None:
        from lfa_qual.drill import pair_codings

        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        if column == 0 or row >= len(self.codes) or column > len(self.codes):
            return
        a, b = self.codes[row], self.codes[column - 1]
        frame = pair_codings(self.app.project, a, b, self.within)
        self.app.push_screen(PassagesScreen(f"{a} × {b} ({self.within})", passages_of(frame)))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_open_pair()
