"""The coded passages behind a number: a grid cell, a frequency-table cell, a co-occurrence
pair. Each row is a passage with its citation; Enter opens it in the reader, selected."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.retrieve import one_line


@dataclass(frozen=True)
class Passage:
    interview: str
    start: int
    end: int
    code: str
    citation: str
    text: str


def passages_of(frame) -> list[Passage]:
    """Passages from a codings frame (`lfa_qual.analysis.codings_frame` columns)."""
    columns = ["interview", "start", "end", "code", "citation", "text"]
    return [Passage(*values) for values in frame[columns].itertuples(index=False)]


class PassagesScreen(Screen):
    BINDINGS = [Binding("enter", "jump", "Open in the reader", id="passages.jump")]
    DEFAULT_CSS = """
    PassagesScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    PassagesScreen DataTable { height: 1fr; }
    PassagesScreen #text { height: auto; max-height: 10; padding: 0 1;
        border-top: solid $primary-background-lighten-2; }
    """

    def __init__(self, title: str, passages: list[Passage], note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.passages = passages
        self.note = note  # e.g. the grid cell's summary, shown above the passages

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        if self.note:
            yield Static(self.note, id="note")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="passages")
        yield Static(id="text")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Code", "Citation", "Passage")
        for i, p in enumerate(self.passages):
            table.add_row(p.code, p.citation, one_line(p.text, 80), key=str(i))
        self.query_one("#title", Static).update(
            f"[b]{self.title_text}[/b] · {len(self.passages)} passage(s) · Enter opens one"
        )
        table.focus()
        self.show_text()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_text()

    def current(self) -> Passage | None:
        row = self.query_one(DataTable).cursor_row
        return self.passages[row] if self.passages and row < len(self.passages) else None

    def show_text(self) -> None:
        p = self.current()
        self.query_one("#text", Static).update(
            "" if p is None else f"“{one_line(p.text, 600)}” {p.citation}"
        )

    def action_jump(self) -> None:
        p = self.current()
        if p is not None:
            self.app.open_transcript(p.interview, (p.start, p.end))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_jump()
